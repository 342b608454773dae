//! Every family of the Akixi spec through the command line against the embedded simulator:
//! add → info → change → info → list → delete → info refused, with the keys the service assigns
//! read back from the add's answer; the bulk upload of directory entries; references refused
//! where they name nothing; the demo data that ties the families together.

mod common;

use common::{Sandbox, write_csv};
use serde_json::Value;

/// One family's round trip.
struct Case {
    group: &'static str,
    /// `add`'s flags.
    add: &'static [&'static str],
    /// The flags naming the entity: the add's own key flags, and the keys the service assigned,
    /// read from the add's answer as `(flag, returned property)`.
    key: &'static [&'static str],
    assigned: &'static [(&'static str, &'static str)],
    /// `change`'s flags (beyond the key) and the property it changes, with its new value.
    change: &'static [&'static str],
    changed: (&'static str, &'static str),
    /// `list`'s flags.
    list: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        group: "cm-environment",
        add: &["--domain", "east.example", "--description", "East"],
        key: &[],
        assigned: &[("--cm-environment-id", "CMEnvironmentID")],
        change: &["--description", "East region"],
        changed: ("Description", "East region"),
        list: &[],
    },
    Case {
        group: "tel-sys",
        add: &[
            "--cm-environment-id",
            "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
            "--tel-sys-platform",
            "panasonic-tda-ncp",
            "--description",
            "Second Panasonic",
        ],
        key: &[],
        assigned: &[("--tel-sys-id", "TelSysID")],
        change: &["--description", "Panasonic, second site"],
        changed: ("Description", "Panasonic, second site"),
        list: &[],
    },
    Case {
        group: "partition",
        add: &["--tel-sys-id", "1", "--description", "Customer C"],
        key: &["--tel-sys-id", "1"],
        assigned: &[("--part-id-in-tel-sys", "PartIDInTelSys")],
        change: &["--description", "Customer C (renamed)"],
        changed: ("Description", "Customer C (renamed)"),
        list: &["--tel-sys-id", "1"],
    },
    Case {
        group: "device",
        add: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
            "--device-number",
            "2500",
            "--device-type",
            "Extension",
            "--description",
            "Warehouse",
        ],
        key: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
            "--device-number",
            "2500",
        ],
        assigned: &[],
        change: &["--description", "Warehouse desk"],
        changed: ("Description", "Warehouse desk"),
        list: &["--tel-sys-id", "1", "--part-id-in-tel-sys", "2"],
    },
    Case {
        group: "acd-agent",
        add: &[
            "--tel-sys-id",
            "2",
            "--part-id-in-tel-sys",
            "2",
            "--agent-number",
            "3100",
            "--agent-name",
            "Kim Agent",
        ],
        key: &[
            "--tel-sys-id",
            "2",
            "--part-id-in-tel-sys",
            "2",
            "--agent-number",
            "3100",
        ],
        assigned: &[],
        change: &["--agent-name", "Kim Senior"],
        changed: ("AgentName", "Kim Senior"),
        list: &["--tel-sys-id", "2", "--part-id-in-tel-sys", "2"],
    },
    Case {
        group: "code",
        add: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
            "--code",
            "555",
            "--code-type",
            "NotAvailable",
            "--description",
            "Training",
        ],
        key: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
            "--code",
            "555",
        ],
        assigned: &[],
        change: &["--description", "Training session"],
        changed: ("Description", "Training session"),
        list: &["--tel-sys-id", "1", "--part-id-in-tel-sys", "2"],
    },
    Case {
        group: "directory-entry",
        add: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "3",
            "--telephone-number",
            "02070000000",
            "--description",
            "London office",
        ],
        key: &[
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "3",
            "--telephone-number",
            "02070000000",
        ],
        assigned: &[],
        change: &["--description", "London"],
        changed: ("Description", "London"),
        list: &["--tel-sys-id", "1", "--part-id-in-tel-sys", "3"],
    },
    Case {
        group: "omnichannel-int",
        add: &[
            "--unique-id",
            "sales-mail",
            "--integration-type",
            "E-mail",
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "3",
            "--api-communication-settings-ip-address1",
            "192.0.2.10",
        ],
        key: &["--unique-id", "sales-mail"],
        assigned: &[],
        change: &["--description", "Sales mailbox"],
        changed: ("Description", "Sales mailbox"),
        list: &["--tel-sys-id", "1"],
    },
    Case {
        group: "call-rec-int",
        add: &["--tel-sys-id", "2", "--description", "M6 recordings"],
        key: &[],
        assigned: &[("--call-rec-int-id", "CallRecIntID")],
        change: &["--description", "M6 call recordings"],
        changed: ("Description", "M6 call recordings"),
        list: &[],
    },
];

fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

fn records(doc: &Value) -> &Vec<Value> {
    doc["records"].as_array().expect("records")
}

/// A JSON scalar as the text a flag takes (numbers are typed in the JSON).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[test]
fn every_family_goes_through_add_info_change_list_delete() {
    let s = Sandbox::new();
    for case in CASES {
        let g = case.group;
        let added = s.json(&with(&[g, "add"], case.add), 0);
        assert_eq!(added["result"], "Success", "{g} add: {added}");

        // The key: what the add was given, and what the service assigned.
        let mut key: Vec<String> = case.key.iter().map(|k| k.to_string()).collect();
        for (flag, property) in case.assigned {
            let value = records(&added)
                .first()
                .and_then(|r| text(&r[property]))
                .unwrap_or_else(|| panic!("{g} add returns {property}: {added}"));
            key.extend([flag.to_string(), value.to_string()]);
        }
        let key: Vec<&str> = key.iter().map(String::as_str).collect();

        let info = s.json(&with(&with(&[g, "info"], &key), &[]), 0);
        assert_eq!(records(&info).len(), 1, "{g} info: {info}");

        s.json(&with(&with(&[g, "change"], &key), case.change), 0);
        let info = s.json(&with(&[g, "info"], &key), 0);
        let (property, value) = case.changed;
        assert_eq!(
            records(&info)[0][property],
            value,
            "{g} info after change: {info}"
        );

        let listed = s.json(&with(&[g, "list"], case.list), 0);
        let key_values: Vec<&str> = key.iter().skip(1).step_by(2).copied().collect();
        let found = records(&listed).iter().any(|r| {
            let values: Vec<String> = r
                .as_object()
                .map(|o| o.values().filter_map(text).collect())
                .unwrap_or_default();
            key_values.iter().all(|k| values.iter().any(|v| v == k))
        });
        assert!(found, "{g} list shows {key_values:?}: {listed}");

        s.json(&with(&[g, "delete"], &key), 0);
        let gone = s.json(&with(&[g, "info"], &key), 1);
        assert_eq!(gone["result"], "Fail", "{g} info after delete: {gone}");
    }
}

