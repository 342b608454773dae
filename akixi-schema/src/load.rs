//! From spec files to the model: read, parse, resolve names, cross-check.
//!
//! Every stage records its problems in one [`Diagnostics`] collector and carries on with what it
//! could read, so one run reports every problem. Nothing here panics on any input.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Loc, did_you_mean};
use crate::model::*;
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
        optional: &["Variant", "Number", "Description", "Source", "Provisional"],
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
        optional: &["Description", "Source", "Provisional"],
    },
    TableKind {
        name: "operations",
        family: true,
        arg: None,
        required: &["Operation", "Kind"],
        optional: &["Description", "Paged", "Element", "Source", "Provisional"],
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

/// Load the spec in `dir`. Paths in diagnostics start with `display` instead of `dir`.
pub fn load(dir: &Path, display: &str) -> Result<Spec, Vec<Diagnostic>> {
    let (spec, diags, failed) = load_partial(dir, display);
    if failed { Err(diags) } else { Ok(spec) }
}

/// Load what can be loaded: the model of every service whose `service` table is usable, every
/// diagnostic, and whether any of them is an error.
pub fn load_partial(dir: &Path, display: &str) -> (Spec, Vec<Diagnostic>, bool) {
    let mut d = Diagnostics::default();
    let display = display.trim_end_matches('/');
    let dir_loc = Loc::new(&Arc::from(display), 1, 1);
    let mut files = Vec::new();
    let mut services = Vec::new();

    let mut service_dirs = match list_dir(dir) {
        Ok(entries) => entries
            .into_iter()
            .filter(|p| p.is_dir())
            .collect::<Vec<_>>(),
        Err(e) => {
            d.error(
                &dir_loc,
                DiagKind::Unreadable,
                format!("cannot read the spec directory: {e}"),
            );
            return (Spec { services, files }, d.into_sorted(), true);
        }
    };
    service_dirs.sort();
    if service_dirs.is_empty() {
        d.error_hint(
            &dir_loc,
            DiagKind::Missing,
            "the spec directory holds no service",
            "each service is a sub-directory of `.md` files, one of them with a `## service` table",
        );
    }
    for sdir in service_dirs {
        let dir_name = sdir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = format!("{display}/{dir_name}");
        let mut docs = Vec::new();
        let mut md_files = match list_dir(&sdir) {
            Ok(entries) => entries
                .into_iter()
                .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "md"))
                .collect::<Vec<_>>(),
            Err(e) => {
                d.error(
                    &Loc::new(&Arc::from(shown.as_str()), 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read the service directory: {e}"),
                );
                continue;
            }
        };
        md_files.sort();
        for path in md_files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file: Arc<str> = Arc::from(format!("{shown}/{name}"));
            files.push(path.clone());
            match std::fs::read(&path) {
                Err(e) => d.error(
                    &Loc::new(&file, 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read: {e}"),
                ),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => docs.push(Document::parse(Arc::clone(&file), &text, &mut d)),
                    Err(e) => {
                        let bytes = e.as_bytes();
                        let good = e.utf8_error().valid_up_to();
                        let before = String::from_utf8_lossy(&bytes[..good]);
                        let line = before.matches('\n').count() + 1;
                        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                        d.error(
                            &Loc::new(&file, to_u32(line), to_u32(col)),
                            DiagKind::BadUtf8,
                            "the file is not valid UTF-8",
                        );
                    }
                },
            }
        }
        let svc_loc = Loc::new(&Arc::from(shown.as_str()), 1, 1);
        if let Some(svc) = ServiceLoader::new(&mut d, &docs, svc_loc).load() {
            services.push(svc);
        }
    }
    let failed = d.has_errors();
    (Spec { services, files }, d.into_sorted(), failed)
}

fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A table with its columns resolved.
struct Rows<'a> {
    section: &'a Section,
    doc: &'a Document,
    table: &'a Table,
    cols: HashMap<&'a str, usize>,
}

