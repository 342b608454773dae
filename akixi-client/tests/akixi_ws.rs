//! The akixi-ws codec against the documented examples, the tolerated failure shapes,
//! XML syntax variations and malformed input.

#[path = "../benches/baseline/seed.rs"]
mod seed;

use std::borrow::Cow;

use akixi_client::akixi_ws::{
    Binding, DecodeError, DecodeErrorKind, DecodePayload, Decoded, Extra, List, Node,
    PayloadReader, RequestWriter, ResultKind, ValueError, WireError, WireValue, decode_request,
    decode_response,
};
use proptest::prelude::*;

const SESSION: &str = "EFA4902A7F61D03E42BF3222B0A246BF";

/// Removes comments and whitespace-only text between elements, as the golden tests compare.
fn canonical(xml: &str) -> String {
    let mut without_comments = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<!--") {
        without_comments.push_str(&rest[..start]);
        let end = rest[start..].find("-->").expect("closed comment") + start + 3;
        rest = &rest[end..];
    }
    without_comments.push_str(rest);

    let mut out = String::with_capacity(without_comments.len());
    let mut pending = String::new();
    let mut after_tag = false;
    for c in without_comments.chars() {
        if after_tag && c.is_whitespace() {
            pending.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
        after_tag = c == '>';
    }
    out.trim().to_owned()
}

/// Records every node and level end, to assert exact node sequences.
#[derive(Debug, Default, PartialEq)]
struct Trace(Vec<String>);

impl DecodePayload for Trace {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut steps = Vec::new();
        let mut depth = 0;
        loop {
            match reader.next()? {
                Some(Node::Property { name, value }) => steps.push(format!("{name}={value}")),
                Some(Node::Container { name }) => {
                    steps.push(format!("[{}", name.as_deref().unwrap_or("")));
                    depth += 1;
                }
                None if depth == 0 => return Ok(Trace(steps)),
                None => {
                    steps.push("]".to_owned());
                    depth -= 1;
                }
            }
        }
    }
}

fn decode<T: DecodePayload>(xml: &str) -> Result<Decoded<T>, DecodeError> {
    decode_response(xml.as_bytes(), &akixi_client::akixi::BINDING)
}

fn trace(xml: &str) -> Vec<String> {
    decode::<Trace>(xml)
        .expect("decodes")
        .data
        .expect("has data")
        .0
}

fn decode_err(xml: &str) -> DecodeError {
    decode::<Trace>(xml).expect_err("must fail")
}

fn assert_message(err: &DecodeError, parts: &[&str]) {
    let message = err.to_string();
    for part in parts {
        assert!(message.contains(part), "message {message:?} lacks {part:?}");
    }
}

