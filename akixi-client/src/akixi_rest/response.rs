//! Reading a REST answer: a success body into the shape's response type (serde, with the
//! generated types' JSON: a list as a bare array, a one-element array where one value is held),
//! and a failure into [`RestFailure`]: its status, the `Message` of its body, the service's
//! error code where the body gives one, and the conditions the spec answers with that status.

use serde::de::DeserializeOwned;

use super::binding::RestInfo;
use crate::meta::Condition;

/// The most of a failure's body kept for the error (the rest is cut, never read into memory
/// beyond the HTTP layer's bound).
const BODY_EXCERPT: usize = 512;

/// A success body that is not the response the operation returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the answer is not {expected}: {detail} (at `{at}`)")]
pub struct RestDecodeError {
    /// What was expected (`UserInfo's response`).
    pub expected: String,
    /// Where in the JSON (`Scope.TelSysID`), `.` at the top.
    pub at: String,
    /// What was wrong.
    pub detail: String,
}

/// A failed REST answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestFailure {
    /// The HTTP status.
    pub status: u16,
    /// The body's message, where it has one.
    pub message: Option<String>,
    /// The service's error code, where the body gives one.
    pub code: Option<u32>,
    /// The conditions the spec answers with this status (several share one: 400, 401, 409).
    pub conditions: Vec<Condition>,
    /// The start of the body, when it is not the documented error object.
    pub body: Option<String>,
}

impl std::fmt::Display for RestFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(c) = self.code {
            write!(f, ", code {c}")?;
        }
        match (&self.message, &self.body) {
            (Some(m), _) => write!(f, ": {m}"),
            (None, Some(b)) if !b.is_empty() => write!(f, ": {b}"),
            _ => Ok(()),
        }
    }
}

/// Decodes a success body into `T`, the operation's response; an empty body (or `null`) is
/// the response with nothing in it (the REST documentation does not say whether `Add` and its
/// siblings answer with the entity or with nothing).
pub fn decode_success<T: DeserializeOwned + Default>(
    body: &[u8],
    expected: &str,
) -> Result<T, RestDecodeError> {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() || trimmed == b"null" {
        return Ok(T::default());
    }
    // The fast path reads without tracking where it is; only a failure is read again to say
    // where (tracking the path costs as much as the reading).
    match serde_json::from_slice(trimmed) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let mut de = serde_json::Deserializer::from_slice(trimmed);
            let located = serde_path_to_error::deserialize::<_, T>(&mut de)
                .err()
                .map(|e| (e.path().to_string(), e.inner().to_string()));
            let (at, detail) = located.unwrap_or_else(|| (".".to_string(), plain.to_string()));
            Err(RestDecodeError {
                expected: expected.to_string(),
                at,
                detail,
            })
        }
    }
}

/// Reads a failure: `{"Message": …}` (and the code field, where given) and the conditions of
/// its status. A body that is not that object is kept, cut to a bound, as text.
pub fn decode_failure(status: u16, body: &[u8], rest: &RestInfo) -> RestFailure {
    let conditions = rest.conditions_of(status).collect();
    let parsed: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(body).ok();
    let (message, code) = match &parsed {
        Some(map) => (
            map.get(rest.error_message_field)
                .and_then(|m| m.as_str())
                .map(str::to_string),
            map.get(rest.error_code_field)
                .and_then(|c| c.as_u64().or_else(|| c.as_str()?.parse().ok()))
                .and_then(|c| u32::try_from(c).ok()),
        ),
        None => (None, None),
    };
    let body = (message.is_none()).then(|| {
        let text = String::from_utf8_lossy(body);
        let mut cut: String = text.chars().take(BODY_EXCERPT).collect();
        if text.chars().count() > BODY_EXCERPT {
            cut.push('…');
        }
        cut
    });
    RestFailure {
        status,
        message,
        code,
        conditions,
        body,
    }
}
