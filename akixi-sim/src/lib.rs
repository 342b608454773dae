//! A simulator of the Akixi Service Web Services API, for offline development and tests.
//!
//! It serves the XML API over real HTTP, on loopback unless told otherwise, and follows the
//! same spec as the client: operations, properties, containers, value types, platform
//! support and error codes all come from the code generated from `spec/akixi`, so a row
//! changed there changes the simulator too. State lives in memory, or in an SQLite file
//! that survives restarts and crashes ([`Config::state`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), akixi_sim::Error> {
//! use akixi_sim::{Config, HashCost, Simulator};
//!
//! let sim = Simulator::start(Config::default().hash_cost(HashCost::Minimal)).await?;
//! println!("POST requests to {}", sim.url());
//! let admin = sim.admin(); // user name and password of the seeded administrator
//! # let _ = admin;
//! sim.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! What an empty simulator starts with, the rules it applies and the error codes it answers
//! are described in the crate's README.
#![deny(missing_docs)]

pub mod akixi;
mod boot;
pub mod em;
mod faults;
mod http;
mod serve;
pub mod snapshot;
mod state_lock;
mod store;
#[cfg(unix)]
mod unix_socket;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use akixi_client::runtime::akixi_ws::{Password, Secret, ServiceInfo};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use akixi::catalog::SpecMismatch;
pub use akixi::engine::SignInBackoff;
pub use akixi::secrets::{HashCost, SecretError};
pub use akixi::seed;
pub use faults::{
    FaultAction, FaultBoundError, FaultParseError, FaultPlan, FaultRule, MAX_FIRST, MAX_LATENCY,
    MAX_RETRY_AFTER_SECS, MAX_RULES, Trigger,
};
pub use http::{
    API_KEYS_PATH, FAULTS_PATH, FAULTS_TOKEN_HEADER, Service, ServiceReply, ServiceRequest,
};
pub use serve::{Limits, MIN_CONNECTIONS, RESERVED_DESCRIPTORS};
pub use snapshot::{Snapshot, SnapshotError};
pub use store::StoreError;

use crate::akixi::catalog::Catalog;
use crate::akixi::engine::{Engine, EngineLogins, SessionLimits};
use crate::akixi::secrets::{self, Hasher};
use crate::akixi::world::World;
use crate::store::Store;

/// The administrator's user name when none is given.
pub const DEFAULT_ADMIN_USERNAME: &str = "admin@akixi-sim.invalid";

/// The largest Akixi request body the simulator reads (8 MiB: a bulk upload of the engine's
/// 10,000-row bound at several hundred bytes a row); a larger one is refused with 413 before it
/// is read whole.
pub const MAX_AKIXI_REQUEST_BYTES: usize = 8 << 20;

/// The largest Extension Mobility request body the simulator reads.
pub use em::MAX_REQUEST_BYTES as MAX_EM_REQUEST_BYTES;

/// A session that exists, already authenticated, from the start: for replaying captured or
/// documented requests whose `SessionID` is fixed.
#[derive(Clone)]
pub struct PresetSession {
    /// The `SessionID` requests will carry.
    pub session_id: Secret,
    /// Its Nonce (32 hexadecimal digits), which protects passwords sent in it.
    pub nonce: Secret,
    /// The user it is signed in as; that user must exist.
    pub username: String,
}

impl fmt::Debug for PresetSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresetSession")
            .field("session_id", &self.session_id)
            .field("nonce", &self.nonce)
            .field("username", &self.username)
            .finish()
    }
}

