//! Value types, their values and the Boolean spellings.

use std::collections::HashSet;

use super::loader::ServiceLoader;
use super::names::{is_ident, variant_name};
use super::tables::{KeyForm, KeySpec, Rows};
use crate::diag::{DiagKind, Diagnostics, did_you_mean};
use crate::model::{BooleanSpelling, EnumValue, Family, OpKind, SecretWire, TypeKind, ValueType};
use crate::table::Cell;

impl<'a> ServiceLoader<'a> {
    /// The `types` table.
    pub(super) fn load_types(&mut self) -> Vec<ValueType> {
        let spec = KeySpec {
            column: "Type",
            what: "type",
            form: KeyForm::Ident,
        };
        let mut out = Vec::new();
        for k in self.unique_rows("types", spec) {
            let Some(kind) = self.type_kind(&k.rows, k.row) else {
                continue;
            };
            let provenance = self.provenance(&k.rows, k.row);
            out.push(ValueType {
                name: k.key.text.clone(),
                kind,
                description: k.rows.text(k.row, "Description").to_string(),
                values: Vec::new(),
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        out
    }

    fn type_kind(&mut self, rows: &Rows<'_>, row: &[Cell]) -> Option<TypeKind> {
        let kind = rows.cell(row, "Kind")?;
        let of = rows.cell(row, "Of");
        let of_text = of.map_or("", |c| c.text.as_str());
        let need_of = |d: &mut Diagnostics, what: &str| {
            d.error(
                &kind.loc,
                DiagKind::BadValue,
                format!("a `{}` type needs {what} in the `Of` column", kind.text),
            );
        };
        Some(match kind.text.as_str() {
            "string" => TypeKind::String,
            "boolean" => TypeKind::Boolean,
            "enum" => TypeKind::Enum,
            "integer" => {
                let bound = |col: &str, default: i64, d: &mut Diagnostics| -> Option<i64> {
                    match rows.cell(row, col) {
                        Some(c) if !c.text.is_empty() => match c.text.parse::<i64>() {
                            Ok(v) => Some(v),
                            Err(_) => {
                                d.error(
                                    &c.loc,
                                    DiagKind::BadValue,
                                    format!("`{}` is not a whole number", c.text),
                                );
                                None
                            }
                        },
                        _ => Some(default),
                    }
                };
                let min = bound("Min", i64::from(i32::MIN), self.d)?;
                let max = bound("Max", i64::from(i32::MAX), self.d)?;
                if min > max {
                    self.d.error(
                        &kind.loc,
                        DiagKind::BadValue,
                        format!("range {min}..{max} is empty"),
                    );
                    // Keep the type defined so its users do not report it unknown too.
                    return Some(TypeKind::Integer { min: max, max: min });
                }
                TypeKind::Integer { min, max }
            }
            "list" => {
                if of_text.is_empty() {
                    need_of(self.d, "the element type");
                    return None;
                }
                TypeKind::List {
                    item: of_text.to_string(),
                }
            }
            "fields" => {
                if of_text.is_empty() {
                    need_of(self.d, "the list operation");
                    return None;
                }
                TypeKind::Fields {
                    operation: of_text.to_string(),
                }
            }
            "selector" => {
                let parsed = of_text
                    .strip_suffix(')')
                    .and_then(|s| s.split_once('('))
                    .filter(|(v, t)| is_ident(v.trim()) && is_ident(t.trim()));
                match parsed {
                    Some((variant, ty)) => TypeKind::Selector {
                        variant: variant.trim().to_string(),
                        of: ty.trim().to_string(),
                    },
                    None => {
                        need_of(self.d, "the fallback variant, as `Variant(Type)`");
                        return None;
                    }
                }
            }
            "secret" => match of_text {
                "" | "plain" => TypeKind::Secret {
                    wire: SecretWire::Plain,
                },
                "encrypted" => TypeKind::Secret {
                    wire: SecretWire::Encrypted,
                },
                other => {
                    let loc = of.map_or(&kind.loc, |c| &c.loc);
                    self.d.error_hint(
                        loc,
                        DiagKind::BadValue,
                        format!("unknown secret encoding `{other}`"),
                        "use `plain` or `encrypted`",
                    );
                    return None;
                }
            },
            other => {
                let kinds = [
                    "string", "integer", "boolean", "enum", "list", "selector", "fields", "secret",
                ];
                let hint = did_you_mean(other, kinds)
                    .unwrap_or_else(|| format!("kinds: {}", kinds.join(", ")));
                self.d.error_hint(
                    &kind.loc,
                    DiagKind::BadValue,
                    format!("unknown type kind `{other}`"),
                    hint,
                );
                return None;
            }
        })
    }

    /// The `values: Type` tables: the known values of enumerations and selectors.
    pub(super) fn load_values(&mut self, types: &mut [ValueType]) {
        // First the tables: each names a type that takes values, once.
        let mut valued: HashSet<String> = HashSet::new();
        for rows in self.tables("values") {
            let Some(arg) = rows.section.arg.clone() else {
                continue;
            };
            let Some(ty) = types.iter().find(|t| t.name == arg.text) else {
                let hint = did_you_mean(&arg.text, types.iter().map(|t| t.name.as_str()))
                    .unwrap_or_else(|| "define it in the `types` table".to_string());
                self.d.error_hint(
                    &arg.loc,
                    DiagKind::UnknownType,
                    format!("unknown type `{}`", arg.text),
                    hint,
                );
                continue;
            };
            if !matches!(ty.kind, TypeKind::Enum | TypeKind::Selector { .. }) {
                self.d.error(
                    &arg.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "`{}` is a `{}` type; only enum and selector types have values",
                        ty.name,
                        ty.kind.name()
                    ),
                );
                continue;
            }
            if !valued.insert(arg.text.clone()) {
                self.d.error(
                    &arg.loc,
                    DiagKind::Duplicate,
                    format!("`{}` has two values tables", arg.text),
                );
            }
        }
        // Then the rows, unique within their type.
        let spec = KeySpec {
            column: "Value",
            what: "value",
            form: KeyForm::NonEmpty,
        };
        let rows = self.keyed_rows("values", spec, |rows, _, key| {
            let ty = &rows.section.arg.as_ref()?.text;
            valued.contains(ty).then(|| (ty.clone(), key.text.clone()))
        });
        for k in rows {
            let Some(ty) = k
                .rows
                .section
                .arg
                .as_ref()
                .and_then(|arg| types.iter_mut().find(|t| t.name == arg.text))
            else {
                continue;
            };
            let value = k.key;
            let variant = match k.rows.given(k.row, "Variant") {
                Some(c) if is_ident(&c.text) => c.text.clone(),
                Some(c) => {
                    self.d.error(
                        &c.loc,
                        DiagKind::BadValue,
                        format!("`{}` is not an identifier", c.text),
                    );
                    continue;
                }
                None => variant_name(&value.text),
            };
            if variant.is_empty() {
                self.d.error_hint(
                    &value.loc,
                    DiagKind::BadValue,
                    format!("cannot derive a Rust name from `{}`", value.text),
                    "give one in a `Variant` column",
                );
                continue;
            }
            if let Some(prev) = ty.values.iter().find(|v| v.variant == variant) {
                self.d.error_hint(
                    &value.loc,
                    DiagKind::Duplicate,
                    format!(
                        "values `{}` and `{}` both become variant `{variant}`",
                        prev.value, value.text
                    ),
                    format!("first defined at {}", prev.loc),
                );
                continue;
            }
            let number = match k.rows.given(k.row, "Number") {
                Some(c) => match c.text.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.d.error(
                            &c.loc,
                            DiagKind::BadValue,
                            format!("`{}` is not a whole number", c.text),
                        );
                        None
                    }
                },
                None => None,
            };
            let provenance = self.provenance(&k.rows, k.row);
            ty.values.push(EnumValue {
                value: value.text.clone(),
                variant,
                number,
                matrix_column: k.rows.optional(k.row, "Matrix Column"),
                description: k.rows.text(k.row, "Description").to_string(),
                provenance,
                loc: value.loc.clone(),
            });
        }
    }

