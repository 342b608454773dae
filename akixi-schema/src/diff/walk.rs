//! The comparison itself: the two models walked side by side, each pair of items matched by its
//! name (or code, or key), and every difference recorded as a [`Change`] whose impact comes from
//! [`ChangeKind::impact`]. Items inside something added or removed (the operations of a removed
//! family, the properties of a removed container) are not reported again.

use std::collections::HashSet;

use super::Change;
use super::rules::{ChangeKind, Uses};
use crate::diag::Loc;
use crate::model::{
    Access, Family, Input, OnDelete, Operation, Property, Returned, Service, Spec, TypeKind,
    ValueType,
};

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

/// The items of `old` and `new` matched by `key`: those only in the old, the pairs, those only
/// in the new (each in its side's order).
struct Matched<'a, T> {
    removed: Vec<&'a T>,
    both: Vec<(&'a T, &'a T)>,
    added: Vec<&'a T>,
}

fn matched<'a, T, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Matched<'a, T> {
    let mut m = Matched {
        removed: Vec::new(),
        both: Vec::new(),
        added: Vec::new(),
    };
    for o in old {
        match new.iter().find(|n| key(n) == key(o)) {
            Some(n) => m.both.push((o, n)),
            None => m.removed.push(o),
        }
    }
    for n in new {
        if !old.iter().any(|o| key(o) == key(n)) {
            m.added.push(n);
        }
    }
    m
}

fn access_name(access: Access) -> &'static str {
    match access {
        Access::ReadWrite => "read-write",
        Access::ReadOnlyAfterCreation => "read-only-after-creation",
        Access::WriteOnly => "write-only",
    }
}

fn on_delete_name(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Refuse => "refuse",
        OnDelete::Cascade => "cascade",
    }
}

fn input_name(input: Option<Input>) -> &'static str {
    match input {
        None => "not taken",
        Some(Input::Required) => "required",
        Some(Input::Optional) => "optional",
        Some(Input::Key) => "key",
    }
}

fn returned_name(returned: Option<Returned>) -> &'static str {
    match returned {
        None => "not returned",
        Some(Returned::Returned) => "returned",
        Some(Returned::Default) => "returned by default",
    }
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

/// Whether two value types have the same shape on the wire: kind, bounds and listed values.
fn same_shape(a: Option<&ValueType>, b: Option<&ValueType>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.kind == b.kind
                && a.values
                    .iter()
                    .map(|v| &v.value)
                    .eq(b.values.iter().map(|v| &v.value))
        }
        _ => false,
    }
}

fn kind_text(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Integer { min, max } => format!("integer {min}..={max}"),
        TypeKind::List { item } => format!("list of {item}"),
        TypeKind::Selector { variant, of } => format!("selector {variant}({of})"),
        TypeKind::Fields { operation } => format!("fields of {operation}"),
        TypeKind::Secret { wire } => format!("secret ({wire:?})").to_lowercase(),
        other => other.name().to_string(),
    }
}

/// One service present on both sides.
struct ServiceWalk<'a, 'o> {
    old: &'a Service,
    new: &'a Service,
    out: &'o mut Vec<Change>,
}

