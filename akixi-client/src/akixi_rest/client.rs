//! The async REST client of a service, driven by its REST binding (`SERVICE.rest`): requests
//! and responses are the generated shapes the XML client uses, written and read by the REST
//! codec; the session and the API key, retries and paging follow the spec's rows.
//!
//! ```no_run
//! use akixi_client::akixi::SERVICE;
//! use akixi_client::akixi::user::{UserInfoRequest, UserInfoResponse};
//! use akixi_client::akixi_rest::RestClient;
//!
//! # async fn run() -> Result<(), akixi_client::akixi_rest::RestError> {
//! let client = RestClient::builder("https://akixi.example.com", &SERVICE)
//!     .credentials("admin", "s3cret")
//!     .build()?;
//! let info: UserInfoResponse = client
//!     .call("User", "Info", &UserInfoRequest::new("jdoe"))
//!     .await?;
//! println!("{:?}", info.full_name);
//! # Ok(())
//! # }
//! ```
//!
//! What a call does:
//!
//! 1. **Finds the REST operation** of the family by its REST name (`Update`), and writes the
//!    request through it: a key in the path, the inputs in the query or the JSON body; an input
//!    the REST operation does not carry is an error before anything is sent.
//! 2. **Authenticates**: with an API key, its header on every request and no session; with
//!    credentials, one session (`create-session`, then `login` with HTTP Basic) shared by every
//!    call of the client and its clones, and its cookie on each request. A login answered with
//!    the binding's "other sessions" status and message succeeded.
//! 3. **Maps the answer**: the success status to the typed response; any other to
//!    [`RestError::Api`] with the body's message and code and the conditions the spec answers
//!    with that status.
//! 4. **Recovers** where that is safe: a session the server no longer knows (a status of the
//!    session's conditions) is established again, once, and the request sent again (the server
//!    did not run it); transport failures are retried under the [`RetryPolicy`] only when the
//!    request cannot have been carried out or the operation only reads.

use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use super::binding::{HttpMethod, RestInfo, RestOperationInfo, Route};
use super::request::{EncodeContext, RestEncodeError, encode_request};
use super::response::{RestDecodeError, RestFailure, decode_failure, decode_success};
use crate::akixi_ws::client::RetryPolicy;
use crate::akixi_ws::service::ServiceInfo;
use crate::akixi_ws::{EncodePayload, List, PasswordsAsIs};
use crate::http::{
    Exchange, ExchangeError, Http, HttpError, HttpSettings, PlainHttp, http_setters,
};
use crate::meta::{Condition, OpKind};
use crate::secret::{Password, Secret};

const JSON: &str = "application/json";

/// A failed REST call.
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// The HTTP exchange failed (no answer, a timeout, an answer over the size limit).
    #[error(transparent)]
    Http(HttpError),
    /// The service answered with a failure.
    #[error("REST `{operation}` failed: {failure}")]
    Api {
        /// The REST operation (`User Info`).
        operation: String,
        /// What the service said.
        failure: RestFailure,
    },
    /// The sign-in was refused.
    #[error("the REST sign-in failed: {0}")]
    SignIn(RestFailure),
    /// The request could not be written for the REST operation.
    #[error(transparent)]
    Encode(#[from] RestEncodeError),
    /// A successful answer is not the operation's response.
    #[error(transparent)]
    Decode(#[from] RestDecodeError),
    /// The family has no REST operation of that name.
    #[error("family `{family}` has no REST operation `{name}`")]
    UnknownOperation {
        /// The family.
        family: String,
        /// The name asked for.
        name: String,
    },
    /// The client is set up wrongly (a plain-HTTP URL the settings refuse, a bad header value,
    /// a service without a REST binding).
    #[error("{0}")]
    Config(String),
}

crate::http::from_http_error!(RestError);

impl RestError {
    /// The service's error code, where its answer gave one.
    pub fn code(&self) -> Option<u32> {
        match self {
            RestError::Api { failure, .. } | RestError::SignIn(failure) => failure.code,
            _ => None,
        }
    }

    /// The HTTP status of a failure the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            RestError::Api { failure, .. } | RestError::SignIn(failure) => Some(failure.status),
            _ => None,
        }
    }

    /// Whether the spec answers `condition` with this failure's status.
    pub fn may_be(&self, condition: Condition) -> bool {
        match self {
            RestError::Api { failure, .. } | RestError::SignIn(failure) => {
                failure.conditions.contains(&condition)
            }
            _ => false,
        }
    }
}

