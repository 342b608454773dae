//! Where commands go: the Akixi service at `--url`, or the embedded simulator.

use std::path::PathBuf;
use std::time::Duration;

use akixi_client::akixi::Platform;
use akixi_client::runtime::akixi_ws::{OpKind, OperationInfo};
use akixi_client::secret::Password;
use akixi_client::{Client, ClientBuilder};
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};

use crate::error::CliError;
use crate::servers::{self, ReadError, Servers};

/// The embedded simulator's administrator. Its password is random for each run (the stored one
/// is replaced at start) and known only to this process.
pub const SIM_ADMIN: &str = "admin@akixi-sim.invalid";

/// How to reach the service, from the global options.
#[derive(Debug, Clone)]
pub struct Target {
    /// `--url` / `AKIXI_URL`; `None` for the embedded simulator.
    pub url: Option<String>,
    /// `--login` / `AKIXI_USERNAME`.
    pub login: Option<String>,
    /// `--password-file`.
    pub password_file: Option<String>,
    /// The profile's way to the password, used when neither `--password-file` nor
    /// `AKIXI_PASSWORD` gives it.
    pub profile_password: Option<ProfilePassword>,
    /// `--platform`, else the profile's platform: requests naming no server whose platform
    /// is known are validated for it (`--platform` itself, the run's
    /// [`Servers::forced`], overrides the servers' platforms).
    pub platform: Option<Platform>,
    /// `--timeout`, seconds.
    pub timeout: u64,
}

/// How a profile gets its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfilePassword {
    /// The first line of this file.
    File(String),
    /// The first line this shell command prints.
    Command(String),
}

/// A connected client, and the embedded simulator behind it when there is one.
pub struct Connection {
    /// The client.
    pub client: Client,
    /// Kept alive for the command's lifetime.
    pub simulator: Option<SimulatorHandle>,
    /// The platform requests naming no known server are validated for, if known.
    pub platform: Option<Platform>,
    /// Where it goes, as a snapshot's header names it: the URL (without a password), or the
    /// embedded simulator.
    pub service: String,
    /// Who it is signed in as.
    pub caller: String,
}

/// `--sim-from-snapshot FILE`: the embedded simulator of this run starts in memory holding
/// exactly what the snapshot holds.
static SIM_SNAPSHOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes this run's embedded simulator start from the snapshot at `path` (in memory; its state
/// file is not touched), signed in as the snapshot's caller.
pub fn use_sim_snapshot(path: PathBuf) {
    let _ = SIM_SNAPSHOT.set(path);
}

/// A simulator in memory holding exactly what `snapshot` holds, on a private Unix socket, and a
/// client signed in there as `caller` (every account's password is one random password of this
/// run): that account's copy, with its own rights, scope and platforms.
pub async fn restored(
    snapshot: akixi_sim::Snapshot,
    caller: &str,
    timeout: Duration,
) -> Result<(SimulatorHandle, Client), CliError> {
    let socket = akixi_sim::private_socket_path()
        .map_err(|e| CliError::Failure(format!("simulator: {e}")))?;
    let password =
        akixi_sim::random_password().map_err(|e| CliError::Failure(format!("simulator: {e}")))?;
    let caller = caller.to_owned();
    let config = Config::default()
        .admin(caller.clone(), password.clone())
        .hash_cost(HashCost::Minimal)
        .unix_socket(socket)
        .from_snapshot(std::sync::Arc::new(snapshot));
    let sim = Simulator::start(config)
        .await
        .map_err(|e| CliError::Failure(format!("simulator from the snapshot: {e}")))?;
    let client = sim_client(&sim, caller, password, timeout)?;
    Ok((sim, client))
}

/// A client of the simulator `sim` (over its Unix socket where it has one), signed in as
/// `login`. The simulator's servers are read from it as a real service's are: only
/// `--platform` is the client's.
fn sim_client(
    sim: &SimulatorHandle,
    login: String,
    password: Password,
    timeout: Duration,
) -> Result<Client, CliError> {
    let mut b = Client::builder(sim.url().to_string())
        .credentials(login, password)
        .request_timeout(timeout);
    #[cfg(unix)]
    if let Some(socket) = sim.unix_socket() {
        b = b.unix_socket(socket);
    }
    if let Some(p) = servers::run().forced() {
        b = b.platform(p);
    }
    b.build().map_err(|e| CliError::Failure(e.to_string()))
}

