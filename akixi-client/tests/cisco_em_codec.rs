//! The `cisco-em` binding generated from `spec/cisco-em`: request documents of every action
//! (snapshots), the form body, what is refused before sending, every response shape of the
//! notes, and the seed's result data.

use akixi_client::cisco_em::{
    Action, DeviceState, InvalidReason, RequestDocument, Response, UserState, decode_response,
    encode_response,
};

use akixi_client::em::{
    AnyAction, BINDING, BINDING_ROWS, Branch, CcmVersion, ErrorCode, Login, LoginResultData,
    Logout, LogoutAll, LogoutAllResultData, Minutes, NO_RESPONSE_ERROR_CODE, QueryDeviceProfiles,
    QueryDevices, QueryDevicesResultData, QueryUsers, error_conditions,
};
use akixi_client::em::{Error, FailureError};

const APP: &str = "emapp";
const CERT: &str = "s3cret&<cert>";

fn xml<A: Action>(action: &A) -> String {
    action.to_xml().expect("writable")
}

fn minutes(n: i64) -> Minutes {
    Minutes::new(n).expect("in range")
}

#[test]
fn logout_all_is_the_documented_document() {
    let action = LogoutAll::new("app", "pw");
    assert_eq!(
        xml(&action),
        "<request><appInfo><appID>app</appID><appCertificate>pw</appCertificate></appInfo>\
         <logoutAll/></request>"
    );
    insta::assert_snapshot!("logout_all", xml(&LogoutAll::new(APP, CERT)));
}

#[test]
fn login_with_only_the_required_parameters_sends_time_zero_like_metreos() {
    let action = Login::new(APP, CERT, "SEP001122334455", "jdoe");
    insta::assert_snapshot!("login_required_only", xml(&action));
}

#[test]
fn login_with_every_parameter() {
    let action = Login::new(APP, CERT, "SEP001122334455", "jdoe")
        .device_profile("jdoe-udp-sales")
        .timeout(minutes(30))
        .call_manager_host("10.0.0.1:8080")
        .version(CcmVersion::Other);
    insta::assert_snapshot!("login_timeout", xml(&action));
}

#[test]
fn login_indefinite_writes_the_choice_alone() {
    let action = Login::new(APP, CERT, "SEP001122334455", "em@cisco.com").no_timeout(true);
    insta::assert_snapshot!("login_indefinite", xml(&action));
    // A Timeout equal to its default does not conflict (Metreos: NoTimeout with Timeout ≠ 0).
    let same = action.clone().timeout(minutes(0));
    assert_eq!(xml(&same), xml(&action));
}

#[test]
fn logout() {
    insta::assert_snapshot!("logout", xml(&Logout::new(APP, CERT, "SEP001122334455")));
}

#[test]
fn query_users() {
    let action = QueryUsers::new(APP, CERT, ["jdoe", "em@cisco.com"]);
    insta::assert_snapshot!("query_users", xml(&action));
}

#[test]
fn query_devices() {
    let action = QueryDevices::new(APP, CERT, ["SEP001122334455", "SEP001122334466"]);
    insta::assert_snapshot!("query_devices", xml(&action));
}

#[test]
fn query_device_profiles() {
    let action = QueryDeviceProfiles::new(APP, CERT, ["jdoe"]);
    insta::assert_snapshot!("query_device_profiles", xml(&action));
}

#[test]
fn the_form_body_is_one_url_encoded_xml_field() {
    let action = LogoutAll::new("app", "p w+&=");
    let body = action.to_form_body().expect("writable");
    assert_eq!(
        body,
        "xml=%3Crequest%3E%3CappInfo%3E%3CappID%3Eapp%3C%2FappID%3E%3CappCertificate%3Ep+w%2B\
         %26amp%3B%3D%3C%2FappCertificate%3E%3C%2FappInfo%3E%3ClogoutAll%2F%3E%3C%2Frequest%3E"
    );
    assert_eq!(
        akixi_client::cisco_em::decode_form_field(body.as_bytes(), BINDING.form_field),
        Some(xml(&action))
    );
}

