//! `akixi em …` against the embedded simulator (a fresh state file per test, unless a test
//! shares one between invocations: the EM simulator keeps its logins in the state file).

mod common;

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const CERTIFICATE: &str = "cert-that-must-not-be-printed";

fn akixi(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("akixi").expect("binary");
    c.env("AKIXI_SIM_STATE", dir.path().join("sim.sqlite"))
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_EM_APP_CERTIFICATE")
        .timeout(Duration::from_secs(120));
    c
}

fn run(args: &[&str], code: i32) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    run_in(&dir, args, code)
}

fn run_in(dir: &tempfile::TempDir, args: &[&str], code: i32) -> (String, String) {
    let (so, se) = common::expect_exit(
        akixi(dir)
            .env("AKIXI_EM_APP_CERTIFICATE", CERTIFICATE)
            .args(args),
        args,
        code,
    );
    assert!(
        !so.contains(CERTIFICATE) && !se.contains(CERTIFICATE),
        "the certificate was printed: {so}{se}"
    );
    (so, se)
}

fn json(so: &str) -> Value {
    serde_json::from_str(so.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {so}"))
}

#[test]
fn logout_all_succeeds_and_nobody_is_logged_in() {
    let (so, _) = run(&["em", "logout-all"], 0);
    assert!(so.contains("success"), "{so}");
    // The seed's own spelling names the same action.
    let (so, _) = run(&["em", "LogoutALL", "--format", "json"], 0);
    let doc = json(&so);
    assert_eq!(doc["branch"], "success");
    assert_eq!(doc["ErrorCode"], 0);
    // A fresh simulator (nobody is logged in to the seed's devices).
    let (so, _) = run(
        &[
            "em",
            "query-devices",
            "--device-names",
            "SEP001122334455,SEP001122334466",
            "--format",
            "json",
        ],
        0,
    );
    let doc = json(&so);
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{doc}");
    for r in results {
        assert_eq!(r["State"], "none", "{doc}");
        assert_eq!(r["UserId"], "", "{doc}");
    }
    let (table, _) = run(
        &["em", "query-devices", "--device-names", "SEP001122334455"],
        0,
    );
    assert!(
        table.contains("SEP001122334455") && table.contains("none"),
        "{table}"
    );
}

#[test]
fn logout_all_with_v333_is_a_usage_error() {
    let (_, err) = run(&["em", "logout-all", "--version", "v333"], 64);
    assert!(err.contains("v333"), "{err}");
}

#[test]
fn bad_values_and_missing_parameters_are_usage_errors() {
    run(&["em", "login", "--device-name", "SEP001122334455"], 64);
    let (_, err) = run(
        &[
            "em",
            "login",
            "--device-name",
            "SEP001122334455",
            "--user-id",
            "jdoe",
            "--timeout",
            "-1",
            "--version",
            "v9",
        ],
        64,
    );
    assert!(
        err.contains("--timeout") && err.contains("--version"),
        "{err}"
    );
    run(&["em", "logout-all", "--app-certificate", "x"], 64);
}

#[test]
fn an_unreachable_host_fails_with_the_seeds_view() {
    let (so, err) = run(
        &[
            "em",
            "logout-all",
            "--call-manager-host",
            "127.0.0.1:1",
            "--app-id",
            "emapp",
            "--request-timeout",
            "5",
            "--format",
            "json",
        ],
        1,
    );
    let doc = json(&so);
    assert_eq!(doc["branch"], "failure", "{doc}");
    assert_eq!(doc["ErrorCode"], 0, "{doc}");
    // The seed: ErrorMessage is null when the service did not answer.
    assert!(doc["ErrorMessage"].is_null(), "{doc}");
    assert!(err.contains("ErrorCode 0, ErrorMessage null"), "{err}");
}

#[test]
fn a_wrong_certificate_is_refused_by_the_simulator() {
    // --app-id given: the certificate comes from AKIXI_EM_APP_CERTIFICATE, not the defaults.
    let (so, err) = run(
        &["em", "logout-all", "--app-id", "emapp", "--format", "json"],
        1,
    );
    let doc = json(&so);
    assert_eq!(doc["branch"], "failure", "{doc}");
    assert_eq!(doc["ErrorCode"], 3, "{doc}");
    assert!(err.contains("ErrorCode 3"), "{err}");
}

#[test]
fn help_lists_the_six_actions() {
    let (so, _) = run(&["em", "--help"], 0);
    for a in [
        "login",
        "logout",
        "logout-all",
        "query-users",
        "query-devices",
        "query-device-profiles",
    ] {
        assert!(so.contains(a), "{a}: {so}");
    }
}

#[test]
fn logins_carry_from_one_invocation_to_the_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let device = akixi_sim::em::DEVICES[0].name;
    let user = akixi_sim::em::USERS[0].id;
    run_in(
        &dir,
        &["em", "login", "--device-name", device, "--user-id", user],
        0,
    );
    let query = [
        "em",
        "query-devices",
        "--device-names",
        device,
        "--format",
        "json",
    ];
    let (so, _) = run_in(&dir, &query, 0);
    let doc = json(&so);
    assert_eq!(doc["results"][0]["UserId"], user, "{doc}");
    run_in(&dir, &["em", "logout", "--device-name", device], 0);
    let (so, _) = run_in(&dir, &query, 0);
    assert_eq!(json(&so)["results"][0]["State"], "none", "{so}");
}
