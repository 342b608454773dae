//! serde of the generated types, for every operation of the spec: a request built from random
//! values of each property's kind serialises to the JSON shape the docs promise (wire names,
//! containers nested, Booleans and integers typed, lists as arrays, secrets left out), and that
//! JSON reads back to the same request; every response decoded from the wire into its type
//! serialises to that shape, and a response record in that shape reads back to the same wire
//! values. Nothing here names an operation or a property: the spec's metadata drives it.

use akixi_client::akixi::{BOOLEAN_FALSE, BOOLEAN_TRUE, OPERATIONS, dynamic};
use akixi_client::meta::{FieldInfo, OperationInfo, PropertyInfo, ValueKind};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value, json};

/// A value of `p`'s kind: its wire text and its JSON.
fn value(p: &'static PropertyInfo) -> BoxedStrategy<(String, Value)> {
    let known = p.values;
    match p.kind {
        ValueKind::String => "[ -~é✓<&]{0,16}"
            .prop_map(|s: String| (s.clone(), Value::String(s)))
            .boxed(),
        ValueKind::Integer { min, max } => {
            (min..=max).prop_map(|n| (n.to_string(), json!(n))).boxed()
        }
        ValueKind::Boolean => any::<bool>()
            .prop_map(|b| {
                let w = if b { BOOLEAN_TRUE } else { BOOLEAN_FALSE };
                (w.to_string(), json!(b))
            })
            .boxed(),
        ValueKind::Enum => {
            let unknown = "[A-Za-z][A-Za-z0-9_]{0,10}".prop_map(|s: String| s);
            let any_value = if known.is_empty() {
                unknown.boxed()
            } else {
                prop_oneof![
                    proptest::sample::select(known).prop_map(str::to_string),
                    unknown
                ]
                .boxed()
            };
            any_value.prop_map(|s| (s.clone(), json!(s))).boxed()
        }
        ValueKind::List => {
            let token = "[A-Za-z|][A-Za-z0-9|]{0,10}".prop_map(|s: String| s);
            let item = if known.is_empty() {
                token.boxed()
            } else {
                prop_oneof![
                    proptest::sample::select(known).prop_map(str::to_string),
                    token
                ]
                .boxed()
            };
            proptest::collection::vec(item, 0..6)
                .prop_map(|mut items| {
                    // An ordered set: a repeated token is kept once.
                    let mut seen = std::collections::HashSet::new();
                    items.retain(|t| seen.insert(t.clone()));
                    (items.join(","), json!(items))
                })
                .boxed()
        }
        ValueKind::Selector => prop_oneof![
            proptest::sample::select(known).prop_map(|k| (k.to_string(), json!(k))),
            (0u32..100_000).prop_map(|n| (n.to_string(), json!(n))),
            // Leading zeros are not a plain number: kept as text.
            (0u32..1000).prop_map(|n| (format!("0{n}"), json!(format!("0{n}")))),
        ]
        .boxed(),
        ValueKind::Secret => "[a-z]{1,8}".prop_map(|s: String| (s, Value::Null)).boxed(),
    }
}

/// Random values for `fields`: the wire pairs, and the JSON the docs promise for them.
fn record(fields: Vec<&'static FieldInfo>) -> BoxedStrategy<(Vec<(String, String)>, Value)> {
    let values: Vec<_> = fields.iter().map(|f| value(f.property)).collect();
    values
        .prop_map(move |vals| {
            let mut pairs = Vec::new();
            let mut doc = Map::new();
            for (f, (wire, json)) in fields.iter().zip(vals) {
                let p = f.property;
                let path = match p.container {
                    Some(c) => format!("{c}.{}", p.name),
                    None => p.name.to_string(),
                };
                pairs.push((path, wire));
                if p.kind == ValueKind::Secret {
                    continue;
                }
                let at = match p.container {
                    Some(c) => doc
                        .entry(c)
                        .or_insert_with(|| Value::Object(Map::new()))
                        .as_object_mut()
                        .expect("a container is an object"),
                    None => &mut doc,
                };
                at.insert(p.name.to_string(), json);
            }
            (pairs, Value::Object(doc))
        })
        .boxed()
}

