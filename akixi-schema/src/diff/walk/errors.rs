//! The error tables of a service: categories, codes (a named code with another number is one
//! change), the simulator's conditions, partial-fail rules and permission verbs.

use super::common::{ServiceWalk, matched, shown};
use crate::diff::rules::ChangeKind;

impl ServiceWalk<'_, '_> {
    pub(super) fn errors(&mut self) {
        let cats = matched(&self.old.categories, &self.new.categories, |c| c.id.clone());
        for c in cats.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::ErrorCategoryRemoved,
                format!("error category {}", c.id),
                "removed".into(),
                &c.loc,
                &to,
            );
        }
        for c in cats.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::ErrorCategoryAdded,
                format!("error category {}", c.id),
                "added".into(),
                &from,
                &c.loc,
            );
        }
        let mut m = matched(&self.old.errors, &self.new.errors, |e| e.code);
        // A named code that went, and the same name on a code that came: renumbered.
        let mut renumbered = Vec::new();
        m.removed.retain(|o| {
            let Some(name) = &o.name else { return true };
            match m.added.iter().position(|n| n.name.as_ref() == Some(name)) {
                Some(i) => {
                    renumbered.push((*o, m.added.remove(i)));
                    false
                }
                None => true,
            }
        });
        for e in m.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::ErrorRemoved,
                format!("error {}", e.code),
                format!(
                    "removed{}",
                    e.name.as_ref().map_or(String::new(), |n| format!(" ({n})"))
                ),
                &e.loc,
                &to,
            );
        }
        for (o, n) in renumbered {
            self.push(
                ChangeKind::ErrorCodeChanged,
                format!("error {}", n.name.as_deref().unwrap_or_default()),
                format!("code {} -> {}", o.code, n.code),
                &o.loc,
                &n.loc,
            );
        }
        for (o, n) in m.both {
            let subject = format!("error {}", n.code);
            if o.name != n.name {
                self.push(
                    ChangeKind::ErrorRenamed,
                    subject.clone(),
                    format!(
                        "name {} -> {}",
                        shown(o.name.as_deref()),
                        shown(n.name.as_deref())
                    ),
                    &o.loc,
                    &n.loc,
                );
            }
            if o.category != n.category {
                self.push(
                    ChangeKind::ErrorCategoryChanged,
                    subject.clone(),
                    format!("category {} -> {}", o.category, n.category),
                    &o.loc,
                    &n.loc,
                );
            }
            if o.message != n.message {
                self.push(
                    ChangeKind::ErrorMessageChanged,
                    subject.clone(),
                    format!(
                        "message {} -> {}",
                        shown(o.message.as_deref()),
                        shown(n.message.as_deref())
                    ),
                    &o.loc,
                    &n.loc,
                );
            }
            if o.handling != n.handling {
                let name = |h: Option<crate::Handling>| match h {
                    None => "none",
                    Some(crate::Handling::RetryLater) => "retry-later",
                    Some(crate::Handling::RenewSession) => "renew-session",
                };
                self.push(
                    ChangeKind::ErrorHandlingChanged,
                    subject.clone(),
                    format!("handling {} -> {}", name(o.handling), name(n.handling)),
                    &o.loc,
                    &n.loc,
                );
            }
            if o.partial_fail != n.partial_fail {
                self.push(
                    ChangeKind::ErrorPartialFailChanged,
                    subject,
                    format!("partial fail {} -> {}", o.partial_fail, n.partial_fail),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for e in m.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::ErrorAdded,
                format!("error {}", e.code),
                format!(
                    "added{}",
                    e.name.as_ref().map_or(String::new(), |n| format!(" ({n})"))
                ),
                &from,
                &e.loc,
            );
        }
    }

    pub(super) fn conditions(&mut self) {
        let m = matched(&self.old.conditions, &self.new.conditions, |c| {
            (c.id.clone(), c.family.clone())
        });
        let subject = |c: &crate::ErrorCondition| match &c.family {
            Some(f) => format!("condition {} of {f}", c.id),
            None => format!("condition {}", c.id),
        };
        for c in m.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::ConditionRemoved,
                subject(c),
                format!("removed (was answered with {})", c.code),
                &c.loc,
                &to,
            );
        }
        for (o, n) in m.both {
            if o.code != n.code {
                self.push(
                    ChangeKind::ConditionCodeChanged,
                    subject(n),
                    format!("code {} -> {}", o.code, n.code),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for c in m.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::ConditionAdded,
                subject(c),
                format!("added, answered with {}", c.code),
                &from,
                &c.loc,
            );
        }
    }

    pub(super) fn partial_rules(&mut self) {
        let m = matched(&self.old.partial_rules, &self.new.partial_rules, |r| {
            r.id.clone()
        });
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        for r in m.removed {
            self.push(
                ChangeKind::PartialRuleChanged,
                format!("partial-fail rule {}", r.id),
                "removed".into(),
                &r.loc,
                &new_loc,
            );
        }
        for (o, n) in m.both {
            let fact = |r: &crate::PartialRule| {
                format!("{} {} needs {}: {}", r.family, r.property, r.needs, r.code)
            };
            if fact(o) != fact(n) {
                self.push(
                    ChangeKind::PartialRuleChanged,
                    format!("partial-fail rule {}", n.id),
                    format!("{} -> {}", fact(o), fact(n)),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for r in m.added {
            self.push(
                ChangeKind::PartialRuleChanged,
                format!("partial-fail rule {}", r.id),
                "added".into(),
                &old_loc,
                &r.loc,
            );
        }
    }

    pub(super) fn permission_verbs(&mut self) {
        let m = matched(
            &self.old.permission_verbs,
            &self.new.permission_verbs,
            |v| v.kind,
        );
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        for v in m.removed {
            self.push(
                ChangeKind::PermissionVerbChanged,
                format!("permission verb of {}", v.kind.name()),
                format!("`{}` removed", v.verb),
                &v.loc,
                &new_loc,
            );
        }
        for (o, n) in m.both {
            if o.verb != n.verb {
                self.push(
                    ChangeKind::PermissionVerbChanged,
                    format!("permission verb of {}", n.kind.name()),
                    format!("`{}` -> `{}`", o.verb, n.verb),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for v in m.added {
            self.push(
                ChangeKind::PermissionVerbChanged,
                format!("permission verb of {}", v.kind.name()),
                format!("`{}` added", v.verb),
                &old_loc,
                &v.loc,
            );
        }
    }
}
