//! An action's outcome in the seed's terms, as the generated result data reads it: whether it
//! succeeded, its `ErrorCode` (the service's for a `<failure>`, else the binding's
//! `no-response-error-code`) and its `ErrorMessage` (the service's; null without response XML).

use super::binding::Binding;

/// What a failed outcome says in the seed's terms; the client's error implements it.
pub trait Outcome {
    /// The service's error code, when it answered `<failure>` with a numeric code.
    fn failure_code(&self) -> Option<u32>;
    /// The service's message for a `<failure>` (empty when it gave none); `None` when the
    /// service did not answer with response XML.
    fn failure_message(&self) -> Option<&str>;
}

/// An outcome in the seed's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeView<'a> {
    /// The action succeeded (the success branch).
    pub success: bool,
    /// The `ErrorCode`.
    pub error_code: u32,
    /// The `ErrorMessage`: `None` (the seed's null) when the service did not answer with
    /// response XML; empty on success.
    pub error_message: Option<&'a str>,
}

/// The seed's view of `result` under `binding`.
pub fn outcome_view<'a, T, E: Outcome>(
    result: &'a Result<T, E>,
    binding: &Binding,
) -> OutcomeView<'a> {
    match result {
        Ok(_) => OutcomeView {
            success: true,
            error_code: binding.no_response_error_code,
            error_message: Some(""),
        },
        Err(e) => OutcomeView {
            success: false,
            error_code: e.failure_code().unwrap_or(binding.no_response_error_code),
            error_message: e.failure_message(),
        },
    }
}
