//! `akixi-sim`: serve the simulated Akixi Web Services API over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use akixi_sim::{Config, DEFAULT_ADMIN_USERNAME, FaultPlan, HashCost, Simulator};
use clap::{Args, Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "akixi-sim",
    version,
    about = "Simulator of the Akixi Service Web Services API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API until interrupted (SIGINT or SIGTERM).
    Serve(Serve),
    /// Save a state file as a snapshot, or load a snapshot into a new state file.
    Snapshot {
        #[command(subcommand)]
        action: SnapshotAction,
    },
}

/// `akixi-sim serve`'s options.
#[derive(Args)]
struct Serve {
    /// Address to listen on; port 0 picks a free port. Loopback unless told otherwise.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Keep state in this SQLite file (created and seeded if missing); in memory without.
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// The administrator's user name.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_ADMIN_USERNAME)]
    admin_user: String,
    /// Read the administrator's password from this file's first line (`-`: standard
    /// input), or set AKIXI_SIM_ADMIN_PASSWORD; never on the command line, where any user of
    /// the machine can read it. Random for a new state without either; replaces the stored
    /// one for an existing state.
    #[arg(long, value_name = "FILE")]
    admin_password_file: Option<PathBuf>,
    /// Passwords for the demo logins (the seeded supervisors), one `USERNAME PASSWORD` a
    /// line (`-`: standard input; blank lines and `#` comments ignored). Those not named
    /// get random ones when the state is created; with an existing state, the named ones
    /// replace the stored ones.
    #[arg(long, value_name = "FILE")]
    demo_password_file: Option<PathBuf>,
    /// Cost of stored password hashes: `minimal` is for tests only.
    #[arg(long, value_enum, default_value_t = Cost::Standard)]
    hash_cost: Cost,
    /// Inject faults: rules in a file, or inline separated by `;`
    /// (`seed=1; * p=0.05 503; UserAdd first=1 reset-after`). They can be replaced while
    /// serving with `PUT /_akixi-sim/faults` and the printed token in `X-Akixi-Sim-Token`.
    #[arg(long, value_name = "FILE|RULES")]
    faults: Option<String>,
    /// Start holding exactly what this snapshot (`akixi snapshot --out FILE`) holds, instead
    /// of the demo data: in memory, or in a new --state file. Every account gets the
    /// administrator's password (--admin-password-file, or a random one, printed); the
    /// admin user printed is the snapshot's caller.
    #[arg(long, value_name = "FILE")]
    from_snapshot: Option<PathBuf>,
}

