//! Tables: the kinds the format knows, their columns, the sections that hold them, and the
//! walk over rows with a unique key that every keyed table shares.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::rc::Rc;

use super::loader::ServiceLoader;
use super::names::{is_ident, is_kebab};
use crate::diag::{DiagKind, Loc, did_you_mean};
use crate::model::Provenance;
use crate::table::{Cell, Directive, Document, Section, Table};

/// Table kinds the format knows, with the columns each requires and allows.
struct TableKind {
    name: &'static str,
    /// Needs a `> family:` directive in its file.
    family: bool,
    /// Takes a heading argument (`values: Type`); `Some(true)` = required.
    arg: Option<bool>,
    required: &'static [&'static str],
    optional: &'static [&'static str],
}

const PROVENANCE: &[&str] = &["Source", "Provisional"];

const TABLE_KINDS: &[TableKind] = &[
    TableKind {
        name: "service",
        family: false,
        arg: None,
        required: &["Key", "Value"],
        optional: &[],
    },
    TableKind {
        name: "sources",
        family: false,
        arg: None,
        required: &["Source", "Reference"],
        optional: &[],
    },
    TableKind {
        name: "platforms",
        family: false,
        arg: None,
        required: &["Id", "Name", "Matrix Column"],
        optional: &["Description", "Source", "Provisional"],
    },
    TableKind {
        name: "binding",
        family: false,
        arg: None,
        required: &["Key", "Value"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "types",
        family: false,
        arg: None,
        required: &["Type", "Kind"],
        optional: &["Of", "Min", "Max", "Description", "Source", "Provisional"],
    },
    TableKind {
        name: "boolean-spellings",
        family: false,
        arg: None,
        required: &["Spelling", "Value"],
        optional: &["Canonical", "Source", "Provisional"],
    },
    TableKind {
        name: "values",
        family: false,
        arg: Some(true),
        required: &["Value"],
        optional: &[
            "Variant",
            "Number",
            "Matrix Column",
            "Description",
            "Source",
            "Provisional",
        ],
    },
    TableKind {
        name: "error-categories",
        family: false,
        arg: None,
        required: &["Category", "Title"],
        optional: &["Aliases"],
    },
    TableKind {
        name: "errors",
        family: false,
        arg: None,
        required: &["Code", "Category"],
        optional: &[
            "Name",
            "Message",
            "Meaning",
            "Partial Fail",
            "Handling",
            "Source",
            "Provisional",
        ],
    },
    TableKind {
        name: "error-conditions",
        family: false,
        arg: None,
        required: &["Condition", "Code"],
        optional: &["Family", "Description", "Source", "Provisional"],
    },
    TableKind {
        name: "partial-fail",
        family: false,
        arg: None,
        required: &["Condition", "Family", "Property", "Needs", "Code"],
        optional: &["Description", "Source", "Provisional"],
    },
    TableKind {
        name: "versions",
        family: false,
        arg: None,
        required: &["Release", "Version", "Port"],
        optional: &[
            "Request Path",
            "Query Path",
            "Actions",
            "Description",
            "Source",
            "Provisional",
        ],
    },
    TableKind {
        name: "rest-binding",
        family: false,
        arg: None,
        required: &["Key", "Value"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "rest-statuses",
        family: false,
        arg: None,
        required: &["Condition", "Status"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "rest-operations",
        family: true,
        arg: None,
        required: &["Operation", "Shape", "Method", "Path"],
        optional: &[
            "Query",
            "Inputs",
            "Except",
            "Implies",
            "Description",
            "Source",
            "Provisional",
        ],
    },
    TableKind {
        name: "rest-properties",
        family: true,
        arg: None,
        required: &["Property", "Form"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "permission-verbs",
        family: false,
        arg: None,
        required: &["Kind", "Verb"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "family",
        family: true,
        arg: None,
        required: &["Key", "Value"],
        optional: PROVENANCE,
    },
    TableKind {
        name: "operations",
        family: true,
        arg: None,
        required: &["Operation", "Kind"],
        optional: &[
            "Description",
            "Paged",
            "Aliases",
            "Element",
            "Source",
            "Provisional",
        ],
    },
    TableKind {
        name: "containers",
        family: true,
        arg: None,
        required: &["Container"],
        optional: &["Description", "Source", "Provisional"],
    },
    TableKind {
        name: "properties",
        family: true,
        arg: None,
        required: &["Property", "Type"],
        optional: &[
            "Container",
            "Access",
            "Aliases",
            "Default",
            "References",
            "On Delete",
            "Renames",
            "Element",
            ".NET Type",
            "Description",
            "Source",
            "Provisional",
        ],
    },
    // `usage` and `platform-support` take operation / platform columns; checked by hand.
    TableKind {
        name: "usage",
        family: true,
        arg: None,
        required: &["Property"],
        optional: &[],
    },
    TableKind {
        name: "platform-support",
        family: true,
        arg: Some(false),
        required: &["Parameter Name"],
        optional: &[],
    },
    TableKind {
        name: "operation-errors",
        family: true,
        arg: Some(true),
        required: &["Error Type", "Error Codes"],
        optional: &[],
    },
];

/// A table with its columns resolved.
#[derive(Clone)]
pub(super) struct Rows<'a> {
    pub(super) section: &'a Section,
    pub(super) doc: &'a Document,
    pub(super) table: &'a Table,
    cols: Rc<HashMap<&'a str, usize>>,
}

impl<'a> Rows<'a> {
    pub(super) fn cell<'r>(&self, row: &'r [Cell], col: &str) -> Option<&'r Cell> {
        self.cols.get(col).and_then(|i| row.get(*i))
    }

    pub(super) fn text<'r>(&self, row: &'r [Cell], col: &str) -> &'r str {
        self.cell(row, col).map_or("", |c| c.text.as_str())
    }

    /// The cell of `col`, if it holds anything.
    pub(super) fn given<'r>(&self, row: &'r [Cell], col: &str) -> Option<&'r Cell> {
        self.cell(row, col).filter(|c| !c.text.is_empty())
    }

    /// The text of `col`, or `None` when the cell is empty.
    pub(super) fn optional(&self, row: &[Cell], col: &str) -> Option<String> {
        self.given(row, col).map(|c| c.text.clone())
    }

    pub(super) fn directive(&self, key: &str) -> Option<&'a Directive> {
        self.section
            .directives
            .iter()
            .chain(self.doc.directives.iter())
            .find(|d| d.key == key)
    }
}

