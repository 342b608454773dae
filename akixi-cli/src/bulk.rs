//! Bulk sending: steps (an operation and a row) sent concurrently with a progress bar, each
//! outcome appended to a results file (so an import resumes where it stopped), lost answers
//! looked for before a row is sent again. `import` and `apply` send through it.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{Access, DynError, InputUse, OpKind, OperationInfo};
use akixi_client::runtime::akixi_ws::{Condition, condition_code};
use akixi_client::{Client, Error};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::{Mutex, Semaphore};

use crate::rows::Row;
use crate::spec_cli::wire_path;
use crate::{CliError, compare, spec_cli, terminal_text};
/// The most rows an import sends at once: beyond, a service is flooded rather than served
/// faster (and tokio's semaphore has a limit of its own).
pub const MAX_CONCURRENCY: i64 = 256;

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
    // The code saying the entity exists: on a resumed run, or after an answer of this run was
    // lost, the row may have been carried out before, and the stored entity is compared.
    let duplicate = |op: &OperationInfo| {
        condition_code(
            SERVICE.conditions,
            Condition::DuplicateEntity,
            Some(op.family),
        )
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
            let sent = send_row(
                &client,
                op,
                &row,
                Duplicate {
                    code: duplicate,
                    resuming,
                },
            )
            .await;
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
    /// The entity exists but differs from the row (after a lost answer, or an "already exists"
    /// answer on a row that may have been carried out before): how.
    conflict: Option<String>,
}

type Outcome = (Row, Sent);

/// How many results records are written between syncs of the results file.
const SYNC_EVERY: usize = 64;

/// How many times a row is sent at most (the client's own retries of one send not counted).
const ROW_ATTEMPTS: u32 = 5;

/// When an "already exists" answer is checked against the stored entity rather than taken as
/// a failure.
#[derive(Debug, Clone, Copy)]
struct Duplicate {
    /// The family's code for an entity that already exists.
    code: Option<u32>,
    /// A resumed run: an earlier run may have carried the row out without recording it.
    resuming: bool,
}