fn by_name(op: &OperationInfo) -> bool {
    dynamic::NAMES.contains(&op.name)
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[test]
fn every_request_has_the_documented_json_shape_and_reads_back() {
    for op in OPERATIONS.iter().filter(|o| by_name(o)) {
        // Every input, required or not; optional ones are left out at random.
        let inputs: Vec<&'static FieldInfo> =
            op.fields.iter().filter(|f| f.input.is_some()).collect();
        let mut runner = TestRunner::new(ProptestConfig::with_cases(64));
        let result = runner.run(&record(inputs), |(pairs, expected)| {
            let json = dynamic::request_json(op.name, &pairs, None)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", op.name)))?;
            prop_assert_eq!(&json, &expected, "{}: the JSON of {:?}", op.name, pairs);
            let back = dynamic::request_fields_from_json(op.name, &json)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", op.name)))?;
            let without_secrets: Vec<_> = pairs
                .iter()
                .filter(|(k, _)| {
                    op.fields.iter().all(|f| {
                        f.property.kind != ValueKind::Secret
                            || *k != f.property.name
                                && *k
                                    != format!(
                                        "{}.{}",
                                        f.property.container.unwrap_or(""),
                                        f.property.name
                                    )
                    })
                })
                .cloned()
                .collect();
            prop_assert_eq!(sorted(back), sorted(without_secrets), "{}", op.name);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", op.name);
        }
    }
}

#[test]
fn every_response_record_reads_back_from_its_json() {
    for op in OPERATIONS.iter().filter(|o| by_name(o)) {
        let outputs: Vec<&'static FieldInfo> = op
            .fields
            .iter()
            .filter(|f| f.returned.is_some() && f.property.kind != ValueKind::Secret)
            .collect();
        let mut runner = TestRunner::new(ProptestConfig::with_cases(64));
        let result = runner.run(&record(outputs), |(pairs, json)| {
            let back = dynamic::response_record_from_json(op.name, &json)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", op.name)))?;
            prop_assert_eq!(sorted(back), sorted(pairs), "{}", op.name);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", op.name);
        }
    }
}

#[test]
fn wrong_json_types_are_refused_with_the_property_named() {
    let op = OPERATIONS
        .iter()
        .filter(|o| by_name(o))
        .find_map(|o| {
            let f = o.fields.iter().find(|f| {
                f.input.is_some() && matches!(f.property.kind, ValueKind::Integer { .. })
            })?;
            Some((o, f))
        })
        .expect("some operation takes an integer");
    let (op, f) = op;
    let mut doc = Map::new();
    let leaf = json!("not a number");
    match f.property.container {
        Some(c) => {
            doc.insert(c.to_string(), json!({ f.property.name: leaf }));
        }
        None => {
            doc.insert(f.property.name.to_string(), leaf);
        }
    }
    let err = dynamic::request_fields_from_json(op.name, &Value::Object(doc))
        .expect_err("a string is not an integer")
        .to_string();
    assert!(err.contains("whole number"), "{err}");
    let path = match f.property.container {
        Some(c) => format!("{c}.{}", f.property.name),
        None => f.property.name.to_string(),
    };
    assert!(err.starts_with(&path), "the property is named: {err}");
}

/// The seed's documented responses and requests, as JSON: the shape users see.
#[test]
fn the_seeds_examples_as_json() {
    use akixi_client::akixi::BINDING;
    use akixi_client::akixi::user::{UserAddRequest, UserInfoResponse, UserListResponse};
    use akixi_client::akixi_ws::{decode_request, decode_response};
    use akixi_tests::{request_example, response_example, seed, xml_examples};

    let ex = xml_examples(&seed("akixi-application-users.txt"));
    let info =
        decode_response::<UserInfoResponse>(response_example(&ex, "00028").as_bytes(), &BINDING)
            .expect("decodes")
            .data
            .expect("data");
    insta::assert_json_snapshot!("user_info_00028", info);
    let list =
        decode_response::<UserListResponse>(response_example(&ex, "00027").as_bytes(), &BINDING)
            .expect("decodes")
            .data
            .expect("data");
    insta::assert_json_snapshot!("user_list_00027", list);
    let add = decode_request::<UserAddRequest>(request_example(&ex, "UserAdd").as_bytes())
        .expect("decodes")
        .payload;
    // The documented request carries a password: it is not written.
    let json = serde_json::to_value(&add).expect("serialises");
    assert!(json.get("Password").is_none(), "{json}");
    insta::assert_json_snapshot!("user_add_request", add);
    // And it reads back to the same request, but for the password.
    let back: UserAddRequest = serde_json::from_value(json).expect("reads back");
    assert_eq!(
        serde_json::to_value(&back).expect("serialises"),
        serde_json::to_value(&add).expect("serialises")
    );
}

/// The response document of `records` (one entry each for a list).
fn response_xml(records: &[Vec<(String, String)>], list: bool) -> String {
    use akixi_client::akixi_ws::{ResponseWriter, ResultKind};
    let mut w = ResponseWriter::new(ResultKind::Success, &akixi_client::akixi::BINDING);
    w.invoke_id("00001").begin_success();
    for record in records {
        if list {
            w.begin_container(None);
        }
        let mut open: Option<&str> = None;
        for (path, value) in record {
            let (container, name) = match path.split_once('.') {
                Some((c, n)) => (Some(c), n),
                None => (None, path.as_str()),
            };
            if open != container {
                if open.is_some() {
                    w.end_container();
                }
                if let Some(c) = container {
                    w.begin_container(Some(c));
                }
                open = container;
            }
            w.property(name, value);
        }
        if open.is_some() {
            w.end_container();
        }
        if list {
            w.end_container();
        }
    }
    w.finish()
}

/// Typed response → JSON: every operation's response, decoded from the wire into its generated
/// type and collected as JSON by the calls by name, has the documented shape.
#[test]
fn every_response_serialises_to_the_documented_json_shape() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    for op in OPERATIONS.iter().filter(|o| by_name(o)) {
        let required: Vec<&'static FieldInfo> = op
            .fields
            .iter()
            .filter(|f| {
                matches!(
                    f.input,
                    Some(
                        akixi_client::meta::InputUse::Required | akixi_client::meta::InputUse::Key
                    )
                )
            })
            .collect();
        // Containers in table order, so that the writer opens each once.
        let mut outputs: Vec<&'static FieldInfo> = op
            .fields
            .iter()
            .filter(|f| f.returned.is_some() && f.property.kind != ValueKind::Secret)
            .collect();
        outputs.sort_by_key(|f| f.property.container.is_some());
        outputs.sort_by_key(|f| f.property.container);
        let list = op.kind == akixi_client::meta::OpKind::List;
        let entries = if list { 0..4usize } else { 1..2usize };
        let strategy = (
            record(required),
            proptest::collection::vec(record(outputs), entries),
        );
        let mut runner = TestRunner::new(ProptestConfig::with_cases(32));
        let result = runner.run(&strategy, |((request, _), answers)| {
            let records: Vec<Vec<(String, String)>> =
                answers.iter().map(|(r, _)| r.clone()).collect();
            let expected: Vec<Value> = answers.into_iter().map(|(_, j)| j).collect();
            let xml = response_xml(&records, list);
            let collected = rt
                .block_on(dynamic::call_paged_with(
                    &akixi_tests::Canned(|_: &str| xml.clone()),
                    op.name,
                    &request,
                    None,
                    None,
                    None,
                    &akixi_client::json::CollectJson,
                ))
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", op.name)))?;
            prop_assert_eq!(&collected.json, &expected, "{}: {}", op.name, xml);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", op.name);
        }
    }
}

/// The EM result data in JSON: the seed's null `ErrorMessage` when the service did not answer,
/// and actions read by the seed's own spelling `LogoutALL`.
#[test]
fn em_result_data_and_the_seeds_spelling() {
    use akixi_client::cisco_em::Action;
    use akixi_client::em::Error;
    use akixi_client::em::{AnyAction, LogoutAllResultData};

    let ok: Result<(), Error> = Ok(());
    let json = serde_json::to_value(LogoutAllResultData::from_result(&ok)).expect("serialises");
    assert_eq!(
        json,
        json!({"branch": "success", "ErrorCode": 0, "ErrorMessage": ""})
    );

    // Refused before sending (both a timeout and no timeout): no response XML.
    let refused = akixi_client::em::Login::new("app", "certificate", "SEP1", "user")
        .no_timeout(true)
        .timeout(akixi_client::em::Minutes::new(1).expect("in range"))
        .to_xml()
        .map(|_| ())
        .map_err(|e| Error::Invalid(Box::new(e)));
    let json = serde_json::to_value(akixi_client::em::LoginResultData::from_result(&refused))
        .expect("serialises");
    assert_eq!(json["ErrorMessage"], Value::Null, "{json}");
    assert_eq!(json["branch"], "failure");

    let fields = [
        ("AppId".to_string(), "app".to_string()),
        ("AppCertificate".to_string(), "certificate".to_string()),
    ];
    let by_seed = AnyAction::from_wire_fields("LogoutALL", &fields).expect("the seed's spelling");
    assert_eq!(by_seed.name(), "LogoutAll");
    // The certificate is never written.
    let action = serde_json::to_value(akixi_client::em::LogoutAll::new("app", "certificate"))
        .expect("serialises");
    assert_eq!(action, json!({"AppId": "app"}));
}

/// A secret of the wrong JSON type is refused without the value in the message.
#[test]
fn a_secret_of_the_wrong_type_is_refused_without_showing_it() {
    let err = serde_json::from_value::<akixi_client::akixi::user::UserAddRequest>(
        json!({"Username": "x@example.com", "Password": 12345678}),
    )
    .expect_err("a number is not a password")
    .to_string();
    assert!(
        !err.contains("12345678") && err.contains("not shown"),
        "{err}"
    );
}
