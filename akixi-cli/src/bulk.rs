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
use akixi_client::runtime::akixi_ws::{DynError, InputUse, OpKind, OperationInfo, SetError};
use akixi_client::{Client, Error};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::{Mutex, Semaphore};

use crate::CliError;
use crate::spec_cli::{check_value, property_by_header, unsupported_on_axis, wire_path};

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
    /// The value of the operation's key (its first required property), for the results file.
    pub key: String,
}

/// Which platform a row's request is for (from the fields it sets).
pub type PlatformOf<'a> = &'a dyn Fn(&[(String, String)]) -> Option<Platform>;

/// Reads and checks every row of `path` for `op`; returns the rows, or every problem.
pub fn read_rows(
    path: &Path,
    op: &'static OperationInfo,
    platform_of: PlatformOf<'_>,
) -> Result<Vec<Row>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => {
            return Err(vec![RowProblem {
                line: 1,
                column: None,
                message: format!("cannot read {}: {e}", path.display()),
            }]);
        }
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![RowProblem {
                line: 1,
                column: None,
                message: format!("bad header: {e}"),
            }]);
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
    let key_prop = op
        .fields
        .iter()
        .find(|f| matches!(f.input, Some(InputUse::Required | InputUse::Key)))
        .map(|f| f.property);
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
        let column_of = |property: &str| {
            columns
                .iter()
                .position(|c| c.is_some_and(|p| wire_path(p) == property))
                .map(|i| i + 1)
        };
        match dynamic::validate(op.name, &fields, platform_of(&fields)) {
            Ok(()) => {
                if let Some((message, paths)) = unsupported_on_axis(op, &fields) {
                    problems.push(RowProblem {
                        line,
                        column: paths.first().and_then(|p| column_of(p)),
                        message,
                    });
                    continue;
                }
            }
            Err(DynError::Fields(errors)) => {
                for e in errors {
                    let (property, message) = match &e {
                        SetError::Missing { property } | SetError::Key { property } => {
                            (property.clone(), e.to_string())
                        }
                        SetError::BadValue { property, .. }
                        | SetError::UnknownProperty { property, .. } => {
                            (property.clone(), e.to_string())
                        }
                    };
                    problems.push(RowProblem {
                        line,
                        column: column_of(&property),
                        message,
                    });
                }
                continue;
            }
            Err(DynError::Unsupported(message)) => {
                problems.push(RowProblem {
                    line,
                    column: None,
                    message,
                });
                continue;
            }
            Err(e) => {
                problems.push(RowProblem {
                    line,
                    column: None,
                    message: e.to_string(),
                });
                continue;
            }
        }
        let key = key_prop
            .and_then(|k| {
                fields
                    .iter()
                    .find(|(p, _)| *p == wire_path(k))
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_default();
        rows.push(Row { line, fields, key });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
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

/// The lines a results file already records as done (success or partial).
fn done_lines(results: &Path) -> HashSet<u64> {
    let mut done = HashSet::new();
    // Files written before the `attempts` column have one column fewer.
    let Ok(mut r) = csv::ReaderBuilder::new().flexible(true).from_path(results) else {
        return done;
    };
    for rec in r.records().flatten() {
        if let (Some(line), Some(outcome)) = (rec.get(0), rec.get(2))
            && (outcome == "success" || outcome == "partial")
            && let Ok(l) = line.parse()
        {
            done.insert(l);
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
    let done = results.map(done_lines).unwrap_or_default();
    let resuming = results.is_some_and(Path::exists);
    let mut summary = Summary::default();
    let todo: Vec<Row> = rows
        .into_iter()
        .filter(|r| {
            let skip = done.contains(&r.line);
            if skip {
                summary.skipped += 1;
            }
            !skip
        })
        .collect();
    let out: Option<Arc<Mutex<File>>> = match results {
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
                writeln!(f, "line,key,outcome,code,message,attempts")
                    .map_err(|e| CliError::Failure(e.to_string()))?;
            }
            Some(Arc::new(Mutex::new(f)))
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
    let duplicate = resuming
        .then(|| {
            condition_code(
                SERVICE.conditions,
                Condition::DuplicateEntity,
                Some(op.family),
            )
        })
        .flatten();
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
    for row in todo {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        let permit = Arc::clone(&gate)
            .acquire_owned()
            .await
            .map_err(|e| CliError::Failure(e.to_string()))?;
        let client = client.clone();
        tasks.spawn(async move {
            let _permit = permit;
            let sent = send_row(&client, op, &row).await;
            (row, sent)
        });
        while let Some(done) = tasks.try_join_next() {
            record_outcome(duplicate, done, &out, &bar, plain, &mut summary).await?;
        }
    }
    while let Some(done) = tasks.join_next().await {
        record_outcome(duplicate, done, &out, &bar, plain, &mut summary).await?;
    }
    watcher.abort();
    bar.finish_and_clear();
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
}

type Outcome = (Row, Sent);

/// How many times a row is sent at most (the client's own retries of one send not counted).
const ROW_ATTEMPTS: u32 = 5;

/// Sends a row; sends it again when the client gave up on a failure that did not carry it out,
/// and, when an answer was lost, first looks for its effect so that it is never made twice.
async fn send_row(client: &Client, op: &'static OperationInfo, row: &Row) -> Sent {
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
        if !again || attempts >= ROW_ATTEMPTS {
            return Sent {
                result,
                attempts,
                note: (!notes.is_empty()).then(|| notes.join("; ")),
            };
        }
        tokio::time::sleep(std::time::Duration::from_millis(50 << attempts.min(6))).await;
    }
}

/// Whether a row whose answer was lost was carried out, read with its family's `info`: an add
/// whose entity exists, or a delete whose entity is gone, is done (`Some`); anything else is
/// sent again (a change gives the same values again).
async fn settled(client: &Client, op: &'static OperationInfo, row: &Row) -> Option<Records> {
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
    if keys.is_empty() {
        return None;
    }
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

async fn record_outcome(
    duplicate: Option<u32>,
    joined: Result<Outcome, tokio::task::JoinError>,
    out: &Option<Arc<Mutex<File>>>,
    bar: &ProgressBar,
    plain: bool,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let (row, sent) = joined.map_err(|e| CliError::Failure(format!("a row's task failed: {e}")))?;
    let Sent {
        result,
        attempts,
        note,
    } = sent;
    let (outcome, code, message) = match &result {
        Ok(_) => {
            summary.succeeded += 1;
            ("success", String::new(), note.clone().unwrap_or_default())
        }
        Err(DynError::Call(Error::PartialFail(p))) => {
            summary.partial += 1;
            let codes: Vec<String> = p
                .errors
                .iter()
                .filter_map(|e| e.code)
                .map(|c| c.code().to_string())
                .collect();
            ("partial", codes.join(" "), p.to_string())
        }
        // Sent before, but its outcome never recorded (the process was killed): the entity
        // exists, so the row is done.
        Err(DynError::Call(e))
            if duplicate.is_some() && e.code().map(|c| c.code()) == duplicate =>
        {
            summary.succeeded += 1;
            (
                "success",
                String::new(),
                "already provisioned by an earlier run".to_string(),
            )
        }
        Err(DynError::Call(e)) => {
            summary.failed += 1;
            (
                "failure",
                e.code().map(|c| c.code().to_string()).unwrap_or_default(),
                e.to_string(),
            )
        }
        Err(e) => {
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
        ])
        .map_err(|e| CliError::Failure(e.to_string()))?;
        let bytes = w
            .into_inner()
            .map_err(|e| CliError::Failure(e.to_string()))?;
        let mut f = f.lock().await;
        f.write_all(&bytes)
            .and_then(|()| f.flush())
            .map_err(|e| CliError::Failure(format!("cannot write the results: {e}")))?;
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
