//! One change from an old spec to a new one: what changed, where on both sides, and its
//! [`Impact`].

use std::fmt;

use super::impact::Impact;
use super::rules::ChangeKind;
use crate::diag::Loc;

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
