//! The client's one method per operation (`user_add`, `user_info`, …, `user_list_stream`),
//! generated from the spec. They live apart from the generated types, which the client uses,
//! so that the types never depend on the client.

akixi_derive::service!(
    spec = "../spec",
    service = "akixi",
    part = "client",
    types = crate::akixi
);
