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