#[derive(Subcommand)]
enum SnapshotAction {
    /// Write a snapshot of the state file (no simulator may be using it).
    Save {
        /// The state file.
        #[arg(long, value_name = "PATH")]
        state: PathBuf,
        /// Where to write the snapshot (JSON Lines).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The account the snapshot names as its caller (whom a restore signs in as).
        #[arg(long, value_name = "NAME", default_value = DEFAULT_ADMIN_USERNAME)]
        caller: String,
    },
    /// Create a new state file holding exactly what a snapshot holds.
    Load {
        /// The state file to create (it must not exist).
        #[arg(long, value_name = "PATH")]
        state: PathBuf,
        /// The snapshot.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The password every account gets, from this file's first line (`-`: standard
        /// input) or AKIXI_SIM_ADMIN_PASSWORD; random (printed) without either.
        #[arg(long, value_name = "FILE")]
        admin_password_file: Option<PathBuf>,
        /// Cost of stored password hashes.
        #[arg(long, value_enum, default_value_t = Cost::Standard)]
        hash_cost: Cost,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Cost {
    Standard,
    Minimal,
}

impl From<Cost> for HashCost {
    fn from(cost: Cost) -> Self {
        match cost {
            Cost::Standard => HashCost::Standard,
            Cost::Minimal => HashCost::Minimal,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("akixi-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("akixi-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), akixi_sim::Error> {
    let Serve {
        addr,
        state,
        admin_user,
        admin_password_file,
        demo_password_file,
        hash_cost,
        faults,
        from_snapshot,
    } = match cli.command {
        Command::Serve(serve) => serve,
        Command::Snapshot { action } => return snapshot(action),
    };
    let admin_password = match admin_password(admin_password_file.as_deref()) {
        Ok(p) => p,
        Err(e) => usage_exit(e),
    };
    let mut config = Config::default().addr(addr).hash_cost(hash_cost.into());
    config.admin_username = admin_user;
    let given = admin_password.is_some();
    config.admin_password = admin_password.map(Into::into);
    if let Some(file) = &demo_password_file {
        match demo_passwords(file) {
            Ok(given) => {
                for (username, password) in given {
                    config = config.demo_password(username, password);
                }
            }
            Err(e) => usage_exit(e),
        }
    }
    if let Some(path) = state {
        config = config.state(path);
    }
    if let Some(file) = &from_snapshot {
        let snap = akixi_sim::Snapshot::load(file, &akixi_client::akixi::SERVICE)?;
        eprintln!(
            "akixi-sim: restoring {} entities of {} (taken {} by {}); every account gets the admin password",
            snap.len(),
            snap.header.service,
            snap.header.taken,
            snap.header.caller
        );
        config = config.from_snapshot(std::sync::Arc::new(snap));
    }
    if let Some(rules) = faults {
        // A path to a file of rules, or the rules themselves.
        let text = match std::fs::read_to_string(&rules) {
            Ok(text) => text,
            Err(_) => rules,
        };
        match text.parse::<FaultPlan>() {
            Ok(plan) => config = config.faults(plan),
            Err(e) => usage_exit(format!("--faults: {e}")),
        }
    }
    let sim = Simulator::start(config).await?;
    // The credentials go to standard output on purpose, once, for the person who started
    // the simulator; logs never carry them. One write, so that a reader that stops after the
    // first lines never makes a later line fail.
    let mut out = format!(
        "akixi-sim listening on {}\nadmin user: {}\n",
        sim.url(),
        sim.admin().username
    );
    match &sim.admin().password {
        Some(_) if given => out.push_str("admin password: (as given)\n"),
        Some(p) => out.push_str(&format!("admin password: {}\n", p.expose())),
        None => out.push_str("admin password: (unchanged, as stored in the state file)\n"),
    }
    out.push_str(&format!("faults token: {}", sim.faults_token().expose()));
    if let Some(file) = sim.faults_token_file() {
        out.push_str(&format!(" (also in {})", file.display()));
    }
    out.push('\n');
    // Each demo login's password, once, like the administrator's.
    for login in sim.demo_logins() {
        match &login.password {
            Some(_) if login.given => {
                out.push_str(&format!("demo login: {} (as given)\n", login.username));
            }
            Some(p) => {
                out.push_str(&format!("demo login: {} {}\n", login.username, p.expose()));
            }
            None => out.push_str(&format!(
                "demo login: {} (unchanged, as stored in the state file)\n",
                login.username
            )),
        }
    }
    {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.as_bytes());
        let _ = stdout.flush();
    }
    wait_for_signal().await;
    tracing::info!("shutting down");
    sim.shutdown().await
}

/// `akixi-sim snapshot save|load`.
fn snapshot(action: SnapshotAction) -> Result<(), akixi_sim::Error> {
    match action {
        SnapshotAction::Save { state, out, caller } => {
            let snap =
                akixi_sim::snapshot::save_state(&state, &akixi_client::akixi::SERVICE, &caller)?;
            snap.save(&out)?;
            eprintln!(
                "akixi-sim: {} entities of {} written to {} (no passwords)",
                snap.len(),
                state.display(),
                out.display()
            );
            Ok(())
        }
        SnapshotAction::Load {
            state,
            from,
            admin_password_file,
            hash_cost,
        } => {
            let password = match admin_password(admin_password_file.as_deref()) {
                Ok(p) => p,
                Err(e) => usage_exit(e),
            };
            let given = password.is_some();
            let snap = akixi_sim::Snapshot::load(&from, &akixi_client::akixi::SERVICE)?;
            let n = snap.len();
            let admin = akixi_sim::snapshot::load_state(
                &state,
                snap,
                password.map(Into::into),
                hash_cost.into(),
            )?;
            let mut out = format!(
                "akixi-sim: {n} entities loaded into {}\nadmin user: {}\n",
                state.display(),
                admin.username
            );
            match &admin.password {
                Some(_) if given => out.push_str("account password: (as given)\n"),
                Some(p) => out.push_str(&format!("account password: {}\n", p.expose())),
                None => {}
            }
            print!("{out}");
            Ok(())
        }
    }
}

/// Says what is wrong with the command line, and exits with status 64 (usage).
fn usage_exit(message: impl std::fmt::Display) -> ! {
    eprintln!("akixi-sim: {message}");
    std::process::exit(64)
}

/// The name of the environment variable that may hold the administrator's password.
const ADMIN_PASSWORD_ENV: &str = "AKIXI_SIM_ADMIN_PASSWORD";

/// The administrator's password: the first line of `file` (`-`: standard input), else
/// [`ADMIN_PASSWORD_ENV`], else none (a random one for a new state).
fn admin_password(file: Option<&std::path::Path>) -> Result<Option<String>, String> {
    let text = match file {
        Some(path) if path.as_os_str() == "-" => std::io::read_to_string(std::io::stdin())
            .map_err(|e| {
                format!("cannot read the administrator's password from standard input: {e}")
            })?,
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        None => match std::env::var(ADMIN_PASSWORD_ENV) {
            Ok(value) => value,
            Err(_) => return Ok(None),
        },
    };
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err("the administrator's password is empty".to_owned());
    }
    Ok(Some(password))
}

/// The `USERNAME PASSWORD` lines of `file` (`-`: standard input).
fn demo_passwords(file: &std::path::Path) -> Result<Vec<(String, String)>, String> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read the demo passwords from standard input: {e}"))?
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(char::is_whitespace) {
            Some((name, password)) if !password.trim().is_empty() => {
                out.push((name.to_owned(), password.trim().to_owned()));
            }
            // The line is not echoed: it may hold a password.
            _ => {
                return Err(format!(
                    "{} line {}: write USERNAME PASSWORD",
                    file.display(),
                    i + 1
                ));
            }
        }
    }
    Ok(out)
}

async fn wait_for_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
