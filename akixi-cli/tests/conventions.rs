//! What users expect of a Rust CLI: typed JSON in and out (`info` → edit → `change`), every
//! page of a list, an export in list order whatever its concurrency, JSON Lines import, shell
//! completions and man pages from the same command tree, grouped help, and global options
//! before or after the command group. Nothing here is written for one family only where the
//! spec's metadata can drive it.

mod common;

use akixi_client::akixi::OPERATIONS;
use common::Sandbox;
use serde_json::{Value, json};

fn records(doc: &Value) -> &Vec<Value> {
    doc["records"].as_array().expect("records")
}

fn add_users(s: &Sandbox, n: usize) {
    for i in 0..n {
        let name = format!("u{i:02}@example.com");
        s.add_user(&name, &["--full-name", &format!("User {i}")], 0);
    }
}

#[test]
fn info_then_an_edit_then_change_from_json() {
    let s = Sandbox::new();
    s.add_user(
        "ann@example.com",
        &["--full-name", "Ann", "--scope-tel-sys-id", "1"],
        0,
    );
    let info = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    // Edit the document as jq would: the whole envelope goes back in.
    let mut edited = info.clone();
    edited["records"][0]["FullName"] = json!("Ann Edited");
    edited["records"][0]["LockOut"] = json!(true);
    edited["records"][0]["Permissions"]["NonAdmin"] = json!(["Report|Read"]);
    let file = s.path("ann.json");
    std::fs::write(&file, edited.to_string()).expect("write");
    let file = file.to_str().expect("utf-8");
    s.run(&["user", "change", "--from-json", file], 0);
    let after = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    let r = &records(&after)[0];
    assert_eq!(r["FullName"], "Ann Edited");
    assert_eq!(r["LockOut"], true);
    assert_eq!(r["Permissions"]["NonAdmin"], json!(["Report|Read"]));
    assert_eq!(r["Scope"]["TelSysID"], 1, "untouched properties stay");

    // A flag overrides the file, even a container the file gives as null.
    let mut nulled = info.clone();
    nulled["records"][0]["Scope"] = Value::Null;
    std::fs::write(s.path("nulled.json"), nulled.to_string()).expect("write");
    let nulled_path = s.path("nulled.json");
    let nulled_path = nulled_path.to_str().expect("utf-8");
    s.run(
        &[
            "user",
            "change",
            "--from-json",
            nulled_path,
            "--scope-tel-sys-id",
            "2",
        ],
        0,
    );
    let after = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    assert_eq!(records(&after)[0]["Scope"]["TelSysID"], 2);
    // A flag overrides the file.
    s.run(
        &[
            "user",
            "change",
            "--from-json",
            file,
            "--full-name",
            "Flag Wins",
        ],
        0,
    );
    let after = s.json(&["user", "info", "--username", "ann@example.com"], 0);
    assert_eq!(records(&after)[0]["FullName"], "Flag Wins");
}

#[test]
fn json_input_is_checked_before_anything_is_sent() {
    let s = Sandbox::new();
    let write = |name: &str, doc: &Value| {
        let p = s.path(name);
        std::fs::write(&p, doc.to_string()).expect("write");
        p.to_str().expect("utf-8").to_string()
    };
    let typo = write(
        "typo.json",
        &json!({"Username": "x@example.com", "FulName": "X"}),
    );
    let (_, err) = s.run(&["user", "add", "--from-json", &typo], 64);
    assert!(err.contains("FulName is not a property of User"), "{err}");

    let wrong = write(
        "wrong.json",
        &json!({"Username": "x@example.com", "Scope": {"TelSysID": "one"}}),
    );
    let (_, err) = s.run(&["user", "add", "--from-json", &wrong], 64);
    assert!(
        err.contains("Scope.TelSysID") && err.contains("whole number"),
        "{err}"
    );

    let two = write(
        "two.json",
        &json!({"operation": "UserList", "result": "Success", "records": [{"Username": "a"}, {"Username": "b"}]}),
    );
    let (_, err) = s.run(&["user", "add", "--from-json", &two], 64);
    assert!(err.contains("holds 2 records"), "{err}");

    let bad = s.path("bad.json");
    std::fs::write(&bad, "{\n  \"Username\": ,\n}").expect("write");
    let (_, err) = s.run(
        &["user", "add", "--from-json", bad.to_str().expect("utf-8")],
        64,
    );
    assert!(err.contains("bad.json:2:"), "line and column: {err}");
    assert_eq!(s.usernames().len(), 5, "nothing was added");
}

#[test]
fn list_reads_every_page_unless_asked_for_one() {
    let s = Sandbox::new();
    add_users(&s, 7);
    let total = s.usernames().len();
    assert_eq!(total, 12);
    let all = s.json(&["user", "list", "--page-size", "2"], 0);
    assert_eq!(records(&all).len(), total, "every page: {all}");
    let first = s.json(&["user", "list", "--page-size", "2", "--max-items", "5"], 0);
    assert_eq!(records(&first).len(), 5);
    let one_page = s.json(&["user", "list", "--limit", "3"], 0);
    assert_eq!(records(&one_page).len(), 3, "--limit asks for one page");
}

