//! The `akixi` command against its embedded simulator (a fresh state file per test).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Sandbox, write_csv};

#[test]
fn every_user_command_works_and_speaks_json() {
    let s = Sandbox::new();
    let users = s.usernames();
    assert!(users.len() >= 4, "demo users: {users:?}");
    s.add_user(
        "ann@example.com",
        &[
            "--full-name",
            "Ann Example",
            "--lock-out",
            "False",
            "--scope-tel-sys-id",
            "1",
            "--scope-reporting-access",
            "Akixi 2000",
            "--permissions-non-admin",
            "Report|Read,ReportDataAPI",
        ],
        0,
    );
    let info = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    assert_eq!(info["operation"], "UserInfo");
    let r = &info["records"][0];
    assert_eq!(r["FullName"], "Ann Example");
    // Typed and nested: containers are objects, lists arrays, Booleans and integers typed.
    assert_eq!(r["Scope"]["ReportingAccess"], "Akixi 2000");
    assert_eq!(r["Scope"]["TelSysID"], 1);
    assert_eq!(
        r["Permissions"]["NonAdmin"],
        serde_json::json!(["Report|Read", "ReportDataAPI"])
    );
    assert_eq!(r["LockOut"], false);
    s.run(
        &[
            "user",
            "change",
            "--username",
            "ann@example.com",
            "--full-name",
            "Ann Changed",
            "--lock-out",
            "on",
        ],
        0,
    );
    let r = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    assert_eq!(r["records"][0]["FullName"], "Ann Changed");
    assert_eq!(r["records"][0]["LockOut"], true);
    let list = s.json(&["user", "list", "--search-query", "Ann Changed"], 0);
    assert_eq!(list["records"].as_array().map(Vec::len), Some(1));
    // Paging goes on the envelope: one entry, then the next.
    let all = s.json(&["user", "list"], 0);
    let first = s.json(&["user", "list", "--limit", "1"], 0);
    let second = s.json(&["user", "list", "--offset", "1", "--limit", "1"], 0);
    assert_eq!(first["records"].as_array().map(Vec::len), Some(1));
    assert_eq!(first["records"][0], all["records"][0]);
    assert_eq!(second["records"][0], all["records"][1]);
    let (table, _) = s.run(&["user", "list"], 0);
    assert!(
        table.starts_with("Username") && table.contains("ann@example.com"),
        "{table}"
    );
    s.run(&["user", "delete", "--username", "ann@example.com"], 0);
    let gone = s.json(&["user", "info", "--username", "ann@example.com"], 1);
    assert_eq!(gone["result"], "Fail");
    assert!(gone["errors"][0]["code"].is_u64(), "{gone}");
    // State persists between commands; consecutive commands see each other's changes.
    assert_eq!(s.usernames(), users);
}

#[test]
fn exit_codes() {
    let s = Sandbox::new();
    let (_, err) = s.add_user("a@example.com", &["--lock-out", "maybe"], 64);
    assert!(
        err.contains("True") && err.contains("off"),
        "allowed values listed: {err}"
    );
    let (_, err) = s.add_user(
        "a@example.com",
        &["--scope-reporting-access", "Akixi 9000"],
        64,
    );
    assert!(err.contains("Akixi 1000"), "{err}");
    s.run(&["user", "add", "--no-such-flag"], 64);
    s.run(&["user"], 64);
    s.run(&["user", "add", "--username", "a@example.com"], 0);
    let (_, err) = s.run(&["user", "add", "--username", "a@example.com"], 1);
    assert!(err.contains("1120"), "the error code is on stderr: {err}");
    // SynchroniseSupervisorPermissions is Cisco BroadWorks only; server 3 is the HiPath3000.
    let (_, err) = s.add_user(
        "h@example.com",
        &[
            "--scope-tel-sys-id",
            "3",
            "--synchronise-supervisor-permissions",
            "True",
        ],
        64,
    );
    assert!(err.contains("SynchroniseSupervisorPermissions"), "{err}");
    s.run(&["--help"], 0);
}

