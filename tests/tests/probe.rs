//! The probe (`akixi_client::akixi_ws::probe`) against the simulator: the fixture `gadgets`
//! loaded at run time, probed against a simulator serving `fixtures/gadgets-variant`, a copy
//! with exactly three differences (`ShelfInfo` is `ShelfGet`, the default limit is 3, and
//! `GadgetInfo` returns an `Origin` the original does not know), must refute exactly those
//! three, with their fixes; against the unmodified fixture it refutes nothing; with writes
//! allowed it cleans up after itself.

use std::path::Path;

use akixi_client::akixi_ws::probe::{self, Fix, ProbeReport, ProbeTarget, Status};
use akixi_client::secret::Password;
use akixi_schema::Spec;
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};

mod original {
    akixi_derive::service!(spec = "fixtures/gadgets", service = "gadgets");
}

mod variant {
    akixi_derive::service!(spec = "fixtures/gadgets-variant", service = "gadgets");
}

const ADMIN: &str = "root";
const PASSWORD: &str = "pr0be-pa55-w0rd";

async fn start(service: &'static akixi_client::akixi_ws::ServiceInfo) -> SimulatorHandle {
    Simulator::start(
        Config::default()
            .api(service)
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator serves the fixture")
}

fn spec() -> Spec {
    Spec::load("fixtures/gadgets").expect("the fixture loads")
}

fn target(sim: &SimulatorHandle) -> ProbeTarget {
    let mut t = ProbeTarget::new(sim.url(), ADMIN, Password::new(PASSWORD));
    t.date = Some("2026-12-08".into());
    t
}

fn refuted(report: &ProbeReport) -> Vec<(String, Option<Fix>)> {
    report
        .with_status(Status::Refuted)
        .map(|f| (f.subject.clone(), f.fix.clone()))
        .collect()
}

fn assert_no_password(report: &ProbeReport) {
    let md = report.to_markdown();
    let json = serde_json::to_string(report).expect("JSON");
    assert!(
        !md.contains(PASSWORD) && !json.contains(PASSWORD),
        "the password leaked"
    );
}

#[tokio::test]
async fn the_variant_s_three_differences_are_refuted_and_nothing_else() {
    let sim = start(&variant::SERVICE).await;
    let client = variant::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .build()
        .expect("a client");
    client
        .shelf_add(variant::shelf::ShelfAddRequest::new(
            "S1",
            variant::RackKind::Alpha,
        ))
        .await
        .expect("shelf");
    for n in 1..=5 {
        client
            .gadget_add(variant::gadget::GadgetAddRequest::new(format!("G{n}")))
            .await
            .expect("gadget");
    }
    let spec = spec();
    let report = probe::run(&spec, "gadgets", &target(&sim))
        .await
        .expect("the probe runs");
    if std::env::var_os("PROBE_SHOW").is_some() {
        eprintln!("{}", report.to_markdown());
    }
    let mut found = refuted(&report);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        found,
        vec![
            (
                "binding default-limit".to_owned(),
                Some(Fix::SetCell {
                    column: "Value".into(),
                    value: "3".into()
                })
            ),
            (
                "operation ShelfInfo".to_owned(),
                Some(Fix::SetCell {
                    column: "Operation".into(),
                    value: "ShelfGet".into()
                })
            ),
            (
                "properties returned by GadgetInfo".to_owned(),
                Some(Fix::AddProperty {
                    family: "Gadget".into(),
                    operation: "GadgetInfo".into(),
                    property: "Origin".into()
                })
            ),
        ],
        "{}",
        report.to_markdown()
    );
    assert!(report.with_status(Status::Confirmed).count() > 10);
    assert!(
        report.findings.iter().all(|f| f.status != Status::Refuted
            || f.evidence.iter().all(|&i| i < report.exchanges.len()))
    );
    assert_no_password(&report);

    // The patch, laid over a copy of the fixture, loads, and now says what the variant says.
    let service = spec.service("gadgets").expect("service");
    let patch =
        probe::patch::build(service, Path::new("fixtures/gadgets"), &report).expect("a patch");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(Path::new("fixtures/gadgets"), dir.path());
    for file in &patch {
        std::fs::write(dir.path().join(&file.relative), &file.text).expect("write");
    }
    let patched = Spec::load(dir.path()).unwrap_or_else(|d| {
        panic!(
            "the patched spec loads: {}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let s = patched.service("gadgets").expect("service");
    assert!(s.operation("ShelfGet").is_some() && s.operation("ShelfInfo").is_none());
    let akixi_schema::Binding::AkixiWs(b) = &s.binding else {
        panic!("akixi-ws")
    };
    assert_eq!(b.default_limit, 3);
    let origin = s
        .family("Gadget")
        .and_then(|f| f.property("Origin"))
        .expect("the new row");
    assert!(origin.provenance.provisional);
    assert!(
        origin
            .usage("GadgetInfo")
            .is_some_and(|u| u.returned.is_some())
    );
}

#[tokio::test]
async fn the_unmodified_fixture_refutes_nothing() {
    let sim = start(&original::SERVICE).await;
    let client = original::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .build()
        .expect("a client");
    client
        .shelf_add(original::shelf::ShelfAddRequest::new(
            "S1",
            original::RackKind::Beta,
        ))
        .await
        .expect("shelf");
    client
        .gadget_add(original::gadget::GadgetAddRequest::new("G1").label("one"))
        .await
        .expect("gadget");
    let spec = spec();
    let report = probe::run(&spec, "gadgets", &target(&sim))
        .await
        .expect("the probe runs");
    assert_eq!(refuted(&report), vec![], "{}", report.to_markdown());
    assert!(report.with_status(Status::Confirmed).count() > 10);
    assert_no_password(&report);
    // Confirmed rows cite the probe; the patched copy loads.
    let patch = probe::patch::build(
        spec.service("gadgets").expect("service"),
        Path::new("fixtures/gadgets"),
        &report,
    )
    .expect("a patch");
    assert!(
        patch
            .iter()
            .any(|f| f.text.contains("probe:127.0.0.1:2026-12-08"))
    );
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(Path::new("fixtures/gadgets"), dir.path());
    for file in &patch {
        std::fs::write(dir.path().join(&file.relative), &file.text).expect("write");
    }
    Spec::load(dir.path()).unwrap_or_else(|d| {
        panic!(
            "the patched spec loads: {}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
}

#[tokio::test]
async fn writes_clean_up_after_themselves() {
    let sim = start(&original::SERVICE).await;
    let client = original::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .build()
        .expect("a client");
    client
        .shelf_add(original::shelf::ShelfAddRequest::new(
            "S1",
            original::RackKind::Alpha,
        ))
        .await
        .expect("shelf");
    let spec = spec();
    let report = probe::run(&spec, "gadgets", &target(&sim).allow_writes("S1"))
        .await
        .expect("the probe runs");
    assert_eq!(refuted(&report), vec![], "{}", report.to_markdown());
    let families: Vec<&str> = report.entities.iter().map(|e| e.family.as_str()).collect();
    assert!(
        families.contains(&"Gadget") && families.contains(&"Shelf"),
        "{families:?}"
    );
    assert!(
        report
            .entities
            .iter()
            .all(|e| e.cleaned_up && e.key.contains("akixi-probe-"))
    );
    // Nothing of the probe's is left: one shelf (S1), no gadget.
    let gadgets = client
        .gadget_list(original::gadget::GadgetListRequest::new())
        .await
        .expect("list");
    assert!(gadgets.entries.is_empty(), "{gadgets:?}");
    let shelves = client
        .shelf_list(original::shelf::ShelfListRequest::new())
        .await
        .expect("list");
    assert_eq!(shelves.entries.len(), 1);
    assert_no_password(&report);
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[tokio::test]
async fn only_akixi_ws_services_are_probed() {
    let spec = Spec::load("../spec").expect("the spec loads");
    let other = spec
        .services
        .iter()
        .find(|s| s.protocol() != akixi_schema::Protocol::AkixiWs)
        .expect("a service of another protocol");
    let target = ProbeTarget::new("http://127.0.0.1:9/", ADMIN, Password::new(PASSWORD));
    let err = probe::run(&spec, &other.name, &target)
        .await
        .expect_err("refused");
    assert!(matches!(err, probe::ProbeError::Protocol(..)), "{err}");
    assert!(
        format!("{target:?}").contains("<redacted>") && !format!("{target:?}").contains(PASSWORD)
    );
}