/// How to run a simulator.
#[derive(Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port. Default: `127.0.0.1:0`. Not used when
    /// [`unix_socket`](Self::unix_socket) is given.
    pub addr: SocketAddr,
    /// A Unix domain socket to listen on instead of a TCP port. Its directory must be the
    /// user's own and open to nobody else (mode 0700; a missing last directory is created so),
    /// and the socket is made readable and writable by its owner only (0600): only the user's
    /// own processes can connect. A stale socket left by a process that died is replaced.
    pub unix_socket: Option<PathBuf>,
    /// The state file (SQLite); `None` keeps state in memory. An empty or missing file is
    /// created and seeded; an existing one is reused as it is.
    pub state: Option<PathBuf>,
    /// The administrator seeded into an empty state.
    pub admin_username: String,
    /// The administrator's password; a random one is made for an empty state when `None`.
    /// Given with an existing state, it replaces the stored one (creating the administrator
    /// if the state has none).
    pub admin_password: Option<Password>,
    /// The cost of stored password hashes.
    pub hash_cost: HashCost,
    /// Passwords given for demo logins (seeded supervisors, [`seed::SUPERVISORS`]), by user
    /// name; the others get random ones when a state is created. Given with an existing state,
    /// they replace the stored ones.
    pub demo_passwords: Vec<(String, Password)>,
    /// Sessions that exist from the start.
    pub preset_sessions: Vec<PresetSession>,
    /// The akixi-ws service simulated: the real spec's by default.
    api: &'static ServiceInfo,
    /// Faults to inject from the start (see [`FaultPlan`]).
    pub faults: FaultPlan,
    /// How long a client may take to send a request's headers and to be answered.
    pub limits: Limits,
    /// How long an unused API session lives; `None`: the spec's `session-idle-timeout`.
    pub session_idle_timeout: Option<Duration>,
    /// Live API sessions kept at most; `None`: the spec's `session-limit`.
    pub session_limit: Option<usize>,
    /// How failed sign-ins are slowed, per user name and per address.
    pub sign_in_backoff: SignInBackoff,
    /// Whether a new state starts with the demo data ([`seed`]); otherwise only the
    /// administrator.
    demo_data: bool,
    services: Vec<(String, Arc<dyn Service>)>,
    /// A snapshot to restore instead of seeding ([`Config::from_snapshot`]).
    restore: Option<Arc<Snapshot>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            unix_socket: None,
            state: None,
            admin_username: DEFAULT_ADMIN_USERNAME.to_owned(),
            admin_password: None,
            hash_cost: HashCost::default(),
            demo_passwords: Vec::new(),
            preset_sessions: Vec::new(),
            api: &akixi_client::akixi::SERVICE,
            demo_data: true,
            faults: FaultPlan::default(),
            limits: Limits::default(),
            session_idle_timeout: None,
            session_limit: None,
            sign_in_backoff: SignInBackoff::default(),
            services: Vec::new(),
            restore: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("unix_socket", &self.unix_socket)
            .field("state", &self.state)
            .field("admin_username", &self.admin_username)
            .field("admin_password", &self.admin_password)
            .field("hash_cost", &self.hash_cost)
            .field("demo_passwords", &self.demo_passwords)
            .field("preset_sessions", &self.preset_sessions)
            .field("api", &self.api.name)
            .field("demo_data", &self.demo_data)
            .field("faults", &self.faults)
            .field("limits", &self.limits)
            .field("session_idle_timeout", &self.session_idle_timeout)
            .field("session_limit", &self.session_limit)
            .field("sign_in_backoff", &self.sign_in_backoff)
            .field(
                "services",
                &self.services.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Config {
    /// Listens on `addr`.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Listens on the Unix domain socket at `path` instead of a TCP port (see
    /// [`Config::unix_socket`](Self#structfield.unix_socket); [`private_socket_path`] gives a
    /// fresh one).
    pub fn unix_socket(mut self, path: impl Into<PathBuf>) -> Self {
        self.unix_socket = Some(path.into());
        self
    }

    /// Keeps state in the SQLite file at `path`.
    pub fn state(mut self, path: impl Into<PathBuf>) -> Self {
        self.state = Some(path.into());
        self
    }

    /// The administrator's user name and password.
    pub fn admin(mut self, username: impl Into<String>, password: impl Into<Password>) -> Self {
        self.admin_username = username.into();
        self.admin_password = Some(password.into());
        self
    }

    /// The password of demo login `username` (a seeded supervisor), instead of a random one
    /// (see [`Config::demo_passwords`](Self#structfield.demo_passwords)).
    pub fn demo_password(
        mut self,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        self.demo_passwords.push((username.into(), password.into()));
        self
    }

    /// The cost of stored password hashes.
    pub fn hash_cost(mut self, cost: HashCost) -> Self {
        self.hash_cost = cost;
        self
    }

    /// Adds a session that exists, authenticated as `username`, from the start.
    pub fn preset_session(
        mut self,
        session_id: impl Into<String>,
        nonce: impl Into<String>,
        username: impl Into<String>,
    ) -> Self {
        self.preset_sessions.push(PresetSession {
            session_id: Secret::new(session_id.into()),
            nonce: Secret::new(nonce.into()),
            username: username.into(),
        });
        self
    }

    /// Simulates another akixi-ws service than the real spec's: any service generated by
    /// `akixi_derive::service!` (its `SERVICE` constant). A new state holds only the
    /// administrator, since the demo data is the real spec's.
    pub fn api(mut self, service: &'static ServiceInfo) -> Self {
        self.demo_data = std::ptr::eq(service, &akixi_client::akixi::SERVICE);
        self.api = service;
        self
    }

    /// Injects the faults of `plan` from the start; they can be changed while the simulator
    /// runs ([`SimulatorHandle::set_faults`], or `PUT` to [`FAULTS_PATH`] on loopback with the
    /// run's [`SimulatorHandle::faults_token`]). Latency rules that could add up to more than
    /// the request timeout ([`Limits::request`]) are refused at start.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// How long a client may take ([`Limits`]: headers within 10 s, answered within 60 s by
    /// default).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// API sessions unused for `idle` expire (answered as unknown sessions), and at most
    /// `most` are kept (the least recently used go first); the spec's binding by default.
    pub fn sessions(mut self, idle: Duration, most: usize) -> Self {
        self.session_idle_timeout = Some(idle);
        self.session_limit = Some(most);
        self
    }

    /// How failed sign-ins are slowed ([`SignInBackoff`]: after 5 failures, 1 s doubling to
    /// 15 min, per user name and per address, by default).
    pub fn sign_in_backoff(mut self, backoff: SignInBackoff) -> Self {
        self.sign_in_backoff = backoff;
        self
    }

    /// Starts holding exactly what `snapshot` holds (in memory, or in a new state file),
    /// instead of the demo data: every entity stored as it is, every account given one
    /// password, the administrator's ([`Config::admin`]) or a random one, and
    /// [`SimulatorHandle::admin`] naming the snapshot's caller (see [`snapshot`]). The
    /// simulated service becomes the snapshot's.
    pub fn from_snapshot(mut self, snapshot: Arc<Snapshot>) -> Self {
        self.api = snapshot.service();
        self.restore = Some(snapshot);
        self
    }

    /// Serves `service` at `path` (which must start with `/`), for instance the Extension
    /// Mobility API at the spec's `service-path` (`akixi_client::em::BINDING.service_path`).
    pub fn service(mut self, path: impl Into<String>, service: Arc<dyn Service>) -> Self {
        self.services.push((path.into(), service));
        self
    }
}

/// Why a simulator could not start or stop cleanly.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The generated code lacks something the simulator needs.
    #[error(transparent)]
    Spec(#[from] SpecMismatch),
    /// The state file cannot be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Random numbers or password hashing failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The configuration is not usable.
    #[error("configuration: {0}")]
    Config(String),
    /// Listening or serving failed.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    /// A background task ended abnormally.
    #[error("internal: {0}")]
    Internal(String),
}

/// The administrator's credentials, as the simulator uses them.
#[derive(Debug, Clone)]
pub struct AdminCredentials {
    /// The user name.
    pub username: String,
    /// The password; `None` when an existing state file's password was kept.
    pub password: Option<Password>,
}

/// A seeded account other than the administrator ([`seed::SUPERVISORS`]) and its password.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// The user name.
    pub username: String,
    /// The password: random when the state was created (or given); `None` when an existing
    /// state file's password was kept (it is in `<state>.demo-logins`, if that file was kept).
    pub password: Option<Password>,
    /// Whether the password was given ([`Config::demo_password`]) rather than made.
    pub given: bool,
}

