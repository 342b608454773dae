//! One family's properties on both sides: added (required or not), removed, and each pair's
//! type, access, default, aliases, reference, renames, element, support and usage.

use std::collections::HashSet;

use super::common::{
    SupportColumns, access_name, input_name, matched, on_delete_name, returned_name, same_shape,
    shown,
};
use super::family::FamilyWalk;
use crate::diff::rules::{ChangeKind, Uses};
use crate::model::{Access, Family, Input, Property, Returned, Service, TypeKind};

impl<'a> FamilyWalk<'a, '_, '_> {
    pub(super) fn properties(&mut self) {
        let m = matched(&self.old.properties, &self.new.properties, Property::path);
        let container_missing_in = |p: &Property, fam: &Family| {
            p.container
                .as_ref()
                .is_some_and(|c| fam.container(c).is_none())
        };
        let family = &self.new.name;
        for p in m.removed {
            if container_missing_in(p, self.new) {
                continue;
            }
            self.svc.push(
                ChangeKind::PropertyRemoved,
                format!("property {family}.{}", p.path()),
                "removed".into(),
                &p.loc,
                &self.new.loc,
            );
        }
        for (o, n) in m.both {
            self.property_pair(o, n);
        }
        // Operations present on both sides, by their new names.
        let kept: HashSet<&str> = self.ops.iter().map(|(_, n)| n.name.as_str()).collect();
        for p in m.added {
            let required: Vec<&str> = p
                .usage
                .iter()
                .filter(|u| {
                    matches!(u.input, Some(Input::Required | Input::Key))
                        && kept.contains(u.operation.as_str())
                })
                .map(|u| u.operation.as_str())
                .collect();
            // A new container's properties come with it, unless an operation requires one.
            if required.is_empty() && container_missing_in(p, self.old) {
                continue;
            }
            let (kind, detail) = if required.is_empty() {
                (ChangeKind::PropertyAdded, "added".to_string())
            } else {
                (
                    ChangeKind::PropertyAddedRequired,
                    format!("added, required by {}", required.join(", ")),
                )
            };
            self.svc.push(
                kind,
                format!("property {family}.{}", p.path()),
                detail,
                &self.old.loc,
                &p.loc,
            );
        }
    }

