//! What a scoped caller cannot learn or reach: a reference may name only what lies inside its
//! scope (outside, it is answered as a missing entity would be, whether it exists or not), and
//! an add outside the scope is refused the same way whether its key exists or not. And what
//! no caller can make the simulator say: a value XML 1.0 cannot carry is refused, and no
//! answer, whatever a request holds, is ill-formed.

use super::*;

use akixi_client::akixi::DeviceType;
use akixi_client::akixi::device::DeviceAddRequest;
use akixi_client::akixi::partition::PartitionListRequest;

/// A caller scoped to the BroadWorks server holding `tokens`.
async fn scoped(
    sim: &akixi_sim::SimulatorHandle,
    name: &str,
    tokens: &[AdminPermission],
) -> akixi_client::Client {
    let admin = client(sim, ADMIN);
    let set = tokens
        .iter()
        .fold(AdminPermissions::new(), |s, t| s.with(t.clone()));
    admin
        .user_add(
            UserAddRequest::new(name)
                .password(PASSWORD)
                .scope(
                    Scope::new()
                        .cm_environment_id(CM_ENVIRONMENT_ID)
                        .tel_sys_id(ts(Platform::CiscoBroadworks)),
                )
                .permissions(Permissions::new().admin(set)),
        )
        .await
        .expect("added");
    client_with(sim, name, PASSWORD)
}

/// A reference outside the caller's scope is answered as a missing server or partition, and
/// the same whether the entity behind it exists (`existing`) or not (`missing`).
fn assert_answered_as_unknown(existing: u32, missing: u32) {
    assert_eq!(existing, missing);
    assert!(
        [
            cond::UNKNOWN_ENTITY_TEL_SYS.code(),
            cond::UNKNOWN_ENTITY_PARTITION.code()
        ]
        .contains(&existing),
        "{existing}"
    );
}

#[tokio::test]
async fn a_reference_outside_the_scope_is_answered_as_a_missing_one() {
    let sim = support::start().await;
    let me = "endpoint@example.invalid";
    let sup = scoped(
        &sim,
        me,
        &[AdminPermission::UserRead, AdminPermission::UserUpdate],
    )
    .await;
    let other = ts(Platform::BroadsoftM6);
    let point = |part: i32| {
        UserChangeRequest::new(me)
            .endpoint(Endpoint::new().tel_sys_id(other).part_id_in_tel_sys(part))
    };
    // Partition 2 of server 2 exists; partition 99 does not: the same answer.
    let existing = sup
        .user_change(point(seed::CUSTOMER_PARTITION as i32))
        .await;
    let missing = sup.user_change(point(99)).await;
    let (existing, missing) = (code_of(existing), code_of(missing));
    assert_answered_as_unknown(existing, missing);
    // Nothing was stored, so server 2's partition is not held in use by it.
    let info = client(&sim, ADMIN)
        .user_info(UserInfoRequest::new(me))
        .await
        .expect("info");
    assert!(info.endpoint.is_none(), "{:?}", info.endpoint);
    // Inside its scope, the same reference is taken.
    sup.user_change(
        UserChangeRequest::new(me).endpoint(
            Endpoint::new()
                .tel_sys_id(ts(Platform::CiscoBroadworks))
                .part_id_in_tel_sys(seed::CUSTOMER_PARTITION as i32),
        ),
    )
    .await
    .expect("a partition of its own server");
}

#[tokio::test]
async fn an_add_outside_the_scope_answers_alike_whether_the_key_exists_or_not() {
    let sim = support::start().await;
    let sup = scoped(
        &sim,
        "devices@example.invalid",
        &[
            AdminPermission::DeviceCreate,
            AdminPermission::UserCreate,
            AdminPermission::PartitionRead,
        ],
    )
    .await;
    let other = ts(Platform::BroadsoftM6);
    let part = seed::CUSTOMER_PARTITION as i32;
    // Device 2001 of server 2 exists; 7777 does not.
    let device = |number: &str| DeviceAddRequest::new(other, part, number, DeviceType::Extension);
    let existing = code_of(sup.device_add(device("2001")).await);
    let missing = code_of(sup.device_add(device("7777")).await);
    assert_answered_as_unknown(existing, missing);
    // A user scoped to server 2, named as an existing server-2 user or not: the same answer.
    let admin = client(&sim, ADMIN);
    let on_server_2 = |name: &str| {
        UserAddRequest::new(name).scope(
            Scope::new()
                .cm_environment_id(CM_ENVIRONMENT_ID)
                .tel_sys_id(other),
        )
    };
    admin
        .user_add(on_server_2("hidden@example.invalid"))
        .await
        .expect("added");
    let existing = code_of(sup.user_add(on_server_2("hidden@example.invalid")).await);
    let missing = code_of(
        sup.user_add(on_server_2("unheard-of@example.invalid"))
            .await,
    );
    assert_eq!(existing, missing);
    // Unscoped (wider than the caller): out of scope either way.
    let existing = code_of(
        sup.user_add(UserAddRequest::new("hidden@example.invalid"))
            .await,
    );
    let missing = code_of(
        sup.user_add(UserAddRequest::new("unheard-of@example.invalid"))
            .await,
    );
    assert_eq!(existing, missing);
    assert_eq!(existing, cond::OUT_OF_SCOPE.code());
    // A list filtered by a server outside its scope: the same as a server that does not exist.
    let listed = code_of(sup.partition_list(PartitionListRequest::new(other)).await);
    let nowhere = code_of(sup.partition_list(PartitionListRequest::new(99_999)).await);
    assert_eq!(listed, nowhere);
}

