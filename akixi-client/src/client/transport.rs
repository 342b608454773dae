//! One HTTP exchange: POST a request document, get the response body back, bounded in size,
//! with transport failures sorted by whether the request may have reached the server.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use super::error::{Error, HttpStatusError, Phase, TimeoutError, TooLargeError, TransportError};
use crate::http_body::{BodyError, content_type, error_snippet, read_limited};
use crate::runtime::OpKind;

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
        let content_type = content_type(&response);
        if status != reqwest::StatusCode::OK {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(Error::HttpStatus(Box::new(HttpStatusError {
                operation: op.name,
                status: status.as_u16(),
                content_type,
                snippet: error_snippet(response).await,
                retry_after,
                kind: op.kind,
            })));
        }

        let limit = self.max_response_size;
        let bytes = read_limited(response, limit).await.map_err(|e| match e {
            BodyError::TooLarge { declared } => too_large(op, limit, declared),
            BodyError::Read(e) => self.transport_error(op, e, true),
        })?;
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
