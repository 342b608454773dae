//! One command table for both protocols: an `em` command and an Akixi command, made by the
//! same builder, have the same help structure (sections, global options, the kinds of value
//! hints), the same value checks and the same `--format json` envelope. Real runs of the
//! binary against the embedded simulator.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One `--help` output, parsed: its sections (`Options`, `Properties`, `Connection and
/// output`, …) in order, each with its options as `(flag, value hint, help text)`.
struct Help {
    sections: Vec<(String, Vec<Opt>)>,
}

/// One option of a help section.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Opt {
    /// `--timeout`.
    flag: String,
    /// `<SECONDS>`, or empty for a switch.
    value: String,
    /// Its help, continuation lines joined, whitespace collapsed.
    text: String,
}

impl Help {
    fn parse(help: &str) -> Help {
        let mut sections: Vec<(String, Vec<Opt>)> = Vec::new();
        for line in help.lines() {
            if line.starts_with("Usage:") {
                sections.push(("Usage".to_string(), Vec::new()));
                continue;
            }
            if let Some(heading) = line.strip_suffix(':').filter(|h| !h.starts_with(' ')) {
                sections.push((heading.to_string(), Vec::new()));
                continue;
            }
            let Some((_, opts)) = sections.last_mut() else {
                continue;
            };
            let trimmed = line.trim_start();
            // An option starts near the margin; its help's continuation lines are indented
            // past its flags.
            if trimmed.starts_with('-') && line.len() - trimmed.len() <= 6 {
                // `-v, --verbose  Help` or `--url <URL>  Help`.
                let words: Vec<&str> = trimmed.split_whitespace().collect();
                let Some(i) = words.iter().position(|w| w.starts_with("--")) else {
                    continue;
                };
                let flag = words[i].trim_end_matches(',').to_string();
                let (value, rest) = match words.get(i + 1) {
                    Some(v) if v.starts_with('<') || v.starts_with("[<") => {
                        (v.to_string(), &words[i + 2..])
                    }
                    _ => (String::new(), &words[i + 1..]),
                };
                opts.push(Opt {
                    flag,
                    value,
                    text: rest.join(" "),
                });
            } else if !trimmed.is_empty()
                && let Some(last) = opts.last_mut()
            {
                last.text = format!("{} {}", last.text, trimmed).trim().to_string();
            }
        }
        Help { sections }
    }

    fn names(&self) -> Vec<&str> {
        self.sections.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn section(&self, name: &str) -> &[Opt] {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.as_slice())
            .unwrap_or_else(|| panic!("no {name} section in {:?}", self.names()))
    }

    /// Every option outside the usage and the global options: the properties, whatever their
    /// container.
    fn properties(&self) -> Vec<&Opt> {
        self.sections
            .iter()
            .filter(|(n, _)| n != "Usage" && n != "Options" && n != GLOBAL)
            .flat_map(|(_, o)| o)
            .collect()
    }
}

/// The global options' heading.
const GLOBAL: &str = "Connection and output";

/// The kind of value hint a property's help ends with.
fn hint_kind(o: &Opt) -> &'static str {
    let t = &o.text;
    if o.value.is_empty() {
        "switch"
    } else if t.contains("[comma-separated]") {
        "list"
    } else if t.contains("..")
        && t.trim_end().ends_with(']')
        && t.rsplit('[').next().is_some_and(|r| {
            r.split("..")
                .all(|n| n.trim_end_matches(']').parse::<i64>().is_ok())
        })
    {
        "range"
    } else if t.trim_end().ends_with(']') && t.rsplit('[').next().is_some_and(|r| r.contains(" | "))
    {
        "enumeration"
    } else {
        "text"
    }
}

fn help(s: &common::Sandbox, args: &[&str]) -> Help {
    let (so, _) = s.run(args, 0);
    Help::parse(&so)
}

