//! A bulk run shows why rows failed where the operator looks: each failed row as it happens
//! (capped: the first 20, then the first row of each new error code), a summary by error code
//! at the end, the same as one JSON document with `--format json`; partial failure exits 2.
//! An add whose entity exists is compared with it on every run (`--on-existing`).

mod common;

use common::{Sandbox, results_records, write_csv};
use serde_json::Value;

const HEADER: &str = "Username,FullName";

fn rows(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("{tag}{i:03}@visible.invalid,{tag} {i}"))
        .collect()
}

/// 40 rows: the first 30 adds refused with 11210, the next 5 with 11211, the rest carried out.
const FAULTS: &str = "UserAdd first=30 code=11210; UserAdd first=5 code=11211";

fn import(s: &Sandbox, extra: &[&str], code: i32) -> (String, String) {
    let (csv, results) = s.users_csv(HEADER, &rows(40, "f"));
    let mut args = vec![
        "user",
        "import",
        csv.to_str().expect("utf-8"),
        "--concurrency",
        "1",
        "--results",
        results.to_str().expect("utf-8"),
    ];
    args.extend(extra);
    common::expect_exit(
        s.akixi().env("AKIXI_SIM_FAULTS", FAULTS).args(&args),
        &args,
        code,
    )
}

#[test]
fn failed_rows_are_shown_as_they_happen_capped_and_summarised_by_code() {
    let s = Sandbox::new();
    let (out, err) = import(&s, &[], 2);
    let shown: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("akixi: line "))
        .collect();
    // The first 20 failures, then one line for the first row of the new code.
    assert_eq!(shown.len(), 21, "{err}");
    assert!(
        shown[0].contains("line 2 (f000@visible.invalid): failure [11210]"),
        "{err}"
    );
    assert!(
        shown[20].contains("[11211]") && shown[20].contains("a new kind of error"),
        "{err}"
    );
    assert!(err.contains("only the first row of each new kind"), "{err}");
    // The summary counts every failure, by code, with an example each.
    let summary_at = err
        .find("row(s) failed, by kind of error")
        .expect("a summary");
    let summary = &err[summary_at..];
    assert!(summary.contains("11210: 30 rows (e.g. line 2"), "{summary}");
    assert!(summary.contains("11211: 5 rows (e.g. line 32"), "{summary}");
    assert!(
        out.contains("5 succeeded") || err.contains("5 succeeded"),
        "{out}{err}"
    );
    // Rates and durations rounded.
    let timing = err
        .lines()
        .find(|l| l.contains("row(s) in"))
        .expect("a timing line");
    assert!(timing.ends_with("/s)"), "{timing}");
    assert!(
        !timing
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .any(|n| n.split('.').nth(1).is_some_and(|d| d.len() > 2)),
        "rounded: {timing}"
    );
    // The results file says the same, row by row.
    let records = results_records(&s.path("results.csv"));
    assert_eq!(records.len(), 40);
    assert_eq!(records.iter().filter(|r| &r[3] == "11210").count(), 30);
}

#[test]
fn json_gives_the_failures_and_their_summary_as_one_document() {
    let s = Sandbox::new();
    let (out, err) = import(&s, &["--format", "json"], 2);
    let doc: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["operation"], "UserAdd");
    assert_eq!(doc["result"], "PartialFail");
    assert_eq!(doc["counts"]["failed"], 35);
    assert_eq!(doc["counts"]["succeeded"], 5);
    assert_eq!(doc["failed"].as_array().map(Vec::len), Some(35));
    assert_eq!(doc["failed"][0]["line"], 2);
    assert_eq!(doc["failed"][0]["code"], "11210");
    let summary = doc["summary"].as_array().expect("summary");
    let by = |code: &str| summary.iter().find(|k| k["code"] == code).cloned();
    assert_eq!(by("11210").map(|k| k["count"].clone()), Some(30.into()));
    assert_eq!(
        by("11211").map(|k| k["example"]["line"].clone()),
        Some(32.into())
    );
    assert!(
        !err.contains("akixi: line "),
        "not also row by row on stderr: {err}"
    );
}