fn error(code: u32, message: &str) -> WireError {
    WireError {
        code: Some(code),
        message: Some(message.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------
// Writer: the seed requests, driven by hand.

#[test]
fn writer_reproduces_seed_user_delete() {
    let mut w = RequestWriter::new("UserDelete");
    w.invoke_id("00026").session_id(SESSION);
    w.begin_payload()
        .property("Username", "WebServicesAdmin@akixiprovider.com")
        .end_payload();
    assert_eq!(w.finish(), canonical(&seed::USER_DELETE_REQUEST));
}

#[test]
fn writer_reproduces_seed_user_info() {
    let mut w = RequestWriter::new("UserInfo");
    w.invoke_id("00028").session_id(SESSION);
    w.property("Username", "supervisor1@example.com");
    assert_eq!(w.finish(), canonical(&seed::USER_INFO_REQUEST));
}

#[test]
fn writer_reproduces_seed_user_list() {
    let mut w = RequestWriter::new("UserList");
    w.invoke_id("00027")
        .session_id(SESSION)
        .offset(100)
        .limit(20);
    w.begin_payload()
        .property(
            "CMEnvironmentID",
            "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
        )
        .property_value("TelSysID", &100100u32)
        .property_value("PartIDInTelSys", &2i32)
        .property(
            "UserFields",
            "LockOut,ReportingAccess,EnhancedMobileReporting,Admin,\nOmniChannelACDAgent\n",
        )
        .property("SearchQuery", "Add Username or FullName to query");
    assert_eq!(w.finish(), canonical(&seed::USER_LIST_REQUEST));
}

/// Writes a seed request back from its own decoded payload: every property and container.
fn rewrite(seed_xml: &str) -> String {
    let request = decode_request::<Extra>(seed_xml.as_bytes()).expect("seed decodes");
    let mut w = RequestWriter::new(&request.operation);
    w.invoke_id(request.invoke_id.as_deref().unwrap_or_default());
    w.session_id(request.session_id.as_deref().unwrap_or_default());
    if let Some(offset) = request.offset {
        w.offset(offset);
    }
    if let Some(limit) = request.limit {
        w.limit(limit);
    }
    request.payload.expect("payload").write_to(&mut w);
    w.finish()
}

#[test]
fn every_seed_request_round_trips_through_decode_request_and_the_writer() {
    for xml in [
        &*seed::USER_ADD_REQUEST,
        &*seed::USER_CHANGE_REQUEST,
        &*seed::USER_DELETE_REQUEST,
        &*seed::USER_LIST_REQUEST,
        &*seed::USER_INFO_REQUEST,
    ] {
        assert_eq!(rewrite(xml), canonical(xml));
    }
}

#[test]
fn decoded_request_debug_hides_the_session_id() {
    let request = decode_request::<Extra>(seed::USER_INFO_REQUEST.as_bytes()).unwrap();
    assert_eq!(request.session_id.as_deref(), Some(SESSION));
    let debug = format!("{request:?}");
    assert!(!debug.contains(SESSION), "{debug}");
    assert!(debug.contains("<redacted>"));
}

// ---------------------------------------------------------------------------------------
// Reader: the seed responses.

#[test]
fn plain_success_responses_have_no_data() {
    for (xml, id) in [
        (&*seed::USER_ADD_RESPONSE, "00024"),
        (&*seed::USER_CHANGE_RESPONSE, "00025"),
        (&*seed::USER_DELETE_RESPONSE, "00026"),
    ] {
        let decoded = decode::<Trace>(xml).unwrap();
        assert_eq!(decoded.result, ResultKind::Success);
        assert_eq!(decoded.invoke_id.as_deref(), Some(id));
        assert_eq!(decoded.data, None);
        assert!(decoded.errors.is_empty());
    }
}

#[test]
fn user_info_response_node_sequence() {
    let permissions_admin = "Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read";
    let decoded = decode::<Trace>(&seed::USER_INFO_RESPONSE).unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some("00028"));
    let expected = [
        "Username=supervisor@example.com",
        "EmailAddr=reporting@acme-commsnet.com",
        "FullName=Sample Supervisor Account 2",
        "LockOut=False",
        "PasswordChgRequired=True",
        "EnableMFA=False",
        "SynchroniseSupervisorPermissions=False",
        "Defaultlang=en_GB",
        "[Scope",
        "CMEnvironmentID=d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
        "TelSysID=100100",
        "PartIDInTelSys=2",
        "DeviceNumber=All",
        "AgentNumber=All",
        "ReportingAccess=Akixi 1000",
        "Admin=False",
        "CallRecIntID=4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6",
        "ReportReadOnly=False",
        "]",
        "[Permissions",
        &format!("Admin={permissions_admin}"),
        "NonAdmin=Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures",
        "Other=ConcurrentSignIn,ServiceNotifications",
        "]",
        "[Endpoint",
        "TelSysID=100100",
        "PartIDInTelSys=2",
        "DeviceNumber=01234567890",
        "AgentNumber=None",
        "]",
        "[Advanced",
        "PromptForTerms=False",
        "NotifyPasswordChgs=False",
        "ReportUpdInterval=Auto",
        "DisableMediaPlugIns=False",
        "DisableDragDropFeatures=False",
        "JavaScriptAuditOutput=False",
        "]",
    ];
    assert_eq!(decoded.data.unwrap().0, expected);
}

#[test]
fn user_list_response_node_sequence() {
    assert_eq!(
        trace(&seed::USER_LIST_RESPONSE),
        [
            "[",
            "Username=supervisor1@example.com",
            "FullName=Sample Supervisor Account",
            "LockOut=False",
            "ReportingAccess=Akixi 2000",
            "EnhancedMobileReporting=True",
            "Admin=False",
            "]",
            "[",
            "Username=administrator@example.com",
            "FullName=Sample Admin Account",
            "LockOut=False",
            "ReportingAccess=Akixi 2000",
            "EnhancedMobileReporting=False",
            "Admin=True",
            "OmniChannelACDAgent=True",
            "]",
        ]
    );
}

/// A list entry as generated code would decode it.
#[derive(Debug, Default, PartialEq)]
struct Entry {
    username: Option<String>,
    extra: Extra,
}

impl DecodePayload for Entry {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut entry = Entry::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Property { name, value } if name == "Username" => {
                    entry.username = Some(reader.parse(&name, &value)?);
                }
                Node::Property { name, value } => entry.extra.push_property(name, value),
                Node::Container { name } => {
                    let items = reader.read_extra()?;
                    entry.extra.push_container(name.map(Cow::into_owned), items);
                }
            }
        }
        Ok(entry)
    }
}

