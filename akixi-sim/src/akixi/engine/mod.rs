//! The Akixi service's engine: one `<Request>` document in, one `<Response>` document out
//! ([`dispatch`]), by the session's operations ([`session`]), the `User` family ([`users`]),
//! the checks of who may do what ([`access`]), over the state ([`state`]); [`respond`] writes
//! the answers.
//!
//! Checks run in a fixed order, and the first that fails answers (documented in the README):
//! the envelope (10103, 10101, 10102), the session (10301, 10302, 10307), the caller's
//! permission (10511), the payload's values (11200, 10106, including a password that does not
//! decrypt with the session's Nonce), then the state: the target user (11201, 11202), the
//! components named (12100, 11013, 11131), the caller's scope (10512) and the platform of the
//! telephony server the user is scoped to (10150). Every code comes from
//! [`akixi::error_conditions`].

mod access;
mod dispatch;
mod respond;
mod session;
mod state;
mod users;

pub(crate) use state::Engine;
