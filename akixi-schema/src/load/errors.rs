//! Error categories, codes, the conditions that raise them and each operation's list.

use std::collections::HashSet;

use super::loader::ServiceLoader;
use super::names::{is_ident, split_list, to_u32};
use super::tables::{KeyForm, KeySpec};
use crate::diag::{DiagKind, Loc, did_you_mean};
use crate::model::{ErrorCategory, ErrorCondition, ErrorDef, Family, Handling, OpError, Protocol};

impl<'a> ServiceLoader<'a> {
    /// The `error-categories` table.
    pub(super) fn load_categories(&mut self) -> Vec<ErrorCategory> {
        let spec = KeySpec {
            column: "Category",
            what: "category",
            form: KeyForm::NonEmpty,
        };
        self.unique_rows("error-categories", spec)
            .into_iter()
            .map(|k| ErrorCategory {
                id: k.key.text.clone(),
                title: k.rows.text(k.row, "Title").to_string(),
                aliases: split_list(k.rows.text(k.row, "Aliases")),
                loc: k.key.loc.clone(),
            })
            .collect()
    }

    /// The `errors` table.
    pub(super) fn load_errors(&mut self, categories: &[ErrorCategory]) -> Vec<ErrorDef> {
        let spec = KeySpec {
            column: "Code",
            what: "error code",
            form: KeyForm::Code,
        };
        // `007` and `7` are one code.
        let rows = self.keyed_rows("errors", spec, |_, _, key| {
            let code = key.text.parse::<u32>().ok()?;
            Some((String::new(), code.to_string()))
        });
        let mut out: Vec<ErrorDef> = Vec::new();
        for k in rows {
            let (row, rows, code_cell) = (k.row, &k.rows, k.key);
            let Some(cat) = rows.cell(row, "Category") else {
                continue;
            };
            let Ok(code) = code_cell.text.parse::<u32>() else {
                continue;
            };
            if !categories.iter().any(|c| c.id == cat.text) {
                let hint = did_you_mean(&cat.text, categories.iter().map(|c| c.id.as_str()))
                    .unwrap_or_else(|| "define it in `error-categories`".to_string());
                self.d.error_hint(
                    &cat.loc,
                    DiagKind::UnknownReference,
                    format!("unknown error category `{}`", cat.text),
                    hint,
                );
            }
            let name = match rows.cell(row, "Name").filter(|c| !c.text.is_empty()) {
                Some(c) if is_ident(&c.text) => {
                    if out
                        .iter()
                        .any(|e| e.name.as_deref() == Some(c.text.as_str()))
                    {
                        self.d.error(
                            &c.loc,
                            DiagKind::Duplicate,
                            format!("error name `{}` is used twice", c.text),
                        );
                    }
                    Some(c.text.clone())
                }
                Some(c) => {
                    self.d.error(
                        &c.loc,
                        DiagKind::BadValue,
                        format!("`{}` is not an identifier", c.text),
                    );
                    None
                }
                None => None,
            };
            let handling = match rows.cell(row, "Handling").map(|c| (c, c.text.as_str())) {
                None | Some((_, "")) => None,
                Some((_, "retry-later")) => Some(Handling::RetryLater),
                Some((_, "renew-session")) => Some(Handling::RenewSession),
                Some((c, other)) => {
                    self.d.error_hint(
                        &c.loc,
                        DiagKind::BadValue,
                        format!("unknown handling `{other}`"),
                        "use `retry-later`, `renew-session` or leave it empty",
                    );
                    None
                }
            };
            let partial_fail = rows
                .cell(row, "Partial Fail")
                .is_some_and(|c| self.yes_no(c));
            let provenance = self.provenance(rows, row);
            let message = Some(rows.text(row, "Message").to_string()).filter(|m| !m.is_empty());
            let meaning = Some(rows.text(row, "Meaning").to_string()).filter(|m| !m.is_empty());
            out.push(ErrorDef {
                code,
                category: cat.text.clone(),
                name,
                message,
                meaning,
                partial_fail,
                handling,
                provenance,
                loc: code_cell.loc.clone(),
            });
        }
        out
    }

