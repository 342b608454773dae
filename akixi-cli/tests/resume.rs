//! Resuming an import after its file was edited: rows are matched by the entity they name and
//! what they say, not by line; a row whose entity already exists is compared with it.

mod common;

use common::{Sandbox, write_csv};

const HEADER: &str = "Username,FullName";

fn row(name: &str, full: &str) -> String {
    format!("{name}@resume.invalid,{full}")
}

#[test]
fn an_edited_file_resumes_by_key_and_content_and_reports_conflicts() {
    let s = Sandbox::new();
    let csv = s.path("users.csv");
    let results = s.path("results.csv");
    let results_arg = results.to_string_lossy().into_owned();
    let csv_arg = csv.to_string_lossy().into_owned();
    let first: Vec<String> = (1..=5)
        .map(|i| row(&format!("u{i}"), &format!("User {i}")))
        .collect();
    write_csv(&csv, HEADER, &first);
    s.run(&["user", "import", &csv_arg, "--results", &results_arg], 0);

    // Edited between runs: a new row on top (every line moves), u5's name changed.
    let mut edited = vec![row("u0", "User 0")];
    edited.extend(first[..4].iter().cloned());
    edited.push(row("u5", "Renamed Five"));
    write_csv(&csv, HEADER, &edited);
    // A conflict is a failed row: a partial failure (exit 2).
    let (out, err) = s.run(&["user", "import", &csv_arg, "--results", &results_arg], 2);
    let summary = format!("{out}{err}");
    assert!(summary.contains("1 succeeded"), "only u0 is new: {summary}");
    assert!(
        summary.contains("4 skipped"),
        "u1..u4 are done, wherever they sit: {summary}"
    );
    assert!(
        summary.contains("1 in conflict"),
        "u5 exists but differs: {summary}"
    );

    let mut reader = csv::Reader::from_path(&results).expect("results");
    let conflict = reader
        .records()
        .map(|r| r.expect("a record"))
        .find(|r| r.get(2) == Some("conflict"))
        .expect("a conflict recorded");
    assert_eq!(conflict.get(1), Some("u5@resume.invalid"));
    let message = conflict.get(4).unwrap_or_default();
    assert!(
        message.contains("FullName")
            && message.contains("User 5")
            && message.contains("Renamed Five"),
        "says what differs: {message}"
    );
    // The entity was not changed by the import.
    let info = s.json(&["user", "info", "--username", "u5@resume.invalid"], 0);
    assert_eq!(info["records"][0]["FullName"], "User 5");
}

#[test]
fn a_row_sent_but_never_recorded_is_done_when_its_entity_matches() {
    let s = Sandbox::new();
    let (csv, results) = s.users_csv(HEADER, &[row("kept", "Kept User")]);
    let csv_arg = csv.to_string_lossy().into_owned();
    // Provisioned by a run whose results were lost: only the header survives.
    s.run(&["user", "import", &csv_arg], 0);
    std::fs::write(&results, "line,key,outcome,code,message,attempts,row\n").expect("writes");
    let (out, _) = s.run(
        &[
            "user",
            "import",
            &csv_arg,
            "--results",
            &results.to_string_lossy(),
        ],
        0,
    );
    // Found existing with the row's values: unchanged, done (whichever run made it).
    assert!(
        out.contains("0 succeeded") && out.contains("1 unchanged"),
        "{out}"
    );
    let text = std::fs::read_to_string(&results).expect("reads");
    assert!(
        text.contains(",unchanged,") && text.contains("matches the row"),
        "{text}"
    );
    assert!(
        !text.contains("earlier run"),
        "not claimed to be an earlier run's: {text}"
    );
}

#[test]
fn concurrency_beyond_the_bound_is_a_usage_error() {
    let s = Sandbox::new();
    let csv = s.path("users.csv");
    write_csv(&csv, HEADER, &[row("a", "A")]);
    let (_, err) = s.run(
        &[
            "user",
            "import",
            &csv.to_string_lossy(),
            "--concurrency",
            "100000",
        ],
        64,
    );
    assert!(err.contains("concurrency") && err.contains("256"), "{err}");
}
