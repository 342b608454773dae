//! Writer: the seed requests, driven by hand.

use super::*;

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
