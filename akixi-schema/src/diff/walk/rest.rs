//! The REST binding of a service compared: its settings as rows, the status of each condition,
//! each family's REST operations (by family and REST name: route, shape, carried inputs, query,
//! implied values) and JSON forms. A REST change never touches the generated shapes; it moves
//! what a REST client sends and what the simulator answers over REST.

use super::common::{ServiceWalk, matched};
use crate::diff::rules::ChangeKind;
use crate::model::{RestBinding, RestOperation};

impl ServiceWalk<'_, '_> {
    pub(super) fn rest(&mut self) {
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        match (&self.old.rest, &self.new.rest) {
            (None, None) => {}
            (Some(o), None) => {
                let at = o.rows.first().map_or(old_loc, |r| r.loc.clone());
                self.push(
                    ChangeKind::RestBindingRemoved,
                    format!("service {} over REST", self.old.name),
                    format!("removed, with {} REST operation(s)", o.operations.len()),
                    &at,
                    &new_loc,
                );
            }
            (None, Some(n)) => {
                let at = n.rows.first().map_or(new_loc, |r| r.loc.clone());
                self.push(
                    ChangeKind::RestBindingAdded,
                    format!("service {} over REST", self.new.name),
                    format!("added, with {} REST operation(s)", n.operations.len()),
                    &old_loc,
                    &at,
                );
            }
            (Some(o), Some(n)) => self.rest_both(o, n),
        }
    }

    fn rest_both(&mut self, old: &RestBinding, new: &RestBinding) {
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        let rows = matched(&old.rows, &new.rows, |r| r.key.clone());
        for r in rows.removed {
            let detail = format!("removed (was `{}`)", r.value);
            self.push(
                ChangeKind::RestSettingChanged,
                format!("rest-binding {}", r.key),
                detail,
                &r.loc,
                &new_loc,
            );
        }
        for r in rows.added {
            let detail = format!("added: `{}`", r.value);
            self.push(
                ChangeKind::RestSettingChanged,
                format!("rest-binding {}", r.key),
                detail,
                &old_loc,
                &r.loc,
            );
        }
        for (o, n) in rows.both {
            if o.value != n.value {
                let detail = format!("`{}` -> `{}`", o.value, n.value);
                self.push(
                    ChangeKind::RestSettingChanged,
                    format!("rest-binding {}", n.key),
                    detail,
                    &o.loc,
                    &n.loc,
                );
            }
        }
        let statuses = matched(&old.statuses, &new.statuses, |s| s.condition);
        for (o, n) in statuses.both {
            if o.status != n.status {
                let name = crate::model::Condition::ALL
                    .iter()
                    .find(|(_, c, _)| *c == n.condition)
                    .map_or("?", |(name, _, _)| *name);
                let detail = format!("{} -> {}", o.status, n.status);
                self.push(
                    ChangeKind::RestStatusChanged,
                    format!("REST status of {name}"),
                    detail,
                    &o.loc,
                    &n.loc,
                );
            }
        }
        let ops = matched(&old.operations, &new.operations, |o| {
            (o.family.clone(), o.name.clone())
        });
        for o in ops.removed {
            let detail = format!(
                "removed (was `{} {}`)",
                o.route.method.name(),
                o.route.template()
            );
            let to = self.new_family_loc(&o.family);
            self.push(
                ChangeKind::RestOperationRemoved,
                subject(o),
                detail,
                &o.loc,
                &to,
            );
        }
        for n in ops.added {
            let detail = format!(
                "added: `{} {}` carrying {}",
                n.route.method.name(),
                n.route.template(),
                n.shape
            );
            self.push(
                ChangeKind::RestOperationAdded,
                subject(n),
                detail,
                &old_loc,
                &n.loc,
            );
        }
        for (o, n) in ops.both {
            for detail in operation_changes(o, n) {
                self.push(
                    ChangeKind::RestOperationChanged,
                    subject(n),
                    detail,
                    &o.loc,
                    &n.loc,
                );
            }
        }
        let forms = matched(&old.properties, &new.properties, |p| {
            (p.family.clone(), p.path.clone())
        });
        for o in forms.removed {
            let detail = format!("{:?} -> the type's own form", o.form);
            let new_loc = self.new_family_loc(&o.family);
            self.push(
                ChangeKind::RestFormChanged,
                format!("{}.{} over REST", o.family, o.path),
                detail,
                &o.loc,
                &new_loc,
            );
        }
        for n in forms.added {
            let detail = format!("the type's own form -> {:?}", n.form);
            self.push(
                ChangeKind::RestFormChanged,
                format!("{}.{} over REST", n.family, n.path),
                detail,
                &old_loc,
                &n.loc,
            );
        }
        for (o, n) in forms.both {
            if o.form != n.form {
                let detail = format!("{:?} -> {:?}", o.form, n.form);
                self.push(
                    ChangeKind::RestFormChanged,
                    format!("{}.{} over REST", n.family, n.path),
                    detail,
                    &o.loc,
                    &n.loc,
                );
            }
        }
    }
}

impl ServiceWalk<'_, '_> {
    /// Where `family` is in the new spec (where what it lost is shown), or the new service.
    fn new_family_loc(&self, family: &str) -> crate::diag::Loc {
        self.new
            .family(family)
            .map_or_else(|| self.new.loc.clone(), |f| f.loc.clone())
    }
}

fn subject(op: &RestOperation) -> String {
    format!("REST operation {} {}", op.family, op.name)
}

/// What changed in a REST operation, one line each.
fn operation_changes(o: &RestOperation, n: &RestOperation) -> Vec<String> {
    let mut out = Vec::new();
    if o.route != n.route {
        out.push(format!(
            "route `{} {}` -> `{} {}`",
            o.route.method.name(),
            o.route.template(),
            n.route.method.name(),
            n.route.template()
        ));
    }
    if o.shape != n.shape {
        out.push(format!("carries {} -> {}", o.shape, n.shape));
    }
    if o.inputs != n.inputs || o.except != n.except {
        let show = |op: &RestOperation| match &op.inputs {
            Some(only) => format!("only {}", only.join(", ")),
            None if op.except.is_empty() => "every input".to_string(),
            None => format!("every input but {}", op.except.join(", ")),
        };
        out.push(format!("inputs: {} -> {}", show(o), show(n)));
    }
    if o.query != n.query {
        out.push(format!(
            "query: [{}] -> [{}]",
            o.query.join(", "),
            n.query.join(", ")
        ));
    }
    if o.implies != n.implies {
        let show = |op: &RestOperation| {
            op.implies
                .iter()
                .map(|(p, v)| format!("{p} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(format!("implies: [{}] -> [{}]", show(o), show(n)));
    }
    out
}
