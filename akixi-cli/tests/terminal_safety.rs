//! Stored values never drive the terminal: tables, `info`, the export's CSV on a terminal,
//! import messages and error messages show control characters escaped (`\x1b`, `\u{9b}`),
//! with one note on stderr; `--format json` and CSV written to a file keep the exact value;
//! `--csv-formula-guard` keeps a spreadsheet from running a cell as a formula.

mod common;

use std::process::Command as Process;

use common::{Sandbox, expect_exit, write_csv};
use serde_json::{Value, json};

/// A name a hostile supervisor could store in its own `FullName` that XML 1.0 can carry: an
/// 8-bit OSC 52 (writes the viewer's clipboard: `OSC 52 ; c ; base64 ST`), an 8-bit CSI
/// colour, DEL and a right-to-left override; it starts with `=`, a spreadsheet formula.
const HOSTILE: &str = "=Eve\u{9d}52;c;SGVsbG8=\u{9c}\u{9b}31mRed\u{7f}\u{202e}txt.exe";

/// How a table shows [`HOSTILE`].
const HOSTILE_SHOWN: &str = "=Eve\\u{9d}52;c;SGVsbG8=\\u{9c}\\u{9b}31mRed\\x7f\\u{202e}txt.exe";

/// The 7-bit controls XML 1.0 cannot carry: ESC, NUL and an OSC 52 ended by BEL.
const C0_HOSTILE: &str = "Mallory\u{1b}]52;c;SGVsbG8=\u{7}\u{0}\u{1b}[2J";

const NOTE: &str = "held control characters, shown escaped; --format json gives the exact values";

/// The characters that must never reach a terminal raw, line feeds aside.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            c != '\n'
                && (c.is_control()
                    || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'))
        })
        .collect()
}

fn assert_no_raw_controls(what: &str, text: &str) {
    let raw = raw_controls(text);
    assert!(
        raw.is_empty(),
        "{what} passes {raw:?} through raw:\n{text:?}"
    );
}