/// How the client authenticates.
#[derive(Clone)]
enum Auth {
    /// `create-session` and `login` with these credentials.
    Credentials {
        username: String,
        password: Password,
        locale: Option<String>,
    },
    /// The API key header on every request.
    ApiKey(Secret),
}

/// Builds a [`RestClient`].
pub struct RestClientBuilder {
    url: String,
    svc: &'static ServiceInfo,
    auth: Option<Auth>,
    http: HttpSettings,
    retry: RetryPolicy,
}

impl std::fmt::Debug for RestClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestClientBuilder")
            .field("url", &self.url)
            .field("service", &self.svc.name)
            .finish_non_exhaustive()
    }
}

impl RestClientBuilder {
    /// Signs in with a session: `create-session`, then `login` with these credentials.
    pub fn credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        self.auth = Some(Auth::Credentials {
            username: username.into(),
            password: password.into(),
            locale: None,
        });
        self
    }

    /// The locale of the session (`login`'s locale parameter); default the binding's first.
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        if let Some(Auth::Credentials { locale: l, .. }) = &mut self.auth {
            *l = Some(locale.into());
        }
        self
    }

    /// Authenticates every request with an API key instead of a session.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.auth = Some(Auth::ApiKey(key.into()));
        self
    }

    /// When and how failed exchanges are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    http_setters!();

    /// The client. Fails without credentials or an API key, on a service without a REST
    /// binding, and on settings the HTTP layer refuses.
    pub fn build(self) -> Result<RestClient, RestError> {
        let rest = self.svc.rest.ok_or_else(|| {
            RestError::Config(format!(
                "the service `{}` has no REST binding",
                self.svc.name
            ))
        })?;
        let auth = self
            .auth
            .ok_or_else(|| RestError::Config("give credentials or an API key".to_string()))?;
        let base = format!("{}{}", self.url.trim_end_matches('/'), rest.base_path);
        reqwest::Url::parse(&base).map_err(|e| RestError::Config(format!("`{base}`: {e}")))?;
        let http = Http::connect(self.http, "an Akixi REST answer").map_err(RestError::Config)?;
        Ok(RestClient {
            inner: Arc::new(Inner {
                http,
                base,
                svc: self.svc,
                rest,
                auth,
                session: std::sync::RwLock::new(None),
                signing: tokio::sync::Mutex::new(()),
                retry: self.retry,
            }),
        })
    }
}

/// The REST client of one service; cheap to clone (clones share the session).
#[derive(Clone)]
pub struct RestClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for RestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestClient")
            .field("base", &self.inner.base)
            .field("service", &self.inner.svc.name)
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: Http,
    base: String,
    svc: &'static ServiceInfo,
    rest: &'static RestInfo,
    auth: Auth,
    /// The session, once signed in: read by every call without waiting.
    session: std::sync::RwLock<Option<Arc<SignedIn>>>,
    /// Held while signing in, so that one call signs in while the others wait for it.
    signing: tokio::sync::Mutex<()>,
    retry: RetryPolicy,
}

/// A signed-in session: its id and the cookie carrying it (made once).
struct SignedIn {
    id: Secret,
    cookie: HeaderValue,
}

/// One prepared exchange, before authentication headers.
struct Prepared {
    operation: &'static str,
    kind: OpKind,
    method: HttpMethod,
    url: reqwest::Url,
    body: Option<String>,
}

