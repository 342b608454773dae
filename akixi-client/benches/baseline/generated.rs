//! The generated codec: the types `akixi_derive` makes from the spec, as a user calls them.

use akixi_client::akixi::BINDING;
use akixi_client::akixi::user::{UserAddRequest, UserInfoResponse, UserListResponse};
use akixi_client::akixi_ws::{DecodeError, decode_response};
use akixi_client::runtime::akixi_ws::{PasswordsAsIs, decode_operation, encode_request};

use super::seed;

/// The seed's `UserAdd` request as the typed request.
pub fn user_add_request() -> UserAddRequest {
    decode_operation::<UserAddRequest>(seed::USER_ADD_REQUEST.as_bytes())
        .ok()
        .and_then(|d| d.payload)
        .unwrap_or_else(|| panic!("the seed's UserAdd request decodes"))
}

/// Writes the request with the seed's envelope.
pub fn encode_user_add(request: &UserAddRequest) -> String {
    encode_request(
        request,
        "00024",
        Some("EFA4902A7F61D03E42BF3222B0A246BF"),
        &PasswordsAsIs,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Reads a `UserInfo` response.
pub fn decode_user_info(xml: &str) -> Result<Option<UserInfoResponse>, DecodeError> {
    decode_response::<UserInfoResponse>(xml.as_bytes(), &BINDING).map(|d| d.data)
}

/// Reads a `UserList` response.
pub fn decode_user_list(xml: &str) -> Result<UserListResponse, DecodeError> {
    decode_response::<UserListResponse>(xml.as_bytes(), &BINDING)
        .map(|d| d.data.unwrap_or_default())
}