/// The same sections in the same order (an Akixi command has a section per container too,
/// which the EM actions have none of), and the same global options: spelt, hinted and
/// explained alike; `em` adds only its own `--scheme`.
#[test]
fn em_and_akixi_help_have_the_same_structure_and_global_options() {
    let sandbox = common::Sandbox::new();
    let em = help(&sandbox, &["em", "login", "--help"]);
    let akixi = help(&sandbox, &["user", "add", "--help"]);
    let containers = |h: &Help| -> Vec<String> {
        h.names()
            .into_iter()
            .filter(|n| !n.ends_with(" container"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        containers(&em),
        containers(&akixi),
        "{:?} / {:?}",
        em.names(),
        akixi.names()
    );
    assert_eq!(
        containers(&em),
        ["Usage", "Options", "Properties", GLOBAL],
        "{:?}",
        em.names()
    );

    let by_flag = |h: &Help| -> BTreeMap<String, Opt> {
        h.section(GLOBAL)
            .iter()
            .map(|o| (o.flag.clone(), o.clone()))
            .collect()
    };
    let (em_globals, akixi_globals) = (by_flag(&em), by_flag(&akixi));
    for (flag, opt) in &akixi_globals {
        assert_eq!(em_globals.get(flag), Some(opt), "{flag}");
    }
    let em_own: Vec<&String> = em_globals
        .keys()
        .filter(|f| !akixi_globals.contains_key(*f))
        .collect();
    assert_eq!(em_own, ["--scheme"]);
    for flag in ["--url", "--format", "--timeout", "--verbose", "--profile"] {
        assert!(
            akixi_globals.contains_key(flag),
            "{flag}: {akixi_globals:?}"
        );
    }
    // The same global options at the top, before the group, for either protocol (beside the
    // root's own --sim-from-snapshot, given before the group only).
    let root = help(&sandbox, &["--help"]);
    let mut root_globals: BTreeSet<String> = root
        .section(GLOBAL)
        .iter()
        .map(|o| o.flag.clone())
        .collect();
    assert!(
        root_globals.remove("--sim-from-snapshot"),
        "{root_globals:?}"
    );
    assert_eq!(
        root_globals,
        akixi_globals.keys().cloned().collect::<BTreeSet<_>>()
    );
}

/// A property's flag is hinted alike in both: its type's name as the value (`<MINUTES>`,
/// `<CCMVERSION>`), a range for a whole number, the values of an enumeration, the separator of
/// a list.
#[test]
fn em_and_akixi_flags_have_the_same_kinds_of_value_hints() {
    let sandbox = common::Sandbox::new();
    let kinds = |commands: &[&[&str]]| -> BTreeSet<&'static str> {
        let mut out = BTreeSet::new();
        for args in commands {
            for o in help(&sandbox, args).properties() {
                let inner = o.value.trim_start_matches('[').trim_end_matches(']');
                assert!(
                    o.value.is_empty()
                        || (inner.starts_with('<')
                            && inner.ends_with('>')
                            && inner[1..inner.len() - 1]
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())),
                    "{args:?}: {o:?}"
                );
                out.insert(hint_kind(o));
            }
        }
        out
    };
    let em = kinds(&[
        &["em", "login", "--help"],
        &["em", "query-devices", "--help"],
    ]);
    let akixi = kinds(&[&["user", "add", "--help"]]);
    for kind in ["range", "enumeration", "list", "text"] {
        assert!(em.contains(kind), "em lacks {kind}: {em:?}");
        assert!(akixi.contains(kind), "akixi lacks {kind}: {akixi:?}");
    }
}