impl<'a> Rows<'a> {
    fn cell<'r>(&self, row: &'r [Cell], col: &str) -> Option<&'r Cell> {
        self.cols.get(col).and_then(|i| row.get(*i))
    }

    fn text<'r>(&self, row: &'r [Cell], col: &str) -> &'r str {
        self.cell(row, col).map_or("", |c| c.text.as_str())
    }

    fn directive(&self, key: &str) -> Option<&'a Directive> {
        self.section
            .directives
            .iter()
            .chain(self.doc.directives.iter())
            .find(|d| d.key == key)
    }
}

struct ServiceLoader<'a> {
    d: &'a mut Diagnostics,
    docs: &'a [Document],
    loc: Loc,
    sources: HashSet<String>,
}

impl<'a> ServiceLoader<'a> {
    fn new(d: &'a mut Diagnostics, docs: &'a [Document], loc: Loc) -> Self {
        ServiceLoader {
            d,
            docs,
            loc,
            sources: HashSet::new(),
        }
    }

    /// Every table of kind `kind`, with its columns checked.
    fn tables(&mut self, kind: &str) -> Vec<Rows<'a>> {
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
                            cols,
                        });
                    }
                }
            }
        }
        out
    }

    fn load(mut self) -> Option<Service> {
        self.check_sections();
        self.load_sources();
        let (name, title, description, protocol, svc_loc) = self.load_service_table()?;
        let platforms = self.load_platforms();
        let binding = self.load_binding();
        let mut types = self.load_types();
        self.load_values(&mut types);
        let boolean_spellings = self.load_spellings(&types);
        let categories = self.load_categories();
        let errors = self.load_errors(&categories);
        let conditions = self.load_conditions(&errors);
        let mut families = self.load_families(&types);
        self.load_usage(&mut families);
        self.load_support(&mut families, &platforms);
        self.load_operation_errors(&mut families, &errors, &categories);
        self.check_types(&types, &families);
        self.check_usage(&families, &types);
        Some(Service {
            name,
            title,
            description,
            protocol,
            loc: svc_loc,
            sources: self.source_docs(),
            platforms,
            binding,
            types,
            boolean_spellings,
            categories,
            errors,
            conditions,
            families,
        })
    }

    /// Headings name known table kinds; tables need a heading; family tables need a family.
    fn check_sections(&mut self) {
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

    fn load_sources(&mut self) {
        for rows in self.tables("sources") {
            for row in &rows.table.rows {
                let Some(key) = rows.cell(row, "Source") else {
                    continue;
                };
                if !self.sources.insert(key.text.clone()) {
                    self.d.error(
                        &key.loc,
                        DiagKind::Duplicate,
                        format!("source `{}` is defined twice", key.text),
                    );
                }
            }
        }
    }

    fn source_docs(&mut self) -> Vec<SourceDoc> {
        let mut out = Vec::new();
        for rows in self.tables("sources") {
            for row in &rows.table.rows {
                if let Some(key) = rows.cell(row, "Source")
                    && out.iter().all(|s: &SourceDoc| s.key != key.text)
                {
                    out.push(SourceDoc {
                        key: key.text.clone(),
                        reference: rows.text(row, "Reference").to_string(),
                        loc: key.loc.clone(),
                    });
                }
            }
        }
        out
    }

    fn provenance(&mut self, rows: &Rows<'_>, row: &[Cell]) -> Provenance {
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

    fn yes_no(&mut self, cell: &Cell) -> bool {
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

    fn load_service_table(&mut self) -> Option<(String, String, String, Protocol, Loc)> {
        let tables = self.tables("service");
        let Some(rows) = tables.first() else {
            self.d.error_hint(
                &self.loc,
                DiagKind::Missing,
                "service has no `service` table",
                "add `## service` with `name`, `title` and `protocol` keys",
            );
            return None;
        };
        let mut kv: HashMap<String, Cell> = HashMap::new();
        for row in &rows.table.rows {
            let (Some(k), Some(v)) = (rows.cell(row, "Key"), rows.cell(row, "Value")) else {
                continue;
            };
            if !["name", "title", "protocol", "description"].contains(&k.text.as_str()) {
                self.d.error_hint(
                    &k.loc,
                    DiagKind::BadValue,
                    format!("unknown service key `{}`", k.text),
                    "service keys: name, title, protocol, description",
                );
            }
            if kv.insert(k.text.clone(), v.clone()).is_some() {
                self.d.error(
                    &k.loc,
                    DiagKind::Duplicate,
                    format!("service key `{}` is given twice", k.text),
                );
            }
        }
        let mut get = |key: &str, d: &mut Diagnostics| -> Option<Cell> {
            let v = kv.remove(key);
            if v.as_ref().is_none_or(|c| c.text.is_empty()) {
                d.error(
                    &rows.table.loc,
                    DiagKind::Missing,
                    format!("service table lacks `{key}`"),
                );
                return None;
            }
            v
        };
        let name = get("name", self.d)?;
        let title = get("title", self.d).map(|c| c.text).unwrap_or_default();
        let protocol_cell = get("protocol", self.d)?;
        let description = kv.remove("description").map(|c| c.text).unwrap_or_default();
        let protocol = match Protocol::ALL.iter().find(|(n, _)| *n == protocol_cell.text) {
            Some((_, p)) => *p,
            None => {
                self.d.error_hint(
                    &protocol_cell.loc,
                    DiagKind::BadValue,
                    format!("unknown protocol `{}`", protocol_cell.text),
                    "protocols: akixi-ws, cisco-em",
                );
                return None;
            }
        };
        Some((
            name.text,
            title,
            description,
            protocol,
            rows.table.loc.clone(),
        ))
    }

    fn load_platforms(&mut self) -> Vec<Platform> {
        let mut out: Vec<Platform> = Vec::new();
        for rows in self.tables("platforms") {
            for row in &rows.table.rows {
                let Some(id) = rows.cell(row, "Id") else {
                    continue;
                };
                if !is_kebab(&id.text) {
                    self.d.error(
                        &id.loc,
                        DiagKind::BadValue,
                        format!("platform id `{}` must be lower-case kebab-case", id.text),
                    );
                    continue;
                }
                let matrix = rows.text(row, "Matrix Column");
                if out
                    .iter()
                    .any(|p| p.id == id.text || p.matrix_column == matrix)
                {
                    self.d.error(
                        &id.loc,
                        DiagKind::Duplicate,
                        format!("platform `{}` is defined twice", id.text),
                    );
                    continue;
                }
                let provenance = self.provenance(&rows, row);
                out.push(Platform {
                    id: id.text.clone(),
                    name: rows.text(row, "Name").to_string(),
                    matrix_column: matrix.to_string(),
                    description: rows.text(row, "Description").to_string(),
                    provenance,
                    loc: id.loc.clone(),
                });
            }
        }
        out
    }

    fn load_binding(&mut self) -> Vec<BindingEntry> {
        let mut out: Vec<BindingEntry> = Vec::new();
        for rows in self.tables("binding") {
            for row in &rows.table.rows {
                let Some(key) = rows.cell(row, "Key") else {
                    continue;
                };
                if out.iter().any(|b| b.key == key.text) {
                    self.d.error(
                        &key.loc,
                        DiagKind::Duplicate,
                        format!("binding `{}` is given twice", key.text),
                    );
                    continue;
                }
                let provenance = self.provenance(&rows, row);
                out.push(BindingEntry {
                    key: key.text.clone(),
                    value: rows.text(row, "Value").to_string(),
                    provenance,
                    loc: key.loc.clone(),
                });
            }
        }
        out
    }

    fn load_types(&mut self) -> Vec<ValueType> {
        let mut out: Vec<ValueType> = Vec::new();
        for rows in self.tables("types") {
            for row in &rows.table.rows {
                let Some(name) = rows.cell(row, "Type") else {
                    continue;
                };
                if !is_ident(&name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::BadValue,
                        format!(
                            "type name `{}` must be an identifier (letters, digits, `_`)",
                            name.text
                        ),
                    );
                    continue;
                }
                if out.iter().any(|t| t.name == name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::Duplicate,
                        format!("type `{}` is defined twice", name.text),
                    );
                    continue;
                }
                let Some(kind) = self.type_kind(&rows, row) else {
                    continue;
                };
                let provenance = self.provenance(&rows, row);
                out.push(ValueType {
                    name: name.text.clone(),
                    kind,
                    description: rows.text(row, "Description").to_string(),
                    values: Vec::new(),
                    provenance,
                    loc: name.loc.clone(),
                });
            }
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

    fn load_values(&mut self, types: &mut [ValueType]) {
        let mut seen_tables: HashSet<String> = HashSet::new();
        for rows in self.tables("values") {
            let Some(arg) = rows.section.arg.clone() else {
                continue;
            };
            let Some(ty) = types.iter_mut().find(|t| t.name == arg.text) else {
                let hint = did_you_mean(&arg.text, Vec::<&str>::new())
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
            if !seen_tables.insert(arg.text.clone()) {
                self.d.error(
                    &arg.loc,
                    DiagKind::Duplicate,
                    format!("`{}` has two values tables", arg.text),
                );
            }
            for row in &rows.table.rows {
                let Some(value) = rows.cell(row, "Value") else {
                    continue;
                };
                if value.text.is_empty() {
                    self.d.error(&value.loc, DiagKind::BadValue, "empty value");
                    continue;
                }
                let variant = match rows.cell(row, "Variant").filter(|c| !c.text.is_empty()) {
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
                if let Some(prev) = ty
                    .values
                    .iter()
                    .find(|v| v.value == value.text || v.variant == variant)
                {
                    let what = if prev.value == value.text {
                        format!("value `{}` of `{}` is defined twice", value.text, ty.name)
                    } else {
                        format!(
                            "values `{}` and `{}` both become variant `{variant}`",
                            prev.value, value.text
                        )
                    };
                    self.d.error_hint(
                        &value.loc,
                        DiagKind::Duplicate,
                        what,
                        format!("first defined at {}", prev.loc),
                    );
                    continue;
                }
                let number = match rows.cell(row, "Number").filter(|c| !c.text.is_empty()) {
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
                let provenance = self.provenance(&rows, row);
                ty.values.push(EnumValue {
                    value: value.text.clone(),
                    variant,
                    number,
                    description: rows.text(row, "Description").to_string(),
                    provenance,
                    loc: value.loc.clone(),
                });
            }
        }
    }

    fn load_spellings(&mut self, types: &[ValueType]) -> Vec<BooleanSpelling> {
        let mut out: Vec<BooleanSpelling> = Vec::new();
        for rows in self.tables("boolean-spellings") {
            for row in &rows.table.rows {
                let (Some(sp), Some(val)) = (rows.cell(row, "Spelling"), rows.cell(row, "Value"))
                else {
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
                if out.iter().any(|s| s.spelling == sp.text) {
                    self.d.error(
                        &sp.loc,
                        DiagKind::Duplicate,
                        format!("spelling `{}` is given twice", sp.text),
                    );
                    continue;
                }
                let canonical = rows.cell(row, "Canonical").is_some_and(|c| self.yes_no(c));
                out.push(BooleanSpelling {
                    spelling: sp.text.clone(),
                    value,
                    canonical,
                    loc: sp.loc.clone(),
                });
            }
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

    fn load_categories(&mut self) -> Vec<ErrorCategory> {
        let mut out: Vec<ErrorCategory> = Vec::new();
        for rows in self.tables("error-categories") {
            for row in &rows.table.rows {
                let Some(id) = rows.cell(row, "Category") else {
                    continue;
                };
                let title = rows.text(row, "Title").to_string();
                let aliases: Vec<String> = split_list(rows.text(row, "Aliases"));
                if out.iter().any(|c| c.id == id.text) {
                    self.d.error(
                        &id.loc,
                        DiagKind::Duplicate,
                        format!("category `{}` is defined twice", id.text),
                    );
                    continue;
                }
                out.push(ErrorCategory {
                    id: id.text.clone(),
                    title,
                    aliases,
                    loc: id.loc.clone(),
                });
            }
        }
        out
    }

    fn load_errors(&mut self, categories: &[ErrorCategory]) -> Vec<ErrorDef> {
        let mut out: Vec<ErrorDef> = Vec::new();
        for rows in self.tables("errors") {
            for row in &rows.table.rows {
                let (Some(code_cell), Some(cat)) =
                    (rows.cell(row, "Code"), rows.cell(row, "Category"))
                else {
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
                if let Some(prev) = out.iter().find(|e| e.code == code) {
                    self.d.error_hint(
                        &code_cell.loc,
                        DiagKind::Duplicate,
                        format!("error code {code} is defined twice"),
                        format!("first defined at {}", prev.loc),
                    );
                    continue;
                }
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
                let provenance = self.provenance(&rows, row);
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
        }
        out
    }

    fn load_conditions(&mut self, errors: &[ErrorDef]) -> Vec<ErrorCondition> {
        let mut out: Vec<ErrorCondition> = Vec::new();
        for rows in self.tables("error-conditions") {
            for row in &rows.table.rows {
                let (Some(id), Some(code_cell)) =
                    (rows.cell(row, "Condition"), rows.cell(row, "Code"))
                else {
                    continue;
                };
                if !is_kebab(&id.text) {
                    self.d.error(
                        &id.loc,
                        DiagKind::BadValue,
                        format!("condition `{}` must be lower-case kebab-case", id.text),
                    );
                    continue;
                }
                if out.iter().any(|c| c.id == id.text) {
                    self.d.error(
                        &id.loc,
                        DiagKind::Duplicate,
                        format!("condition `{}` is defined twice", id.text),
                    );
                    continue;
                }
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
                let provenance = self.provenance(&rows, row);
                out.push(ErrorCondition {
                    id: id.text.clone(),
                    code,
                    description: rows.text(row, "Description").to_string(),
                    provenance,
                    loc: id.loc.clone(),
                });
            }
        }
        out
    }

    fn family_of(rows: &Rows<'_>) -> Option<(String, Loc)> {
        rows.doc
            .directives
            .iter()
            .find(|d| d.key == "family")
            .map(|d| (d.value.text.clone(), d.value.loc.clone()))
    }

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
                });
                families.len() - 1
            }
        };
        &mut families[idx]
    }

    fn load_families(&mut self, types: &[ValueType]) -> Vec<Family> {
        let mut families: Vec<Family> = Vec::new();
        let mut all_ops: HashMap<String, Loc> = HashMap::new();
        for rows in self.tables("operations") {
            let Some((fname, floc)) = Self::family_of(&rows) else {
                continue;
            };
            for row in &rows.table.rows {
                let (Some(name), Some(kind)) =
                    (rows.cell(row, "Operation"), rows.cell(row, "Kind"))
                else {
                    continue;
                };
                if !is_ident(&name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::BadValue,
                        format!("operation name `{}` must be an identifier", name.text),
                    );
                    continue;
                }
                if let Some(prev) = all_ops.get(&name.text) {
                    self.d.error_hint(
                        &name.loc,
                        DiagKind::Duplicate,
                        format!("operation `{}` is defined twice", name.text),
                        format!("first defined at {prev}"),
                    );
                    continue;
                }
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
                all_ops.insert(name.text.clone(), name.loc.clone());
                let provenance = self.provenance(&rows, row);
                let element = Some(rows.text(row, "Element").to_string()).filter(|e| !e.is_empty());
                Self::family_mut(&mut families, &fname, &floc)
                    .operations
                    .push(Operation {
                        name: name.text.clone(),
                        kind: *op_kind,
                        description: rows.text(row, "Description").to_string(),
                        paged,
                        element,
                        errors: Vec::new(),
                        provenance,
                        loc: name.loc.clone(),
                    });
            }
        }
        for rows in self.tables("containers") {
            let Some((fname, floc)) = Self::family_of(&rows) else {
                continue;
            };
            for row in &rows.table.rows {
                let Some(name) = rows.cell(row, "Container") else {
                    continue;
                };
                if !is_ident(&name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::BadValue,
                        format!("container name `{}` must be an identifier", name.text),
                    );
                    continue;
                }
                let provenance = self.provenance(&rows, row);
                let fam = Self::family_mut(&mut families, &fname, &floc);
                if fam.containers.iter().any(|c| c.name == name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::Duplicate,
                        format!("container `{}` is defined twice", name.text),
                    );
                    continue;
                }
                fam.containers.push(Container {
                    name: name.text.clone(),
                    description: rows.text(row, "Description").to_string(),
                    provenance,
                    loc: name.loc.clone(),
                });
            }
        }
        for rows in self.tables("properties") {
            let Some((fname, floc)) = Self::family_of(&rows) else {
                continue;
            };
            for row in &rows.table.rows {
                let (Some(name), Some(ty)) = (rows.cell(row, "Property"), rows.cell(row, "Type"))
                else {
                    continue;
                };
                if !is_ident(&name.text) {
                    self.d.error(
                        &name.loc,
                        DiagKind::BadValue,
                        format!("property name `{}` must be an identifier", name.text),
                    );
                    continue;
                }
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
                let container = rows.cell(row, "Container").filter(|c| !c.text.is_empty());
                let access_cell = rows.cell(row, "Access");
                let access = match Access::ALL
                    .iter()
                    .find(|(n, _)| *n == access_cell.map_or("", |c| c.text.as_str()))
                {
                    Some((_, a)) => *a,
                    None => {
                        if let Some(c) = access_cell {
                            self.d.error_hint(
                                &c.loc,
                                DiagKind::BadValue,
                                format!("unknown access `{}`", c.text),
                                "use `read-only-after-creation`, `write-only` or leave it empty",
                            );
                        }
                        Access::ReadWrite
                    }
                };
                let provenance = self.provenance(&rows, row);
                let fam = Self::family_mut(&mut families, &fname, &floc);
                if let Some(c) = container
                    && fam.container(&c.text).is_none()
                {
                    let hint =
                        did_you_mean(&c.text, fam.containers.iter().map(|c| c.name.as_str()))
                            .unwrap_or_else(|| "define it in the `containers` table".to_string());
                    self.d.error_hint(
                        &c.loc,
                        DiagKind::UnknownContainer,
                        format!("unknown container `{}`", c.text),
                        hint,
                    );
                }
                let container = container.map(|c| c.text.clone());
                if let Some(prev) = fam
                    .properties
                    .iter()
                    .find(|p| p.name == name.text && p.container == container)
                {
                    self.d.error_hint(
                        &name.loc,
                        DiagKind::Duplicate,
                        format!("property `{}` is defined twice", prev.path()),
                        format!("first defined at {}", prev.loc),
                    );
                    continue;
                }
                fam.properties.push(Property {
                    name: name.text.clone(),
                    container,
                    ty: ty.text.clone(),
                    access,
                    aliases: split_list(rows.text(row, "Aliases")),
                    default: Some(rows.text(row, "Default").to_string()).filter(|s| !s.is_empty()),
                    element: Some(rows.text(row, "Element").to_string()).filter(|s| !s.is_empty()),
                    net_type: Some(rows.text(row, ".NET Type").to_string())
                        .filter(|s| !s.is_empty()),
                    description: rows.text(row, "Description").to_string(),
                    support: None,
                    usage: Vec::new(),
                    provenance,
                    loc: name.loc.clone(),
                });
            }
        }
        families
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

    fn load_usage(&mut self, families: &mut [Family]) {
        for rows in self.tables("usage") {
            let Some((fname, _)) = Self::family_of(&rows) else {
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

    fn load_support(&mut self, families: &mut [Family], platforms: &[Platform]) {
        for rows in self.tables("platform-support") {
            let Some((fname, _)) = Self::family_of(&rows) else {
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
            // Map each platform (service order) to its column.
            let mut col_of: Vec<Option<usize>> = vec![None; platforms.len()];
            for (i, h) in rows.table.header.iter().enumerate().skip(1) {
                match platforms.iter().position(|p| p.matrix_column == h.text) {
                    Some(pi) => col_of[pi] = Some(i),
                    None => {
                        let hint = did_you_mean(
                            &h.text,
                            platforms.iter().map(|p| p.matrix_column.as_str()),
                        )
                        .unwrap_or_else(|| {
                            "platform columns are the `Matrix Column` names of `platforms`"
                                .to_string()
                        });
                        self.d.error_hint(
                            &h.loc,
                            DiagKind::UnknownPlatform,
                            format!("unknown platform `{}`", h.text),
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
                        format!(
                            "support matrix has no column for platform `{}`",
                            platforms[pi].matrix_column
                        ),
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
                let mut support = Vec::with_capacity(platforms.len());
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
                if prop.support.is_some() {
                    self.d.error(
                        &label.loc,
                        DiagKind::Duplicate,
                        format!("`{}` has two support rows", prop.path()),
                    );
                    continue;
                }
                prop.support = Some(support);
            }
        }
    }

    fn load_operation_errors(
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
                    });
                }
            }
            families[fi].operations[oi].errors = list;
        }
    }

    /// Type references between types: list elements, selector fallbacks, field lists, enum values.
    fn check_types(&mut self, types: &[ValueType], families: &[Family]) {
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

    /// Usage rules: write-only properties are never returned; keys only where an entity is named.
    fn check_usage(&mut self, families: &[Family], types: &[ValueType]) {
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

/// Split a matrix label `Name – Container Container` into (container, name).
fn cell_name(text: &str) -> (Option<&str>, &str) {
    for sep in [" – ", " - ", " — "] {
        if let Some((name, rest)) = text.split_once(sep) {
            let c = rest.trim();
            let c = c.strip_suffix("Container").map_or(c, str::trim);
            return (Some(c), name.trim());
        }
    }
    (None, text.trim())
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A Rust variant name from a wire value: `Akixi 1000` → `Akixi1000`, `en_GB` → `EnGb`,
/// `Device|Create` → `DeviceCreate`.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            // Keep inner capitals (`ACDAgent`), but fold all-caps suffixes of locale codes (`GB` → `Gb`).
            let rest: String = chars.collect();
            if word.len() <= 3 && rest.chars().all(|c| c.is_ascii_uppercase()) {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("Akixi 1000"), "Akixi1000");
        assert_eq!(variant_name("en_GB"), "EnGb");
        assert_eq!(variant_name("Device|Create"), "DeviceCreate");
        assert_eq!(variant_name("ACDAgent|Read"), "ACDAgentRead");
        assert_eq!(variant_name("CME|Read"), "CmeRead");
        assert_eq!(variant_name("v333"), "V333");
        assert_eq!(variant_name("333"), "V333");
        assert_eq!(variant_name("|"), "");
    }

    #[test]
    fn matrix_labels() {
        assert_eq!(
            cell_name("TelSysID – Scope Container"),
            (Some("Scope"), "TelSysID")
        );
        assert_eq!(cell_name("Admin"), (None, "Admin"));
    }
}
