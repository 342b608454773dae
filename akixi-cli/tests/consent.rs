//! Nothing destructive without consent: an apply that deletes needs `--yes` without a terminal
//! (exit 64, nothing sent), the blast-radius guard refuses a mass delete in plan and apply, an
//! export is marked complete and `--prune` refuses an export cut short, a delete that cascades
//! says what goes with it and asks; the same over HTTP against `akixi-sim serve` killed
//! mid-apply. (Answering on a terminal: `consent_pty.rs`.)

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, SimServer, wait_exit, wait_for_lines, write_csv};
use serde_json::Value;

const HEADER: &str = "Username,FullName,Scope.TelSysID";
/// The telephony server the test's users are scoped to; the demo users are on the others.
const SCOPE: [&str; 2] = ["--where", "Scope.TelSysID=4"];
/// The bound: a run ends by itself within this time of the service's death.
const WITHIN: Duration = Duration::from_secs(60);

fn user(i: usize) -> String {
    format!("c{i:03}@consent.invalid,User {i},4")
}

fn path(s: &Sandbox, name: &str) -> String {
    s.path(name).to_str().expect("utf-8").to_string()
}

/// Writes `name` with the users `ids`; its path.
fn file(s: &Sandbox, name: &str, ids: impl Iterator<Item = usize>) -> String {
    write_csv(&s.path(name), HEADER, &ids.map(user).collect::<Vec<_>>());
    path(s, name)
}

/// The test's users the service lists, from a `user list --format json` document.
fn ours(doc: &Value) -> Vec<String> {
    common::usernames_in(doc)
        .into_iter()
        .filter(|u| u.ends_with("@consent.invalid"))
        .collect()
}

fn users(s: &Sandbox) -> Vec<String> {
    ours(&s.json(&["user", "list"], 0))
}

/// Imports the users `0..n`.
fn import(s: &Sandbox, n: usize) {
    let start = file(s, "start.csv", 0..n);
    s.run(&["user", "import", &start, "--concurrency", "8"], 0);
}

fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

#[test]
fn an_apply_that_deletes_needs_yes_without_a_terminal() {
    let s = Sandbox::new();
    import(&s, 5);
    // Keep 0–2, add 5: two to delete.
    let desired = file(&s, "desired.csv", (0..3).chain(5..6));
    let apply = with(&["user", "apply", &desired, "--prune"], &SCOPE);
    let (out, err) = s.run(&apply, 64);
    assert!(out.contains("- delete c003@consent.invalid"), "{out}");
    assert!(
        err.contains("This apply deletes 2 of the 5 User entries")
            && err.contains("  - c004@consent.invalid")
            && err.contains("needs consent")
            && err.contains("--yes (or --auto-approve)")
            && err.contains("nothing was sent"),
        "{err}"
    );
    // Nothing was sent: not the deletes, not the add either.
    assert_eq!(users(&s).len(), 5);
    // An apply that deletes nothing asks nothing.
    s.run(&["user", "apply", &desired], 0);
    assert_eq!(users(&s).len(), 6);
    // --yes approves; --auto-approve is the same flag.
    s.run(&with(&apply, &["--yes"]), 0);
    let left = users(&s);
    assert_eq!(left.len(), 4, "{left:?}");
    assert!(!left.iter().any(|u| u.starts_with("c003")), "{left:?}");
    let fewer = file(&s, "fewer.csv", 0..1);
    s.run(
        &with(
            &["user", "apply", &fewer, "--prune", "--auto-approve"],
            &SCOPE,
        ),
        0,
    );
    assert_eq!(users(&s), vec!["c000@consent.invalid".to_string()]);
}

