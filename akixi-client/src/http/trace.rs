//! The span of one call, for both clients: what each client's span holds besides (its
//! operation, its number or URL) is its own; the outcome, the error code and the duration are
//! recorded here, once the call ends.

use std::fmt;
use std::future::Future;
use std::time::Instant;

use tracing::Instrument as _;

/// What a call's outcome says for its span: the result word and the error code, if any.
pub(crate) trait Traced {
    /// `result` (`Success`, `Fail`, `error`) and `code`.
    fn trace_fields(&self) -> (&'static str, Option<u32>);
}

/// Runs `call` in `span` (which declares empty `result`, `code` and `duration_ms` fields) and
/// records them when it ends, with one event saying how it went.
pub(crate) async fn traced<T, E>(
    span: tracing::Span,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, E>
where
    Result<T, E>: Traced,
    E: fmt::Display,
{
    let started = Instant::now();
    let outcome = call.instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
    let (result, code) = outcome.trace_fields();
    span.record("result", result);
    if let Some(code) = code {
        span.record("code", code);
    }
    span.in_scope(|| match &outcome {
        Ok(_) => tracing::debug!("request done"),
        Err(e) => tracing::debug!(error = %e, "request failed"),
    });
    outcome
}
