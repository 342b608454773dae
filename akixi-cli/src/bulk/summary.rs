//! What a bulk run came to: its counts ([`Summary`]), how it stopped ([`Stop`]), the error
//! that ends a stopped run with the command that resumes it ([`Run::stop_error`]), and what
//! an add whose entity exists does ([`OnExisting`]).

use std::path::Path;
use std::time::Duration;

use crate::bulk::row_outcome::RowOutcome;
use crate::bulk::run_report::RunReport;
use crate::error::CliError;
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
    pub(super) fn count(&mut self, outcome: RowOutcome) {
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
pub(super) fn invocation() -> String {
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
