//! Families: operations, containers, properties, how operations use them and which platforms
//! support them.

use super::loader::ServiceLoader;
use super::names::{cell_name, split_list};
use super::tables::{KeyForm, KeySpec, Rows};
use crate::diag::{DiagKind, Loc, did_you_mean};
use crate::model::{
    Access, Container, Family, FamilyTraits, Input, OnDelete, OpKind, Operation, Platform,
    Property, Reference, Returned, TypeKind, Usage, ValueType,
};
use crate::table::Cell;

/// The family a table's file declares.
pub(super) fn family_of(rows: &Rows<'_>) -> Option<(String, Loc)> {
    rows.doc
        .directives
        .iter()
        .find(|d| d.key == "family")
        .map(|d| (d.value.text.clone(), d.value.loc.clone()))
}

/// The family named `name`, added (declared at `loc`) if new.
fn family_mut<'f>(families: &'f mut Vec<Family>, name: &str, loc: &Loc) -> &'f mut Family {
    let idx = match families.iter().position(|f| f.name == name) {
        Some(i) => i,
        None => {
            families.push(Family {
                name: name.to_string(),
                loc: loc.clone(),
                operations: Vec::new(),
                containers: Vec::new(),
                properties: Vec::new(),
                traits: FamilyTraits::default(),
            });
            families.len() - 1
        }
    };
    &mut families[idx]
}

impl<'a> ServiceLoader<'a> {
    /// The `operations`, `containers` and `properties` tables of every family.
    pub(super) fn load_families(&mut self, types: &[ValueType]) -> Vec<Family> {
        let mut families: Vec<Family> = Vec::new();
        self.load_operations(&mut families);
        self.load_containers(&mut families);
        self.load_properties(&mut families, types);
        families
    }

    /// Operation names are unique across the service (they are its wire names).
    fn load_operations(&mut self, families: &mut Vec<Family>) {
        let spec = KeySpec {
            column: "Operation",
            what: "operation",
            form: KeyForm::Ident,
        };
        for k in self.unique_rows("operations", spec) {
            let (rows, row, name) = (&k.rows, k.row, k.key);
            let (Some((fname, floc)), Some(kind)) = (family_of(rows), rows.cell(row, "Kind"))
            else {
                continue;
            };
            let Some((_, op_kind)) = OpKind::ALL.iter().find(|(n, _)| *n == kind.text) else {
                let names: Vec<_> = OpKind::ALL.iter().map(|(n, _)| *n).collect();
                let hint = did_you_mean(&kind.text, names.iter().copied())
                    .unwrap_or_else(|| format!("kinds: {}", names.join(", ")));
                self.d.error_hint(
                    &kind.loc,
                    DiagKind::BadValue,
                    format!("unknown operation kind `{}`", kind.text),
                    hint,
                );
                continue;
            };
            let paged = rows.cell(row, "Paged").is_some_and(|c| self.yes_no(c));
            if paged
                && *op_kind != OpKind::List
                && let Some(c) = rows.cell(row, "Paged")
            {
                self.d.error(
                    &c.loc,
                    DiagKind::Inconsistent,
                    "only `list` operations page",
                );
            }
            let provenance = self.provenance(rows, row);
            family_mut(families, &fname, &floc)
                .operations
                .push(Operation {
                    name: name.text.clone(),
                    kind: *op_kind,
                    description: rows.text(row, "Description").to_string(),
                    paged,
                    element: rows.optional(row, "Element"),
                    aliases: split_list(rows.text(row, "Aliases")),
                    errors: Vec::new(),
                    provenance,
                    loc: name.loc.clone(),
                });
        }
    }

