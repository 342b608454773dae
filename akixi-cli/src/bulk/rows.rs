//! Rows read for bulk work (import, and the desired side of a plan): CSV headed by wire or
//! flag names (matched regardless of case and spaces where that is unambiguous, a likely
//! property suggested for a header that matches none), a JSON document or JSON Lines in the
//! shape `info --format json` prints, from a file or standard input; every row checked as its
//! operation's request before anything is sent (for its telephony server's platform), two rows
//! for the same entity refused, every problem located by the file's own line and column; each
//! row's entity key and fingerprint.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use akixi_client::akixi::{Platform, SERVICE, dynamic};
use akixi_client::akixi_ws::ResultKind;
use akixi_client::runtime::akixi_ws::{
    DynError, InputUse, OperationInfo, PropertyInfo, SetError, ValueKind,
};
use clap::{Arg, ArgAction, ArgMatches};

use crate::bulk::input::{self, Format, Lines};
use crate::error::CliError;
use crate::servers::Servers;
use crate::spec_cli;
use crate::spec_cli::names::{property_by_header, wire_path};
use crate::spec_cli::values::{check_value, unsupported_on_axis};
use crate::terminal_text;

/// How this run reads its bulk file: `--delimiter` and `--ignore-unknown-columns`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// The CSV delimiter; `None`: sniffed from the header (`,`, `;` or tab).
    pub delimiter: Option<u8>,
    /// Leave out (and list) the CSV columns and JSON names the operation does not take,
    /// instead of refusing the file.
    pub ignore_unknown_columns: bool,
}

/// The run's [`ReadOptions`] (one command per process), set from its flags by
/// [`set_read_options`].
static READ_OPTIONS: OnceLock<ReadOptions> = OnceLock::new();

/// The flags of the commands that read a bulk file (import, plan, apply, drift).
pub fn read_args() -> [Arg; 2] {
    [
        Arg::new("delimiter")
            .long("delimiter")
            .value_name("CHAR")
            .value_parser(input::parse_delimiter)
            .help("The CSV's delimiter (; or tab, …); by default the header's most frequent of , ; and tab"),
        Arg::new("ignore-unknown-columns")
            .long("ignore-unknown-columns")
            .action(ArgAction::SetTrue)
            .help("Leave out the columns (JSON: the names) that are not properties of the operation, listing them, instead of refusing the file"),
    ]
}

/// Sets the run's [`ReadOptions`] from the command's flags (a command without them reads with
/// the defaults).
pub fn set_read_options(cm: &ArgMatches) {
    let options = ReadOptions {
        delimiter: cm.try_get_one::<u8>("delimiter").ok().flatten().copied(),
        ignore_unknown_columns: cm
            .try_get_one::<bool>("ignore-unknown-columns")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false),
    };
    let _ = READ_OPTIONS.set(options);
}

/// The run's [`ReadOptions`].
pub fn read_options() -> ReadOptions {
    READ_OPTIONS.get().copied().unwrap_or_default()
}

/// A problem in the input file, located the way a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// File line (the header is line 1).
    pub line: u64,
    /// 1-based column, when the problem is one cell's.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "line {}, column {}: {}", self.line, c, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// One data row, ready to send.
#[derive(Debug, Clone)]
pub struct Row {
    /// File line.
    pub line: u64,
    /// `(wire path, text)` for every non-empty cell.
    pub fields: Vec<(String, String)>,
    /// The entity's key (its key properties' values, `/`-joined), for the results file.
    pub key: String,
    /// A hash of what the row sets, so a resumed import knows an edited row from a done one.
    pub fingerprint: String,
}

/// A stable hash of a row's `(path, value)` pairs, in order of path (FNV-1a, 64 bits, hex):
/// the same row gives the same text in every run and version.
fn fingerprint(fields: &[(String, String)], op: &'static OperationInfo) -> String {
    // A secret's value never goes into a hash that is written down (a fast hash of a weak
    // password is a guess away).
    let secret = |path: &str| {
        spec_cli::names::inputs(op)
            .any(|f| f.property.kind == ValueKind::Secret && wire_path(f.property) == path)
    };
    let mut h = Fnv::default();
    h.write_sorted_pairs(fields.iter().filter(|(p, _)| !secret(p)));
    h.hex()
}

