//! What the binding's rows refer to: properties, their types, the values of an enumeration.

use crate::diag::{DiagKind, Diagnostics, did_you_mean};
use crate::load::loader::Loaded;
use crate::model::{Property, TypeKind, ValueType};
use crate::table::Cell;

/// The property a binding row names (`TelSysID`), in any family and container; `None`, and a
/// diagnostic at the row, when no family defines it.
pub(super) fn property<'m>(
    d: &mut Diagnostics,
    spec: &Loaded<'m>,
    cell: &Cell,
) -> Option<&'m Property> {
    let all = || spec.families.iter().flat_map(|f| f.properties.iter());
    // A top-level property wins over one of the same name in a container.
    let found = all()
        .find(|p| p.name == cell.text && p.container.is_none())
        .or_else(|| all().find(|p| p.name == cell.text));
    if found.is_none() && !cell.text.is_empty() {
        let hint = did_you_mean(&cell.text, all().map(|p| p.name.as_str()))
            .unwrap_or_else(|| "name a property of a `properties` table".to_string());
        d.error_hint(
            &cell.loc,
            DiagKind::UnknownProperty,
            format!("no family has a property `{}`", cell.text),
            hint,
        );
    }
    found
}

/// The value type of `p`, if the spec defines it.
pub(super) fn type_of<'m>(spec: &Loaded<'m>, p: &Property) -> Option<&'m ValueType> {
    spec.types.iter().find(|t| t.name == p.ty)
}

/// Reports `p` (named by the binding row at `cell`) when its type is not one of `kinds`.
pub(super) fn expect_kind(
    d: &mut Diagnostics,
    spec: &Loaded<'_>,
    cell: &Cell,
    p: &Property,
    kinds: &[&str],
) {
    let Some(t) = type_of(spec, p) else { return };
    let kind = t.kind.name();
    if !kinds.contains(&kind) {
        d.error_hint(
            &cell.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` is of type `{}`, a `{kind}` type; this row needs {} type",
                p.name,
                t.name,
                kinds
                    .iter()
                    .map(|k| if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        format!("an {k}")
                    } else {
                        format!("a {k}")
                    })
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            format!("`{}` is defined at {}", p.name, p.loc),
        );
    }
}

/// Whether `value` is a value of the enumeration `t` (any text is, for a string type).
pub(super) fn is_value_of(t: &ValueType, value: &str) -> bool {
    match t.kind {
        TypeKind::Enum => t.values.iter().any(|v| v.value == value),
        _ => true,
    }
}