    /// Container names are unique within their family.
    fn load_containers(&mut self, families: &mut Vec<Family>) {
        let spec = KeySpec {
            column: "Container",
            what: "container",
            form: KeyForm::Ident,
        };
        let rows = self.keyed_rows("containers", spec, |rows, _, key| {
            Some((family_of(rows)?.0, key.text.clone()))
        });
        for k in rows {
            let Some((fname, floc)) = family_of(&k.rows) else {
                continue;
            };
            let provenance = self.provenance(&k.rows, k.row);
            family_mut(families, &fname, &floc)
                .containers
                .push(Container {
                    name: k.key.text.clone(),
                    description: k.rows.text(k.row, "Description").to_string(),
                    provenance,
                    loc: k.key.loc.clone(),
                });
        }
    }

    /// Property names are unique within their family and container.
    fn load_properties(&mut self, families: &mut Vec<Family>, types: &[ValueType]) {
        let spec = KeySpec {
            column: "Property",
            what: "property",
            form: KeyForm::Ident,
        };
        let rows = self.keyed_rows("properties", spec, |rows, row, key| {
            let path = match rows.given(row, "Container") {
                Some(c) => format!("{}.{}", c.text, key.text),
                None => key.text.clone(),
            };
            Some((family_of(rows)?.0, path))
        });
        for k in rows {
            let (rows, row, name) = (&k.rows, k.row, k.key);
            let (Some((fname, floc)), Some(ty)) = (family_of(rows), rows.cell(row, "Type")) else {
                continue;
            };
            if ty.text.is_empty() {
                self.d.error_hint(
                    &ty.loc,
                    DiagKind::Missing,
                    format!("property `{}` has no type", name.text),
                    "name a type of the `types` table",
                );
            } else if !types.iter().any(|t| t.name == ty.text) {
                let hint = did_you_mean(&ty.text, types.iter().map(|t| t.name.as_str()))
                    .unwrap_or_else(|| "define it in the `types` table".to_string());
                self.d.error_hint(
                    &ty.loc,
                    DiagKind::UnknownType,
                    format!("unknown type `{}`", ty.text),
                    hint,
                );
            }
            let access = self.access(rows.cell(row, "Access"));
            let references =
                self.reference(rows.given(row, "References"), rows.given(row, "On Delete"));
            let provenance = self.provenance(rows, row);
            let fam = family_mut(families, &fname, &floc);
            let container = rows.given(row, "Container");
            if let Some(c) = container
                && fam.container(&c.text).is_none()
            {
                let hint = did_you_mean(&c.text, fam.containers.iter().map(|c| c.name.as_str()))
                    .unwrap_or_else(|| "define it in the `containers` table".to_string());
                self.d.error_hint(
                    &c.loc,
                    DiagKind::UnknownContainer,
                    format!("unknown container `{}`", c.text),
                    hint,
                );
            }
            fam.properties.push(Property {
                name: name.text.clone(),
                container: container.map(|c| c.text.clone()),
                ty: ty.text.clone(),
                access,
                aliases: split_list(rows.text(row, "Aliases")),
                default: rows.optional(row, "Default"),
                references,
                renames: rows.optional(row, "Renames"),
                element: rows.optional(row, "Element"),
                net_type: rows.optional(row, ".NET Type"),
                description: rows.text(row, "Description").to_string(),
                support: None,
                axis_support: None,
                support_loc: None,
                usage: Vec::new(),
                provenance,
                loc: name.loc.clone(),
            });
        }
    }

    fn access(&mut self, cell: Option<&Cell>) -> Access {
        let text = cell.map_or("", |c| c.text.as_str());
        if let Some((_, a)) = Access::ALL.iter().find(|(n, _)| *n == text) {
            return *a;
        }
        if let Some(c) = cell {
            self.d.error_hint(
                &c.loc,
                DiagKind::BadValue,
                format!("unknown access `{}`", c.text),
                "use `read-only-after-creation`, `write-only` or leave it empty",
            );
        }
        Access::ReadWrite
    }