#[test]
fn vec_and_list_decode_one_entry_per_unnamed_container() {
    let users = decode::<Vec<Entry>>(&seed::USER_LIST_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        users[1].username.as_deref(),
        Some("administrator@example.com")
    );
    assert_eq!(users[1].extra.property("OmniChannelACDAgent"), Some("True"));
    assert_eq!(users[0].extra.property("OmniChannelACDAgent"), None);

    let xml = r#"<Response Result="Success"><InvokeID>1</InvokeID><Success>
        <Property Name="Total">2</Property>
        <Container><Property Name="Username">a</Property></Container>
        <Container Name="Paging"><Property Name="Next">5</Property></Container>
        <Container/>
    </Success></Response>"#;
    let list = decode::<List<Entry>>(xml).unwrap().data.unwrap();
    assert_eq!(list.entries.len(), 2);
    assert_eq!(list.entries[0].username.as_deref(), Some("a"));
    assert_eq!(list.entries[1], Entry::default());
    assert_eq!(list.extra.property("Total"), Some("2"));
    assert_eq!(
        list.extra
            .container("Paging")
            .and_then(|p| p.property("Next")),
        Some("5")
    );
    assert_eq!(decode::<Vec<Entry>>(xml).unwrap().data.unwrap().len(), 2);
}

#[test]
fn extra_keeps_the_whole_payload_in_order() {
    let extra = decode::<Extra>(&seed::USER_INFO_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(extra.len(), 12);
    assert_eq!(extra.property("Defaultlang"), Some("en_GB"));
    let scope = extra.container("Scope").unwrap();
    assert_eq!(scope.property("TelSysID"), Some("100100"));
    assert_eq!(scope.len(), 9);
}

/// Reads only the first property of each level, leaving the rest to the runtime.
#[derive(Debug, PartialEq)]
struct FirstOnly(Option<String>);

impl DecodePayload for FirstOnly {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        match reader.next()? {
            Some(Node::Property { value, .. }) => Ok(FirstOnly(Some(value.into_owned()))),
            Some(Node::Container { .. }) => {
                // Leaves this container open on purpose.
                Ok(FirstOnly(None))
            }
            None => Ok(FirstOnly(None)),
        }
    }
}

