//! The client's one method per action, generated from the spec. They live apart from the
//! generated types, which the client uses, so that the types never depend on the client.

akixi_derive::service!(
    spec = "../spec",
    service = "cisco-em",
    part = "client",
    types = crate::em
);