    /// The `References` and `On Delete` cells (the family is checked once every family is
    /// loaded).
    fn reference(&mut self, family: Option<&Cell>, on_delete: Option<&Cell>) -> Option<Reference> {
        let choice = on_delete.map_or(Some(OnDelete::Refuse), |c| {
            OnDelete::ALL
                .iter()
                .find(|(n, _)| *n == c.text)
                .map(|(_, o)| *o)
        });
        match (family, on_delete, choice) {
            (_, Some(c), None) => {
                self.d.error_hint(
                    &c.loc,
                    DiagKind::BadValue,
                    format!("unknown `On Delete` value `{}`", c.text),
                    "use `refuse`, `cascade` or leave it empty",
                );
                None
            }
            (None, Some(c), Some(_)) => {
                self.d.error_hint(
                    &c.loc,
                    DiagKind::Inconsistent,
                    "`On Delete` without `References`",
                    "name the family the property references, or leave `On Delete` empty",
                );
                None
            }
            (Some(f), _, Some(on_delete)) => Some(Reference {
                family: f.text.clone(),
                on_delete,
                loc: f.loc.clone(),
            }),
            (None, None, _) | (_, None, None) => None,
        }
    }

    /// Resolve a row label (`Scope.TelSysID`, or `TelSysID – Scope Container` in a matrix) to a property.
    fn find_property(
        &mut self,
        fam: &Family,
        container: Option<&str>,
        name: &str,
        cell: &Cell,
    ) -> Option<usize> {
        let found = fam
            .properties
            .iter()
            .position(|p| p.name == name && p.container.as_deref() == container);
        if found.is_none() {
            let what = match container {
                Some(c) => format!("{c}.{name}"),
                None => name.to_string(),
            };
            let hint = did_you_mean(
                &what,
                fam.properties
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_else(|| {
                format!(
                    "define it in the `properties` table of family `{}`",
                    fam.name
                )
            });
            self.d.error_hint(
                &cell.loc,
                DiagKind::UnknownProperty,
                format!("no property `{what}` in family `{}`", fam.name),
                hint,
            );
        }
        found
    }

    pub(super) fn load_usage(&mut self, families: &mut [Family]) {
        for rows in self.tables("usage") {
            let Some((fname, _)) = family_of(&rows) else {
                continue;
            };
            let Some(fi) = families.iter().position(|f| f.name == fname) else {
                self.d.error(
                    &rows.table.loc,
                    DiagKind::UnknownOperation,
                    format!("family `{fname}` has no operations"),
                );
                continue;
            };
            // Columns after `Property` name operations of this family.
            let mut op_cols: Vec<(usize, String)> = Vec::new();
            for (i, h) in rows.table.header.iter().enumerate() {
                if h.text == "Property" {
                    continue;
                }
                let fam = &families[fi];
                if fam.operations.iter().any(|o| o.name == h.text) {
                    if op_cols.iter().any(|(_, n)| *n == h.text) {
                        self.d.error(
                            &h.loc,
                            DiagKind::Duplicate,
                            format!("operation `{}` has two columns", h.text),
                        );
                    }
                    op_cols.push((i, h.text.clone()));
                } else {
                    let hint =
                        did_you_mean(&h.text, fam.operations.iter().map(|o| o.name.as_str()))
                            .unwrap_or_else(|| {
                                format!("define it in the `operations` table of family `{fname}`")
                            });
                    self.d.error_hint(
                        &h.loc,
                        DiagKind::UnknownOperation,
                        format!("unknown operation `{}`", h.text),
                        hint,
                    );
                }
            }
            for row in &rows.table.rows {
                let Some(label) = rows.cell(row, "Property") else {
                    continue;
                };
                let (container, name) = match label.text.split_once('.') {
                    Some((c, n)) => (Some(c.to_string()), n.to_string()),
                    None => (None, label.text.clone()),
                };
                if let Some(c) = &container
                    && families[fi].container(c).is_none()
                {
                    self.d.error(
                        &label.loc,
                        DiagKind::UnknownContainer,
                        format!("unknown container `{c}`"),
                    );
                    continue;
                }
                let Some(pi) =
                    self.find_property(&families[fi], container.as_deref(), &name, label)
                else {
                    continue;
                };
                if !families[fi].properties[pi].usage.is_empty() {
                    self.d.error(
                        &label.loc,
                        DiagKind::Duplicate,
                        format!("property `{}` has two usage rows", label.text),
                    );
                    continue;
                }
                let mut usage = Vec::new();
                for (ci, op) in &op_cols {
                    let Some(cell) = row.get(*ci) else { continue };
                    if let Some(u) = self.usage_cell(cell, op) {
                        usage.push(u);
                    }
                }
                families[fi].properties[pi].usage = usage;
            }
        }
    }

    fn usage_cell(&mut self, cell: &Cell, op: &str) -> Option<Usage> {
        let mut u = Usage {
            operation: op.to_string(),
            input: None,
            returned: None,
            loc: cell.loc.clone(),
        };
        for word in cell
            .text
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty() && *w != "-")
        {
            let (input, returned) = match word {
                "required" => (Some(Input::Required), None),
                "optional" => (Some(Input::Optional), None),
                "key" => (Some(Input::Key), None),
                "returned" => (None, Some(Returned::Returned)),
                "default" => (None, Some(Returned::Default)),
                other => {
                    let words = ["required", "optional", "key", "returned", "default"];
                    let hint = did_you_mean(other, words)
                        .unwrap_or_else(|| format!("use {}", words.join(", ")));
                    self.d.error_hint(
                        &cell.loc,
                        DiagKind::BadValue,
                        format!("unknown usage `{other}`"),
                        hint,
                    );
                    continue;
                }
            };
            if (input.is_some() && u.input.is_some())
                || (returned.is_some() && u.returned.is_some())
            {
                self.d.error(
                    &cell.loc,
                    DiagKind::Inconsistent,
                    format!("`{}` says two things about one direction", cell.text),
                );
            }
            u.input = u.input.or(input);
            u.returned = u.returned.or(returned);
        }
        (u.input.is_some() || u.returned.is_some()).then_some(u)
    }

