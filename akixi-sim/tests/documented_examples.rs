//! The documented request examples of `shared/seeds/akixi-application-users.txt`, read at
//! test time and sent verbatim (comments and the document's quirks included) over HTTP.
//!
//! The examples carry a fixed SessionID, so the simulator is started with a preset session of
//! that id. Their `Password` values are not ciphertexts of that session (the `UserAdd` one is
//! the placeholder `test`): sent verbatim they are refused with the documented error for a bad
//! value, and nothing changes; the tests then send them again with only the `Password` text
//! replaced by a fresh ciphertext of the session, and expect the documented response.

mod support;

use std::path::Path;

use akixi_client::akixi::{self, error_conditions as cond, user};
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::akixi_ws::{Extra, ResultKind};
use akixi_client::runtime::akixi_ws::Password;
use support::{ADMIN, code, decode, flatten, post};

/// A nonce of our own for the preset session (the document gives none for the XML API).
const NONCE: &str = "20d5e39b41c7016d3ec9e647ccdbac1f";

fn seed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seeds/akixi-application-users.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the seed {}: {e} (is ../shared beside the workspace?)",
            path.display()
        )
    })
}

/// Every `<Request …>…</Request>` and `<Response …>…</Response>` document, in order.
fn examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let request = rest.find("<Request ");
        let response = rest.find("<Response ");
        let (start, close) = match (request, response) {
            (Some(a), Some(b)) if a < b => (a, "</Request>"),
            (Some(a), None) => (a, "</Request>"),
            (_, Some(b)) => (b, "</Response>"),
            (None, None) => break,
        };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        let end = start + len + close.len();
        out.push(rest[start..end].to_owned());
        rest = &rest[end..];
    }
    out
}

struct Doc {
    examples: Vec<String>,
}

impl Doc {
    fn load() -> Doc {
        let examples = examples(&seed());
        assert!(examples.len() >= 10, "the seed's examples were found");
        Doc { examples }
    }

    fn request(&self, operation: &str) -> &str {
        let head = format!("<Request Operation=\"{operation}\">");
        self.examples
            .iter()
            .find(|e| e.starts_with(&head))
            .unwrap_or_else(|| panic!("no {operation} request in the seed"))
    }

    /// The response echoing the request's InvokeID.
    fn response_to(&self, request: &str) -> &str {
        let id = element(request, "InvokeID");
        let needle = format!("<InvokeID>{id}</InvokeID>");
        self.examples
            .iter()
            .find(|e| e.starts_with("<Response") && e.contains(&needle))
            .unwrap_or_else(|| panic!("no response with InvokeID {id} in the seed"))
    }

    fn session_id(&self) -> String {
        element(self.request("UserAdd"), "SessionID").to_owned()
    }
}

fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open).map(|i| i + open.len()).expect("element");
    let end = xml[start..].find(&close).expect("closed") + start;
    xml[start..end].trim()
}

fn property(xml: &str, name: &str) -> String {
    let open = format!("<Property Name=\"{name}\">");
    let start = xml.find(&open).expect("the property") + open.len();
    let end = xml[start..].find("</Property>").expect("closed") + start;
    xml[start..end].trim().to_owned()
}

/// The request with only the text of its `Password` property replaced.
fn with_password(xml: &str, ciphertext: &str) -> String {
    let open = "<Property Name=\"Password\">";
    let start = xml.find(open).expect("a Password property") + open.len();
    let end = xml[start..].find("</Property>").expect("closed") + start;
    format!("{}{ciphertext}{}", &xml[..start], &xml[end..])
}

/// Comments removed, and the whitespace around each line (the documents put one element
/// per line; the simulator writes none).
fn canonical(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("-->").map_or("", |j| &rest[i + j + 3..]);
    }
    out.push_str(rest);
    out.lines().map(str::trim).collect()
}

/// A property's canonical name: the spec's spelling where the document uses an alias.
fn canonical_name(name: &str) -> String {
    akixi::OPERATIONS
        .iter()
        .flat_map(|op| op.fields)
        .map(|f| f.property)
        .find(|p| p.aliases.contains(&name))
        .map_or_else(|| name.to_owned(), |p| p.name.to_owned())
}