/// The suffix of the file beside the state file that lists the demo logins and their passwords
/// (`USERNAME PASSWORD` a line), written with mode 0600 when they are made or given.
pub const DEMO_LOGINS_SUFFIX: &str = ".demo-logins";

/// Starts simulators.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Opens (or seeds) the state, binds `config.addr` and serves until the returned handle
    /// is shut down or dropped.
    pub async fn start(config: Config) -> Result<SimulatorHandle, Error> {
        check_services(&config.services)?;
        config
            .faults
            .check_within(config.limits.request)
            .map_err(|e| Error::Config(format!("faults: {e}")))?;
        let services = config.services.clone();
        let addr = config.addr;
        let config_faults = config.faults.clone();
        let limits = config.limits;
        let state_path = config.state.clone();
        let unix_socket = config.unix_socket.clone();
        let (engine, admin, demo_logins) = tokio::task::spawn_blocking(move || boot::open(&config))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        let engine = Arc::new(engine);
        let (listener, addr, url, socket) = match &unix_socket {
            #[cfg(unix)]
            Some(path) => {
                let (listener, created) = unix_socket::bind(path)?;
                let socket = unix_socket::Bound {
                    path: path.clone(),
                    created_dir: created,
                };
                (
                    serve::Listener::Unix(listener),
                    SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                    UNIX_SOCKET_URL.to_owned(),
                    Some(socket),
                )
            }
            #[cfg(not(unix))]
            Some(_) => {
                return Err(Error::Config(
                    "Unix domain sockets need a Unix system".to_owned(),
                ));
            }
            None => {
                let listener = TcpListener::bind(addr).await?;
                let addr = listener.local_addr()?;
                if !addr.ip().is_loopback() {
                    tracing::warn!(%addr, "listening beyond loopback: anyone who can reach this address can use the simulator");
                }
                (
                    serve::Listener::Tcp(listener),
                    addr,
                    format!("http://{addr}/"),
                    None,
                )
            }
        };
        let em = if engine.is_durable() {
            let saved = engine.em_logins()?;
            em::EmSimulator::persistent(saved, Arc::new(EngineLogins(Arc::clone(&engine))))
        } else {
            em::EmSimulator::new()
        };
        let faults = Arc::new(faults::Faults::new(config_faults));
        let faults_token = Secret::new(secrets::identifier()?);
        let token_file = match &state_path {
            Some(state) => Some(write_private(
                &beside(state, FAULTS_TOKEN_SUFFIX),
                &format!("{}\n", faults_token.expose()),
            )?),
            None => None,
        };
        // Loopback, or a Unix socket (whose placeholder address is loopback).
        let admin_endpoint = addr.ip().is_loopback().then(|| http::FaultAdmin {
            faults: Arc::clone(&faults),
            token: faults_token.clone(),
            request_timeout: limits.request,
        });
        let rest_front = akixi::rest::RestFront::new(
            Arc::clone(&engine),
            Arc::clone(&faults),
            Arc::new(akixi::api_keys::ApiKeys::default()),
        )
        .map(Arc::new);
        let app = http::router(
            Arc::clone(&engine),
            em,
            services,
            Arc::clone(&faults),
            admin_endpoint,
            rest_front.clone(),
        );
        let (stop, stopped) = oneshot::channel::<()>();
        let socket_path = socket.as_ref().map(|s| s.path.clone());
        let server = tokio::spawn(async move {
            let served = serve::serve(listener, app, limits, async {
                let _ = stopped.await;
            })
            .await;
            // The socket (and the directory made for it) go when serving stops, whether the
            // handle was shut down or dropped.
            drop(socket);
            served
        });
        let shown = match &socket_path {
            Some(path) => format!("unix:{}", path.display()),
            None => url.clone(),
        };
        engine.announce(&shown);
        tracing::info!(at = %shown, users = engine.account_count(), "akixi-sim serving");
        Ok(SimulatorHandle {
            addr,
            url,
            socket_path,
            admin,
            engine,
            faults,
            faults_token,
            token_file,
            demo_logins,
            rest_front,
            stop: Some(stop),
            server: Some(server),
        })
    }
}

