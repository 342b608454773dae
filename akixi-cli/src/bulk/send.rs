//! Bulk sending: steps (an operation and a row) sent concurrently with a progress bar, each
//! outcome appended to the results file (so a run resumes where it stopped), and the run
//! stopped by a dead service ([`Breaker`]) or Ctrl-C ([`interrupt`]) with every row's state
//! recorded. `import` and `apply` send through it; one row's sending is [`send_row`].

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use akixi_client::Client;
use akixi_client::runtime::akixi_ws::OperationInfo;
use indicatif::ProgressBar;
use tokio::sync::{Mutex, Semaphore};

use crate::bulk::breaker::Breaker;
use crate::bulk::results_file::{Recorder, done_rows, open_results};
use crate::bulk::row_outcome::RowOutcome;
use crate::bulk::rows::Row;
use crate::bulk::run_report::{self, RunReport};
use crate::bulk::send_row::{Step, send_row};
use crate::bulk::summary::{OnExisting, Run, Stop, Summary};
use crate::error::CliError;
use crate::interrupt;
/// The most rows an import sends at once: beyond, a service is flooded rather than served
/// faster (and tokio's semaphore has a limit of its own).
pub const MAX_CONCURRENCY: i64 = 256;

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
