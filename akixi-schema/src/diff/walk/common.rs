//! What every part of the walk shares: the service pair it walks ([`ServiceWalk`], which
//! records each change with its impact), matching items by key, and the words details use.

use crate::diag::Loc;
use crate::diff::change::Change;
use crate::diff::rules::{ChangeKind, Uses};
use crate::model::{Access, Input, OnDelete, Returned, Service, TypeKind, ValueType};

/// The items of `old` and `new` matched by `key`: those only in the old, the pairs, those only
/// in the new (each in its side's order).
pub(super) struct Matched<'a, T> {
    pub(super) removed: Vec<&'a T>,
    pub(super) both: Vec<(&'a T, &'a T)>,
    pub(super) added: Vec<&'a T>,
}

pub(super) fn matched<'a, T, K: PartialEq>(
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

pub(super) fn access_name(access: Access) -> &'static str {
    match access {
        Access::ReadWrite => "read-write",
        Access::ReadOnlyAfterCreation => "read-only-after-creation",
        Access::WriteOnly => "write-only",
    }
}

pub(super) fn on_delete_name(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Refuse => "refuse",
        OnDelete::Cascade => "cascade",
    }
}

pub(super) fn input_name(input: Option<Input>) -> &'static str {
    match input {
        None => "not taken",
        Some(Input::Required) => "required",
        Some(Input::Optional) => "optional",
        Some(Input::Key) => "key",
    }
}

pub(super) fn returned_name(returned: Option<Returned>) -> &'static str {
    match returned {
        None => "not returned",
        Some(Returned::Returned) => "returned",
        Some(Returned::Default) => "returned by default",
    }
}

pub(super) fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

/// Whether two value types have the same shape on the wire: kind, bounds and listed values.
pub(super) fn same_shape(a: Option<&ValueType>, b: Option<&ValueType>) -> bool {
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

pub(super) fn kind_text(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Integer { min, max } => format!("integer {min}..={max}"),
        TypeKind::List { item } => format!("list of {item}"),
        TypeKind::Selector { variant, of } => format!("selector {variant}({of})"),
        TypeKind::Fields { operation } => format!("fields of {operation}"),
        TypeKind::Secret { wire } => format!("secret ({wire:?})").to_lowercase(),
        other => other.name().to_string(),
    }
}

/// Whether a property is supported, per platform id or per value of a support axis.
pub(super) type SupportColumns = Vec<(String, bool)>;

/// One service present on both sides.
pub(super) struct ServiceWalk<'a, 'o> {
    pub(super) old: &'a Service,
    pub(super) new: &'a Service,
    pub(super) out: &'o mut Vec<Change>,
}

impl<'a> ServiceWalk<'a, '_> {
    pub(super) fn push_uses(
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

    pub(super) fn push(
        &mut self,
        kind: ChangeKind,
        subject: String,
        detail: String,
        old: &Loc,
        new: &Loc,
    ) {
        self.push_uses(kind, subject, detail, old, new, Uses::default());
    }

    /// One change per alias `old` lists and `new` does not (`removed`), and per alias `new`
    /// lists and `old` does not (`added`), `skip` aside (an operation's old name, when the
    /// rename left it as an alias: reported as the rename).
    pub(super) fn aliases(
        &mut self,
        subject: &str,
        (old, new): (&[String], &[String]),
        skip: Option<&str>,
        (removed, added): (ChangeKind, ChangeKind),
        (old_loc, new_loc): (&Loc, &Loc),
    ) {
        for a in old.iter().filter(|a| !new.contains(a)) {
            let detail = format!("alias `{a}` removed");
            self.push(removed, subject.to_string(), detail, old_loc, new_loc);
        }
        for a in new
            .iter()
            .filter(|a| !old.contains(a) && Some(a.as_str()) != skip)
        {
            let detail = format!("alias `{a}` added");
            self.push(added, subject.to_string(), detail, old_loc, new_loc);
        }
    }
}