/// Counters of a running simulator ([`SimulatorHandle::stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// API sessions held (signed in or not).
    pub live_sessions: usize,
    /// Password verifications run (each sign-in that reads a payload costs one, whatever is
    /// wrong with it).
    pub password_verifications: u64,
}

/// A running simulator. Dropping it stops the server (without waiting); prefer
/// [`shutdown`](Self::shutdown), which waits for requests in flight and closes the state
/// file cleanly.
pub struct SimulatorHandle {
    addr: SocketAddr,
    url: String,
    socket_path: Option<PathBuf>,
    admin: AdminCredentials,
    engine: Arc<Engine>,
    faults: Arc<faults::Faults>,
    faults_token: Secret,
    token_file: Option<PathBuf>,
    demo_logins: Vec<DemoLogin>,
    /// The REST API's front, where the service has a REST binding (it holds the API keys).
    rest_front: Option<Arc<akixi::rest::RestFront>>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl fmt::Debug for SimulatorHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatorHandle")
            .field("url", &self.url)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

impl SimulatorHandle {
    /// Issues a REST API key acting as the account named `username` (its rights, its scope),
    /// until [`revoke_api_key`](Self::revoke_api_key) or the simulator stops (keys are kept in
    /// memory only). `None` when the service has no REST binding, or there is no such account
    /// or it is locked out.
    pub fn issue_api_key(&self, username: &str) -> Option<Secret> {
        self.rest_front.as_ref()?.issue_api_key(username)
    }