/// What a keyed table's key cell must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyForm {
    /// Any text but none.
    NonEmpty,
    /// An identifier: letters, digits and `_`, starting with a letter.
    Ident,
    /// Lower-case kebab-case.
    Kebab,
    /// An error code (a whole number).
    Code,
}

impl KeyForm {
    /// What is wrong with `key` as the key of a `what`, if anything.
    fn problem(self, what: &str, key: &str) -> Option<String> {
        let ok = match self {
            KeyForm::NonEmpty => !key.is_empty(),
            KeyForm::Ident => is_ident(key),
            KeyForm::Kebab => is_kebab(key),
            KeyForm::Code => key.parse::<u32>().is_ok(),
        };
        (!ok).then(|| match self {
            KeyForm::NonEmpty => format!("{what} with no name"),
            KeyForm::Ident => {
                format!("{what} `{key}` must be an identifier (letters, digits, `_`)")
            }
            KeyForm::Kebab => format!("{what} `{key}` must be lower-case kebab-case"),
            KeyForm::Code => format!("`{key}` is not an error code"),
        })
    }
}

/// The key of a keyed table: the column holding it, what a row defines, and the key's form.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeySpec {
    pub(super) column: &'static str,
    pub(super) what: &'static str,
    pub(super) form: KeyForm,
}

/// One row of a keyed table whose key is well formed and seen for the first time.
pub(super) struct Keyed<'a> {
    pub(super) rows: Rows<'a>,
    pub(super) row: &'a [Cell],
    pub(super) key: &'a Cell,
}

