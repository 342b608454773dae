//! The async client of the Akixi Service Web Services API.
//!
//! ```no_run
//! use akixi_client::Client;
//! use akixi_client::akixi::Platform;
//! use akixi_client::akixi::user::{UserAddRequest, UserInfoRequest};
//!
//! # async fn run() -> Result<(), akixi_client::Error> {
//! let client = Client::builder("https://akixi.example.com/CCS/WebServices")
//!     .credentials("admin", "s3cret")
//!     .platform(Platform::CiscoBroadworks)
//!     .build()?;
//! client.user_add(UserAddRequest::new("jdoe").full_name("Jane Doe")).await?;
//! let info = client.user_info(UserInfoRequest::new("jdoe")).await?;
//! println!("{:?}", info.full_name);
//! client.close().await?;
//! # Ok(())
//! # }
//! ```
//!
//! What a call does:
//!
//! 1. **Validates** the request against the target platform ([`ClientBuilder::platform`], or
//!    the platform of the telephony server it names); a request with unsupported properties is
//!    an [`Error::Validation`] listing every one, and is not sent.
//! 2. **Joins the API session**, establishing it first if there is none (`CreateSession`, then
//!    `Authenticate` with the password protected by the session's Nonce). One session serves
//!    every request of the client and its clones.
//! 3. **Numbers the request** with the next InvokeID (`00000`…`99999`, then `00000` again) and
//!    POSTs it. A response must echo the InvokeID; one that does not is an
//!    [`Error::Protocol`].
//! 4. **Maps the outcome**: `Success` to the typed response; `Fail` to [`Error::Api`] (codes,
//!    messages, operation, InvokeID); `PartialFail` to [`Error::PartialFail`], which keeps
//!    both the decoded data and every error.
//! 5. **Recovers** where that is safe. If the server says the session is gone (the codes whose
//!    handling is "renew session"), the session is established again, once, by one request
//!    while the others wait for it, and the request is sent once more (the server did not run
//!    it). Other failures are retried under the [`RetryPolicy`] only when the request cannot
//!    have been carried out (no connection, 503, 429) or the operation only reads (reset,
//!    timeout, 502/504, "try again later" codes for `Info`/`List`). An `Add`, `Change` or
//!    `Delete` that may have reached the server is never sent again.
//!
//! Every HTTP exchange runs in a tracing span `akixi.request` with the operation, InvokeID,
//! result, error code and duration. Passwords, the session id and the nonce never appear in
//! logs, errors or `Debug` output.
//!
//! Provisional (see the spec): the closing operation's name (`Logout`), the names of
//! `Authenticate`'s properties, and the password cipher (used for `Authenticate`'s password
//! too) are inferred from the public documentation.

mod builder;
mod error;
mod invoke;
mod paging;
mod retry;
mod session;
mod transport;
mod validate;

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument as _;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_REJECTION_COOLDOWN,
    DEFAULT_REQUEST_TIMEOUT,
};
pub use error::{
    ApiError, ApiFailure, DecodeFailure, Error, HttpStatusError, PartialFailure, Phase,
    ProtocolError, ProtocolErrorKind, TimeoutError, TooLargeError, TransportError, ValidationError,
};
pub use paging::ListStream;
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use session::SessionOperations;
pub use validate::Validate;

use self::invoke::InvokeIds;
use self::session::Sessions;
use self::transport::{Body, OpContext, Transport};
use crate::akixi::SECRET_PROPERTIES;
use crate::akixi::{self, ClientSession, Platform};
use crate::akixi_ws::{DecodeError, DecodeErrorKind, DecodePayload, ResultKind, decode_response};
use crate::cipher::{PasswordCipher, SessionPasswords};
use crate::runtime::{
    EncodeError, List, OpKind, Operation, PasswordEncoder, encode_request, redact_xml,
};
use crate::secret::{Password, Secret};

/// A client of one Akixi endpoint: cheap to clone (clones share the connection pool, the API
/// session and the InvokeID counter), `Send + Sync`.
///
/// Build one with [`Client::builder`]. Besides [`call`](Self::call) and [`list`](Self::list),
/// it has one method per operation of the spec (`user_add`, `user_info`, …, and
/// `user_list_stream` for paged lists).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    credentials: Credentials,
    retry: RetryPolicy,
    platform: Option<Platform>,
    server_platforms: std::collections::BTreeMap<i64, Platform>,
    page_size: u64,
    cipher: Arc<dyn PasswordCipher>,
    invoke_ids: InvokeIds,
    sessions: Sessions,
}

/// The administrative user's name and password.
#[derive(Clone)]
struct Credentials {
    username: String,
    password: Password,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &i.transport.url.as_str())
            .field("credentials", &i.credentials)
            .field("session_established", &i.sessions.is_established())
            .field("platform", &i.platform)
            .field("server_platforms", &i.server_platforms)
            .field("connect_timeout", &i.transport.connect_timeout)
            .field("request_timeout", &i.transport.request_timeout)
            .field("max_response_size", &i.transport.max_response_size)
            .field("retry", &i.retry)
            .field("page_size", &i.page_size)
            .finish_non_exhaustive()
    }
}