#[test]
fn the_blast_radius_guard_refuses_a_mass_delete_in_plan_and_apply() {
    let s = Sandbox::new();
    import(&s, 60);
    // One row kept: 59 of the 60 entries of the scope would go, more than 50 (the floor).
    let one = file(&s, "one.csv", 0..1);
    let (out, err) = s.run(&with(&["user", "plan", &one, "--prune"], &SCOPE), 1);
    assert!(out.contains("59 to delete"), "the plan is shown: {out}");
    assert!(
        err.contains("apply would refuse this plan")
            && err.contains("deletes 59 of the 60 User entries in the scope (98%)")
            && err.contains("blast-radius limit of 50")
            && err.contains("--allow-mass-delete"),
        "{err}"
    );
    let (_, err) = s.run(
        &with(&["user", "apply", &one, "--prune", "--yes"], &SCOPE),
        1,
    );
    assert!(
        err.contains("blast-radius") && err.contains("nothing was sent"),
        "{err}"
    );
    assert_eq!(users(&s).len(), 60);
    // Ten to delete: within the default; --max-delete sets another limit, a count or a share.
    let fifty = file(&s, "fifty.csv", 0..50);
    let plan = with(&["user", "plan", &fifty, "--prune"], &SCOPE);
    s.run(&plan, 0);
    let (_, err) = s.run(&with(&plan, &["--max-delete", "5"]), 1);
    assert!(err.contains("limit of 5 (--max-delete 5)"), "{err}");
    s.run(&with(&plan, &["--max-delete", "20%"]), 0);
    let (_, err) = s.run(&with(&plan, &["--max-delete", "lots"]), 64);
    assert!(err.contains("expected a number"), "{err}");
    // Allowed, and approved: done.
    s.run(
        &with(
            &[
                "user",
                "apply",
                &one,
                "--prune",
                "--yes",
                "--allow-mass-delete",
            ],
            &SCOPE,
        ),
        0,
    );
    assert_eq!(users(&s), vec!["c000@consent.invalid".to_string()]);
}

/// `akixi user export --tel-sys-id 4` into `out` (standard output redirected to the file, as a
/// shell's `>` does), with `faults` for the embedded simulator; its exit code and stderr.
fn export_to(s: &Sandbox, out: &Path, faults: &str) -> (Option<i32>, String) {
    let output = Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(["user", "export", "--tel-sys-id", "4"])
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env("AKIXI_SIM_FAULTS", faults)
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(out).expect("create"))
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_export_is_marked_complete_and_prune_refuses_one_cut_short() {
    let s = Sandbox::new();
    import(&s, 5);
    let export = s.path("users.csv");
    let marker = s.path("users.csv.complete");
    let (code, err) = export_to(&s, &export, "");
    assert_eq!(code, Some(0), "{err}");
    let mark: Value =
        serde_json::from_str(&std::fs::read_to_string(&marker).expect("the marker")).expect("json");
    assert_eq!(mark["family"], "User", "{mark}");
    assert_eq!(mark["entries"], 5, "{mark}");
    let file = path(&s, "users.csv");
    let plan = with(&["user", "plan", &file, "--prune"], &SCOPE);
    let (out, _) = s.run(&plan, 0);
    assert!(out.contains("0 to delete, 5 unchanged"), "{out}");

    // Cut short: refused for pruning, with what the marker says; fine without --prune.
    let text = std::fs::read_to_string(&export).expect("export");
    let cut: Vec<&str> = text.lines().take(4).collect();
    std::fs::write(&export, cut.join("\n") + "\n").expect("write");
    let (_, err) = s.run(&plan, 64);
    assert!(
        err.contains("does not match its completeness marker")
            && err.contains("the export wrote 5 entries")
            && err.contains("the file now holds 3 entries")
            && err.contains("--trust-file"),
        "{err}"
    );
    s.run(&with(&["user", "plan", &file], &SCOPE), 0);
    let (out, err) = s.run(&with(&plan, &["--trust-file"]), 0);
    assert!(out.contains("2 to delete"), "{out}");
    assert!(err.contains("(--trust-file)"), "{err}");
    // Without a marker, the file is the operator's own (a header cannot tell).
    std::fs::remove_file(&marker).expect("remove");
    s.run(&plan, 0);
    // Nor can a pipe be checked.
    let (_, err) = s.run(&with(&["user", "plan", "-", "--prune"], &SCOPE), 64);
    assert!(err.contains("standard input"), "{err}");

    // A clean export, then one that fails half way into the same file: the stale marker goes,
    // the in-progress one stays, and the file is refused for pruning.
    let in_progress = s.path("users.csv.incomplete");
    let (code, _) = export_to(&s, &export, "");
    assert_eq!(code, Some(0));
    assert!(marker.exists() && !in_progress.exists());
    let (code, err) = export_to(&s, &export, "seed=3; UserInfo p=0.5 code=11201");
    assert_ne!(code, Some(0), "the export fails: {err}");
    assert!(!marker.exists(), "no marker beside a failed export");
    let (_, err) = s.run(&plan, 64);
    assert!(
        err.contains("is an export that did not finish")
            && err.contains("users.csv.incomplete marks it in progress"),
        "{err}"
    );
    assert_eq!(users(&s).len(), 5);
}