#[test]
fn decoders_may_stop_early() {
    let users = decode::<Vec<FirstOnly>>(&seed::USER_LIST_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(
        users,
        [
            FirstOnly(Some("supervisor1@example.com".into())),
            FirstOnly(Some("administrator@example.com".into()))
        ]
    );
    let info = decode::<FirstOnly>(&seed::USER_INFO_RESPONSE).unwrap();
    assert_eq!(
        info.data,
        Some(FirstOnly(Some("supervisor@example.com".into())))
    );
    let nested = r#"<Response Result="Success"><Success><Container Name="A"><Container Name="B">
        <Property Name="x">1</Property></Container></Container></Success></Response>"#;
    assert_eq!(
        decode::<FirstOnly>(nested).unwrap().data,
        Some(FirstOnly(None))
    );
}

#[test]
fn skip_leaves_a_container() {
    #[derive(Debug)]
    struct SkipScope(Vec<String>);
    impl DecodePayload for SkipScope {
        fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
            let mut seen = Vec::new();
            while let Some(node) = reader.next()? {
                match node {
                    Node::Property { name, .. } => seen.push(name.into_owned()),
                    Node::Container { name } => {
                        seen.push(format!("skipped {}", name.unwrap_or_default()));
                        reader.skip()?;
                    }
                }
            }
            Ok(SkipScope(seen))
        }
    }
    let seen = decode::<SkipScope>(&seed::USER_INFO_RESPONSE)
        .unwrap()
        .data
        .unwrap()
        .0;
    assert_eq!(seen.len(), 12);
    assert_eq!(
        seen[8..],
        [
            "skipped Scope",
            "skipped Permissions",
            "skipped Endpoint",
            "skipped Advanced"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Failures.

#[test]
fn fail_with_error_elements() {
    let xml = r#"<Response Result="Fail">
        <InvokeID>00024</InvokeID>
        <Fail>
            <ErrorCode>10302</ErrorCode>
            <ErrorMessage>Session expired.</ErrorMessage>
        </Fail>
    </Response>"#;
    let decoded = decode::<Trace>(xml).unwrap();
    assert_eq!(decoded.result, ResultKind::Fail);
    assert_eq!(decoded.invoke_id.as_deref(), Some("00024"));
    assert_eq!(decoded.data, None);
    assert_eq!(decoded.errors, [error(10302, "Session expired.")]);
}

#[test]
fn fail_with_error_properties() {
    let xml = r#"<Response Result="Fail"><InvokeID>00024</InvokeID><Fail>
        <Property Name="ErrorCode">11200</Property>
        <Property Name="ErrorMessage">User already exists &amp; cannot be added.</Property>
    </Fail></Response>"#;
    assert_eq!(
        decode::<()>(xml).unwrap().errors,
        [error(11200, "User already exists & cannot be added.")]
    );
}

#[test]
fn several_errors_follow_each_other() {
    let xml = r#"<Response Result="Fail"><Fail>
        <ErrorCode>10101</ErrorCode>
        <ErrorCode> 10103 </ErrorCode><ErrorMessage>second</ErrorMessage>
        <ErrorMessage>no code</ErrorMessage>
        <Property Name="ErrorCode">10105</Property>
        <Property Name="Unrelated">ignored</Property>
        <Property Name="ErrorMessage">fourth</Property>
    </Fail></Response>"#;
    assert_eq!(
        decode::<()>(xml).unwrap().errors,
        [
            WireError {
                code: Some(10101),
                message: None
            },
            error(10103, "second"),
            WireError {
                code: None,
                message: Some("no code".into())
            },
            error(10105, "fourth"),
        ]
    );
}

#[test]
fn errors_wrapped_in_error_elements() {
    let xml = r#"<Response Result="Fail"><Fail>
        <Error><ErrorMessage>message first</ErrorMessage><ErrorCode>11201</ErrorCode></Error>
        <Error><Property Name="ErrorCode">10302</Property><Property Name="ErrorMessage">b</Property></Error>
        <Error><ErrorCode>1</ErrorCode></Error>
        <Error><ErrorMessage>only a message</ErrorMessage></Error>
    </Fail></Response>"#;
    assert_eq!(
        decode::<()>(xml).unwrap().errors,
        [
            error(11201, "message first"),
            error(10302, "b"),
            WireError {
                code: Some(1),
                message: None
            },
            WireError {
                code: None,
                message: Some("only a message".into())
            },
        ]
    );
}

#[test]
fn text_directly_in_fail_is_a_message() {
    let xml = r#"<Response Result="Fail"><Fail> Invalid session &amp; nonce </Fail></Response>"#;
    assert_eq!(
        decode::<()>(xml).unwrap().errors,
        [WireError {
            code: None,
            message: Some("Invalid session & nonce".into())
        }]
    );
}

#[test]
fn binding_names_drive_the_failure_reader() {
    const BINDING: Binding = Binding {
        success: "Ok",
        fail: "Problems",
        error_code: "Code",
        error_message: "Text",
    };
    let xml = r#"<Response Result="PartialFail"><Ok><Property Name="A">1</Property></Ok>
        <Problems><Code>5</Code><Text>t</Text></Problems>
        <Fail><ErrorCode>6</ErrorCode></Fail></Response>"#;
    let decoded = decode_response::<Trace>(xml.as_bytes(), &BINDING).unwrap();
    assert_eq!(decoded.data.unwrap().0, ["A=1"]);
    assert_eq!(decoded.errors, [error(5, "t")]);
}

#[test]
fn partial_fail_carries_data_and_errors() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
    <Response Result="PartialFail">
        <InvokeID>00024</InvokeID>
        <Success>
            <Property Name="Username">supervisor1@example.com</Property>
            <Container Name="Scope"><Property Name="TelSysID">1</Property></Container>
        </Success>
        <Fail>
            <ErrorCode>11230</ErrorCode><ErrorMessage>Permission token rejected.</ErrorMessage>
            <ErrorCode>11233</ErrorCode><ErrorMessage>Scope partly applied.</ErrorMessage>
        </Fail>
    </Response>"#;
    let decoded = decode::<Trace>(xml).unwrap();
    assert_eq!(decoded.result, ResultKind::PartialFail);
    assert_eq!(
        decoded.data.unwrap().0,
        [
            "Username=supervisor1@example.com",
            "[Scope",
            "TelSysID=1",
            "]"
        ]
    );
    assert_eq!(
        decoded.errors,
        [
            error(11230, "Permission token rejected."),
            error(11233, "Scope partly applied.")
        ]
    );
}

// ---------------------------------------------------------------------------------------
// XML variations.

#[test]
fn xml_syntax_variations() {
    let xml = "\u{feff}<?xml version='1.0' encoding='UTF-8'?>\n\
        <!DOCTYPE Response>\n\
        <!-- leading comment -->\n\
        <Response xmlns:x='urn:x' x:extra=\"1\" Result='Success'>\
        <?trace on?>\
        <InvokeID> 00028 </InvokeID>\
        <Unknown><Nested a='b'>ignored</Nested></Unknown>\
        <Success>\
          <Property Other=\"o\" Name='A'>a<!-- c -->b<![CDATA[<c>&amp;]]>&amp;&#xA9;&#169;&lt;&gt;&quot;&apos;</Property>\
          <Property Name=\"Empty\"/>\
          <Property Name=\"Spaces\">  keep  me  </Property>\
          <Property Name=\"Lines\">a\r\nb\rc&#13;</Property>\
          <Property Name=\"Escaped &amp; &quot;name&quot;\">x</Property>\
          <Container Name='Empty'/>\
          <Container Name=\"C\"><!-- inside --><Property Name=\"B\">b</Property></Container>\
        </Success>\
        <?after success?>\
        </Response>\n<!-- trailing -->\n";
    let decoded = decode::<Trace>(xml).unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some("00028"));
    assert_eq!(
        decoded.data.unwrap().0,
        [
            "A=ab<c>&amp;&©©<>\"'",
            "Empty=",
            "Spaces=  keep  me  ",
            "Lines=a\nb\nc\r",
            "Escaped & \"name\"=x",
            "[Empty",
            "]",
            "[C",
            "B=b",
            "]",
        ]
    );
}

#[test]
fn borrowed_where_there_is_nothing_to_unescape() {
    struct Borrowed(Vec<bool>);
    impl DecodePayload for Borrowed {
        fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
            let mut flags = Vec::new();
            while let Some(node) = reader.next()? {
                if let Node::Property { name, value } = node {
                    flags.push(matches!(name, Cow::Borrowed(_)));
                    flags.push(matches!(value, Cow::Borrowed(_)));
                }
            }
            Ok(Borrowed(flags))
        }
    }
    let xml = r#"<Response Result="Success"><Success><Property Name="A">plain</Property><Property Name="B&amp;">a&amp;b</Property></Success></Response>"#;
    let flags = decode::<Borrowed>(xml).unwrap().data.unwrap().0;
    assert_eq!(flags, [true, true, false, false]);
}

