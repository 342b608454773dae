//! The conformance cases of the real spec, run in `cargo test`: no case fails, no listed
//! divergence is stale, and `CONFORMANCE.md` holds the table this run prints. A case added to a
//! copy of the spec, as a file, is run with no Rust.

use std::path::{Path, PathBuf};

use akixi_conformance::{Verdict, run};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const BEGIN: &str = "<!-- conformance:begin (cargo run -p akixi-conformance -- spec) -->";
const END: &str = "<!-- conformance:end -->";

#[test]
fn every_case_passes_or_is_a_known_divergence_and_the_table_is_current() {
    let run = run(&workspace().join("spec")).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let problems = run.problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(run.rows.iter().any(|r| r.service == "akixi"));
    assert!(run.rows.iter().any(|r| r.service == "cisco-em"));
    let doc_path = workspace().join("CONFORMANCE.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    let table = run.markdown();
    let current = doc
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(t, _)| t.trim().to_owned());
    if current.as_deref() != Some(table.trim()) {
        if std::env::var_os("CONFORMANCE_UPDATE").is_some() {
            let (head, tail) = match doc.split_once(BEGIN) {
                Some((h, rest)) => (
                    h.to_owned(),
                    rest.split_once(END).map_or("", |(_, t)| t).to_owned(),
                ),
                None => (doc.clone(), "\n".to_owned()),
            };
            let new = format!("{head}{BEGIN}\n{}\n{END}{tail}", table.trim());
            std::fs::write(&doc_path, new).expect("write CONFORMANCE.md");
        } else {
            panic!(
                "CONFORMANCE.md's table is not this run's: regenerate it with \
                 CONFORMANCE_UPDATE=1 cargo test -p akixi-conformance --test conformance"
            );
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

const NEW_CASE: &str = r#"# A case added as a file

## case: added-logout-all-as-a-file
> source: inferred
> where: a case written by the test, no Rust
> action: LogoutAll
> parts: codec, client, simulator
> outcome: success

```xml request
<request><appInfo><appID>appid</appID><appCertificate>apppasswd</appCertificate></appInfo><logoutAll/></request>
```

```xml response
<response><success/></response>
```

| Parameter | Value |
|---|---|
| AppId | `appid` |
| AppCertificate | `apppasswd` |

## case: added-and-failing
> source: inferred
> where: a case whose documented response says something else than its outcome
> action: Logout
> parts: codec
> outcome: success

```xml response
<response><failure><error code="19">No user logged in</error></failure></response>
```
"#;

#[test]
fn a_case_added_to_a_copy_of_the_spec_is_run_with_no_rust() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("spec");
    copy_dir(&workspace().join("spec"), &spec);
    std::fs::write(spec.join("cisco-em/conformance/zz-added.md"), NEW_CASE).expect("write");
    let run = run(&spec).unwrap_or_else(|d| panic!("{d:?}"));
    let row = |id: &str| {
        run.rows
            .iter()
            .find(|r| r.case == id)
            .unwrap_or_else(|| panic!("{id} not run"))
    };
    assert_eq!(
        row("added-logout-all-as-a-file").verdicts,
        [Verdict::Pass, Verdict::Pass, Verdict::Pass]
    );
    assert!(matches!(
        row("added-and-failing").verdicts[0],
        Verdict::Fail(_)
    ));
    assert!(run.markdown().contains("`added-logout-all-as-a-file`"));
    assert_eq!(run.problems().len(), 1, "{:?}", run.problems());
}

#[test]
fn a_broken_case_file_is_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("spec");
    copy_dir(&workspace().join("spec"), &spec);
    std::fs::write(
        spec.join("cisco-em/conformance/zz-broken.md"),
        "## case: broken\n> source: nowhere\n> action: LogOut\n> parts: codec, sideways\n> colour: red\n",
    )
    .expect("write");
    let diags = run(&spec).expect_err("diagnostics");
    let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    for needle in [
        "zz-broken.md:1:1",
        "zz-broken.md:4:1",
        "zz-broken.md:5:1",
        "sideways",
        "colour",
        "nowhere",
        "LogOut",
    ] {
        assert!(
            text.iter().any(|t| t.contains(needle)),
            "{needle}: {text:#?}"
        );
    }
}
