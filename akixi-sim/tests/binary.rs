//! The `akixi-sim` binary: what it prints, a clean stop on SIGTERM, and durability: with
//! `--state`, every acknowledged change survives `kill -9` and a restart.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use akixi_client::akixi::user::{
    Scope, UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserListRequest,
};
use akixi_client::akixi::{Platform, ReportingAccess, UserField, UserFields};
use akixi_sim::seed::tel_sys_id;
use support::{ADMIN, PASSWORD, Raw, code};

struct Server {
    child: Child,
    url: String,
    lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `akixi-sim serve` on a free loopback port, with cheap hashes and the state file `state`.
fn serve_command(state: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_akixi-sim"));
    command
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--hash-cost",
            "minimal",
            "--state",
        ])
        .arg(state);
    command
}

/// Starts the binary on a free loopback port and reads what it prints before serving.
fn serve(state: &Path, extra: &[&str]) -> Server {
    let mut child = serve_command(state)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut reader = BufReader::new(stdout);
    // The URL, the administrator's name and password, the faults token, each demo login.
    for _ in 0..4 + akixi_sim::seed::SUPERVISORS.len() {
        let mut line = String::new();
        reader.read_line(&mut line).expect("reads");
        lines.push(line.trim_end().to_owned());
    }
    let url = lines[0]
        .strip_prefix("akixi-sim listening on ")
        .unwrap_or_else(|| panic!("the first line gives the URL: {lines:?}"))
        .to_owned();
    Server { child, url, lines }
}