#[test]
fn export_keeps_list_order_whatever_its_concurrency() {
    let s = Sandbox::new();
    add_users(&s, 20);
    let (one, _) = s.run(
        &["user", "export", "--concurrency", "1", "--page-size", "3"],
        0,
    );
    let (many, err) = s.run(
        &["user", "export", "--concurrency", "16", "--page-size", "3"],
        0,
    );
    assert_eq!(one, many, "same CSV in the same order");
    assert_eq!(one.lines().count(), 1 + 25, "{one}");
    assert!(
        err.contains("25 exported"),
        "plain progress off a terminal: {err}"
    );

    let doc = s.json(&["user", "export", "--concurrency", "8"], 0);
    assert_eq!(doc["result"], "Success");
    let names: Vec<&str> = records(&doc)
        .iter()
        .filter_map(|r| r["Username"].as_str())
        .collect();
    let csv_names: Vec<&str> = one
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(names, csv_names);
    // Typed: a Boolean is a Boolean in the export as everywhere.
    let locks: Vec<&Value> = records(&doc)
        .iter()
        .filter_map(|r| r.get("LockOut"))
        .collect();
    assert!(
        !locks.is_empty() && locks.iter().all(|l| l.is_boolean()),
        "{doc}"
    );
}

#[test]
fn an_export_in_json_lines_imports_into_a_fresh_state() {
    let from = Sandbox::new();
    add_users(&from, 3);
    let doc = from.json(&["user", "export"], 0);
    let added: Vec<&Value> = records(&doc)
        .iter()
        .filter(|r| {
            r["Username"]
                .as_str()
                .is_some_and(|u| u.ends_with("@example.com"))
        })
        .collect();
    assert_eq!(added.len(), 3);
    let to = Sandbox::new();
    let lines = to.path("users.jsonl");
    let text: String = added.iter().map(|r| format!("{r}\n\n")).collect();
    std::fs::write(&lines, text).expect("write");
    to.run(&["user", "import", lines.to_str().expect("utf-8")], 0);
    let back = to.json(&["user", "export"], 0);
    let imported: Vec<&Value> = records(&back)
        .iter()
        .filter(|r| {
            r["Username"]
                .as_str()
                .is_some_and(|u| u.ends_with("@example.com"))
        })
        .collect();
    assert_eq!(imported, added, "what was exported comes back the same");

    // A bad line is named with its line number; nothing is sent.
    let bad = to.path("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"Username\": \"z@example.com\"}\n{\"Username\": 5}\n",
    )
    .expect("write");
    let (_, err) = to.run(&["user", "import", bad.to_str().expect("utf-8")], 64);
    assert!(err.contains("line 2"), "{err}");
    assert!(!to.usernames().contains(&"z@example.com".to_string()));
}

#[test]
fn completions_and_man_pages_cover_every_command_of_the_spec() {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (script, _) = s.run(&["completions", shell], 0);
        for op in OPERATIONS.iter() {
            for f in op.fields.iter().filter(|f| f.input.is_some()) {
                // Every property flag of the spec is offered (its kebab-case wire name appears).
                let flag_part = f.property.name.to_lowercase();
                assert!(
                    script.to_lowercase().replace('-', "").contains(&flag_part),
                    "{shell} completions lack {}.{}",
                    op.name,
                    f.property.name
                );
            }
        }
    }
    let dir = s.path("man");
    s.run(&["man", "--out", dir.to_str().expect("utf-8")], 0);
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .expect("man dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    assert!(pages.contains(&"akixi.1".to_string()));
    assert!(pages.contains(&"akixi-user-add.1".to_string()), "{pages:?}");
    assert!(pages.iter().all(|p| !p.contains("-help")), "{pages:?}");
    // One page per command of the spec (its family's group, then the operation's command).
    let groups = pages.iter().filter(|p| p.matches('-').count() >= 2).count();
    assert!(groups >= OPERATIONS.len(), "{} pages", pages.len());
}

#[test]
fn help_groups_options_and_global_options_go_anywhere() {
    let s = Sandbox::new();
    let (help, _) = s.run(&["user", "add", "--help"], 0);
    let at = |heading: &str| {
        help.find(heading)
            .unwrap_or_else(|| panic!("no {heading} in {help}"))
    };
    assert!(at("Properties:") < at("Scope container:"));
    assert!(at("Scope container:") < at("Connection and output:"));
    let before = s.json(&["--format", "json", "user", "list"], 0);
    let after = s.json(&["user", "list"], 0);
    assert_eq!(before, after);
    let (so, _) = s.run(
        &["--format=json", "-v", "user", "list", "--max-items", "1"],
        0,
    );
    let doc: Value = serde_json::from_str(so.trim()).expect("json");
    assert_eq!(records(&doc).len(), 1);
}