/// FNV-1a, 64 bits: a hash that is the same in every run and version (std's is not), for the
/// fingerprints of rows, files and states.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds `bytes`.
    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Adds one `(name, value)` pair, delimited so that no two pairs write the same bytes.
    pub fn write_pair(&mut self, name: &str, value: &str) {
        self.write(name.as_bytes());
        self.write(&[0x1f]);
        self.write(value.as_bytes());
        self.write(&[0x1e]);
    }

    /// Adds `pairs` in sorted order (so the hash does not depend on the order they come in).
    pub fn write_sorted_pairs<'p>(&mut self, pairs: impl Iterator<Item = &'p (String, String)>) {
        let mut sorted: Vec<&(String, String)> = pairs.collect();
        sorted.sort();
        for (name, value) in sorted {
            self.write_pair(name, value);
        }
    }

    /// The hash, as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Which platform a row's request is for (from the fields it sets).
pub type PlatformOf<'a> = &'a dyn Fn(&[(String, String)]) -> Option<Platform>;

/// Reads and checks every row of `path` (`-`: standard input) for `op`, with the run's
/// [`ReadOptions`]; returns the rows, or every problem. What the file holds is told by its
/// content ([`input::format_of`]): JSON Lines (one object per line, in the shape
/// `info --format json` prints; any file named `*.jsonl` or `*.ndjson`), one JSON document (an
/// array of such objects, or the command's own `{"records": […]}`, rows numbered by record), or
/// CSV (its delimiter sniffed unless given). Two rows naming the same entity are both reported.
pub fn read_rows(
    path: &Path,
    op: &'static OperationInfo,
    platform_of: PlatformOf<'_>,
) -> Result<Vec<Row>, Vec<RowProblem>> {
    read_rows_with(path, op, platform_of, read_options())
}

