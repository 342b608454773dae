//! What became of one row of a bulk run: the words a results file records (the command line's
//! own, not the spec's `Result` values), written once here for the writer, the reader that
//! resumes a run, and the report.

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    /// Carried out.
    Success,
    /// Carried out with some parts rejected (`PartialFail`).
    Partial,
    /// Its entity exists holding the row's values: nothing to do.
    Unchanged,
    /// Its entity existed with other values and was changed to the row's.
    Updated,
    /// Its entity exists with other values and stays so (`--on-existing skip`).
    Kept,
    /// Its entity exists with other values (`--on-existing fail`), or could not be compared.
    Conflict,
    /// Refused, or no answer.
    Failure,
    /// In flight when Ctrl-C stopped the run: it may or may not have been carried out.
    Interrupted,
    /// Never sent: the run stopped first.
    NotSent,
}

impl RowOutcome {
    /// The word the results file records.
    pub const fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Success => "success",
            RowOutcome::Partial => "partial",
            RowOutcome::Unchanged => "unchanged",
            RowOutcome::Updated => "updated",
            RowOutcome::Kept => "kept",
            RowOutcome::Conflict => "conflict",
            RowOutcome::Failure => "failure",
            RowOutcome::Interrupted => "interrupted",
            RowOutcome::NotSent => "not-sent",
        }
    }

    /// Whether a re-run skips a row recorded so (`word` as the results file holds it).
    pub fn is_done(word: &str) -> bool {
        [
            RowOutcome::Success,
            RowOutcome::Partial,
            RowOutcome::Unchanged,
            RowOutcome::Updated,
        ]
        .iter()
        .any(|o| o.as_str() == word)
    }

    /// Whether the row failed (shown as a failure, counted against the run's exit).
    pub const fn failed(self) -> bool {
        matches!(
            self,
            RowOutcome::Partial
                | RowOutcome::Conflict
                | RowOutcome::Failure
                | RowOutcome::Interrupted
        )
    }
}
