//! The REST codec on the Akixi service's generated shapes: a request written through the spec's
//! REST binding (route, path values percent-encoded, query, JSON body with the binding's forms,
//! inputs an operation does not carry refused), and answers read back (a one-element array where
//! one value is held, a list as a bare array, a failure's `Message`, code and conditions).

use akixi_client::akixi::user::{
    UserAddRequest, UserChangeRequest, UserInfoRequest, UserInfoResponse, UserListEntry,
    UserListRequest,
};
use akixi_client::akixi::{BOOLEAN_FALSE, BOOLEAN_TRUE, SERVICE, UserField, UserFields};
use akixi_client::akixi_rest::binding::{HttpMethod, RestInfo};
use akixi_client::akixi_rest::{
    EncodeContext, RestEncodeError, RestRequest, decode_failure, decode_success, encode_request,
};
use akixi_client::akixi_ws::{EncodePayload, List, PasswordsAsIs};
use akixi_client::meta::Condition;
use serde_json::{Value, json};

fn rest() -> &'static RestInfo {
    SERVICE.rest.expect("the akixi service has a REST binding")
}

fn encode<R: EncodePayload>(
    request: &R,
    op: &str,
    paging: (Option<u64>, Option<u64>),
) -> Result<RestRequest, RestEncodeError> {
    let rest = rest();
    let op = rest.operation("User", op).expect("REST operation");
    let cx = EncodeContext {
        rest,
        family: SERVICE.family("User").expect("User"),
        boolean_words: (BOOLEAN_TRUE, BOOLEAN_FALSE),
    };
    encode_request(request, op, cx, paging, &PasswordsAsIs)
}

fn body(r: &RestRequest) -> Value {
    serde_json::from_str(r.body.as_deref().expect("a body")).expect("JSON body")
}

#[test]
fn an_add_is_a_post_with_the_shape_in_json() {
    let add = UserAddRequest::new("IntegratorUser 14")
        .full_name("Test User 14")
        .lock_out(false)
        .password("M9zGAGR3nINFNAZKIMC0IA==")
        .scope(
            akixi_client::akixi::user::Scope::new()
                .cm_environment_id("d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613")
                .tel_sys_id(-1)
                .part_id_in_tel_sys(-1),
        );
    let r = encode(&add, "Add", (None, None)).expect("encodes");
    assert_eq!(r.method, HttpMethod::Post);
    assert_eq!(r.path, "/admin/user");
    assert!(r.query.is_empty());
    assert_eq!(
        body(&r),
        json!({
            "Username": "IntegratorUser 14",
            "FullName": "Test User 14",
            "LockOut": false,
            "Password": "M9zGAGR3nINFNAZKIMC0IA==",
            "Scope": {
                "CMEnvironmentID": "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
                "TelSysID": [-1],
                "PartIDInTelSys": [-1]
            }
        })
    );
    // The password is in the body, never in Debug.
    assert!(!format!("{r:?}").contains("M9zG"), "{r:?}");
}

#[test]
fn a_key_goes_in_the_path_percent_encoded() {
    let r = encode(&UserInfoRequest::new("Jane Doe+1/é"), "Info", (None, None)).expect("encodes");
    assert_eq!(r.method, HttpMethod::Get);
    assert_eq!(r.path, "/admin/user/Jane%20Doe%2B1%2F%C3%A9");
    assert_eq!(r.body, None);
}

#[test]
fn a_list_puts_its_inputs_and_paging_in_the_query() {
    let list = UserListRequest::new().tel_sys_id(100100).user_fields(
        [UserField::LockOut, UserField::Admin]
            .into_iter()
            .collect::<UserFields>(),
    );
    let r = encode(&list, "List", (Some(0), Some(500))).expect("encodes");
    assert_eq!(r.path, "/admin/user");
    assert_eq!(
        r.query,
        [
            ("TelSysID".to_string(), "100100".to_string()),
            ("UserFields".to_string(), "[LockOut,Admin]".to_string()),
            ("Offset".to_string(), "0".to_string()),
            ("Limit".to_string(), "500".to_string()),
        ]
    );
}

