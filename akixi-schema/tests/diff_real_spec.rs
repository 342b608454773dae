//! `akixi_schema::diff::compare` on one-line edits of a copy of the real spec, for the kinds of
//! change the small fixtures (`tests/diff.rs`) cannot show: element-based protocols' elements,
//! permission tokens, searches, renames, secrets and keys.

use std::path::Path;

use akixi_schema::Spec;
use akixi_schema::diff::{Effect, compare};

const N: Effect = Effect::None;
const A: Effect = Effect::Additive;
const B: Effect = Effect::Breaking;

fn real_spec() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

/// The spec's files (not its conformance cases) copied into a fresh directory, with `from`
/// (which must occur once) replaced by `to` in `file`.
fn edited(file: &str, from: &str, to: &str) -> Spec {
    let dir = tempfile::tempdir().expect("temp dir");
    for service in std::fs::read_dir(real_spec()).expect("spec dir") {
        let service = service.expect("entry").path();
        if !service.is_dir() {
            continue;
        }
        let into = dir.path().join(service.file_name().expect("name"));
        std::fs::create_dir_all(&into).expect("mkdir");
        for f in std::fs::read_dir(&service).expect("service dir") {
            let f = f.expect("entry").path();
            if f.is_file() {
                std::fs::copy(&f, into.join(f.file_name().expect("name"))).expect("copy");
            }
        }
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
    Spec::load(dir.path()).unwrap_or_else(|diags| {
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("the edited spec does not load:\n{}", shown.join("\n"))
    })
}

/// The changes from the real spec to the edited one: `(kind, subject, [api, wire, simulator])`,
/// each with places on both sides, the new one in the edited file.
fn check(file: &str, from: &str, to: &str, expected: &[(&str, &str, [Effect; 3])]) {
    let old = Spec::load(real_spec()).expect("the real spec loads");
    let new = edited(file, from, to);
    let changes = compare(&old, &new);
    let actual: Vec<(&str, &str, [Effect; 3])> = changes
        .iter()
        .map(|c| {
            let (o, n) = (
                c.old.as_ref().expect("old place"),
                c.new.as_ref().expect("new place"),
            );
            assert!(o.line >= 1 && n.line >= 1, "{c}");
            assert!(n.file.ends_with(file), "{c}: {n}");
            (
                c.kind.name(),
                c.subject.as_str(),
                [c.impact.api, c.impact.wire, c.impact.simulator],
            )
        })
        .collect();
    assert_eq!(actual, expected, "{file}: `{from}` -> `{to}`");
}

#[test]
fn an_operations_wire_element() {
    check(
        "cisco-em/em.md",
        "| Logout | request | logout |",
        "| Logout | request | logOut |",
        &[("operation-element-changed", "operation Logout", [N, B, B])],
    );
}

#[test]
fn a_propertys_wire_element() {
    check(
        "cisco-em/em.md",
        "| deviceProfile |",
        "| profile |",
        &[(
            "property-element-changed",
            "property Em.DeviceProfile",
            [N, B, B],
        )],
    );
}

#[test]
fn a_familys_permission_token() {
    check(
        "akixi/directory-entries.md",
        "| permission | DirectoryEntry |",
        "| permission | User |",
        &[(
            "family-permission-changed",
            "family DirectoryEntry",
            [N, B, B],
        )],
    );
}

#[test]
fn a_lists_search() {
    check(
        "akixi/users.md",
        "| search | SearchQuery: Username, FullName |",
        "| search | SearchQuery: Username |",
        &[("family-table-changed", "family User", [N, N, B])],
    );
}

#[test]
fn the_key_a_property_renames() {
    check(
        "akixi/directory-entries.md",
        "| | TelephoneNumber | The number a change gives",
        "| | | The number a change gives",
        &[(
            "renames-changed",
            "property DirectoryEntry.NewTelephoneNumber",
            [B, B, B],
        )],
    );
}

#[test]
fn how_a_secret_goes_on_the_wire() {
    check(
        "akixi/types.md",
        "| Nonce | secret | plain |",
        "| Nonce | secret | encrypted |",
        &[("secret-wire-changed", "type Nonce", [N, B, B])],
    );
}

#[test]
fn a_key_that_becomes_merely_required() {
    check(
        "akixi/directory-entries.md",
        "| TelephoneNumber | required | key | key | key, returned |",
        "| TelephoneNumber | required | key | required | key, returned |",
        &[(
            "input-key-changed",
            "usage of DirectoryEntry.TelephoneNumber by DirectoryEntryDelete",
            [B, N, B],
        )],
    );
}

#[test]
fn a_widened_range_breaks_old_readers_of_answers() {
    check(
        "akixi/types.md",
        "| TCPPort | integer | | 1 | 65535 |",
        "| TCPPort | integer | | 0 | 65535 |",
        &[("range-widened", "type TCPPort", [A, B, A])],
    );
}

#[test]
fn a_permission_verb() {
    check(
        "akixi/service.md",
        "| bulk-add | Create |",
        "| bulk-add | Delete |",
        &[(
            "permission-verb-changed",
            "permission verb of bulk-add",
            [N, B, B],
        )],
    );
}

#[test]
fn a_partial_fail_rule() {
    check(
        "akixi/errors.md",
        "| SendWelcomeEmail | EmailAddr | 11230 |",
        "| SendWelcomeEmail | EmailAddr | 11231 |",
        &[(
            "partial-rule-changed",
            "partial-fail rule welcome-email-without-address",
            [N, N, B],
        )],
    );
}

#[test]
fn what_a_boolean_spelling_means() {
    check(
        "akixi/types.md",
        "| on | true | |",
        "| on | false | |",
        &[(
            "boolean-spelling-changed",
            "Boolean spelling `on`",
            [N, B, B],
        )],
    );
}

#[test]
fn a_selectors_fallback() {
    check(
        "akixi/types.md",
        "| DeviceSelector | selector | Number(String) |",
        "| DeviceSelector | selector | Num(String) |",
        &[("type-shape-changed", "type DeviceSelector", [B, B, B])],
    );
}

#[test]
fn what_deleting_a_referenced_entity_does() {
    check(
        "akixi/acd-agents.md",
        "| TelSys | cascade | The telephony server the agent belongs to.",
        "| TelSys | refuse | The telephony server the agent belongs to.",
        &[("reference-changed", "property ACDAgent.TelSysID", [N, N, B])],
    );
}

#[test]
fn an_input_newly_required() {
    check(
        "akixi/directory-entries.md",
        "| Description | optional | optional | | returned | default | |",
        "| Description | optional | optional | required | returned | default | |",
        &[(
            "input-added-required",
            "usage of DirectoryEntry.Description by DirectoryEntryDelete",
            [B, B, B],
        )],
    );
}

#[test]
fn a_rest_route_a_form_a_status_and_a_setting() {
    check(
        "akixi/users.md",
        "| Info | UserInfo | GET | /admin/user/{Username} |",
        "| Info | UserInfo | GET | /admin/users/{Username} |",
        &[(
            "rest-operation-changed",
            "REST operation User Info",
            [N, B, B],
        )],
    );
    check(
        "akixi/users.md",
        "| Scope.PartIDInTelSys | array | doc:rest-users | |\n",
        "",
        &[(
            "rest-form-changed",
            "User.Scope.PartIDInTelSys over REST",
            [N, B, B],
        )],
    );
    check(
        "akixi/rest.md",
        "| unknown-entity | 404 |",
        "| unknown-entity | 400 |",
        &[(
            "rest-status-changed",
            "REST status of unknown-entity",
            [N, B, B],
        )],
    );
    check(
        "akixi/rest.md",
        "| api-key-header | x-api-key |",
        "| api-key-header | X-Api-Key |",
        &[(
            "rest-setting-changed",
            "rest-binding api-key-header",
            [N, B, B],
        )],
    );
}

#[test]
fn a_rest_operation_removed_breaks_the_wire() {
    check(
        "akixi/users.md",
        "| SendEmail | UserChange | POST | /admin/user/{Username}/sendEmail | Username | | SendWelcomeEmail = True | inferred | yes |\n",
        "",
        &[(
            "rest-operation-removed",
            "REST operation User SendEmail",
            [N, B, B],
        )],
    );
}

#[test]
fn a_rest_operation_added_is_additive() {
    check(
        "akixi/users.md",
        "| List | UserList | GET | /admin/user | | | | inferred | yes |\n",
        "| List | UserList | GET | /admin/user | | | | inferred | yes |\n| Search | UserList | GET | /admin/user/search | | | | inferred | yes |\n",
        &[(
            "rest-operation-added",
            "REST operation User Search",
            [N, A, A],
        )],
    );
}
