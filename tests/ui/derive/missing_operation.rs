// An operation without its wire name.

#[derive(Debug, akixi_derive::Operation)]
#[akixi(
    family = "User",
    kind = "info",
    service = akixi_client::akixi::Service,
    response = ()
)]
struct MyUserInfo {
    username: String,
}

fn main() {}
