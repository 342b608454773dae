//! The embedded simulator is reachable only by the process that started it: no TCP port, a
//! Unix socket in a directory only the user can open, and a per-run administrator password
//! (the old fixed one no longer signs in).

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use akixi_client::Client;
use akixi_client::akixi::user::UserListRequest;

/// The password every embedded simulator had before it was made per run.
const OLD_FIXED_PASSWORD: &str = "akixi-demo";
const ADMIN: &str = "admin@akixi-sim.invalid";

/// Socket inodes of the TCP sockets listening on this machine (`/proc/net/tcp{,6}`, state 0A).
fn listening_tcp_inodes() -> HashSet<u64> {
    let mut inodes = HashSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(3) == Some(&"0A")
                && let Some(inode) = fields.get(9).and_then(|i| i.parse().ok())
            {
                inodes.insert(inode);
            }
        }
    }
    inodes
}

/// Socket inodes a process holds open (`/proc/PID/fd`, `socket:[N]`).
fn socket_inodes(pid: u32) -> HashSet<u64> {
    let mut inodes = HashSet::new();
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return inodes;
    };
    for fd in fds.flatten() {
        if let Ok(target) = std::fs::read_link(fd.path())
            && let Some(n) = target
                .to_str()
                .and_then(|t| t.strip_prefix("socket:["))
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|n| n.parse().ok())
        {
            inodes.insert(n);
        }
    }
    inodes
}

/// Where the simulator serves, from its lock file (`…, serving at unix:PATH`).
fn serving_socket(state: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(format!("{}.lock", state.display())).ok()?;
    text.split(", serving at ").nth(1).map(str::trim).map(|at| {
        at.strip_prefix("unix:")
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("serving at something other than a socket: {at}"))
    })
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

/// Signs in over `socket` as the administrator with `password`; the error code if refused.
async fn sign_in(socket: &Path, password: &str) -> Result<(), Option<u32>> {
    let client = Client::builder("http://localhost/")
        .credentials(ADMIN, password)
        .unix_socket(socket)
        .request_timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    client
        .user_list(UserListRequest::new())
        .await
        .map(|_| ())
        .map_err(|e| e.code().map(|c| c.code()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_simulator_listens_on_a_private_socket_with_a_per_run_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("sim.sqlite");
    let runtime = dir.path().join("run");
    std::fs::create_dir(&runtime).expect("runtime dir");
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    // Slow answers keep the command running while it is looked at.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(["user", "list"])
        .env("AKIXI_SIM_STATE", &state)
        .env("AKIXI_CONFIG", dir.path().join("config.toml"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("AKIXI_SIM_FAULTS", "* p=1 latency=1500")
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_USERNAME")
        .env_remove("AKIXI_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("akixi runs");
    let pid = child.id();

    let started = Instant::now();
    let socket = loop {
        if let Some(socket) = serving_socket(&state) {
            break socket;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the simulator never served"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // A socket in a new directory of the runtime directory, both for the user alone.
    let socket_dir = socket.parent().expect("a directory").to_owned();
    assert_eq!(socket_dir.parent(), Some(runtime.as_path()), "{socket:?}");
    assert_eq!(mode(&socket_dir), 0o700, "{socket_dir:?}");
    assert_eq!(mode(&socket), 0o600, "{socket:?}");
    // The process listens on no TCP port.
    let listening = listening_tcp_inodes();
    let held = socket_inodes(pid);
    assert!(!held.is_empty(), "the process holds its socket");
    assert!(
        held.is_disjoint(&listening),
        "the CLI's process listens on TCP"
    );
    // The fixed password of old does not sign in; another local process has no other way in.
    assert_eq!(
        sign_in(&socket, OLD_FIXED_PASSWORD).await,
        Err(Some(10305)),
        "the old fixed password is refused"
    );

    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joins")
        .expect("waits");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(ADMIN), "the command worked: {stdout}");
    for shown in [&stdout, &stderr] {
        assert!(!shown.contains("http://"), "a URL is shown: {shown}");
        assert!(!shown.contains("127.0.0.1"), "an address is shown: {shown}");
    }
    // The socket and its directory go with the run.
    assert!(!socket.exists(), "the socket is removed");
    assert!(!socket_dir.exists(), "its directory is removed");

    // A later run replaced the stored password again: the old one never signs in.
    let sim = akixi_sim::Simulator::start(akixi_sim::Config::default().state(&state))
        .await
        .expect("the state opens");
    let client = Client::builder(sim.url())
        .credentials(ADMIN, OLD_FIXED_PASSWORD)
        .build()
        .expect("client");
    let refused = client.user_list(UserListRequest::new()).await;
    assert_eq!(
        refused.err().and_then(|e| e.code()).map(|c| c.code()),
        Some(10305)
    );
    sim.shutdown().await.expect("stops");
}

/// A socket whose directory others can open is refused, and so is a directory someone else
/// made.
#[tokio::test]
async fn a_socket_directory_others_can_open_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = dir.path().join("open");
    std::fs::create_dir(&open).expect("dir");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let refused = akixi_sim::Simulator::start(
        akixi_sim::Config::default()
            .hash_cost(akixi_sim::HashCost::Minimal)
            .unix_socket(open.join("sim.sock")),
    )
    .await
    .expect_err("a directory others can open");
    assert!(refused.to_string().contains("0700"), "{refused}");
    assert!(!open.join("sim.sock").exists());
}
