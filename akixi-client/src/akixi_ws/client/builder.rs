//! Configuration of a [`Client`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::Error;
use super::handle::{Client, Credentials, Inner};
use super::invoke::InvokeIds;
use super::retry::RetryPolicy;
use super::service::AkixiWsService;
use super::session::Sessions;
use crate::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use crate::http::{Http, HttpSettings, PlainHttp, http_setters};
use crate::secret::Password;

/// Default [`ClientBuilder::rejected_credentials_cooldown`].
pub const DEFAULT_REJECTION_COOLDOWN: Duration = Duration::from_secs(30);

/// Builds a client of the service `S`: `Client::builder(url).credentials(user, password).build()`
/// (the service's generated `Client::builder`).
///
/// Required: the endpoint URL (the full URL of the XML endpoint) and the credentials.
/// Everything else has a default.
#[must_use]
pub struct ClientBuilder<S: AkixiWsService> {
    endpoint: String,
    credentials: Option<Credentials>,
    http: HttpSettings,
    retry: RetryPolicy,
    platform: Option<S::Platform>,
    server_platforms: BTreeMap<i64, S::Platform>,
    page_size: u64,
    cipher: Option<Arc<dyn PasswordCipher>>,
    first_invoke_id: u64,
    rejection_cooldown: Duration,
}

impl<S: AkixiWsService> fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("platform", &self.platform)
            .field("server_platforms", &self.server_platforms)
            .field("page_size", &self.page_size)
            .field("custom_cipher", &self.cipher.is_some())
            .field("rejection_cooldown", &self.rejection_cooldown)
            .finish_non_exhaustive()
    }
}

impl<S: AkixiWsService> ClientBuilder<S> {
    /// A builder for the XML endpoint at `endpoint` (the full URL; HTTPS unless it is a
    /// loopback address or [`allow_http`](Self::allow_http) is set).
    pub fn new(endpoint: impl Into<String>) -> Self {
        ClientBuilder {
            endpoint: endpoint.into(),
            credentials: None,
            // The session id travels in every request: plain HTTP only where no network sees it.
            http: HttpSettings::new(PlainHttp::LoopbackOnly),
            retry: RetryPolicy::default(),
            platform: None,
            server_platforms: BTreeMap::new(),
            page_size: S::DEFAULT_LIMIT,
            cipher: None,
            first_invoke_id: 0,
            rejection_cooldown: DEFAULT_REJECTION_COOLDOWN,
        }
    }

