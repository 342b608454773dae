//! One HTTP exchange: POST a request document, get the response body back, bounded in size,
//! with transport failures sorted by whether the request may have reached the server.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use super::error::{Error, HttpStatusError, Phase, TimeoutError, TooLargeError, TransportError};
use crate::runtime::OpKind;

/// Bytes of a non-200 body kept for the error message.
const SNIPPET_BYTES: usize = 512;
/// Characters of that body shown.
const SNIPPET_CHARS: usize = 200;

/// The operation an exchange belongs to, for error messages and retry decisions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpContext {
    pub(crate) name: &'static str,
    pub(crate) kind: OpKind,
}

/// A successful (HTTP 200) response body.
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) url: reqwest::Url,
    pub(crate) max_response_size: usize,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
}

impl Transport {
    /// POSTs `body` and returns the response body of a 200.
    pub(crate) async fn post(&self, op: OpContext, body: String) -> Result<Body, Error> {
        let response = self
            .http
            .post(self.url.clone())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("text/xml; charset=utf-8"),
            )
            .header(
                ACCEPT,
                HeaderValue::from_static("text/xml, application/xml"),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport_error(op, e, false))?;

        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if status != reqwest::StatusCode::OK {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            // A short look at the body tells a proxy's HTML page from the server's own error;
            // a failure to read it is not the error worth reporting.
            let head = read_head(response, SNIPPET_BYTES).await;
            return Err(Error::HttpStatus(Box::new(HttpStatusError {
                operation: op.name,
                status: status.as_u16(),
                content_type,
                snippet: snippet(&head),
                retry_after,
                kind: op.kind,
            })));
        }

        let limit = self.max_response_size;
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(n) = declared
            && n > limit as u64
        {
            return Err(too_large(op, limit, Some(n)));
        }
        let capacity = declared.map_or(8 * 1024, |n| n as usize);
        let mut bytes = Vec::with_capacity(capacity);
        let mut response = response;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(op, e, true))?
        {
            if bytes.len() + chunk.len() > limit {
                return Err(too_large(op, limit, declared));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Body {
            bytes,
            content_type,
        })
    }

    /// Sorts a reqwest error: a failure to connect means nothing was sent; anything later (or
    /// while reading the body) means the server may have the request.
    fn transport_error(&self, op: OpContext, e: reqwest::Error, reading: bool) -> Error {
        let phase = if e.is_connect() && !reading {
            Phase::Connect
        } else {
            Phase::Exchange
        };
        if e.is_timeout() {
            let after = match phase {
                Phase::Connect => self.connect_timeout,
                Phase::Exchange => self.request_timeout,
            };
            return Error::Timeout(TimeoutError {
                operation: op.name,
                phase,
                after,
                kind: op.kind,
            });
        }
        Error::Transport(Box::new(TransportError::new(op.name, op.kind, phase, e)))
    }
}

fn too_large(op: OpContext, limit: usize, declared: Option<u64>) -> Error {
    Error::TooLarge(TooLargeError {
        operation: op.name,
        limit,
        declared,
    })
}

/// Up to `max` bytes of the body; whatever arrived if reading fails.
async fn read_head(mut response: reqwest::Response, max: usize) -> Vec<u8> {
    let mut head = Vec::new();
    while head.len() < max {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(max - head.len());
                head.extend_from_slice(&chunk[..take]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    head
}

/// The start of a body as one line: whitespace runs collapsed, control characters escaped.
fn snippet(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(SNIPPET_CHARS + 4);
    let mut shown = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = shown > 0;
            continue;
        }
        if shown == SNIPPET_CHARS {
            out.push('…');
            break;
        }
        if space {
            out.push(' ');
            space = false;
            shown += 1;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
        shown += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_one_short_line() {
        assert_eq!(
            snippet(b"<html>\r\n  <head><title>502 Bad Gateway</title></head>\n</html>"),
            "<html> <head><title>502 Bad Gateway</title></head> </html>"
        );
        assert_eq!(snippet(b"a\x01b"), "a\\u{1}b");
        let long = "x".repeat(1000);
        assert_eq!(snippet(long.as_bytes()).chars().count(), SNIPPET_CHARS + 1);
        assert!(snippet(long.as_bytes()).ends_with('…'));
        assert_eq!(
            snippet("x".repeat(SNIPPET_CHARS).as_bytes())
                .chars()
                .count(),
            SNIPPET_CHARS
        );
        assert_eq!(snippet(b""), "");
    }
}
