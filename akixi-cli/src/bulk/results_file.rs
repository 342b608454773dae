//! The results file (`line,key,outcome,code,message,attempts,row`): the rows it records as
//! done (skipped on a re-run), opened for appending, and the [`Recorder`] that writes each
//! outcome as it comes, counts it and shows its failure.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use akixi_client::Error;
use akixi_client::runtime::akixi_ws::DynError;
use indicatif::ProgressBar;
use tokio::sync::Mutex;

use crate::bulk::row_outcome::RowOutcome;
use crate::bulk::rows::Row;
use crate::bulk::run_report::{Failed, RunReport};
use crate::bulk::send_row::{Outcome, SYNC_EVERY, Sent};
use crate::bulk::summary::Summary;
use crate::error::CliError;
/// The rows a results file already records as done ([`RowOutcome::is_done`]), as `(key, row
/// fingerprint)`: a row is skipped on a re-run only if it names the same entity with the same
/// content, wherever it now sits in the file. Files written before the fingerprint column
/// match by key alone.
pub(super) fn done_rows(results: &Path) -> HashSet<(String, Option<String>)> {
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

/// The results file, opened for appending (its header written when new).
pub(super) fn open_results(path: &Path) -> Result<File, CliError> {
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
pub(super) struct Recorder {
    pub(super) out: Option<Arc<Mutex<(File, usize)>>>,
    pub(super) bar: ProgressBar,
    pub(super) report: RunReport,
    pub(super) summary: Summary,
}

impl Recorder {
    /// A row's task ended: its outcome recorded (a task cancelled by Ctrl-C: `interrupted`).
    pub(super) async fn joined(
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

    pub(super) fn failed(&mut self, row: &Row, outcome: RowOutcome, code: String, message: &str) {
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
    pub(super) async fn outcome(&mut self, (row, sent): Outcome) -> Result<(), CliError> {
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
    pub(super) async fn write(
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
