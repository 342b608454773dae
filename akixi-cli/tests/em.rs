//! `akixi em …` against the embedded simulator (a fresh state file per test, unless a test
//! shares one between invocations: the EM simulator keeps its logins in the state file).

mod common;

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const CERTIFICATE: &str = "cert-that-must-not-be-printed";

/// A logout-all sent to a host where nothing listens.
const UNREACHABLE: [&str; 6] = [
    "em",
    "logout-all",
    "--call-manager-host",
    "127.0.0.1:1",
    "--app-id",
    "emapp",
];

fn akixi(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("akixi").expect("binary");
    c.env("AKIXI_SIM_STATE", dir.path().join("sim.sqlite"))
        .env("AKIXI_CONFIG", dir.path().join("config.toml"))
        .env_remove("AKIXI_PROFILE")
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

/// `em login --device-name DEVICE --user-id USER`, then `more`.
fn login<'a>(device: &'a str, user: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["em", "login", "--device-name", device, "--user-id", user];
    args.extend_from_slice(more);
    args
}

fn json(so: &str) -> Value {
    serde_json::from_str(so.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {so}"))
}

#[test]
fn logout_all_succeeds_and_nobody_is_logged_in() {
    // A success prints its result, as an Akixi change does, not the seed's three fields.
    let (so, _) = run(&["em", "logout-all"], 0);
    assert_eq!(so, "ok\n");
    // The seed's own spelling names the same action.
    let (so, _) = run(&["em", "LogoutALL", "--format", "json"], 0);
    let doc = json(&so);
    assert_eq!(doc["operation"], "LogoutAll");
    assert_eq!(doc["result"], "Success");
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
    let results = doc["records"].as_array().expect("records");
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

/// A missing parameter, or a value outside its type, is refused before anything is sent; a
/// value is checked as the Akixi commands check theirs (when the command line is read: the
/// first bad value is named, with what is allowed).
#[test]
fn bad_values_and_missing_parameters_are_usage_errors() {
    run(&["em", "login", "--device-name", "SEP001122334455"], 64);
    for (flag, value, allowed) in [
        ("--logout-after", "-1", "from 0 to"),
        ("--version", "v9", "use one of: Undefined, v333, other"),
    ] {
        let (_, err) = run(&login("SEP001122334455", "jdoe", &[flag, value]), 64);
        assert!(err.contains(flag) && err.contains(allowed), "{err}");
    }
    run(&["em", "logout-all", "--app-certificate", "x"], 64);
}

#[test]
fn a_refused_connection_says_so_and_the_json_keeps_the_seeds_null() {
    let (so, err) = run(
        &[&UNREACHABLE[..], &["--timeout", "5", "--format", "json"]].concat(),
        1,
    );
    let doc = json(&so);
    assert_eq!(doc["result"], "Error", "{doc}");
    assert_eq!(doc["branch"], "failure", "{doc}");
    assert_eq!(doc["ErrorCode"], 0, "{doc}");
    // The seed: ErrorMessage is null when the service did not answer.
    assert!(doc["ErrorMessage"].is_null(), "{doc}");
    assert!(doc["errors"][0]["message"].as_str().is_some(), "{doc}");
    let (_, err_table) = run(&UNREACHABLE, 1);
    for e in [&err, &err_table] {
        assert!(
            e.contains("LogoutAll failed: cannot connect to http://127.0.0.1:1/"),
            "{e}"
        );
        assert!(e.contains("refused"), "{e}");
        assert!(!e.contains("ErrorCode") && !e.contains("null"), "{e}");
        // The target is named first.
        assert!(
            e.starts_with("→ http://127.0.0.1:1/emservice/EMServiceServlet as emapp\n"),
            "{e}"
        );
    }
}

#[test]
fn a_wrong_certificate_is_refused_by_the_simulator() {
    // --app-id given: the certificate comes from AKIXI_EM_APP_CERTIFICATE, not the defaults.
    let (so, err) = run(
        &["em", "logout-all", "--app-id", "emapp", "--format", "json"],
        1,
    );
    let doc = json(&so);
    assert_eq!(doc["result"], "Fail", "{doc}");
    assert_eq!(doc["branch"], "failure", "{doc}");
    assert_eq!(doc["ErrorCode"], 3, "{doc}");
    assert_eq!(doc["errors"][0]["code"], 3, "{doc}");
    assert!(err.contains("akixi: LogoutAll failed: 3 "), "{err}");
}

/// A failure is one line: the action, the code and the message once.
#[test]
fn errors_print_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let device = akixi_sim::em::DEVICES[0].name;
    let [first, second, ..] = akixi_sim::em::USERS else {
        panic!("two users")
    };
    run_in(&dir, &login(device, first.id, &[]), 0);
    let (so, err) = run_in(&dir, &login(device, second.id, &[]), 1);
    assert_eq!(so, "", "a failure prints nothing on standard output");
    let failure: Vec<&str> = err.lines().filter(|l| l.starts_with("akixi:")).collect();
    assert_eq!(failure.len(), 1, "{err}");
    let line = failure[0];
    assert!(line.starts_with("akixi: Login failed: "), "{line}");
    let rest = &line["akixi: Login failed: ".len()..];
    let (code, message) = rest.split_once(' ').expect("code and message");
    assert!(code.parse::<u32>().is_ok(), "{line}");
    assert_eq!(line.matches(code).count(), 1, "{line}");
    assert_eq!(line.matches(message).count(), 1, "{line}");
    for noise in ["branch", "ErrorCode", "ErrorMessage", "failure"] {
        assert!(!line.contains(noise), "{noise}: {line}");
    }
}

/// Login, logout and logout-all name their target on standard error before anything else;
/// the queries do not.
#[test]
fn the_writing_actions_name_their_target_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let device = akixi_sim::em::DEVICES[0].name;
    let user = akixi_sim::em::USERS[0].id;
    let state = dir.path().join("sim.sqlite");
    let target = format!("→ embedded simulator ({})\n", state.display());
    for args in [
        vec!["em", "login", "--device-name", device, "--user-id", user],
        vec!["em", "logout", "--device-name", device],
        vec!["em", "logout-all"],
    ] {
        let (_, err) = run_in(&dir, &args, 0);
        assert!(err.starts_with(&target), "{args:?}: {err}");
    }
    for args in [
        vec!["em", "query-devices", "--device-names", device],
        vec!["em", "query-users", "--user-ids", user],
        vec!["em", "query-device-profiles", "--user-ids", user],
    ] {
        let (_, err) = run_in(&dir, &args, 0);
        assert!(!err.contains('→'), "{args:?}: {err}");
    }
}