#[test]
fn users_change_is_the_password_and_update_the_rest() {
    let password = UserChangeRequest::new("jdoe").password("bmV3");
    let r = encode(&password, "Change", (None, None)).expect("Change carries the password");
    assert_eq!(
        (r.method, r.path.as_str()),
        (HttpMethod::Put, "/admin/user/jdoe/password")
    );
    assert_eq!(body(&r), json!({"Password": "bmV3"}));

    let err = encode(&password, "Update", (None, None)).expect_err("Update does not");
    assert_eq!(
        err.to_string(),
        "REST `Update` does not carry `Password` (the REST operations that do: Change)"
    );
    let renamed = UserChangeRequest::new("jdoe").full_name("Jane");
    let err = encode(&renamed, "Change", (None, None)).expect_err("Change carries no name");
    assert!(
        matches!(err, RestEncodeError::NotCarried { ref property, .. } if property == "FullName"),
        "{err}"
    );
    let r = encode(&renamed, "Update", (None, None)).expect("Update carries it");
    assert_eq!(body(&r), json!({"FullName": "Jane"}));
}

#[test]
fn send_email_implies_the_welcome_flag() {
    let r = encode(&UserChangeRequest::new("jdoe"), "SendEmail", (None, None)).expect("encodes");
    assert_eq!(
        (r.method, r.path.as_str()),
        (HttpMethod::Post, "/admin/user/jdoe/sendEmail")
    );
    assert_eq!(body(&r), json!({}));
    // Giving the implied value is fine; giving another is refused.
    let same = UserChangeRequest::new("jdoe").send_welcome_email(true);
    assert!(encode(&same, "SendEmail", (None, None)).is_ok());
    let other = UserChangeRequest::new("jdoe").send_welcome_email(false);
    let err = encode(&other, "SendEmail", (None, None)).expect_err("refused");
    assert!(
        matches!(err, RestEncodeError::ImpliedOtherwise { .. }),
        "{err}"
    );
}

#[test]
fn an_info_answer_reads_a_one_element_array_as_its_value() {
    let info: UserInfoResponse = decode_success(
        br#"{"Username": "IntegratorUser 14", "LockOut": false, "TimeZone": null,
             "Scope": {"TelSysID": [-1], "PartIDInTelSys": [3], "DeviceNumber": "All"}}"#,
        "UserInfo's response",
    )
    .expect("decodes");
    assert_eq!(info.username.as_deref(), Some("IntegratorUser 14"));
    let scope = info.scope.expect("scope");
    assert_eq!(scope.tel_sys_id.map(|t| t.get()), Some(-1));
    assert_eq!(scope.part_id_in_tel_sys.map(|t| t.get()), Some(3));

    let err = decode_success::<UserInfoResponse>(
        br#"{"Scope": {"TelSysID": [1, 2]}}"#,
        "UserInfo's response",
    )
    .expect_err("two servers where the shape holds one");
    assert_eq!(err.at, "Scope.TelSysID");
    assert!(err.to_string().contains("UserInfo's response"), "{err}");
    assert!(err.detail.contains("several values"), "{err}");
}

#[test]
fn a_list_answer_is_a_bare_array_and_an_empty_body_is_no_data() {
    let list: List<UserListEntry> = decode_success(
        br#"[{"Username": "a", "FullName": "A"}, {"Username": "b", "LockOut": true}]"#,
        "UserList's response",
    )
    .expect("decodes");
    assert_eq!(list.entries.len(), 2);
    assert_eq!(list.entries[1].lock_out, Some(true));
    let empty: UserInfoResponse = decode_success(b"  ", "UserAdd's response").expect("empty");
    assert_eq!(empty.username, None);
    let err =
        decode_success::<List<UserListEntry>>(b"[{\"LockOut\": \"maybe\"}]", "UserList's response")
            .expect_err("not a Boolean");
    assert_eq!(err.at, "[0].LockOut");
}

#[test]
fn a_failure_names_its_message_code_and_conditions() {
    let f = decode_failure(
        404,
        br#"{"Message": "No such user", "Code": 11201}"#,
        rest(),
    );
    assert_eq!(f.message.as_deref(), Some("No such user"));
    assert_eq!(f.code, Some(11201));
    assert!(f.conditions.contains(&Condition::UnknownEntity), "{f:?}");
    assert_eq!(f.to_string(), "HTTP 404, code 11201: No such user");
    let odd = decode_failure(
        502,
        "<html>bad gateway</html>".repeat(100).as_bytes(),
        rest(),
    );
    assert_eq!(odd.message, None);
    assert!(
        odd.body
            .as_deref()
            .is_some_and(|b| b.chars().count() <= 513),
        "{odd:?}"
    );
}