    /// The `boolean-spellings` table; exactly one spelling of each value is canonical.
    pub(super) fn load_spellings(&mut self, types: &[ValueType]) -> Vec<BooleanSpelling> {
        let spec = KeySpec {
            column: "Spelling",
            what: "spelling",
            form: KeyForm::NonEmpty,
        };
        let mut out: Vec<BooleanSpelling> = Vec::new();
        for k in self.unique_rows("boolean-spellings", spec) {
            let Some(val) = k.rows.cell(k.row, "Value") else {
                continue;
            };
            let value = match val.text.as_str() {
                "true" => true,
                "false" => false,
                other => {
                    self.d.error(
                        &val.loc,
                        DiagKind::BadValue,
                        format!("expected `true` or `false`, found `{other}`"),
                    );
                    continue;
                }
            };
            let canonical = k
                .rows
                .cell(k.row, "Canonical")
                .is_some_and(|c| self.yes_no(c));
            out.push(BooleanSpelling {
                spelling: k.key.text.clone(),
                value,
                canonical,
                loc: k.key.loc.clone(),
            });
        }
        if let Some(t) = types.iter().find(|t| t.kind == TypeKind::Boolean) {
            for v in [true, false] {
                let n = out.iter().filter(|s| s.value == v && s.canonical).count();
                if n != 1 {
                    self.d.error_hint(
                        &t.loc,
                        DiagKind::Missing,
                        format!("`boolean-spellings` must mark exactly one spelling of {v} canonical (found {n})"),
                        "writers use the canonical spelling",
                    );
                }
            }
        }
        out
    }

