//! Desired state: `plan`, `apply` and `drift` on a thousand users (an exact plan, then
//! convergence), within a scope, with the billable change, the detailed exit code, saved plans
//! refused when either side changed, secrets never shown, and the same on two other families.

mod common;

use common::{Sandbox, write_csv};
use serde_json::Value;

const HEADER: &str = "Username,FullName,LockOut,Scope.TelSysID,Permissions.NonAdmin";
/// The telephony server the test's users are scoped to; the demo users are on the others.
const SERVER: &str = "4";

fn user(i: usize, name: &str, locked: &str, tokens: &str) -> String {
    format!("user{i:04}@example.com,{name},{locked},{SERVER},\"{tokens}\"")
}

fn path(s: &Sandbox, name: &str) -> String {
    s.path(name).to_str().expect("utf-8").to_string()
}

/// A thousand users on the test's server, imported.
fn thousand(s: &Sandbox) -> Vec<String> {
    let rows: Vec<String> = (0..1000)
        .map(|i| {
            user(
                i,
                &format!("User {i}"),
                "False",
                "Report|Read,ReportDataAPI",
            )
        })
        .collect();
    write_csv(&s.path("start.csv"), HEADER, &rows);
    s.run(
        &[
            "user",
            "import",
            &path(s, "start.csv"),
            "--concurrency",
            "8",
        ],
        0,
    );
    rows
}

/// The desired thousand: 10 gone (0–9), 10 renamed (10–19), 10 with their permission tokens in
/// another order (20–29: no change), 5 locked (30–34), and 12 new (1000–1011).
fn desired(s: &Sandbox) -> String {
    let mut rows = Vec::new();
    for i in 10..1000 {
        rows.push(match i {
            10..=19 => user(
                i,
                &format!("Renamed {i}"),
                "False",
                "Report|Read,ReportDataAPI",
            ),
            20..=29 => user(
                i,
                &format!("User {i}"),
                "false",
                "ReportDataAPI,Report|Read",
            ),
            30..=34 => user(i, &format!("User {i}"), "True", "Report|Read,ReportDataAPI"),
            _ => user(
                i,
                &format!("User {i}"),
                "False",
                "Report|Read,ReportDataAPI",
            ),
        });
    }
    for i in 1000..1012 {
        rows.push(user(i, &format!("New {i}"), "False", "Report|Read"));
    }
    write_csv(&s.path("desired.csv"), HEADER, &rows);
    path(s, "desired.csv")
}

fn scope() -> [&'static str; 2] {
    ["--where", "Scope.TelSysID=4"]
}

#[test]
fn a_thousand_users_plan_exactly_then_apply_converges_inside_the_scope() {
    let s = Sandbox::new();
    thousand(&s);
    let demo_before = s
        .usernames()
        .into_iter()
        .filter(|u| !u.starts_with("user"))
        .count();
    let file = desired(&s);
    let mut plan = vec!["user", "plan", &file, "--prune"];
    plan.extend(scope());
    let (text, _) = s.run(&plan, 0);
    insta::assert_snapshot!("thousand_users_plan", text);
    assert!(
        text.ends_with("12 to add, 15 to change, 0 to replace, 10 to delete, 975 unchanged; +2 billable users.\n"),
        "{text}"
    );

    // As JSON for scripts: the same counts, and the detailed exit code says there are changes.
    let mut json = plan.clone();
    json.extend(["--format", "json", "--detailed-exitcode"]);
    let (doc, _) = s.run(&json, 2);
    let doc: Value = serde_json::from_str(doc.trim()).expect("json");
    assert_eq!(doc["summary"]["billable"], 2);
    assert_eq!(doc["changes"].as_array().map(Vec::len), Some(37));

    // It deletes, so without a terminal it needs --yes (consent.rs).
    let mut apply = vec!["user", "apply", &file, "--prune", "--yes"];
    apply.extend(scope());
    s.run(&apply, 0);
    let mut again = plan.clone();
    again.push("--detailed-exitcode");
    let (text, _) = s.run(&again, 0);
    assert!(
        text.contains("0 to add, 0 to change, 0 to replace, 0 to delete, 1002 unchanged"),
        "{text}"
    );
    // A second apply is a no-op, and the prune stayed inside its scope.
    let (_, err) = s.run(&apply, 0);
    assert!(err.contains("nothing to do"), "{err}");
    let after = s.usernames();
    assert_eq!(
        after.iter().filter(|u| !u.starts_with("user")).count(),
        demo_before
    );
    assert_eq!(after.iter().filter(|u| u.starts_with("user")).count(), 1002);
    let (_, err) = s.run(&["user", "drift", &file, "--where", "Scope.TelSysID=4"], 0);
    assert!(!err.contains("differ"), "{err}");
}