impl Connection {
    /// The platform a request of `fields` is validated for: `--platform` if given; else that
    /// of the telephony server the request names (read from the service, once per run); else
    /// the profile's.
    /// Only a request that sets properties (an add, a change, a bulk add) has its server read.
    pub async fn platform_for(
        &self,
        op: &OperationInfo,
        fields: &[(String, String)],
    ) -> Option<Platform> {
        let servers = servers::run();
        if matches!(op.kind, OpKind::Add | OpKind::Change | OpKind::BulkAdd) {
            servers
                .platform_for(&self.client, fields, self.platform)
                .await
        } else {
            servers.platform_of(fields, self.platform)
        }
    }

    /// Stops the embedded simulator cleanly (its state file is closed).
    pub async fn finish(self) {
        let _ = self.client.close().await;
        if let Some(sim) = self.simulator {
            let _ = sim.shutdown().await;
        }
    }
}

/// The embedded simulator's state file: `AKIXI_SIM_STATE`, or `akixi/simulator.sqlite` in the
/// user's data directory.
pub fn sim_state_path() -> Result<PathBuf, CliError> {
    if let Some(p) = std::env::var_os("AKIXI_SIM_STATE") {
        return Ok(PathBuf::from(p));
    }
    let base = dirs::data_dir().ok_or_else(|| {
        CliError::Usage("no data directory for the embedded simulator: set AKIXI_SIM_STATE".into())
    })?;
    Ok(base.join("akixi").join("simulator.sqlite"))
}

/// Starts the embedded simulator on its persistent state, reachable only by this process: it
/// listens on a Unix socket in a new directory only the user can open (mode 0700, the socket
/// 0600; no TCP port), and its administrator's password is random for this run (it replaces
/// the stored one). Send requests over [`SimulatorHandle::unix_socket`], signed in with
/// [`SimulatorHandle::admin`].
pub async fn start_private_simulator() -> Result<SimulatorHandle, CliError> {
    let socket = akixi_sim::private_socket_path()
        .map_err(|e| CliError::Failure(format!("embedded simulator: {e}")))?;
    start(socket).await
}

async fn start(socket: PathBuf) -> Result<SimulatorHandle, CliError> {
    let state = sim_state_path()?;
    if !state.exists() {
        if let Some(dir) = state.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Failure(format!("cannot create {}: {e}", dir.display())))?;
        }
        eprintln!(
            "akixi: no --url given: using the embedded simulator, with its demo data in {}\n       (set AKIXI_SIM_STATE to keep it elsewhere; its administrator is {SIM_ADMIN})",
            state.display()
        );
    }
    let password = akixi_sim::random_password()
        .map_err(|e| CliError::Failure(format!("embedded simulator: {e}")))?;
    // The embedded simulator holds local demo data, and provisioning by the hundred must stay
    // quick: its password hashes use the smallest Argon2 cost.
    let mut config = Config::default()
        .state(&state)
        .admin(SIM_ADMIN, password)
        .hash_cost(HashCost::Minimal)
        .unix_socket(socket);
    // Faults to inject, for trying a script against a service that misbehaves.
    if let Ok(rules) = std::env::var("AKIXI_SIM_FAULTS") {
        let plan = rules
            .parse()
            .map_err(|e| CliError::Usage(format!("AKIXI_SIM_FAULTS: {e}")))?;
        config = config.faults(plan);
    }
    Simulator::start(config)
        .await
        .map_err(|e| CliError::Failure(format!("embedded simulator: {e}")))
}

fn login_password(target: &Target) -> Result<Password, CliError> {
    if let Some(file) = &target.password_file {
        return crate::spec_cli::matches::read_secret(file)
            .map(Password::new)
            .map_err(CliError::Usage);
    }
    if let Ok(p) = std::env::var("AKIXI_PASSWORD") {
        return Ok(Password::new(p));
    }
    match &target.profile_password {
        Some(ProfilePassword::File(file)) => {
            return crate::spec_cli::matches::read_secret(file)
                .map(Password::new)
                .map_err(CliError::Usage);
        }
        Some(ProfilePassword::Command(command)) => {
            return crate::profile::password_from_command(command).map(Password::new);
        }
        None => {}
    }
    // The prompt names what the password is for (never the password).
    let prompt = format!(
        "Password for {} at {}: ",
        target.login.as_deref().unwrap_or("?"),
        target.url.as_deref().map_or_else(|| "?".into(), shown_url)
    );
    rpassword::prompt_password(crate::terminal_text::escaped(&prompt).as_ref())
        .map(Password::new)
        .map_err(|e| {
            CliError::Usage(format!(
                "no password: set AKIXI_PASSWORD, give --password-file, or run in a terminal ({e})"
            ))
        })
}