fn properties(xml: &str) -> Vec<(Option<String>, String, String)> {
    let decoded = decode::<Extra>(xml);
    flatten(&decoded.data.expect("a Success payload"))
        .into_iter()
        .map(|(c, n, v)| (c, canonical_name(&n), v))
        .collect()
}

async fn simulator(doc: &Doc) -> akixi_sim::SimulatorHandle {
    support::start_with(support::config().preset_session(doc.session_id(), NONCE, ADMIN)).await
}

fn ciphertext(password: &str) -> String {
    support::cipher()
        .encrypt(
            &akixi_client::runtime::akixi_ws::Secret::new(NONCE),
            &Password::new(password),
        )
        .expect("encrypts")
}

#[tokio::test]
async fn documented_requests_are_answered_in_the_documented_shapes() {
    let doc = Doc::load();
    let sim = simulator(&doc).await;
    let url = sim.url();
    let bad_value = cond::BAD_PROPERTY_VALUE.code();

    // UserAdd, verbatim: its Password is the placeholder `test`, not a ciphertext.
    let add = doc.request("UserAdd");
    let reply = post(url, add).await;
    assert_eq!(code(&reply), Some(bad_value), "{reply}");
    assert_eq!(decode::<Extra>(&reply).invoke_id.as_deref(), Some("00024"));
    let info = doc.request("UserInfo");
    assert_eq!(
        code(&post(url, info).await),
        Some(cond::UNKNOWN_ENTITY_USER.code())
    );

    // With a ciphertext of this session it is accepted, in the documented response's shape.
    let reply = post(url, &with_password(add, &ciphertext("first-Pa55"))).await;
    assert_eq!(canonical(&reply), canonical(doc.response_to(add)));

    // UserInfo, verbatim: every property it returns is one the documented response has, and
    // it returns what the add stored (and never the password).
    let reply = post(url, info).await;
    let ours = properties(&reply);
    let documented = properties(doc.response_to(info));
    for (c, n, _) in &ours {
        assert!(
            documented.iter().any(|(dc, dn, _)| dc == c && dn == n),
            "{c:?}.{n} is not in the documented UserInfo response"
        );
    }
    let sent = decode_request_fields(add);
    for (c, n, v) in &ours {
        let expected = sent
            .iter()
            .find(|(sc, sn, _)| sc == c && sn == n)
            .map(|(_, _, v)| v);
        assert_eq!(Some(v), expected, "{c:?}.{n}");
    }
    assert!(ours.iter().all(|(_, n, _)| n != "Password"), "{reply}");

    // UserChange, verbatim: its ciphertext is another session's, so it is refused and the
    // user is unchanged.
    let change = doc.request("UserChange");
    let reply = post(url, change).await;
    assert_eq!(code(&reply), Some(bad_value), "{reply}");
    assert_eq!(properties(&post(url, info).await), ours);

    // With a ciphertext of this session: the documented response.
    let reply = post(url, &with_password(change, &ciphertext("second-Pa55"))).await;
    assert_eq!(canonical(&reply), canonical(doc.response_to(change)));

    // Now UserInfo matches the documented response property for property, except where the
    // document contradicts its own UserChange example (the user name and e-mail address) and
    // the Scope properties no example request sets.
    let ours = properties(&post(url, info).await);
    let mut missing: Vec<String> = Vec::new();
    for (c, n, v) in &documented {
        match ours.iter().find(|(oc, on, _)| oc == c && on == n) {
            Some((_, _, ov)) if n == "Username" || n == "EmailAddr" => {
                let sent = decode_request_fields(change);
                let expected = sent.iter().find(|(sc, sn, _)| sc == c && sn == n);
                assert_eq!(Some(ov), expected.map(|(_, _, v)| v), "{n}");
            }
            Some((_, _, ov)) => assert_eq!(ov, v, "{c:?}.{n}"),
            None => missing.push(format!("{}.{n}", c.as_deref().unwrap_or(""))),
        }
    }
    assert_eq!(
        missing,
        ["Scope.Admin", "Scope.CallRecIntID", "Scope.ReportReadOnly"]
    );

    // The new password is the one the user signs in with.
    support::Raw::login(url, "supervisor1@example.com", "second-Pa55").await;

    // UserList, verbatim: Offset 100 and a placeholder search match nothing here, but the
    // answer has the documented shape: a Success element of entries.
    let list = doc.request("UserList");
    let reply = post(url, list).await;
    let decoded = decode::<user::UserListResponse>(&reply);
    assert_eq!(decoded.result, ResultKind::Success);
    assert_eq!(decoded.data.map(|l| l.entries.len()), Some(0), "{reply}");

    // UserDelete, verbatim, once the user it names exists.
    let delete = doc.request("UserDelete");
    let target = property(delete, "Username");
    let mut admin = support::Raw::login(url, ADMIN, support::PASSWORD).await;
    let added = admin
        .send(&user::UserAddRequest::new(target.as_str()))
        .await;
    assert_eq!(code(&added), None, "{added}");
    let reply = post(url, delete).await;
    assert_eq!(canonical(&reply), canonical(doc.response_to(delete)));
    let reply = admin
        .send(&user::UserInfoRequest::new(target.as_str()))
        .await;
    assert_eq!(code(&reply), Some(cond::UNKNOWN_ENTITY_USER.code()));
}

