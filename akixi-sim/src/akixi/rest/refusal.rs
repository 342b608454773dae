//! What a refused REST request says: its condition (whose status the spec's `rest-statuses`
//! give), why, and the engine's error code where the engine refused it.

use akixi_client::runtime::akixi_ws::Condition;

/// A refusal: its condition, why, and the engine's code where the engine refused.
pub(super) struct Refusal {
    pub(super) condition: Condition,
    pub(super) message: String,
    pub(super) code: Option<u32>,
}

impl Refusal {
    pub(super) fn new(condition: Condition, message: impl Into<String>) -> Self {
        Refusal {
            condition,
            message: message.into(),
            code: None,
        }
    }
}