fn wait_for_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        assert!(started.elapsed() < within, "the process did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_kill_9_and_a_restart() {
    let dir = support::TempDir::new("durability");
    let state = dir.path("state.db");
    let password_file = dir.path("admin-password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).expect("writes");
    let first = serve(
        &state,
        &[
            "--admin-user",
            ADMIN,
            "--admin-password-file",
            password_file.to_str().expect("a UTF-8 path"),
        ],
    );
    assert_eq!(first.lines[1], format!("admin user: {ADMIN}"));
    assert_eq!(
        first.lines[2], "admin password: (as given)",
        "a password the user gave is not echoed"
    );

    // A session that must outlive the process, and concurrent acknowledged writes.
    let mut session = Raw::login(&first.url, ADMIN, PASSWORD).await;
    let url = first.url.clone();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let url = url.clone();
            tokio::spawn(async move {
                let sim = Sim { url };
                let api = sim.client();
                let mut acknowledged = Vec::new();
                for i in 0..25 {
                    let name = format!("durable-{t}-{i:02}@example.invalid");
                    api.user_add(
                        UserAddRequest::new(name.as_str())
                            .full_name(format!("Durable {t} {i}"))
                            .password(format!("pw-{t}-{i}"))
                            .scope(
                                Scope::new()
                                    .tel_sys_id(
                                        i32::try_from(tel_sys_id(Platform::CiscoBroadworks))
                                            .unwrap_or(1),
                                    )
                                    .reporting_access(ReportingAccess::Akixi2000),
                            ),
                    )
                    .await
                    .expect("acknowledged");
                    if i % 5 == 0 {
                        api.user_change(UserChangeRequest::new(name.as_str()).lock_out(true))
                            .await
                            .expect("acknowledged");
                    }
                    if i % 7 == 3 {
                        api.user_delete(UserDeleteRequest::new(name.as_str()))
                            .await
                            .expect("acknowledged");
                        continue;
                    }
                    acknowledged.push((name, i % 5 == 0));
                }
                acknowledged
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.expect("task"));
    }
    acknowledged.sort();

    // kill -9: no chance to flush or checkpoint anything.
    let mut first = first;
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("reaped");

    // Restarted without credentials: the stored ones are kept.
    let second = serve(&state, &[]);
    assert_eq!(
        second.lines[2],
        "admin password: (unchanged, as stored in the state file)"
    );
    let sim = Sim {
        url: second.url.clone(),
    };
    let api = sim.client();
    let fields = UserFields::new()
        .with(UserField::LockOut)
        .with(UserField::ReportingAccess);
    let list = api
        .user_list(
            UserListRequest::new()
                .search_query("durable-")
                .user_fields(fields),
        )
        .await
        .expect("UserList");
    let mut found: Vec<(String, bool)> = list
        .entries
        .iter()
        .map(|e| {
            assert_eq!(e.reporting_access, Some(ReportingAccess::Akixi2000));
            (
                e.username.clone().unwrap_or_default(),
                e.lock_out == Some(true),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found, acknowledged);
    // Passwords (their hashes) survived: a user signs in with its own.
    let name = "durable-3-07@example.invalid";
    assert!(acknowledged.iter().any(|(n, _)| n == name));
    let password = "pw-3-7";
    Raw::login(&second.url, name, password).await;
    // So did the API session opened before the kill.
    session.url = second.url.clone();
    let reply = session.send(&UserInfoRequest::new(name)).await;
    assert_eq!(code(&reply), None, "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_it_cleanly() {
    let dir = support::TempDir::new("sigterm");
    let state = dir.path("state.db");
    let mut server = serve(&state, &[]);
    // A new state without a given password gets a random one, printed once.
    let password = server.lines[2]
        .strip_prefix("admin password: ")
        .expect("a password line")
        .to_owned();
    assert_eq!(password.len(), 20);
    let sim = Sim {
        url: server.url.clone(),
    };
    let admin = client_with_url(&sim.url, akixi_sim::DEFAULT_ADMIN_USERNAME, &password);
    admin
        .user_add(UserAddRequest::new("before-term"))
        .await
        .expect("added");
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = wait_for_exit(&mut server.child, Duration::from_secs(10));
    assert!(exit.success(), "exit status {exit}");
    // A clean stop folds the log into the database.
    let wal = dir.path("state.db-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true),
        "the WAL is checkpointed"
    );
    let restarted = serve(&state, &[]);
    let admin = client_with_url(&restarted.url, akixi_sim::DEFAULT_ADMIN_USERNAME, &password);
    admin
        .user_info(UserInfoRequest::new("before-term"))
        .await
        .expect("kept");
}

struct Sim {
    url: String,
}

impl Sim {
    fn client(&self) -> akixi_client::Client {
        client_with_url(&self.url, ADMIN, PASSWORD)
    }
}

fn client_with_url(url: &str, user: &str, password: &str) -> akixi_client::Client {
    akixi_client::Client::builder(url)
        .credentials(user, password)
        .allow_http(true)
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_given_on_the_command_line_are_injected() {
    let dir = support::TempDir::new("faults");
    let rules = dir.path("faults.txt");
    std::fs::write(&rules, "seed=9\nCreateSession first=1 503:7\n").expect("writes");
    let server = serve(
        &dir.path("state.db"),
        &["--faults", rules.to_str().expect("utf-8")],
    );
    let hello = "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>";
    let http = reqwest::Client::new();
    let first = http
        .post(&server.url)
        .body(hello)
        .send()
        .await
        .expect("posts");
    assert_eq!(first.status(), 503);
    assert_eq!(
        first
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("7")
    );
    let second = http
        .post(&server.url)
        .body(hello)
        .send()
        .await
        .expect("posts");
    assert_eq!(second.status(), 200, "only the first");

    let bad = Command::new(env!("CARGO_BIN_EXE_akixi-sim"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--faults",
            "* sometimes 503",
        ])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(64));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("fault rule 1") && err.contains("sometimes"),
        "{err}"
    );
}

#[test]
fn a_second_process_on_the_same_state_file_is_refused_and_told_where_the_first_serves() {
    let dir = support::TempDir::new("two-processes");
    let state = dir.path("state.db");
    let first = serve(&state, &[]);
    let second = serve_command(&state).output().expect("runs");
    assert!(!second.status.success(), "two processes on one state file");
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("in use by another process") && err.contains(&first.url),
        "names the file's holder and where it serves: {err}"
    );
    // The files hold session ids and nonces: the owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let lock = dir.path("state.db.lock");
        let wal = dir.path("state.db-wal");
        for file in [&state, &lock, &wal] {
            let mode = std::fs::metadata(file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{} is mode {mode:o}", file.display());
        }
    }
    drop(first);
    // Once the first is gone (killed, even), the file is free again.
    let third = serve(&state, &[]);
    assert!(third.url.starts_with("http://"));
}

#[test]
fn the_admin_password_never_goes_on_the_command_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_akixi-sim"))
        .args(["serve", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("--admin-password "), "{help}");
    assert!(help.contains("--admin-password-file"), "{help}");
    assert!(help.contains("AKIXI_SIM_ADMIN_PASSWORD"), "{help}");
}

/// What `serve` prints once: the fault endpoint's token (also in a 0600 file), and each demo
/// login's own password, made for a new state, given, or kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_faults_token_and_each_demo_login_once() {
    use akixi_sim::seed::SUPERVISORS;
    let dir = support::TempDir::new("demo-print");
    let state = dir.path("state.db");
    let first = serve(&state, &[]);
    let token_line = first.lines[3]
        .strip_prefix("faults token: ")
        .unwrap_or_else(|| panic!("a token line: {:?}", first.lines));
    let token_file = format!("{}.faults-token", state.display());
    assert_eq!(
        token_line,
        format!("{} (also in {token_file})", &token_line[..32])
    );
    assert_eq!(
        std::fs::read_to_string(&token_file)
            .expect("token file")
            .trim_end(),
        &token_line[..32]
    );
    let mut passwords = Vec::new();
    for (line, supervisor) in first.lines[4..].iter().zip(SUPERVISORS) {
        let rest = line
            .strip_prefix(&format!("demo login: {} ", supervisor.username))
            .unwrap_or_else(|| panic!("{line}"));
        assert_eq!(rest.len(), 20, "{line}");
        passwords.push(rest.to_owned());
    }
    let supervisor = SUPERVISORS[0].username;
    client_with_url(&first.url, supervisor, &passwords[0])
        .user_info(UserInfoRequest::new(supervisor))
        .await
        .expect("the printed password signs in");
    drop(first);

    let given = dir.path("demo.pw");
    std::fs::write(
        &given,
        format!("# one given\n{supervisor} Given-pa55word\n"),
    )
    .expect("write");
    let second = serve(
        &state,
        &["--demo-password-file", given.to_str().expect("utf-8")],
    );
    assert_eq!(
        second.lines[4],
        format!("demo login: {supervisor} (as given)")
    );
    assert_eq!(
        second.lines[5],
        format!(
            "demo login: {} (unchanged, as stored in the state file)",
            SUPERVISORS[1].username
        )
    );
    assert!(
        second.lines.iter().all(|l| !l.contains("Given-pa55word")),
        "a given password is not echoed"
    );
    client_with_url(&second.url, supervisor, "Given-pa55word")
        .user_info(UserInfoRequest::new(supervisor))
        .await
        .expect("the given password signs in");
}