#[test]
fn conflicting_and_empty_parameters_are_refused_before_sending() {
    let both = Login::new(APP, CERT, "SEP1", "jdoe")
        .no_timeout(true)
        .timeout(minutes(30));
    let e = both.to_xml().expect_err("conflict");
    assert_eq!(e.action, "Login");
    assert_eq!(
        e.reason,
        InvalidReason::Conflict {
            flag: "NoTimeout",
            other: "Timeout"
        }
    );
    assert!(
        e.to_string().contains("`NoTimeout` excludes `Timeout`"),
        "{e}"
    );

    let none: [&str; 0] = [];
    let e = QueryUsers::new(APP, CERT, none)
        .to_xml()
        .expect_err("empty");
    assert_eq!(e.reason, InvalidReason::Empty { property: "Users" });

    // Negative minutes cannot even be built (the spec's `Minutes` starts at 0).
    assert!(Minutes::new(-1).is_err());
}

#[test]
fn every_action_reads_back_from_its_own_document() {
    let actions = [
        AnyAction::Login(
            Login::new(APP, CERT, "SEP1", "jdoe")
                .device_profile("p")
                .timeout(minutes(5)),
        ),
        AnyAction::Login(Login::new(APP, CERT, "SEP1", "jdoe").no_timeout(true)),
        AnyAction::Logout(Logout::new(APP, CERT, "SEP1")),
        AnyAction::LogoutAll(LogoutAll::new(APP, CERT)),
        AnyAction::QueryUsers(QueryUsers::new(APP, CERT, ["a", "b"])),
        AnyAction::QueryDevices(QueryDevices::new(APP, CERT, ["SEP1"])),
        AnyAction::QueryDeviceProfiles(QueryDeviceProfiles::new(APP, CERT, ["a"])),
    ];
    for action in actions {
        let body = match &action {
            AnyAction::Login(a) => a.to_form_body(),
            AnyAction::Logout(a) => a.to_form_body(),
            AnyAction::LogoutAll(a) => a.to_form_body(),
            AnyAction::QueryUsers(a) => a.to_form_body(),
            AnyAction::QueryDevices(a) => a.to_form_body(),
            AnyAction::QueryDeviceProfiles(a) => a.to_form_body(),
            _ => unreachable!("every action is listed"),
        }
        .expect("writable");
        let doc = RequestDocument::from_form_body(body.as_bytes(), &BINDING).expect("readable");
        let read = AnyAction::from_document(&doc).expect("an action");
        // Login's Timeout and NoTimeout come back as sent: 0 when neither was given.
        match (&action, &read) {
            (AnyAction::Login(sent), AnyAction::Login(got)) => {
                assert_eq!(got.timeout_or_default(), sent.timeout_or_default());
                assert_eq!(got.no_timeout_or_default(), sent.no_timeout_or_default());
                assert_eq!(got.get_device_profile(), sent.get_device_profile());
                assert_eq!(got.get_app_certificate(), sent.get_app_certificate());
            }
            _ => assert_eq!(read, action),
        }
    }
}

#[test]
fn servers_read_missing_elements_and_unknown_actions_as_errors() {
    let read = |xml: &str| {
        RequestDocument::parse(xml.as_bytes(), &BINDING)
            .and_then(|doc| AnyAction::from_document(&doc))
    };
    let e = read("<request><appInfo><appID>a</appID><appCertificate>c</appCertificate></appInfo><logout/></request>")
        .expect_err("no deviceName");
    assert!(
        e.to_string()
            .contains("`DeviceName` (at `deviceName`) is missing"),
        "{e}"
    );
    let e = read("<query><appInfo><appID>a</appID><appCertificate>c</appCertificate></appInfo><checkUser/></query>")
        .expect_err("unknown query");
    assert!(
        matches!(e, akixi_client::cisco_em::ReadError::UnknownAction { ref element, .. } if element == "checkUser"),
        "{e}"
    );
    assert!(read("<response/>").is_err());
    assert!(read("<request><appInfo/></request>").is_err());
    assert!(read("<request><login/><logout/></request>").is_err());
    let e = read("<request><appInfo><appID>a</appID><appCertificate>c</appCertificate></appInfo><login><deviceName>d</deviceName><userID>u</userID><exclusiveDuration><time>-5</time></exclusiveDuration></login></request>")
        .expect_err("negative minutes");
    assert!(e.to_string().contains("Timeout"), "{e}");
}

