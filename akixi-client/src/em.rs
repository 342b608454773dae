//! The Cisco Unified CM Extension Mobility API, generated from `spec/cisco-em` by
//! `akixi_derive::service!`: the actions, their result data, `ErrorCode`, `CcmVersion`, `Branch`
//! and the binding, the marker `Service` and its `Client` (one method per action, over the generic
//! [`cisco_em::Client`](crate::cisco_em::Client)); and, beside them, the typed codes of a
//! `<failure>` (`Failure::code`, `Failure::new`, its `Display`), which name this `ErrorCode`.

akixi_derive::service!(spec = "spec", service = "cisco-em");

use std::fmt;

use crate::cisco_em::error::write_failure;
use crate::cisco_em::response::{ErrorElement, Failure};

// The typed codes of a `<failure>`, in this service's `ErrorCode`. They sit beside the generated
// API because they name it; the protocol module's types know only the numbers.

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
        write_failure::<ErrorCode>(f, self)
    }
}