#[test]
fn self_closing_envelope_elements() {
    let decoded = decode::<Trace>(r#"<Response Result="Success"/>"#).unwrap();
    assert_eq!((decoded.invoke_id, decoded.data), (None, None));
    let decoded =
        decode::<Trace>(r#"<Response Result="Fail"><InvokeID/><Success/><Fail/></Response>"#)
            .unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some(""));
    assert_eq!(decoded.data, Some(Trace(vec![])));
    assert!(decoded.errors.is_empty());
}

// ---------------------------------------------------------------------------------------
// Malformed input: each error names what was expected, the path and a snippet.

#[test]
fn not_xml() {
    let err = decode_err("Internal Server Error");
    assert!(matches!(err.kind(), DecodeErrorKind::WrongRoot { .. }));
    assert_message(
        &err,
        &[
            "expected the root element <Response>",
            "found text \"Internal Server Error\"",
            "at / (byte 0)",
            "near `Internal Server Error`",
        ],
    );
    let err = decode_err("");
    assert_message(
        &err,
        &["expected the root element <Response>", "the input ends"],
    );
    let err =
        decode_err("<Response Result=\"Success\"><Success><Property Name=\"A\">x</Property></Succ");
    assert!(
        matches!(err.kind(), DecodeErrorKind::Syntax { .. }),
        "{err}"
    );
    assert_message(
        &err,
        &["expected well-formed XML", "/Response/Success", "near `"],
    );
}

#[test]
fn invalid_utf8() {
    let input = b"<Response Result=\"Success\"><Success><Property Name=\"A\">\xff</Property>";
    let err = decode_response::<Trace>(input, &akixi_client::akixi::BINDING).unwrap_err();
    let at = input.iter().position(|&b| b == 0xff).unwrap();
    assert_message(
        &err,
        &[
            "not valid UTF-8",
            &format!("at / (byte {at})"),
            "Name=\"A\">\u{fffd}</Property>",
        ],
    );
}

#[test]
fn truncated_document() {
    let full = &*seed::USER_INFO_RESPONSE;
    let cut = full
        .find("<Property Name=\"DeviceNumber\">01234567890")
        .unwrap();
    let err = decode_err(&full[..cut]);
    assert!(
        matches!(err.kind(), DecodeErrorKind::Truncated { .. }),
        "{err}"
    );
    assert_message(
        &err,
        &[
            "the document ends early: expected </Container>",
            "at /Response/Success/Container[@Name='Endpoint']",
            &format!("(byte {cut})"),
        ],
    );
    let err = decode_err(&full[..full.len() - "</Response>".len()]);
    assert_message(&err, &["expected </Response>", "at /Response ("]);
    let err = decode_err(r#"<Response Result="Success"><Success><Property Name="A">abc"#);
    assert_message(
        &err,
        &[
            "expected </Property>",
            "/Response/Success/Property[@Name='A']",
        ],
    );
}

#[test]
fn wrong_root_html_page() {
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let err = decode_err(html);
    assert_message(
        &err,
        &[
            "expected the root element <Response>, found <html>",
            "at /html (byte 16)",
            "near `<!DOCTYPE html>\\n<html><head><title>502 Bad Gateway</…`",
        ],
    );
}

#[test]
fn missing_or_unknown_result() {
    let err = decode_err("<Response><InvokeID>1</InvokeID></Response>");
    assert_message(
        &err,
        &[
            "<Response> has no Result attribute: expected Success, Fail or PartialFail",
            "at /Response (byte 0)",
            "near `<Response><InvokeID>1</InvokeID></Re…`",
        ],
    );
    let err = decode_err("<Response Result=\"OK\"/>");
    assert_message(
        &err,
        &[
            "unknown Result \"OK\": expected Success, Fail or PartialFail",
            "at /Response",
        ],
    );
}

#[test]
fn unexpected_element_in_payload() {
    let xml = r#"<Response Result="Success"><Success><Container><Property Name="A">1</Property></Container><Container><Foo>bar</Foo></Container></Success></Response>"#;
    let err = decode_err(xml);
    let at = xml.find("<Foo>").unwrap();
    assert_message(
        &err,
        &[
            "expected a <Property> or <Container> element, found <Foo>",
            "at /Response/Success/Container[2]/Foo",
            &format!("(byte {at})"),
            "<Container><Foo>bar</Foo>",
        ],
    );
    let err = decode_err(
        r#"<Response Result="Success"><Success>stray<Property Name="A"/></Success></Response>"#,
    );
    assert_message(&err, &["found text \"stray\"", "at /Response/Success ("]);
}

#[test]
fn property_without_name() {
    let xml = r#"<Response Result="Success"><Success><Container Name="Scope"><Property Name="A">1</Property><Property name="B">2</Property></Container></Success></Response>"#;
    let err = decode_err(xml);
    assert_message(
        &err,
        &[
            "<Property> has no Name attribute: expected the property's name",
            "at /Response/Success/Container[@Name='Scope']/Property[2]",
            "<Property name=\"B\">2",
        ],
    );
}

#[test]
fn property_with_child_elements() {
    let xml = r#"<Response Result="Success"><Success><Container/><Container><Property Name="LockOut"><Value>False</Value></Property></Container></Success></Response>"#;
    let err = decode_err(xml);
    assert_message(
        &err,
        &[
            "expected only text inside <Property>, found a child element <Value>",
            "at /Response/Success/Container[2]/Property[@Name='LockOut']",
            "<Value>False</Value>",
        ],
    );
}

#[test]
fn error_code_not_a_number() {
    let xml = r#"<Response Result="Fail"><Fail><Error><ErrorCode>1</ErrorCode></Error><Error><ErrorCode>E42</ErrorCode></Error></Fail></Response>"#;
    let err = decode_err(xml);
    assert_message(
        &err,
        &[
            "invalid value for ErrorCode: expected an error code (an integer from 0 to 4294967295), found \"E42\"",
            "at /Response/Fail/Error[2]/ErrorCode",
            "<ErrorCode>E42</ErrorCode>",
        ],
    );
    let xml = r#"<Response Result="Fail"><Fail><Property Name="ErrorCode">-1</Property></Fail></Response>"#;
    assert_message(
        &decode_err(xml),
        &[
            "found \"-1\"",
            "at /Response/Fail/Property[@Name='ErrorCode']",
        ],
    );
}

/// A generated-style decoder with typed fields.
#[derive(Debug, Default)]
struct Typed {
    tel_sys_id: Option<u32>,
}

impl DecodePayload for Typed {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut typed = Typed::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Property { name, value } if name == "TelSysID" => {
                    typed.tel_sys_id = Some(reader.parse(&name, &value)?);
                }
                Node::Property { .. } => {}
                Node::Container { .. } => {
                    let inner: Typed = reader.decode_container()?;
                    typed.tel_sys_id = typed.tel_sys_id.or(inner.tel_sys_id);
                }
            }
        }
        if typed.tel_sys_id.is_none() {
            return Err(reader.missing_property("TelSysID"));
        }
        Ok(typed)
    }
}