impl RestClient {
    /// A builder for the service `svc` (its generated `SERVICE`) at `url` (scheme and host; the
    /// binding's base path is added).
    pub fn builder(url: impl Into<String>, svc: &'static ServiceInfo) -> RestClientBuilder {
        RestClientBuilder {
            url: url.into(),
            svc,
            auth: None,
            http: HttpSettings::new(PlainHttp::LoopbackOnly),
            retry: RetryPolicy::default(),
        }
    }

    /// Calls the REST operation `name` of `family` with `request` (a shape of the operation it
    /// carries), returning that operation's response.
    pub async fn call<R, T>(&self, family: &str, name: &str, request: &R) -> Result<T, RestError>
    where
        R: EncodePayload + Sync,
        T: DeserializeOwned + Default,
    {
        self.call_paged(family, name, request, (None, None)).await
    }

    /// [`Self::call`] with an offset and limit for a paged list.
    pub async fn call_paged<R, T>(
        &self,
        family: &str,
        name: &str,
        request: &R,
        paging: (Option<u64>, Option<u64>),
    ) -> Result<T, RestError>
    where
        R: EncodePayload + Sync,
        T: DeserializeOwned + Default,
    {
        let inner = &self.inner;
        let op = inner
            .rest
            .operations
            .iter()
            .find(|o| o.family == family && o.name == name)
            .ok_or_else(|| RestError::UnknownOperation {
                family: family.to_string(),
                name: name.to_string(),
            })?;
        let family_info = inner
            .svc
            .family(family)
            .ok_or_else(|| RestError::Config(format!("no family `{family}`")))?;
        let cx = EncodeContext {
            rest: inner.rest,
            family: family_info,
            boolean_words: inner.svc.boolean_words,
        };
        let encoded = encode_request(request, op, cx, paging, &PasswordsAsIs)?;
        let mut url = self.url(&encoded.path)?;
        if !encoded.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&encoded.query);
        }
        let kind = inner
            .svc
            .operation(op.shape)
            .map_or(OpKind::Info, |o| o.kind);
        let prepared = Prepared {
            operation: op_label(op),
            kind,
            method: encoded.method,
            url,
            body: encoded.body,
        };
        let (status, bytes) = self.send_authenticated(&prepared).await?;
        if status == inner.rest.success_status {
            Ok(decode_success(&bytes, op.shape)?)
        } else {
            Err(RestError::Api {
                operation: format!("{} {}", op.family, op.name),
                failure: decode_failure(status, &bytes, inner.rest),
            })
        }
    }

    /// Every entry of a paged list: pages of `page` entries until a short page.
    pub async fn list_all<R, E>(
        &self,
        family: &str,
        name: &str,
        request: &R,
        page: u64,
    ) -> Result<Vec<E>, RestError>
    where
        R: EncodePayload + Sync,
        E: DeserializeOwned,
    {
        let page = page.max(1);
        let mut all = Vec::new();
        let mut offset = 0;
        loop {
            let list: List<E> = self
                .call_paged(family, name, request, (Some(offset), Some(page)))
                .await?;
            let n = list.entries.len() as u64;
            all.extend(list.entries);
            if n < page {
                return Ok(all);
            }
            offset += n;
        }
    }

    /// Closes the session, if there is one (the binding's `logout`).
    pub async fn close(&self) -> Result<(), RestError> {
        let _signing = self.inner.signing.lock().await;
        let Some(signed_in) = self.current(None) else {
            return Ok(());
        };
        self.set_current(None);
        let route = self.inner.rest.logout;
        let prepared = Prepared {
            operation: "logout",
            kind: OpKind::CloseSession,
            method: route.method,
            url: self.url(&route.template())?,
            body: None,
        };
        self.exchange(&prepared, vec![(COOKIE, signed_in.cookie.clone())])
            .await?;
        Ok(())
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, RestError> {
        let text = format!("{}{path}", self.inner.base);
        reqwest::Url::parse(&text).map_err(|e| RestError::Config(format!("`{text}`: {e}")))
    }

    fn cookie(&self, id: &Secret) -> Result<HeaderValue, RestError> {
        let mut v = HeaderValue::from_str(&format!(
            "{}={}",
            self.inner.rest.session_cookie,
            id.expose()
        ))
        .map_err(|_| RestError::Config("the session id is not a header value".into()))?;
        v.set_sensitive(true);
        Ok(v)
    }

    /// Sends `prepared` with the client's authentication; a session the server no longer knows
    /// is established again once and the request sent again.
    async fn send_authenticated(&self, prepared: &Prepared) -> Result<(u16, Vec<u8>), RestError> {
        let inner = &self.inner;
        match &inner.auth {
            Auth::ApiKey(key) => {
                let name = HeaderName::from_bytes(inner.rest.api_key_header.as_bytes())
                    .map_err(|_| RestError::Config("bad API key header name".into()))?;
                let mut value = HeaderValue::from_str(key.expose())
                    .map_err(|_| RestError::Config("the API key is not a header value".into()))?;
                value.set_sensitive(true);
                self.exchange(prepared, vec![(name, value)]).await
            }
            Auth::Credentials { .. } => {
                let session = self.session(None).await?;
                let (status, bytes) = self
                    .exchange(prepared, vec![(COOKIE, session.cookie.clone())])
                    .await?;
                if self.session_gone(status) {
                    tracing::debug!(
                        operation = prepared.operation,
                        "REST session gone; signing in again"
                    );
                    let renewed = self.session(Some(&session.id)).await?;
                    return self
                        .exchange(prepared, vec![(COOKIE, renewed.cookie.clone())])
                        .await;
                }
                Ok((status, bytes))
            }
        }
    }

    /// Whether `status` is one the spec answers a lost session with.
    fn session_gone(&self, status: u16) -> bool {
        let rest = self.inner.rest;
        [
            Condition::UnknownSession,
            Condition::NotAuthenticated,
            Condition::MissingSession,
        ]
        .iter()
        .any(|c| rest.status(*c) == Some(status))
    }

    /// The session there is, unless it is `stale`.
    fn current(&self, stale: Option<&Secret>) -> Option<Arc<SignedIn>> {
        let slot = self
            .inner
            .session
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.as_ref()
            .filter(|s| stale.is_none_or(|x| x.expose() != s.id.expose()))
            .map(Arc::clone)
    }

    /// Replaces the session there is.
    fn set_current(&self, session: Option<Arc<SignedIn>>) {
        *self
            .inner
            .session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = session;
    }

    /// The session, signing in first when there is none (or when the one there is `stale`):
    /// one call signs in while the others wait for it.
    async fn session(&self, stale: Option<&Secret>) -> Result<Arc<SignedIn>, RestError> {
        if let Some(s) = self.current(stale) {
            return Ok(s);
        }
        let _signing = self.inner.signing.lock().await;
        if let Some(s) = self.current(stale) {
            return Ok(s);
        }
        self.set_current(None);
        let id = self.sign_in().await?;
        let signed_in = Arc::new(SignedIn {
            cookie: self.cookie(&id)?,
            id,
        });
        self.set_current(Some(Arc::clone(&signed_in)));
        Ok(signed_in)
    }

    async fn sign_in(&self) -> Result<Secret, RestError> {
        let inner = &self.inner;
        let Auth::Credentials {
            username,
            password,
            locale,
        } = &inner.auth
        else {
            return Err(RestError::Config("an API key has no session".into()));
        };
        let rest = inner.rest;
        let create = route_prepared(
            self,
            &rest.create_session,
            "create-session",
            OpKind::CreateSession,
        )?;
        let (status, bytes) = self.exchange(&create, Vec::new()).await?;
        if status != rest.success_status {
            return Err(RestError::SignIn(decode_failure(status, &bytes, rest)));
        }
        let body: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| RestDecodeError {
                expected: "the session".into(),
                at: ".".into(),
                detail: e.to_string(),
            })?;
        let id = body
            .get(rest.session_id_field)
            .and_then(|v| v.as_str())
            .ok_or_else(|| RestDecodeError {
                expected: "the session".into(),
                at: rest.session_id_field.into(),
                detail: "missing".into(),
            })?;
        let id = Secret::new(id);
        let mut login = route_prepared(self, &rest.login, "login", OpKind::Authenticate)?;
        let locale = locale.as_deref().or(rest.locales.first().copied());
        if let Some(l) = locale {
            login
                .url
                .query_pairs_mut()
                .append_pair(rest.locale_parameter, l);
        }
        let basic = {
            use base64::Engine as _;
            let raw = format!("{username}:{}", password.expose());
            let mut v = HeaderValue::from_str(&format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(raw)
            ))
            .map_err(|_| RestError::Config("the credentials are not a header value".into()))?;
            v.set_sensitive(true);
            v
        };
        let (status, bytes) = self
            .exchange(
                &login,
                vec![(COOKIE, self.cookie(&id)?), (AUTHORIZATION, basic)],
            )
            .await?;
        if status == rest.success_status {
            return Ok(id);
        }
        let failure = decode_failure(status, &bytes, rest);
        // Documented by a public client: a login that ended (or found) other sessions of the
        // user answers this status and message, and the session works.
        let others = status == rest.other_sessions_status
            && failure
                .message
                .as_deref()
                .is_some_and(|m| m.starts_with(rest.other_sessions_message));
        if others {
            return Ok(id);
        }
        Err(RestError::SignIn(failure))
    }

    /// One exchange with retries for what cannot have been carried out (or only reads).
    async fn exchange(
        &self,
        prepared: &Prepared,
        auth: Vec<(HeaderName, HeaderValue)>,
    ) -> Result<(u16, Vec<u8>), RestError> {
        let inner = &self.inner;
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let mut headers = auth.clone();
            headers.push((ACCEPT, HeaderValue::from_static(JSON)));
            if prepared.body.is_some() {
                headers.push((CONTENT_TYPE, HeaderValue::from_static(JSON)));
            }
            let method = reqwest::Method::from_bytes(prepared.method.name().as_bytes())
                .map_err(|_| RestError::Config("bad method".into()))?;
            let result = inner
                .http
                .exchange(Exchange {
                    operation: prepared.operation,
                    kind: prepared.kind,
                    method,
                    url: &prepared.url,
                    headers,
                    body: prepared.body.clone(),
                })
                .await;
            match result {
                Ok(answer) if matches!(answer.status, 429 | 503) => {
                    // Not carried out: retried for any operation.
                    let after = answer
                        .headers
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(std::time::Duration::from_secs);
                    match inner.retry.next_delay(attempt, started.elapsed(), after) {
                        Some(delay) => tokio::time::sleep(delay).await,
                        None => return Ok((answer.status, answer.bytes)),
                    }
                }
                Ok(answer) => return Ok((answer.status, answer.bytes)),
                Err(ExchangeError::Http(e)) if e.is_retryable() => {
                    match inner
                        .retry
                        .next_delay(attempt, started.elapsed(), e.retry_after())
                    {
                        Some(delay) => tokio::time::sleep(delay).await,
                        None => return Err(RestError::Http(e)),
                    }
                }
                Err(e) => return Err(e.into()),
            }
            attempt += 1;
        }
    }
}

fn route_prepared(
    client: &RestClient,
    route: &Route,
    operation: &'static str,
    kind: OpKind,
) -> Result<Prepared, RestError> {
    Ok(Prepared {
        operation,
        kind,
        method: route.method,
        url: client.url(&route.template())?,
        body: None,
    })
}

/// A label for spans and errors (`User Update`), static because the binding is.
fn op_label(op: &'static RestOperationInfo) -> &'static str {
    op.name
}