#[test]
fn the_certificate_never_prints() {
    let action = Login::new(APP, "hunter2-cert", "SEP1", "jdoe");
    let shown = format!("{action:?} {:?}", AnyAction::Login(action.clone()));
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

fn decode(xml: &str) -> Response {
    decode_response(xml.as_bytes(), &BINDING).unwrap_or_else(|e| panic!("{xml}: {e}"))
}

#[test]
fn success_in_both_spellings() {
    assert_eq!(decode("<response><success/></response>"), Response::Success);
    assert_eq!(
        decode("<?xml version=\"1.0\"?>\n<response>\n  <success></success>\n</response>\n"),
        Response::Success
    );
}

#[test]
fn failure_with_a_code() {
    let Response::Failure(f) = decode(
        "<response><failure><error code=\"3\">Could not authenticate 'appid'</error></failure></response>",
    ) else {
        panic!("a failure");
    };
    assert_eq!(f.code(), Some(ErrorCode::InvalidAuthentication));
    assert_eq!(f.message(), Some("Could not authenticate 'appid'"));
    assert_eq!(
        f.to_string(),
        "3 (Invalid App User): Could not authenticate 'appid'"
    );
}

#[test]
fn query_failure_with_error_message_only() {
    let Response::Failure(f) = decode(
        "<response><failure><errorMessage>Query type undetermined</errorMessage></failure></response>",
    ) else {
        panic!("a failure");
    };
    assert_eq!(f.code(), None);
    assert_eq!(f.message(), Some("Query type undetermined"));
}

#[test]
fn failure_with_both_forms_takes_error_like_metreos() {
    let Response::Failure(f) = decode(
        "<response><failure><errorMessage>the other text</errorMessage>\
         <error code=\"23\">User not found</error></failure></response>",
    ) else {
        panic!("a failure");
    };
    assert_eq!(f.code(), Some(ErrorCode::UserDoesNotExist));
    assert_eq!(f.message(), Some("User not found"));
    assert_eq!(f.error_message.as_deref(), Some("the other text"));
}

#[test]
fn failure_with_an_unreadable_or_unknown_code() {
    let Response::Failure(f) =
        decode("<response><failure><error code=\"x1\">odd</error></failure></response>")
    else {
        panic!("a failure");
    };
    assert_eq!(f.code(), None);
    assert_eq!(f.message(), Some("odd"));
    let Response::Failure(f) =
        decode("<response><failure><error code=\"214\">EMCC</error></failure></response>")
    else {
        panic!("a failure");
    };
    assert_eq!(f.code(), Some(ErrorCode::Unknown(214)));
    let Response::Failure(f) = decode("<response><failure/></response>") else {
        panic!("a failure");
    };
    assert_eq!((f.code(), f.message()), (None, None));
}

#[test]
fn device_user_results_with_user_lastlogin_none_and_does_not_exist() {
    let Response::DeviceUserResults(r) = decode(
        "<response><deviceUserResults>\
           <device name=\"SEP001122334455\"><userID>jdoe</userID><lastlogin>2024-01-02 03:04:05</lastlogin><emccDevice>no</emccDevice></device>\
           <device name=\"SEP001122334466\"><userID>em%40cisco.com</userID></device>\
           <device name=\"SEP001122334477\"><none/></device>\
           <device name=\"SEPDEADBEEF0000\"><doesNotExist/></device>\
           <device name=\"SEP001122334488\"><lastlogin>asmith</lastlogin></device>\
         </deviceUserResults></response>",
    ) else {
        panic!("device user results");
    };
    assert_eq!(r.devices.len(), 5);
    let first = r.device("SEP001122334455").expect("listed");
    assert_eq!(first.user_id(), Some("jdoe"));
    assert_eq!(first.last_login.as_deref(), Some("2024-01-02 03:04:05"));
    // The guide's third child of a device, read as a field of its own.
    assert_eq!(first.emcc_device.as_deref(), Some("no"));
    assert!(first.extra.is_empty(), "{:?}", first.extra);
    assert_eq!(
        r.device("SEP001122334466").and_then(|d| d.user_id()),
        Some("em@cisco.com")
    );
    assert_eq!(r.devices[2].state, DeviceState::NoUser);
    assert_eq!(r.devices[3].state, DeviceState::DoesNotExist);
    assert_eq!(r.devices[4].state, DeviceState::Unspecified);
    assert_eq!(r.devices[4].last_login.as_deref(), Some("asmith"));
}

#[test]
fn user_devices_results_with_devices_none_and_does_not_exist() {
    let Response::UserDevicesResults(r) = decode(
        "<response><userDevicesResults>\
           <user id=\"jdoe\"><deviceName>SEP001122334455</deviceName><deviceName>SEP001122334466</deviceName></user>\
           <user id=\"asmith\"><none/></user>\
           <user id=\"ghost\"><doesNotExist/></user>\
         </userDevicesResults></response>",
    ) else {
        panic!("user devices results");
    };
    let jdoe = r.user("jdoe").expect("listed");
    assert_eq!(jdoe.devices(), ["SEP001122334455", "SEP001122334466"]);
    assert_eq!(
        r.user("asmith").map(|u| &u.state),
        Some(&UserState::NoDevice)
    );
    assert_eq!(
        r.user("ghost").map(|u| &u.state),
        Some(&UserState::DoesNotExist)
    );
    assert!(r.user("asmith").is_some_and(|u| u.devices().is_empty()));
}

#[test]
fn device_profile_results_provisional_shape() {
    let Response::DeviceProfileResults(r) = decode(
        "<response><deviceProfileResults><user id=\"jdoe\">\
           <deviceProfile><deviceProfileName>jdoe-udp</deviceProfileName><isDefaultDeviceProfile>t</isDefaultDeviceProfile></deviceProfile>\
           <deviceProfile><deviceProfileName>jdoe-udp-sales</deviceProfileName><isDefaultDeviceProfile>f</isDefaultDeviceProfile></deviceProfile>\
         </user><user id=\"ghost\"><doesNotExist/></user></deviceProfileResults></response>",
    ) else {
        panic!("device profile results");
    };
    let jdoe = r.user("jdoe").expect("listed");
    let names: Vec<(&str, Option<bool>)> = jdoe
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.is_default))
        .collect();
    assert_eq!(
        names,
        [("jdoe-udp", Some(true)), ("jdoe-udp-sales", Some(false))]
    );
    assert!(r.user("ghost").is_some_and(|u| u.does_not_exist));
}