#[test]
fn value_that_fails_to_parse() {
    let xml = r#"<Response Result="Success"><Success><Container Name="Scope"><Property Name="TelSysID">one</Property></Container></Success></Response>"#;
    let err = decode::<Typed>(xml).unwrap_err();
    match err.kind() {
        DecodeErrorKind::InvalidValue { raw, error, .. } => {
            assert_eq!(raw, "one");
            assert_eq!(error.found(), "one");
        }
        other => panic!("unexpected kind {other:?}"),
    }
    assert_message(
        &err,
        &[
            "invalid value for property \"TelSysID\": expected an integer from 0 to 4294967295, found \"one\"",
            "at /Response/Success/Container[@Name='Scope']/Property[@Name='TelSysID']",
            "Name=\"TelSysID\">one</Property>",
        ],
    );
    // value_error directly, as generated parsers of enums and ranges will use it.
    struct Custom;
    impl DecodePayload for Custom {
        fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
            let Some(Node::Property { name, value }) = reader.next()? else {
                return Ok(Custom);
            };
            Err(reader.value_error(
                &name,
                &value,
                ValueError::new("True or False", value.as_ref()),
            ))
        }
    }
    let err = decode::<Custom>(r#"<Response Result="Success"><Success><Property Name="LockOut">maybe</Property></Success></Response>"#).err().unwrap();
    assert_message(
        &err,
        &[
            "expected True or False, found \"maybe\"",
            "Property[@Name='LockOut']",
        ],
    );
}

