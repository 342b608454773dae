//! The simulator serves a service no Rust names: `fixtures/gadgets` (a session, accounts, and
//! the `Shelf` and `Gadget` families) is generated into this crate by the macro, the simulator
//! is started with its `SERVICE`, and the generated types talk to it over loopback through the
//! runtime's codec, and through the fixture's own generated `Client` (the runtime's generic
//! client, with the typed methods the macro generated in this crate). Every kind of operation,
//! duplicate and unknown keys, a read-only change, a reference to a missing entity, an entity
//! still referenced, platform support, and paging over 2,500 entries through the client's list
//! stream; and the `Sticker` family's billable rule, support axis, renaming property, operation
//! alias and CSV upload.

mod gadgets;

use gadgets::Api;

use akixi_client::akixi_ws::{Extra, ResultKind, decode_response};
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};
use futures_util::TryStreamExt as _;

use gadgets::gadget::{
    GadgetAddRequest, GadgetChangeRequest, GadgetDeleteRequest, GadgetInfoRequest,
    GadgetListRequest,
};
use gadgets::shelf::{ShelfAddRequest, ShelfDeleteRequest, ShelfInfoRequest, ShelfListRequest};
use gadgets::{Colour, GadgetField, GadgetFields, RackKind, Weight, error_conditions as cond};

const ADMIN: &str = "root";
const PASSWORD: &str = "r00t-pa55";

async fn start() -> SimulatorHandle {
    Simulator::start(
        Config::default()
            .api(&gadgets::SERVICE)
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator serves the fixture")
}

fn gadget(serial: &str) -> GadgetAddRequest {
    GadgetAddRequest::new(serial)
}

/// The fixture's generated client, signed in as the administrator of `sim`.
fn client(sim: &SimulatorHandle) -> gadgets::Client {
    gadgets::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .build()
        .expect("a client of the fixture")
}

#[tokio::test]
async fn the_fixture_s_generated_client_adds_reads_changes_and_deletes() {
    let sim = start().await;
    let client = client(&sim);
    client
        .shelf_add(ShelfAddRequest::new("S1", RackKind::Alpha))
        .await
        .expect("shelf S1");

    // add, then info, through the typed methods: the session is established on the way.
    client
        .gadget_add(
            gadget("G1")
                .label("First gadget")
                .weight(Weight::new(5).expect("in range"))
                .shelf_code("S1"),
        )
        .await
        .expect("added");
    assert!(
        client.has_session(),
        "the generic client's methods, through Deref"
    );
    let info = client
        .gadget_info(GadgetInfoRequest::new("G1"))
        .await
        .expect("info");
    assert_eq!(info.label.as_deref(), Some("First gadget"));
    assert_eq!(info.colour, Some(Colour::Red), "the default colour");
    assert_eq!(info.weight.map(|w| w.get()), Some(5));

    // A failure is the fixture's typed error code, in the fixture's `Error`.
    let err: gadgets::Error = client
        .gadget_add(gadget("G1"))
        .await
        .expect_err("a duplicate");
    assert_eq!(err.code(), Some(cond::DUPLICATE_ENTITY_GADGET));
    assert!(matches!(err, gadgets::Error::Api(_)), "{err:?}");
    assert!(!err.is_retryable());
    let err = client
        .gadget_info(GadgetInfoRequest::new("nope"))
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), Some(cond::UNKNOWN_ENTITY_GADGET));

    // change and delete.
    client
        .gadget_change(GadgetChangeRequest::new("G1").label("Renamed"))
        .await
        .expect("changed");
    let info = client
        .gadget_info(GadgetInfoRequest::new("G1"))
        .await
        .expect("info");
    assert_eq!(info.label.as_deref(), Some("Renamed"));
    client
        .gadget_delete(GadgetDeleteRequest::new("G1"))
        .await
        .expect("deleted");

    // The client validates for its platform before sending: a Beta rack has no Weight.
    let beta = gadgets::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .platform(gadgets::Platform::Beta)
        .build()
        .expect("a client");
    let err = beta
        .gadget_add(gadget("G2").weight(Weight::new(2).expect("in range")))
        .await
        .expect_err("not supported on Beta");
    assert!(matches!(err, gadgets::Error::Validation(_)), "{err:?}");
    assert!(!beta.has_session(), "nothing was sent");

    client.close().await.expect("closed");
    assert!(!client.has_session());
    sim.shutdown().await.expect("stops");
}