impl<'a> ServiceWalk<'a, '_> {
    fn push_uses(
        &mut self,
        kind: ChangeKind,
        subject: String,
        detail: String,
        old: &Loc,
        new: &Loc,
        uses: Uses,
    ) {
        self.out.push(Change {
            service: self.new.name.clone(),
            kind,
            subject,
            detail,
            old: Some(old.clone()),
            new: Some(new.clone()),
            impact: kind.impact(uses),
        });
    }

    fn push(&mut self, kind: ChangeKind, subject: String, detail: String, old: &Loc, new: &Loc) {
        self.push_uses(kind, subject, detail, old, new, Uses::default());
    }

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

    /// How the properties of type `name` (or of a list of it) are used, on either side.
    fn uses_of(&self, name: &str) -> Uses {
        let mut uses = Uses::default();
        for svc in [self.old, self.new] {
            let list_types: Vec<&str> = svc
                .types
                .iter()
                .filter(|t| matches!(&t.kind, TypeKind::List { item } if item == name))
                .map(|t| t.name.as_str())
                .collect();
            for fam in &svc.families {
                for p in &fam.properties {
                    if p.ty != name && !list_types.contains(&p.ty.as_str()) {
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

    fn errors(&mut self) {
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

    fn conditions(&mut self) {
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

    fn partial_rules(&mut self) {
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

    fn permission_verbs(&mut self) {
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
            FamilyWalk {
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

/// One family present on both sides.
struct FamilyWalk<'a, 's, 'o> {
    svc: &'s mut ServiceWalk<'a, 'o>,
    old: &'a Family,
    new: &'a Family,
    /// The operations on both sides (renamed ones paired), old then new.
    ops: Vec<(&'a Operation, &'a Operation)>,
}

impl<'a> FamilyWalk<'a, '_, '_> {
    fn walk(mut self) {
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
        let rows: [(&str, String, String); 6] = [
            (
                "placement",
                format!("{:?}", o.placement),
                format!("{:?}", n.placement),
            ),
            (
                "search",
                format!("{:?}", o.search),
                format!("{:?}", n.search),
            ),
            (
                "platform",
                format!("{:?}", o.platform),
                format!("{:?}", n.platform),
            ),
            (
                "billable",
                format!("{:?}", o.billable),
                format!("{:?}", n.billable),
            ),
            (
                "support-axis",
                format!("{:?}", o.support_axis),
                format!("{:?}", n.support_axis),
            ),
            (
                "accounts",
                format!("{:?}", o.accounts),
                format!("{:?}", n.accounts),
            ),
        ];
        for (key, was, is) in rows {
            if was != is {
                self.svc.push(
                    ChangeKind::FamilyTableChanged,
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
        for a in o.aliases.iter().filter(|a| !n.aliases.contains(a)) {
            self.svc.push(
                ChangeKind::OperationAliasRemoved,
                subject.clone(),
                format!("alias `{a}` removed"),
                &o.loc,
                &n.loc,
            );
        }
        for a in n
            .aliases
            .iter()
            .filter(|a| !o.aliases.contains(a) && **a != o.name)
        {
            self.svc.push(
                ChangeKind::OperationAliasAdded,
                subject.clone(),
                format!("alias `{a}` added"),
                &o.loc,
                &n.loc,
            );
        }
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

    fn properties(&mut self) {
        let m = matched(&self.old.properties, &self.new.properties, Property::path);
        let container_went = |p: &Property, fam: &Family| {
            p.container
                .as_ref()
                .is_some_and(|c| fam.container(c).is_none())
        };
        let family = &self.new.name;
        for p in m.removed {
            if container_went(p, self.new) {
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
            if container_went(p, self.old) {
                continue;
            }
            let required: Vec<&str> = p
                .usage
                .iter()
                .filter(|u| {
                    matches!(u.input, Some(Input::Required | Input::Key))
                        && kept.contains(u.operation.as_str())
                })
                .map(|u| u.operation.as_str())
                .collect();
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
        for a in o.aliases.iter().filter(|a| !n.aliases.contains(a)) {
            self.svc.push(
                ChangeKind::PropertyAliasRemoved,
                subject.clone(),
                format!("alias `{a}` removed"),
                &o.loc,
                &n.loc,
            );
        }
        for a in n.aliases.iter().filter(|a| !o.aliases.contains(a)) {
            self.svc.push(
                ChangeKind::PropertyAliasAdded,
                subject.clone(),
                format!("alias `{a}` added"),
                &o.loc,
                &n.loc,
            );
        }
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
        let mut axes: Vec<(Vec<(String, bool)>, Vec<(String, bool)>)> = Vec::new();
        let by_platform = |svc: &Service, p: &Property| -> Vec<(String, bool)> {
            svc.platforms
                .iter()
                .enumerate()
                .map(|(i, pl)| (pl.id.clone(), p.supported_on(i)))
                .collect()
        };
        axes.push((by_platform(old_svc, o), by_platform(new_svc, n)));
        let by_axis = |f: &Family, p: &Property| -> Vec<(String, bool)> {
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
