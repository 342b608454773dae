//! One family on both sides: its `family` table, containers and operations (renames found by an
//! alias or by the only operation of a kind); its properties are [`super::property`]'s.

use super::common::{ServiceWalk, matched, shown};
use crate::diff::rules::ChangeKind;
use crate::model::{Family, Operation};

/// One family present on both sides.
pub(super) struct FamilyWalk<'a, 's, 'o> {
    pub(super) svc: &'s mut ServiceWalk<'a, 'o>,
    pub(super) old: &'a Family,
    pub(super) new: &'a Family,
    /// The operations on both sides (renamed ones paired), old then new.
    pub(super) ops: Vec<(&'a Operation, &'a Operation)>,
}

impl<'a> FamilyWalk<'a, '_, '_> {
    pub(super) fn walk(mut self) {
        self.table();
        self.containers();
        self.operations();
        self.properties();
    }

    fn table(&mut self) {
        let (o, n) = (&self.old.traits, &self.new.traits);
        let old_loc = o.loc.clone().unwrap_or_else(|| self.old.loc.clone());
        let new_loc = n.loc.clone().unwrap_or_else(|| self.new.loc.clone());
        let subject = format!("family {}", self.new.name);
        if o.permission != n.permission {
            self.svc.push(
                ChangeKind::FamilyPermissionChanged,
                subject.clone(),
                format!(
                    "permission {} -> {}",
                    shown(o.permission.as_deref()),
                    shown(n.permission.as_deref())
                ),
                o.permission_loc.as_ref().unwrap_or(&old_loc),
                n.permission_loc.as_ref().unwrap_or(&new_loc),
            );
        }
        use ChangeKind::{BillableChanged, FamilyTableChanged};
        let rows = [
            ("placement", o.placement != n.placement, FamilyTableChanged),
            ("search", o.search != n.search, FamilyTableChanged),
            ("platform", o.platform != n.platform, FamilyTableChanged),
            ("billable", o.billable != n.billable, BillableChanged),
            (
                "support-axis",
                o.support_axis != n.support_axis,
                FamilyTableChanged,
            ),
            ("accounts", o.accounts != n.accounts, FamilyTableChanged),
        ];
        for (key, changed, kind) in rows {
            if changed {
                self.svc.push(
                    kind,
                    subject.clone(),
                    format!("`{key}` changed"),
                    &old_loc,
                    &new_loc,
                );
            }
        }
    }

    fn containers(&mut self) {
        let m = matched(&self.old.containers, &self.new.containers, |c| {
            c.name.clone()
        });
        for c in m.removed {
            self.svc.push(
                ChangeKind::ContainerRemoved,
                format!("container {}.{}", self.new.name, c.name),
                "removed, with its properties".into(),
                &c.loc,
                &self.new.loc,
            );
        }
        for c in m.added {
            self.svc.push(
                ChangeKind::ContainerAdded,
                format!("container {}.{}", self.new.name, c.name),
                "added".into(),
                &self.old.loc,
                &c.loc,
            );
        }
    }

    fn operations(&mut self) {
        let mut m = matched(&self.old.operations, &self.new.operations, |o| {
            o.name.clone()
        });
        // Renames: the new name keeps the old one as an alias, or else the only operation of a
        // kind went and the only one of that kind came.
        let mut renamed = Vec::new();
        m.removed.retain(
            |o| match m.added.iter().position(|n| n.aliases.contains(&o.name)) {
                Some(i) => {
                    renamed.push((*o, m.added.remove(i), true));
                    false
                }
                None => true,
            },
        );
        let removed_kinds: Vec<_> = m.removed.iter().map(|o| o.kind).collect();
        let added_kinds: Vec<_> = m.added.iter().map(|o| o.kind).collect();
        let once = |kinds: &[crate::OpKind], k| kinds.iter().filter(|x| **x == k).count() == 1;
        m.removed.retain(|o| {
            if !(once(&removed_kinds, o.kind) && once(&added_kinds, o.kind)) {
                return true;
            }
            match m.added.iter().position(|n| n.kind == o.kind) {
                Some(i) => {
                    renamed.push((*o, m.added.remove(i), false));
                    false
                }
                None => true,
            }
        });
        for o in &m.removed {
            self.svc.push(
                ChangeKind::OperationRemoved,
                format!("operation {}", o.name),
                "removed".into(),
                &o.loc,
                &self.new.loc,
            );
        }
        for (o, n, alias) in renamed {
            let (kind, note) = if alias {
                (ChangeKind::OperationRenamedWithAlias, ", kept as an alias")
            } else {
                (ChangeKind::OperationRenamed, "")
            };
            self.svc.push(
                kind,
                format!("operation {}", n.name),
                format!("renamed from {}{note}", o.name),
                &o.loc,
                &n.loc,
            );
            self.ops.push((o, n));
        }
        self.ops.extend(m.both);
        for i in 0..self.ops.len() {
            let (o, n) = self.ops[i];
            self.operation_pair(o, n);
        }
        for n in &m.added {
            self.svc.push(
                ChangeKind::OperationAdded,
                format!("operation {}", n.name),
                format!("added ({})", n.kind.name()),
                &self.old.loc,
                &n.loc,
            );
        }
    }

    fn operation_pair(&mut self, o: &'a Operation, n: &'a Operation) {
        let subject = format!("operation {}", n.name);
        if o.kind != n.kind {
            self.svc.push(
                ChangeKind::OperationKindChanged,
                subject.clone(),
                format!("kind {} -> {}", o.kind.name(), n.kind.name()),
                &o.loc,
                &n.loc,
            );
        }
        if o.paged != n.paged {
            let kind = if n.paged {
                ChangeKind::PagingAdded
            } else {
                ChangeKind::PagingRemoved
            };
            let detail = if n.paged {
                "now paged"
            } else {
                "no longer paged"
            };
            self.svc
                .push(kind, subject.clone(), detail.into(), &o.loc, &n.loc);
        }
        if o.element != n.element {
            self.svc.push(
                ChangeKind::OperationElementChanged,
                subject.clone(),
                format!(
                    "element {} -> {}",
                    shown(o.element.as_deref()),
                    shown(n.element.as_deref())
                ),
                &o.loc,
                &n.loc,
            );
        }
        self.svc.aliases(
            &subject,
            (&o.aliases, &n.aliases),
            Some(&o.name),
            (
                ChangeKind::OperationAliasRemoved,
                ChangeKind::OperationAliasAdded,
            ),
            (&o.loc, &n.loc),
        );
        let m = matched(&o.errors, &n.errors, |e| e.code);
        for e in m.removed {
            self.svc.push(
                ChangeKind::OperationErrorRemoved,
                subject.clone(),
                format!("documents error {} no more", e.code),
                &e.loc,
                &n.loc,
            );
        }
        for e in m.added {
            self.svc.push(
                ChangeKind::OperationErrorAdded,
                subject.clone(),
                format!("documents error {}", e.code),
                &o.loc,
                &e.loc,
            );
        }
    }
}
