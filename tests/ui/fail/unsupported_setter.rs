// SynchroniseSupervisorPermissions is documented for Cisco BroadWorks only: on a request typed
// for HiPath3000 its setter cannot be called.
use akixi_client::akixi::platforms::{CiscoBroadworks, Hipath3000};
use akixi_client::akixi::user::UserAddRequestFor;

fn main() {
    let _fine = UserAddRequestFor::<CiscoBroadworks>::new("a@example.com")
        .synchronise_supervisor_permissions(true)
        .build();
    let _refused = UserAddRequestFor::<Hipath3000>::new("a@example.com")
        .synchronise_supervisor_permissions(true)
        .build();
}