    pub(super) fn load_support(&mut self, families: &mut [Family], platforms: &[Platform]) {
        for rows in self.tables("platform-support") {
            let Some((fname, _)) = family_of(&rows) else {
                continue;
            };
            let Some(fi) = families.iter().position(|f| f.name == fname) else {
                continue;
            };
            let container = rows.section.arg.clone().filter(|a| !a.text.is_empty());
            if let Some(c) = &container
                && families[fi].container(&c.text).is_none()
            {
                let hint = did_you_mean(
                    &c.text,
                    families[fi].containers.iter().map(|c| c.name.as_str()),
                )
                .unwrap_or_else(|| "define it in the `containers` table".to_string());
                self.d.error_hint(
                    &c.loc,
                    DiagKind::UnknownContainer,
                    format!("unknown container `{}`", c.text),
                    hint,
                );
                continue;
            }
            // Map each column of the family's axis (its own, or the platforms in service
            // order) to the table's column.
            let axis: Vec<String> = match &families[fi].traits.support_axis {
                Some(a) => a.columns.iter().map(|(_, c)| c.clone()).collect(),
                None => platforms.iter().map(|p| p.matrix_column.clone()).collect(),
            };
            let own_axis = families[fi].traits.support_axis.is_some();
            let what = if own_axis {
                "column of the family's support axis"
            } else {
                "platform"
            };
            let mut col_of: Vec<Option<usize>> = vec![None; axis.len()];
            for (i, h) in rows.table.header.iter().enumerate().skip(1) {
                match axis.iter().position(|c| *c == h.text) {
                    Some(pi) => col_of[pi] = Some(i),
                    None => {
                        let hint = did_you_mean(&h.text, axis.iter().map(String::as_str))
                            .unwrap_or_else(|| {
                                if own_axis {
                                    "the columns are the support axis's values (or their `Matrix Column`)"
                                        .to_string()
                                } else {
                                    "platform columns are the `Matrix Column` names of `platforms`"
                                        .to_string()
                                }
                            });
                        self.d.error_hint(
                            &h.loc,
                            DiagKind::UnknownPlatform,
                            format!("unknown {what} `{}`", h.text),
                            hint,
                        );
                    }
                }
            }
            for (pi, col) in col_of.iter().enumerate() {
                if col.is_none() {
                    self.d.error(
                        &rows.table.loc,
                        DiagKind::UnknownPlatform,
                        format!("support matrix has no column for {what} `{}`", axis[pi]),
                    );
                }
            }
            for row in &rows.table.rows {
                let Some(label) = row.first() else { continue };
                let (suffix, name) = cell_name(&label.text);
                if let (Some(sfx), Some(c)) = (suffix, &container)
                    && sfx != c.text
                {
                    self.d.error(
                        &label.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "row names container `{sfx}` but the table is for `{}`",
                            c.text
                        ),
                    );
                    continue;
                }
                let Some(pi) = self.find_property(
                    &families[fi],
                    container.as_ref().map(|c| c.text.as_str()),
                    name,
                    label,
                ) else {
                    continue;
                };
                let mut support = Vec::with_capacity(axis.len());
                for col in &col_of {
                    let Some(cell) = col.and_then(|c| row.get(c)) else {
                        support.push(false);
                        continue;
                    };
                    support.push(match cell.text.as_str() {
                        "✅" | "✔" | "✔️" | "yes" => true,
                        "❌" | "✖" | "no" => false,
                        other => {
                            self.d.error_hint(
                                &cell.loc,
                                DiagKind::BadValue,
                                format!("expected ✅ or ❌, found `{other}`"),
                                "use ✅ (supported) or ❌ (not supported)",
                            );
                            false
                        }
                    });
                }
                let prop = &mut families[fi].properties[pi];
                let slot = if own_axis {
                    &mut prop.axis_support
                } else {
                    &mut prop.support
                };
                if slot.is_some() {
                    self.d.error(
                        &label.loc,
                        DiagKind::Duplicate,
                        format!("`{}` has two support rows", prop.path()),
                    );
                    continue;
                }
                *slot = Some(support);
                prop.support_loc = Some(label.loc.clone());
            }
        }
    }

    /// Usage rules: write-only properties are never returned; keys only where an entity is named.
    pub(super) fn check_usage(&mut self, families: &[Family], types: &[ValueType]) {
        for fam in families {
            for p in &fam.properties {
                for u in &p.usage {
                    let Some(op) = fam.operations.iter().find(|o| o.name == u.operation) else {
                        continue;
                    };
                    if p.access == Access::WriteOnly && u.returned.is_some() {
                        self.d.error(
                            &p.loc,
                            DiagKind::Inconsistent,
                            format!("`{}` is write-only but `{}` returns it", p.path(), op.name),
                        );
                    }
                    if u.input == Some(Input::Key)
                        && !matches!(op.kind, OpKind::Change | OpKind::Delete | OpKind::Info)
                    {
                        self.d.error(
                            &p.loc,
                            DiagKind::Inconsistent,
                            format!(
                                "`{}` is a key of `{}`, which names no existing entity",
                                p.path(),
                                op.name
                            ),
                        );
                    }
                    if op.kind == OpKind::Change
                        && p.access == Access::ReadOnlyAfterCreation
                        && matches!(u.input, Some(Input::Optional | Input::Required))
                    {
                        self.d.error_hint(
                            &p.loc,
                            DiagKind::Inconsistent,
                            format!(
                                "`{}` is read-only after creation but `{}` may change it",
                                p.path(),
                                op.name
                            ),
                            "mark it `key` in the usage table",
                        );
                    }
                }
                if let Some(t) = types.iter().find(|t| t.name == p.ty)
                    && let TypeKind::Fields { .. } = t.kind
                {
                    self.d.error(
                        &p.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` holds a single field name; use a list of `{}`",
                            p.path(),
                            t.name
                        ),
                    );
                }
            }
        }
    }
}