    /// The administrative user the API session authenticates as (required).
    pub fn credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        self.credentials = Some(Credentials {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    http_setters!();

    /// What is retried, how often and for how long (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The platform requests are validated against before they are sent, unless they name a
    /// telephony server with a platform of its own
    /// ([`telephony_server_platform`](Self::telephony_server_platform)). Without any platform,
    /// requests are sent unchecked and the server validates them.
    pub fn platform(mut self, platform: S::Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The platform of the telephony server `tel_sys_id`: a request naming that server
    /// (`TelSysID`, at the top level or in a container) is validated against it.
    pub fn telephony_server_platform(mut self, tel_sys_id: i64, platform: S::Platform) -> Self {
        self.server_platforms.insert(tel_sys_id, platform);
        self
    }

    /// Entries per page for [`Client::list`] (`Limit`; default the service's `DEFAULT_LIMIT`).
    pub fn page_size(mut self, entries: u64) -> Self {
        self.page_size = entries;
        self
    }

    /// How passwords are protected on the wire. The default, [`NonceCipher`], implements the
    /// spec's scheme (provisional: AES-128-CBC keyed by the session's Nonce), and is also used
    /// for `Authenticate`'s password (provisional too).
    pub fn password_cipher(mut self, cipher: impl PasswordCipher + 'static) -> Self {
        self.cipher = Some(Arc::new(cipher));
        self
    }

    /// After the server rejects the credentials (an `Authenticate` failure other than "try
    /// again later"), calls fail at once with that error for this long (default 30 s) instead
    /// of each authenticating again, which could lock the account.
    pub fn rejected_credentials_cooldown(mut self, cooldown: Duration) -> Self {
        self.rejection_cooldown = cooldown;
        self
    }

    /// The first InvokeID (taken modulo 10 to the power of the service's `INVOKE_ID_DIGITS`;
    /// default 0).
    pub fn first_invoke_id(mut self, n: u64) -> Self {
        self.first_invoke_id = n;
        self
    }

    /// The client. Fails on a URL that is not `https` (see [`allow_http`](Self::allow_http)),
    /// carries user info, or does not parse; on missing credentials; on a zero page size or
    /// response limit; on an unusable root certificate; and on a password scheme the default
    /// cipher does not implement.
    pub fn build(self) -> Result<S::Client, Error<S>>
    where
        S::Client: From<Client<S>>,
    {
        self.build_generic().map(S::Client::from)
    }

    /// [`build`](Self::build), as the generic client (for code generic over the service).
    pub fn build_generic(self) -> Result<Client<S>, Error<S>> {
        let config = |msg: String| Error::Config(msg);
        let url = reqwest::Url::parse(&self.endpoint)
            .map_err(|e| config(format!("endpoint `{}`: {e}", self.endpoint)))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(config(
                "the endpoint URL carries user info; give credentials with \
                 ClientBuilder::credentials instead"
                    .into(),
            ));
        }
        let credentials = self.credentials.ok_or_else(|| {
            config("credentials are required (ClientBuilder::credentials)".into())
        })?;
        if self.page_size == 0 {
            return Err(config("the page size must be at least 1".into()));
        }
        let cipher: Arc<dyn PasswordCipher> = match self.cipher {
            Some(c) => c,
            None => Arc::new(
                NonceCipher::new(&S::PASSWORD_SCHEME)
                    .map_err(|e| config(format!("password cipher: {e}")))?,
            ),
        };
        let http = Http::connect(self.http, "an Akixi response").map_err(config)?;
        http.check_url(&url)
            .map_err(|e| config(format!("endpoint {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                url,
                credentials,
                retry: self.retry,
                platform: self.platform,
                server_platforms: self.server_platforms,
                page_size: self.page_size,
                cipher,
                invoke_ids: InvokeIds::new(S::INVOKE_ID_DIGITS, self.first_invoke_id),
                sessions: Sessions::new(self.rejection_cooldown),
            }),
        })
    }
}

impl<S: AkixiWsService> Client<S> {
    /// A builder for the XML endpoint at `endpoint` (the full URL).
    pub fn builder(endpoint: impl Into<String>) -> ClientBuilder<S> {
        ClientBuilder::new(endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi_ws::test_service::TestService;

    type ClientBuilder = super::ClientBuilder<TestService>;

    fn build(url: &str) -> Result<Client<TestService>, Error<TestService>> {
        ClientBuilder::new(url).credentials("u", "p").build()
    }

    #[test]
    fn https_by_default_http_only_for_loopback_or_when_asked() {
        assert!(build("https://akixi.example/ws").is_ok());
        assert!(build("http://127.0.0.1:8080/ws").is_ok());
        assert!(build("http://[::1]:8080/ws").is_ok());
        assert!(build("http://localhost/ws").is_ok());
        let e = build("http://akixi.example/ws")
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("plain HTTP")));
        assert!(
            ClientBuilder::new("http://akixi.example/ws")
                .credentials("u", "p")
                .allow_http(true)
                .build()
                .is_ok()
        );
        assert!(build("ftp://akixi.example/ws").is_err());
        assert!(build("not a url").is_err());
        assert!(build("https://me:pw@akixi.example/ws").is_err());
    }

    #[test]
    fn credentials_and_sane_limits_are_required() {
        assert!(ClientBuilder::new("https://a.example/").build().is_err());
        let b = || ClientBuilder::new("https://a.example/").credentials("u", "p");
        assert!(b().page_size(0).build().is_err());
        assert!(b().max_response_size(0).build().is_err());
        assert!(b().add_root_certificate_pem("junk").build().is_err());
    }
}
