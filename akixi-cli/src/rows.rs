//! Rows read for bulk work (import, and the desired side of a plan): CSV headed by wire or
//! flag names, a JSON document or JSON Lines in the shape `info --format json` prints; every row
//! checked as its operation's request before anything is sent, every problem located by line
//! and column; each row's entity key and fingerprint.

use std::path::Path;

use akixi_client::akixi::{Platform, SERVICE, TELEPHONY_SERVER_PROPERTY, dynamic};
use akixi_client::akixi_ws::ResultKind;
use akixi_client::runtime::akixi_ws::{DynError, InputUse, OperationInfo, SetError, ValueKind};

use crate::spec_cli::{self, check_value, property_by_header, unsupported_on_axis, wire_path};
use crate::{CliError, terminal_text};

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
        spec_cli::inputs(op)
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

/// Reads and checks every row of `path` for `op`; returns the rows, or every problem. A file
/// named `*.jsonl` or `*.ndjson` holds JSON Lines (one object per line, in the shape
/// `info --format json` prints); `*.json` one document (an array of such objects, or the
/// command's own `{"records": […]}`, rows numbered by record); any other, CSV.
pub fn read_rows(
    path: &Path,
    op: &'static OperationInfo,
    platform_of: PlatformOf<'_>,
) -> Result<Vec<Row>, Vec<RowProblem>> {
    let json_lines = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    let checks = RowChecks {
        op,
        platform_of,
        key_props: key_props(op),
    };
    let mut problems = Vec::new();
    let json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let rows = if json_lines {
        read_json_lines(path, &checks, &mut problems)
    } else if json {
        read_json(path, &checks, &mut problems)
    } else {
        read_csv(path, &checks, &mut problems)
    };
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
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
    read_rows(path, op, platform_of).map_err(|problems| {
        // A problem may quote a cell: shown with its control characters escaped.
        for p in &problems {
            eprintln!(
                "{}",
                terminal_text::escaped(&format!("{}: {p}", path.display()))
            );
        }
        CliError::Usage(format!(
            "{} problem(s) in {}; {nothing}",
            problems.len(),
            path.display()
        ))
    })
}

/// The text of `path`, or a problem on its line 1.
fn read_file(path: &Path, problems: &mut Vec<RowProblem>) -> Option<String> {
    std::fs::read_to_string(path)
        .map_err(|e| {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: format!("cannot read {}: {e}", path.display()),
            });
        })
        .ok()
}

/// What every row is checked against, whatever the file's format.
struct RowChecks<'a> {
    op: &'static OperationInfo,
    platform_of: PlatformOf<'a>,
    key_props: Vec<String>,
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
fn read_json(path: &Path, checks: &RowChecks<'_>, problems: &mut Vec<RowProblem>) -> Vec<Row> {
    let Some(text) = read_file(path, problems) else {
        return Vec::new();
    };
    let doc: serde_json::Value = match serde_json::from_str(&text) {
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
    json_rows(path, lines, checks, problems)
}

/// JSON Lines: one object per non-blank line, read through the generated types.
fn read_json_lines(
    path: &Path,
    checks: &RowChecks<'_>,
    problems: &mut Vec<RowProblem>,
) -> Vec<Row> {
    let Some(text) = read_file(path, problems) else {
        return Vec::new();
    };
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
    json_rows(path, lines, checks, problems)
}

/// The rows of JSON records, each numbered (its line, or its place in an array), read through
/// the generated types; the properties they set that the operation does not take are left out
/// with one note.
fn json_rows(
    path: &Path,
    records: impl Iterator<Item = (u64, Result<serde_json::Value, (usize, String)>)>,
    checks: &RowChecks<'_>,
    problems: &mut Vec<RowProblem>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
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
        match crate::from_json::record_fields(checks.op, doc, &[]) {
            Ok((fields, left_out)) => {
                for d in left_out {
                    if !dropped.contains(&d) {
                        dropped.push(d);
                    }
                }
                if let Some(row) = checks.row(line, fields, &|_| None, problems) {
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
            terminal_text::escaped(&path.display().to_string()),
            checks.op.name,
            terminal_text::escaped(&dropped.join(", "))
        );
    }
    rows
}

/// CSV headed by wire names (or flag names).
fn read_csv(path: &Path, checks: &RowChecks<'_>, problems: &mut Vec<RowProblem>) -> Vec<Row> {
    let op = checks.op;
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: format!("cannot read {}: {e}", path.display()),
            });
            return Vec::new();
        }
    };
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
    // Map each column to its property.
    let example = spec_cli::inputs(op)
        .find(|f| f.property.container.is_some())
        .or_else(|| spec_cli::inputs(op).next())
        .map_or_else(String::new, |f| {
            format!(" such as {}", wire_path(f.property))
        });
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match property_by_header(op, h) {
            Some(p) => columns.push(Some(p)),
            None => {
                problems.push(RowProblem {
                    line: 1,
                    column: Some(i + 1),
                    message: format!(
                        "`{h}` is not a property of {} (use wire names{example}, or flag names)",
                        op.name
                    ),
                });
                columns.push(None);
            }
        }
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
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RowProblem {
                    line,
                    column: None,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            problems.push(RowProblem {
                line,
                column: None,
                message: format!(
                    "{} cells but the header has {}",
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

/// The platform of a row: that of the telephony server it names, when known.
pub fn row_platform(
    fields: &[(String, String)],
    servers: &[(i64, Platform)],
    default: Option<Platform>,
) -> Option<Platform> {
    fields
        .iter()
        .filter(|(p, _)| p.rsplit('.').next() == Some(TELEPHONY_SERVER_PROPERTY))
        .filter_map(|(_, v)| v.trim().parse::<i64>().ok())
        .find_map(|id| servers.iter().find(|(s, _)| *s == id).map(|(_, p)| *p))
        .or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_of_a_row_follows_its_telephony_server() {
        let servers = [(1, Platform::CiscoBroadworks), (3, Platform::Hipath3000)];
        let f = |v: &str| vec![("Scope.TelSysID".to_string(), v.to_string())];
        assert_eq!(
            row_platform(&f("3"), &servers, None),
            Some(Platform::Hipath3000)
        );
        assert_eq!(
            row_platform(&f("9"), &servers, Some(Platform::DemoSimulator)),
            Some(Platform::DemoSimulator)
        );
        assert_eq!(row_platform(&[], &servers, None), None);
    }
}