/// A value outside its type is refused before anything is sent, in the same words and with
/// the same exit code (64), whichever protocol the command speaks.
#[test]
fn em_and_akixi_values_are_checked_alike() {
    let sandbox = common::Sandbox::new();
    let user = [
        "user",
        "add",
        "--username",
        "a@example.com",
        "--scope-tel-sys-id",
        "1",
    ];
    let login = [
        "em",
        "login",
        "--device-name",
        "SEP001122334455",
        "--user-id",
        "jdoe",
    ];
    let refused = |args: &[&str], more: &[&str]| -> String {
        let all: Vec<&str> = args.iter().chain(more).copied().collect();
        let (so, err) = sandbox.run(&all, 64);
        assert_eq!(so, "", "{all:?}: nothing printed, nothing sent");
        err
    };
    // An enumeration's unknown value: the allowed values named.
    let em = refused(&login, &["--version", "v9"]);
    let akixi = refused(&user, &["--scope-reporting-access", "Akixi 9"]);
    for err in [&em, &akixi] {
        assert!(err.contains("invalid value"), "{err}");
        assert!(err.contains("is not a known"), "{err}");
        assert!(err.contains("use one of:"), "{err}");
    }
    // A whole number out of its range, or not one.
    let em = refused(&login, &["--logout-after", "-1"]);
    let akixi = refused(
        &["user", "add", "--username", "a@example.com"],
        &["--scope-tel-sys-id", "x"],
    );
    for err in [&em, &akixi] {
        assert!(err.contains("is not a whole number from"), "{err}");
    }
    // An enumeration's value in another case is its exact spelling, in both.
    let (so, _) = sandbox.run(
        &["em", "logout-all", "--version", "OTHER", "--format", "json"],
        0,
    );
    let doc: Value = serde_json::from_str(so.trim()).expect("JSON");
    assert_eq!(doc["result"], "Success", "{doc}");
}

/// The JSON type of each value of a document's top level.
fn shape(v: &Value) -> BTreeMap<String, &'static str> {
    v.as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| {
            let kind = match v {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            (k.clone(), kind)
        })
        .collect()
}

/// What the EM envelope has beside the Akixi one: the seed's own view.
const SEED_VIEW: [&str; 3] = ["ErrorCode", "ErrorMessage", "branch"];

/// The EM document's shape without the seed's view.
fn envelope(v: &Value) -> BTreeMap<String, &'static str> {
    let mut s = shape(v);
    s.retain(|k, _| !SEED_VIEW.contains(&k.as_str()));
    s
}

/// `--format json` prints the same envelope (`operation`, `result`, `records` or `errors`,
/// of the same JSON types), before the group or after the command; the EM document has only
/// the seed's view beside it.
#[test]
fn em_and_akixi_json_envelopes_have_the_same_shape() {
    let sandbox = common::Sandbox::new();
    let device = "SEP001122334455";
    let em_ok = sandbox.json(&["em", "query-devices", "--device-names", device], 0);
    let akixi_ok = sandbox.json(&["user", "list"], 0);
    assert_eq!(envelope(&em_ok), shape(&akixi_ok), "{em_ok} / {akixi_ok}");
    assert_eq!(shape(&akixi_ok).len(), 3, "{akixi_ok}");
    for k in SEED_VIEW {
        assert!(em_ok.get(k).is_some(), "{k}: {em_ok}");
    }
    assert_eq!(em_ok["result"], akixi_ok["result"]);
    for doc in [&em_ok, &akixi_ok] {
        assert!(
            doc["records"]
                .as_array()
                .is_some_and(|r| !r.is_empty() && r.iter().all(Value::is_object)),
            "{doc}"
        );
    }
    // The global option before the group gives the same document.
    let (so, _) = sandbox.run(
        &[
            "--format",
            "json",
            "em",
            "query-devices",
            "--device-names",
            device,
        ],
        0,
    );
    let before: Value = serde_json::from_str(so.trim()).expect("JSON");
    assert_eq!(before, em_ok);

    // A failure: the service refused (a wrong certificate; an unknown user).
    let mut cmd = sandbox.akixi();
    cmd.env("AKIXI_EM_APP_CERTIFICATE", "wrong");
    let args = ["em", "logout-all", "--app-id", "emapp", "--format", "json"];
    let (so, _) = common::expect_exit(cmd.args(args), &args, 1);
    let em_fail: Value = serde_json::from_str(so.trim()).expect("JSON");
    let akixi_fail = sandbox.json(&["user", "info", "--username", "nobody@example.invalid"], 1);
    assert_eq!(
        envelope(&em_fail),
        shape(&akixi_fail),
        "{em_fail} / {akixi_fail}"
    );
    assert_eq!(em_fail["result"], akixi_fail["result"]);
    let error_shape = |doc: &Value| shape(&doc["errors"][0]);
    assert_eq!(error_shape(&em_fail), error_shape(&akixi_fail));
}