/// Adds a user, then sets its `FullName` to `full_name` with `user change` (from JSON, so that
/// any character can be given); returns the change's exit code and stderr.
fn user_named(s: &Sandbox, username: &str, full_name: &str) -> (Option<i32>, String) {
    s.add_user(username, &["--full-name", "Plain"], 0);
    let file = s.path("change.json");
    std::fs::write(
        &file,
        json!({ "Username": username, "FullName": full_name }).to_string(),
    )
    .expect("writes");
    let out = s
        .akixi()
        .args([
            "user",
            "change",
            "--from-json",
            file.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn full_name_in_json(doc: &Value, username: &str) -> Option<String> {
    doc["records"]
        .as_array()?
        .iter()
        .find(|r| r["Username"] == username)?
        .get("FullName")?
        .as_str()
        .map(str::to_owned)
}

/// A sandbox whose user `eve@terminal.invalid` is stored with the `HOSTILE` full name.
fn eve() -> (Sandbox, &'static str) {
    let s = Sandbox::new();
    let user = "eve@terminal.invalid";
    let (code, err) = user_named(&s, user, HOSTILE);
    assert_eq!(code, Some(0), "{err}");
    (s, user)
}

#[test]
fn tables_show_stored_controls_escaped_with_one_note_and_json_keeps_them_exact() {
    let (s, user) = eve();

    let (list, err) = s.run(&["user", "list"], 0);
    assert_no_raw_controls("user list", &list);
    let line = list
        .lines()
        .find(|l| l.starts_with(user))
        .unwrap_or_else(|| panic!("{user} listed: {list}"));
    assert!(line.contains(HOSTILE_SHOWN), "{line}");
    assert_eq!(err.matches(NOTE).count(), 1, "one note: {err}");
    assert!(err.contains("akixi: 1 value held"), "{err}");

    let (info, err) = s.run(&["user", "info", "--username", user], 0);
    assert_no_raw_controls("user info", &info);
    assert!(
        info.lines()
            .any(|l| l.starts_with("FullName") && l.ends_with(HOSTILE_SHOWN)),
        "{info}"
    );
    assert_eq!(err.matches(NOTE).count(), 1, "{err}");

    // JSON is for programs: the exact value, and no note.
    for args in [
        vec!["user", "info", "--username", user, "--format", "json"],
        vec!["user", "list", "--format", "json"],
    ] {
        let (out, err) = s.run(&args, 0);
        assert_no_raw_controls("JSON", &out);
        let doc: Value = serde_json::from_str(out.trim()).expect("JSON");
        assert_eq!(
            full_name_in_json(&doc, user).as_deref(),
            Some(HOSTILE),
            "{args:?}"
        );
        assert!(!err.contains(NOTE), "{err}");
    }

    // A value with nothing to escape gets no note.
    let (_, err) = s.run(
        &["user", "info", "--username", "admin@akixi-sim.invalid"],
        0,
    );
    assert!(!err.contains(NOTE), "{err}");
}

#[test]
fn seven_bit_controls_are_refused_by_the_service_or_shown_escaped() {
    let s = Sandbox::new();
    let user = "mallory@terminal.invalid";
    let (code, err) = user_named(&s, user, C0_HOSTILE);
    // Whatever the service answers, its message reaches the terminal escaped.
    assert_no_raw_controls("user change's stderr", &err);
    let doc = s.json(&["user", "info", "--username", user], 0);
    let stored = full_name_in_json(&doc, user).expect("a FullName");
    if code == Some(0) {
        // A service that stores them: tables escape them, JSON keeps them.
        assert_eq!(stored, C0_HOSTILE);
        let (list, err) = s.run(&["user", "list"], 0);
        assert_no_raw_controls("user list", &list);
        assert!(
            list.contains("Mallory\\x1b]52;c;SGVsbG8=\\x07\\x00\\x1b[2J"),
            "{list}"
        );
        assert!(err.contains(NOTE), "{err}");
        let (csv_out, _) = s.run(&["user", "export"], 0);
        assert!(csv_out.contains(C0_HOSTILE), "exact in CSV to a file");
    } else {
        // XML 1.0 cannot carry them: a service that refuses them keeps the old name.
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(stored, "Plain");
    }
}

/// The export's CSV rows (header first), parsed.
fn csv_records(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record"))
        .collect()
}

fn full_name_in_csv(text: &str, username: &str) -> String {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column: {header:?}"))
    };
    let (user_col, name_col) = (column("Username"), column("FullName"));
    csv_records(text)
        .into_iter()
        .find(|r| r.get(user_col) == Some(username))
        .and_then(|r| r.get(name_col).map(str::to_owned))
        .unwrap_or_else(|| panic!("{username} exported: {text}"))
}

#[test]
fn export_csv_is_exact_in_a_file_and_the_formula_guard_prefixes_formula_cells() {
    let (s, user) = eve();

    // Standard output is a pipe here, as it is for a file: exact values (CSV is machine-read),
    // so the file imports again as it was.
    let (exact, err) = s.run(&["user", "export"], 0);
    assert_eq!(full_name_in_csv(&exact, user), HOSTILE);
    assert!(!err.contains(NOTE), "{err}");

    let (guarded, _) = s.run(&["user", "export", "--csv-formula-guard"], 0);
    assert_eq!(full_name_in_csv(&guarded, user), format!("'{HOSTILE}"));
    // Only cells a spreadsheet would run are touched.
    assert_eq!(
        full_name_in_csv(&guarded, "admin@akixi-sim.invalid"),
        "Simulator Administrator"
    );
    // JSON ignores the guard: the exact value.
    let (out, _) = s.run(
        &["user", "export", "--csv-formula-guard", "--format", "json"],
        0,
    );
    assert_no_raw_controls("JSON export", &out);
    let doc: Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(full_name_in_json(&doc, user).as_deref(), Some(HOSTILE));

    let (help, _) = s.run(&["user", "export", "--help"], 0);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("--csv-formula-guard")
            && help.contains("put a ' in front of every cell that starts with =, +, -, @, a tab or a carriage return"),
        "the help says what the guard does: {help}"
    );
}

#[test]
fn export_csv_on_a_terminal_is_escaped() {
    // A terminal on standard output, from util-linux's `script`; without it this case is left
    // to the unit tests of the cell writer.
    let Ok(script) = which("script") else {
        eprintln!("skipped: no `script` to give the export a terminal");
        return;
    };
    let (s, _) = eve();
    let bin = assert_cmd::cargo::cargo_bin("akixi");
    let command = format!(
        "'{}' user export --csv-formula-guard 2>'{}'",
        bin.display(),
        s.path("stderr.txt").display()
    );
    let mut run = Process::new(script);
    run.args(["-qec", &command, "/dev/null"])
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL");
    let out = run.output().expect("script runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The terminal ends its lines with CR LF.
    let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert_no_raw_controls("CSV on a terminal", &shown);
    assert!(
        shown.contains(&format!("'{HOSTILE_SHOWN}")),
        "guarded, then escaped: {shown}"
    );
    let err = std::fs::read_to_string(s.path("stderr.txt")).expect("stderr");
    assert_eq!(err.matches(NOTE).count(), 1, "{err}");
}

/// The path of `program` on `PATH`.
fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn import_and_error_messages_quote_stored_values_escaped() {
    let (s, user) = eve();
    // The row's add answer is lost; the entity exists with the hostile name, so the row is a
    // conflict whose message quotes the stored value.
    let file = s.path("users.csv");
    write_csv(&file, "Username,FullName", &[format!("{user},Honest Name")]);
    let results = s.path("results.csv");
    let args = [
        "user",
        "import",
        file.to_str().expect("utf-8"),
        "--results",
        results.to_str().expect("utf-8"),
    ];
    let (out, err) = expect_exit(
        s.akixi()
            .env("AKIXI_SIM_FAULTS", "UserAdd first=1 reset-after")
            .args(args),
        &args,
        2,
    );
    assert!(
        out.contains("1 in conflict") || err.contains("1 in conflict"),
        "{out}{err}"
    );
    assert_no_raw_controls("import's stderr", &err);
    assert!(
        err.contains(HOSTILE_SHOWN),
        "the conflict quotes it escaped: {err}"
    );
    assert_eq!(err.matches(NOTE).count(), 1, "{err}");
    // The results file is read by programs: the exact value.
    let text = std::fs::read_to_string(&results).expect("results");
    assert!(text.contains(HOSTILE), "{text}");

    // The service's own error message quoting a value given to it.
    let ghost = "ghost\u{9b}31m\u{202e}@terminal.invalid";
    let (_, err) = s.run(&["user", "info", "--username", ghost], 1);
    assert_no_raw_controls("an error message", &err);
    if err.contains("ghost") {
        assert!(err.contains("ghost\\u{9b}31m\\u{202e}"), "{err}");
        assert_eq!(err.matches(NOTE).count(), 1, "{err}");
    }
}
