//! What makes one account stronger than another, from an accounts family's `family` table:
//! `account-grants` (lists of permission tokens), `account-flags` (Booleans whose `True` is a
//! right) and `account-tiers` (enumerations whose values are ordered, weakest first). Each
//! path is checked against the family's properties and types, and a tier must rank every value
//! of its type once, so that the simulator can compare any two accounts without guessing.

use super::loader::ServiceLoader;
use super::names::split_list;
use crate::diag::DiagKind;
use crate::model::{Family, Property, Rights, Tier, TypeKind, ValueType};
use crate::table::Cell;

/// The cells of an accounts family's rights rows.
pub(super) struct RightsCells {
    pub(super) grants: Option<Cell>,
    pub(super) flags: Option<Cell>,
    pub(super) tiers: Option<Cell>,
}

impl<'a> ServiceLoader<'a> {
    /// The rights of `fam`'s accounts; `permissions` (the account-permissions path) is always
    /// among the grants. `None` after a diagnostic.
    pub(super) fn rights(
        &mut self,
        fam: &Family,
        permissions: &str,
        cells: &RightsCells,
        types: &[ValueType],
    ) -> Option<Rights> {
        let mut rights = Rights::default();
        let mut ok = true;
        if let Some(cell) = &cells.grants {
            for path in split_list(&cell.text) {
                let is_list = self.right_property(fam, &path, cell).is_some_and(|p| {
                    kind_of(p, types).is_some_and(|k| matches!(k, TypeKind::List { .. }))
                });
                if !is_list {
                    ok &= self.not_a(fam, &path, cell, "a list of permission tokens");
                } else if !rights.grants.contains(&path) {
                    rights.grants.push(path);
                }
            }
        }
        if !rights.grants.iter().any(|g| g == permissions) {
            rights.grants.insert(0, permissions.to_owned());
        }
        if let Some(cell) = &cells.flags {
            for path in split_list(&cell.text) {
                let is_bool = self
                    .right_property(fam, &path, cell)
                    .is_some_and(|p| kind_of(p, types) == Some(&TypeKind::Boolean));
                if !is_bool {
                    ok &= self.not_a(fam, &path, cell, "a Boolean");
                } else if !rights.flags.contains(&path) {
                    rights.flags.push(path);
                }
            }
        }
        if let Some(cell) = &cells.tiers {
            for entry in cell
                .text
                .split(';')
                .map(str::trim)
                .filter(|e| !e.is_empty())
            {
                match self.tier(fam, entry, cell, types) {
                    Some(t) => rights.tiers.push(t),
                    None => ok = false,
                }
            }
        }
        ok.then_some(rights)
    }

    /// One `Path: Weakest < … < Strongest` entry of `account-tiers`.
    fn tier(
        &mut self,
        fam: &Family,
        entry: &str,
        cell: &Cell,
        types: &[ValueType],
    ) -> Option<Tier> {
        let Some((path, order)) = entry.split_once(':') else {
            self.d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                format!("`account-tiers` entry `{entry}` has no `:`"),
                "write `Container.Name: Weakest < … < Strongest`, entries separated by `;`",
            );
            return None;
        };
        let path = path.trim();
        let p = self.right_property(fam, path, cell)?;
        let ty = types
            .iter()
            .find(|t| t.name == p.ty && t.kind == TypeKind::Enum);
        let Some(ty) = ty else {
            self.not_a(fam, path, cell, "an enumeration");
            return None;
        };
        let order: Vec<String> = order
            .split('<')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect();
        let known: Vec<&str> = ty.values.iter().map(|v| v.value.as_str()).collect();
        for (i, v) in order.iter().enumerate() {
            if !known.contains(&v.as_str()) {
                self.not_a_value(&cell.loc, v, ty);
                return None;
            }
            if order[..i].contains(v) {
                self.d.error_hint(
                    &cell.loc,
                    DiagKind::Duplicate,
                    format!("`{v}` is ranked twice in the tiers of `{path}`"),
                    "rank each value once, weakest first",
                );
                return None;
            }
        }
        let unranked: Vec<&str> = known
            .iter()
            .copied()
            .filter(|k| !order.iter().any(|v| v == k))
            .collect();
        if !unranked.is_empty() {
            self.d.error_hint(
                &cell.loc,
                DiagKind::Inconsistent,
                format!("the tiers of `{path}` leave out {}", unranked.join(", ")),
                format!("rank every value of `{}`, weakest first", ty.name),
            );
            return None;
        }
        Some(Tier {
            property: path.to_owned(),
            order,
        })
    }

    /// The property at `path` (`Container.Name` or `Name`), or a diagnostic at `cell`.
    fn right_property<'f>(
        &mut self,
        fam: &'f Family,
        path: &str,
        cell: &Cell,
    ) -> Option<&'f Property> {
        let found = fam.property(path);
        if found.is_none() {
            self.d.error_hint(
                &cell.loc,
                DiagKind::UnknownProperty,
                format!("family `{}` has no property `{path}`", fam.name),
                "write the property's path (`Container.Name` or `Name`)",
            );
        }
        found
    }

    /// Reports that the property at `path` is not `wanted` (when it exists); always `false`.
    fn not_a(&mut self, fam: &Family, path: &str, cell: &Cell, wanted: &str) -> bool {
        if fam.property(path).is_some() {
            self.d.error_hint(
                &cell.loc,
                DiagKind::Inconsistent,
                format!("`{path}` of family `{}` is not {wanted}", fam.name),
                "a right is a list of tokens (grants), a Boolean (flags) or an enumeration (tiers)",
            );
        }
        false
    }
}

/// The kind of `p`'s type.
fn kind_of<'t>(p: &Property, types: &'t [ValueType]) -> Option<&'t TypeKind> {
    types.iter().find(|t| t.name == p.ty).map(|t| &t.kind)
}
