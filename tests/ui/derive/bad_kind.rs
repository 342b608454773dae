// A kind that is not one of the spec's `OpKind` names.

#[derive(Debug, akixi_derive::Operation)]
#[akixi(
    operation = "UserLookup",
    family = "User",
    kind = "lookup",
    service = akixi_client::akixi::Service,
    response = ()
)]
struct MyUserLookup {
    username: String,
}

fn main() {}
