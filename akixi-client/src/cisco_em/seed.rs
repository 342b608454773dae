//! The seed's view of an outcome, in the service's typed `ErrorCode`: what the application
//! server's action returned.

use super::binding::Binding;
use super::error::Error;
use super::outcome::outcome_view;
use super::service::CiscoEmService;
use crate::error_code::ServiceErrorCode;

/// The seed's view of an outcome of the service `S`: what the application server's action
/// returned (the generated `SeedView` names it for one service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedView<S: CiscoEmService> {
    /// The action succeeded (branch `success`); otherwise the branch is `failure`.
    pub success: bool,
    /// The service's error code for a `<failure>`; the spec's `no-response-error-code` (0)
    /// for success and for every outcome without response XML.
    pub error_code: S::ErrorCode,
    /// The service's message for a `<failure>`, empty on success; `None` (the seed's null)
    /// when the service did not answer with response XML.
    pub error_message: Option<String>,
}

impl<S: CiscoEmService> SeedView<S> {
    /// The view of `outcome` under `binding`.
    pub fn of<T>(outcome: &Result<T, Error<S>>, binding: &Binding) -> Self {
        let view = outcome_view(outcome, binding);
        SeedView {
            success: view.success,
            error_code: S::ErrorCode::from_code(view.error_code),
            error_message: view.error_message.map(str::to_owned),
        }
    }
}