impl<'a> ServiceLoader<'a> {
    /// The rows of every `kind` table that define something new: each key cell is checked for
    /// its form, and a key met again within the same scope is reported with where it was first
    /// defined. `identity` gives a row's scope and the key as messages show it (`Scope.Admin`),
    /// or `None` to pass the row over (its table names no family, say).
    pub(super) fn keyed_rows(
        &mut self,
        kind: &str,
        spec: KeySpec,
        identity: impl Fn(&Rows<'a>, &'a [Cell], &'a Cell) -> Option<(String, String)>,
    ) -> Vec<Keyed<'a>> {
        let mut first: HashMap<(String, String), Loc> = HashMap::new();
        let mut out = Vec::new();
        for rows in self.tables(kind) {
            for row in &rows.table.rows {
                let Some(key) = rows.cell(row, spec.column) else {
                    continue;
                };
                if let Some(problem) = spec.form.problem(spec.what, &key.text) {
                    self.d.error(&key.loc, DiagKind::BadValue, problem);
                    continue;
                }
                let Some((scope, shown)) = identity(&rows, row, key) else {
                    continue;
                };
                match first.entry((scope, shown)) {
                    Entry::Occupied(e) => self.d.error_hint(
                        &key.loc,
                        DiagKind::Duplicate,
                        format!("{} `{}` is defined twice", spec.what, e.key().1),
                        format!("first defined at {}", e.get()),
                    ),
                    Entry::Vacant(e) => {
                        e.insert(key.loc.clone());
                        out.push(Keyed {
                            rows: rows.clone(),
                            row,
                            key,
                        });
                    }
                }
            }
        }
        out
    }