    /// The `error-conditions` table: which code answers which condition, for every family or
    /// for one (`unknown-entity` of `User`). The families are checked with them. Also where the
    /// table is, if the service has one.
    pub(super) fn load_conditions(
        &mut self,
        errors: &[ErrorDef],
        families: &[Family],
        protocol: Protocol,
    ) -> (Vec<ErrorCondition>, Option<Loc>) {
        let spec = KeySpec {
            column: "Condition",
            what: "condition",
            form: KeyForm::Kebab,
        };
        let rows = self.keyed_rows("error-conditions", spec, |rows, row, key| {
            let family = rows.optional(row, "Family").unwrap_or_default();
            let shown = if family.is_empty() {
                key.text.clone()
            } else {
                format!("{} of {family}", key.text)
            };
            Some((family, shown))
        });
        let mut out: Vec<ErrorCondition> = Vec::new();
        let mut table_at = None;
        for k in rows {
            let (rows, row, id) = (&k.rows, k.row, k.key);
            table_at.get_or_insert_with(|| rows.table.loc.clone());
            let Some(code_cell) = rows.cell(row, "Code") else {
                continue;
            };
            let Ok(code) = code_cell.text.parse::<u32>() else {
                self.d.error(
                    &code_cell.loc,
                    DiagKind::BadValue,
                    format!("`{}` is not an error code", code_cell.text),
                );
                continue;
            };
            if !errors.iter().any(|e| e.code == code) {
                self.d.error_hint(
                    &code_cell.loc,
                    DiagKind::UnknownErrorCode,
                    format!("error code {code} is not in the `errors` table"),
                    "add a row for it to `errors`",
                );
            }
            // A protocol whose simulator has a fixed set of conditions (akixi-ws) names them in
            // its binding; another protocol's simulator names its own.
            let (condition, per_family) = match super::binding::conditions(protocol) {
                None => (None, true),
                Some(all) => match all.iter().find(|(n, _, _)| *n == id.text) {
                    Some(&(_, c, scope)) => (Some(c), scope.per_family()),
                    None => {
                        let names = all.iter().map(|(n, _, _)| *n);
                        let hint = did_you_mean(&id.text, names.clone()).unwrap_or_else(|| {
                            format!("conditions: {}", names.collect::<Vec<_>>().join(", "))
                        });
                        self.d.error_hint(
                            &id.loc,
                            DiagKind::BadValue,
                            format!("unknown condition `{}`", id.text),
                            hint,
                        );
                        continue;
                    }
                },
            };
            let family = rows.given(row, "Family");
            if let Some(f) = family {
                if !per_family {
                    self.d.error_hint(
                        &f.loc,
                        DiagKind::Inconsistent,
                        format!("`{}` is the same for every family", id.text),
                        "leave `Family` empty",
                    );
                } else if !families.iter().any(|fam| fam.name == f.text) {
                    let hint = did_you_mean(&f.text, families.iter().map(|f| f.name.as_str()))
                        .unwrap_or_else(|| "name a family (`> family:` of a file)".to_string());
                    self.d.error_hint(
                        &f.loc,
                        DiagKind::UnknownReference,
                        format!("no family `{}`", f.text),
                        hint,
                    );
                }
            }
            let provenance = self.provenance(rows, row);
            out.push(ErrorCondition {
                id: id.text.clone(),
                condition,
                family: family.map(|f| f.text.clone()),
                code,
                description: rows.text(row, "Description").to_string(),
                provenance,
                loc: id.loc.clone(),
            });
        }
        (out, table_at)
    }

