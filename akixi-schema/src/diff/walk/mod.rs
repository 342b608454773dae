//! The comparison itself: the two models walked side by side, each pair of items matched by its
//! name (or code, or key), and every difference recorded as a [`Change`] whose impact comes from
//! [`ChangeKind::impact`]. Items inside something added or removed (the operations of a removed
//! family, the properties of a removed container) are not reported again.
//!
//! This module walks a service's own tables (platforms, types, Boolean spellings, binding rows)
//! with what [`common`] shares, and hands each family to [`family`] (its table, containers and operations), which hands each
//! property to [`property`] (its row, references, support and usage); [`errors`] walks the error
//! tables (categories, codes, conditions, partial-fail rules, permission verbs), [`rest`] the REST
//! binding.

mod common;
mod errors;
mod family;
mod property;
mod rest;

use crate::diag::Loc;
use crate::diff::change::Change;
use crate::diff::rules::{ChangeKind, Uses};
use crate::model::{Spec, TypeKind, ValueType};
use common::{ServiceWalk, kind_text, matched};

pub(super) fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Vec::new();
    for o in &old.services {
        match new.service(&o.name) {
            Some(n) => ServiceWalk {
                old: o,
                new: n,
                out: &mut out,
            }
            .walk(),
            None => out.push(Change {
                service: o.name.clone(),
                kind: ChangeKind::ServiceRemoved,
                subject: format!("service {}", o.name),
                detail: "removed".to_string(),
                old: Some(o.loc.clone()),
                new: None,
                impact: ChangeKind::ServiceRemoved.impact(Uses::default()),
            }),
        }
    }
    for n in &new.services {
        if old.service(&n.name).is_none() {
            out.push(Change {
                service: n.name.clone(),
                kind: ChangeKind::ServiceAdded,
                subject: format!("service {}", n.name),
                detail: "added".to_string(),
                old: None,
                new: Some(n.loc.clone()),
                impact: ChangeKind::ServiceAdded.impact(Uses::default()),
            });
        }
    }
    out
}

impl ServiceWalk<'_, '_> {
    fn walk(mut self) {
        let (old, new) = (self.old, self.new);
        if old.protocol() != new.protocol() {
            self.push(
                ChangeKind::ProtocolChanged,
                format!("service {}", new.name),
                format!(
                    "protocol `{}` -> `{}`",
                    old.protocol().name(),
                    new.protocol().name()
                ),
                &old.loc,
                &new.loc,
            );
        }
        self.platforms();
        self.types();
        self.boolean_spellings();
        self.errors();
        self.conditions();
        self.partial_rules();
        self.permission_verbs();
        if old.protocol() == new.protocol() {
            self.binding_rows();
        }
        self.rest();
        self.families();
    }

    /// A range that narrowed, widened, or both (moved), as one change each.
    fn ranges(
        &mut self,
        subject: &str,
        (omin, omax): (i64, i64),
        (nmin, nmax): (i64, i64),
        uses: Uses,
        (old, new): (&Loc, &Loc),
    ) {
        let detail = format!("range {omin}..={omax} -> {nmin}..={nmax}");
        if nmin > omin || nmax < omax {
            let kind = ChangeKind::RangeNarrowed;
            self.push_uses(kind, subject.into(), detail.clone(), old, new, uses);
        }
        if nmin < omin || nmax > omax {
            let kind = ChangeKind::RangeWidened;
            self.push_uses(kind, subject.into(), detail, old, new, uses);
        }
    }

