//! Bulk sending: steps (an operation and a row) sent concurrently with a progress bar, each
//! outcome appended to a results file (so a run resumes where it stopped), lost answers looked
//! for before a row is sent again, an add whose entity exists compared with it
//! ([`OnExisting`]), failures shown as they happen ([`RunReport`]), and the run stopped by a
//! dead service ([`Breaker`]) or Ctrl-C ([`interrupt`]) with every row's state recorded.
//! `import` and `apply` send through it.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{Access, DynError, InputUse, OpKind, OperationInfo};
use akixi_client::runtime::akixi_ws::{Condition, condition_code};
use akixi_client::{Client, Error};
use indicatif::ProgressBar;
use tokio::sync::{Mutex, Semaphore};

use crate::breaker::{self, Breaker};
use crate::error::CliError;
use crate::row_outcome::RowOutcome;
use crate::rows::Row;
use crate::run_report::{self, Failed, RunReport};
use crate::spec_cli::wire_path;
use crate::{compare, interrupt, spec_cli};
/// The most rows an import sends at once: beyond, a service is flooded rather than served
/// faster (and tokio's semaphore has a limit of its own).
pub const MAX_CONCURRENCY: i64 = 256;

/// The rows a results file already records as done ([`RowOutcome::is_done`]), as `(key, row
/// fingerprint)`: a row is skipped on a re-run only if it names the same entity with the same
/// content, wherever it now sits in the file. Files written before the fingerprint column
/// match by key alone.
fn done_rows(results: &Path) -> HashSet<(String, Option<String>)> {
    let mut done = HashSet::new();
    let Ok(mut r) = csv::ReaderBuilder::new().flexible(true).from_path(results) else {
        return done;
    };
    for rec in r.records().flatten() {
        if let (Some(key), Some(outcome)) = (rec.get(1), rec.get(2))
            && RowOutcome::is_done(outcome)
        {
            let print = rec.get(6).filter(|p| !p.is_empty()).map(str::to_owned);
            done.insert((key.to_owned(), print));
        }
    }
    done
}

/// What to do with a row to add whose entity exists holding other values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnExisting {
    /// Leave the entity as it is; the row is `kept` (not a failure).
    Skip,
    /// Send the family's change operation with the row's values; the row is `updated`.
    Update,
    /// A conflict naming the differing properties (a failed row).
    #[default]
    Fail,
}

impl OnExisting {
    /// The flag's values.
    pub const VALUES: [&'static str; 3] = ["skip", "update", "fail"];

    /// From the flag's value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "skip" => Some(OnExisting::Skip),
            "update" => Some(OnExisting::Update),
            "fail" => Some(OnExisting::Fail),
            _ => None,
        }
    }
}

/// Counts of a bulk run.
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
    /// Rows whose entity exists but differs from the row (`--on-existing fail`).
    pub conflicts: usize,
    /// Rows whose entity exists holding the row's values: nothing to do.
    pub unchanged: usize,
    /// Rows whose existing entity was changed to the row's values (`--on-existing update`).
    pub updated: usize,
    /// Rows whose entity exists with other values, left as it is (`--on-existing skip`).
    pub kept: usize,
    /// Rows in flight when Ctrl-C stopped the run: they may or may not have been carried out.
    pub interrupted: usize,
    /// Rows never sent because the run stopped.
    pub not_sent: usize,
}

impl Summary {
    /// Counts one row of a kind the summary has a count for of its own (an existing entity's
    /// outcome, a row interrupted or never sent).
    fn count(&mut self, outcome: RowOutcome) {
        match outcome {
            RowOutcome::Success => self.succeeded += 1,
            RowOutcome::Partial => self.partial += 1,
            RowOutcome::Failure => self.failed += 1,
            RowOutcome::Conflict => self.conflicts += 1,
            RowOutcome::Unchanged => self.unchanged += 1,
            RowOutcome::Updated => self.updated += 1,
            RowOutcome::Kept => self.kept += 1,
            RowOutcome::Interrupted => self.interrupted += 1,
            RowOutcome::NotSent => self.not_sent += 1,
        }
    }

    /// Counts `other`'s rows too.
    pub fn add(&mut self, other: &Summary) {
        self.succeeded += other.succeeded;
        self.partial += other.partial;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.retried += other.retried;
        self.conflicts += other.conflicts;
        self.unchanged += other.unchanged;
        self.updated += other.updated;
        self.kept += other.kept;
        self.interrupted += other.interrupted;
        self.not_sent += other.not_sent;
    }

