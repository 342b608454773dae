//! What generated code names: one path per protocol ([`akixi_ws`], [`cisco_em`]), each with the
//! protocol-neutral core and what that protocol's generated code calls. The core alone is here
//! too, for tools that work from the spec's metadata. Users rarely need this module directly.

#[cfg(feature = "serde")]
pub use crate::json;
#[cfg(feature = "serde")]
pub use ::serde;

pub mod akixi_ws;
pub mod cisco_em;

pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