/// [`read_rows`] with explicit [`ReadOptions`].
pub fn read_rows_with(
    path: &Path,
    op: &'static OperationInfo,
    platform_of: PlatformOf<'_>,
    options: ReadOptions,
) -> Result<Vec<Row>, Vec<RowProblem>> {
    let checks = RowChecks {
        op,
        platform_of,
        key_props: key_props(op),
        options,
        name: input::name(path),
    };
    let mut problems = Vec::new();
    let text = match input::read_text(path) {
        Ok(t) => t,
        Err(message) => {
            return Err(vec![RowProblem {
                line: 1,
                column: None,
                message,
            }]);
        }
    };
    let rows = match input::format_of(path, &text) {
        Format::JsonLines => read_json_lines(&text, &checks, &mut problems),
        Format::Json => read_json(&text, &checks, &mut problems),
        Format::Csv => read_csv(&text, &checks, &mut problems),
    };
    duplicates(op, &rows, &mut problems);
    if problems.is_empty() {
        Ok(rows)
    } else {
        // In the file's order (a duplicate is found after its row was read).
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// A key as the service means it: each part trimmed, an integer as its number (`03` is `3`).
fn normalized_key(op: &OperationInfo, row: &Row, key_props: &[String]) -> String {
    let family = SERVICE.family(op.family);
    key_props
        .iter()
        .map(|k| {
            let value = row
                .fields
                .iter()
                .find(|(p, _)| p == k)
                .map_or("", |(_, v)| v.trim());
            let integer = family.is_some_and(|f| {
                f.properties
                    .iter()
                    .any(|p| wire_path(p) == *k && matches!(p.kind, ValueKind::Integer { .. }))
            });
            match value.parse::<i64>() {
                Ok(n) if integer => n.to_string(),
                _ => value.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Two rows for the same entity (by the family's key, as the service means it): the later
/// one is reported, naming the earlier's line, as a plan does; both would be sent otherwise,
/// the later winning and the other failing.
fn duplicates(op: &OperationInfo, rows: &[Row], problems: &mut Vec<RowProblem>) {
    let key_props = key_props(op);
    if key_props.is_empty() {
        return;
    }
    let mut first: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        let key = normalized_key(op, row, &key_props);
        if key.split('/').all(str::is_empty) {
            continue;
        }
        if let Some(earlier) = first.get(&key) {
            problems.push(RowProblem {
                line: row.line,
                column: None,
                message: format!(
                    "the same entry ({}) as line {earlier}: each entry once per file",
                    row.key
                ),
            });
        } else {
            first.insert(key, row.line);
        }
    }
}

/// [`read_rows`], with every problem printed (`FILE: line L, column C: …`) and a usage error
/// saying how many there were and that `nothing` was done.
pub fn read_rows_or_report(
    path: &Path,
    op: &'static OperationInfo,
    platform_of: PlatformOf<'_>,
    nothing: &str,
) -> Result<Vec<Row>, CliError> {
    let name = input::name(path);
    read_rows(path, op, platform_of).map_err(|problems| {
        // A problem may quote a cell: shown with its control characters escaped.
        for p in &problems {
            eprintln!("{}", terminal_text::escaped(&format!("{name}: {p}")));
        }
        CliError::Usage(format!(
            "{} problem(s) in {}; {nothing}",
            problems.len(),
            terminal_text::escaped(&name)
        ))
    })
}

/// What every row is checked against, whatever the file's format.
struct RowChecks<'a> {
    op: &'static OperationInfo,
    platform_of: PlatformOf<'a>,
    key_props: Vec<String>,
    options: ReadOptions,
    /// The file's name in messages.
    name: String,
}

/// The entity's key: the family's key properties (several for a composite key), else the
/// operation's first required property.
pub fn key_props(op: &OperationInfo) -> Vec<String> {
    SERVICE
        .family(op.family)
        .map(|f| {
            f.keys
                .iter()
                .map(|&i| wire_path(&f.properties[i]))
                .collect()
        })
        .filter(|k: &Vec<String>| !k.is_empty())
        .or_else(|| {
            op.fields
                .iter()
                .find(|f| matches!(f.input, Some(InputUse::Required | InputUse::Key)))
                .map(|f| vec![wire_path(f.property)])
        })
        .unwrap_or_default()
}

impl RowChecks<'_> {
    /// The row of `fields` read at `line`, if the request they make is valid; otherwise its
    /// problems (located at the column `column_of` gives for a property, when it can).
    fn row(
        &self,
        line: u64,
        fields: Vec<(String, String)>,
        column_of: &dyn Fn(&str) -> Option<usize>,
        problems: &mut Vec<RowProblem>,
    ) -> Option<Row> {
        let op = self.op;
        match dynamic::validate(op.name, &fields, (self.platform_of)(&fields)) {
            Ok(()) => {
                if let Some((message, paths)) = unsupported_on_axis(op, &fields) {
                    problems.push(RowProblem {
                        line,
                        column: paths.first().and_then(|p| column_of(p)),
                        message,
                    });
                    return None;
                }
            }
            Err(DynError::Fields(errors)) => {
                for e in errors {
                    let property = match &e {
                        SetError::Missing { property }
                        | SetError::Key { property }
                        | SetError::BadValue { property, .. }
                        | SetError::UnknownProperty { property, .. } => property.clone(),
                    };
                    problems.push(RowProblem {
                        line,
                        column: column_of(&property),
                        message: e.to_string(),
                    });
                }
                return None;
            }
            Err(e) => {
                problems.push(RowProblem {
                    line,
                    column: None,
                    message: e.to_string(),
                });
                return None;
            }
        }
        let key = self
            .key_props
            .iter()
            .map(|k| {
                fields
                    .iter()
                    .find(|(p, _)| p == k)
                    .map_or("", |(_, v)| v.as_str())
            })
            .collect::<Vec<_>>()
            .join("/");
        let fingerprint = fingerprint(&fields, op);
        Some(Row {
            line,
            fields,
            key,
            fingerprint,
        })
    }
}

/// One JSON document: an array of records, or a command's `{"records": […]}`.
fn read_json(text: &str, checks: &RowChecks<'_>, problems: &mut Vec<RowProblem>) -> Vec<Row> {
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            problems.push(RowProblem {
                line: e.line() as u64,
                column: (e.column() > 0).then_some(e.column()),
                message: format!("not JSON: {e}"),
            });
            return Vec::new();
        }
    };
    let records = match doc {
        serde_json::Value::Array(records) => records,
        serde_json::Value::Object(map)
            if map
                .get("result")
                .is_some_and(|r| r.as_str() != Some(ResultKind::Success.as_str())) =>
        {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: format!(
                    "the document says its command ended {} (an export cut short is not a whole state)",
                    map.get("result").map_or_else(String::new, ToString::to_string)
                ),
            });
            return Vec::new();
        }
        serde_json::Value::Object(mut map) => match map.remove("records") {
            Some(serde_json::Value::Array(records)) => records,
            _ => vec![serde_json::Value::Object(map)],
        },
        _ => {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: "expected an array of records".into(),
            });
            return Vec::new();
        }
    };
    let lines = records
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, Ok(r)));
    json_rows(lines, checks, problems)
}