    /// Rows that failed, conflicts included.
    pub fn failed_rows(&self) -> usize {
        self.failed + self.conflicts
    }

    /// How the run ends when it ran to the end: `Ok` when every row is done, a partial failure
    /// (exit 2) when some rows failed or were partly carried out. `line` is the summary.
    pub fn verdict(&self, line: String) -> Result<String, CliError> {
        if self.failed_rows() + self.partial > 0 {
            Err(CliError::Partial(line))
        } else {
            Ok(line)
        }
    }

    /// As JSON, for `--format json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "succeeded": self.succeeded,
            "partial": self.partial,
            "failed": self.failed,
            "conflicts": self.conflicts,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "kept": self.kept,
            "skipped": self.skipped,
            "retried": self.retried,
            "interrupted": self.interrupted,
            "not_sent": self.not_sent,
        })
    }
}

/// How a bulk run stopped before its end.
#[derive(Debug, Clone)]
pub enum Stop {
    /// The breaker tripped: why.
    Breaker(String),
    /// Ctrl-C.
    Interrupted,
}

/// What a bulk run came to.
#[derive(Debug)]
pub struct Run {
    /// The counts.
    pub summary: Summary,
    /// The failed rows.
    pub report: RunReport,
    /// How long it took.
    pub elapsed: Duration,
    /// Why it stopped before its end, if it did.
    pub stop: Option<Stop>,
}

impl Run {
    /// The error ending a stopped run: what happened, where each row's state is, and the
    /// command that resumes it.
    pub fn stop_error(&self, results: Option<&Path>) -> Option<CliError> {
        let s = &self.summary;
        let recorded = match results {
            Some(p) => format!("every row's state is in {}", p.display()),
            None => "no --results file records them: the rows done are found again by reading \
                     each existing entry"
                .to_owned(),
        };
        let resume = format!(
            "to resume, run the same command again:\n    {}",
            invocation()
        );
        let counts = format!(
            "{} done, {} failed, {} in flight when stopped, {} not sent",
            s.succeeded + s.partial + s.unchanged + s.updated + s.kept + s.skipped,
            s.failed_rows(),
            s.interrupted,
            s.not_sent
        );
        match &self.stop {
            None => None,
            Some(Stop::Breaker(why)) => Some(CliError::Stopped(format!(
                "stopped: the service is not answering ({why}); {counts}; {recorded}; when it is \
                 back, {resume}"
            ))),
            Some(Stop::Interrupted) => Some(CliError::Interrupted(format!(
                "interrupted: {counts}; {recorded}; {resume}"
            ))),
        }
    }
}