    pub(super) fn load_operation_errors(
        &mut self,
        families: &mut [Family],
        errors: &[ErrorDef],
        categories: &[ErrorCategory],
    ) {
        let mut seen_ops: HashSet<String> = HashSet::new();
        for rows in self.tables("operation-errors") {
            let Some(arg) = rows.section.arg.clone() else {
                continue;
            };
            let found = families.iter().enumerate().find_map(|(fi, f)| {
                f.operations
                    .iter()
                    .position(|o| o.name == arg.text)
                    .map(|oi| (fi, oi))
            });
            let Some((fi, oi)) = found else {
                let all: Vec<&str> = families
                    .iter()
                    .flat_map(|f| f.operations.iter().map(|o| o.name.as_str()))
                    .collect();
                let hint = did_you_mean(&arg.text, all)
                    .unwrap_or_else(|| "define it in an `operations` table".to_string());
                self.d.error_hint(
                    &arg.loc,
                    DiagKind::UnknownOperation,
                    format!("unknown operation `{}`", arg.text),
                    hint,
                );
                continue;
            };
            if !seen_ops.insert(arg.text.clone()) {
                self.d.error(
                    &arg.loc,
                    DiagKind::Duplicate,
                    format!("`{}` has two error lists", arg.text),
                );
                continue;
            }
            let mut list: Vec<OpError> = Vec::new();
            for row in &rows.table.rows {
                let (Some(cat_cell), Some(codes)) =
                    (rows.cell(row, "Error Type"), rows.cell(row, "Error Codes"))
                else {
                    continue;
                };
                let category = categories
                    .iter()
                    .find(|c| c.title == cat_cell.text || c.aliases.contains(&cat_cell.text));
                if category.is_none() {
                    let titles = categories.iter().map(|c| c.title.as_str());
                    let hint = did_you_mean(&cat_cell.text, titles).unwrap_or_else(|| {
                        "add it (or an alias) to `error-categories`".to_string()
                    });
                    self.d.error_hint(
                        &cat_cell.loc,
                        DiagKind::UnknownReference,
                        format!("unknown error category `{}`", cat_cell.text),
                        hint,
                    );
                }
                let mut offset = 0usize;
                for piece in codes.text.split(',') {
                    let lead = piece.len() - piece.trim_start().len();
                    let loc = Loc::new(
                        &codes.loc.file,
                        codes.loc.line,
                        codes.loc.col + to_u32(codes.text[..offset + lead].chars().count()),
                    );
                    offset += piece.len() + 1;
                    let token = piece.trim();
                    if token.is_empty() {
                        continue;
                    }
                    let (num, star) = match token.strip_suffix('*') {
                        Some(n) => (n.trim(), true),
                        None => (token, false),
                    };
                    let Ok(code) = num.parse::<u32>() else {
                        self.d.error(
                            &loc,
                            DiagKind::BadValue,
                            format!("`{token}` is not an error code"),
                        );
                        continue;
                    };
                    let Some(def) = errors.iter().find(|e| e.code == code) else {
                        self.d.error_hint(
                            &loc,
                            DiagKind::UnknownErrorCode,
                            format!("error code {code} is not in the `errors` table"),
                            "add a row for it to `errors`",
                        );
                        continue;
                    };
                    if list.iter().any(|e| e.code == code) {
                        self.d.error_hint(
                            &loc,
                            DiagKind::Duplicate,
                            format!("error code {code} is listed twice for `{}`", arg.text),
                            "keep it once (the vendor documentation sometimes repeats a code)",
                        );
                        continue;
                    }
                    if star != def.partial_fail {
                        let (here, there) = if star {
                            ("marks", "does not")
                        } else {
                            ("does not mark", "does")
                        };
                        self.d.error_hint(
                            &loc,
                            DiagKind::Inconsistent,
                            format!("this list {here} {code} as a PartialFail code (`*`) but the `errors` table {there}"),
                            format!("see {}", def.loc),
                        );
                    }
                    if let Some(cat) = category
                        && cat.id != def.category
                    {
                        self.d.error(
                            &loc,
                            DiagKind::Inconsistent,
                            format!(
                                "error code {code} is listed under `{}` but its category is `{}`",
                                cat_cell.text, def.category
                            ),
                        );
                    }
                    list.push(OpError {
                        code,
                        partial_fail: star,
                        loc,
                    });
                }
            }
            families[fi].operations[oi].errors = list;
        }
    }
}