/// Whether `xml` holds a character XML 1.0 forbids, raw or as a character reference.
fn ill_formed(xml: &str) -> Option<String> {
    let forbidden = |c: u32| {
        (c < 0x20 && !matches!(c, 0x9 | 0xA | 0xD))
            || matches!(c, 0xFFFE | 0xFFFF)
            || (0xD800..=0xDFFF).contains(&c)
            || c > 0x10FFFF
    };
    if let Some(c) = xml.chars().find(|c| forbidden(u32::from(*c))) {
        return Some(format!("raw {:?}", c));
    }
    let mut rest = xml;
    while let Some(at) = rest.find("&#") {
        rest = &rest[at + 2..];
        let end = rest.find(';')?;
        let digits = &rest[..end];
        let value = match digits.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => digits.parse(),
        };
        match value {
            Ok(c) if !forbidden(c) => {}
            _ => return Some(format!("&#{digits};")),
        }
    }
    None
}

/// Strings of every kind of character, from a fixed seed: C0 controls, DEL and C1, the
/// noncharacters U+FFFE/U+FFFF, markup, quotes, astral characters, and plain text.
fn arbitrary_strings(count: usize) -> Vec<String> {
    const POOL: &[char] = &[
        '\u{0}',
        '\u{1}',
        '\u{7}',
        '\u{8}',
        '\t',
        '\n',
        '\u{b}',
        '\u{c}',
        '\r',
        '\u{1b}',
        '\u{1f}',
        '\u{7f}',
        '\u{85}',
        '\u{9b}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{fffd}',
        '\u{202e}',
        '&',
        '<',
        '>',
        '"',
        '\'',
        ']',
        ';',
        '#',
        'x',
        'a',
        'Z',
        '0',
        ' ',
        'é',
        '€',
        '😀',
        '\u{10ffff}',
    ];
    let mut state: u64 = 0x005e_ed0f_a1c5;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len)
                .map(|_| POOL[(next() % POOL.len() as u64) as usize])
                .collect()
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters a document cannot hold raw go as references, as a lenient client
            // would write them.
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&format!("&#x{:X};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[tokio::test]
async fn no_answer_is_ill_formed_whatever_the_request_holds() {
    let sim = support::start().await;
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    let bad_value = cond::BAD_PROPERTY_VALUE.code();
    let mut refused = 0;
    for (i, text) in arbitrary_strings(400).iter().enumerate() {
        let escaped = escape(text);
        // As a stored value (FullName), as an integer that is not one, and as the InvokeID.
        for body in [
            format!(
                "<Request Operation=\"UserChange\"><InvokeID>{i}</InvokeID><SessionID>{}</SessionID>\
                 <OperationPayload><Property Name=\"Username\">{ADMIN}</Property>\
                 <Property Name=\"FullName\">{escaped}</Property></OperationPayload></Request>",
                raw.session_id
            ),
            format!(
                "<Request Operation=\"UserList\"><InvokeID>{i}</InvokeID><SessionID>{}</SessionID>\
                 <OperationPayload><Property Name=\"TelSysID\">{escaped}</Property>\
                 </OperationPayload></Request>",
                raw.session_id
            ),
            format!(
                "<Request Operation=\"UserInfo\"><InvokeID>{escaped}</InvokeID><SessionID>{}</SessionID>\
                 <OperationPayload><Property Name=\"Username\">{escaped}</Property>\
                 </OperationPayload></Request>",
                raw.session_id
            ),
        ] {
            let answer = post(sim.url(), &body).await;
            if let Some(why) = ill_formed(&answer) {
                panic!("an ill-formed answer ({why}) to {text:?}:\n{answer}");
            }
            let decoded = support::decode::<Extra>(&answer);
            let forbidden = text.chars().any(|c| {
                (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{fffe}' | '\u{ffff}')
            });
            if forbidden && body.contains("FullName") {
                assert_eq!(
                    decoded.errors.first().and_then(|e| e.code),
                    Some(bad_value),
                    "{text:?}: {answer}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused > 50,
        "too few strings held forbidden characters: {refused}"
    );
    // The list of every user, which holds whatever was stored, is well-formed too.
    let listed = raw.send(&UserListRequest::new()).await;
    assert_eq!(ill_formed(&listed), None, "{listed}");
    let _ = &mut raw;
}
