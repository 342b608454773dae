//! Malformed input: each error names what was expected, the path and a snippet.

use super::*;

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