    /// Revokes a REST API key and ends the session it used; whether it was issued (and not
    /// revoked already).
    pub fn revoke_api_key(&self, key: &str) -> bool {
        self.rest_front
            .as_ref()
            .is_some_and(|f| f.revoke_api_key(key))
    }

    /// The base URL (`http://127.0.0.1:PORT/`); the API answers `POST` at any path under it.
    /// On a Unix socket, [`UNIX_SOCKET_URL`] (`http://localhost/`), to be sent over the socket
    /// ([`unix_socket`](Self::unix_socket)).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on; on a Unix socket, `127.0.0.1:0`, which nothing listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Unix domain socket it listens on, if it listens on one.
    pub fn unix_socket(&self) -> Option<&std::path::Path> {
        self.socket_path.as_deref()
    }

    /// The administrator's credentials.
    pub fn admin(&self) -> &AdminCredentials {
        &self.admin
    }

    /// The demo logins (seeded supervisors) and their passwords, in [`seed::SUPERVISORS`]'
    /// order: each its own, random when the state was created unless given; `None` for a
    /// password kept from an existing state file. Empty without demo data.
    pub fn demo_logins(&self) -> &[DemoLogin] {
        &self.demo_logins
    }

    /// The password of demo login `username`, if this run knows it.
    pub fn demo_password(&self, username: &str) -> Option<&Password> {
        self.demo_logins
            .iter()
            .find(|l| l.username == username)
            .and_then(|l| l.password.as_ref())
    }

    /// Replaces the injected faults (an empty plan injects none).
    pub fn set_faults(&self, plan: FaultPlan) {
        self.faults.replace(plan);
    }

    /// The injected faults.
    pub fn faults(&self) -> FaultPlan {
        self.faults.plan()
    }

