//! The HTTP settings both clients share, the setters their builders offer for them, and the
//! reqwest clients made from them.

use std::fmt;
use std::time::Duration;

/// Default `max_response_size`: 4 MiB (a 1,000-user Akixi page is a few hundred KiB).
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;
/// Default `connect_timeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default `request_timeout`.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Where plain `http://` URLs may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainHttp {
    /// Only to a loopback address (`localhost`, 127.0.0.0/8, `::1`), which no network sees.
    LoopbackOnly,
    /// Anywhere.
    Allowed,
}

/// Timeouts, the response size limit, the user agent, TLS trust and the plain-HTTP policy.
#[derive(Clone)]
pub struct HttpSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_response_size: usize,
    pub(crate) user_agent: String,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) accept_invalid_certificates: bool,
    pub(crate) plain_http: PlainHttp,
    /// Every connection goes to this Unix domain socket instead of the URL's host and port.
    pub(crate) unix_socket: Option<std::path::PathBuf>,
}

impl fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates.len())
            .field(
                "accept_invalid_certificates",
                &self.accept_invalid_certificates,
            )
            .field("plain_http", &self.plain_http)
            .field("unix_socket", &self.unix_socket)
            .finish()
    }
}

impl HttpSettings {
    /// The defaults, with `plain_http` as the protocol's policy.
    pub(crate) fn new(plain_http: PlainHttp) -> Self {
        HttpSettings {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: concat!("akixi-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates: Vec::new(),
            accept_invalid_certificates: false,
            plain_http,
            unix_socket: None,
        }
    }
}

/// The setters of a builder's `http: HttpSettings` field, written once for both clients.
macro_rules! http_setters {
    () => {
        /// How long connecting (TCP and TLS) may take (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// How long one HTTP exchange may take, from sending to the last byte of the response
        /// (default 30 s). A retry gets this long again.
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.request_timeout = timeout;
            self
        }

        /// The largest response body accepted, in bytes (default 4 MiB); a larger one is an
        /// error, and is not read to the end.
        pub fn max_response_size(mut self, bytes: usize) -> Self {
            self.http.max_response_size = bytes;
            self
        }

        /// The `User-Agent` header (default `akixi-client/<version>`).
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.http.user_agent = user_agent.into();
            self
        }

        /// Trusts the PEM certificate(s) in `pem` as roots, besides the system's and the
        /// bundled web roots (a private CA, or a server's self-signed certificate).
        pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
            self.http.root_certificates.push(pem.into());
            self
        }

        /// Accepts any TLS certificate. Dangerous: anyone on the path can read what is sent.
        /// Prefer [`add_root_certificate_pem`](Self::add_root_certificate_pem).
        pub fn accept_invalid_certificates(mut self, accept: bool) -> Self {
            self.http.accept_invalid_certificates = accept;
            self
        }

        /// Sends every request over the Unix domain socket at `path` instead of connecting to
        /// the URL's host and port (which then only name the request: its `Host` header and
        /// path). For a local service whose socket only its user can open, such as the
        /// simulator the command line embeds; proxies and TCP options do not apply.
        #[cfg(unix)]
        pub fn unix_socket(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.http.unix_socket = Some(path.into());
            self
        }

        /// Allows plain `http://` URLs that are not loopback addresses (`true`), or only
        /// loopback ones (`false`). Over plain HTTP anyone on the path reads every request and
        /// answer: the session id (enough to act as the signed-in user), every property, and
        /// the passwords too: their encryption is keyed by the session's Nonce, which the
        /// server sends in the clear. Use it only on a network you trust.
        pub fn allow_http(mut self, allow: bool) -> Self {
            self.http.plain_http = if allow {
                $crate::http::PlainHttp::Allowed
            } else {
                $crate::http::PlainHttp::LoopbackOnly
            };
            self
        }
    };
}

pub(crate) use http_setters;
