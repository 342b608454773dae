//! A dead or refusing service stops a bulk run by itself (the circuit breaker, exit 3), and
//! Ctrl-C stops it at once (exit 130); either way every row's state is in the results file,
//! and running the same command again after the service is back ends with exactly the rows of
//! the file, none made twice.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, SimServer, results_records, wait_exit, wait_for_lines};

const HEADER: &str = "Username,FullName";
/// The issue's bound: a run ends by itself within this time of the service's death.
const WITHIN: Duration = Duration::from_secs(60);
const DONE: [&str; 4] = ["success", "partial", "unchanged", "updated"];

fn rows(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("{tag}{i:03}@dead.invalid,{tag} {i}"))
        .collect()
}

/// Every row of an `n`-row file has exactly one record in `results` (lines 2 to n + 1), each
/// with one of `outcomes`.
fn each_row_recorded_once(results: &Path, n: usize, outcomes: &[&str]) -> Vec<csv::StringRecord> {
    let records = results_records(results);
    let mut lines: HashMap<String, usize> = HashMap::new();
    for r in &records {
        assert!(outcomes.contains(&&r[2]), "{r:?}");
        *lines.entry(r[0].to_string()).or_default() += 1;
    }
    assert_eq!(lines.len(), n, "every row recorded: {records:?}");
    assert!(lines.values().all(|c| *c == 1), "once each");
    records
}

/// After a resumed run: each key of the file has exactly one record saying it is done.
fn each_key_done_once(results: &Path, n: usize) {
    let mut done: HashMap<String, usize> = HashMap::new();
    for r in results_records(results) {
        if DONE.contains(&&r[2]) {
            *done.entry(r[1].to_string()).or_default() += 1;
        }
    }
    assert_eq!(done.len(), n, "{done:?}");
    assert!(done.values().all(|c| *c == 1), "{done:?}");
}

/// The users of the file as the service lists them: each exactly once.
fn users_of_file(doc: &serde_json::Value, tag: &str) -> HashSet<String> {
    let names: Vec<String> = common::usernames_in(doc)
        .into_iter()
        .filter(|u| u.starts_with(tag) && u.ends_with("@dead.invalid"))
        .collect();
    let set: HashSet<String> = names.iter().cloned().collect();
    assert_eq!(set.len(), names.len(), "none twice");
    set
}

#[test]
fn a_service_refusing_every_request_stops_the_run_and_a_rerun_finishes_it() {
    let s = Sandbox::new();
    let (csv, results) = s.users_csv(HEADER, &rows(60, "r"));
    // `--platform`: the rows are checked for one platform, so the run reads no telephony
    // servers first (which a service refusing everything would refuse too) and goes straight
    // to sending.
    let args = [
        "user",
        "import",
        csv.to_str().expect("utf-8"),
        "--results",
        results.to_str().expect("utf-8"),
        "--platform",
        "cisco-broadworks",
    ];
    let started = Instant::now();
    let (_, err) = common::expect_exit(
        s.akixi().env("AKIXI_SIM_FAULTS", "* p=1 503").args(args),
        &args,
        3,
    );
    let took = started.elapsed();
    eprintln!("stopped by the breaker after {took:?}");
    assert!(took < WITHIN, "{took:?}");
    assert!(
        err.contains("stopped: the service is not answering"),
        "{err}"
    );
    assert!(err.contains("8 requests in a row failed"), "{err}");
    assert!(
        err.contains("to resume, run the same command again") && err.contains("user import"),
        "{err}"
    );
    let records = each_row_recorded_once(&results, 60, &["failure", "not-sent"]);
    assert!(
        records.iter().any(|r| &r[2] == "not-sent"),
        "it stopped sending"
    );

    // The service is back: the same command finishes the file.
    let (out, _) = s.run(&args, 0);
    assert!(out.contains("60 succeeded"), "{out}");
    each_key_done_once(&results, 60);
    assert_eq!(users_of_file(&s.json(&["user", "list"], 0), "r").len(), 60);
}

#[test]
fn a_killed_server_stops_the_run_by_itself_and_a_restart_finishes_the_file() {
    let s = Sandbox::new();
    let state = s.path("served.sqlite");
    // Each add waits a little, so that the server dies mid-run.
    let mut server = SimServer::start(&state, "UserAdd p=1 latency=20");
    let n = 300;
    let (csv, results) = s.users_csv(HEADER, &rows(n, "k"));
    let file_args = common::import_args(&csv, "4", &results);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(["--url", &server.url, "--login", common::SERVER_ADMIN])
        .args(file_args)
        .env("AKIXI_PASSWORD", common::SERVER_PASSWORD)
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env_remove("AKIXI_PROFILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    wait_for_lines(&results, 30, WITHIN);
    server.kill();
    let killed = Instant::now();
    let status = wait_exit(&mut child, WITHIN);
    let took = killed.elapsed();
    let output = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&output.stderr);
    eprintln!("ended {took:?} after the kill");
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("the service is not answering"), "{err}");
    let records = each_row_recorded_once(
        &results,
        n,
        &["success", "unchanged", "failure", "not-sent"],
    );
    assert!(
        records.iter().any(|r| &r[2] == "success"),
        "some went through"
    );

    // Restarted on the same data (a new port): the same file, the same results file.
    let server = SimServer::start(&state, "");
    let out = server.akixi(&s).args(file_args).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    each_key_done_once(&results, n);
    let listed = server
        .akixi(&s)
        .args(["user", "list", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    assert_eq!(users_of_file(&doc, "k").len(), n);
}

#[test]
fn ctrl_c_stops_an_import_at_once_with_exit_130_and_the_results_file_whole() {
    let s = Sandbox::new();
    let n = 400;
    let (csv, results) = s.users_csv(HEADER, &rows(n, "c"));
    let args = common::import_args(&csv, "2", &results);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(args)
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env("AKIXI_SIM_FAULTS", "UserAdd p=1 latency=30")
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_PROFILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    wait_for_lines(&results, 20, WITHIN);
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let signalled = Instant::now();
    let status = wait_exit(&mut child, WITHIN);
    let took = signalled.elapsed();
    let output = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&output.stderr);
    eprintln!("exited {took:?} after SIGINT");
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let records = each_row_recorded_once(&results, n, &["success", "interrupted", "not-sent"]);
    assert!(
        records.iter().any(|r| &r[2] == "not-sent"),
        "stopped before the end"
    );

    let (out, _) = s.run(&args, 0);
    assert!(out.contains("skipped"), "{out}");
    each_key_done_once(&results, n);
    assert_eq!(users_of_file(&s.json(&["user", "list"], 0), "c").len(), n);
}
