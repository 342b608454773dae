//! The embedded simulator's state file while another simulator holds it: the command says who
//! holds it and where that one serves, and changes nothing.

mod common;

use common::Sandbox;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_file_held_by_a_running_simulator_is_refused_with_a_way_out() {
    let s = Sandbox::new();
    let running = akixi_sim::Simulator::start(
        akixi_sim::Config::default()
            .state(s.state())
            .hash_cost(akixi_sim::HashCost::Minimal),
    )
    .await
    .expect("the first simulator starts");
    let url = running.url().to_owned();
    let (_, err) = tokio::task::spawn_blocking(move || s.run(&["user", "list"], 1))
        .await
        .expect("joins");
    assert!(
        err.contains("in use by another process") && err.contains(&url) && err.contains("--url"),
        "{err}"
    );
    running.shutdown().await.expect("stops");
}
