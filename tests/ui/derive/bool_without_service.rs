// A `bool` needs the service's Boolean spellings; a wire name used twice.

#[derive(Debug, Default, akixi_derive::Response)]
struct Entry {
    lock_out: Option<bool>,
}

#[derive(Debug, Default, akixi_derive::Response)]
#[akixi(service = akixi_client::akixi::Service)]
struct Twice {
    full_name: Option<String>,
    #[akixi(name = "FullName")]
    name: Option<String>,
}

fn main() {}
