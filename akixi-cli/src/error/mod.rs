//! How a command ends badly: [`CliError`] (each kind with its exit code) and how an ending is
//! shown ([`CliError::report`]); [`call_failure`] reports a failed Akixi call (standard error,
//! the JSON document for scripts, many errors by code).

pub mod call_failure;

use std::process::ExitCode;

use crate::{interrupt, terminal_text};

/// How a command ended badly.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line is wrong (exit 64).
    #[error("{0}")]
    Usage(String),
    /// The command failed (exit 1).
    #[error("{0}")]
    Failure(String),
    /// Some of it failed (exit 2).
    #[error("{0}")]
    Partial(String),
    /// A plan has changes, or the service drifted from the desired state (exit 2, as
    /// Terraform's `--detailed-exitcode`).
    #[error("{0}")]
    Changes(String),
    /// A bulk run stopped because the service stopped answering or refused its session (the
    /// circuit breaker, exit 3): every row's state is recorded; the message says how to resume.
    #[error("{0}")]
    Stopped(String),
    /// Stopped by Ctrl-C (exit 130, as a shell reports SIGINT).
    #[error("{0}")]
    Interrupted(String),
}

impl CliError {
    /// The exit code of this ending.
    pub fn exit(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Usage(_) => 64,
            CliError::Failure(_) => 1,
            CliError::Partial(_) | CliError::Changes(_) => 2,
            CliError::Stopped(_) => 3,
            CliError::Interrupted(_) => interrupt::EXIT_CODE,
        })
    }
}

impl CliError {
    /// Prints the error on standard error (a stored value's control characters escaped) and
    /// gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("akixi: {}", terminal_text::escaped_lines(&self.to_string()));
        self.exit()
    }
}