#[test]
fn a_delete_that_cascades_says_what_goes_with_it_and_asks() {
    let s = Sandbox::new();
    let partition = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "2"];
    let devices = || {
        s.json(&with(&["device", "list"], &partition), 0)["records"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(devices(), 3, "the demo partition's devices");
    let delete = with(&["partition", "delete"], &partition);
    let (_, err) = s.run(&delete, 64);
    assert!(
        err.contains("Deleting Partition 1/2 also deletes what references it")
            && err.contains("3 devices: 1/2/2001, 1/2/2002, 1/2/2900")
            && err.contains("2 directory entries")
            && err.contains("--yes")
            && err.contains("nothing was deleted"),
        "{err}"
    );
    assert_eq!(devices(), 3, "nothing deleted");
    let (out, err) = s.run(&with(&delete, &["--yes"]), 0);
    assert!(out.contains("ok"), "{out}");
    assert!(
        err.contains("deleted Partition 1/2 and its") && err.contains("3 devices"),
        "{err}"
    );
    let (_, err) = s.run(&with(&["device", "list"], &partition), 1);
    assert!(err.contains("no Partition 1, 2"), "{err}");
    // A delete that takes nothing with it asks nothing: a user, an empty partition.
    import(&s, 1);
    s.run(&["user", "delete", "--username", "c000@consent.invalid"], 0);
    let (_, err) = s.run(
        &[
            "partition",
            "delete",
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "3",
        ],
        0,
    );
    assert!(!err.contains("Deleting"), "{err}");
}

#[test]
fn over_http_a_killed_server_ends_the_apply_and_nothing_is_deleted_without_consent() {
    let s = Sandbox::new();
    let state = s.path("served.sqlite");
    // Each add waits a little, so that the server dies mid-apply.
    let mut server = SimServer::start(&state, "UserAdd p=1 latency=20");
    let listed = |server: &SimServer| -> Vec<String> {
        let out = server
            .akixi(&s)
            .args(["user", "list", "--format", "json"])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        ours(&serde_json::from_slice(&out.stdout).expect("json"))
    };
    let start = file(&s, "start.csv", 0..5);
    let out = server
        .akixi(&s)
        .args(["user", "import", &start])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    // Keep 0–2 and add 300: two to delete, after the adds.
    let desired = file(&s, "desired.csv", (0..3).chain(100..400));
    let apply = with(&["user", "apply", &desired, "--prune"], &SCOPE);
    // Without a terminal and without --yes: nothing is sent.
    let (_, err) = common::expect_exit(server.akixi(&s).args(&apply), &apply, 64);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(listed(&server).len(), 5);

    // Approved, then the server dies mid-apply: the run ends by itself, and the prune, which
    // waits for a clean run, was never sent.
    let results = path(&s, "results.csv");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(["--url", &server.url, "--login", common::SERVER_ADMIN])
        .args(&apply)
        .args(["--yes", "--concurrency", "4", "--results", &results])
        .env("AKIXI_PASSWORD", common::SERVER_PASSWORD)
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env_remove("AKIXI_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    wait_for_lines(s.path("results.csv").as_path(), 30, WITHIN);
    server.kill();
    let killed = Instant::now();
    let status = wait_exit(&mut child, WITHIN);
    let output = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&output.stderr);
    eprintln!("ended {:?} after the kill", killed.elapsed());
    assert!(!status.success(), "{err}");
    let server = SimServer::start(&state, "");
    let after = listed(&server);
    for kept in ["c003@consent.invalid", "c004@consent.invalid"] {
        assert!(after.iter().any(|u| u == kept), "{kept} deleted: {err}");
    }
    // Once the service is back, the same approved apply converges.
    let (_, _) = common::expect_exit(server.akixi(&s).args(&apply).arg("--yes"), &apply, 0);
    let after = listed(&server);
    assert_eq!(after.len(), 303, "{after:?}");
    assert!(!after.iter().any(|u| u.starts_with("c004")), "{after:?}");
}

#[test]
fn an_export_killed_half_way_is_refused_for_pruning() {
    let s = Sandbox::new();
    import(&s, 20);
    let export = s.path("users.csv");
    // Each Info waits, so that the export is still running when it is killed.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("akixi"))
        .args(["user", "export", "--tel-sys-id", "4", "--concurrency", "1"])
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env("AKIXI_SIM_FAULTS", "UserInfo p=1 latency=200")
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&export).expect("create"))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let in_progress = s.path("users.csv.incomplete");
    let started = Instant::now();
    while !in_progress.exists() {
        assert!(started.elapsed() < WITHIN, "no in-progress marker");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    child.kill().expect("kills");
    let _ = child.wait();
    assert!(!s.path("users.csv.complete").exists());
    let file = path(&s, "users.csv");
    let (_, err) = s.run(&with(&["user", "plan", &file, "--prune"], &SCOPE), 64);
    assert!(err.contains("did not finish"), "{err}");
    assert_eq!(users(&s).len(), 20);
}
