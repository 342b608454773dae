//! An import settles a row whose answer it never got only by reading the entity back: a lost
//! answer followed by "it exists" is a success only when the stored entity holds the row's
//! values, and a conflict naming the properties otherwise (another writer's entity); an
//! "already exists" answer to a row that may have been carried out before is checked the same
//! way. Two imports of overlapping rows at once never both record a row, and never record
//! one as a success holding the other run's values.

mod common;

use std::collections::HashMap;
use std::process::{Command as Process, Stdio};

use akixi_sim::{Config, FaultPlan, HashCost, Simulator};
use common::{Sandbox, expect_exit, write_csv};

const HEADER: &str = "Username,FullName";

/// The results file's records: `(key, outcome, message, attempts)`.
fn results(path: &std::path::Path) -> Vec<(String, String, String, String)> {
    csv::Reader::from_path(path)
        .expect("results")
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let field = |i| r.get(i).unwrap_or_default().to_owned();
            (field(1), field(2), field(4), field(5))
        })
        .collect()
}

/// Imports `rows` with `faults` injected into the embedded simulator, expecting exit `code`;
/// returns the summary (stdout and stderr) and the results file's records.
fn import(
    s: &Sandbox,
    rows: &[String],
    faults: &str,
    code: i32,
) -> (String, Vec<(String, String, String, String)>) {
    import_with_header(s, HEADER, rows, faults, code)
}

/// [`import`], of a file headed by `header`.
fn import_with_header(
    s: &Sandbox,
    header: &str,
    rows: &[String],
    faults: &str,
    code: i32,
) -> (String, Vec<(String, String, String, String)>) {
    let file = s.path("users.csv");
    write_csv(&file, header, rows);
    let results_file = s.path("results.csv");
    let _ = std::fs::remove_file(&results_file);
    let args = [
        "user",
        "import",
        file.to_str().expect("utf-8"),
        "--concurrency",
        "1",
        "--results",
        results_file.to_str().expect("utf-8"),
    ];
    let mut cmd = s.akixi();
    if faults.is_empty() {
        cmd.env_remove("AKIXI_SIM_FAULTS");
    } else {
        cmd.env("AKIXI_SIM_FAULTS", faults);
    }
    let (out, err) = expect_exit(cmd.args(args), &args, code);
    (format!("{out}{err}"), results(&results_file))
}