    /// This run's token for the fault endpoint ([`FAULTS_PATH`]), to send in
    /// [`FAULTS_TOKEN_HEADER`]: random, made at start, and written (mode 0600) to
    /// `<state>.faults-token` when there is a state file.
    pub fn faults_token(&self) -> &Secret {
        &self.faults_token
    }

    /// The file holding [`faults_token`](Self::faults_token), when there is a state file.
    pub fn faults_token_file(&self) -> Option<&std::path::Path> {
        self.token_file.as_deref()
    }

    /// How many accounts (application users) it holds.
    pub fn user_count(&self) -> usize {
        self.engine.account_count()
    }

    /// What it has done and holds, for operators and tests.
    pub fn stats(&self) -> Stats {
        Stats {
            live_sessions: self.engine.session_count(),
            password_verifications: self.engine.hasher.verifications(),
        }
    }

    /// Stops accepting connections, waits for requests in flight, and closes the state file.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.map_err(|e| Error::Internal(e.to_string()))??;
        }
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || engine.checkpoint())
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(file) = &self.token_file {
            // The token dies with the run.
            let _ = std::fs::remove_file(file);
        }
        tracing::info!(url = %self.url, "akixi-sim stopped");
        Ok(())
    }
}

impl Drop for SimulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The URL of a simulator on a Unix socket: the host only names the requests (their `Host`
/// header); connections go to the socket.
pub const UNIX_SOCKET_URL: &str = "http://localhost/";

/// A fresh path for a Unix socket only its user can open: `sim.sock` in a new directory
/// `akixi-sim-<32 random hex digits>` of `$XDG_RUNTIME_DIR` (the user's own), or else of the
/// temporary directory. The directory does not exist yet: the simulator makes it (mode 0700),
/// refuses to use it if someone else made it first, and removes it when it stops.
pub fn private_socket_path() -> Result<PathBuf, Error> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute() && dir.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    // Twenty hex digits (80 bits) keep names apart; the directory's mode, not its name, keeps
    // others out. (Not 32: that is how a session id looks, which logs are checked for.)
    let random: String = secrets::identifier()?
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(20)
        .collect();
    let name = format!("akixi-sim-{random}");
    Ok(base.join(name).join("sim.sock"))
}

/// A new random password of 20 letters and digits (as the simulator makes for an
/// administrator nobody named one for).
pub fn random_password() -> Result<Password, Error> {
    Ok(secrets::password()?)
}

/// The suffix of the file beside the state file that holds the fault endpoint's token.
pub const FAULTS_TOKEN_SUFFIX: &str = ".faults-token";

/// `<state><suffix>`: a file beside the state file.
fn beside(state: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes `text` to `path`, readable and writable by its owner only (an existing file is made
/// so before it is written); returns the path.
fn write_private(path: &std::path::Path, text: &str) -> Result<PathBuf, Error> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.set_len(0)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.set_len(0)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
    }
    Ok(path.to_owned())
}

fn check_services(services: &[(String, Arc<dyn Service>)]) -> Result<(), Error> {
    let mut seen = std::collections::HashSet::new();
    for (path, _) in services {
        if !path.starts_with('/') || path.contains(['{', '}', '*']) {
            return Err(Error::Config(format!(
                "service path `{path}` must start with `/` and hold no `{{`, `}}` or `*`"
            )));
        }
        if !seen.insert(path.as_str()) {
            return Err(Error::Config(format!("two services at `{path}`")));
        }
    }
    Ok(())
}

/// The error codes the simulator may answer for `operation` of `service` (every condition its
/// engine checks, with the code the spec's `error-conditions` give for the operation's family
/// and for the families it references); `None` for an operation the service lacks.
pub fn answerable_codes(
    service: &'static ServiceInfo,
    operation: &str,
) -> Result<Option<Vec<u32>>, SpecMismatch> {
    let catalog = Catalog::new(service)?;
    Ok(catalog
        .operation(operation)
        .map(|(_, op)| catalog.answerable(op)))
}
