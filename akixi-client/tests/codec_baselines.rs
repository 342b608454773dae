//! The benchmark's three codecs agree on every fixture, so the comparison is fair.

#[path = "../benches/baseline/mod.rs"]
mod baseline;

use akixi_client::akixi_ws::{Extra, decode_request};
use baseline::{fixtures, generated, handwritten, runtime, seed, serde_xml};

/// The seed request without comments and whitespace between elements.
fn canonical(xml: &str) -> String {
    let request = decode_request::<Extra>(xml.as_bytes()).expect("decodes");
    let mut w = akixi_client::akixi_ws::RequestWriter::new(&request.operation);
    w.invoke_id(request.invoke_id.as_deref().unwrap_or_default())
        .session_id(request.session_id.as_deref().unwrap_or_default());
    request.payload.expect("payload").write_to(&mut w);
    w.finish()
}

#[test]
fn encoders_write_the_seed_user_add_request() {
    let request = fixtures::user_add_request();
    let expected = canonical(&seed::USER_ADD_REQUEST);
    assert_eq!(runtime::encode_user_add(&request), expected);
    assert_eq!(handwritten::encode_user_add(&request).unwrap(), expected);
    assert_eq!(serde_xml::encode_user_add(&request).unwrap(), expected);
    assert_eq!(
        generated::encode_user_add(&generated::user_add_request()),
        expected
    );
}

#[test]
fn the_generated_codec_reads_what_the_baselines_read() {
    let info = generated::decode_user_info(fixtures::user_info_response())
        .unwrap()
        .expect("data");
    let base = runtime::decode_user_info(fixtures::user_info_response())
        .unwrap()
        .expect("data");
    assert_eq!(info.username, base.username);
    assert_eq!(
        info.scope.and_then(|s| s.tel_sys_id).map(|v| v.get()),
        base.scope.and_then(|s| s.tel_sys_id).map(i64::from)
    );
    let xml = fixtures::user_list_response(1_000);
    let list = generated::decode_user_list(&xml).unwrap();
    let base = runtime::decode_user_list(&xml).unwrap();
    assert_eq!(list.entries.len(), base.len());
    for (g, b) in list.entries.iter().zip(&base) {
        assert_eq!(
            (&g.username, &g.full_name, g.lock_out, g.admin),
            (&b.username, &b.full_name, b.lock_out, b.admin)
        );
        assert_eq!(
            g.reporting_access.as_ref().map(|r| r.as_str()),
            b.reporting_access.as_deref()
        );
        assert_eq!(
            (g.enhanced_mobile_reporting, g.omni_channel_acd_agent),
            (b.enhanced_mobile_reporting, b.omni_channel_acd_agent)
        );
    }
}

#[test]
fn decoders_agree_on_user_info() {
    let xml = fixtures::user_info_response();
    let expected = runtime::decode_user_info(xml).unwrap().expect("data");
    assert_eq!(expected.username.as_deref(), Some("supervisor@example.com"));
    assert_eq!(expected.default_lang.as_deref(), Some("en_GB"));
    assert_eq!(
        expected.scope.as_ref().and_then(|s| s.tel_sys_id),
        Some(100100)
    );
    assert_eq!(
        expected
            .permissions
            .as_ref()
            .and_then(|p| p.admin.as_deref()),
        Some(fixtures::ADMIN_PERMISSIONS)
    );
    assert_eq!(
        expected
            .advanced
            .as_ref()
            .and_then(|a| a.java_script_audit_output),
        Some(false)
    );
    assert!(expected.extra.is_empty());
    assert_eq!(
        handwritten::decode_user_info(xml).unwrap(),
        Some(expected.clone())
    );
    assert_eq!(serde_xml::decode_user_info(xml).unwrap(), Some(expected));
}

#[test]
fn decoders_agree_on_user_lists() {
    let seed_users = runtime::decode_user_list(&seed::USER_LIST_RESPONSE).unwrap();
    assert_eq!(seed_users.len(), 2);
    assert_eq!(seed_users[1].omni_channel_acd_agent, Some(true));
    assert_eq!(
        handwritten::decode_user_list(&seed::USER_LIST_RESPONSE).unwrap(),
        seed_users
    );
    assert_eq!(
        serde_xml::decode_user_list(&seed::USER_LIST_RESPONSE).unwrap(),
        seed_users
    );

    for users in [0, 1, 1_000] {
        let xml = fixtures::user_list_response(users);
        let expected = runtime::decode_user_list(&xml).unwrap();
        assert_eq!(expected.len(), users);
        assert_eq!(handwritten::decode_user_list(&xml).unwrap(), expected);
        assert_eq!(serde_xml::decode_user_list(&xml).unwrap(), expected);
    }
    let users = runtime::decode_user_list(&fixtures::user_list_response(32)).unwrap();
    assert_eq!(
        users[16].full_name.as_deref(),
        Some("Smith & Sons Agent 16")
    );
    assert_eq!(users[3].omni_channel_acd_agent, None);
    assert_eq!(users[1].omni_channel_acd_agent, Some(true));
    assert!(users.iter().all(|u| u.extra.is_empty()));
}
