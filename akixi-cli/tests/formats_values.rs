//! Issue 21, items 7 to 9, against the embedded simulator: the target named before every
//! write and by `config current`; `--format` honoured or refused by name, tables measured by
//! display width and never cut when piped; clearing a property (`--clear`, JSON `null`),
//! ranges from the spec (the omnichannel TCP ports), enumerations in any case, a change with
//! nothing to change refused, a URL without a scheme, and the directory-entry list's partition.

mod common;

use common::Sandbox;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

fn records(doc: &Value) -> &Vec<Value> {
    doc["records"].as_array().expect("records")
}

fn add_ann(s: &Sandbox) {
    s.add_user(
        "ann@example.com",
        &[
            "--full-name",
            "Ann",
            "--scope-tel-sys-id",
            "1",
            "--scope-reporting-access",
            "Akixi 2000",
            "--default-lang",
            "en_GB",
            "--permissions-non-admin",
            "Report|Read",
        ],
        0,
    );
}

fn ann(s: &Sandbox) -> Value {
    s.user("ann@example.com")
}

/// `user change --username ann@example.com`, then `more`, expecting exit `code`.
fn change_ann(s: &Sandbox, more: &[&str], code: i32) -> (String, String) {
    let mut args = vec!["user", "change", "--username", "ann@example.com"];
    args.extend_from_slice(more);
    s.run(&args, code)
}