#[test]
fn bad_rows_are_located_and_nothing_is_sent() {
    let s = Sandbox::new();
    let before = s.usernames();
    let csv = s.path("bad.csv");
    write_csv(
        &csv,
        "Username,LockOut,Scope.ReportingAccess,Scope.TelSysID,SynchroniseSupervisorPermissions",
        &[
            "ok1@example.com,False,Akixi 1000,1,".into(),
            "bad-bool@example.com,perhaps,Akixi 1000,1,".into(),
            "bad-enum@example.com,False,Akixi 9000,1,".into(),
            ",False,Akixi 1000,1,".into(),
            "hipath@example.com,False,Akixi 1000,3,True".into(),
            "ok2@example.com,True,,2,".into(),
        ],
    );
    let (_, err) = s.run(&["user", "import", csv.to_str().expect("utf-8")], 64);
    assert!(err.contains("line 3, column 2"), "bad Boolean: {err}");
    assert!(
        err.contains("line 4, column 3"),
        "unknown enum value: {err}"
    );
    assert!(
        err.contains("line 5") && err.contains("Username"),
        "missing required field: {err}"
    );
    assert!(
        err.contains("line 6") && err.contains("SynchroniseSupervisorPermissions"),
        "unsupported on HiPath: {err}"
    );
    assert!(
        !err.contains("line 2") && !err.contains("line 7"),
        "good rows pass: {err}"
    );
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(s.usernames(), before, "nothing was sent");
}

fn rows(n: usize, prefix: &str) -> Vec<String> {
    let access = ["Akixi 1000", "Akixi 2000", "Akixi 3000"];
    (0..n)
        .map(|i| {
            format!(
                "{prefix}{i:04}@example.com,{prefix} User {i},{},{},{},\"Report|Read,Report|Create\",Auto",
                if i % 2 == 0 { "False" } else { "True" },
                1 + i % 5,
                access[i % 3]
            )
        })
        .collect()
}

const HEADER: &str = "Username,FullName,LockOut,Scope.TelSysID,Scope.ReportingAccess,Permissions.NonAdmin,advanced-report-upd-interval";

#[test]
fn a_thousand_rows_import_and_export_field_for_field() {
    let s = Sandbox::new();
    let csv = s.path("users.csv");
    let input = rows(1000, "bulk");
    write_csv(&csv, HEADER, &input);
    let results = s.path("results.csv");
    let (out, _) = s.run(
        &[
            "user",
            "import",
            csv.to_str().expect("utf-8"),
            "--concurrency",
            "8",
            "--results",
            results.to_str().expect("utf-8"),
        ],
        0,
    );
    assert!(out.contains("1000 succeeded"), "{out}");
    let (exported, _) = s.run(&["user", "export"], 0);
    let mut r = csv::Reader::from_reader(exported.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let exported: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    for line in &input {
        let mut fields = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let want = fields.records().next().expect("row").expect("row");
        let got = exported
            .iter()
            .find(|e| e[col("Username")] == want[0])
            .unwrap_or_else(|| panic!("{} not exported", &want[0]));
        assert_eq!(&got[col("FullName")], &want[1]);
        assert_eq!(&got[col("LockOut")], &want[2]);
        assert_eq!(&got[col("Scope.TelSysID")], &want[3]);
        assert_eq!(&got[col("Scope.ReportingAccess")], &want[4]);
        assert_eq!(&got[col("Permissions.NonAdmin")], &want[5]);
        assert_eq!(&got[col("Advanced.ReportUpdInterval")], &want[6]);
    }
    // The export imports again (into a fresh simulator): its header is made of wire names.
    let again = Sandbox::new();
    let file = again.path("export.csv");
    let body: String = std::iter::once(header.join(","))
        .chain(
            exported
                .iter()
                .filter(|e| e[col("Username")].starts_with("bulk0"))
                .map(|e| {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(e).expect("row");
                    String::from_utf8(w.into_inner().expect("flush"))
                        .expect("utf-8")
                        .trim_end()
                        .to_string()
                }),
        )
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, body).expect("write");
    let (out, _) = again.run(
        &["user", "import", file.to_str().expect("utf-8"), "--dry-run"],
        0,
    );
    assert!(out.contains("1000 row(s) checked"), "{out}");
}