#[test]
fn directory_entries_upload_from_a_csv_and_a_change_renames_one() {
    let s = Sandbox::new();
    let csv = s.path("directory.csv");
    write_csv(
        &csv,
        "TelephoneNumber,Description",
        &[
            "01110000001,Front desk".to_string(),
            "01110000002,Back office".to_string(),
            "01110000003,Night line".to_string(),
        ],
    );
    let scope = ["--tel-sys-id", "4", "--part-id-in-tel-sys", "3"];
    let csv_arg = csv.to_string_lossy().into_owned();
    let up = s.json(
        &with(
            &with(&["directory-entry", "bulk-upload"], &scope),
            &["--csv-data", &csv_arg],
        ),
        0,
    );
    assert_eq!(up["result"], "Success", "{up}");
    let listed = s.json(&with(&["directory-entry", "list"], &scope), 0);
    let numbers: Vec<&str> = records(&listed)
        .iter()
        .filter_map(|r| r["TelephoneNumber"].as_str())
        .collect();
    for n in ["01110000001", "01110000002", "01110000003"] {
        assert!(numbers.contains(&n), "{n} uploaded: {listed}");
    }

    // Uploading again with one new row: the rest are duplicates, so it partly fails (exit 2)
    // and each refusal names its line.
    write_csv(
        &csv,
        "TelephoneNumber,Description",
        &[
            "01110000001,Front desk".to_string(),
            "01110000004,Overflow".to_string(),
        ],
    );
    let again = s.json(
        &with(
            &with(&["directory-entry", "bulk-upload"], &scope),
            &["--csv-data", &csv_arg],
        ),
        2,
    );
    assert_eq!(again["result"], "PartialFail", "{again}");
    let message = again["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("line 2"), "{again}");

    // NewTelephoneNumber gives an entry a new number: the old one is gone.
    let key = with(&scope, &["--telephone-number", "01110000004"]);
    s.json(
        &with(
            &with(&["directory-entry", "change"], &key),
            &["--new-telephone-number", "01110000005"],
        ),
        0,
    );
    s.json(&with(&["directory-entry", "info"], &key), 1);
    let moved = s.json(
        &with(
            &with(&["directory-entry", "info"], &scope),
            &["--telephone-number", "01110000005"],
        ),
        0,
    );
    assert_eq!(records(&moved)[0]["Description"], "Overflow", "{moved}");
}

#[test]
fn a_user_scoped_to_a_partition_that_does_not_exist_is_refused() {
    let s = Sandbox::new();
    let refused = s.json(
        &[
            "user",
            "add",
            "--username",
            "nowhere@example.invalid",
            "--scope-tel-sys-id",
            "1",
            "--scope-part-id-in-tel-sys",
            "99",
        ],
        1,
    );
    assert_eq!(refused["errors"][0]["code"], 11131, "{refused}");
    let users = s.json(&["user", "list", "--search-query", "nowhere"], 0);
    assert!(records(&users).is_empty(), "nothing was added: {users}");
}

#[test]
fn a_property_the_integration_type_does_not_support_is_refused() {
    let s = Sandbox::new();
    let (_, err) = s.run(
        &[
            "omnichannel-int",
            "add",
            "--unique-id",
            "web-chat",
            "--integration-type",
            "LiveChat",
            "--tel-sys-id",
            "1",
            "--api-communication-settings-ip-address1",
            "192.0.2.20",
        ],
        64,
    );
    assert!(
        err.contains("LiveChat") && err.contains("IPAddress1"),
        "refused before sending, saying why: {err}"
    );
    // An import checks each row the same way and says where.
    let csv = s.path("integrations.csv");
    write_csv(
        &csv,
        "UniqueID,IntegrationType,TelSysID,APICommunicationSettings.IPAddress1",
        &[
            "mail-2,E-mail,1,192.0.2.30".to_string(),
            "chat-2,LiveChat,1,192.0.2.31".to_string(),
        ],
    );
    let (_, err) = s.run(
        &[
            "omnichannel-int",
            "import",
            &csv.to_string_lossy(),
            "--dry-run",
        ],
        64,
    );
    assert!(err.contains("line 3, column 4"), "{err}");
    // The spelling of the prefix the documentation also uses reaches the same operation.
    let chat = s.json(&["omnichannelint", "info", "--unique-id", "chat-demo"], 0);
    assert_eq!(records(&chat)[0]["IntegrationType"], "LiveChat", "{chat}");
}

#[test]
fn a_fresh_state_lists_real_servers_partitions_and_what_they_hold() {
    let s = Sandbox::new();
    let servers = s.json(&["telsys", "list"], 0);
    assert!(records(&servers).len() >= 6, "{servers}");
    let partitions = s.json(&["partition", "list", "--tel-sys-id", "1"], 0);
    let descriptions: Vec<&str> = records(&partitions)
        .iter()
        .filter_map(|r| r["Description"].as_str())
        .collect();
    assert!(
        descriptions.contains(&"Common Devices Partition"),
        "{partitions}"
    );
    for group in ["device", "acd-agent", "code", "directory-entry"] {
        let held = s.json(
            &[
                group,
                "list",
                "--tel-sys-id",
                "1",
                "--part-id-in-tel-sys",
                "2",
            ],
            0,
        );
        assert!(!records(&held).is_empty(), "{group}: {held}");
    }
    // HiPath 3000 captures no codes, so its server holds none.
    let hipath_codes = s.json(
        &[
            "code",
            "list",
            "--tel-sys-id",
            "3",
            "--part-id-in-tel-sys",
            "2",
        ],
        0,
    );
    assert!(records(&hipath_codes).is_empty(), "{hipath_codes}");
    // The demo users' scopes name entities that exist.
    let admin = s.json(&["user", "list", "--search-query", "supervisor"], 0);
    assert!(!records(&admin).is_empty(), "{admin}");
}

#[test]
fn the_top_level_help_lists_families_in_the_order_of_what_holds_what() {
    let s = Sandbox::new();
    let (help, _) = s.run(&["--help"], 0);
    let at = |name: &str| {
        help.find(&format!("\n  {name} "))
            .unwrap_or_else(|| panic!("{name} in help:\n{help}"))
    };
    assert!(at("cm-environment") < at("tel-sys"));
    assert!(at("tel-sys") < at("partition"));
    assert!(at("partition") < at("device"));
    assert!(at("device") < at("user"));
}
