//! Bulk provisioning: `import` a CSV (validated in full first, then sent concurrently, resumable
//! through its results file) and `export` every entity through paging.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use akixi_client::akixi::{Platform, SERVICE, TELEPHONY_SERVER_PROPERTY, dynamic};
use akixi_client::runtime::akixi_ws::{Condition, condition_code};
use akixi_client::runtime::akixi_ws::{
    DynError, InputUse, OpKind, OperationInfo, SetError, ValueKind,
};
use akixi_client::{Client, Error};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::{Mutex, Semaphore};

use crate::spec_cli::{check_value, property_by_header, unsupported_on_axis, wire_path};
use crate::{CliError, compare, spec_cli};

/// The most rows an import sends at once: beyond, a service is flooded rather than served
/// faster (and tokio's semaphore has a limit of its own).
pub const MAX_CONCURRENCY: i64 = 256;

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
#[derive(Debug, Clone, Default)]
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
    let mut sorted: Vec<&(String, String)> = fields.iter().filter(|(p, _)| !secret(p)).collect();
    sorted.sort();
    let mut h = Fnv::default();
    for (path, value) in sorted {
        h.write(path.as_bytes());
        h.write(&[0x1f]);
        h.write(value.as_bytes());
        h.write(&[0x1e]);
    }
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
        .families
        .iter()
        .find(|f| f.name == op.family)
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
    let doc: serde_json::Value = match std::fs::read_to_string(path)
        .map_err(|e| (1, 0, format!("cannot read {}: {e}", path.display())))
        .and_then(|t| {
            serde_json::from_str(&t)
                .map_err(|e| (e.line() as u64, e.column(), format!("not JSON: {e}")))
        }) {
        Ok(d) => d,
        Err((line, column, message)) => {
            problems.push(RowProblem {
                line,
                column: (column > 0).then_some(column),
                message,
            });
            return Vec::new();
        }
    };
    let records = match doc {
        serde_json::Value::Array(records) => records,
        serde_json::Value::Object(map)
            if map
                .get("result")
                .is_some_and(|r| r.as_str() != Some("Success")) =>
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
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(RowProblem {
                line: 1,
                column: None,
                message: format!("cannot read {}: {e}", path.display()),
            });
            return Vec::new();
        }
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
        eprintln!(
            "akixi: {}: {} does not take {}; left out",
            path.display(),
            checks.op.name,
            dropped.join(", ")
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
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match property_by_header(op, h) {
            Some(p) => columns.push(Some(p)),
            None => {
                problems.push(RowProblem {
                    line: 1,
                    column: Some(i + 1),
                    message: format!("`{h}` is not a property of {} (use wire names such as Scope.TelSysID, or flag names)", op.name),
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

/// The rows a results file already records as done (success or partial), as `(key, row
/// fingerprint)`: a row is skipped on a re-run only if it names the same entity with the same
/// content, wherever it now sits in the file. Files written before the fingerprint column
/// match by key alone.
fn done_rows(results: &Path) -> HashSet<(String, Option<String>)> {
    let mut done = HashSet::new();
    let Ok(mut r) = csv::ReaderBuilder::new().flexible(true).from_path(results) else {
        return done;
    };
    for rec in r.records().flatten() {
        // The outcome words are the results file's own (written by `record_outcome`), not the
        // spec's `Result` values.
        if let (Some(key), Some(outcome)) = (rec.get(1), rec.get(2))
            && (outcome == "success" || outcome == "partial")
        {
            let print = rec.get(6).filter(|p| !p.is_empty()).map(str::to_owned);
            done.insert((key.to_owned(), print));
        }
    }
    done
}

/// Counts of an import.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Rows provisioned.
    pub succeeded: usize,
    /// Rows provisioned with some parts rejected.
    pub partial: usize,
    /// Rows that failed.
    pub failed: usize,
    /// Rows skipped because the results file records them as done.
    pub skipped: usize,
    /// Rows sent more than once (after a failure that did not carry them out, or a lost
    /// answer checked first).
    pub retried: usize,
    /// Rows of a resumed import whose entity exists but differs from the row.
    pub conflicts: usize,
}

impl Summary {
    /// Counts `other`'s rows too.
    pub fn add(&mut self, other: &Summary) {
        self.succeeded += other.succeeded;
        self.partial += other.partial;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.retried += other.retried;
        self.conflicts += other.conflicts;
    }
}

/// Sends `rows` as `op`, `concurrency` at a time, recording each outcome in `results` as it
/// comes (so an interrupted import resumes where it stopped).
pub async fn provision(
    client: &Client,
    op: &'static OperationInfo,
    rows: Vec<Row>,
    concurrency: usize,
    results: Option<&Path>,
) -> Result<Summary, CliError> {
    let done = results.map(done_rows).unwrap_or_default();
    let resuming = results.is_some_and(Path::exists);
    let mut summary = Summary::default();
    let todo: Vec<Step> = rows
        .into_iter()
        .filter(|r| {
            let skip = done.contains(&(r.key.clone(), Some(r.fingerprint.clone())))
                || done.contains(&(r.key.clone(), None));
            if skip {
                summary.skipped += 1;
            }
            !skip
        })
        .map(|row| Step { op, row })
        .collect();
    let sent = send_steps(client, todo, concurrency, results, resuming).await?;
    summary.add(&sent);
    Ok(summary)
}

/// One request of a bulk run: an operation and the row it sends.
#[derive(Debug, Clone)]
pub struct Step {
    /// The operation.
    pub op: &'static OperationInfo,
    /// What it sends (and the line, key and fingerprint the results file records).
    pub row: Row,
}

/// Sends `todo` with `concurrency` requests in flight, a progress bar on a terminal, each
/// outcome appended to `results` (synced every few records and at the end); on a `resuming`
/// run, an add refused because its entity exists is checked against the row. Ctrl-C stops
/// sending new steps; those in flight finish and are recorded.
pub async fn send_steps(
    client: &Client,
    todo: Vec<Step>,
    concurrency: usize,
    results: Option<&Path>,
    resuming: bool,
) -> Result<Summary, CliError> {
    let mut summary = Summary::default();
    let out: Option<Arc<Mutex<(File, usize)>>> = match results {
        Some(path) => {
            let fresh = !path.exists()
                || std::fs::metadata(path)
                    .map(|m| m.len() == 0)
                    .unwrap_or(true);
            let mut f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| CliError::Failure(format!("cannot open {}: {e}", path.display())))?;
            if fresh {
                writeln!(f, "line,key,outcome,code,message,attempts,row")
                    .map_err(|e| CliError::Failure(e.to_string()))?;
            }
            Some(Arc::new(Mutex::new((f, 0))))
        }
        None => None,
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(todo.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let plain = !std::io::stderr().is_terminal();
    // On a resumed run, the code saying the entity exists marks a row done whose outcome the
    // earlier run never recorded.
    let duplicate = |op: &OperationInfo| {
        resuming
            .then(|| {
                condition_code(
                    SERVICE.conditions,
                    Condition::DuplicateEntity,
                    Some(op.family),
                )
            })
            .flatten()
    };
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    // Ctrl-C stops sending new rows; rows in flight finish and are recorded, so a re-run with
    // the same results file sends each row exactly once.
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
        }
    });
    for Step { op, row } in todo {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        let permit = Arc::clone(&gate)
            .acquire_owned()
            .await
            .map_err(|e| CliError::Failure(e.to_string()))?;
        let client = client.clone();
        let duplicate = duplicate(op);
        tasks.spawn(async move {
            let _permit = permit;
            let sent = send_row(&client, op, &row, duplicate).await;
            (row, sent)
        });
        while let Some(done) = tasks.try_join_next() {
            record_outcome(done, &out, &bar, plain, &mut summary).await?;
        }
    }
    while let Some(done) = tasks.join_next().await {
        record_outcome(done, &out, &bar, plain, &mut summary).await?;
    }
    watcher.abort();
    bar.finish_and_clear();
    if let Some(f) = &out {
        f.lock()
            .await
            .0
            .sync_data()
            .map_err(|e| CliError::Failure(format!("cannot sync the results: {e}")))?;
    }
    if interrupted.load(Ordering::SeqCst) {
        return Err(CliError::Failure(format!(
            "interrupted after {} row(s); re-run with the same --results file to continue",
            summary.succeeded + summary.partial + summary.failed
        )));
    }
    Ok(summary)
}

type Records = Vec<akixi_client::runtime::akixi_ws::Record>;

/// What sending a row came to: its last result, how many times it was sent, and why it was sent
/// again or found done without an answer.
struct Sent {
    result: Result<Records, DynError<Error>>,
    attempts: u32,
    note: Option<String>,
    /// On a resumed run, the entity existed but differs from the row: how.
    conflict: Option<String>,
}

type Outcome = (Row, Sent);

/// How many results records are written between syncs of the results file.
const SYNC_EVERY: usize = 64;

/// How many times a row is sent at most (the client's own retries of one send not counted).
const ROW_ATTEMPTS: u32 = 5;

/// Sends a row; sends it again when the client gave up on a failure that did not carry it out,
/// and, when an answer was lost, first looks for its effect so that it is never made twice.
async fn send_row(
    client: &Client,
    op: &'static OperationInfo,
    row: &Row,
    duplicate: Option<u32>,
) -> Sent {
    let mut notes: Vec<String> = Vec::new();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = dynamic::call(client, op.name, &row.fields, None).await;
        let again = match &result {
            Err(DynError::Call(e)) if e.outcome_unknown() => match settled(client, op, row).await {
                Some(done) => {
                    notes.push(format!("{e}; it was carried out"));
                    return Sent {
                        result: Ok(done),
                        attempts,
                        note: Some(notes.join("; ")),
                        conflict: None,
                    };
                }
                None => {
                    notes.push(format!("{e}; not carried out"));
                    true
                }
            },
            Err(DynError::Call(e)) if e.is_retryable() => {
                notes.push(e.to_string());
                true
            }
            _ => false,
        };
        // Resumed: an entity of the row's key exists, from an earlier run whose answer was
        // never recorded, or from someone else. Done if it holds what the row says.
        if let Err(DynError::Call(e)) = &result
            && duplicate.is_some()
            && e.code().map(|c| c.code()) == duplicate
        {
            let (note, conflict) = match differences(client, op, row).await {
                Some(diff) if diff.is_empty() => (
                    Some("already provisioned by an earlier run (it matches the row)".to_owned()),
                    None,
                ),
                Some(diff) => (
                    None,
                    Some(format!("exists, but differs: {}", diff.join("; "))),
                ),
                None => (
                    None,
                    Some(format!("{e}; and it could not be read to compare")),
                ),
            };
            return Sent {
                result: if conflict.is_none() {
                    Ok(Vec::new())
                } else {
                    result
                },
                attempts,
                note,
                conflict,
            };
        }
        if !again || attempts >= ROW_ATTEMPTS {
            return Sent {
                result,
                attempts,
                note: (!notes.is_empty()).then(|| notes.join("; ")),
                conflict: None,
            };
        }
        tokio::time::sleep(std::time::Duration::from_millis(50 << attempts.min(6))).await;
    }
}

/// The `info` operation of `op`'s family and the key fields that name `row`'s entity to it;
/// `None` when the family has no info or the row gives none of its keys.
fn info_of_row(
    op: &'static OperationInfo,
    row: &Row,
) -> Option<(&'static OperationInfo, Vec<(String, String)>)> {
    let info = SERVICE
        .operations
        .iter()
        .find(|o| o.family == op.family && o.kind == OpKind::Info)?;
    let keys: Vec<(String, String)> = info
        .fields
        .iter()
        .filter(|f| f.input == Some(InputUse::Key))
        .filter_map(|f| {
            let path = wire_path(f.property);
            row.fields.iter().find(|(p, _)| *p == path).cloned()
        })
        .collect();
    (!keys.is_empty()).then_some((info, keys))
}

/// Whether a row whose answer was lost was carried out, read with its family's `info`: an add
/// whose entity exists, or a delete whose entity is gone, is done (`Some`); anything else is
/// sent again (a change gives the same values again).
async fn settled(client: &Client, op: &'static OperationInfo, row: &Row) -> Option<Records> {
    let (info, keys) = info_of_row(op, row)?;
    let unknown = condition_code(
        SERVICE.conditions,
        Condition::UnknownEntity,
        Some(op.family),
    );
    match (op.kind, dynamic::call(client, info.name, &keys, None).await) {
        (OpKind::Add, Ok(_)) => Some(Vec::new()),
        (OpKind::Delete, Err(DynError::Call(e))) if e.code().map(|c| c.code()) == unknown => {
            Some(Vec::new())
        }
        _ => None,
    }
}

/// How the entity a row names differs from the row, read with its family's `info`: one
/// `path: stored ≠ row` per property both give (`None` when it cannot be read). Values compare
/// as the service would: Booleans by meaning, comma lists as sets.
async fn differences(
    client: &Client,
    op: &'static OperationInfo,
    row: &Row,
) -> Option<Vec<String>> {
    let (info, keys) = info_of_row(op, row)?;
    let stored = dynamic::call(client, info.name, &keys, None)
        .await
        .ok()?
        .into_iter()
        .next()?;
    Some(
        row.fields
            .iter()
            .filter_map(|(path, value)| {
                let held = stored.iter().find(|(p, _)| p == path).map(|(_, v)| v)?;
                let p = spec_cli::inputs(op)
                    .map(|f| f.property)
                    .find(|p| wire_path(p) == *path)?;
                (!compare::same(p, held, value)).then(|| format!("{path}: {held} ≠ {value}"))
            })
            .collect(),
    )
}

async fn record_outcome(
    joined: Result<Outcome, tokio::task::JoinError>,
    out: &Option<Arc<Mutex<(File, usize)>>>,
    bar: &ProgressBar,
    plain: bool,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let (row, sent) = joined.map_err(|e| CliError::Failure(format!("a row's task failed: {e}")))?;
    let Sent {
        result,
        attempts,
        note,
        conflict,
    } = sent;
    let (outcome, code, message) = match (&result, conflict) {
        (_, Some(conflict)) => {
            summary.conflicts += 1;
            ("conflict", String::new(), conflict)
        }
        (Ok(_), None) => {
            summary.succeeded += 1;
            ("success", String::new(), note.clone().unwrap_or_default())
        }
        (Err(DynError::Call(Error::PartialFail(p))), None) => {
            summary.partial += 1;
            let codes: Vec<String> = p
                .errors
                .iter()
                .filter_map(|e| e.code)
                .map(|c| c.code().to_string())
                .collect();
            ("partial", codes.join(" "), p.to_string())
        }
        (Err(DynError::Call(e)), None) => {
            summary.failed += 1;
            (
                "failure",
                e.code().map(|c| c.code().to_string()).unwrap_or_default(),
                e.to_string(),
            )
        }
        (Err(e), None) => {
            summary.failed += 1;
            ("failure", String::new(), e.to_string())
        }
    };
    if attempts > 1 {
        summary.retried += 1;
    }
    if plain && (outcome != "success" || attempts > 1) {
        eprintln!(
            "line {}: {outcome} after {attempts} send(s): {message}",
            row.line
        );
    }
    if let Some(f) = out {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record([
            row.line.to_string(),
            row.key.clone(),
            outcome.to_string(),
            code,
            message,
            attempts.to_string(),
            row.fingerprint.clone(),
        ])
        .map_err(|e| CliError::Failure(e.to_string()))?;
        let bytes = w
            .into_inner()
            .map_err(|e| CliError::Failure(e.to_string()))?;
        let mut guard = f.lock().await;
        let (file, unsynced) = &mut *guard;
        file.write_all(&bytes)
            .and_then(|()| file.flush())
            .map_err(|e| CliError::Failure(format!("cannot write the results: {e}")))?;
        *unsynced += 1;
        // On disk in batches: a crash loses at most a batch of records, whose rows a re-run
        // then finds provisioned (and checks against the row).
        if *unsynced >= SYNC_EVERY {
            file.sync_data()
                .map_err(|e| CliError::Failure(format!("cannot sync the results: {e}")))?;
            *unsynced = 0;
        }
    }
    bar.inc(1);
    Ok(())
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
