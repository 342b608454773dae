//! The seed's view of an outcome, in the service's typed `ErrorCode`: what the application
//! server's action returned, and the typed codes of a `<failure>`.

use std::fmt;

use super::binding::Binding;
use super::error::Error;
use super::outcome::outcome_view;
use super::response::{ErrorElement, Failure};
use crate::em::ErrorCode;

/// The seed's view of an outcome: what the application server's action returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedView {
    /// The action succeeded (branch `success`); otherwise the branch is `failure`.
    pub success: bool,
    /// The service's error code for a `<failure>`; the spec's `no-response-error-code` (0)
    /// for success and for every outcome without response XML.
    pub error_code: ErrorCode,
    /// The service's message for a `<failure>`, empty on success; `None` (the seed's null)
    /// when the service did not answer with response XML.
    pub error_message: Option<String>,
}

impl SeedView {
    /// The view of `outcome` under `binding`.
    pub fn of<T>(outcome: &Result<T, Error>, binding: &Binding) -> Self {
        let view = outcome_view(outcome, binding);
        SeedView {
            success: view.success,
            error_code: ErrorCode::from_code(view.error_code),
            error_message: view.error_message.map(str::to_owned),
        }
    }
}

impl ErrorElement {
    /// The code, if the attribute is a number.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code_number().map(ErrorCode::from_code)
    }
}

impl Failure {
    /// A failure with `code` and `message` in the `<error>` form (a server's answer).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure::with_code(code.code(), message)
    }

    /// The error code: from `<error code>`; `None` for the `<errorMessage>` form, a missing or
    /// non-numeric code.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code_number().map(ErrorCode::from_code)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code(), self.message().filter(|m| !m.is_empty())) {
            (Some(code), Some(m)) => match code.message() {
                Some(doc) if doc != m => write!(f, "{} ({doc}): {m}", code.code()),
                _ => write!(f, "{}: {m}", code.code()),
            },
            (Some(code), None) => write!(f, "{code}"),
            (None, Some(m)) => write!(f, "(no code): {m}"),
            (None, None) => f.write_str("(no code, no message)"),
        }
    }
}