/// Writes `doc` to a file and runs `FAMILY change --from-json FILE`, then `more`, expecting exit
/// `code`.
fn change_from_json(
    s: &Sandbox,
    family: &str,
    doc: &Value,
    more: &[&str],
    code: i32,
) -> (String, String) {
    let file = s.path("change.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    let mut args = vec![
        family,
        "change",
        "--from-json",
        file.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(more);
    s.run(&args, code)
}

/// A config file with profile `acme` (the default) for a service that is not there, whose URL
/// holds a password that must never be shown.
fn write_profile(s: &Sandbox) {
    std::fs::write(
        s.path("config.toml"),
        r#"default-profile = "acme"

[profiles.acme]
url = "http://ann:s3cret@127.0.0.1:9/XML"
login = "admin@acme.example"
platform = "cisco-broadworks"
timeout = 2
password-command = "echo not-a-real-password"
"#,
    )
    .expect("config");
}

// ---- 7. The target is always named ----

#[test]
fn every_write_names_the_embedded_simulator_first_and_reads_do_not() {
    let s = Sandbox::new();
    let state = s.state().display().to_string();
    let (_, err) = s.add_user("bob@example.com", &["--full-name", "Bob"], 0);
    assert_eq!(
        err.lines().next(),
        Some(format!("→ embedded simulator ({state})").as_str()),
        "{err}"
    );
    for args in [
        &[
            "user",
            "change",
            "--username",
            "bob@example.com",
            "--full-name",
            "B",
        ][..],
        &["user", "delete", "--username", "bob@example.com", "--yes"][..],
    ] {
        let (_, err) = s.run(args, 0);
        assert!(err.starts_with("→ embedded simulator ("), "{args:?}: {err}");
    }
    let csv = s.path("users.csv");
    common::write_csv(
        &csv,
        "Username,FullName",
        &["carl@example.com,Carl".to_string()],
    );
    let (_, err) = s.run(&["user", "import", csv.to_str().expect("utf-8")], 0);
    assert!(err.starts_with("→ embedded simulator ("), "{err}");
    let (_, err) = s.run(&["user", "list"], 0);
    assert!(!err.contains('→'), "a read names no target: {err}");
}

#[test]
fn a_profile_and_a_url_are_named_without_the_password() {
    let s = Sandbox::new();
    write_profile(&s);
    let out = s
        .akixi()
        .args(["user", "add", "--username", "x@example.com"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().next(),
        Some("→ profile acme: http://ann@127.0.0.1:9/XML as admin@acme.example"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    assert_ne!(out.status.code(), Some(0), "nothing listens there");

    let out = s
        .akixi()
        .env("AKIXI_PASSWORD", "pw")
        .args([
            "user",
            "delete",
            "--username",
            "x@example.com",
            "--url",
            "http://127.0.0.1:9/Other",
            "--login",
            "ann@example.com",
            "--yes",
        ])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().next(),
        Some("→ http://127.0.0.1:9/Other as ann@example.com"),
        "another URL is not the profile's service: {err}"
    );
}

#[test]
fn config_current_shows_what_the_options_resolve_to() {
    let s = Sandbox::new();
    let (text, _) = s.run(&["config", "current"], 0);
    assert!(text.contains("embedded simulator"), "{text}");
    assert!(text.contains(&s.state().display().to_string()), "{text}");
    let doc = s.json(&["config", "current"], 0);
    assert_eq!(doc["service"], "embedded-simulator");
    assert_eq!(doc["profile"], Value::Null);
    assert_eq!(doc["simulator_state"], s.state().display().to_string());
    assert_eq!(doc["api"], "akixi");

    write_profile(&s);
    let (text, _) = s.run(&["config", "current"], 0);
    assert!(text.contains("acme"), "{text}");
    assert!(
        text.contains("http://ann@127.0.0.1:9/XML (profile)"),
        "{text}"
    );
    assert!(text.contains("cisco-broadworks (profile)"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
    let doc = s.json(&["config", "current"], 0);
    assert_eq!(doc["profile"], "acme");
    assert_eq!(doc["url"], "http://ann@127.0.0.1:9/XML");
    assert_eq!(doc["url_from"], "profile");
    assert_eq!(doc["login"], "admin@acme.example");
    assert_eq!(doc["platform"], "cisco-broadworks");
    assert_eq!(doc["timeout"], 2);
    assert_eq!(
        doc["target"],
        "→ profile acme: http://ann@127.0.0.1:9/XML as admin@acme.example"
    );
    // Flags win; the profile's login goes only to the profile's own service.
    // (Before the group too, as the Akixi groups take them.)
    let doc = s.json(
        &[
            "--url",
            "https://other.example/XML",
            "config",
            "current",
            "--platform",
            "hipath3000",
        ],
        0,
    );
    assert_eq!(doc["url"], "https://other.example/XML");
    assert_eq!(doc["url_from"], "flag");
    assert_eq!(doc["login"], Value::Null);
    assert_eq!(doc["platform"], "hipath3000");
    assert_eq!(doc["platform_from"], "flag");
    let (_, err) = s.run(&["config", "current", "--format", "csv"], 64);
    assert!(err.contains("table") && err.contains("json"), "{err}");
}

// ---- 8. Formats as documented ----

#[test]
fn records_print_as_csv_and_json_and_other_formats_are_refused_by_name() {
    let s = Sandbox::new();
    add_ann(&s);
    let (csv, _) = s.run(&["user", "list", "--format", "csv"], 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "Username", "{csv}");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[0].to_string())
        .collect();
    assert!(names.contains(&"ann@example.com".to_string()), "{csv}");
    let (csv, _) = s.run(
        &[
            "user",
            "info",
            "--username",
            "ann@example.com",
            "--format",
            "csv",
        ],
        0,
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "a header and one row: {csv}");
    assert!(lines[0].contains("Scope.ReportingAccess"), "{csv}");
    assert!(lines[1].contains("Akixi 2000"), "{csv}");

    let file = s.path("u.csv");
    common::write_csv(&file, "Username", &["z@example.com".to_string()]);
    let file = file.to_str().expect("utf-8");
    let (_, err) = s.run(&["user", "import", file, "--format", "csv"], 64);
    assert!(err.contains("import prints table or json"), "{err}");
    let (_, err) = s.run(&["user", "export", "--format", "table"], 64);
    assert!(err.contains("export prints csv or json"), "{err}");
    let (_, err) = s.add_user("y@example.com", &["--format", "csv"], 64);
    assert!(err.contains("add prints table or json"), "{err}");
    assert!(
        !s.usernames().contains(&"y@example.com".to_string()),
        "nothing sent"
    );
    let (_, err) = s.run(&["user", "plan", file, "--format", "csv"], 64);
    assert!(err.contains("plan prints table or json"), "{err}");
    // An export's default is still CSV.
    let (text, _) = s.run(&["user", "export"], 0);
    assert!(text.starts_with("Username,"), "{text}");
}

#[test]
fn double_width_names_align_and_piped_tables_are_never_cut() {
    let s = Sandbox::new();
    let long = "L".repeat(300);
    for (user, name) in [
        ("yamada@example.com", "山田太郎"),
        ("ann@example.com", "Ann"),
        ("long@example.com", long.as_str()),
    ] {
        s.add_user(user, &["--full-name", name, "--lock-out", "False"], 0);
    }
    let (text, _) = s.run(
        &[
            "user",
            "list",
            "--search-query",
            "example.com",
            "--user-fields",
            "LockOut",
        ],
        0,
    );
    let starts: Vec<usize> = text
        .lines()
        .filter_map(|l| {
            let at = l.find("LockOut").or_else(|| l.find("False"))?;
            Some(l[..at].width())
        })
        .collect();
    assert!(starts.len() >= 4, "{text}");
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{text}"
    );
    assert!(text.contains(&long), "piped output is not cut: {text}");
    assert!(!text.contains('…'), "{text}");
}

// ---- 9. Values ----

#[test]
fn clear_empties_text_enumerations_and_lists_and_refuses_what_has_no_empty_value() {
    let s = Sandbox::new();
    add_ann(&s);
    change_ann(
        &s,
        &[
            "--clear",
            "DefaultLang",
            "--clear",
            "scope-reporting-access",
            "--clear",
            "Permissions.NonAdmin",
        ],
        0,
    );
    let r = ann(&s);
    assert_eq!(r["DefaultLang"], "", "{r}");
    assert_eq!(r["Scope"]["ReportingAccess"], "", "{r}");
    assert_eq!(r["Permissions"]["NonAdmin"], json!([]), "{r}");
    assert_eq!(r["FullName"], "Ann", "what is not cleared stays: {r}");
    assert_eq!(r["Scope"]["TelSysID"], 1, "{r}");

    let (_, err) = change_ann(&s, &["--clear", "Scope.TelSysID"], 64);
    assert!(err.contains("whole number"), "{err}");
    let (_, err) = change_ann(&s, &["--clear", "Nope"], 64);
    assert!(err.contains("FullName"), "names what can be cleared: {err}");
    let (_, err) = change_ann(&s, &["--full-name", "X", "--clear", "FullName"], 64);
    assert!(err.contains("--full-name and --clear FullName"), "{err}");
}

#[test]
fn a_json_null_clears_and_a_flag_beside_it_wins() {
    let s = Sandbox::new();
    add_ann(&s);
    let info = json!({
        "operation": "UserInfo",
        "result": "Success",
        "records": [{
            "Username": "ann@example.com",
            "FullName": null,
            "DefaultLang": null,
            "Scope": {"ReportingAccess": "akixi 3000"}
        }]
    });
    change_from_json(&s, "user", &info, &["--default-lang", "en_us"], 0);
    let r = ann(&s);
    assert_eq!(r["FullName"], "", "null cleared it: {r}");
    assert_eq!(
        r["DefaultLang"], "en_US",
        "the flag won, in its exact spelling: {r}"
    );
    assert_eq!(r["Scope"]["ReportingAccess"], "Akixi 3000", "{r}");
    let bad = json!({"Username": "ann@example.com", "LockOut": null});
    let (_, err) = change_from_json(&s, "user", &bad, &[], 64);
    assert!(err.contains("LockOut") && err.contains("Boolean"), "{err}");
}

#[test]
fn enumerations_are_matched_in_any_case_where_unambiguous() {
    let s = Sandbox::new();
    s.add_user(
        "ann@example.com",
        &[
            "--scope-tel-sys-id",
            "1",
            "--scope-reporting-access",
            "AKIXI 1000",
            "--default-lang",
            "EN_gb",
            "--permissions-non-admin",
            "report|read",
            "--lock-out",
            "TRUE",
        ],
        0,
    );
    let r = ann(&s);
    assert_eq!(r["Scope"]["ReportingAccess"], "Akixi 1000", "{r}");
    assert_eq!(r["DefaultLang"], "en_GB", "{r}");
    assert_eq!(r["Permissions"]["NonAdmin"], json!(["Report|Read"]), "{r}");
    assert_eq!(r["LockOut"], true, "{r}");
    let (_, err) = change_ann(&s, &["--scope-reporting-access", "Akixi 9000"], 64);
    assert!(err.contains("Akixi 1000"), "lists the values: {err}");
}

#[test]
fn the_omnichannel_tcp_ports_are_1_to_65535() {
    let s = Sandbox::new();
    let change = |port: &str, code: i32| {
        s.run(
            &[
                "omnichannel-int",
                "change",
                "--unique-id",
                "email-demo",
                "--api-communication-settings-tcp-port1",
                port,
            ],
            code,
        )
    };
    let (_, err) = change("70000", 64);
    assert!(
        err.contains("1 to 65535") || err.contains("1..65535"),
        "{err}"
    );
    change("0", 64);
    change("65535", 0);
    let (help, _) = s.run(&["omnichannel-int", "change", "--help"], 0);
    assert!(help.contains("[1..65535]"), "{help}");
    let port = json!({"UniqueID": "email-demo", "APICommunicationSettings": {"TCPPort1": 70000}});
    let (_, err) = change_from_json(&s, "omnichannel-int", &port, &[], 64);
    assert!(err.contains("TCPPort1"), "{err}");
    let doc = s.json(&["omnichannel-int", "info", "--unique-id", "email-demo"], 0);
    assert_eq!(
        records(&doc)[0]["APICommunicationSettings"]["TCPPort1"],
        65535,
        "{doc}"
    );
}

#[test]
fn a_change_with_nothing_to_change_is_a_usage_error_naming_what_can_change() {
    let s = Sandbox::new();
    add_ann(&s);
    let (out, err) = change_ann(&s, &[], 64);
    assert!(!out.contains("ok"), "{out}");
    assert!(err.contains("nothing to change"), "{err}");
    assert!(
        err.contains("--full-name") && err.contains("--clear"),
        "{err}"
    );
    let keys = json!({"Username": "ann@example.com"});
    let (_, err) = change_from_json(&s, "user", &keys, &[], 64);
    assert!(err.contains("nothing to change"), "{err}");
}

#[test]
fn a_url_without_a_scheme_gets_a_suggestion() {
    let s = Sandbox::new();
    let (_, err) = s.run(
        &[
            "user",
            "list",
            "--url",
            "127.0.0.1:8080",
            "--login",
            "a@example.com",
        ],
        64,
    );
    assert!(err.contains("did you mean http://127.0.0.1:8080?"), "{err}");
    assert!(!err.contains("relative URL"), "{err}");
}

#[test]
fn a_directory_entry_list_names_its_partition() {
    let s = Sandbox::new();
    let (help, _) = s.run(&["directory-entry", "list", "--help"], 0);
    assert!(help.contains("partition is required"), "{help}");
    let (_, err) = s.run(&["directory-entry", "list", "--tel-sys-id", "1"], 64);
    assert!(err.contains("--part-id-in-tel-sys"), "{err}");
    let doc = s.json(
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
    assert!(!records(&doc).is_empty(), "{doc}");
}
