//! What the command-line tests share: a sandbox with its own simulator state, and CSV files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A temporary directory whose state file the embedded simulator uses, so each test starts from
/// the demo data.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

#[allow(dead_code)]
impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("sim.sqlite")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn akixi(&self) -> Command {
        let mut c = Command::cargo_bin("akixi").expect("binary");
        c.env("AKIXI_SIM_STATE", self.state())
            // The user's own profiles never leak into a test: the sandbox's config file.
            .env("AKIXI_CONFIG", self.path("config.toml"))
            .env_remove("AKIXI_PROFILE")
            .env_remove("AKIXI_URL")
            .env_remove("AKIXI_USERNAME")
            .env_remove("AKIXI_PASSWORD")
            .timeout(Duration::from_secs(120));
        c
    }

    /// Runs `args`, expecting exit `code`; returns (stdout, stderr).
    pub fn run(&self, args: &[&str], code: i32) -> (String, String) {
        expect_exit(self.akixi().args(args), args, code)
    }

    pub fn json(&self, args: &[&str], code: i32) -> Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let (so, _) = self.run(&a, code);
        serde_json::from_str(so.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {so}"))
    }

    /// Writes `users.csv` in the sandbox (`header`, then `rows`); its path, and the path of a
    /// `results.csv` beside it.
    pub fn users_csv(&self, header: &str, rows: &[String]) -> (PathBuf, PathBuf) {
        let csv = self.path("users.csv");
        write_csv(&csv, header, rows);
        (csv, self.path("results.csv"))
    }

    /// Runs `user add --username USERNAME`, then `more`, expecting exit `code`; returns
    /// (stdout, stderr).
    pub fn add_user(&self, username: &str, more: &[&str], code: i32) -> (String, String) {
        let mut args = vec!["user", "add", "--username", username];
        args.extend_from_slice(more);
        self.run(&args, code)
    }

    /// The record `user info --username USERNAME` prints, as JSON.
    pub fn user(&self, username: &str) -> Value {
        let doc = self.json(&["user", "info", "--username", username], 0);
        doc["records"][0].clone()
    }

    pub fn usernames(&self) -> Vec<String> {
        let doc = self.json(&["user", "list", "--limit", "100000"], 0);
        doc["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| r["Username"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// `user import CSV --concurrency N --results RESULTS`.
#[allow(dead_code)]
pub fn import_args<'a>(csv: &'a Path, concurrency: &'a str, results: &'a Path) -> [&'a str; 7] {
    [
        "user",
        "import",
        csv.to_str().expect("utf-8"),
        "--concurrency",
        concurrency,
        "--results",
        results.to_str().expect("utf-8"),
    ]
}

/// The usernames of a JSON document's records (`user list`, `user export`), in its order.
#[allow(dead_code)]
pub fn usernames_in(doc: &Value) -> Vec<String> {
    doc["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["Username"].as_str().map(str::to_owned))
        .collect()
}

/// Writes a CSV file: the header, then each row.
#[allow(dead_code)]
pub fn write_csv(path: &Path, header: &str, rows: &[String]) {
    let mut f = std::fs::File::create(path).expect("create");
    writeln!(f, "{header}").expect("write");
    for r in rows {
        writeln!(f, "{r}").expect("write");
    }
}

/// Runs `cmd` (invoked with `args`), expecting exit `code`; returns (stdout, stderr).
#[allow(dead_code)]
pub fn expect_exit(cmd: &mut Command, args: &[&str], code: i32) -> (String, String) {
    let out = cmd.output().expect("runs");
    let (so, se) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "akixi {args:?}\nstdout: {so}\nstderr: {se}"
    );
    (so, se)
}

/// The `akixi-sim` binary: beside the `akixi` binary under test (built first if it is not
/// there), for the tests that kill a service over HTTP.
#[allow(dead_code)]
pub fn sim_binary() -> PathBuf {
    let akixi = assert_cmd::cargo::cargo_bin("akixi");
    let sim = akixi.with_file_name(format!("akixi-sim{}", std::env::consts::EXE_SUFFIX));
    if !sim.exists() {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "-p", "akixi-sim", "--bin", "akixi-sim"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "akixi-sim builds");
    }
    sim
}

/// `akixi-sim serve` over HTTP on a free loopback port, with its state in a file (so that it
/// can be killed and restarted on the same data) and the administrator's password from the
/// environment. Killed when dropped.
#[allow(dead_code)]
pub struct SimServer {
    pub child: std::process::Child,
    pub url: String,
}

/// The administrator of [`SimServer`]s.
#[allow(dead_code)]
pub const SERVER_ADMIN: &str = "root@served.invalid";
/// Its password.
#[allow(dead_code)]
pub const SERVER_PASSWORD: &str = "served-secret-9";

#[allow(dead_code)]
impl SimServer {
    /// Starts it on `state` (created and seeded if missing) with `faults` (none if empty),
    /// and waits for the line naming its URL.
    pub fn start(state: &Path, faults: &str) -> Self {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(sim_binary());
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--hash-cost", "minimal"])
            .args(["--admin-user", SERVER_ADMIN, "--state"])
            .arg(state)
            .env("AKIXI_SIM_ADMIN_PASSWORD", SERVER_PASSWORD)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        if !faults.is_empty() {
            cmd.args(["--faults", faults]);
        }
        let mut child = cmd.spawn().expect("akixi-sim starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = std::io::BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first).expect("reads");
        let url = first
            .trim_end()
            .strip_prefix("akixi-sim listening on ")
            .unwrap_or_else(|| panic!("the first line gives the URL: {first}"))
            .to_owned();
        // The rest of what it prints is drained, so that it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        SimServer { child, url }
    }

    /// `akixi` aimed at it: `--url`, `--login` and the password in the environment.
    pub fn akixi(&self, s: &Sandbox) -> Command {
        let mut c = s.akixi();
        c.args(["--url", &self.url, "--login", SERVER_ADMIN])
            .env("AKIXI_PASSWORD", SERVER_PASSWORD);
        c
    }

    /// Kills it outright (SIGKILL) and waits for it to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The records of a results file (`line,key,outcome,code,message,attempts,row`), each checked
/// whole (seven fields).
#[allow(dead_code)]
pub fn results_records(path: &Path) -> Vec<csv::StringRecord> {
    let text = std::fs::read_to_string(path).expect("the results file");
    assert!(text.ends_with('\n'), "a torn last record: {text}");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.expect("a whole record");
            assert_eq!(r.len(), 7, "{r:?}");
            r
        })
        .collect()
}

/// Waits (polling, up to `within`) until `path` holds at least `n` lines.
#[allow(dead_code)]
pub fn wait_for_lines(path: &Path, n: usize, within: Duration) {
    let started = std::time::Instant::now();
    loop {
        let lines = std::fs::read_to_string(path)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= n {
            return;
        }
        assert!(
            started.elapsed() < within,
            "{} has {lines} lines",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `child` to exit, up to `within`; its status.
#[allow(dead_code)]
pub fn wait_exit(child: &mut std::process::Child, within: Duration) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        if started.elapsed() > within {
            let _ = child.kill();
            panic!("still running after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
