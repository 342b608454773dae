//! One call: validate, join the session, number and send the request, map the outcome, and
//! recover where that is safe (renew an expired session once, retry under the policy).

use std::fmt;

use super::error::{
    ApiError, ApiFailure, DecodeFailure, Error, PartialFailure, ProtocolError, ProtocolErrorKind,
    ValidationError,
};
use super::handle::Client;
use super::retry::Retries;
use super::service::{AkixiWsService, Validate};
use super::validate;
use crate::akixi_ws::cipher::SessionPasswords;
use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::grammar::{self, ResultKind};
use crate::akixi_ws::payload::{Operation, PasswordEncoder, encode_request};
use crate::akixi_ws::read::{DecodePayload, decode_response};
use crate::akixi_ws::redact::redact_xml;
use crate::error_code::ServiceErrorCode;
use crate::http::{Body, Protocol, Request, Traced, call_span, traced};
use crate::meta::OpKind;
use crate::secret::Secret;

/// The media types of the exchange.
const CONTENT_TYPE: &str = "text/xml; charset=utf-8";
const ACCEPT: &str = "text/xml, application/xml";

/// The operation an exchange belongs to, for error messages and retry decisions.
#[derive(Debug, Clone, Copy)]
struct OpContext {
    name: &'static str,
    kind: OpKind,
}

impl<S: AkixiWsService> Client<S> {
    pub(super) async fn execute<O>(&self, request: &O) -> Result<O::Response, Error<S>>
    where
        O: Operation + Validate<Platform = S::Platform, Unsupported = S::Unsupported> + Send + Sync,
        O::Response: Send + Sync + 'static,
    {
        self.validate(request)?;
        let mut retries = Retries::new(&self.inner.retry);
        let mut renewed = false;
        loop {
            retries.start();
            let session = self.session().await?;
            let outcome = {
                let passwords = SessionPasswords {
                    cipher: &*self.inner.cipher,
                    nonce: &session.nonce,
                };
                self.exchange(request, Some(&session.id), &passwords).await
            };
            let err = match outcome {
                Ok((response, _)) => return Ok(response),
                Err(e) => e,
            };
            if err.is_session_expired() {
                if renewed {
                    return Err(err);
                }
                // The server did not run the request: renew once and send it again, without
                // counting it as a retry.
                renewed = true;
                retries.uncount();
                tracing::info!(
                    operation = O::NAME,
                    code = err.code().map(|c| c.code()),
                    "API session expired; renewing it"
                );
                self.inner
                    .sessions
                    .renew(session.epoch, || self.establish())
                    .await?;
                continue;
            }
            if !retries.again_after(&err, O::NAME).await {
                return Err(err);
            }
        }
    }

    /// One numbered HTTP exchange: encode, POST, decode, check the InvokeID, map the Result.
    pub(super) async fn exchange<O>(
        &self,
        request: &O,
        session_id: Option<&Secret>,
        passwords: &(dyn PasswordEncoder + Sync),
    ) -> Result<(O::Response, String), Error<S>>
    where
        O: Operation + Sync,
        O::Response: Send + Sync + 'static,
    {
        let op = OpContext {
            name: O::NAME,
            kind: O::KIND,
        };
        let invoke_id = self.inner.invoke_ids.next();
        let span = call_span(
            Protocol::AkixiWs,
            O::NAME,
            Some(&invoke_id),
            &self.inner.url,
        );
        let outcome = traced(span, async {
            let body = encode_request(
                request,
                &invoke_id,
                session_id.map(Secret::expose),
                passwords,
            )
            .map_err(|source| Error::Encode {
                operation: O::NAME,
                source,
            })?;
            // The exchanged XML, secrets redacted (`akixi --verbose` shows these).
            tracing::trace!(xml = %redact_xml(body.as_bytes(), S::SECRET_PROPERTIES), "request");
            let body = self
                .inner
                .http
                .post(Request {
                    operation: O::NAME,
                    kind: O::KIND,
                    url: &self.inner.url,
                    content_type: CONTENT_TYPE,
                    accept: ACCEPT,
                    body,
                })
                .await?;
            tracing::trace!(xml = %redact_xml(&body.bytes, S::SECRET_PROPERTIES), "response");
            interpret::<S, O::Response>(op, &invoke_id, body)
        })
        .await;
        outcome.map(|response| (response, invoke_id))
    }

    /// Checks `request` against the platform(s) it targets.
    fn validate<O>(&self, request: &O) -> Result<(), Error<S>>
    where
        O: Operation + Validate<Platform = S::Platform, Unsupported = S::Unsupported>,
    {
        let inner = &self.inner;
        let mut platforms: Vec<S::Platform> = Vec::new();
        let mut add = |p: S::Platform| {
            if !platforms.contains(&p) {
                platforms.push(p);
            }
        };
        if inner.server_platforms.is_empty() {
            if let Some(p) = inner.platform {
                add(p);
            }
        } else {
            let servers = validate::telephony_servers(request, S::TELEPHONY_SERVER_PROPERTY);
            let mut unknown = servers.is_empty();
            for id in servers {
                match inner.server_platforms.get(&id) {
                    Some(p) => add(*p),
                    None => unknown = true,
                }
            }
            if let (true, Some(p)) = (unknown, inner.platform) {
                add(p);
            }
        }
        let problems: Vec<_> = platforms
            .into_iter()
            .filter_map(|p| request.validate_for(p).err())
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(ValidationError {
                operation: O::NAME,
                problems,
            }))
        }
    }
}

