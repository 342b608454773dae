//! What the EM client logs, against the EM simulator . A
//! binary of its own: tracing's callsite cache is global, so a subscriber set for one test
//! is unreliable while other tests log on other threads.

use akixi_sim::em as em_sim;

use akixi_client::em::Client;
use akixi_client::em::LogoutAll;
use em_sim::{APP_CERTIFICATE, APP_ID, EmSimulator};

/// Captures what the client logs.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_certificate_never_reaches_the_logs() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let host = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        let _ = axum::serve(listener, em_sim::router_with(EmSimulator::new())).await;
    });
    let client = Client::new().expect("client");
    let secret = "topsecret-cert";
    let _ = client
        .logout_all(&LogoutAll::new(APP_ID, secret).call_manager_host(&host))
        .await;
    let _ = client
        .logout_all(&LogoutAll::new(APP_ID, APP_CERTIFICATE).call_manager_host(&host))
        .await;
    let text = String::from_utf8(logs.0.lock().expect("logs").clone()).expect("utf-8");
    assert!(text.contains("cisco_em.request"), "{text}");
    assert!(text.contains("LogoutAll"), "{text}");
    assert!(!text.contains(secret), "{text}");
    assert!(!text.contains(APP_CERTIFICATE), "{text}");
}