/// JSON Lines: one object per non-blank line (LF or CRLF), read through the generated types.
fn read_json_lines(text: &str, checks: &RowChecks<'_>, problems: &mut Vec<RowProblem>) -> Vec<Row> {
    let lines = text.lines().enumerate().filter_map(|(i, text)| {
        let line = i as u64 + 1;
        (!text.trim().is_empty()).then(|| {
            (
                line,
                serde_json::from_str::<serde_json::Value>(text)
                    .map_err(|e| (e.column(), format!("not JSON: {e}"))),
            )
        })
    });
    json_rows(lines, checks, problems)
}

/// The rows of JSON records, each numbered (its line, or its place in an array), read through
/// the generated types; the properties they set that the operation does not take are left out
/// with one note (and, with `--ignore-unknown-columns`, the names the family does not have).
fn json_rows(
    records: impl Iterator<Item = (u64, Result<serde_json::Value, (usize, String)>)>,
    checks: &RowChecks<'_>,
    problems: &mut Vec<RowProblem>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for (line, doc) in records {
        let doc = match doc {
            Ok(d) => d,
            Err((column, message)) => {
                problems.push(RowProblem {
                    line,
                    column: Some(column),
                    message,
                });
                continue;
            }
        };
        match crate::from_json::record_fields_with(
            checks.op,
            doc,
            &[],
            checks.options.ignore_unknown_columns,
        ) {
            Ok(read) => {
                for d in read.left_out {
                    if !dropped.contains(&d) {
                        dropped.push(d);
                    }
                }
                for d in read.unknown {
                    if !ignored.contains(&d) {
                        ignored.push(d);
                    }
                }
                if let Some(row) = checks.row(line, read.fields, &|_| None, problems) {
                    rows.push(row);
                }
            }
            Err(message) => problems.push(RowProblem {
                line,
                column: None,
                message,
            }),
        }
    }
    if !dropped.is_empty() {
        // The names are the file's own keys.
        eprintln!(
            "akixi: {}: {} does not take {}; left out",
            terminal_text::escaped(&checks.name),
            checks.op.name,
            terminal_text::escaped(&dropped.join(", "))
        );
    }
    if !ignored.is_empty() {
        eprintln!(
            "akixi: {}: ignored (not properties of {}; --ignore-unknown-columns): {}",
            terminal_text::escaped(&checks.name),
            checks.op.family,
            terminal_text::escaped(&ignored.join(", "))
        );
    }
    rows
}