#[test]
fn guard_rails_scope_targets_protection_and_replacement() {
    let s = Sandbox::new();
    thousand(&s);
    let file = desired(&s);
    // No prune without a scope.
    let (_, err) = s.run(&["user", "plan", &file, "--prune"], 64);
    assert!(err.contains("needs a scope"), "{err}");
    // An entry outside the scope is refused, with its line.
    write_csv(
        &s.path("outside.csv"),
        HEADER,
        &["x@example.com,X,False,1,\"Report|Read\"".to_string()],
    );
    let (_, err) = s.run(
        &[
            "user",
            "plan",
            &path(&s, "outside.csv"),
            "--where",
            "Scope.TelSysID=4",
        ],
        64,
    );
    assert!(err.contains("line 2: outside the scope"), "{err}");
    // Protected entries make the plan fail rather than warn.
    std::fs::write(s.path("protect"), "# never\nuser000[0-4]@example.com\n").expect("write");
    let mut protected = vec!["user", "plan", &file, "--prune", "--protect"];
    let protect = path(&s, "protect");
    protected.push(&protect);
    protected.extend(scope());
    let (_, err) = s.run(&protected, 1);
    assert!(
        err.contains("protected entries: user0000@example.com"),
        "{err}"
    );
    // --target and --exclude act on part of the file.
    let mut targeted = vec![
        "user",
        "plan",
        &file,
        "--prune",
        "--target",
        "user001?@example.com",
        "--exclude",
        "user0019@example.com",
    ];
    targeted.extend(scope());
    let (text, _) = s.run(&targeted, 0);
    assert!(
        text.contains("0 to add, 9 to change, 0 to replace, 0 to delete"),
        "{text}"
    );
    // Drift is read-only and exits 2.
    let (_, err) = s.run(&["user", "drift", &file, "--where", "Scope.TelSysID=4"], 2);
    assert!(err.contains("differ from"), "{err}");
    assert_eq!(
        s.usernames()
            .iter()
            .filter(|u| u.starts_with("user"))
            .count(),
        1000
    );
}

#[test]
fn a_saved_plan_is_refused_when_either_side_changed() {
    let s = Sandbox::new();
    thousand(&s);
    let file = desired(&s);
    let saved = path(&s, "plan.json");
    let mut plan = vec!["user", "plan", &file, "--prune", "--out", &saved];
    plan.extend(scope());
    s.run(&plan, 0);
    let saved_text = std::fs::read_to_string(&saved).expect("saved");
    // Someone else changes an entry in the scope: the plan no longer holds.
    s.run(
        &[
            "user",
            "change",
            "--username",
            "user0500@example.com",
            "--full-name",
            "Someone Else",
        ],
        0,
    );
    let (_, err) = s.run(&["user", "apply", "--plan", &saved], 1);
    assert!(err.contains("changed since the plan was made"), "{err}");
    // A fresh plan applies; so does a saved one nobody interfered with.
    s.run(&plan, 0);
    s.run(&["user", "apply", "--plan", &saved, "--yes"], 0);
    assert!(std::fs::read_to_string(&saved).expect("saved") != saved_text);
    // The desired file edited after the plan: refused too.
    s.run(&plan, 0);
    let mut edited = std::fs::read_to_string(&file).expect("read");
    edited.push_str(&user(2000, "Late", "False", "Report|Read"));
    edited.push('\n');
    std::fs::write(&file, edited).expect("write");
    let (_, err) = s.run(&["user", "apply", "--plan", &saved], 1);
    assert!(
        err.contains("desired file") && err.contains("changed"),
        "{err}"
    );
}

