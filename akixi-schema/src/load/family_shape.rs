//! The facts that shape a family beyond its permission and accounts: which entities are billable,
//! a support axis of the family's own (its matrices headed by an enumeration's values rather
//! than the platforms), properties that rename a key, and other spellings of operation names.
//! Each is checked against the family's properties and types, so that tools can trust it.

use std::collections::HashMap;

use super::loader::ServiceLoader;
use super::names::split_list;
use super::traits::TraitContext;
use crate::diag::{DiagKind, Loc};
use crate::model::{Access, Billable, Family, OpKind, Property, SupportAxis, TypeKind, ValueType};
use crate::table::Cell;

impl<'a> ServiceLoader<'a> {
    /// The top-level property `name` of `fam`, or a diagnostic at `at` saying what it was for.
    fn top_level<'f>(
        &mut self,
        fam: &'f Family,
        name: &str,
        at: &Loc,
        purpose: &str,
    ) -> Option<&'f Property> {
        let found = fam.property(name).filter(|p| p.container.is_none());
        if found.is_none() {
            self.d.error_hint(
                at,
                DiagKind::UnknownProperty,
                format!("family `{}` has no top-level property `{name}`", fam.name),
                purpose.to_string(),
            );
        }
        found
    }

    /// `billable`: `yes`, `no`, or `Property = Value, Value`.
    pub(super) fn billable(
        &mut self,
        fam: &Family,
        cell: &Cell,
        types: &[ValueType],
    ) -> Option<Billable> {
        match cell.text.as_str() {
            "yes" => return Some(Billable::Always),
            "no" => return Some(Billable::Never),
            _ => {}
        }
        let Some((name, values)) = cell.text.split_once('=') else {
            self.d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                format!("`billable` = `{}`", cell.text),
                "write `yes`, `no`, or `Property = Value, …` (the values that make an entry billable)",
            );
            return None;
        };
        let values = split_list(values);
        let p = self.top_level(
            fam,
            name.trim(),
            &cell.loc,
            "name the property whose value decides",
        )?;
        if values.is_empty() {
            self.d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                "`billable` names no value",
                "list the values that make an entry billable after `=`",
            );
            return None;
        }
        if let Some(ty) = types
            .iter()
            .find(|t| t.name == p.ty && t.kind == TypeKind::Enum)
        {
            for v in &values {
                if !ty.values.iter().any(|known| &known.value == v) {
                    self.not_a_value(&cell.loc, v, ty);
                    return None;
                }
            }
        }
        Some(Billable::When {
            property: p.name.clone(),
            values,
        })
    }

    /// `support-axis`: a top-level enumeration whose values head the family's support matrices.
    pub(super) fn support_axis(
        &mut self,
        fam: &Family,
        cell: &Cell,
        cx: &TraitContext<'_>,
    ) -> Option<SupportAxis> {
        let p = self.top_level(
            fam,
            &cell.text,
            &cell.loc,
            "name the property whose values head the family's support matrices",
        )?;
        let ty = cx.types.iter().find(|t| t.name == p.ty)?;
        if ty.kind != TypeKind::Enum || ty.values.is_empty() {
            self.d.error_hint(
                &cell.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` is of type `{}`, which is not an enum with values",
                    p.name, ty.name
                ),
                "a support axis is an enum; its values (or their `Matrix Column`) head the matrices",
            );
            return None;
        }
        Some(SupportAxis {
            property: p.name.clone(),
            columns: ty
                .values
                .iter()
                .map(|v| {
                    let column = v.matrix_column.clone().unwrap_or_else(|| v.value.clone());
                    (v.value.clone(), column)
                })
                .collect(),
        })
    }

    /// A property that renames a key must be optional input of `change` operations only, and
    /// name a top-level key of its family; operation aliases must not collide with any name.
    pub(super) fn check_renames_and_aliases(&mut self, families: &[Family]) {
        for fam in families {
            let keys: Vec<&str> = fam.keys().map(|k| k.name.as_str()).collect();
            for p in &fam.properties {
                let Some(target) = &p.renames else { continue };
                if !keys.contains(&target.as_str()) || p.container.is_some() {
                    self.d.error_hint(
                        &p.loc,
                        DiagKind::Inconsistent,
                        format!("`{}` renames `{target}`, which is not a key", p.path()),
                        format!(
                            "a top-level renaming property names a key of `{}`: {}",
                            fam.name,
                            keys.join(", ")
                        ),
                    );
                }
                let misused = p.usage.iter().filter(|u| u.input.is_some()).find(|u| {
                    fam.operations
                        .iter()
                        .any(|o| o.name == u.operation && o.kind != OpKind::Change)
                });
                if let Some(u) = misused {
                    self.d.error(
                        &p.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` renames a key, but `{}` (not a change) takes it",
                            p.path(),
                            u.operation
                        ),
                    );
                }
                if p.access != Access::ReadWrite {
                    self.d.error(
                        &p.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` renames a key, so it cannot have an access rule",
                            p.path()
                        ),
                    );
                }
            }
        }
        let mut names: HashMap<&str, &Loc> = HashMap::new();
        for op in families.iter().flat_map(|f| &f.operations) {
            names.insert(op.name.as_str(), &op.loc);
        }
        for op in families.iter().flat_map(|f| &f.operations) {
            for alias in &op.aliases {
                if let Some(prev) = names.insert(alias.as_str(), &op.loc) {
                    self.d.error_hint(
                        &op.loc,
                        DiagKind::Duplicate,
                        format!(
                            "`{}`'s alias `{alias}` is already an operation name or alias",
                            op.name
                        ),
                        format!("first used at {prev}"),
                    );
                }
            }
        }
    }
}