#[tokio::test]
async fn a_family_no_rust_names_is_served_end_to_end() {
    let sim = start().await;
    let mut api = Api::login(&sim, ADMIN, PASSWORD).await;
    api.call(&ShelfAddRequest::new("S1", RackKind::Alpha))
        .await
        .expect("shelf S1");
    api.call(&ShelfAddRequest::new("S2", RackKind::Beta))
        .await
        .expect("shelf S2");

    // add, then info: what was given, canonical, with the documented default applied.
    api.call(
        &gadget("G1")
            .label("First gadget")
            .weight(Weight::new(5).expect("in range"))
            .shelf_code("S1")
            .batch("B7"),
    )
    .await
    .expect("added");
    let info = api
        .call(&GadgetInfoRequest::new("G1"))
        .await
        .expect("info")
        .expect("data");
    assert_eq!(info.label.as_deref(), Some("First gadget"));
    assert_eq!(info.colour, Some(Colour::Red), "the default colour");
    assert_eq!(info.weight.map(|w| w.get()), Some(5));
    assert_eq!(info.shelf_code.as_deref(), Some("S1"));
    assert_eq!(info.batch.as_deref(), Some("B7"));

    // Keys: a duplicate, and unknown ones for each kind that names an entity.
    assert_eq!(
        api.call(&gadget("G1")).await.err(),
        Some(cond::DUPLICATE_ENTITY_GADGET.code())
    );
    let unknown = Some(cond::UNKNOWN_ENTITY_GADGET.code());
    assert_eq!(
        api.call(&GadgetInfoRequest::new("nope")).await.err(),
        unknown
    );
    assert_eq!(
        api.call(&GadgetChangeRequest::new("nope").label("x"))
            .await
            .err(),
        unknown
    );
    assert_eq!(
        api.call(&GadgetDeleteRequest::new("nope")).await.err(),
        unknown
    );
    assert_eq!(
        api.raw("GadgetAdd", "<Property Name=\"Serial\"> </Property>")
            .await
            .err(),
        Some(cond::MISSING_KEY.code()),
        "an empty key names nothing"
    );

    // A reference to a shelf that does not exist, on add and on change.
    let no_shelf = Some(cond::UNKNOWN_ENTITY_SHELF.code());
    assert_eq!(
        api.call(&gadget("G2").shelf_code("S9")).await.err(),
        no_shelf
    );
    assert_eq!(
        api.call(&GadgetChangeRequest::new("G1").shelf_code("S9"))
            .await
            .err(),
        no_shelf
    );

    // A property read-only after creation cannot change (the typed change has no setter for
    // it, so it is sent by hand).
    assert_eq!(
        api.raw(
            "GadgetChange",
            "<Property Name=\"Serial\">G1</Property><Property Name=\"Batch\">B8</Property>"
        )
        .await
        .err(),
        Some(cond::READ_ONLY_PROPERTY.code())
    );

    // change: only what is given changes.
    api.call(
        &GadgetChangeRequest::new("G1")
            .label("Renamed")
            .colour(Colour::Green),
    )
    .await
    .expect("changed");
    let info = api
        .call(&GadgetInfoRequest::new("G1"))
        .await
        .expect("info")
        .expect("data");
    assert_eq!(info.label.as_deref(), Some("Renamed"));
    assert_eq!(info.colour, Some(Colour::Green));
    assert_eq!(info.batch.as_deref(), Some("B7"), "unchanged");
    assert_eq!(info.weight.map(|w| w.get()), Some(5), "unchanged");

    // Platforms come from the shelf: Beta racks do not support Weight.
    let unsupported = Some(cond::UNSUPPORTED_PROPERTY.code());
    assert_eq!(
        api.call(
            &gadget("G3")
                .weight(Weight::new(2).expect("in range"))
                .shelf_code("S2")
        )
        .await
        .err(),
        unsupported
    );
    assert_eq!(
        api.call(&GadgetChangeRequest::new("G1").shelf_code("S2"))
            .await
            .err(),
        unsupported,
        "a move is checked whole"
    );
    api.call(&gadget("G3").shelf_code("S2"))
        .await
        .expect("without a weight it may sit on a Beta rack");

    // A shelf still holding gadgets cannot go; once empty it can.
    assert_eq!(
        api.call(&ShelfDeleteRequest::new("S1")).await.err(),
        Some(cond::ENTITY_IN_USE.code())
    );
    api.call(&GadgetDeleteRequest::new("G1"))
        .await
        .expect("deleted");
    assert_eq!(api.call(&GadgetInfoRequest::new("G1")).await.err(), unknown);
    api.call(&ShelfDeleteRequest::new("S1"))
        .await
        .expect("now empty");
    assert_eq!(
        api.call(&ShelfInfoRequest::new("S1")).await.err(),
        Some(cond::UNKNOWN_ENTITY_SHELF.code())
    );
    let shelves = api
        .call(&ShelfListRequest::new())
        .await
        .expect("list")
        .expect("data");
    let codes: Vec<_> = shelves
        .entries
        .iter()
        .filter_map(|s| s.shelf_code.clone())
        .collect();
    assert_eq!(codes, ["S2"]);

    sim.shutdown().await.expect("stops");
}