/// Letters and digits only, lower case: `Full Name`, `FULLNAME` and `full_name` read alike.
fn loose(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The names a header may loosely give `p` of `op`: its wire path, its flag name, its own
/// name (unqualified) and aliases, each [`loose`].
fn loose_names(op: &OperationInfo, p: &PropertyInfo) -> Vec<String> {
    let mut names = vec![
        loose(&wire_path(p)),
        loose(&spec_cli::names::flag_name(op, p)),
        loose(p.name),
    ];
    for a in p.aliases {
        names.push(loose(a));
        if let Some(c) = p.container {
            names.push(loose(&format!("{c}{a}")));
        }
    }
    names
}

/// How a CSV header was read.
enum Header {
    /// A property's name as the spec spells it.
    Exact(&'static PropertyInfo),
    /// A property, matched regardless of case, spaces and punctuation.
    Loose(&'static PropertyInfo),
    /// Loosely, more than one property.
    Ambiguous(Vec<&'static PropertyInfo>),
    /// None; the likeliest property, if one is close.
    Unknown(Option<&'static PropertyInfo>),
}

/// Reads header `h` of `op`'s file.
fn read_header(op: &'static OperationInfo, h: &str) -> Header {
    if let Some(p) = property_by_header(op, h) {
        return Header::Exact(p);
    }
    let wanted = loose(h);
    if wanted.is_empty() {
        return Header::Unknown(None);
    }
    let matches: Vec<&'static PropertyInfo> = spec_cli::names::inputs(op)
        .map(|f| f.property)
        .filter(|p| loose_names(op, p).contains(&wanted))
        .collect();
    match matches.len() {
        0 => Header::Unknown(suggestion(op, &wanted)),
        1 => Header::Loose(matches[0]),
        _ => Header::Ambiguous(matches),
    }
}

/// The property of `op` a header (already [`loose`]) most likely means: one whose name starts
/// with it or holds it (`Email` → `EmailAddr`), else the closest by Jaro-Winkler similarity.
fn suggestion(op: &'static OperationInfo, wanted: &str) -> Option<&'static PropertyInfo> {
    let mut best: Option<(f64, &'static PropertyInfo)> = None;
    for p in spec_cli::names::inputs(op).map(|f| f.property) {
        for name in [loose(p.name), loose(&wire_path(p))] {
            let score =
                if wanted.len() >= 3 && (name.starts_with(wanted) || wanted.starts_with(&name)) {
                    0.95
                } else if wanted.len() >= 4 && name.contains(wanted) {
                    0.9
                } else {
                    strsim::jaro_winkler(wanted, &name)
                };
            if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, p));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// CSV headed by wire names (or flag names, or either loosely), its delimiter given or sniffed,
/// every row at the line where it starts in the file.
fn read_csv(text: &str, checks: &RowChecks<'_>, problems: &mut Vec<RowProblem>) -> Vec<Row> {
    let op = checks.op;
    let delimiter = checks
        .options
        .delimiter
        .unwrap_or_else(|| input::sniff_delimiter(text));
    let mut lines = Lines::new(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: format!("bad header: {e}"),
            });
            return Vec::new();
        }
    };
    let header_line = headers.position().map_or(1, |p| {
        lines.record_line(usize::try_from(p.byte()).unwrap_or(0))
    });
    // Map each column to its property.
    let example = spec_cli::names::inputs(op)
        .find(|f| f.property.container.is_some())
        .or_else(|| spec_cli::names::inputs(op).next())
        .map_or_else(String::new, |f| {
            format!(" such as {}", wire_path(f.property))
        });
    let mut columns: Vec<Option<&'static PropertyInfo>> = Vec::new();
    let mut read_as = Vec::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let column = Some(i + 1);
        let mut problem = |message: String| {
            problems.push(RowProblem {
                line: header_line,
                column,
                message,
            });
        };
        let shown = terminal_text::escaped(h);
        let p = match read_header(op, h) {
            Header::Exact(p) => Some(p),
            Header::Loose(p) => {
                read_as.push(format!("`{shown}` as {}", wire_path(p)));
                Some(p)
            }
            Header::Ambiguous(ps) => {
                let names: Vec<String> = ps.iter().map(|p| wire_path(p)).collect();
                problem(format!(
                    "`{shown}` could be any of {}: name one",
                    names.join(", ")
                ));
                None
            }
            Header::Unknown(likely) if checks.options.ignore_unknown_columns => {
                ignored.push(match likely {
                    Some(p) => format!(
                        "`{shown}` (column {}; did you mean `{}`?)",
                        i + 1,
                        wire_path(p)
                    ),
                    None => format!("`{shown}` (column {})", i + 1),
                });
                None
            }
            Header::Unknown(likely) => {
                let hint = likely.map_or_else(String::new, |p| {
                    format!(": did you mean `{}`?", wire_path(p))
                });
                problem(format!(
                    "`{shown}` is not a property of {}{hint} (use wire names{example}, or flag names; --ignore-unknown-columns leaves such columns out)",
                    op.name
                ));
                None
            }
        };
        if let Some(p) = p
            && let Some(first) = columns
                .iter()
                .position(|c| c.is_some_and(|c| std::ptr::eq(c, p)))
        {
            problem(format!(
                "`{shown}` is {} again (column {})",
                wire_path(p),
                first + 1
            ));
            columns.push(None);
            continue;
        }
        columns.push(p);
    }
    if !read_as.is_empty() {
        eprintln!(
            "akixi: {}: read {}",
            terminal_text::escaped(&checks.name),
            read_as.join(", ")
        );
    }
    if !ignored.is_empty() {
        eprintln!(
            "akixi: {}: ignored column(s), not properties of {} (--ignore-unknown-columns): {}",
            terminal_text::escaped(&checks.name),
            op.name,
            ignored.join(", ")
        );
    }
    let column_of = |property: &str| {
        columns
            .iter()
            .position(|c| c.is_some_and(|p| wire_path(p) == property))
            .map(|i| i + 1)
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| {
                    lines.record_line(usize::try_from(p.byte()).unwrap_or(0))
                });
                problems.push(RowProblem {
                    line,
                    column: None,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| {
            lines.record_line(usize::try_from(p.byte()).unwrap_or(0))
        });
        if record.len() != headers.len() {
            let hint = if record.len() == 1 && headers.len() > 1 {
                format!(
                    " (is it separated by another delimiter than {:?}? --delimiter)",
                    char::from(delimiter)
                )
            } else {
                String::new()
            };
            problems.push(RowProblem {
                line,
                column: None,
                message: format!(
                    "{} cells but the header has {}{hint}",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let mut fields = Vec::new();
        let mut cell_problem = false;
        for (i, (text, col)) in record.iter().zip(&columns).enumerate() {
            let Some(p) = col else { continue };
            if text.trim().is_empty() {
                continue;
            }
            if let Err(message) = check_value(p, text) {
                problems.push(RowProblem {
                    line,
                    column: Some(i + 1),
                    message: format!("{}: {message}", wire_path(p)),
                });
                cell_problem = true;
                continue;
            }
            fields.push((wire_path(p), text.to_string()));
        }
        if cell_problem {
            continue;
        }
        if let Some(row) = checks.row(line, fields, &column_of, problems) {
            rows.push(row);
        }
    }
    rows
}

/// The platform a row is checked for: `--platform` if given, else that of the telephony
/// server it names (as the service gave it), else `default`.
pub fn row_platform(
    fields: &[(String, String)],
    servers: &Servers,
    default: Option<Platform>,
) -> Option<Platform> {
    servers.platform_of(fields, default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use akixi_client::akixi::OPERATIONS;

    fn op(name: &str) -> &'static OperationInfo {
        OPERATIONS
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn path_of(h: Header) -> Result<String, String> {
        match h {
            Header::Exact(p) => Ok(format!("exact {}", wire_path(p))),
            Header::Loose(p) => Ok(format!("loose {}", wire_path(p))),
            Header::Ambiguous(ps) => Err(format!("ambiguous {}", ps.len())),
            Header::Unknown(p) => Err(format!("unknown {:?}", p.map(wire_path))),
        }
    }

    #[test]
    fn headers_are_read_exactly_then_loosely_where_unambiguous() {
        let add = op("UserAdd");
        let read = |h: &str| path_of(read_header(add, h));
        assert_eq!(read("FullName"), Ok("exact FullName".into()));
        assert_eq!(read("scope-tel-sys-id"), Ok("exact Scope.TelSysID".into()));
        assert_eq!(read("Full Name"), Ok("loose FullName".into()));
        assert_eq!(read("FULLNAME"), Ok("loose FullName".into()));
        assert_eq!(read("full_name"), Ok("loose FullName".into()));
        assert_eq!(read("Scope TelSysID"), Ok("loose Scope.TelSysID".into()));
        assert_eq!(read("TelSysID"), Err("ambiguous 2".into()));
        assert_eq!(read("Email"), Err("unknown Some(\"EmailAddr\")".into()));
        assert_eq!(read("Full Nme"), Err("unknown Some(\"FullName\")".into()));
        assert_eq!(read("Department"), Err("unknown None".into()));
        assert_eq!(read("  "), Err("unknown None".into()));
    }

    fn row(line: u64, fields: &[(&str, &str)]) -> Row {
        Row {
            line,
            fields: fields
                .iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect(),
            key: String::new(),
            fingerprint: String::new(),
        }
    }

    #[test]
    fn two_rows_for_one_entry_are_found_as_the_service_means_the_key() {
        let add = op("DirectoryEntryAdd");
        let rows = [
            row(
                2,
                &[
                    ("TelSysID", "1"),
                    ("PartIDInTelSys", "2"),
                    ("TelephoneNumber", "0800"),
                ],
            ),
            row(
                3,
                &[
                    ("TelSysID", "01"),
                    ("PartIDInTelSys", "2 "),
                    ("TelephoneNumber", "0800"),
                ],
            ),
            row(
                4,
                &[
                    ("TelSysID", "1"),
                    ("PartIDInTelSys", "2"),
                    ("TelephoneNumber", "08000"),
                ],
            ),
        ];
        let mut problems = Vec::new();
        duplicates(add, &rows, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].message.contains("as line 2"), "{problems:?}");
    }
}