#[test]
fn responses_round_trip_through_the_writer_with_escaped_user_ids() {
    let xml = "<response><deviceUserResults><device name=\"SEP1\"><userID>em%40cisco.com</userID></device>\
               <device name=\"SEP2\"><none/></device></deviceUserResults></response>";
    let decoded = decode(xml);
    assert_eq!(encode_response(&decoded, &BINDING), xml);
    for xml in [
        "<response><success/></response>",
        "<response><failure><error code=\"19\">No user logged in</error></failure></response>",
        "<response><userDevicesResults><user id=\"a\"><deviceName>SEP1</deviceName></user><user id=\"b\"><doesNotExist/></user></userDevicesResults></response>",
    ] {
        assert_eq!(encode_response(&decode(xml), &BINDING), xml);
    }
}

#[test]
fn documents_that_are_not_responses_say_what_was_expected() {
    let e = decode_response(b"<html><body>Bad Gateway</body></html>", &BINDING).expect_err("html");
    assert_eq!(e.expected(), "a <response> document");
    assert_eq!(e.found(), "<html>");
    assert!(e.snippet().contains("Bad Gateway"), "{e}");
    let e = decode_response(b"", &BINDING).expect_err("empty");
    assert_eq!(e.found(), "an empty body");
    let e = decode_response(b"<response/>", &BINDING).expect_err("nothing inside");
    assert!(e.expected().contains("<success/>"), "{e}");
    let e = decode_response(b"<response><weird/></response>", &BINDING).expect_err("unknown");
    assert_eq!(e.found(), "<weird>");
    assert_eq!(e.path(), "/response/weird");
    let e = decode_response(b"<response><success/>", &BINDING).expect_err("truncated");
    assert_eq!(e.expected(), "</response>");
    let e = decode_response(
        b"<response><userDevicesResults><user><none/></user></userDevicesResults></response>",
        &BINDING,
    )
    .expect_err("no id");
    assert!(e.to_string().contains("`id` attribute"), "{e}");
}

