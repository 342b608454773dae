//! `akixi spec probe` against a simulator of the real spec (started here): it exits 0, refutes
//! nothing of the spec the simulator serves, writes its report and the edited spec files, and
//! the password appears nowhere: not in standard output or error, nor in any file written.

mod common;

use akixi_sim::{Config, HashCost, Simulator};
use common::Sandbox;

const ADMIN: &str = "probe-admin@probe.invalid";
const PASSWORD: &str = "Pr0be-S3cret-never-shown";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_of_a_simulator_exits_zero_and_never_shows_the_password() {
    let s = Sandbox::new();
    let sim = Simulator::start(
        Config::default()
            .state(s.path("probed.sqlite"))
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator starts");
    let url = sim.url().to_owned();
    let password_file = s.path("password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).expect("write");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    let out = s.path("probe-out");
    let spec_dir = spec;
    let out_text = out.to_string_lossy().into_owned();
    let pw = password_file.to_string_lossy().into_owned();
    let s2 = Sandbox::new();
    let (stdout, stderr) = tokio::task::spawn_blocking(move || {
        s2.run(
            &[
                "spec",
                "probe",
                "--url",
                &url,
                "--login",
                ADMIN,
                "--password-file",
                &pw,
                "--spec",
                spec,
                "--out",
                &out_text,
            ],
            0,
        )
    })
    .await
    .expect("joins");
    assert!(stdout.contains("0 refuted"), "{stdout}\n{stderr}");
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));
    let mut files = vec![out.join("report.md"), out.join("report.json")];
    let mut todo = vec![out.join("spec")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).expect("the edited spec files") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 2, "edited spec files: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            !text.contains(PASSWORD),
            "{} holds the password",
            file.display()
        );
    }
    let report = std::fs::read_to_string(out.join("report.json")).expect("report");
    let json: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    // The spec's provisional rows are tested: the failure element, the closing operation.
    for subject in ["binding fail-element", "binding error-code-name"] {
        assert!(
            findings.iter().any(|f| f["subject"] == subject
                && f["provisional"] == true
                && f["status"] == "confirmed"),
            "{subject}: {findings:#?}"
        );
    }
    assert!(stdout.contains("of them provisional rows:"), "{stdout}");
    let patched = std::fs::read_to_string(out.join("spec/akixi/service.md")).expect("service.md");
    assert!(
        patched.contains("| fail-element | Fail | probe:127.0.0.1:"),
        "{patched}"
    );
    // Laid over a copy of the spec, the edited files load.
    let copy = s.path("spec-copy");
    copy_dir(std::path::Path::new(spec_dir), &copy);
    copy_dir(&out.join("spec"), &copy);
    if let Err(diags) = akixi_schema::Spec::load(&copy) {
        panic!(
            "{}",
            diags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    // With writes allowed in telephony server 100100: throw-away entities, all deleted again
    // (exit 0; a leftover would exit 2).
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    let url = sim.url().to_owned();
    let pw = password_file.to_string_lossy().into_owned();
    let s4 = Sandbox::new();
    let report = tokio::task::spawn_blocking(move || {
        s4.json(
            &[
                "spec",
                "probe",
                "--url",
                &url,
                "--login",
                ADMIN,
                "--password-file",
                &pw,
                "--spec",
                spec,
                "--allow-writes",
                "--scope",
                "100100",
            ],
            0,
        )
    })
    .await
    .expect("joins");
    let entities = report["entities"].as_array().expect("entities");
    assert!(!entities.is_empty(), "{report:#}");
    if std::env::var_os("PROBE_SHOW").is_some() {
        eprintln!("{entities:#?}");
    }
    let refuted: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "refuted")
        .collect();
    assert!(refuted.is_empty(), "{refuted:#?}");
    assert!(
        entities.iter().all(|e| e["cleaned_up"] == true),
        "{entities:#?}"
    );
    assert!(!report.to_string().contains(PASSWORD));

    // The password is never taken on the command line: without a file or AKIXI_PASSWORD, a
    // usage error (exit 64), and the JSON format prints the report.
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");
    let url = sim.url().to_owned();
    let s3 = Sandbox::new();
    tokio::task::spawn_blocking(move || {
        s3.run(
            &[
                "spec", "probe", "--url", &url, "--login", ADMIN, "--spec", spec,
            ],
            64,
        )
    })
    .await
    .expect("joins");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
