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
//! | this one | [`Change`] (what changed, where on both sides, and its [`Impact`]), [`compare`] |
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

use std::fmt;

use crate::diag::Loc;
use crate::model::Spec;

pub mod render;
pub mod rules;
mod walk;

pub use rules::ChangeKind;

/// What a change does to one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// It does not touch the audience.
    None,
    /// It only adds: everything that worked still works.
    Additive,
    /// Something that worked may no longer work.
    Breaking,
}

impl Effect {
    /// The word the reports use: `none`, `additive` or `breaking`.
    pub fn name(self) -> &'static str {
        match self {
            Effect::None => "none",
            Effect::Additive => "additive",
            Effect::Breaking => "breaking",
        }
    }
}

/// Who a change may affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The generated Rust API.
    Api,
    /// What is sent and accepted on the wire.
    Wire,
    /// What the simulator accepts and answers.
    Simulator,
}

impl Audience {
    /// Every audience, in report order.
    pub const ALL: [Audience; 3] = [Audience::Api, Audience::Wire, Audience::Simulator];

    /// The word the reports use: `api`, `wire` or `simulator`.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Api => "api",
            Audience::Wire => "wire",
            Audience::Simulator => "simulator",
        }
    }
}

/// What a change does to each audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Impact {
    /// To the generated API.
    pub api: Effect,
    /// To the wire.
    pub wire: Effect,
    /// To the simulator.
    pub simulator: Effect,
}

impl Impact {
    /// The effect on `audience`.
    pub fn on(&self, audience: Audience) -> Effect {
        match audience {
            Audience::Api => self.api,
            Audience::Wire => self.wire,
            Audience::Simulator => self.simulator,
        }
    }

    /// The strongest effect on any audience.
    pub fn worst(&self) -> Effect {
        self.api.max(self.wire).max(self.simulator)
    }

    /// Whether the change breaks any audience.
    pub fn is_breaking(&self) -> bool {
        self.worst() == Effect::Breaking
    }
}

/// One change from the old spec to the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The service it is in.
    pub service: String,
    /// What kind of change it is; its [`Impact`] follows from it.
    pub kind: ChangeKind,
    /// What changed, named as the spec names it (`property Widget.Look.Colours`,
    /// `usage of Widget.Size by WidgetAdd`).
    pub subject: String,
    /// What it was and what it is, in a few words.
    pub detail: String,
    /// Its place in the old spec, or the place of what held it (the family a property was
    /// added to); `None` only for a whole service added.
    pub old: Option<Loc>,
    /// Its place in the new spec, or the place of what held it; `None` only for a whole
    /// service removed.
    pub new: Option<Loc>,
    /// What it does to each audience.
    pub impact: Impact,
}

impl Change {
    /// Whether the change breaks any audience.
    pub fn is_breaking(&self) -> bool {
        self.impact.is_breaking()
    }
}

impl fmt::Display for Change {
    /// One line: the strongest effect, the subject and what happened.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}: {} ({})",
            self.impact.worst().name(),
            self.service,
            self.subject,
            self.detail,
            self.kind.name()
        )
    }
}

/// Every change from `old` to `new`, in the order of the walk (service by service; within a
/// service: the service itself, platforms, types, Boolean spellings, errors, conditions,
/// partial-fail rules, permission verbs, binding rows, then family by family).
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    walk::compare(old, new)
}