#[test]
fn missing_required_property() {
    let xml = r#"<Response Result="Success"><Success><Container Name="Scope"><Property Name="Other">1</Property></Container></Success></Response>"#;
    let err = decode::<Typed>(xml).unwrap_err();
    // The inner level reports first, at its own path.
    assert_message(
        &err,
        &[
            "expected property \"TelSysID\" in this element, found none",
            "at /Response/Success/Container[@Name='Scope'] (byte ",
            "</Container>",
        ],
    );
}

#[test]
fn unknown_entity_and_entity_declarations() {
    let err = decode_err(
        r#"<Response Result="Success"><Success><Property Name="A">&nbsp;</Property></Success></Response>"#,
    );
    assert_message(&err, &["unknown entity \"&nbsp;\"", "Property[@Name='A']"]);
    let err = decode_err(
        r#"<Response Result="Success"><Success><Property Name="&foo;">x</Property></Success></Response>"#,
    );
    assert_message(
        &err,
        &["unknown entity \"&foo;\"", "/Response/Success/Property[1]"],
    );
    let err = decode_err(
        r#"<Response Result="Success"><Success><Property Name="A">&#xD800;</Property></Success></Response>"#,
    );
    assert_message(&err, &["invalid character reference \"&#xD800;\""]);
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Response Result="Success"><Success><Property Name="A">&xxe;</Property></Success></Response>"#;
    let err = decode_err(xxe);
    assert!(matches!(err.kind(), DecodeErrorKind::EntityDeclaration));
    assert_message(&err, &["DOCTYPE declaring entities", "at / (byte 21)"]);
}