#[test]
fn secrets_never_appear_in_a_plan_and_are_sent_on_create_only() {
    let s = Sandbox::new();
    let secret = "Sup3r-Secret-Value";
    write_csv(
        &s.path("with-password.csv"),
        "Username,FullName,Password,Scope.TelSysID",
        &[format!("pw@example.com,Pass Word,{secret},{SERVER}")],
    );
    let file = path(&s, "with-password.csv");
    let saved = path(&s, "plan.json");
    let (text, _) = s.run(&["user", "plan", &file, "--out", &saved], 0);
    assert!(text.contains("Password = \"(secret)\""), "{text}");
    let (json, _) = s.run(&["user", "plan", &file, "--format", "json"], 0);
    let results = path(&s, "results.csv");
    let (applied, err) = s.run(
        &["user", "apply", "--plan", &saved, "--results", &results],
        0,
    );
    for shown in [
        &text,
        &json,
        &applied,
        &err,
        &std::fs::read_to_string(&saved).expect("plan"),
        &std::fs::read_to_string(&results).expect("results"),
    ] {
        assert!(!shown.contains(secret), "a secret shown: {shown}");
    }
    // Write-only: never compared, so the same file plans no change …
    let (text, _) = s.run(&["user", "plan", &file], 0);
    assert!(text.contains("1 unchanged"), "{text}");
    // … unless asked to send it again.
    let (text, _) = s.run(&["user", "plan", &file, "--send-write-only"], 0);
    assert!(
        text.contains("~ change pw@example.com") && !text.contains(secret),
        "{text}"
    );
    // Nor is a secret in any hash written down: a new password alone leaves the plan's
    // fingerprint of the file as it was.
    let fingerprint = |saved: &str| {
        serde_json::from_str::<Value>(&std::fs::read_to_string(saved).expect("plan")).expect("json")
            ["desired"]["fingerprint"]
            .clone()
    };
    s.run(&["user", "plan", &file, "--out", &saved], 0);
    let before = fingerprint(&saved);
    write_csv(
        &s.path("with-password.csv"),
        "Username,FullName,Password,Scope.TelSysID",
        &[format!(
            "pw@example.com,Pass Word,Another-{secret},{SERVER}"
        )],
    );
    s.run(&["user", "plan", &file, "--out", &saved], 0);
    assert_eq!(fingerprint(&saved), before);
}

#[test]
fn devices_replace_only_when_allowed_and_count_extensions() {
    let s = Sandbox::new();
    let place = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "3"];
    let header = "TelSysID,PartIDInTelSys,DeviceNumber,DeviceType,Description";
    let rows = |types: [&str; 3]| -> Vec<String> {
        (0..3)
            .map(|i| format!("1,3,70{i},{},Desk {i}", types[i]))
            .collect()
    };
    write_csv(
        &s.path("devices.csv"),
        header,
        &rows(["Extension", "Extension", "Virtual"]),
    );
    let file = path(&s, "devices.csv");
    let with = |head: &[&str]| -> Vec<String> {
        head.iter()
            .map(|a| a.to_string())
            .chain(place.iter().map(|a| a.to_string()))
            .collect()
    };
    let run = |args: Vec<String>, code: i32| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        s.run(&args, code)
    };
    let (text, _) = run(with(&["device", "plan", &file]), 0);
    assert!(
        text.contains("3 to add") && text.contains("+2 billable devices"),
        "{text}"
    );
    run(with(&["device", "apply", &file]), 0);
    // A virtual device becomes an extension: DeviceType cannot change, so replace, if allowed.
    write_csv(
        &s.path("devices.csv"),
        header,
        &rows(["Extension", "Virtual", "Extension"]),
    );
    let (_, err) = run(with(&["device", "plan", &file]), 1);
    assert!(
        err.contains("--allow-replace") && err.contains("DeviceType"),
        "{err}"
    );
    let (text, _) = run(with(&["device", "plan", &file, "--allow-replace"]), 0);
    assert!(
        text.contains("-/+ replace 1/3/701  (DeviceType cannot change after creation)"),
        "{text}"
    );
    assert!(
        text.contains("2 to replace") && text.contains("+0 billable devices"),
        "{text}"
    );
    // Drift is read-only: an entry that would need replacing is drift (exit 2), not a refusal.
    let (text, _) = run(with(&["device", "drift", &file]), 2);
    assert!(text.contains("-/+ replace"), "{text}");
    // A replace deletes first, so without a terminal it needs --yes (consent.rs).
    run(
        with(&["device", "apply", &file, "--allow-replace", "--yes"]),
        0,
    );
    let (text, _) = run(with(&["device", "plan", &file, "--detailed-exitcode"]), 0);
    assert!(text.contains("3 unchanged"), "{text}");
    // Keys match by meaning: a server spelt `01` is server 1.
    let respelt: Vec<String> = rows(["Extension", "Virtual", "Extension"])
        .into_iter()
        .map(|r| format!("0{r}"))
        .collect();
    write_csv(&s.path("devices.csv"), header, &respelt);
    let (text, _) = run(
        with(&["device", "plan", &file, "--prune", "--detailed-exitcode"]),
        0,
    );
    assert!(
        text.contains("0 to add") && text.contains("0 to delete") && text.contains("3 unchanged"),
        "{text}"
    );
}