#[tokio::test]
async fn lists_filter_search_and_page_over_2500_entries() {
    let sim = start().await;
    let client = client(&sim);
    client
        .shelf_add(ShelfAddRequest::new("A", RackKind::Alpha))
        .await
        .expect("shelf");
    // 2,500 gadgets from four clones of one client at once (one API session).
    let mut tasks = tokio::task::JoinSet::new();
    for part in 0..4u32 {
        let client = client.clone();
        tasks.spawn(async move {
            for i in (part * 625)..((part + 1) * 625) {
                let mut request = gadget(&format!("P{i:04}")).label(format!("Gadget {i}"));
                if i % 100 == 0 {
                    request = request
                        .shelf_code("A")
                        .weight(Weight::new(i64::from(i / 100 + 1)).expect("in range"));
                }
                client.gadget_add(request).await.expect("added");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a task");
    }
    let expected: Vec<String> = (0..2500).map(|i| format!("P{i:04}")).collect();

    // Without a Limit a page is the binding's default (1000); pages follow one another.
    let mut serials = Vec::new();
    for offset in [0u64, 1000, 2000, 3000] {
        let page = client
            .gadget_list(GadgetListRequest::new().offset(offset))
            .await
            .expect("list");
        assert_eq!(
            page.entries.len(),
            [1000, 1000, 500, 0][usize::try_from(offset / 1000).expect("small")],
            "page at {offset}"
        );
        serials.extend(page.entries.iter().filter_map(|e| e.serial.clone()));
    }
    assert_eq!(serials, expected, "every entry once, in key order");

    // The list stream pages on its own: the default page size, then a smaller one.
    let streamed: Vec<String> = client
        .gadget_list_stream(GadgetListRequest::new())
        .map_ok(|e| e.serial.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(
        streamed, expected,
        "the stream: every entry once, in key order"
    );
    let small = gadgets::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .page_size(400)
        .build()
        .expect("a client");
    let mut stream = small.gadget_list_stream(GadgetListRequest::new().offset(100));
    assert_eq!(stream.page_size(), 400);
    let mut count = 0usize;
    while let Some(entry) = stream.try_next().await.expect("a page") {
        assert_eq!(entry.serial, Some(format!("P{:04}", count + 100)));
        count += 1;
    }
    assert_eq!(count, 2400, "from offset 100, in pages of 400");
    assert_eq!(stream.next_offset(), 2500);

    // A reference filter, the fields input, the search.
    let on_a = client
        .gadget_list(
            GadgetListRequest::new()
                .shelf_code("A")
                .gadget_fields(GadgetFields::new().with(GadgetField::Weight)),
        )
        .await
        .expect("list");
    assert_eq!(on_a.entries.len(), 25);
    assert!(
        on_a.entries.iter().all(|e| e.weight.is_some()),
        "asked-for field"
    );
    assert!(
        on_a.entries.iter().all(|e| e.colour.is_none()),
        "not asked for"
    );
    let found = client
        .gadget_list(GadgetListRequest::new().query("GADGET 249"))
        .await
        .expect("list");
    let found: Vec<_> = found
        .entries
        .iter()
        .filter_map(|e| e.serial.clone())
        .collect();
    assert_eq!(
        found,
        [
            "P0249", "P2490", "P2491", "P2492", "P2493", "P2494", "P2495", "P2496", "P2497",
            "P2498", "P2499"
        ]
    );
    assert_eq!(
        client
            .gadget_list(GadgetListRequest::new().shelf_code("nowhere"))
            .await
            .expect_err("no such shelf")
            .code(),
        Some(cond::UNKNOWN_ENTITY_SHELF)
    );

    // The same list through the codec, in a session of its own.
    let mut api = Api::login(&sim, ADMIN, PASSWORD).await;
    let page = api
        .call(&GadgetListRequest::new().offset(2400))
        .await
        .expect("list")
        .expect("data");
    assert_eq!(page.entries.len(), 100);
    sim.shutdown().await.expect("stops");
}

fn property(name: &str, value: &str) -> String {
    format!("<Property Name=\"{name}\">{value}</Property>")
}

#[tokio::test]
async fn a_family_s_own_rows_decide_billing_support_renames_aliases_and_uploads() {
    let sim = start().await;
    let mut api = Api::login(&sim, ADMIN, PASSWORD).await;

    // Another spelling of an operation's name reaches the operation.
    let round = [
        property("Code", "R1"),
        property("Shape", "round"),
        property("Glossy", "Yes"),
    ]
    .concat();
    api.raw("StickrAdd", &round).await.expect("the alias adds");

    // The support axis: a square sticker cannot be glossy, whatever the platform.
    let square = [
        property("Code", "S1"),
        property("Shape", "square"),
        property("Glossy", "No"),
    ]
    .concat();
    assert_eq!(
        api.raw("StickerAdd", &square).await.err(),
        Some(cond::UNSUPPORTED_PROPERTY.code())
    );
    let plain = [property("Code", "S1"), property("Shape", "square")].concat();
    api.raw("StickerAdd", &plain)
        .await
        .expect("a plain square sticker");
    assert_eq!(
        api.raw(
            "StickerChange",
            &[property("Code", "S1"), property("Glossy", "Yes")].concat()
        )
        .await
        .err(),
        Some(cond::UNSUPPORTED_PROPERTY.code()),
        "a change is checked against the axis value the entry holds"
    );

    // Which entries are billable is the family's row, read from the entry's own values.
    let sticker = gadgets::FAMILIES
        .iter()
        .find(|f| f.name == "Sticker")
        .expect("the family");
    let billable = sticker.billable.expect("a billable rule");
    assert!(billable.applies(|p| (p == "Shape").then_some("round")));
    assert!(!billable.applies(|p| (p == "Shape").then_some("square")));

    // A renaming property moves the entry to its new key; a taken key is refused.
    api.raw(
        "StickerChange",
        &[property("Code", "R1"), property("NewCode", "R2")].concat(),
    )
    .await
    .expect("renamed");
    assert_eq!(
        api.raw("StickerInfo", &property("Code", "R1")).await.err(),
        Some(cond::UNKNOWN_ENTITY.code())
    );
    let moved = api
        .raw("StickerInfo", &property("Code", "R2"))
        .await
        .expect("found under its new code")
        .expect("data");
    assert_eq!(
        moved.property("Glossy"),
        Some("Yes"),
        "nothing else changed"
    );
    assert_eq!(
        api.raw(
            "StickerChange",
            &[property("Code", "R2"), property("NewCode", "S1")].concat()
        )
        .await
        .err(),
        Some(cond::DUPLICATE_ENTITY.code())
    );

    // An upload adds each row as the add would; rows the add refuses are reported by line,
    // and the others stay added (PartialFail).
    let sheet = "Code,Glossy,Motto\nU1,Yes,first\nR2,,taken\nU3,,third\n";
    let reply = api
        .raw_reply(
            "StickerUpload",
            &[property("Shape", "round"), property("Sheet", sheet)].concat(),
        )
        .await;
    let decoded = decode_response::<Extra>(reply.as_bytes(), &gadgets::BINDING).expect("decodes");
    assert_eq!(decoded.result, ResultKind::PartialFail, "{reply}");
    assert_eq!(decoded.errors.len(), 1, "{reply}");
    assert_eq!(decoded.errors[0].code, Some(cond::DUPLICATE_ENTITY.code()));
    assert!(
        decoded.errors[0]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("line 3")),
        "{reply}"
    );
    for code in ["U1", "U3"] {
        let added = api
            .raw("StickerInfo", &property("Code", code))
            .await
            .expect("uploaded")
            .expect("data");
        assert_eq!(
            added.property("Shape"),
            Some("round"),
            "the shared value applies"
        );
    }
    // Nothing added at all is a plain failure.
    let reply = api
        .raw_reply(
            "StickerUpload",
            &property("Sheet", "Code,Shape\nU1,round\n"),
        )
        .await;
    let decoded = decode_response::<Extra>(reply.as_bytes(), &gadgets::BINDING).expect("decodes");
    assert_eq!(decoded.result, ResultKind::Fail, "{reply}");
}

#[test]
fn every_code_the_simulator_can_answer_is_documented_or_general() {
    let svc = &akixi_client::akixi::SERVICE;
    for op in svc.operations {
        let codes = akixi_sim::answerable_codes(svc, op.name)
            .expect("the simulator serves the spec")
            .expect("an operation of the spec");
        for code in codes {
            let category = svc.category_of(code).unwrap_or("?");
            assert!(
                op.error_codes.contains(&code) || matches!(category, "general" | "session"),
                "{} may answer {code} ({category}), which its error list lacks",
                op.name
            );
        }
    }
}