#[test]
fn an_existing_entry_is_compared_on_a_first_run_and_on_existing_decides() {
    let s = Sandbox::new();
    let user = "there@visible.invalid";
    s.add_user(user, &["--full-name", "As Stored"], 0);
    let csv = s.path("users.csv");
    let csv_arg = csv.to_str().expect("utf-8").to_owned();
    let results = s.path("results.csv");
    let results_arg = results.to_str().expect("utf-8").to_owned();
    let run = |extra: &[&str], code: i32| {
        let _ = std::fs::remove_file(&results);
        let mut args = vec!["user", "import", &csv_arg, "--results", &results_arg];
        args.extend(extra);
        let (out, err) = s.run(&args, code);
        let records = results_records(&results);
        assert_eq!(records.len(), 1, "{records:?}");
        (format!("{out}{err}"), records[0].clone())
    };

    // Identical: unchanged, done, exit 0, on the very first run.
    write_csv(&csv, HEADER, &[format!("{user},As Stored")]);
    let (summary, rec) = run(&[], 0);
    assert!(summary.contains("1 unchanged"), "{summary}");
    assert_eq!(&rec[2], "unchanged", "{rec:?}");
    assert!(!rec[4].contains("earlier run"), "{rec:?}");

    // Different: a conflict naming the property (the default, --on-existing fail), exit 2.
    write_csv(&csv, HEADER, &[format!("{user},From The File")]);
    let (summary, rec) = run(&[], 2);
    assert!(summary.contains("1 in conflict"), "{summary}");
    assert_eq!(&rec[2], "conflict", "{rec:?}");
    assert!(
        rec[4].contains("FullName: As Stored ≠ From The File"),
        "{rec:?}"
    );
    assert!(
        summary.contains("FullName: As Stored"),
        "shown on stderr: {summary}"
    );

    // --on-existing skip: left as it is, exit 0.
    let (summary, rec) = run(&["--on-existing", "skip"], 0);
    assert!(summary.contains("1 kept"), "{summary}");
    assert_eq!(&rec[2], "kept", "{rec:?}");
    let info = s.json(&["user", "info", "--username", user], 0);
    assert_eq!(info["records"][0]["FullName"], "As Stored");

    // --on-existing update: the change is sent with the row's values.
    let (summary, rec) = run(&["--on-existing", "update"], 0);
    assert!(summary.contains("1 updated"), "{summary}");
    assert_eq!(&rec[2], "updated", "{rec:?}");
    let info = s.json(&["user", "info", "--username", user], 0);
    assert_eq!(info["records"][0]["FullName"], "From The File");

    // And a resumed run skips it: updated is done.
    let args = ["user", "import", &csv_arg, "--results", &results_arg];
    let (out, _) = s.run(&args, 0);
    assert!(out.contains("1 skipped"), "{out}");
}

#[test]
fn a_bulk_uploads_refused_rows_are_shown_capped_and_summarised_by_code() {
    let s = Sandbox::new();
    let csv = s.path("entries.csv");
    // 25 rows naming the demo entry that exists (each refused), then 5 new ones.
    let mut lines: Vec<String> = (0..25)
        .map(|i| format!("01234567890,Duplicate {i}"))
        .collect();
    lines.extend((0..5).map(|i| format!("0700000000{i},New {i}")));
    write_csv(&csv, "TelephoneNumber,Description", &lines);
    let args = [
        "directory-entry",
        "bulk-upload",
        "--tel-sys-id",
        "1",
        "--part-id-in-tel-sys",
        "2",
        "--csv-data",
        csv.to_str().expect("utf-8"),
    ];
    let (_, err) = common::expect_exit(s.akixi().args(args), &args, 2);
    let shown: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("akixi: line "))
        .collect();
    assert_eq!(shown.len(), 20, "the first 20 rows only:\n{err}");
    assert!(shown[0].starts_with("akixi: line 2: failure ["), "{err}");
    assert!(err.contains("25 row(s) failed, by kind of error"), "{err}");
    assert!(err.contains(": 25 rows (e.g. line 2: failure"), "{err}");
    assert!(err.contains("with 25 errors (listed above)"), "{err}");
}
