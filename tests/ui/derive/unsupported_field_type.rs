// A field type the wire has no rule for, alone and inside an `Option`.

#[derive(Debug, akixi_derive::Operation)]
#[akixi(
    operation = "UserInfo",
    family = "User",
    kind = "info",
    service = akixi_client::akixi::Service,
    response = ()
)]
struct MyUserInfo {
    username: String,
    score: f64,
}

#[derive(Debug, Default, akixi_derive::Response)]
struct MyUserInfoResponse {
    full_name: Option<Vec<String>>,
}

fn main() {}