#[test]
fn the_binding_and_codes_come_from_the_spec() {
    assert_eq!(BINDING.form_field, "xml");
    assert_eq!(BINDING.request_root, "request");
    assert_eq!(BINDING.query_root, "query");
    assert_eq!(BINDING.app_info_element, "appInfo");
    assert_eq!(BINDING.http_method, "POST");
    assert_eq!(BINDING.content_type, "application/x-www-form-urlencoded");
    assert_eq!(BINDING.service_path, "/emservice/EMServiceServlet");
    let ccm33 = BINDING.version("v333").expect("the v333 release");
    assert_eq!(ccm33.request_path, Some("/LoginService/login.asp"));
    assert_eq!(ccm33.query_path, Some("/LoginService/query.asp"));
    assert_eq!(BINDING.secure_port, 8443);
    assert!(ccm33.actions.is_some_and(|a| !a.contains(&"LogoutAll")));
    assert!(
        BINDING
            .versions
            .iter()
            .any(|v| v.release == "CCM 5.x and 6.x" && v.port == 8080)
    );
    assert_eq!(BINDING.version("other").and_then(|v| v.request_path), None);
    assert!(BINDING_ROWS.contains(&("result-document:device-users", "deviceUserResults")));
    assert_eq!(NO_RESPONSE_ERROR_CODE, ErrorCode::UnknownError);
    assert_eq!(ErrorCode::Busy.code(), 26);
    assert!(ErrorCode::Busy.handling().is_some());
    assert_eq!(error_conditions::BAD_APP_CREDENTIALS.code(), 3);
    assert_eq!(error_conditions::UNKNOWN_DEVICE.code(), 11);
    assert_eq!(error_conditions::UNKNOWN_USER.code(), 23);
    assert_eq!(error_conditions::NO_USER_LOGGED_IN.code(), 19);
    assert_eq!(error_conditions::USER_LOGGED_IN_ELSEWHERE.code(), 25);
    assert_eq!(error_conditions::MALFORMED_REQUEST.code(), 1);
    assert_eq!(CcmVersion::V333.number(), Some(1));
    assert_eq!(<LogoutAll as Action>::ELEMENT, "logoutAll");
    assert_eq!(AnyAction::NAMES.len(), 6);
}

#[test]
fn result_data_is_the_seeds_view() {
    let ok: Result<(), Error> = Ok(());
    let data = LogoutAllResultData::from_result(&ok);
    assert_eq!(data.branch, Branch::Success);
    assert_eq!(data.error_code, ErrorCode::UnknownError);
    assert_eq!(
        data.error_message.as_deref(),
        Some(""),
        "answered: empty, not null"
    );

    let failed: Result<(), Error> = Err(Error::Failure(Box::new(FailureError::new(
        "Login",
        akixi_client::cisco_em::Failure::new(ErrorCode::DeviceDoesNotExist, "gone"),
    ))));
    let data = LoginResultData::from_result(&failed);
    assert_eq!(data.branch, Branch::Failure);
    assert_eq!(data.error_code.code(), 11);
    assert_eq!(data.error_message.as_deref(), Some("gone"));

    // Refused before sending: Metreos returned failure with 0 and no message too.
    let refused = Login::new(APP, CERT, "SEP1", "u")
        .no_timeout(true)
        .timeout(minutes(1))
        .to_xml()
        .map(|_| ())
        .map_err(|e| Error::Invalid(Box::new(e)));
    let data = LoginResultData::from_result(&refused);
    assert_eq!(
        (
            data.branch,
            data.error_code.code(),
            data.error_message.as_deref()
        ),
        (Branch::Failure, 0, None)
    );

    let query: Result<akixi_client::cisco_em::DeviceUserResults, Error> = Ok(Default::default());
    let data = QueryDevicesResultData::from_result(&query);
    assert_eq!(data.branch, Branch::Success);
    assert_eq!(data.results, Some(Default::default()));
}