    fn property_pair(&mut self, o: &'a Property, n: &'a Property) {
        let subject = format!("property {}.{}", self.new.name, n.path());
        if o.ty != n.ty {
            let (ot, nt) = (self.svc.old.ty(&o.ty), self.svc.new.ty(&n.ty));
            let ranges = match (ot.map(|t| &t.kind), nt.map(|t| &t.kind)) {
                (
                    Some(&TypeKind::Integer { min, max }),
                    Some(&TypeKind::Integer {
                        min: nmin,
                        max: nmax,
                    }),
                ) => Some(((min, max), (nmin, nmax))),
                _ => None,
            };
            // Another integer type is another Rust type, and its range compared as a range.
            let kind = if same_shape(ot, nt) || ranges.is_some() {
                ChangeKind::PropertyTypeRenamed
            } else {
                ChangeKind::PropertyTypeChanged
            };
            self.svc.push(
                kind,
                subject.clone(),
                format!("type {} -> {}", o.ty, n.ty),
                &o.loc,
                &n.loc,
            );
            if let Some((was, is)) = ranges {
                let uses = Uses {
                    input: [o, n]
                        .iter()
                        .any(|p| p.usage.iter().any(|u| u.input.is_some())),
                    output: [o, n]
                        .iter()
                        .any(|p| p.usage.iter().any(|u| u.returned.is_some())),
                };
                self.svc.ranges(&subject, was, is, uses, (&o.loc, &n.loc));
            }
        }
        if o.access != n.access {
            let kind = if n.access == Access::ReadWrite {
                ChangeKind::AccessWidened
            } else {
                ChangeKind::AccessNarrowed
            };
            self.svc.push(
                kind,
                subject.clone(),
                format!(
                    "access {} -> {}",
                    access_name(o.access),
                    access_name(n.access)
                ),
                &o.loc,
                &n.loc,
            );
        }
        if o.default != n.default {
            let kind = if o.default.is_none() {
                ChangeKind::DefaultAdded
            } else {
                ChangeKind::DefaultChanged
            };
            self.svc.push(
                kind,
                subject.clone(),
                format!(
                    "default {} -> {}",
                    shown(o.default.as_deref()),
                    shown(n.default.as_deref())
                ),
                &o.loc,
                &n.loc,
            );
        }
        self.svc.aliases(
            &subject,
            (&o.aliases, &n.aliases),
            None,
            (
                ChangeKind::PropertyAliasRemoved,
                ChangeKind::PropertyAliasAdded,
            ),
            (&o.loc, &n.loc),
        );
        self.reference(&subject, o, n);
        if o.renames != n.renames {
            self.svc.push(
                ChangeKind::RenamesChanged,
                subject.clone(),
                format!(
                    "renames {} -> {}",
                    shown(o.renames.as_deref()),
                    shown(n.renames.as_deref())
                ),
                &o.loc,
                &n.loc,
            );
        }
        if o.element != n.element {
            self.svc.push(
                ChangeKind::PropertyElementChanged,
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
        self.support(&subject, o, n);
        self.usage(o, n);
    }

    fn reference(&mut self, subject: &str, o: &Property, n: &Property) {
        let (kind, detail, old_loc, new_loc) = match (&o.references, &n.references) {
            (None, Some(r)) => (
                ChangeKind::ReferenceAdded,
                format!(
                    "now names a {} ({} on delete)",
                    r.family,
                    on_delete_name(r.on_delete)
                ),
                &o.loc,
                &r.loc,
            ),
            (Some(r), None) => (
                ChangeKind::ReferenceRemoved,
                format!("no longer names a {}", r.family),
                &r.loc,
                &n.loc,
            ),
            (Some(a), Some(b)) if a.family != b.family || a.on_delete != b.on_delete => (
                ChangeKind::ReferenceChanged,
                format!(
                    "names a {} ({} on delete) -> a {} ({} on delete)",
                    a.family,
                    on_delete_name(a.on_delete),
                    b.family,
                    on_delete_name(b.on_delete)
                ),
                &a.loc,
                &b.loc,
            ),
            _ => return,
        };
        self.svc
            .push(kind, subject.to_string(), detail, old_loc, new_loc);
    }

    /// Support per platform (by id), and per value of the family's own axis (by wire value).
    fn support(&mut self, subject: &str, o: &Property, n: &Property) {
        let (old_svc, new_svc) = (self.svc.old, self.svc.new);
        let mut axes: Vec<(SupportColumns, SupportColumns)> = Vec::new();
        let by_platform = |svc: &Service, p: &Property| -> SupportColumns {
            svc.platforms
                .iter()
                .enumerate()
                .map(|(i, pl)| (pl.id.clone(), p.supported_on(i)))
                .collect()
        };
        axes.push((by_platform(old_svc, o), by_platform(new_svc, n)));
        let by_axis = |f: &Family, p: &Property| -> SupportColumns {
            match (&f.traits.support_axis, &p.axis_support) {
                (Some(axis), Some(s)) => axis
                    .columns
                    .iter()
                    .zip(s)
                    .map(|((value, _), on)| (value.clone(), *on))
                    .collect(),
                (Some(axis), None) => axis
                    .columns
                    .iter()
                    .map(|(v, _)| (v.clone(), true))
                    .collect(),
                (None, _) => Vec::new(),
            }
        };
        axes.push((by_axis(self.old, o), by_axis(self.new, n)));
        let (mut lost, mut gained) = (Vec::new(), Vec::new());
        for (was, is) in &axes {
            for (id, on) in is {
                match was.iter().find(|(w, _)| w == id) {
                    Some((_, true)) if !on => lost.push(id.as_str()),
                    Some((_, false)) if *on => gained.push(id.as_str()),
                    _ => {}
                }
            }
        }
        let old_loc = o.support_loc.as_ref().unwrap_or(&o.loc);
        let new_loc = n.support_loc.as_ref().unwrap_or(&n.loc);
        if !lost.is_empty() {
            self.svc.push(
                ChangeKind::SupportNarrowed,
                subject.to_string(),
                format!("no longer supported on {}", lost.join(", ")),
                old_loc,
                new_loc,
            );
        }
        if !gained.is_empty() {
            self.svc.push(
                ChangeKind::SupportWidened,
                subject.to_string(),
                format!("now supported on {}", gained.join(", ")),
                old_loc,
                new_loc,
            );
        }
    }

    /// How each operation on both sides uses the property.
    fn usage(&mut self, o: &Property, n: &Property) {
        for i in 0..self.ops.len() {
            let (oop, nop) = self.ops[i];
            let (ou, nu) = (o.usage(&oop.name), n.usage(&nop.name));
            let subject = format!("usage of {}.{} by {}", self.new.name, n.path(), nop.name);
            let old_loc = ou.map_or(&o.loc, |u| &u.loc);
            let new_loc = nu.map_or(&n.loc, |u| &u.loc);
            let (oi, ni) = (ou.and_then(|u| u.input), nu.and_then(|u| u.input));
            let must = |i: Option<Input>| matches!(i, Some(Input::Required | Input::Key));
            let input_kind = match (oi, ni) {
                (a, b) if a == b => None,
                (None, Some(Input::Optional)) => Some(ChangeKind::InputAddedOptional),
                (None, Some(_)) => Some(ChangeKind::InputAddedRequired),
                (Some(Input::Optional), b) if must(b) => Some(ChangeKind::InputBecameRequired),
                (Some(_), Some(Input::Optional)) => Some(ChangeKind::InputBecameOptional),
                (Some(_), None) => Some(ChangeKind::InputRemoved),
                _ => Some(ChangeKind::InputKeyChanged),
            };
            if let Some(kind) = input_kind {
                self.svc.push(
                    kind,
                    subject.clone(),
                    format!("{} -> {}", input_name(oi), input_name(ni)),
                    old_loc,
                    new_loc,
                );
            }
            let (or, nr) = (ou.and_then(|u| u.returned), nu.and_then(|u| u.returned));
            let output_kind = match (or, nr) {
                (a, b) if a == b => None,
                (None, Some(_)) => Some(ChangeKind::OutputAdded),
                (Some(_), None) => Some(ChangeKind::OutputRemoved),
                (_, Some(Returned::Default)) => Some(ChangeKind::OutputNowByDefault),
                _ => Some(ChangeKind::OutputNoLongerByDefault),
            };
            if let Some(kind) = output_kind {
                self.svc.push(
                    kind,
                    subject,
                    format!("{} -> {}", returned_name(or), returned_name(nr)),
                    old_loc,
                    new_loc,
                );
            }
        }
    }
}