/// This process's command line, quoted for a POSIX shell (it never holds a secret: passwords
/// are never flags).
fn invocation() -> String {
    std::env::args_os()
        .enumerate()
        .map(|(i, a)| {
            let a = a.to_string_lossy().into_owned();
            let a = if i == 0 {
                Path::new(&a)
                    .file_name()
                    .map_or(a.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                a
            };
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a bulk run is done.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The results file.
    pub results: Option<&'a Path>,
    /// What to do with an add whose entity exists with other values.
    pub on_existing: OnExisting,
    /// `--format json`: the failures go in one document, not on stderr as they happen.
    pub json: bool,
}

/// Sends `rows` as `op`, recording each outcome in the results file as it comes (so an
/// interrupted import resumes where it stopped); rows the results file records as done are
/// skipped.
pub async fn provision(
    client: &Client,
    op: &'static OperationInfo,
    rows: Vec<Row>,
    options: Options<'_>,
) -> Result<Run, CliError> {
    let done = options.results.map(done_rows).unwrap_or_default();
    let mut skipped = 0;
    let todo: Vec<Step> = rows
        .into_iter()
        .filter(|r| {
            let skip = done.contains(&(r.key.clone(), Some(r.fingerprint.clone())))
                || done.contains(&(r.key.clone(), None));
            if skip {
                skipped += 1;
            }
            !skip
        })
        .map(|row| Step { op, row })
        .collect();
    let mut run = run_steps(client, todo, options).await?;
    run.summary.skipped += skipped;
    Ok(run)
}

/// One request of a bulk run: an operation and the row it sends.
#[derive(Debug, Clone)]
pub struct Step {
    /// The operation.
    pub op: &'static OperationInfo,
    /// What it sends (and the line, key and fingerprint the results file records).
    pub row: Row,
}

/// [`run_steps`] for `apply`: failures shown on stderr as they happen and summarised at the
/// end; a stop (the breaker, Ctrl-C) is the error. An add whose entity exists with other values
/// is a conflict.
pub async fn send_steps(
    client: &Client,
    todo: Vec<Step>,
    concurrency: usize,
    results: Option<&Path>,
    _resuming: bool,
) -> Result<Summary, CliError> {
    let run = run_steps(
        client,
        todo,
        Options {
            concurrency,
            results,
            on_existing: OnExisting::Fail,
            json: false,
        },
    )
    .await?;
    run.report.print_summary();
    match run.stop_error(results) {
        Some(e) => Err(e),
        None => Ok(run.summary),
    }
}

/// The results file, opened for appending (its header written when new).
fn open_results(path: &Path) -> Result<File, CliError> {
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
    Ok(f)
}

/// Where a run's outcomes go as they come.
struct Recorder {
    out: Option<Arc<Mutex<(File, usize)>>>,
    bar: ProgressBar,
    report: RunReport,
    summary: Summary,
}

/// Sends `todo` with `options.concurrency` requests in flight, a progress bar on a terminal,
/// each outcome appended to the results file (synced every few records and at the end), each
/// failure shown as it happens. An add refused because its entity exists is compared with the
/// row ([`OnExisting`]).
///
/// A dead service trips the [`Breaker`]: nothing more is sent, rows in flight finish without
/// being sent again, and the rows never sent are recorded as `not-sent`. Ctrl-C stops at once:
/// rows in flight are cancelled (their retries too) and recorded as `interrupted`, the rest as
/// `not-sent`. Either way [`Run::stop`] says so; every row's state is in the results file.
pub async fn run_steps(
    client: &Client,
    todo: Vec<Step>,
    options: Options<'_>,
) -> Result<Run, CliError> {
    let started = Instant::now();
    let _ctrl_c = interrupt::Handled::take();
    let out = match options.results {
        Some(path) => Some(Arc::new(Mutex::new((open_results(path)?, 0)))),
        None => None,
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(todo.len() as u64);
        b.set_style(run_report::bar_style(
            "{bar:40} {pos}/{len} {rate} eta {eta}",
        ));
        b
    } else {
        ProgressBar::hidden()
    };
    let mut rec = Recorder {
        out,
        bar,
        report: RunReport::new(options.json),
        summary: Summary::default(),
    };
    let breaker = Arc::new(Breaker::from_env());
    let gate = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, Row> = HashMap::new();
    let mut todo = todo.into_iter().peekable();
    let on_existing = options.on_existing;
    loop {
        if interrupt::interrupted() || breaker.tripped().is_some() || todo.peek().is_none() {
            break;
        }
        tokio::select! {
            biased;
            () = interrupt::pressed() => break,
            () = breaker.wait() => break,
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                rec.joined(joined, &mut in_flight).await?;
            }
            permit = Arc::clone(&gate).acquire_owned() => {
                let permit = permit.map_err(|e| CliError::Failure(e.to_string()))?;
                let Some(Step { op, row }) = todo.next() else { break };
                let client = client.clone();
                let breaker = Arc::clone(&breaker);
                let sent_row = row.clone();
                let handle = tasks.spawn(async move {
                    let _permit = permit;
                    let sent = send_row(&client, op, &sent_row, &breaker, on_existing).await;
                    (sent_row, sent)
                });
                in_flight.insert(handle.id(), row);
            }
        }
    }
    // What is in flight finishes (a tripped breaker stops their sending again); Ctrl-C
    // cancels it, retries and backoffs included.
    let mut aborted = false;
    loop {
        if !aborted && interrupt::interrupted() {
            tasks.abort_all();
            aborted = true;
        }
        let joined = if aborted {
            tasks.join_next_with_id().await
        } else {
            tokio::select! {
                biased;
                () = interrupt::pressed() => continue,
                joined = tasks.join_next_with_id() => joined,
            }
        };
        let Some(joined) = joined else { break };
        rec.joined(joined, &mut in_flight).await?;
    }
    let stop = if interrupt::interrupted() {
        Some(Stop::Interrupted)
    } else {
        breaker.tripped().map(Stop::Breaker)
    };
    if let Some(stop) = &stop {
        let why = match stop {
            Stop::Breaker(why) => format!("not sent: the run stopped ({why})"),
            Stop::Interrupted => "not sent: the run was interrupted (Ctrl-C)".to_owned(),
        };
        for Step { row, .. } in todo {
            rec.summary.not_sent += 1;
            rec.write(&row, RowOutcome::NotSent, String::new(), why.clone(), 0)
                .await?;
        }
    }
    rec.bar.finish_and_clear();
    if let Some(f) = &rec.out {
        f.lock()
            .await
            .0
            .sync_data()
            .map_err(|e| CliError::Failure(format!("cannot sync the results: {e}")))?;
    }
    Ok(Run {
        summary: rec.summary,
        report: rec.report,
        elapsed: started.elapsed(),
        stop,
    })
}

type Records = Vec<akixi_client::runtime::akixi_ws::Record>;

/// What an add whose entity exists came to, when it was not a plain failure.
#[derive(Debug)]
enum Existing {
    /// It holds the row's values: nothing to do (the note says how it was found).
    Unchanged(String),
    /// It holds other values, and it stays so (`--on-existing skip`): how it differs.
    Kept(String),
    /// It held other values and was changed to the row's (`--on-existing update`).
    Updated(String),
    /// It holds other values (`--on-existing fail`), or could not be compared: why.
    Conflict(String),
}

impl Existing {
    /// The row's outcome, and why.
    fn outcome(self) -> (RowOutcome, String) {
        match self {
            Existing::Unchanged(why) => (RowOutcome::Unchanged, why),
            Existing::Kept(why) => (RowOutcome::Kept, why),
            Existing::Updated(why) => (RowOutcome::Updated, why),
            Existing::Conflict(why) => (RowOutcome::Conflict, why),
        }
    }
}

/// What sending a row came to: its last result, how many times it was sent, and why it was sent
/// again or found done without an answer.
struct Sent {
    result: Result<Records, DynError<Error>>,
    attempts: u32,
    note: Option<String>,
    /// The entity exists (an add answered "already exists", or found by a read after a lost
    /// answer): what that came to.
    existing: Option<Existing>,
    /// Not sent again because the run stopped.
    stopped: bool,
}

type Outcome = (Row, Sent);

/// How many results records are written between syncs of the results file.
const SYNC_EVERY: usize = 64;

/// How many times a row is sent at most (the client's own retries of one send not counted).
const ROW_ATTEMPTS: u32 = 5;

/// Calls `op` with `fields`, telling the breaker what the answer says of the service.
async fn call(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    fields: &[(String, String)],
) -> Result<Records, DynError<Error>> {
    let result = dynamic::call(client, op.name, fields, None).await;
    breaker.record(breaker::health(&result), || match &result {
        Err(e) => e.to_string(),
        Ok(_) => String::new(),
    });
    result
}

/// Sends a row; sends it again when the client gave up on a failure that did not carry it out
/// (unless the breaker has tripped), and, when an answer was lost, first looks for its effect
/// so that it is never made twice.
///
/// An add answered "already exists", or whose lost answer is followed by finding its entity,
/// is compared with the stored entity, read back with the family's `info` (as
/// [`compare::same`] compares values): the same values, the row is done (`unchanged`, or a
/// success when this run's own send made it); other values, [`OnExisting`] decides.
async fn send_row(
    client: &Client,
    op: &'static OperationInfo,
    row: &Row,
    breaker: &Breaker,
    on_existing: OnExisting,
) -> Sent {
    let duplicate = condition_code(
        SERVICE.conditions,
        Condition::DuplicateEntity,
        Some(op.family),
    );
    let mut notes: Vec<String> = Vec::new();
    let mut attempts = 0;
    // Whether a send of this row in this run may already have been carried out.
    let mut maybe_carried_out = false;
    loop {
        attempts += 1;
        let result = call(client, breaker, op, &row.fields).await;
        let again = match &result {
            Err(DynError::Call(e)) if e.outcome_unknown() => {
                maybe_carried_out = true;
                match settled(client, breaker, op, row).await {
                    Settled::Done => {
                        notes.push(format!("{e}; it was carried out{}", unverified(op, row)));
                        return Sent {
                            result: Ok(Vec::new()),
                            attempts,
                            note: Some(notes.join("; ")),
                            existing: None,
                            stopped: false,
                        };
                    }
                    Settled::Differs(diff) => {
                        notes.push(format!("{e}; the entity exists"));
                        let existing =
                            differing(client, breaker, op, row, &diff, on_existing, &notes).await;
                        return Sent {
                            result,
                            attempts,
                            note: None,
                            existing: Some(existing),
                            stopped: false,
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
        // lost, an earlier run, or someone else. Done if it holds what the row says.
        if let Err(DynError::Call(e)) = &result
            && op.kind == OpKind::Add
            && duplicate.is_some()
            && e.code().map(|c| c.code()) == duplicate
        {
            let existing = match read_back(client, breaker, op, row).await {
                ReadBack::Exists(diff) if diff.is_empty() => {
                    let how = if maybe_carried_out {
                        "already exists after a lost answer (it matches the row)"
                    } else {
                        "already exists and matches the row: nothing to do"
                    };
                    notes.push(format!("{how}{}", unverified(op, row)));
                    Existing::Unchanged(notes.join("; "))
                }
                ReadBack::Exists(diff) => {
                    notes.push("already exists".to_owned());
                    differing(client, breaker, op, row, &diff, on_existing, &notes).await
                }
                ReadBack::Missing => {
                    notes.push(format!("{e}; but then it could not be found"));
                    Existing::Conflict(notes.join("; "))
                }
                ReadBack::Unread(why) => {
                    notes.push(format!("{e}; and it could not be read to compare: {why}"));
                    Existing::Conflict(notes.join("; "))
                }
            };
            // This run's own send made it: a success, as when the answer had come.
            if maybe_carried_out && let Existing::Unchanged(note) = existing {
                return Sent {
                    result: Ok(Vec::new()),
                    attempts,
                    note: Some(note),
                    existing: None,
                    stopped: false,
                };
            }
            return Sent {
                result,
                attempts,
                note: None,
                existing: Some(existing),
                stopped: false,
            };
        }
        let stopped = again && breaker.tripped().is_some();
        if !again || attempts >= ROW_ATTEMPTS || stopped {
            if stopped {
                notes.push("not sent again: the run stopped".to_owned());
            }
            return Sent {
                result,
                attempts,
                note: (!notes.is_empty()).then(|| notes.join("; ")),
                existing: None,
                stopped,
            };
        }
        // The backoff ends early when the breaker trips (Ctrl-C cancels the whole task).
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(50 << attempts.min(6))) => {}
            () = breaker.wait() => {}
        }
    }
}

/// An add whose entity exists with other values (`diff`, one `path: stored ≠ row` each), as
/// `on_existing` says: a conflict, left as it is, or changed to the row's values.
async fn differing(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
    diff: &[String],
    on_existing: OnExisting,
    notes: &[String],
) -> Existing {
    let mut notes = notes.to_vec();
    notes.push(format!("it differs from the row: {}", diff.join("; ")));
    match on_existing {
        OnExisting::Fail => Existing::Conflict(notes.join("; ")),
        OnExisting::Skip => {
            notes.push("left as it is (--on-existing skip)".to_owned());
            Existing::Kept(notes.join("; "))
        }
        OnExisting::Update => match update(client, breaker, op, row, diff).await {
            Ok(()) => {
                notes.push("changed to the row's values (--on-existing update)".to_owned());
                Existing::Updated(notes.join("; "))
            }
            Err(why) => {
                notes.push(format!(
                    "could not be changed (--on-existing update): {why}"
                ));
                Existing::Conflict(notes.join("; "))
            }
        },
    }
}

/// Sends the family's change operation with the row's values (those it takes).
async fn update(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
    diff: &[String],
) -> Result<(), String> {
    let Some(change) = SERVICE
        .operations
        .iter()
        .find(|o| o.family == op.family && o.kind == OpKind::Change)
    else {
        return Err(format!("{} has no change operation", op.family));
    };
    let takes: Vec<String> = spec_cli::inputs(change)
        .map(|f| wire_path(f.property))
        .collect();
    type Fields = Vec<(String, String)>;
    let (fields, left): (Fields, Fields) = row
        .fields
        .iter()
        .cloned()
        .partition(|(path, _)| takes.contains(path));
    // What the change cannot send matters only where it differs.
    let fixed: Vec<&str> = left
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| diff.iter().any(|d| d.starts_with(&format!("{p}: "))))
        .collect();
    if !fixed.is_empty() {
        let names = fixed;
        return Err(format!(
            "{} does not take {} (they cannot change after creation)",
            change.name,
            names.join(", ")
        ));
    }
    call(client, breaker, change, &fields)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
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
async fn settled(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
) -> Settled {
    match (op.kind, read_back(client, breaker, op, row).await) {
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
async fn read_back(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
) -> ReadBack {
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
    let stored = match call(client, breaker, info, &keys).await {
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

impl Recorder {
    /// A row's task ended: its outcome recorded (a task cancelled by Ctrl-C: `interrupted`).
    async fn joined(
        &mut self,
        joined: Result<(tokio::task::Id, Outcome), tokio::task::JoinError>,
        in_flight: &mut HashMap<tokio::task::Id, Row>,
    ) -> Result<(), CliError> {
        match joined {
            Ok((id, outcome)) => {
                in_flight.remove(&id);
                self.outcome(outcome).await
            }
            Err(e) => {
                let Some(row) = in_flight.remove(&e.id()) else {
                    return Err(CliError::Failure(format!("a row's task failed: {e}")));
                };
                let (outcome, message) = if e.is_cancelled() {
                    self.summary.interrupted += 1;
                    (
                        RowOutcome::Interrupted,
                        "interrupted (Ctrl-C) while being sent: it may or may not have been \
                         carried out; a re-run checks"
                            .to_owned(),
                    )
                } else {
                    self.summary.failed += 1;
                    (RowOutcome::Failure, format!("its task failed: {e}"))
                };
                self.failed(&row, outcome, String::new(), &message);
                self.write(&row, outcome, String::new(), message, 0).await
            }
        }
    }

    fn failed(&mut self, row: &Row, outcome: RowOutcome, code: String, message: &str) {
        self.report.failed(
            &self.bar,
            Failed {
                line: row.line,
                key: row.key.clone(),
                outcome,
                code,
                message: message.to_owned(),
            },
        );
    }

    /// A row's outcome: counted, shown if it failed, and recorded.
    async fn outcome(&mut self, (row, sent): Outcome) -> Result<(), CliError> {
        let Sent {
            result,
            attempts,
            note,
            existing,
            stopped,
        } = sent;
        let summary = &mut self.summary;
        let (outcome, code, message) = match (&result, existing) {
            (_, Some(existing)) => {
                let (outcome, why) = existing.outcome();
                summary.count(outcome);
                (outcome, String::new(), why)
            }
            (Ok(_), None) => {
                summary.succeeded += 1;
                (
                    RowOutcome::Success,
                    String::new(),
                    note.clone().unwrap_or_default(),
                )
            }
            (Err(DynError::Call(Error::PartialFail(p))), None) => {
                summary.partial += 1;
                let codes: Vec<String> = p
                    .errors
                    .iter()
                    .filter_map(|e| e.code)
                    .map(|c| c.code().to_string())
                    .collect();
                (RowOutcome::Partial, codes.join(" "), p.to_string())
            }
            (Err(DynError::Call(e)), None) => {
                summary.failed += 1;
                let message = match &note {
                    Some(n) if stopped || attempts > 1 => n.clone(),
                    _ => e.to_string(),
                };
                (
                    RowOutcome::Failure,
                    e.code().map(|c| c.code().to_string()).unwrap_or_default(),
                    message,
                )
            }
            (Err(e), None) => {
                summary.failed += 1;
                (RowOutcome::Failure, String::new(), e.to_string())
            }
        };
        if attempts > 1 {
            summary.retried += 1;
        }
        // The message may quote stored values (a conflict's, the service's): escaped on the
        // terminal (by the report), exact in the results file (read by programs).
        if outcome.failed() {
            self.failed(&row, outcome, code.clone(), &message);
        } else if attempts > 1 || outcome != RowOutcome::Success {
            self.report.note(
                &self.bar,
                row.line,
                &format!("{} after {attempts} send(s): {message}", outcome.as_str()),
            );
        }
        self.write(&row, outcome, code, message, attempts).await?;
        self.bar.inc(1);
        Ok(())
    }

    /// Appends a row's record to the results file (synced every [`SYNC_EVERY`] records).
    async fn write(
        &self,
        row: &Row,
        outcome: RowOutcome,
        code: String,
        message: String,
        attempts: u32,
    ) -> Result<(), CliError> {
        let Some(f) = &self.out else {
            return Ok(());
        };
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record([
            row.line.to_string(),
            row.key.clone(),
            outcome.as_str().to_owned(),
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
        Ok(())
    }
}
