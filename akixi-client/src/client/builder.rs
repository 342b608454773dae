//! Configuration of a [`Client`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::invoke::InvokeIds;
use super::session::Sessions;
use super::transport::Transport;
use super::{Client, Credentials, Error, Inner, RetryPolicy};
use crate::akixi::{self, Platform};
use crate::cipher::{NonceCipher, PasswordCipher};
use crate::http_body::is_loopback;
use crate::secret::Password;

/// Default [`ClientBuilder::max_response_size`]: 4 MiB (a 1,000-user page is a few hundred KiB).
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;
/// Default [`ClientBuilder::connect_timeout`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`ClientBuilder::request_timeout`].
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`ClientBuilder::rejected_credentials_cooldown`].
pub const DEFAULT_REJECTION_COOLDOWN: Duration = Duration::from_secs(30);

/// Builds a [`Client`]: `Client::builder(url).credentials(user, password).build()`.
///
/// Required: the endpoint URL (the full URL of the XML endpoint) and the credentials.
/// Everything else has a default.
#[must_use]
pub struct ClientBuilder {
    endpoint: String,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_size: usize,
    user_agent: String,
    retry: RetryPolicy,
    platform: Option<Platform>,
    server_platforms: BTreeMap<i64, Platform>,
    page_size: u64,
    cipher: Option<Arc<dyn PasswordCipher>>,
    allow_http: bool,
    root_certificates: Vec<Vec<u8>>,
    first_invoke_id: u64,
    rejection_cooldown: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("platform", &self.platform)
            .field("server_platforms", &self.server_platforms)
            .field("page_size", &self.page_size)
            .field("custom_cipher", &self.cipher.is_some())
            .field("allow_http", &self.allow_http)
            .field("rejection_cooldown", &self.rejection_cooldown)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for the XML endpoint at `endpoint` (the full URL; HTTPS unless it is a
    /// loopback address or [`allow_http`](Self::allow_http) is set).
    pub fn new(endpoint: impl Into<String>) -> Self {
        ClientBuilder {
            endpoint: endpoint.into(),
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: concat!("akixi-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            platform: None,
            server_platforms: BTreeMap::new(),
            page_size: akixi::DEFAULT_LIMIT,
            cipher: None,
            allow_http: false,
            root_certificates: Vec::new(),
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

    /// How long connecting (TCP and TLS) may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one HTTP exchange may take, from sending to the last byte of the response
    /// (default 30 s). Retries each get this long again, within the retry policy's total time.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The largest response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]); a larger one is an error, and is not read to the end.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The `User-Agent` header (default `akixi-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// What is retried, how often and for how long (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The platform requests are validated against before they are sent, unless they name a
    /// telephony server with a platform of its own
    /// ([`telephony_server_platform`](Self::telephony_server_platform)). Without any platform,
    /// requests are sent unchecked and the server validates them.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The platform of the telephony server `tel_sys_id`: a request naming that server
    /// (`TelSysID`, at the top level or in a container) is validated against it.
    pub fn telephony_server_platform(mut self, tel_sys_id: i64, platform: Platform) -> Self {
        self.server_platforms.insert(tel_sys_id, platform);
        self
    }

    /// Entries per page for [`Client::list`] (`Limit`; default [`akixi::DEFAULT_LIMIT`]).
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

    /// Allows a plain `http://` endpoint that is not a loopback address. Passwords are still
    /// encrypted, but the session id travels in clear text: use only on a trusted network.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Trusts the PEM certificate(s) in `pem` as roots, besides the system's and the bundled
    /// web roots (for a server with a private CA).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// After the server rejects the credentials (an `Authenticate` failure other than "try
    /// again later"), calls fail at once with that error for this long (default 30 s) instead
    /// of each authenticating again, which could lock the account.
    pub fn rejected_credentials_cooldown(mut self, cooldown: Duration) -> Self {
        self.rejection_cooldown = cooldown;
        self
    }

    /// The first InvokeID (taken modulo 10^[`akixi::INVOKE_ID_DIGITS`]; default 0).
    pub fn first_invoke_id(mut self, n: u64) -> Self {
        self.first_invoke_id = n;
        self
    }

    /// The client. Fails on a URL that is not `https` (see [`allow_http`](Self::allow_http)),
    /// carries user info, or does not parse; on missing credentials; on a zero page size or
    /// response limit; and on a password scheme the default cipher does not implement.
    pub fn build(self) -> Result<Client, Error> {
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
        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if self.allow_http || loopback => {}
            "http" => {
                return Err(config(format!(
                    "endpoint `{url}` is plain HTTP; use https, or call allow_http(true) on a \
                     trusted network"
                )));
            }
            other => return Err(config(format!("endpoint scheme `{other}`: expected https"))),
        }
        let credentials = self.credentials.ok_or_else(|| {
            config("credentials are required (ClientBuilder::credentials)".into())
        })?;
        if self.page_size == 0 {
            return Err(config("the page size must be at least 1".into()));
        }
        if self.max_response_size == 0 {
            return Err(config(
                "the maximum response size must be at least 1".into(),
            ));
        }
        let cipher: Arc<dyn PasswordCipher> = match self.cipher {
            Some(c) => c,
            None => Arc::new(
                NonceCipher::new(&akixi::PASSWORD_SCHEME)
                    .map_err(|e| config(format!("password cipher: {e}")))?,
            ),
        };

        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.clone())
            // A redirect could turn the POST into a GET or lead to plain HTTP.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .https_only(url.scheme() == "https");
        if loopback {
            http = http.no_proxy();
        }
        for pem in &self.root_certificates {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| config(format!("root certificate: {e}")))?;
            if certs.is_empty() {
                return Err(config("root certificate: no PEM certificate found".into()));
            }
            for cert in certs {
                http = http.add_root_certificate(cert);
            }
        }
        let http = http
            .build()
            .map_err(|e| config(format!("cannot set up HTTP: {e}")))?;

        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    url,
                    max_response_size: self.max_response_size,
                    connect_timeout: self.connect_timeout,
                    request_timeout: self.request_timeout,
                },
                credentials,
                retry: self.retry,
                platform: self.platform,
                server_platforms: self.server_platforms,
                page_size: self.page_size,
                cipher,
                invoke_ids: InvokeIds::new(akixi::INVOKE_ID_DIGITS, self.first_invoke_id),
                sessions: Sessions::new(self.rejection_cooldown),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(url: &str) -> Result<Client, Error> {
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
