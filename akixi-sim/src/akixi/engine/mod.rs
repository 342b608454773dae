//! The Akixi service's engine, one implementation for every family of the spec: one
//! `<Request>` document in, one `<Response>` document out ([`dispatch`], by the operation's
//! kind), the session's operations ([`session`]), the entity operations ([`entities`], and [`bulk`] adds from a CSV) over a
//! request's checked payload ([`input`]), references and placement ([`refs`]), who may do
//! what ([`access`]), over the state ([`state`]); [`respond`] writes the answers.
//!
//! Checks run in a fixed order, and the first that fails answers (documented in the README):
//! the envelope (malformed, missing InvokeID, unknown operation), the session (missing,
//! unknown, not authenticated), the caller's permission, the payload's values and keys
//! (including a password that does not decrypt with the session's Nonce), then the state:
//! the entity named (unknown or duplicate), the entities it references, the caller's scope
//! and the platform of the telephony server the entity sits in. Every code comes from the
//! spec's `error-conditions`, for the family concerned.

mod access;
mod bulk;
mod dispatch;
mod entities;
mod input;
mod maintain;
mod refs;
mod respond;
mod session;
mod sign_in;
mod state;

pub(crate) use maintain::Property;
pub use sign_in::SignInBackoff;
pub(crate) use state::{Engine, EngineLogins, SessionLimits};
