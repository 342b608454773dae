//! Snapshots: a simulator's state written as a snapshot, restored into another simulator (in
//! memory and into a new state file), and snapshotted back identical, for every family of the
//! spec; the restored accounts sign in with the password given at restore, none is written.

use std::sync::Arc;

use akixi_client::Client;
use akixi_client::akixi::SERVICE;
use akixi_sim::{Config, HashCost, Simulator, Snapshot};

const PW: &str = "restored-Pa55word";

async fn demo() -> akixi_sim::SimulatorHandle {
    Simulator::start(
        Config::default()
            .admin("admin@akixi-sim.invalid", PW)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_snapshot_snapshots_back_identical_for_every_family() {
    let sim = demo().await;
    let first = sim.snapshot("test");
    // Every family that has entities in the spec's demo data is there, in reference order.
    let families: Vec<&str> = first
        .header
        .families
        .iter()
        .map(|(f, _)| f.as_str())
        .collect();
    for fam in SERVICE.families.iter().filter(|f| {
        !f.keys.is_empty()
            && SERVICE.operations.iter().any(|o| {
                o.family == f.name && o.kind == akixi_client::runtime::akixi_ws::OpKind::Add
            })
    }) {
        let n = first
            .header
            .families
            .iter()
            .find(|(f, _)| f == fam.name)
            .map(|(_, n)| *n);
        assert!(
            n.unwrap_or(0) > 0,
            "{} has no entries in {families:?}",
            fam.name
        );
    }
    let order = akixi_sim::snapshot::family_order(&SERVICE);
    for fam in &order {
        let at = order
            .iter()
            .position(|f| f.name == fam.name)
            .expect("listed");
        for p in fam
            .properties
            .iter()
            .filter_map(|p| p.references)
            .filter(|t| *t != fam.name)
        {
            let before = order
                .iter()
                .position(|f| f.name == p)
                .expect("referenced family");
            assert!(before < at, "{} comes before {p}", fam.name);
        }
    }
    // No secret is written.
    let mut text = Vec::new();
    first.write_to(&mut text).expect("writes");
    let text = String::from_utf8(text).expect("UTF-8");
    assert!(!text.contains(PW));
    assert!(!text.contains("Password\""), "no password property");
    let read = Snapshot::read_from(text.as_bytes(), &SERVICE, "mem").expect("reads back");
    assert_eq!(read.entity_lines(), first.entity_lines());
    assert_eq!(read.header.families, first.header.families);

    let restored = Simulator::start(
        Config::default()
            .admin("ignored", PW)
            .hash_cost(HashCost::Minimal)
            .from_snapshot(Arc::new(read)),
    )
    .await
    .expect("restores");
    assert_eq!(restored.admin().username, "admin@akixi-sim.invalid");
    let second = restored.snapshot("test");
    assert_eq!(
        second.entity_lines(),
        first.entity_lines(),
        "identical after a restore"
    );

    // A supervisor signs in there with the password given at restore, with its own rights.
    let client = Client::builder(restored.url())
        .credentials("supervisor.hipath@akixi-sim.invalid", PW)
        .allow_http(true)
        .build()
        .expect("client");
    let users = akixi_client::akixi::dynamic::call(&client, "UserList", &[], None)
        .await
        .expect("a supervisor lists its users");
    assert!(!users.is_empty());
    let denied = akixi_client::akixi::dynamic::call(&client, "TelSysList", &[], None).await;
    assert!(denied.is_err(), "its rights come from its own entity");
    restored.shutdown().await.expect("stops");
    sim.shutdown().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_save_and_load_on_state_files() {
    let dir = tempfile::tempdir().expect("dir");
    let state = dir.path().join("a.sqlite");
    let sim = Simulator::start(
        Config::default()
            .state(&state)
            .admin("admin@akixi-sim.invalid", PW)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("starts");
    let live = sim.snapshot("x");
    sim.shutdown().await.expect("stops");
    let saved = akixi_sim::snapshot::save_state(&state, &SERVICE, "admin@akixi-sim.invalid")
        .expect("saves");
    assert_eq!(saved.entity_lines(), live.entity_lines());
    let file = dir.path().join("snap.jsonl");
    saved.save(&file).expect("written");
    let loaded = Snapshot::load(&file, &SERVICE).expect("read");
    let copy = dir.path().join("b.sqlite");
    let admin =
        akixi_sim::snapshot::load_state(&copy, loaded, None, HashCost::Minimal).expect("loads");
    assert!(
        admin.password.is_some(),
        "a random password when none is given"
    );
    let again =
        akixi_sim::snapshot::save_state(&copy, &SERVICE, "admin@akixi-sim.invalid").expect("saves");
    assert_eq!(again.entity_lines(), live.entity_lines());
    let loaded = Snapshot::load(&file, &SERVICE).expect("read");
    assert!(
        akixi_sim::snapshot::load_state(&copy, loaded, None, HashCost::Minimal).is_err(),
        "an existing state file is not overwritten"
    );
}
