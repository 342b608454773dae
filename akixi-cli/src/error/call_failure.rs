//! A failed Akixi call, reported: one line on standard error (and the JSON document on
//! standard output with `--format json`), many errors (a bulk upload's rows) as a bulk run's
//! failures by code, and the exit code that fits.

use akixi_client::Error;
use akixi_client::akixi_ws::ResultKind;
use akixi_client::runtime::akixi_ws::DynError;

use crate::error::CliError;
use crate::output::{self, Format};
use crate::{bulk::row_outcome, bulk::run_report};

/// Prints a failure (stderr; and the JSON document on stdout for scripts) and picks the exit code.
pub fn report(operation: &str, e: DynError<Error>, fmt: Format) -> CliError {
    let (result, errors, err) = match &e {
        DynError::Call(Error::PartialFail(p)) => (
            ResultKind::PartialFail.as_str(),
            p.errors
                .iter()
                .map(|x| (x.code.map(|c| c.code()), x.to_string()))
                .collect::<Vec<_>>(),
            CliError::Partial(e.to_string()),
        ),
        DynError::Call(Error::Api(a)) => (
            ResultKind::Fail.as_str(),
            a.errors
                .iter()
                .map(|x| (x.code.map(|c| c.code()), x.to_string()))
                .collect(),
            CliError::Failure(e.to_string()),
        ),
        DynError::Fields(_)
        | DynError::Json(_)
        | DynError::Unsupported(_)
        | DynError::UnknownOperation(_)
        | DynError::Call(Error::Validation(_)) => (
            output::EnvelopeResult::Invalid.as_str(),
            vec![(None, e.to_string())],
            CliError::Usage(e.to_string()),
        ),
        DynError::Call(other) => (
            output::EnvelopeResult::Error.as_str(),
            vec![(other.code().map(|c| c.code()), other.to_string())],
            CliError::Failure(e.to_string()),
        ),
    };
    if fmt == Format::Json {
        // A failure to print it is the lesser problem: the command's own error follows.
        let _ = output::print_json(&output::failure_json(operation, result, &errors));
        return err;
    }
    // An answer with many errors (a bulk upload's rows) is shown as a bulk run's failures:
    // the first rows, then one per new code, and a summary by code.
    let listed = match &e {
        DynError::Call(Error::PartialFail(p)) => p.errors.as_slice(),
        DynError::Call(Error::Api(a)) => a.errors.as_slice(),
        _ => &[],
    };
    if listed.len() <= 1 {
        return err;
    }
    let mut rows = run_report::RunReport::new(false);
    let hidden = indicatif::ProgressBar::hidden();
    for x in listed {
        let message = x.message.clone().unwrap_or_default();
        let (line, message) = run_report::line_of(&message);
        rows.failed(
            &hidden,
            run_report::Failed {
                line,
                key: String::new(),
                outcome: row_outcome::RowOutcome::Failure,
                code: x.code.map(|c| c.code().to_string()).unwrap_or_default(),
                message,
            },
        );
    }
    rows.print_summary();
    let summary = format!(
        "{operation}: {result} with {} errors (listed above)",
        listed.len()
    );
    match err {
        CliError::Partial(_) => CliError::Partial(summary),
        _ => CliError::Failure(summary),
    }
}
