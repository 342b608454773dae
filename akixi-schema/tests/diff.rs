//! `akixi_schema::diff::compare` on pairs of fixture specs (`tests/fixtures/diff/`): `base` and
//! one directory per group of edits (each a copy of `base`, itself the minimal fixture with a
//! few more columns), and `references-old`/`references`. Each test lists every change expected,
//! in the walk's order: its kind, its subject, its effect on the generated API, the wire and the
//! simulator, and its file:line on both sides.

use std::path::Path;

use akixi_schema::Spec;
use akixi_schema::diff::{Change, ChangeKind, Effect, compare};

const N: Effect = Effect::None;
const A: Effect = Effect::Additive;
const B: Effect = Effect::Breaking;

/// `(kind, subject, [api, wire, simulator], old "file:line", new "file:line")`; an empty place
/// is no place (a whole service added or removed).
type Expected<'a> = (&'a str, &'a str, [Effect; 3], &'a str, &'a str);

fn load(name: &str) -> Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    match Spec::load_as(&dir, name) {
        Ok(spec) => spec,
        Err(diags) => panic!(
            "fixture {name} does not load:\n{}",
            diags
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// `file:line` of a place whose file is `SIDE/svc/FILE`, or the empty string.
fn place(side: &str, loc: Option<&akixi_schema::Loc>) -> String {
    let Some(loc) = loc else { return String::new() };
    let prefix = format!("{side}/svc/");
    assert!(
        loc.file.starts_with(&prefix),
        "{loc} is not in the {side} spec"
    );
    format!("{}:{}", &loc.file[prefix.len()..], loc.line)
}

fn check(old: &str, new: &str, expected: &[Expected<'_>]) {
    let changes = compare(&load(old), &load(new));
    let actual: Vec<(String, String, [Effect; 3], String, String)> = changes
        .iter()
        .map(|c: &Change| {
            (
                c.kind.name().to_string(),
                c.subject.clone(),
                [c.impact.api, c.impact.wire, c.impact.simulator],
                place(old, c.old.as_ref()),
                place(new, c.new.as_ref()),
            )
        })
        .collect();
    let expected: Vec<(String, String, [Effect; 3], String, String)> = expected
        .iter()
        .map(|(k, s, e, o, n)| {
            (
                k.to_string(),
                s.to_string(),
                *e,
                o.to_string(),
                n.to_string(),
            )
        })
        .collect();
    assert_eq!(actual, expected, "{old} -> {new}");
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    for name in ["base", "references"] {
        assert_eq!(compare(&load(name), &load(name)), Vec::new(), "{name}");
    }
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let real = Spec::load(real).expect("the real spec loads");
    assert_eq!(compare(&real, &real), Vec::new());
}

/// The kinds no fixture pair shows, in either direction: those `tests/diff_real_spec.rs` shows
/// on one-line edits of the real spec, then those no small edit of a spec that still loads
/// shows (a protocol's binding rows are required, but for the session's, which come with the
/// session operations; another protocol's binding is not compared row by row; a protocol
/// decides which kinds of operation a service may have).
const SHOWN_ELSEWHERE: &[&str] = &[
    "boolean-spelling-changed",
    "family-permission-changed",
    "family-table-changed",
    "input-added-required",
    "input-key-changed",
    "operation-element-changed",
    "partial-rule-changed",
    "permission-verb-changed",
    "property-element-changed",
    "reference-changed",
    "renames-changed",
    "secret-wire-changed",
    "type-shape-changed",
    "rest-operation-added",
    "rest-operation-removed",
    "rest-operation-changed",
    "rest-form-changed",
    "rest-status-changed",
    "rest-setting-changed",
    // Not shown by any test.
    "rest-binding-added",
    "rest-binding-removed",
    "binding-row-added",
    "binding-row-removed",
    "operation-kind-changed",
    "protocol-changed",
];

#[test]
fn every_kind_is_shown_by_a_fixture_pair_or_listed() {
    let cases = [
        "additive",
        "requirements",
        "types",
        "operations",
        "errors",
        "platforms-binding",
        "families",
        "service-renamed",
        "details",
    ];
    let mut pairs: Vec<(&str, &str)> = cases.iter().map(|c| ("base", *c)).collect();
    pairs.push(("references-old", "references"));
    let mut seen = std::collections::BTreeSet::new();
    for (old, new) in pairs {
        let (old, new) = (load(old), load(new));
        for c in compare(&old, &new).into_iter().chain(compare(&new, &old)) {
            seen.insert(c.kind.name());
        }
    }
    let unseen: Vec<&str> = ChangeKind::ALL
        .iter()
        .map(|k| k.name())
        .filter(|k| !seen.contains(k))
        .collect();
    let mut listed = SHOWN_ELSEWHERE.to_vec();
    listed.sort_unstable();
    let mut unseen_sorted = unseen.clone();
    unseen_sorted.sort_unstable();
    assert_eq!(unseen_sorted, listed, "kinds no fixture pair shows");
}

#[test]
fn every_kind_has_a_distinct_name() {
    let mut names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.name()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}

#[test]
fn additive() {
    check(
        "base",
        "additive",
        &[
            (
                "value-added",
                "value `Green` of Colour",
                [A, A, A],
                "service.md:32",
                "service.md:49",
            ),
            (
                "boolean-spelling-added",
                "Boolean spelling `Yes`",
                [N, A, A],
                "service.md:5",
                "service.md:41",
            ),
            (
                "error-added",
                "error 104",
                [A, A, N],
                "service.md:5",
                "service.md:64",
            ),
            (
                "operation-error-added",
                "operation WidgetAdd",
                [A, A, N],
                "widgets.md:9",
                "widgets.md:57",
            ),
            (
                "operation-alias-added",
                "operation WidgetList",
                [N, A, A],
                "widgets.md:10",
                "widgets.md:10",
            ),
            (
                "operation-added",
                "operation WidgetInfo",
                [A, A, A],
                "widgets.md:3",
                "widgets.md:11",
            ),
            (
                "support-widened",
                "property Widget.Size",
                [A, A, A],
                "widgets.md:41",
                "widgets.md:44",
            ),
            (
                "property-added",
                "property Widget.Weight",
                [A, A, A],
                "widgets.md:3",
                "widgets.md:27",
            ),
        ],
    );
}

#[test]
fn requirements() {
    check(
        "base",
        "requirements",
        &[
            (
                "container-added",
                "container Widget.Box",
                [A, A, A],
                "widgets.md:3",
                "widgets.md:17",
            ),
            (
                "input-became-optional",
                "usage of Widget.Name by WidgetAdd",
                [B, A, A],
                "widgets.md:31",
                "widgets.md:35",
            ),
            (
                "output-no-longer-by-default",
                "usage of Widget.Name by WidgetList",
                [N, B, B],
                "widgets.md:31",
                "widgets.md:35",
            ),
            (
                "input-became-required",
                "usage of Widget.Size by WidgetAdd",
                [B, B, B],
                "widgets.md:32",
                "widgets.md:36",
            ),
            (
                "output-removed",
                "usage of Widget.Size by WidgetList",
                [B, B, B],
                "widgets.md:32",
                "widgets.md:24",
            ),
            (
                "output-added",
                "usage of Widget.Look.Colours by WidgetList",
                [A, A, A],
                "widgets.md:24",
                "widgets.md:37",
            ),
            (
                "input-removed",
                "usage of Widget.Look.Shiny by WidgetAdd",
                [B, B, B],
                "widgets.md:34",
                "widgets.md:26",
            ),
            (
                "property-added-required",
                "property Widget.Label",
                [B, B, B],
                "widgets.md:3",
                "widgets.md:27",
            ),
            // New with its container (whose optional Box.Lid is not listed), but required.
            (
                "property-added-required",
                "property Widget.Box.Depth",
                [B, B, B],
                "widgets.md:3",
                "widgets.md:28",
            ),
        ],
    );
}

#[test]
fn types() {
    check(
        "base",
        "types",
        &[
            (
                "range-narrowed",
                "type Count",
                [B, B, B],
                "service.md:30",
                "service.md:30",
            ),
            (
                "value-variant-renamed",
                "value `Dark Blue` of Colour",
                [B, N, N],
                "service.md:47",
                "service.md:48",
            ),
            (
                "type-added",
                "type Text",
                [A, N, N],
                "service.md:5",
                "service.md:31",
            ),
            (
                "property-type-renamed",
                "property Widget.Name",
                [B, N, N],
                "widgets.md:22",
                "widgets.md:22",
            ),
            (
                "property-type-changed",
                "property Widget.Look.Shiny",
                [B, B, B],
                "widgets.md:25",
                "widgets.md:25",
            ),
        ],
    );
}

#[test]
fn operations() {
    check(
        "base",
        "operations",
        &[
            (
                "operation-renamed-with-alias",
                "operation WidgetCreate",
                [B, N, N],
                "widgets.md:9",
                "widgets.md:9",
            ),
            (
                "operation-renamed",
                "operation WidgetFind",
                [B, B, B],
                "widgets.md:10",
                "widgets.md:10",
            ),
            (
                "operation-error-removed",
                "operation WidgetCreate",
                [N, N, N],
                "widgets.md:54",
                "widgets.md:9",
            ),
            (
                "paging-removed",
                "operation WidgetFind",
                [B, B, B],
                "widgets.md:10",
                "widgets.md:10",
            ),
        ],
    );
}

#[test]
fn errors() {
    check(
        "base",
        "errors",
        &[
            (
                "error-category-added",
                "error category session",
                [A, N, N],
                "service.md:5",
                "service.md:54",
            ),
            (
                "error-code-changed",
                "error Broken",
                [B, B, B],
                "service.md:59",
                "service.md:60",
            ),
            (
                "error-handling-changed",
                "error 101",
                [B, N, N],
                "service.md:60",
                "service.md:61",
            ),
            (
                "error-renamed",
                "error 103",
                [B, N, N],
                "service.md:61",
                "service.md:62",
            ),
            (
                "error-message-changed",
                "error 103",
                [N, N, B],
                "service.md:61",
                "service.md:62",
            ),
            (
                "condition-code-changed",
                "condition busy",
                [N, N, B],
                "service.md:67",
                "service.md:68",
            ),
            (
                "operation-error-removed",
                "operation WidgetAdd",
                [N, N, N],
                "widgets.md:54",
                "widgets.md:9",
            ),
            (
                "operation-error-added",
                "operation WidgetAdd",
                [A, A, N],
                "widgets.md:9",
                "widgets.md:54",
            ),
        ],
    );
}

#[test]
fn platforms_binding() {
    check(
        "base",
        "platforms-binding",
        &[
            (
                "platform-added",
                "platform gamma",
                [B, A, A],
                "service.md:5",
                "service.md:24",
            ),
            (
                "binding-row-changed",
                "binding row default-limit",
                [N, B, B],
                "service.md:79",
                "service.md:80",
            ),
            (
                "default-changed",
                "property Widget.Size",
                [N, B, B],
                "widgets.md:23",
                "widgets.md:23",
            ),
            (
                "property-alias-removed",
                "property Widget.Size",
                [N, B, B],
                "widgets.md:23",
                "widgets.md:23",
            ),
            (
                "access-narrowed",
                "property Widget.Look.Shiny",
                [B, B, B],
                "widgets.md:25",
                "widgets.md:25",
            ),
        ],
    );
}

#[test]
fn families() {
    check(
        "base",
        "families",
        &[
            (
                "container-removed",
                "container Widget.Look",
                [B, B, B],
                "widgets.md:16",
                "widgets.md:3",
            ),
            (
                "family-added",
                "family Gadget",
                [A, A, A],
                "service.md:5",
                "gadgets.md:3",
            ),
        ],
    );
}

#[test]
fn service_renamed() {
    check(
        "base",
        "service-renamed",
        &[
            (
                "service-removed",
                "service widgets",
                [B, B, B],
                "service.md:5",
                "",
            ),
            (
                "service-added",
                "service gizmos",
                [A, A, A],
                "",
                "service.md:5",
            ),
        ],
    );
}

#[test]
fn reverse_additive() {
    check(
        "additive",
        "base",
        &[
            (
                "value-removed",
                "value `Green` of Colour",
                [B, N, N],
                "service.md:49",
                "service.md:32",
            ),
            (
                "boolean-spelling-removed",
                "Boolean spelling `Yes`",
                [N, B, B],
                "service.md:41",
                "service.md:5",
            ),
            (
                "error-removed",
                "error 104",
                [B, N, N],
                "service.md:64",
                "service.md:5",
            ),
            (
                "operation-removed",
                "operation WidgetInfo",
                [B, B, B],
                "widgets.md:11",
                "widgets.md:3",
            ),
            (
                "operation-error-removed",
                "operation WidgetAdd",
                [N, N, N],
                "widgets.md:57",
                "widgets.md:9",
            ),
            (
                "operation-alias-removed",
                "operation WidgetList",
                [N, B, B],
                "widgets.md:10",
                "widgets.md:10",
            ),
            (
                "property-removed",
                "property Widget.Weight",
                [B, B, B],
                "widgets.md:27",
                "widgets.md:3",
            ),
            (
                "support-narrowed",
                "property Widget.Size",
                [B, B, B],
                "widgets.md:44",
                "widgets.md:41",
            ),
        ],
    );
}

#[test]
fn references() {
    check(
        "references-old",
        "references",
        &[(
            "reference-added",
            "property Gadget.Name",
            [N, N, B],
            "gadgets.md:16",
            "gadgets.md:16",
        )],
    );
}

#[test]
fn reverse_references() {
    check(
        "references",
        "references-old",
        &[(
            "reference-removed",
            "property Gadget.Name",
            [N, N, A],
            "gadgets.md:16",
            "gadgets.md:16",
        )],
    );
}
#[test]
fn details() {
    check(
        "base",
        "details",
        &[
            (
                "type-kind-changed",
                "type Colours",
                [B, B, B],
                "service.md:33",
                "service.md:33",
            ),
            (
                "error-category-added",
                "error category session",
                [A, N, N],
                "service.md:5",
                "service.md:54",
            ),
            (
                "error-partial-fail-changed",
                "error 101",
                [B, B, B],
                "service.md:60",
                "service.md:61",
            ),
            (
                "error-category-changed",
                "error 103",
                [B, N, N],
                "service.md:61",
                "service.md:62",
            ),
            (
                "condition-added",
                "condition unknown-entity of Widget",
                [N, N, B],
                "service.md:5",
                "service.md:69",
            ),
            (
                "billable-changed",
                "family Widget",
                [N, N, N],
                "widgets.md:3",
                "widgets.md:7",
            ),
            (
                "access-widened",
                "property Widget.Name",
                [A, A, A],
                "widgets.md:22",
                "widgets.md:28",
            ),
            (
                "property-alias-added",
                "property Widget.Name",
                [N, A, A],
                "widgets.md:22",
                "widgets.md:28",
            ),
            (
                "output-now-by-default",
                "usage of Widget.Size by WidgetList",
                [N, A, A],
                "widgets.md:32",
                "widgets.md:38",
            ),
            (
                "default-added",
                "property Widget.Look.Shiny",
                [N, A, A],
                "widgets.md:25",
                "widgets.md:31",
            ),
        ],
    );
}