/// Writes no password: for the requests that carry none (`CreateSession`), so that a password
/// in one is an error instead of leaving unprotected.
struct NoPasswords;

impl PasswordEncoder for NoPasswords {
    fn encode_password(&self, _: &Password) -> Result<String, EncodeError> {
        Err(EncodeError::Password(
            "a password outside an API session cannot be protected".into(),
        ))
    }
}

impl Client {
    /// A builder for the XML endpoint at `endpoint` (the full URL).
    pub fn builder(endpoint: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(endpoint)
    }

    /// Sends `request` and returns its typed response (see the [module docs](self) for what
    /// happens on the way). The per-operation methods (`user_add`, …) call this.
    ///
    /// Errors: [`Error::Validation`] before sending; [`Error::Api`] for `Fail`;
    /// [`Error::PartialFail`] for `PartialFail`, holding the data and the errors;
    /// [`Error::Session`] if the API session cannot be established; transport, timeout, HTTP,
    /// size, decoding and protocol errors otherwise.
    pub async fn call<O>(&self, request: O) -> Result<O::Response, Error>
    where
        O: Operation + Validate + Send + Sync,
        O::Response: Send + Sync + 'static,
    {
        self.execute(&request).await
    }

    /// Every entry of a `List` operation, as a stream that pages with `Offset`/`Limit`.
    ///
    /// Starts at the request's `Offset` (or 0); pages hold the request's `Limit` entries, or
    /// [`ClientBuilder::page_size`] if it sets none. At most one page is held in memory; the
    /// stream ends after a short page. Each page is a call, with the same validation, session
    /// handling and retries.
    pub fn list<O, E>(&self, request: O) -> ListStream<O, E>
    where
        O: Operation<Response = List<E>> + Validate + Clone + Send + Sync + 'static,
        E: fmt::Debug + Send + Sync + 'static,
    {
        let (offset, limit) = request.paging();
        let limit = limit.filter(|l| *l > 0).unwrap_or(self.inner.page_size);
        ListStream::new(self.clone(), request, offset.unwrap_or(0), limit)
    }

