//! Snapshots are spec-driven: the fixture service `fixtures/gadgets` (families no Rust names)
//! is snapshotted, restored into a simulator and snapshotted back identical through
//! `akixi_sim`'s snapshot API, which takes any `ServiceInfo`; and a rehearsal on the restored
//! copy, signed in as a copy of the caller (its account restored from the snapshot, the
//! password given at restore), meets the fixture's reference and platform rules.
//! (`akixi snapshot` and `--rehearse` are this API over the akixi service's own client.)

mod gadgets;

use gadgets::Api;

use std::sync::Arc;

use akixi_sim::{Config, HashCost, Simulator, Snapshot};

use gadgets::gadget::GadgetAddRequest;
use gadgets::{Weight, error_conditions as cond};

const ROOT: &str = "root";
const RESTORED: &str = "restored-pa55";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixture_service_is_snapshotted_restored_and_rehearsed_with_no_rust_naming_it() {
    let svc = &gadgets::SERVICE;
    let family = |name: &str| {
        svc.families
            .iter()
            .find(|f| f.name == name)
            .expect("family")
    };
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    // A state written as a snapshot: the caller's account, shelves, gadgets and stickers.
    let mut snap = Snapshot::new(svc, "fixture", ROOT);
    let order: Vec<&str> = akixi_sim::snapshot::family_order(svc)
        .iter()
        .map(|f| f.name)
        .collect();
    assert!(
        order.iter().position(|f| *f == "Shelf") < order.iter().position(|f| *f == "Gadget"),
        "a gadget references a shelf: {order:?}"
    );
    let grants = "Gadget|Make,Gadget|Alter,Gadget|See,Shelf|See,Shelf|Make,Sticker|See";
    snap.push(
        family("Operator"),
        &[
            pair("Name", ROOT),
            pair("Grants", grants),
            pair("Barred", "No"),
        ],
    );
    snap.push(
        family("Shelf"),
        &[pair("ShelfCode", "A1"), pair("Rack", "alpha")],
    );
    snap.push(
        family("Shelf"),
        &[pair("ShelfCode", "B1"), pair("Rack", "beta")],
    );
    snap.push(
        family("Gadget"),
        &[
            pair("Serial", "G1"),
            pair("Label", "One"),
            pair("Colour", "Green"),
            pair("ShelfCode", "A1"),
            pair("Weight", "5"),
        ],
    );
    snap.push(
        family("Sticker"),
        &[
            pair("Code", "S1"),
            pair("Shape", "round"),
            pair("Glossy", "Yes"),
        ],
    );
    let mut text = Vec::new();
    snap.write_to(&mut text).expect("writes");
    let read = Snapshot::read_from(text.as_slice(), svc, "fixture").expect("reads");

    let sim = Simulator::start(
        Config::default()
            .admin("ignored", RESTORED)
            .hash_cost(HashCost::Minimal)
            .from_snapshot(Arc::new(read)),
    )
    .await
    .expect("restores");
    assert_eq!(
        sim.admin().username,
        ROOT,
        "signed in as the snapshot's caller"
    );
    let back = sim.snapshot("fixture");
    let mut sorted_in = snap.entity_lines().to_vec();
    let mut sorted_back = back.entity_lines().to_vec();
    sorted_in.sort();
    sorted_back.sort();
    assert_eq!(sorted_back, sorted_in, "the same entities");
    // Restored again from what it gave, it gives the same lines in the same order.
    let again = Simulator::start(
        Config::default()
            .admin("ignored", RESTORED)
            .hash_cost(HashCost::Minimal)
            .from_snapshot(Arc::new(back.clone())),
    )
    .await
    .expect("restores");
    assert_eq!(
        again.snapshot("fixture").entity_lines(),
        back.entity_lines()
    );

    // A rehearsal there as the caller's copy: the fixture's own rules answer.
    let mut api = Api::login(&sim, ROOT, RESTORED).await;
    api.call(&GadgetAddRequest::new("G2").shelf_code("A1"))
        .await
        .expect("a clean add");
    assert_eq!(
        api.call(&GadgetAddRequest::new("G3").shelf_code("Z9"))
            .await
            .err(),
        Some(cond::UNKNOWN_ENTITY_SHELF.code()),
        "a reference to a missing shelf"
    );
    assert_eq!(
        api.call(
            &GadgetAddRequest::new("G4")
                .shelf_code("B1")
                .weight(Weight::new(3).expect("in range"))
        )
        .await
        .err(),
        Some(cond::UNSUPPORTED_PROPERTY.code()),
        "a property the shelf's platform refuses"
    );
    assert!(
        api.raw("ShelfDelete", "<ShelfCode>A1</ShelfCode>")
            .await
            .is_err(),
        "the caller lacks Shelf|Scrap"
    );
    again.shutdown().await.expect("stops");
    sim.shutdown().await.expect("stops");
}
