//! `akixi-spec diff OLD NEW` end to end: exit 0 when nothing breaks, 1 when something does, 2
//! when a spec does not load, 64 on a bad command line; the JSON document's shape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akixi-spec"))
        .arg("diff")
        .args(args)
        .output()
        .expect("akixi-spec runs")
}

fn diff(old: &str, new: &str, extra: &[&str]) -> Output {
    let (old, new) = (fixture(old), fixture(new));
    let mut args = vec![old.as_os_str(), new.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn additive_changes_exit_0_and_breaking_ones_exit_1() {
    let out = diff("diff/base", "diff/additive", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("additive  widgets: property Widget.Weight: added  [property-added]"));
    assert!(stdout.ends_with(
        "8 change(s): 0 breaking (api 0, wire 0, simulator 0), 8 additive, 0 neutral\n"
    ));

    let out = diff("diff/additive", "diff/base", &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    // Breaking changes first, each with its effects and both places.
    assert!(stdout.starts_with("BREAKING  widgets: value `Green` of Colour: removed"));
    assert!(stdout.contains("    api breaking, wire none, simulator none\n"));
    assert!(stdout.contains("diff/additive/svc/service.md:49:3\n"));
    assert!(stdout.contains("diff/base/svc/service.md:32:3\n"));

    let out = diff("diff/base", "diff/base", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "no changes\n");
}

#[test]
fn json_lists_every_change_with_its_impact_and_places() {
    let out = diff("diff/base", "diff/requirements", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["breaking"], true);
    assert_eq!(
        doc["summary"],
        serde_json::json!({
            "changes": 9, "breaking": 7, "additive": 2, "neutral": 0,
            "breaking_by_audience": {"api": 6, "wire": 6, "simulator": 6}
        })
    );
    let changes = doc["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 9);
    for c in changes {
        for key in ["service", "kind", "subject", "detail"] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["breaking"].is_boolean());
        for audience in ["api", "wire", "simulator"] {
            let effect = c["impact"][audience].as_str().expect("effect");
            assert!(["none", "additive", "breaking"].contains(&effect), "{c}");
        }
        for side in ["old", "new"] {
            assert!(c[side]["file"].is_string(), "{side} in {c}");
            assert!(c[side]["line"].as_u64().is_some_and(|l| l >= 1));
            assert!(c[side]["col"].as_u64().is_some_and(|l| l >= 1));
        }
    }
    let required = changes
        .iter()
        .find(|c| c["kind"] == "input-became-required")
        .expect("Size became required");
    assert_eq!(required["subject"], "usage of Widget.Size by WidgetAdd");
    assert_eq!(required["detail"], "optional -> required");
    assert!(
        required["old"]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("diff/base/svc/widgets.md"))
    );
    assert_eq!(required["old"]["line"], 32);
    assert_eq!(required["new"]["line"], 36);

    // `--format=json` is the same; an empty diff is an empty list.
    let out = diff("diff/base", "diff/base", &["--format=json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["breaking"], false);
    assert_eq!(doc["changes"], serde_json::json!([]));
}

#[test]
fn a_spec_that_does_not_load_exits_2_with_its_diagnostics() {
    let out = diff("diff/base", "broken/duplicate-error-code", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("broken/duplicate-error-code/"), "{stderr}");
    assert!(stderr.contains(": error: "), "{stderr}");
    assert!(stderr.contains("problem(s) in "), "{stderr}");

    let out = diff(
        "broken/duplicate-error-code",
        "diff/base",
        &["--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["error"], "a spec does not load");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert!(
            d["file"]
                .as_str()
                .is_some_and(|f| f.contains("duplicate-error-code")),
            "{d}"
        );
        assert!(d["line"].as_u64().is_some_and(|l| l >= 1), "{d}");
        assert!(d["col"].as_u64().is_some_and(|c| c >= 1), "{d}");
        assert_eq!(d["severity"], "error");
        assert!(d["message"].is_string());
    }
}

#[test]
fn a_bad_command_line_exits_64() {
    let base = fixture("diff/base");
    assert_eq!(run(&[base.as_os_str()]).status.code(), Some(64));
    let out = diff("diff/base", "diff/base", &["--format", "yaml"]);
    assert_eq!(out.status.code(), Some(64));
}