#[test]
fn duplicates_and_trailing_content() {
    let err = decode_err(r#"<Response Result="Success"><Success/><Success/></Response>"#);
    assert_message(
        &err,
        &["expected at most one <Success>", "at /Response/Success"],
    );
    let err = decode_err(
        r#"<Response Result="Success"><InvokeID>1</InvokeID><InvokeID>2</InvokeID></Response>"#,
    );
    assert_message(
        &err,
        &["expected at most one <InvokeID>", "at /Response/InvokeID"],
    );
    let err = decode_err(r#"<Response Result="Success"/><Response Result="Fail"/>"#);
    assert_message(
        &err,
        &[
            "expected nothing after </Response>, found <Response>",
            "at / (byte 28)",
        ],
    );
}

#[test]
fn nesting_is_limited() {
    let depth = akixi_client::akixi_ws::MAX_DEPTH + 1;
    let xml = format!(
        r#"<Response Result="Success"><Success>{}{}</Success></Response>"#,
        "<Container>".repeat(depth),
        "</Container>".repeat(depth)
    );
    let err = decode::<Extra>(&xml).unwrap_err();
    assert!(
        matches!(err.kind(), DecodeErrorKind::TooDeep { .. }),
        "{err}"
    );
    let ok = format!(
        r#"<Response Result="Success"><Success>{}{}</Success></Response>"#,
        "<Container>".repeat(depth - 1),
        "</Container>".repeat(depth - 1)
    );
    assert!(decode::<Extra>(&ok).is_ok());
}

#[test]
fn snippet_escapes_control_characters() {
    let err = decode_err("<Response>\n\t<InvokeID>1</InvokeID>\n</Response>");
    assert_message(&err, &["near `<Response>\\n\\t<InvokeID>"]);
}

// ---------------------------------------------------------------------------------------
// Properties.

fn round_trip_property(name: &str, value: &str) -> (String, String) {
    let mut w = RequestWriter::new("Op");
    w.begin_container(name).property(name, value);
    let xml = w.finish();
    let request = decode_request::<Extra>(xml.as_bytes()).expect("own output decodes");
    let payload = request.payload.expect("payload");
    let container = payload.container(name).expect("container by name");
    match container.items() {
        [akixi_client::akixi_ws::ExtraItem::Property { name, value }] => {
            (name.clone(), value.clone())
        }
        other => panic!("unexpected items {other:?}"),
    }
}

#[test]
fn awkward_values_round_trip() {
    for value in [
        "",
        " ",
        "\t\n",
        "\r",
        "\r\n",
        "a]]>b",
        "<&>\"'",
        "\0\u{1}\u{1b}\u{7f}",
        "é✓😀",
        "\u{fffe}\u{ffff}",
        "&amp;",
    ] {
        assert_eq!(
            round_trip_property(value, value),
            (value.to_owned(), value.to_owned())
        );
    }
}

proptest! {
    #[test]
    fn any_string_round_trips_as_a_property_value(value in any::<String>()) {
        let mut w = RequestWriter::new("Op");
        w.property("Value", &value);
        let xml = w.finish();
        let request = decode_request::<Extra>(xml.as_bytes()).unwrap();
        let payload = request.payload.unwrap();
        prop_assert_eq!(payload.property("Value"), Some(value.as_str()));
    }

    #[test]
    fn any_string_round_trips_as_names(name in any::<String>(), value in "[<&>\"\\]\\r\\n\\t a-z\u{0}-\u{1f}]*") {
        prop_assert_eq!(round_trip_property(&name, &value), (name.clone(), value.clone()));
    }

    #[test]
    fn numbers_round_trip(n in any::<i64>()) {
        let mut w = RequestWriter::new("Op");
        w.property_value("N", &n);
        let xml = w.finish();
        let request = decode_request::<Extra>(xml.as_bytes()).unwrap();
        let raw = request.payload.unwrap().property("N").unwrap().to_owned();
        prop_assert_eq!(i64::from_wire(&raw), Ok(n));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_response::<Trace>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_response::<Extra>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_request::<Extra>(&bytes);
    }

    #[test]
    fn mutated_seeds_never_panic(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..4, any::<u8>(), "[<>/&;#=\"' a-zA-Z!?\\[\\]-]{0,8}"), 1..6),
    ) {
        let seeds = [
            &*seed::USER_INFO_RESPONSE,
            &*seed::USER_LIST_RESPONSE,
            &*seed::USER_ADD_RESPONSE,
            r#"<Response Result="PartialFail"><InvokeID>1</InvokeID><Success><Property Name="A">x</Property></Success><Fail><Error><ErrorCode>1</ErrorCode><ErrorMessage>m</ErrorMessage></Error><Property Name="ErrorCode">2</Property></Fail></Response>"#,
            &*seed::USER_ADD_REQUEST,
            &*seed::USER_LIST_REQUEST,
        ];
        let mut bytes = seeds[which].as_bytes().to_vec();
        for (index, op, byte, text) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = index.index(bytes.len());
            match op {
                0 => bytes[at] = byte,
                1 => { bytes.truncate(at); }
                2 => { bytes.splice(at..at, text.bytes()); }
                _ => { let end = (at + usize::from(byte % 16)).min(bytes.len()); bytes.drain(at..end); }
            }
        }
        if let Err(err) = decode_response::<Trace>(&bytes, &akixi_client::akixi::BINDING) {
            let message = err.to_string();
            prop_assert!(message.contains(" at /"), "{}", message);
            // 60 source bytes at most, each control character escaped to at most 6 chars.
            prop_assert!(err.snippet().chars().count() <= 6 * 60 + 2, "{}", err.snippet());
        }
        let _ = decode_response::<List<Entry>>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_response::<Typed>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_request::<Extra>(&bytes);
    }
}
