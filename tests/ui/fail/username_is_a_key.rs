// Username is read-only after creation: UserChange takes it as the key and offers no setter.
use akixi_client::akixi::user::UserChangeRequest;

fn main() {
    let _ = UserChangeRequest::new("old@example.com").username("new@example.com");
}
