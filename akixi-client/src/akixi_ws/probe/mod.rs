//! A probe of a live `akixi-ws` service against the spec it is said to follow.
//!
//! [`run`] signs in to the service at a [`ProbeTarget`] with the session operations the spec's
//! binding names, then tests what the spec claims, one row at a time: each family's operation
//! names (a name the service does not know answers the spec's `unknown-operation` code; then the
//! probe tries the operation's aliases and the usual other verbs), the list's default limit,
//! which properties an info returns, the failure element's names, and the code answering the
//! info of a surely-absent key. It is read-only unless the target allows writes in a scope:
//! then each family it can fill is also added, changed and deleted through a throw-away entity
//! named `akixi-probe-<random>`, deleted again whatever happens.
//!
//! The result is a [`ProbeReport`]: each [`Finding`] is confirmed, refuted or untestable, names
//! the spec row it is about, holds the exchanges it rests on (secrets redacted with
//! [`redact_xml`](super::redact_xml)) and, when refuted, the proposed [`Fix`]. [`patch`] turns
//! a report into the edited spec files. The spec is known only at run time, so requests are
//! written with [`RequestWriter`](super::RequestWriter) and responses read as element trees.
//!
//! Only the `akixi-ws` protocol is probed; a `cisco-em` service is refused.

mod engine;
pub mod patch;
mod report;
mod wire;

use akixi_schema::Spec;

pub use report::{
    Exchange, Finding, Fix, ProbeEntity, ProbeError, ProbeReport, ProbeTarget, RowRef, Status,
    fix_text,
};

/// Probes `service_name` of `spec` at `target`.
pub async fn run(
    spec: &Spec,
    service_name: &str,
    target: &ProbeTarget,
) -> Result<ProbeReport, ProbeError> {
    let service = spec
        .service(service_name)
        .ok_or_else(|| ProbeError::UnknownService(service_name.to_owned()))?;
    engine::Prober::new(service, target)?.run().await
}