/// `--timeout` is the request timeout, as in every other command (also before `em`); the
/// auto-logout duration is `--logout-after`, and `--no-timeout` is a switch.
#[test]
fn timeout_is_the_request_timeout_and_no_timeout_a_switch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let device = akixi_sim::em::DEVICES[1].name;
    let user = akixi_sim::em::USERS[1].id;
    run_in(
        &dir,
        &[
            "--timeout",
            "7",
            "em",
            "login",
            "--device-name",
            device,
            "--user-id",
            user,
            "--logout-after",
            "60",
        ],
        0,
    );
    run_in(
        &dir,
        &["em", "logout", "--device-name", device, "--timeout", "7"],
        0,
    );
    run_in(&dir, &login(device, user, &["--no-timeout"]), 0);
    // A switch takes no value.
    let (_, err) = run_in(&dir, &login(device, user, &["--no-timeout", "true"]), 64);
    assert!(err.contains("true"), "{err}");
    // Both at once are refused before sending, naming the flags.
    let (_, err) = run_in(
        &dir,
        &login(device, user, &["--no-timeout", "--logout-after", "5"]),
        64,
    );
    assert!(err.contains("Login failed"), "{err}");
    let (_, err) = run_in(
        &dir,
        &[
            "em",
            "query-devices",
            "--device-names",
            device,
            "--timeout",
            "x",
        ],
        64,
    );
    assert!(err.contains("--timeout"), "{err}");
}

/// The three queries' lists: `--user-ids` and `--device-names` (the spec's `--users` still read).
#[test]
fn the_queries_list_flags_are_spelt_alike() {
    let user = akixi_sim::em::USERS[0].id;
    for command in ["query-users", "query-device-profiles"] {
        let (so, _) = run(&["em", command, "--user-ids", user, "--format", "json"], 0);
        assert_eq!(json(&so)["result"], "Success", "{so}");
        let (help, _) = run(&["em", command, "--help"], 0);
        assert!(help.contains("--user-ids <STRINGLIST>"), "{help}");
    }
    run(&["em", "query-users", "--users", user], 0);
    let (help, _) = run(&["em", "query-devices", "--help"], 0);
    assert!(help.contains("--device-names <STRINGLIST>"), "{help}");
}