/// The telephony servers' platforms, for checking rows by their servers: read from the service
/// (the embedded simulator or a real one alike) when the connection opens, unless `--platform`
/// overrides them. Call it before [`connect`].
pub fn known_servers(_target: &Target) -> Servers {
    let servers = servers::run();
    servers.want();
    servers.clone()
}

/// Reads the servers' platforms if a command asked for them ([`known_servers`]): a refusal
/// is a note (the rows are then checked for the default platform, and by the service), a
/// service that cannot be asked an error.
async fn read_servers(client: &Client) -> Result<(), CliError> {
    let servers = servers::run();
    if !servers.wanted() {
        return Ok(());
    }
    match servers.read_all(client).await {
        Ok(()) => Ok(()),
        Err(ReadError::Refused(why)) => {
            servers::note_unread(&why);
            Ok(())
        }
        Err(ReadError::Failed(why)) => Err(CliError::Failure(format!(
            "cannot read the telephony servers' platforms to check the rows by them: {why} (--platform checks every row for one platform without reading them)"
        ))),
    }
}

/// Connects to the target.
pub async fn connect(target: &Target) -> Result<Connection, CliError> {
    let timeout = Duration::from_secs(target.timeout.max(1));
    match &target.url {
        Some(url) => {
            let login = target
                .login
                .clone()
                .ok_or_else(|| CliError::Usage("--url needs --login (or AKIXI_USERNAME)".into()))?;
            let password = login_password(target)?;
            let mut b: ClientBuilder = Client::builder(url.clone())
                .credentials(login, password)
                .request_timeout(timeout);
            // Only `--platform` is the client's: a profile's platform is a default for
            // requests naming no server, which the command checks per server itself.
            if let Some(p) = servers::run().forced() {
                b = b.platform(p);
            }
            let client = b.build().map_err(|e| CliError::Usage(e.to_string()))?;
            read_servers(&client).await?;
            Ok(Connection {
                client,
                simulator: None,
                platform: target.platform,
                service: shown_url(url),
                caller: target.login.clone().unwrap_or_default(),
            })
        }
        None if SIM_SNAPSHOT.get().is_some() => {
            let path = SIM_SNAPSHOT.get().cloned().unwrap_or_default();
            let snapshot = akixi_sim::Snapshot::load(&path, &akixi_client::akixi::SERVICE)
                .map_err(|e| CliError::Usage(format!("--sim-from-snapshot: {e}")))?;
            let label = format!(
                "simulator from the snapshot {} (of {})",
                path.display(),
                snapshot.header.service
            );
            let caller = snapshot.header.caller.clone();
            let (sim, client) = restored(snapshot, &caller, timeout).await?;
            on_simulator(sim, client, target.platform, label, caller).await
        }
        None => {
            let sim = start_private_simulator().await?;
            let password = sim.admin().password.clone().ok_or_else(|| {
                CliError::Failure("embedded simulator: no administrator password".into())
            })?;
            let client = sim_client(&sim, SIM_ADMIN.to_owned(), password, timeout)?;
            on_simulator(
                sim,
                client,
                target.platform,
                "embedded simulator".to_owned(),
                SIM_ADMIN.to_owned(),
            )
            .await
        }
    }
}

/// The connection to the simulator `sim` through `client`, once the servers' platforms are
/// read ([`read_servers`]); if they cannot be, the simulator is stopped and the error returned.
async fn on_simulator(
    sim: SimulatorHandle,
    client: Client,
    platform: Option<Platform>,
    service: String,
    caller: String,
) -> Result<Connection, CliError> {
    if let Err(e) = read_servers(&client).await {
        let _ = sim.shutdown().await;
        return Err(e);
    }
    Ok(Connection {
        client,
        simulator: Some(sim),
        platform,
        service,
        caller,
    })
}

/// `url` as it may be shown: a password in its user information is left out
/// (`https://ann:secret@host/` → `https://ann@host/`).
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}