/// A 200 response: decoded, its InvokeID checked, its Result mapped.
fn interpret<S: AkixiWsService, R>(
    op: OpContext,
    invoke_id: &str,
    body: Body,
) -> Result<R, Error<S>>
where
    R: DecodePayload + fmt::Debug + Send + Sync + 'static,
{
    let protocol = |kind| {
        Error::Protocol(Box::new(ProtocolError {
            operation: op.name,
            invoke_id: invoke_id.to_owned(),
            kind,
        }))
    };
    let decoded = match decode_response::<R>(&body.bytes, &S::BINDING) {
        Ok(d) => d,
        Err(e) => {
            return Err(match e.kind() {
                DecodeErrorKind::MissingAttribute {
                    attribute: grammar::RESULT,
                    ..
                } => protocol(ProtocolErrorKind::MissingResult),
                DecodeErrorKind::UnknownResult { found } => {
                    protocol(ProtocolErrorKind::UnknownResult {
                        found: found.clone(),
                    })
                }
                _ => decode_failure(op, invoke_id, body.content_type, e),
            });
        }
    };
    if let Some(id) = decoded.invoke_id.as_deref()
        && id != invoke_id
    {
        return Err(protocol(ProtocolErrorKind::InvokeIdMismatch {
            received: id.to_owned(),
        }));
    }
    if decoded.invoke_id.is_none() && decoded.result != ResultKind::Fail {
        // A failure may come without the InvokeID (the request's may be what was wrong); a
        // success must echo it.
        return Err(protocol(ProtocolErrorKind::MissingInvokeId));
    }
    let errors: Vec<ApiError<S>> = decoded
        .errors
        .into_iter()
        .map(ApiError::from_wire)
        .collect();
    if decoded.result == ResultKind::Fail {
        return Err(api_failure(op, invoke_id, errors));
    }
    let data = match decoded.data {
        Some(data) => data,
        // No payload (`UserAdd` answers with the envelope alone): what an empty one decodes
        // to, or the error saying what the type cannot do without.
        None => decode_response::<R>(&empty_success(S::BINDING.success), &S::BINDING)
            .map_err(|e| decode_failure(op, invoke_id, body.content_type, e))?
            .data
            .ok_or_else(|| protocol(ProtocolErrorKind::MissingResult))?,
    };
    match decoded.result {
        ResultKind::PartialFail => Err(Error::PartialFail(Box::new(PartialFailure::new(
            op.name,
            invoke_id.to_owned(),
            errors,
            data,
        )))),
        ResultKind::Success | ResultKind::Fail => Ok(data),
    }
}

fn api_failure<S: AkixiWsService>(
    op: OpContext,
    invoke_id: &str,
    errors: Vec<ApiError<S>>,
) -> Error<S> {
    Error::Api(Box::new(ApiFailure {
        operation: op.name,
        invoke_id: invoke_id.to_owned(),
        errors,
        kind: op.kind,
    }))
}

fn decode_failure<S: AkixiWsService>(
    op: OpContext,
    invoke_id: &str,
    content_type: Option<String>,
    e: DecodeError,
) -> Error<S> {
    Error::Decode(Box::new(DecodeFailure {
        operation: op.name,
        invoke_id: Some(invoke_id.to_owned()),
        content_type,
        error: redact(op.kind, e),
    }))
}

/// A successful response with an empty payload (`success`: the binding's success element).
fn empty_success(success: &str) -> Vec<u8> {
    format!(
        "{}{}\"><{}/>{}",
        grammar::RESPONSE_OPEN,
        ResultKind::Success,
        success,
        grammar::RESPONSE_CLOSE
    )
    .into_bytes()
}

/// A `CreateSession` response holds the session id and the nonce: its decode errors keep
/// what was expected and where, but not the text around it.
fn redact(kind: OpKind, e: DecodeError) -> DecodeError {
    if kind == OpKind::CreateSession {
        DecodeError::new(e.kind().clone(), e.path().to_owned(), b"", e.offset())
    } else {
        e
    }
}

impl<S: AkixiWsService, R> Traced for Result<R, Error<S>> {
    fn trace_fields(&self) -> (&'static str, Option<u32>) {
        let result = match self {
            Ok(_) => ResultKind::Success.as_str(),
            Err(Error::Api(_)) => ResultKind::Fail.as_str(),
            Err(Error::PartialFail(_)) => ResultKind::PartialFail.as_str(),
            Err(_) => "error",
        };
        let code = self
            .as_ref()
            .err()
            .and_then(Error::code)
            .map(ServiceErrorCode::code);
        (result, code)
    }
}