/// Sends a row; sends it again when the client gave up on a failure that did not carry it out,
/// and, when an answer was lost, first looks for its effect so that it is never made twice.
///
/// A row is settled as done without an answer of its own only when the stored entity, read
/// back with the family's `info`, holds the row's values (compared as [`compare::same`] does);
/// an entity that exists with other values (another writer's) is a conflict naming them. That
/// applies to an add whose answer was lost, and to an "already exists" answer for a row that may
/// have been carried out before: on a resumed run, or after one of this run's sends of it lost
/// its answer.
async fn send_row(
    client: &Client,
    op: &'static OperationInfo,
    row: &Row,
    duplicate: Duplicate,
) -> Sent {
    let mut notes: Vec<String> = Vec::new();
    let mut attempts = 0;
    // Whether a send of this row may already have been carried out.
    let mut maybe_carried_out = duplicate.resuming;
    loop {
        attempts += 1;
        let result = dynamic::call(client, op.name, &row.fields, None).await;
        let again = match &result {
            Err(DynError::Call(e)) if e.outcome_unknown() => {
                maybe_carried_out = true;
                match settled(client, op, row).await {
                    Settled::Done => {
                        notes.push(format!("{e}; it was carried out{}", unverified(op, row)));
                        return Sent {
                            result: Ok(Vec::new()),
                            attempts,
                            note: Some(notes.join("; ")),
                            conflict: None,
                        };
                    }
                    Settled::Differs(diff) => {
                        notes.push(format!(
                            "{e}; the entity exists, but differs from the row: {}",
                            diff.join("; ")
                        ));
                        return Sent {
                            result,
                            attempts,
                            note: None,
                            conflict: Some(notes.join("; ")),
                        };
                    }
                    Settled::NotDone(why) => {
                        notes.push(format!("{e}; {why}"));
                        true
                    }
                }
            }
            Err(DynError::Call(e)) if e.is_retryable() => {
                notes.push(e.to_string());
                true
            }
            _ => false,
        };
        // An entity of the row's key exists: from an earlier send of this row whose answer was
        // lost (this run's, or an earlier run's never recorded), or from someone else. Done if
        // it holds what the row says.
        if let Err(DynError::Call(e)) = &result
            && maybe_carried_out
            && duplicate.code.is_some()
            && e.code().map(|c| c.code()) == duplicate.code
        {
            let earlier = if duplicate.resuming && attempts == 1 {
                "already provisioned by an earlier run"
            } else {
                "already exists after a lost answer"
            };
            let (note, conflict) = match read_back(client, op, row).await {
                ReadBack::Exists(diff) if diff.is_empty() => {
                    notes.push(format!(
                        "{earlier} (it matches the row){}",
                        unverified(op, row)
                    ));
                    (Some(notes.join("; ")), None)
                }
                ReadBack::Exists(diff) => {
                    notes.push(format!("exists, but differs: {}", diff.join("; ")));
                    (None, Some(notes.join("; ")))
                }
                ReadBack::Missing => {
                    notes.push(format!("{e}; but then it could not be found"));
                    (None, Some(notes.join("; ")))
                }
                ReadBack::Unread(why) => {
                    notes.push(format!("{e}; and it could not be read to compare: {why}"));
                    (None, Some(notes.join("; ")))
                }
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

/// Whether a row whose answer was lost was carried out.
enum Settled {
    /// It was: an add whose entity now holds the row's values, a delete whose entity is gone.
    Done,
    /// An add whose entity exists but holds other values (`path: stored ≠ row` each): another
    /// writer's, or changed since.
    Differs(Vec<String>),
    /// Not carried out, or it cannot be told: the row is sent again (an add then answers
    /// "already exists" if it was, which is checked the same way). Why, for the results.
    NotDone(String),
}

/// Whether a row whose answer was lost was carried out, read with its family's `info`: an add
/// whose entity exists holding the row's values, or a delete whose entity is gone, is done;
/// an add whose entity holds other values is a conflict; anything else is sent again (a change
/// gives the same values again).
async fn settled(client: &Client, op: &'static OperationInfo, row: &Row) -> Settled {
    match (op.kind, read_back(client, op, row).await) {
        (OpKind::Add, ReadBack::Exists(diff)) if diff.is_empty() => Settled::Done,
        (OpKind::Add, ReadBack::Exists(diff)) => Settled::Differs(diff),
        (OpKind::Delete, ReadBack::Missing) => Settled::Done,
        (OpKind::Add, ReadBack::Missing) => Settled::NotDone("not carried out".to_owned()),
        (_, ReadBack::Unread(why)) => Settled::NotDone(format!("could not be checked ({why})")),
        _ => Settled::NotDone("not carried out".to_owned()),
    }
}

/// The entity a row names, as its family's `info` reads it.
enum ReadBack {
    /// It exists; how it differs from the row (empty: it holds every value the row gives that
    /// `info` returns).
    Exists(Vec<String>),
    /// The service says there is no such entity.
    Missing,
    /// It could not be read: why.
    Unread(String),
}

/// Reads the entity `row` names with its family's `info` and compares it with the row: one
/// `path: stored ≠ row` per property both give. Values compare as the service would
/// ([`compare::same`]: Booleans by meaning, comma lists as sets); what `info` never returns (a
/// password) cannot be compared.
async fn read_back(client: &Client, op: &'static OperationInfo, row: &Row) -> ReadBack {
    let Some((info, keys)) = info_of_row(op, row) else {
        return ReadBack::Unread(format!(
            "{} has no info operation keyed by the row",
            op.family
        ));
    };
    let unknown = condition_code(
        SERVICE.conditions,
        Condition::UnknownEntity,
        Some(op.family),
    );
    let stored = match dynamic::call(client, info.name, &keys, None).await {
        Ok(records) => records.into_iter().find(|r| !r.is_empty()),
        Err(DynError::Call(e)) if e.code().map(|c| c.code()) == unknown => {
            return ReadBack::Missing;
        }
        Err(e) => return ReadBack::Unread(format!("{}: {e}", info.name)),
    };
    let Some(stored) = stored else {
        return ReadBack::Unread(format!("{} answered without the entity", info.name));
    };
    ReadBack::Exists(differences(op, info, row, &stored))
}

/// What a read-back cannot verify of `row`: `" (not compared, never read back: …)"` naming the
/// write-only properties it gives (a password), or nothing. Two writers giving one entity
/// different passwords cannot be told apart.
fn unverified(op: &'static OperationInfo, row: &Row) -> String {
    let never_read: Vec<&str> = row
        .fields
        .iter()
        .filter(|(path, _)| {
            spec_cli::inputs(op)
                .any(|f| f.property.access == Access::WriteOnly && wire_path(f.property) == *path)
        })
        .map(|(path, _)| path.as_str())
        .collect();
    if never_read.is_empty() {
        String::new()
    } else {
        format!(
            " (not compared, never read back: {})",
            never_read.join(", ")
        )
    }
}

/// How `stored` (as `info` answered) differs from `row`: one `path: stored ≠ row` per property
/// the row gives that `info` returns, keys aside. A property missing from the answer is unset
/// there, so it differs from the row's value (as the plan sees it); one `info` never returns (a
/// write-only property such as a password, see [`unverified`]) cannot be compared.
fn differences(
    op: &'static OperationInfo,
    info: &'static OperationInfo,
    row: &Row,
    stored: &akixi_client::runtime::akixi_ws::Record,
) -> Vec<String> {
    row.fields
        .iter()
        .filter_map(|(path, value)| {
            let p = spec_cli::inputs(op)
                .map(|f| f.property)
                .find(|p| wire_path(p) == *path)?;
            // The entity was found by its key, matched as the service matches it.
            let key = info
                .fields
                .iter()
                .any(|f| f.input == Some(InputUse::Key) && wire_path(f.property) == *path);
            let returned = !key
                && p.access != Access::WriteOnly
                && info
                    .fields
                    .iter()
                    .any(|f| f.returned.is_some() && wire_path(f.property) == *path);
            if !returned {
                return None;
            }
            match stored.iter().find(|(p, _)| p == path).map(|(_, v)| v) {
                Some(held) if compare::same(p, held, value) => None,
                Some(held) => Some(format!("{path}: {held} ≠ {value}")),
                None => Some(format!("{path}: (not set) ≠ {value}")),
            }
        })
        .collect()
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
    // The message may quote stored values (a conflict's, the service's): escaped on the
    // terminal, exact in the results file (a file is read by programs, as the export's CSV).
    if plain && (outcome != "success" || attempts > 1) {
        eprintln!(
            "line {}: {outcome} after {attempts} send(s): {}",
            row.line,
            terminal_text::escaped(&message)
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