#[test]
fn an_interrupted_import_resumes_each_row_exactly_once() {
    interrupted_then_resumed("-INT", Some(130));
}

/// Killed outright (no chance to flush anything at exit): the records written so far are in
/// the file, whole, and the resumed run still sends each row exactly once. (That the file is
/// also fsynced every 64 records is what makes this hold across a power cut; a test cannot
/// pull the power, so this checks what a process crash leaves.)
#[test]
fn a_killed_import_leaves_whole_records_and_resumes_each_row_exactly_once() {
    interrupted_then_resumed("-KILL", None);
}

fn interrupted_then_resumed(signal: &str, code: Option<i32>) {
    let s = Sandbox::new();
    let (csv, results) = s.users_csv(HEADER, &rows(400, "resume"));
    let args = common::import_args(&csv, "2", &results);
    let bin = assert_cmd::cargo::cargo_bin("akixi");
    let mut child = std::process::Command::new(&bin)
        .args(args)
        .env("AKIXI_SIM_STATE", s.state())
        .env_remove("AKIXI_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let lines = |p: &Path| {
        std::fs::read_to_string(p)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    while lines(&results) < 40 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "import made no progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), code, "an interrupted import fails");
    // Every record in the file is whole: one write per record, never a torn line.
    let text = std::fs::read_to_string(&results).expect("results");
    assert!(text.ends_with('\n'), "a torn last record: {text}");
    for rec in csv::Reader::from_reader(text.as_bytes()).records() {
        assert_eq!(rec.expect("whole record").len(), 7);
    }
    // Rows done; an interrupted run also records the rows in flight and those never sent.
    let done = |text: &str| {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .filter_map(Result::ok)
            .filter(|r| matches!(&r[2], "success" | "unchanged"))
            .count()
    };
    let first = done(&text);
    assert!(
        first < 400,
        "interrupted before the end ({first} rows done)"
    );
    let (out, _) = s.run(&args, 0);
    assert!(out.contains(&format!("{} skipped", first)), "{out}");
    let text = std::fs::read_to_string(&results).expect("results");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut seen = std::collections::HashMap::new();
    let mut rerecorded = 0;
    for rec in r.records() {
        let rec = rec.expect("row");
        if code.is_some() && matches!(&rec[2], "interrupted" | "not-sent") {
            continue;
        }
        if &rec[2] == "unchanged" {
            // A row added but unrecorded (one in flight when killed or interrupted, or one whose
            // answer came but waits to be recorded: at most twice the concurrency, 2); the
            // resumed run finds the entity, checks it matches, and adds nothing.
            assert!(rec[4].contains("matches the row"), "{rec:?}");
            rerecorded += 1;
        } else {
            assert_eq!(&rec[2], "success", "{rec:?}");
        }
        *seen.entry(rec[0].to_string()).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 400);
    assert!(seen.values().all(|n| *n == 1), "each row recorded once");
    assert!(
        rerecorded <= 4,
        "at most the rows in flight or awaiting their record: {rerecorded}"
    );
    assert_eq!(
        s.usernames()
            .iter()
            .filter(|u| u.starts_with("resume"))
            .count(),
        400
    );
}

#[test]
fn secrets_never_appear_even_verbose() {
    let s = Sandbox::new();
    let pw = s.path("pw.txt");
    std::fs::write(&pw, "Hunter2-Secret\n").expect("write");
    let out = s
        .akixi()
        .args([
            "user",
            "add",
            "--username",
            "p@example.com",
            "--user-password-file",
            pw.to_str().expect("utf-8"),
            "--verbose",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("<Request Operation=\"UserAdd\">"),
        "--verbose shows the exchanged XML: {all}"
    );
    assert!(all.contains("[redacted]"), "{all}");
    assert!(!all.contains("Hunter2-Secret"), "{all}");
    assert!(!all.contains(akixi_admin_password()), "{all}");
    // No session id (32 upper-case hex digits) and no nonce (32 lower-case hex digits).
    let hex_run = |upper: bool| {
        all.as_bytes().windows(32).any(|w| {
            w.iter().all(|b| {
                b.is_ascii_digit()
                    || if upper {
                        (b'A'..=b'F').contains(b)
                    } else {
                        (b'a'..=b'f').contains(b)
                    }
            }) && w.iter().any(|b| !b.is_ascii_digit())
        })
    };
    assert!(!hex_run(true) && !hex_run(false), "{all}");
}

fn akixi_admin_password() -> &'static str {
    "akixi-demo"
}

/// `akixi spec check` runs the maintainers' check (the same as `akixi-spec check`): a broken
/// binding row in a copy of the spec is reported at its `file:line:col`, exit 1.
#[test]
fn spec_check_locates_a_broken_binding_row() {
    let s = Sandbox::new();
    let spec = s.path("spec");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for service in std::fs::read_dir(&from).expect("spec") {
        let service = service.expect("entry").path();
        if !service.is_dir() {
            continue;
        }
        let to = spec.join(service.file_name().expect("name"));
        std::fs::create_dir_all(&to).expect("mkdir");
        for f in std::fs::read_dir(&service).expect("service") {
            let f = f.expect("entry").path();
            // The spec files only (not the conformance cases' folder).
            if !f.is_file() {
                continue;
            }
            std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
        }
    }
    let (out, _) = s.run(&["spec", "check", spec.to_str().expect("utf-8")], 0);
    assert!(out.starts_with("ok: 2 services"), "{out}");
    let file = spec.join("akixi/service.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("| default-limit | 1000 |", "| default-limit | lots |"),
    )
    .expect("write");
    let line = text
        .lines()
        .position(|l| l.starts_with("| default-limit |"))
        .expect("the row")
        + 1;
    let (_, err) = s.run(&["spec", "check", spec.to_str().expect("utf-8")], 1);
    let at = format!("akixi/service.md:{line}:19: error: `default-limit` = `lots`");
    assert!(err.contains(&at), "{err}");
}

#[test]
fn an_import_through_injected_faults_provisions_every_row_once() {
    let s = Sandbox::new();
    let (csv, results) = s.users_csv(HEADER, &rows(2000, "flaky"));
    // About 5 % of the adds misbehave: answers lost after the add was made, refusals before it,
    // answers cut short, and a session code that makes the client sign in again.
    let faults = "seed=20261202; UserAdd p=0.015 reset-after; UserAdd p=0.015 503; \
                  UserAdd p=0.01 reset-before; UserAdd p=0.005 truncate; UserAdd p=0.005 code=10302";
    let out = s
        .akixi()
        .env("AKIXI_SIM_FAULTS", faults)
        .args([
            "user",
            "import",
            csv.to_str().expect("utf-8"),
            "--concurrency",
            "8",
            "--results",
            results.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    let so = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{so}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(so.contains("2000 succeeded, 0 partial, 0 failed"), "{so}");

    // Exactly 2,000 users, each once (the seed's users aside).
    let (listed, _) = s.run(&["user", "list", "--limit", "5000", "--format", "json"], 0);
    let doc: serde_json::Value = serde_json::from_str(listed.trim()).expect("json");
    let names: Vec<String> = common::usernames_in(&doc)
        .into_iter()
        .filter(|n| n.starts_with("flaky"))
        .collect();
    assert_eq!(names.len(), 2000);

    // The results file says which rows needed more than one send, and why.
    let mut r = csv::Reader::from_path(&results).expect("results");
    let header = r.headers().expect("header").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "line", "key", "outcome", "code", "message", "attempts", "row"
        ]
    );
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(records.len(), 2000);
    assert!(records.iter().all(|rec| &rec[2] == "success"));
    let retried: Vec<&csv::StringRecord> = records.iter().filter(|rec| &rec[5] != "1").collect();
    let checked: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|rec| rec[4].contains("it was carried out"))
        .collect();
    assert!(!retried.is_empty(), "some rows were sent again");
    assert!(
        !checked.is_empty(),
        "some lost answers were checked, not re-sent"
    );
    assert!(
        retried.iter().all(|rec| !rec[4].is_empty()),
        "a retried row says why"
    );
    assert!(
        so.contains(&format!("{} sent more than once", retried.len())),
        "{so}"
    );
}
