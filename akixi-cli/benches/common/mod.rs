//! What the command-line benchmarks share: the binary on a state of its own, filled by import.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `akixi` binary on the embedded simulator's state `state` (no profile, no URL).
pub fn akixi(state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akixi"));
    c.env("AKIXI_SIM_STATE", state)
        .env("AKIXI_CONFIG", state.with_extension("toml"))
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_PROFILE");
    c
}

/// The CSV of `users` users (`Username,FullName,Scope.TelSysID`), on telephony server 4.
pub fn users_csv(path: &Path, users: usize) {
    let mut text = String::from("Username,FullName,Scope.TelSysID\n");
    for i in 0..users {
        text.push_str(&format!("bench{i:05}@example.com,Bench User {i},4\n"));
    }
    std::fs::write(path, text).expect("csv");
}

/// A state in `dir` holding `users` users besides the demo data; returns it and their CSV.
pub fn state_with_users(dir: &Path, users: usize) -> (PathBuf, PathBuf) {
    let state = dir.join("bench.sqlite");
    let csv = dir.join("users.csv");
    users_csv(&csv, users);
    let status = akixi(&state)
        .args(["user", "import"])
        .arg(&csv)
        .args(["--concurrency", "8"])
        .status()
        .expect("import runs");
    assert!(status.success());
    (state, csv)
}