    /// Ends the API session (the spec's closing operation), if one is established. A later
    /// call starts a new session. A session the server had already dropped counts as closed.
    /// Dropping the last clone of a client does not end its session (that needs a request);
    /// the server times it out.
    pub async fn close(&self) -> Result<(), Error> {
        type S = ClientSession;
        let (_closing, session) = self.inner.sessions.take().await;
        let Some(session) = session else {
            return Ok(());
        };
        let request = <S as SessionOperations>::close();
        let passwords = SessionPasswords {
            cipher: &*self.inner.cipher,
            nonce: &session.nonce,
        };
        match self.exchange(&request, Some(&session.id), &passwords).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_session_expired() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Whether an API session is established (it is, lazily, at the first call).
    pub fn has_session(&self) -> bool {
        self.inner.sessions.is_established()
    }

    pub(crate) async fn execute<O>(&self, request: &O) -> Result<O::Response, Error>
    where
        O: Operation + Validate + Send + Sync,
        O::Response: Send + Sync + 'static,
    {
        self.validate(request)?;
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            attempt += 1;
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
                attempt -= 1;
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
            if err.is_retryable() {
                let delay =
                    self.inner
                        .retry
                        .next_delay(attempt, started.elapsed(), err.retry_after());
                if let Some(delay) = delay {
                    tracing::warn!(
                        operation = O::NAME,
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        error = %err,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Err(err);
        }
    }

    async fn session(&self) -> Result<Arc<session::Session>, Error> {
        self.inner.sessions.get(|| self.establish()).await
    }

    /// `CreateSession` then `Authenticate`, retried as a whole under the retry policy: a
    /// failed `Authenticate` clears the session and its Nonce on the server, so every attempt
    /// starts again from `CreateSession`. A rejected password is not retried.
    async fn establish(&self) -> Result<(Secret, Secret), Error> {
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let err = match self.establish_once().await {
                Ok(session) => return Ok(session),
                Err(e) => e,
            };
            if err.is_retryable() {
                let delay =
                    self.inner
                        .retry
                        .next_delay(attempt, started.elapsed(), err.retry_after());
                if let Some(delay) = delay {
                    tracing::warn!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        error = %err,
                        "retrying the API session set-up"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Err(err);
        }
    }

    async fn establish_once(&self) -> Result<(Secret, Secret), Error> {
        type S = ClientSession;
        let create = <S as SessionOperations>::create();
        let (created, invoke_id) = self.exchange(&create, None, &NoPasswords).await?;
        let missing = |what| {
            Error::Protocol(Box::new(ProtocolError {
                operation: <<S as SessionOperations>::Create as Operation>::NAME,
                invoke_id: invoke_id.clone(),
                kind: ProtocolErrorKind::MissingSessionValue { what },
            }))
        };
        let (id, nonce) = <S as SessionOperations>::session_of(created);
        let id = id
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| missing("SessionID"))?;
        let nonce = nonce
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| missing("Nonce"))?;

        let creds = &self.inner.credentials;
        let auth = <S as SessionOperations>::authenticate(&creds.username, &creds.password)
            .map_err(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                Error::Config(format!(
                    "cannot build the Authenticate request: {}",
                    list.join("; ")
                ))
            })?;
        let passwords = SessionPasswords {
            cipher: &*self.inner.cipher,
            nonce: &nonce,
        };
        self.exchange(&auth, Some(&id), &passwords).await?;
        tracing::debug!("API session established");
        Ok((id, nonce))
    }

    /// One numbered HTTP exchange: encode, POST, decode, check the InvokeID, map the Result.
    async fn exchange<O>(
        &self,
        request: &O,
        session_id: Option<&Secret>,
        passwords: &(dyn PasswordEncoder + Sync),
    ) -> Result<(O::Response, String), Error>
    where
        O: Operation + Sync,
        O::Response: Send + Sync + 'static,
    {
        let op = OpContext {
            name: O::NAME,
            kind: O::KIND,
        };
        let invoke_id = self.inner.invoke_ids.next();
        let span = tracing::info_span!(
            "akixi.request",
            operation = O::NAME,
            invoke_id = %invoke_id,
            result = tracing::field::Empty,
            code = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let outcome = async {
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
            tracing::trace!(xml = %redact_xml(body.as_bytes(), SECRET_PROPERTIES), "request");
            let body = self.inner.transport.post(op, body).await?;
            tracing::trace!(xml = %redact_xml(&body.bytes, SECRET_PROPERTIES), "response");
            interpret::<O::Response>(op, &invoke_id, body)
        }
        .instrument(span.clone())
        .await;

        let duration = started.elapsed();
        span.record("duration_ms", duration.as_secs_f64() * 1000.0);
        let result = match &outcome {
            Ok(_) => "Success",
            Err(Error::Api(_)) => "Fail",
            Err(Error::PartialFail(_)) => "PartialFail",
            Err(_) => "error",
        };
        span.record("result", result);
        if let Err(e) = &outcome
            && let Some(code) = e.code()
        {
            span.record("code", code.code());
        }
        span.in_scope(|| match &outcome {
            Ok(_) => tracing::debug!("request done"),
            Err(e) => tracing::debug!(error = %e, "request failed"),
        });
        outcome.map(|response| (response, invoke_id))
    }

    /// Checks `request` against the platform(s) it targets.
    fn validate<O: Operation + Validate>(&self, request: &O) -> Result<(), Error> {
        let inner = &self.inner;
        let mut platforms: Vec<Platform> = Vec::new();
        let mut add = |p: Platform| {
            if !platforms.contains(&p) {
                platforms.push(p);
            }
        };
        if inner.server_platforms.is_empty() {
            if let Some(p) = inner.platform {
                add(p);
            }
        } else {
            let servers = validate::telephony_servers(request);
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
fn interpret<R>(op: OpContext, invoke_id: &str, body: Body) -> Result<R, Error>
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
    let decoded = match decode_response::<R>(&body.bytes, &akixi::BINDING) {
        Ok(d) => d,
        Err(e) => {
            return Err(match e.kind() {
                DecodeErrorKind::MissingAttribute {
                    attribute: "Result",
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
    let errors: Vec<ApiError> = decoded
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
        None => decode_response::<R>(&empty_success(), &akixi::BINDING)
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

fn api_failure(op: OpContext, invoke_id: &str, errors: Vec<ApiError>) -> Error {
    Error::Api(Box::new(ApiFailure {
        operation: op.name,
        invoke_id: invoke_id.to_owned(),
        errors,
        kind: op.kind,
    }))
}

fn decode_failure(
    op: OpContext,
    invoke_id: &str,
    content_type: Option<String>,
    e: DecodeError,
) -> Error {
    Error::Decode(Box::new(DecodeFailure {
        operation: op.name,
        invoke_id: invoke_id.to_owned(),
        content_type,
        error: redact(op.kind, e),
    }))
}

/// A successful response with an empty payload.
fn empty_success() -> Vec<u8> {
    format!(
        "<Response Result=\"Success\"><{}/></Response>",
        akixi::BINDING.success
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::akixi::user::{UserListEntry, UserListRequest};

    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn error_type<T: std::error::Error + Send + Sync + 'static>() {}
    fn send<T: Send + Unpin + 'static>() {}

    #[test]
    fn the_public_types_can_cross_tasks() {
        clone_send_sync::<Client>();
        error_type::<Error>();
        send::<ListStream<UserListRequest, UserListEntry>>();
    }
}