/// `(container, canonical name, value)` of a documented request's payload.
fn decode_request_fields(xml: &str) -> Vec<(Option<String>, String, String)> {
    let decoded = akixi_client::akixi_ws::decode_request::<Extra>(xml.as_bytes()).expect("decodes");
    flatten(&decoded.payload.expect("a payload"))
        .into_iter()
        .map(|(c, n, v)| (c, canonical_name(&n), v))
        .collect()
}

#[tokio::test]
async fn the_documented_user_list_response_is_matched_except_what_no_request_can_set() {
    let doc = Doc::load();
    let sim = simulator(&doc).await;
    let url = sim.url();
    let response = doc.response_to(doc.request("UserList"));
    let documented = decode::<user::UserListResponse>(response)
        .data
        .expect("entries");

    // The users of the documented response, added with the values it shows.
    let mut admin = support::Raw::login(url, ADMIN, support::PASSWORD).await;
    for entry in &documented.entries {
        let mut scope = user::Scope::new();
        scope.reporting_access = entry.reporting_access.clone();
        scope.admin = entry.admin;
        let mut add = user::UserAddRequest::new(entry.username.clone().expect("a Username"))
            .scope(scope.tel_sys_id(100_100).part_id_in_tel_sys(2));
        if let Some(name) = &entry.full_name {
            add = add.full_name(name.as_str());
        }
        if let Some(lock_out) = entry.lock_out {
            add = add.lock_out(lock_out);
        }
        let reply = admin.send(&add).await;
        assert_eq!(code(&reply), None, "{reply}");
    }

    // The documented request, with the paging and the placeholder search text changed so
    // that it finds them (both full names contain "Sample").
    let request = doc.request("UserList");
    let offset = format!("<Offset>{}</Offset>", element(request, "Offset"));
    let search = property(request, "SearchQuery");
    let list = request
        .replace(&offset, "<Offset>0</Offset>")
        .replace(&search, "sample");
    let reply = post(url, &list).await;
    let ours = decode::<user::UserListResponse>(&reply)
        .data
        .unwrap_or_else(|| panic!("entries: {reply}"));
    assert_eq!(ours.entries.len(), documented.entries.len(), "{reply}");
    for theirs in &documented.entries {
        let mine = ours
            .entries
            .iter()
            .find(|e| e.username == theirs.username)
            .unwrap_or_else(|| panic!("{:?} is listed", theirs.username));
        assert_eq!(mine.full_name, theirs.full_name);
        assert_eq!(mine.lock_out, theirs.lock_out);
        assert_eq!(mine.reporting_access, theirs.reporting_access);
        assert_eq!(mine.admin, theirs.admin);
        // No operation of the spec sets these, so no user of the simulator has them.
        assert_eq!(mine.enhanced_mobile_reporting, None);
        assert_eq!(mine.omni_channel_acd_agent, None);
    }
}