/// A profile may carry the EM host and application user: `akixi --profile NAME em …` goes
/// there as that user (the certificate from the environment).
#[test]
fn a_profile_carries_the_em_host_and_app_user() {
    let sandbox = common::Sandbox::new();
    let server = common::SimServer::start(&sandbox.state(), "");
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    std::fs::write(
        sandbox.path("config.toml"),
        format!(
            "[profiles.acme]\nem-host = \"{host}\"\nem-app-user = \"{}\"\ntimeout = 9\n",
            akixi_sim::em::APP_ID
        ),
    )
    .expect("config");
    let mut cmd = sandbox.akixi();
    cmd.env("AKIXI_EM_APP_CERTIFICATE", akixi_sim::em::APP_CERTIFICATE);
    let args = ["--profile", "acme", "em", "logout-all", "--format", "json"];
    let (so, err) = common::expect_exit(cmd.args(args), &args, 0);
    assert_eq!(json(&so)["result"], "Success", "{so}{err}");
    assert!(
        err.starts_with(&format!(
            "→ profile acme: http://{host}/emservice/EMServiceServlet as {}\n",
            akixi_sim::em::APP_ID
        )),
        "{err}"
    );
    // A flag overrides the profile's host.
    let mut cmd = sandbox.akixi();
    cmd.env("AKIXI_EM_APP_CERTIFICATE", akixi_sim::em::APP_CERTIFICATE);
    let args = [&["--profile", "acme"][..], &UNREACHABLE].concat();
    let (_, err) = common::expect_exit(cmd.args(&args), &args, 1);
    assert!(
        err.contains("cannot connect to http://127.0.0.1:1/"),
        "{err}"
    );
    assert!(!err.contains("profile acme"), "{err}");
}

/// The options under "Connection and output" of an em command and an Akixi command.
fn global_options(help: &str) -> Vec<String> {
    let section = help
        .split_once("Connection and output:")
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no Connection and output heading: {help}"));
    // Until the next heading; an option's line starts with its flags, its help may wrap.
    section
        .lines()
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("--"))
                .map(|w| w.trim_end_matches(',').to_string())
        })
        .collect()
}

/// `akixi em` has the options every group has, under the same heading, and the same JSON
/// envelope (what the seed's view adds is beside it).
#[test]
fn em_commands_have_the_akixi_commands_options_and_json_envelope() {
    let sandbox = common::Sandbox::new();
    let (em_help, _) = sandbox.run(&["em", "login", "--help"], 0);
    let (akixi_help, _) = sandbox.run(&["user", "add", "--help"], 0);
    let em = global_options(&em_help);
    let akixi = global_options(&akixi_help);
    for option in ["--format", "--timeout", "--verbose", "--profile"] {
        assert!(em.contains(&option.to_string()), "{option}: {em:?}");
        assert!(akixi.contains(&option.to_string()), "{option}: {akixi:?}");
    }
    // Each option the two share is spelt and introduced alike.
    let line = |help: &str, option: &str| {
        help.lines()
            .find(|l| l.split_whitespace().any(|w| w == option))
            .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
    };
    for option in ["--timeout", "--profile"] {
        assert_eq!(
            line(&em_help, option),
            line(&akixi_help, option),
            "{option}"
        );
    }

    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    let envelope = |v: &Value| -> Vec<String> {
        keys(v)
            .into_iter()
            .filter(|k| ["operation", "result", "records", "errors"].contains(&k.as_str()))
            .collect()
    };
    // Success: a list (records) and an em query.
    let akixi_ok = sandbox.json(&["user", "list"], 0);
    let em_ok = sandbox.json(
        &["em", "query-devices", "--device-names", "SEP001122334455"],
        0,
    );
    assert_eq!(
        envelope(&em_ok),
        envelope(&akixi_ok),
        "{em_ok} / {akixi_ok}"
    );
    assert_eq!(em_ok["result"], akixi_ok["result"]);
    // Failure: the errors, each with a code and a message.
    let akixi_fail = sandbox.json(&["user", "info", "--username", "nobody@example.invalid"], 1);
    let mut cmd = sandbox.akixi();
    cmd.env("AKIXI_EM_APP_CERTIFICATE", "wrong");
    let args = ["em", "logout-all", "--app-id", "emapp", "--format", "json"];
    let (so, _) = common::expect_exit(cmd.args(args), &args, 1);
    let em_fail = json(&so);
    assert_eq!(
        envelope(&em_fail),
        envelope(&akixi_fail),
        "{em_fail} / {akixi_fail}"
    );
    assert_eq!(em_fail["result"], akixi_fail["result"]);
    assert_eq!(keys(&em_fail["errors"][0]), keys(&akixi_fail["errors"][0]));
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
    run_in(&dir, &login(device, user, &[]), 0);
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
    assert_eq!(doc["records"][0]["UserId"], user, "{doc}");
    run_in(&dir, &["em", "logout", "--device-name", device], 0);
    let (so, _) = run_in(&dir, &query, 0);
    assert_eq!(json(&so)["records"][0]["State"], "none", "{so}");
}