    /// Type references between types: list elements, selector fallbacks, field lists, enum values.
    pub(super) fn check_types(&mut self, types: &[ValueType], families: &[Family]) {
        for t in types {
            match &t.kind {
                TypeKind::List { item } => match types.iter().find(|x| x.name == *item) {
                    None => self.d.error(&t.loc, DiagKind::UnknownType, format!("list `{}` names unknown element type `{item}`", t.name)),
                    Some(x) if !matches!(x.kind, TypeKind::Enum | TypeKind::Fields { .. } | TypeKind::String) => {
                        self.d.error(&t.loc, DiagKind::Inconsistent, format!("list elements must be enum, fields or string types; `{item}` is `{}`", x.kind.name()))
                    }
                    Some(_) => {}
                },
                TypeKind::Selector { of, .. } => {
                    if !types.iter().any(|x| x.name == *of && matches!(x.kind, TypeKind::String | TypeKind::Integer { .. })) {
                        self.d.error(&t.loc, DiagKind::UnknownType, format!("selector `{}` falls back to `{of}`, which is not a string or integer type", t.name));
                    }
                    if t.values.is_empty() {
                        self.d.error_hint(&t.loc, DiagKind::Missing, format!("selector `{}` has no keywords", t.name), format!("add `## values: {}`", t.name));
                    }
                }
                TypeKind::Enum if t.values.is_empty() => {
                    self.d.error_hint(&t.loc, DiagKind::Missing, format!("enum `{}` has no values", t.name), format!("add `## values: {}`", t.name));
                }
                TypeKind::Fields { operation } => {
                    match families.iter().flat_map(|f| f.operations.iter()).find(|o| o.name == *operation) {
                        None => self.d.error(&t.loc, DiagKind::UnknownOperation, format!("`{}` lists the fields of unknown operation `{operation}`", t.name)),
                        Some(o) if o.kind != OpKind::List => self.d.error(&t.loc, DiagKind::Inconsistent, format!("`{operation}` is not a `list` operation")),
                        Some(_) => {}
                    }
                }
                _ => {}
            }
        }
    }
}