#[test]
fn directory_entries_converge_inside_their_partition() {
    let s = Sandbox::new();
    let place = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "3"];
    let header = "TelSysID,PartIDInTelSys,TelephoneNumber,Description";
    let rows: Vec<String> = (0..20)
        .map(|i| format!("1,3,0800{i:04},Contact {i}"))
        .collect();
    write_csv(&s.path("entries.csv"), header, &rows);
    let file = path(&s, "entries.csv");
    let run = |head: &[&str], code: i32| {
        let mut args: Vec<&str> = head.to_vec();
        args.extend(place);
        s.run(&args, code)
    };
    run(&["directory-entry", "apply", &file], 0);
    // Five gone, one renamed, two new; the prune is scoped by the list's own filters.
    let mut next: Vec<String> = rows[5..].to_vec();
    next[0] = "1,3,08000005,Renamed".to_string();
    next.push("1,3,08009998,New A".to_string());
    next.push("1,3,08009999,New B".to_string());
    write_csv(&s.path("entries.csv"), header, &next);
    let (text, _) = run(
        &[
            "directory-entry",
            "plan",
            &file,
            "--prune",
            "--detailed-exitcode",
        ],
        2,
    );
    assert!(
        text.contains("2 to add, 1 to change, 0 to replace, 5 to delete, 14 unchanged"),
        "{text}"
    );
    assert!(
        text.contains("Description: \"Contact 5\" → \"Renamed\""),
        "{text}"
    );
    run(&["directory-entry", "apply", &file, "--prune", "--yes"], 0);
    run(&["directory-entry", "drift", &file, "--prune"], 0);
    // Another partition's entries were never in the scope.
    let other = s.json(
        &[
            "directory-entry",
            "list",
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
        ],
        0,
    );
    assert!(
        !other["records"].as_array().expect("records").is_empty(),
        "{other}"
    );
}

#[test]
fn a_plan_made_against_an_empty_partition_is_refused_once_it_is_not() {
    let s = Sandbox::new();
    let place = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "3"];
    let header = "TelSysID,PartIDInTelSys,TelephoneNumber,Description";
    write_csv(
        &s.path("entries.csv"),
        header,
        &["1,3,01000001,First".to_string()],
    );
    let file = path(&s, "entries.csv");
    let saved = path(&s, "plan.json");
    let mut plan = vec!["directory-entry", "plan", &file, "--prune", "--out", &saved];
    plan.extend(place);
    let (text, _) = s.run(&plan, 0);
    assert!(text.contains("0 current"), "{text}");
    // Someone else adds an entry to the empty partition: the empty state was a state too.
    let mut add = vec![
        "directory-entry",
        "add",
        "--telephone-number",
        "01000002",
        "--description",
        "Theirs",
    ];
    add.extend(place);
    s.run(&add, 0);
    let (_, err) = s.run(&["directory-entry", "apply", "--plan", &saved], 1);
    assert!(
        err.contains("changed since the plan was made (0 then, 1 now)"),
        "{err}"
    );
}

#[test]
fn an_export_as_json_is_a_desired_state_with_nothing_to_do() {
    let s = Sandbox::new();
    let place = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "2"];
    let mut export = vec!["directory-entry", "export", "--format", "json"];
    export.extend(place);
    let (doc, _) = s.run(&export, 0);
    let count = serde_json::from_str::<Value>(doc.trim()).expect("json")["records"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(count > 0, "the demo partition has entries: {doc}");
    std::fs::write(s.path("entries.json"), &doc).expect("write");
    let file = path(&s, "entries.json");
    let mut plan = vec![
        "directory-entry",
        "plan",
        &file,
        "--prune",
        "--detailed-exitcode",
    ];
    plan.extend(place);
    let (text, _) = s.run(&plan, 0);
    assert!(text.contains(&format!("{count} unchanged")), "{text}");
}

#[test]
fn families_whose_key_the_service_assigns_have_no_desired_state() {
    let s = Sandbox::new();
    // A partition's PartIDInTelSys is assigned on add: a file's row could never name it.
    let (help, _) = s.run(&["partition", "--help"], 0);
    assert!(!help.contains("plan"), "{help}");
    let (help, _) = s.run(&["user", "--help"], 0);
    assert!(
        help.contains("plan") && help.contains("apply") && help.contains("drift"),
        "{help}"
    );
}

#[test]
fn an_export_that_ended_badly_is_not_a_desired_state() {
    let s = Sandbox::new();
    let doc = serde_json::json!({
        "operation": "UserList",
        "records": [{"Username": "a@example.com"}],
        "result": "Fail",
    });
    std::fs::write(s.path("cut.json"), doc.to_string()).expect("write");
    let (_, err) = s.run(&["user", "plan", &path(&s, "cut.json")], 64);
    assert!(err.contains("ended \"Fail\""), "{err}");
}
