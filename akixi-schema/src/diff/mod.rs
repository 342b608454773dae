//! Comparing two specs: every change from an old spec to a new one, classified as breaking or
//! additive for each of three audiences (`akixi-spec diff OLD NEW`).
//!
//! ```no_run
//! # fn run() -> Option<()> {
//! let old = akixi_schema::Spec::load("old-spec").ok()?;
//! let new = akixi_schema::Spec::load("spec").ok()?;
//! for change in akixi_schema::diff::compare(&old, &new) {
//!     println!("{change}");
//! }
//! # Some(())
//! # }
//! ```
//!
//! The map, one concern a module:
//!
//! | module | what it holds |
//! |---|---|
//! | this one | [`compare`], and the map |
//! | [`impact`] | [`Effect`] (none, additive, breaking) for each [`Audience`]: an [`Impact`] |
//! | [`change`] | [`Change`]: what changed, where on both sides, and its impact |
//! | [`rules`] | [`ChangeKind`]: every kind of change, and the one table that classifies each for the three audiences |
//! | `walk` | the comparison: a service's own tables (platforms, types, Boolean spellings, binding rows); `walk::errors` its error tables; `walk::family` each family (its table, containers, operations); `walk::property` each property (its row, reference, support, usage) |
//! | [`render`] | the human report and the JSON document |
//!
//! The three audiences ([`Audience`]):
//!
//! - the **generated API**: Rust written against the old generated types. Breaking when it may
//!   no longer compile or a call it made may now be refused (a removed setter, a new
//!   constructor argument, a narrowed range); additive when only new items appear.
//! - the **wire**: a client generated from the old spec talking to a service that follows the
//!   new one. Breaking when a request it sends may be refused or lose its meaning, or an answer
//!   may not decode as it did (a value beyond the old range in a response); additive when the
//!   service only accepts or answers more.
//! - the **simulator**: what the simulator generated from the new spec accepts and answers,
//!   compared with the old one's. Breaking when it refuses a request it accepted or answers one
//!   differently (another error code for a condition, a reference now checked); additive when
//!   it only accepts or answers more.
//!
//! A change that is neither breaking nor additive for an audience does not touch it
//! ([`Effect::None`]). Descriptions, provenance and other documentation are not compared.

use crate::model::Spec;

pub mod change;
pub mod impact;
pub mod render;
pub mod rules;
mod walk;

pub use change::Change;
pub use impact::{Audience, Effect, Impact};
pub use rules::ChangeKind;

/// Every change from `old` to `new`, in the order of the walk (service by service; within a
/// service: the service itself, platforms, types, Boolean spellings, errors, conditions,
/// partial-fail rules, permission verbs, binding rows, then family by family).
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    walk::compare(old, new)
}
