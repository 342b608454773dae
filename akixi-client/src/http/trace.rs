//! The span of one call, for both clients: one set of fields (the operation, its number where
//! the protocol numbers requests, the URL, the outcome, the error code and the duration),
//! opened by [`call_span`] and completed by [`traced`] once the call ends.

use std::fmt;
use std::future::Future;
use std::time::Instant;

use tracing::Instrument as _;

/// Which client a call belongs to, which names its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// The Akixi client: `akixi.request`.
    AkixiWs,
    /// The Extension Mobility client: `cisco_em.request`.
    CiscoEm,
}

/// The span of one call of `protocol`: `operation`, its `invoke_id` (where the protocol numbers
/// requests), its `url`, and the empty `result`, `code` and `duration_ms` that [`traced`]
/// records.
pub(crate) fn call_span(
    protocol: Protocol,
    operation: &'static str,
    number: Option<&str>,
    url: &reqwest::Url,
) -> tracing::Span {
    macro_rules! span {
        ($name:literal) => {
            tracing::info_span!(
                $name,
                operation,
                invoke_id = tracing::field::Empty,
                url = %url,
                result = tracing::field::Empty,
                code = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            )
        };
    }
    let span = match protocol {
        Protocol::AkixiWs => span!("akixi.request"),
        Protocol::CiscoEm => span!("cisco_em.request"),
    };
    if let Some(number) = number {
        span.record("invoke_id", number);
    }
    span
}

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