fn stored_full_name(s: &Sandbox, username: &str) -> String {
    let doc = s.json(&["user", "info", "--username", username], 0);
    doc["records"][0]["FullName"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_lost_answer_for_a_row_another_writer_made_with_other_values_is_a_conflict() {
    let s = Sandbox::new();
    // Another writer made the user first, with its own name.
    s.add_user("taken@verify.invalid", &["--full-name", "Other Writer"], 0);
    // This run's add of it is refused as a duplicate, but the answer is lost: the entity exists,
    // and only its values tell whose it is.
    let (summary, records) = import(
        &s,
        &[
            "taken@verify.invalid,This Run".to_owned(),
            "fresh@verify.invalid,Fresh".to_owned(),
        ],
        "UserAdd first=1 reset-after",
        2,
    );
    assert!(
        summary.contains("1 succeeded") && summary.contains("1 in conflict"),
        "{summary}"
    );
    let (_, outcome, message, _) = records
        .iter()
        .find(|r| r.0 == "taken@verify.invalid")
        .expect("recorded");
    assert_eq!(outcome, "conflict", "{message}");
    assert!(
        message.contains("FullName: Other Writer ≠ This Run"),
        "names the property and both values: {message}"
    );
    // Nothing was overwritten, and the other row went through.
    assert_eq!(stored_full_name(&s, "taken@verify.invalid"), "Other Writer");
    assert_eq!(stored_full_name(&s, "fresh@verify.invalid"), "Fresh");
}

#[test]
fn a_lost_answer_for_a_row_whose_entity_holds_its_values_is_a_success() {
    let s = Sandbox::new();
    s.add_user("same@verify.invalid", &["--full-name", "Same Name"], 0);
    // Carried out by this run (answer lost), and made earlier with the same values: both hold
    // what the row says.
    let (summary, records) = import(
        &s,
        &[
            "made@verify.invalid,Made Here".to_owned(),
            "same@verify.invalid,Same Name".to_owned(),
        ],
        "UserAdd first=2 reset-after",
        0,
    );
    assert!(summary.contains("2 succeeded"), "{summary}");
    for (key, outcome, message, attempts) in &records {
        assert_eq!(outcome, "success", "{key}: {message}");
        assert_eq!(attempts, "1", "{key}: read back, not sent again: {message}");
        assert!(message.contains("it was carried out"), "{key}: {message}");
    }
    assert_eq!(stored_full_name(&s, "made@verify.invalid"), "Made Here");

    // A password is never read back: the success says it was not compared.
    let (summary, records) = import_with_header(
        &s,
        "Username,FullName,Password",
        &["same@verify.invalid,Same Name,Correct-Horse-9".to_owned()],
        "UserAdd first=1 reset-after",
        0,
    );
    assert!(summary.contains("1 succeeded"), "{summary}");
    assert!(
        records[0]
            .2
            .contains("not compared, never read back: Password"),
        "{records:?}"
    );
}

#[test]
fn a_property_the_stored_entity_does_not_hold_is_a_difference() {
    let s = Sandbox::new();
    // Another writer's user, without an e-mail address; the row gives one (and the same name).
    s.add_user("bare@verify.invalid", &["--full-name", "Bare"], 0);
    let (summary, records) = import_with_header(
        &s,
        "Username,FullName,EmailAddr",
        &["bare@verify.invalid,Bare,bare@mail.invalid".to_owned()],
        "UserAdd first=1 reset-after",
        2,
    );
    assert!(summary.contains("1 in conflict"), "{summary}");
    let (_, outcome, message, _) = &records[0];
    assert_eq!(outcome, "conflict", "{message}");
    assert!(
        message.contains("EmailAddr: (not set) ≠ bare@mail.invalid")
            && !message.contains("FullName"),
        "{message}"
    );
}

#[test]
fn an_already_exists_answer_after_a_lost_answer_is_checked_against_the_stored_entity() {
    // The add is carried out and its answer lost; the check that follows fails too (the
    // service is going down), so the row is sent again and answered "already exists". The
    // read-back then settles it: this run's values, a success (it used to be recorded as a
    // failure until a resumed run) …
    let s = Sandbox::new();
    let faults = "UserAdd first=1 reset-after; UserInfo first=1 code=10000";
    let (summary, records) = import(
        &s,
        &["inflight@verify.invalid,In Flight".to_owned()],
        faults,
        0,
    );
    assert!(summary.contains("1 succeeded"), "{summary}");
    let (_, outcome, message, attempts) = &records[0];
    assert_eq!(outcome, "success", "{message}");
    assert_eq!(attempts, "2", "{message}");
    assert!(
        message.contains("already exists after a lost answer (it matches the row)"),
        "{message}"
    );

    // … and another writer's values, a conflict naming them.
    let s = Sandbox::new();
    s.add_user(
        "inflight@verify.invalid",
        &["--full-name", "Someone Else"],
        0,
    );
    let (summary, records) = import(
        &s,
        &["inflight@verify.invalid,In Flight".to_owned()],
        faults,
        2,
    );
    assert!(summary.contains("1 in conflict"), "{summary}");
    let (_, outcome, message, _) = &records[0];
    assert_eq!(outcome, "conflict", "{message}");
    assert!(
        message.contains("FullName: Someone Else ≠ In Flight"),
        "{message}"
    );

    // On a first send of a fresh run, "already exists" is compared too (on every run): the
    // entity holds the row's values, so the row is unchanged (not claimed as this run's).
    let (summary, records) = import(
        &s,
        &["inflight@verify.invalid,Someone Else".to_owned()],
        "",
        0,
    );
    assert!(summary.contains("1 unchanged"), "{summary}");
    assert_eq!(records[0].1, "unchanged");
}

const ADMIN: &str = "root@verify.invalid";
const PASSWORD: &str = "verify-secret";

/// How many rows the two runs share.
const OVERLAP: usize = 120;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_imports_of_overlapping_rows_never_claim_the_other_runs_entity() {
    let s = Sandbox::new();
    // A third of the adds lose their answer after being carried out (or refused as duplicates).
    let plan: FaultPlan = "seed=29; UserAdd p=0.3 reset-after".parse().expect("rules");
    let sim = Simulator::start(
        Config::default()
            .state(s.path("remote.sqlite"))
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal)
            .faults(plan),
    )
    .await
    .expect("the simulator starts");
    let url = sim.url().to_owned();
    let password = s.path("password");
    std::fs::write(&password, PASSWORD).expect("writes");
    let runs = ["a", "b"];
    for run in runs {
        let rows: Vec<String> = (0..OVERLAP)
            .map(|i| format!("shared{i}@verify.invalid,Run {run} {i}"))
            .collect();
        write_csv(&s.path(&format!("{run}.csv")), HEADER, &rows);
    }
    let bin = assert_cmd::cargo::cargo_bin("akixi");
    let dir = s.path("");
    let outcomes = tokio::task::spawn_blocking(move || {
        // Both at once, on the same service.
        let children: Vec<_> = runs
            .iter()
            .map(|run| {
                Process::new(&bin)
                    .args(["user", "import"])
                    .arg(dir.join(format!("{run}.csv")))
                    .arg("--results")
                    .arg(dir.join(format!("{run}-results.csv")))
                    .args(["--concurrency", "4", "--url", &url, "--login", ADMIN])
                    .arg("--password-file")
                    .arg(&password)
                    .env("AKIXI_CONFIG", dir.join("config.toml"))
                    .env_remove("AKIXI_PROFILE")
                    .env_remove("AKIXI_URL")
                    .env_remove("AKIXI_PASSWORD")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("starts")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("runs");
            // Rows the other run made first conflict: exit 2 (or 0 if none did).
            assert!(
                matches!(out.status.code(), Some(0 | 2)),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        runs.map(|run| results(&dir.join(format!("{run}-results.csv"))))
    })
    .await
    .expect("joins");

    // What the service holds, read after both ended.
    let stored: HashMap<String, String> = {
        let url = sim.url().to_owned();
        let password = s.path("password").to_string_lossy().into_owned();
        let args = [
            "user",
            "list",
            "--url",
            &url,
            "--login",
            ADMIN,
            "--password-file",
            &password,
            "--format",
            "json",
        ];
        let out = s.akixi().args(args).output().expect("runs");
        assert!(out.status.success(), "{out:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        doc["records"]
            .as_array()
            .expect("records")
            .iter()
            .filter_map(|r| {
                Some((
                    r["Username"].as_str()?.to_owned(),
                    r["FullName"].as_str()?.to_owned(),
                ))
            })
            .collect()
    };
    let mut lost_answers = 0;
    for i in 0..OVERLAP {
        let key = format!("shared{i}@verify.invalid");
        let held = stored.get(&key).unwrap_or_else(|| panic!("{key} exists"));
        let mut successes = 0;
        for (run, records) in runs.iter().zip(&outcomes) {
            let (_, outcome, message, _) = records
                .iter()
                .find(|r| r.0 == key)
                .unwrap_or_else(|| panic!("run {run} recorded {key}"));
            // The notes of the lost-answer path (bulk.rs).
            if ["carried out", "lost answer", "differs"]
                .iter()
                .any(|note| message.contains(note))
            {
                lost_answers += 1;
            }
            if outcome == "success" {
                successes += 1;
                // A success holds this run's values, never the other's.
                assert_eq!(
                    held,
                    &format!("Run {run} {i}"),
                    "run {run}: {key}: {message}"
                );
            }
        }
        assert_eq!(successes, 1, "{key}: exactly one run made it");
    }
    assert!(
        lost_answers > OVERLAP / 10,
        "the faults lost answers ({lost_answers}), so the read-back was exercised"
    );
}
