// An attribute the derive does not know, on the struct and on a field.

#[derive(Debug, akixi_derive::Operation)]
#[akixi(
    operation = "UserInfo",
    family = "User",
    kind = "info",
    service = akixi_client::akixi::Service,
    response = (),
    paged = true
)]
struct MyUserInfo {
    username: String,
}

#[derive(Debug, Default, akixi_derive::Response)]
struct MyUserInfoResponse {
    #[akixi(wire = "FullName")]
    full_name: Option<String>,
}

fn main() {}