    fn platforms(&mut self) {
        let m = matched(&self.old.platforms, &self.new.platforms, |p| p.id.clone());
        for p in m.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::PlatformRemoved,
                format!("platform {}", p.id),
                "removed".into(),
                &p.loc,
                &to,
            );
        }
        for p in m.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::PlatformAdded,
                format!("platform {}", p.id),
                "added".into(),
                &from,
                &p.loc,
            );
        }
    }

    /// How the properties of type `name` (or of a list of it, or of a selector falling back to
    /// it) are used, on either side.
    fn uses_of(&self, name: &str) -> Uses {
        let mut uses = Uses::default();
        for svc in [self.old, self.new] {
            let holders: Vec<&str> = svc
                .types
                .iter()
                .filter(|t| match &t.kind {
                    TypeKind::List { item } => item == name,
                    TypeKind::Selector { of, .. } => of == name,
                    _ => false,
                })
                .map(|t| t.name.as_str())
                .collect();
            for fam in &svc.families {
                for p in &fam.properties {
                    if p.ty != name && !holders.contains(&p.ty.as_str()) {
                        continue;
                    }
                    uses.input |= p.usage.iter().any(|u| u.input.is_some());
                    uses.output |= p.usage.iter().any(|u| u.returned.is_some());
                }
            }
        }
        uses
    }

    fn types(&mut self) {
        let m = matched(&self.old.types, &self.new.types, |t| t.name.clone());
        for t in m.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::TypeRemoved,
                format!("type {}", t.name),
                "removed".into(),
                &t.loc,
                &to,
            );
        }
        for (o, n) in m.both {
            self.type_pair(o, n);
        }
        for t in m.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::TypeAdded,
                format!("type {}", t.name),
                "added".into(),
                &from,
                &t.loc,
            );
        }
    }

    fn type_pair(&mut self, o: &ValueType, n: &ValueType) {
        let subject = format!("type {}", n.name);
        let shape = format!("{} -> {}", kind_text(&o.kind), kind_text(&n.kind));
        match (&o.kind, &n.kind) {
            (a, b) if a.name() != b.name() => {
                self.push(ChangeKind::TypeKindChanged, subject, shape, &o.loc, &n.loc);
                return;
            }
            (
                TypeKind::Integer {
                    min: omin,
                    max: omax,
                },
                TypeKind::Integer {
                    min: nmin,
                    max: nmax,
                },
            ) => {
                let uses = self.uses_of(&n.name);
                self.ranges(
                    &subject,
                    (*omin, *omax),
                    (*nmin, *nmax),
                    uses,
                    (&o.loc, &n.loc),
                );
            }
            (TypeKind::Secret { .. }, TypeKind::Secret { .. }) if o.kind != n.kind => {
                self.push(
                    ChangeKind::SecretWireChanged,
                    subject,
                    shape,
                    &o.loc,
                    &n.loc,
                );
            }
            (a, b) if a != b => {
                self.push(ChangeKind::TypeShapeChanged, subject, shape, &o.loc, &n.loc);
            }
            _ => {}
        }
        let m = matched(&o.values, &n.values, |v| v.value.clone());
        for v in m.removed {
            self.push(
                ChangeKind::ValueRemoved,
                format!("value `{}` of {}", v.value, n.name),
                format!("removed (variant {})", v.variant),
                &v.loc,
                &n.loc,
            );
        }
        for (ov, nv) in m.both {
            if ov.variant != nv.variant {
                self.push(
                    ChangeKind::ValueVariantRenamed,
                    format!("value `{}` of {}", nv.value, n.name),
                    format!("variant {} -> {}", ov.variant, nv.variant),
                    &ov.loc,
                    &nv.loc,
                );
            }
        }
        for v in m.added {
            self.push(
                ChangeKind::ValueAdded,
                format!("value `{}` of {}", v.value, n.name),
                format!("added (variant {})", v.variant),
                &o.loc,
                &v.loc,
            );
        }
    }

    fn boolean_spellings(&mut self) {
        let m = matched(
            &self.old.boolean_spellings,
            &self.new.boolean_spellings,
            |b| b.spelling.clone(),
        );
        for b in m.removed {
            let to = self.new.loc.clone();
            self.push(
                ChangeKind::BooleanSpellingRemoved,
                format!("Boolean spelling `{}`", b.spelling),
                "removed".into(),
                &b.loc,
                &to,
            );
        }
        for (o, n) in m.both {
            if o.value != n.value || o.canonical != n.canonical {
                self.push(
                    ChangeKind::BooleanSpellingChanged,
                    format!("Boolean spelling `{}`", n.spelling),
                    format!(
                        "{}{} -> {}{}",
                        o.value,
                        if o.canonical { " (canonical)" } else { "" },
                        n.value,
                        if n.canonical { " (canonical)" } else { "" }
                    ),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for b in m.added {
            let from = self.old.loc.clone();
            self.push(
                ChangeKind::BooleanSpellingAdded,
                format!("Boolean spelling `{}`", b.spelling),
                format!("added, meaning {}", b.value),
                &from,
                &b.loc,
            );
        }
    }

    fn binding_rows(&mut self) {
        let m = matched(&self.old.binding_rows, &self.new.binding_rows, |b| {
            b.key.clone()
        });
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        for b in m.removed {
            self.push(
                ChangeKind::BindingRowRemoved,
                format!("binding row {}", b.key),
                format!("removed (was `{}`)", b.value),
                &b.loc,
                &new_loc,
            );
        }
        for (o, n) in m.both {
            if o.value != n.value {
                self.push(
                    ChangeKind::BindingRowChanged,
                    format!("binding row {}", n.key),
                    format!("`{}` -> `{}`", o.value, n.value),
                    &o.loc,
                    &n.loc,
                );
            }
        }
        for b in m.added {
            self.push(
                ChangeKind::BindingRowAdded,
                format!("binding row {}", b.key),
                format!("added: `{}`", b.value),
                &old_loc,
                &b.loc,
            );
        }
    }

    fn families(&mut self) {
        let m = matched(&self.old.families, &self.new.families, |f| f.name.clone());
        let (old_loc, new_loc) = (self.old.loc.clone(), self.new.loc.clone());
        for f in m.removed {
            self.push(
                ChangeKind::FamilyRemoved,
                format!("family {}", f.name),
                format!("removed, with {} operation(s)", f.operations.len()),
                &f.loc,
                &new_loc,
            );
        }
        for (o, n) in m.both {
            family::FamilyWalk {
                svc: &mut *self,
                old: o,
                new: n,
                ops: Vec::new(),
            }
            .walk();
        }
        for f in m.added {
            self.push(
                ChangeKind::FamilyAdded,
                format!("family {}", f.name),
                format!("added, with {} operation(s)", f.operations.len()),
                &old_loc,
                &f.loc,
            );
        }
    }
}
