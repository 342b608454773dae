//! The failure shapes the reader tolerates: error elements or properties, several errors, partial failures.

use super::*;

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