    /// [`Self::keyed_rows`] for a table whose keys are unique across the service.
    pub(super) fn unique_rows(&mut self, kind: &str, spec: KeySpec) -> Vec<Keyed<'a>> {
        self.keyed_rows(kind, spec, |_, _, key| {
            Some((String::new(), key.text.clone()))
        })
    }

    /// The `Source` and `Provisional` cells of `row` (or the table's directives), checked.
    pub(super) fn provenance(&mut self, rows: &Rows<'_>, row: &[Cell]) -> Provenance {
        let source_cell = rows
            .cell(row, "Source")
            .filter(|c| !c.text.is_empty())
            .cloned();
        let source_cell = source_cell.or_else(|| rows.directive("source").map(|d| d.value.clone()));
        let mut provisional = match rows.cell(row, "Provisional") {
            Some(c) if !c.text.is_empty() => self.yes_no(c),
            _ => rows
                .directive("provisional")
                .is_some_and(|d| self.yes_no(&d.value)),
        };
        if let Some(c) = &source_cell {
            if !self.sources.contains(&c.text) {
                let hint = did_you_mean(&c.text, self.sources.iter().map(String::as_str))
                    .unwrap_or_else(|| "add it to the `sources` table".to_string());
                self.d.error_hint(
                    &c.loc,
                    DiagKind::UnknownReference,
                    format!("unknown source `{}`", c.text),
                    hint,
                );
            }
            if c.text == "inferred" && !provisional {
                self.d.error_hint(
                    &c.loc,
                    DiagKind::Inconsistent,
                    "an inferred fact must be marked provisional",
                    "put `yes` in the `Provisional` column",
                );
                provisional = true;
            }
        }
        Provenance {
            source: source_cell.map(|c| c.text),
            provisional,
        }
    }

    /// A `yes`/`no` cell (empty is `no`).
    pub(super) fn yes_no(&mut self, cell: &Cell) -> bool {
        match cell.text.as_str() {
            "yes" => true,
            "" | "no" => false,
            other => {
                self.d.error_hint(
                    &cell.loc,
                    DiagKind::BadValue,
                    format!("expected `yes` or `no`, found `{other}`"),
                    "leave the cell empty for `no`",
                );
                false
            }
        }
    }

    /// Where the first table of kind `kind` is, if there is one.
    pub(super) fn tables_loc(&self, kind: &str) -> Option<Loc> {
        self.docs
            .iter()
            .flat_map(|d| d.sections.iter())
            .filter(|s| s.kind == kind)
            .find_map(|s| s.tables.first())
            .map(|t| t.loc.clone())
    }

    /// Every table of kind `kind`, with its columns checked.
    pub(super) fn tables(&mut self, kind: &str) -> Vec<Rows<'a>> {
        let Some(spec) = TABLE_KINDS.iter().find(|k| k.name == kind) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for doc in self.docs {
            for section in doc.sections.iter().filter(|s| s.kind == kind) {
                for table in &section.tables {
                    let mut cols = HashMap::new();
                    for (i, h) in table.header.iter().enumerate() {
                        cols.insert(h.text.as_str(), i);
                    }
                    let mut ok = true;
                    for req in spec.required {
                        if !cols.contains_key(req) {
                            self.d.error(
                                &table.loc,
                                DiagKind::BadColumn,
                                format!("`{kind}` table lacks the `{req}` column"),
                            );
                            ok = false;
                        }
                    }
                    // usage and platform-support take free columns (operations, platforms).
                    if kind != "usage" && kind != "platform-support" {
                        for h in &table.header {
                            let name = h.text.as_str();
                            if !spec.required.contains(&name) && !spec.optional.contains(&name) {
                                let known = spec.required.iter().chain(spec.optional).copied();
                                let hint = did_you_mean(name, known.clone()).unwrap_or_else(|| {
                                    format!(
                                        "`{kind}` columns: {}",
                                        known.collect::<Vec<_>>().join(", ")
                                    )
                                });
                                self.d.error_hint(
                                    &h.loc,
                                    DiagKind::BadColumn,
                                    format!("`{kind}` table has no column `{name}`"),
                                    hint,
                                );
                            }
                        }
                    }
                    if ok {
                        out.push(Rows {
                            section,
                            doc,
                            table,
                            cols: Rc::new(cols),
                        });
                    }
                }
            }
        }
        out
    }

    /// Headings name known table kinds; tables need a heading; family tables need a family.
    pub(super) fn check_sections(&mut self) {
        for doc in self.docs {
            for t in &doc.orphan_tables {
                self.d.error_hint(
                    &t.loc,
                    DiagKind::UnknownTable,
                    "table has no `##` heading naming its kind",
                    "put a heading such as `## properties` above it",
                );
            }
            let family_directives: Vec<_> = doc
                .directives
                .iter()
                .filter(|d| d.key == "family")
                .collect();
            if family_directives.len() > 1 {
                self.d.error(
                    &family_directives[1].value.loc,
                    DiagKind::BadDirective,
                    "a file declares one family",
                );
            }
            for s in &doc.sections {
                let known = TABLE_KINDS.iter().find(|k| k.name == s.kind);
                match known {
                    None => {
                        if let Some(t) = s.tables.first() {
                            let hint = did_you_mean(&s.kind, TABLE_KINDS.iter().map(|k| k.name))
                                .unwrap_or_else(|| {
                                    let names: Vec<_> =
                                        TABLE_KINDS.iter().map(|k| k.name).collect();
                                    format!("table kinds: {}", names.join(", "))
                                });
                            self.d.error_hint(
                                &t.loc,
                                DiagKind::UnknownTable,
                                format!("`{}` is not a table kind", s.kind),
                                hint,
                            );
                        }
                    }
                    Some(k) => {
                        if s.tables.is_empty() {
                            self.d.error(
                                &s.loc,
                                DiagKind::MalformedTable,
                                format!("`{}` section has no table", s.kind),
                            );
                        }
                        if s.tables.len() > 1 {
                            self.d.error_hint(
                                &s.tables[1].loc,
                                DiagKind::MalformedTable,
                                format!("`{}` section has more than one table", s.kind),
                                "give each table its own heading",
                            );
                        }
                        match (k.arg, &s.arg) {
                            (Some(true), None) => self.d.error_hint(
                                &s.loc,
                                DiagKind::MalformedTable,
                                format!("`{}` heading needs an argument", s.kind),
                                format!("write `## {}: Name`", s.kind),
                            ),
                            (None, Some(a)) => self.d.error(
                                &a.loc,
                                DiagKind::MalformedTable,
                                format!("`{}` heading takes no argument", s.kind),
                            ),
                            _ => {}
                        }
                        if k.family && family_directives.is_empty() {
                            self.d.error_hint(
                                &s.loc,
                                DiagKind::BadDirective,
                                format!(
                                    "`{}` table belongs to a family, but the file names none",
                                    s.kind
                                ),
                                "start the file with a `> family: Name` line",
                            );
                        }
                    }
                }
                for dir in &s.directives {
                    if dir.key == "family" {
                        self.d.error(
                            &dir.value.loc,
                            DiagKind::BadDirective,
                            "`family` applies to a whole file: put it before the first `##` heading",
                        );
                    }
                }
            }
        }
    }
}
