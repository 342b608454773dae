//! The accept loop: one HTTP/1 connection per task, with the bounds a server facing strangers
//! needs. A client must send a request's headers within [`Limits::header_read`] (hyper closes
//! the connection otherwise: slow headers and idle keep-alive connections alike), and each
//! request is answered within [`Limits::request`] (body read included; 408 otherwise). At most
//! [`Limits::connections`] connections are open at once (by default, the process's descriptor
//! limit less a reserve, read at start): past it, the connection idle the longest is closed to
//! make room, so a flood of idle connections cannot starve callers. The peer's address reaches
//! handlers as axum's `ConnectInfo` (none over a Unix socket). On shutdown, connections finish
//! the request in hand and close.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long a client may take, and how many connections may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// To send a request's headers, from when the connection is ready for the next request.
    pub header_read: Duration,
    /// To be answered, from its headers to the end of the response (body read included).
    pub request: Duration,
    /// Connections open at once; past it, the one idle the longest is closed for a new one
    /// (and a new one is refused when none is idle). `None`: the process's limit of open files
    /// (`RLIMIT_NOFILE`, read at start) less [`RESERVED_DESCRIPTORS`], at least
    /// [`MIN_CONNECTIONS`].
    pub connections: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(60),
            connections: None,
        }
    }
}

/// Descriptors kept back from the connection budget: the state file, its log and lock,
/// standard streams, the listener, the runtime's own, and blocking threads' files.
pub const RESERVED_DESCRIPTORS: usize = 64;

/// The smallest connection budget derived from the descriptor limit.
pub const MIN_CONNECTIONS: usize = 16;

/// The budget when the descriptor limit cannot be read or is unlimited.
const FALLBACK_CONNECTIONS: usize = 4_096;

impl Limits {
    /// The connection budget: [`connections`](Self::connections), or one derived from the
    /// process's descriptor limit.
    pub fn connection_budget(&self) -> usize {
        match self.connections {
            Some(n) => n.max(1),
            None => descriptor_limit()
                .map(|soft| {
                    soft.saturating_sub(RESERVED_DESCRIPTORS)
                        .max(MIN_CONNECTIONS)
                })
                .unwrap_or(FALLBACK_CONNECTIONS),
        }
    }
}

/// The soft limit of open files, if one is set.
fn descriptor_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .and_then(|n| usize::try_from(n).ok())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Where connections come from.
pub(crate) enum Listener {
    /// A TCP port.
    Tcp(TcpListener),
    /// A Unix domain socket.
    #[cfg(unix)]
    Unix(tokio::net::UnixListener),
}

/// One open connection, as the budget sees it.
struct Open {
    /// Requests being answered.
    busy: AtomicUsize,
    /// When it last began or finished a request (or was accepted), in nanoseconds since the
    /// loop started.
    last_active: AtomicU64,
    /// Raised to close it.
    close: Notify,
    /// Whether it has been told to close (it still holds its descriptor until its task ends).
    closing: std::sync::atomic::AtomicBool,
}

/// The open connections, by number.
struct Budget {
    started: Instant,
    most: usize,
    open: Mutex<HashMap<u64, Arc<Open>>>,
    /// Raised whenever a connection's task ends.
    released: Notify,
}

/// Why a connection cannot be admitted yet.
enum Full {
    /// Idle connections were told to close: admit again once one has.
    Closing,
    /// Every connection is answering a request.
    Busy,
}

impl Budget {
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Open>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers connection `id`, or tells the connection idle the longest to close when the
    /// budget is spent (a connection counts until its task has ended and its descriptor is
    /// closed).
    fn admit(&self, id: u64) -> Result<Arc<Open>, Full> {
        let mut open = self.lock();
        if open.len() >= self.most {
            if open.values().any(|c| c.closing.load(Ordering::Acquire)) {
                return Err(Full::Closing);
            }
            let oldest_idle = open
                .values()
                .filter(|c| c.busy.load(Ordering::Acquire) == 0)
                .min_by_key(|c| c.last_active.load(Ordering::Acquire))
                .ok_or(Full::Busy)?;
            oldest_idle.closing.store(true, Ordering::Release);
            // A permit is stored if its task is not waiting yet.
            oldest_idle.close.notify_one();
            tracing::debug!(
                open = open.len(),
                "connection budget spent: closing the longest idle"
            );
            return Err(Full::Closing);
        }
        let conn = Arc::new(Open {
            busy: AtomicUsize::new(0),
            last_active: AtomicU64::new(self.now()),
            close: Notify::new(),
            closing: std::sync::atomic::AtomicBool::new(false),
        });
        open.insert(id, Arc::clone(&conn));
        Ok(conn)
    }

    /// Admits connection `id`, waiting (at most a second) for idle ones told to close.
    async fn admit_waiting(&self, id: u64) -> Option<Arc<Open>> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
        loop {
            let released = self.released.notified();
            tokio::pin!(released);
            // Registered before looking, so a release in between is not missed.
            released.as_mut().enable();
            match self.admit(id) {
                Ok(conn) => return Some(conn),
                Err(Full::Busy) => return None,
                Err(Full::Closing) => {
                    if tokio::time::timeout_at(deadline, released).await.is_err() {
                        return None;
                    }
                }
            }
        }
    }

    fn release(&self, id: u64) {
        self.lock().remove(&id);
        self.released.notify_waiters();
    }
}

/// Marks a connection busy while a request is answered.
struct Busy<'a> {
    conn: &'a Open,
    budget: &'a Budget,
}

impl<'a> Busy<'a> {
    fn start(conn: &'a Open, budget: &'a Budget) -> Self {
        conn.busy.fetch_add(1, Ordering::AcqRel);
        conn.last_active.store(budget.now(), Ordering::Release);
        Busy { conn, budget }
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.conn
            .last_active
            .store(self.budget.now(), Ordering::Release);
        self.conn.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for open connections to
/// finish their request in hand.
pub(crate) async fn serve(
    listener: Listener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let budget = Arc::new(Budget {
        started: Instant::now(),
        most: limits.connection_budget(),
        open: Mutex::new(HashMap::new()),
        released: Notify::new(),
    });
    tracing::debug!(connections = budget.most, "connection budget");
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut next_id = 0u64;
    let mut refused_at: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener) => match accepted {
                Ok((stream, peer)) => {
                    next_id += 1;
                    let id = next_id;
                    let Some(conn) = budget.admit_waiting(id).await else {
                        // Every connection is answering a request (or none closed within a
                        // second): refuse this one (closed at once) rather than run out of
                        // descriptors. Logged once a second at most.
                        if refused_at.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                            tracing::warn!(connections = budget.most, "connection budget spent with every connection busy: refusing");
                            refused_at = Some(Instant::now());
                        }
                        drop(stream);
                        continue;
                    };
                    let task = Task {
                        id,
                        peer,
                        app: app.clone(),
                        limits,
                        stopping: stopping.clone(),
                        conn,
                        budget: Arc::clone(&budget),
                    };
                    match stream {
                        Stream::Tcp(s) => connections.spawn(task.run(s)),
                        #[cfg(unix)]
                        Stream::Unix(s) => connections.spawn(task.run(s)),
                    };
                }
                Err(error) => {
                    // Out of descriptors, usually: back off rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections as we go, so the set holds only open ones.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

enum Stream {
    Tcp(tokio::net::TcpStream),
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
}

async fn accept(listener: &Listener) -> std::io::Result<(Stream, Option<SocketAddr>)> {
    match listener {
        Listener::Tcp(l) => l
            .accept()
            .await
            .map(|(s, peer)| (Stream::Tcp(s), Some(peer))),
        #[cfg(unix)]
        Listener::Unix(l) => l.accept().await.map(|(s, _)| (Stream::Unix(s), None)),
    }
}

/// One connection's task.
struct Task {
    id: u64,
    peer: Option<SocketAddr>,
    app: Router,
    limits: Limits,
    stopping: watch::Receiver<bool>,
    conn: Arc<Open>,
    budget: Arc<Budget>,
}

impl Task {
    async fn run<S>(mut self, stream: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let (peer, app, limits) = (self.peer, self.app.clone(), self.limits);
        let (conn, budget) = (Arc::clone(&self.conn), Arc::clone(&self.budget));
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            if let Some(peer) = peer {
                request.extensions_mut().insert(ConnectInfo(peer));
            }
            let app = app.clone();
            let (conn, budget) = (Arc::clone(&conn), Arc::clone(&budget));
            async move {
                let _busy = Busy::start(&conn, &budget);
                let request = request.map(axum::body::Body::new);
                let answer = tokio::time::timeout(limits.request, app.oneshot(request)).await;
                Ok::<_, Infallible>(match answer {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
                })
            }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read);
        let served = builder.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(served);
        tokio::select! {
            result = served.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(?peer, %error, "connection ended");
                }
            }
            () = stopped(&mut self.stopping) => {
                served.as_mut().graceful_shutdown();
                let _ = served.await;
            }
            () = self.conn.close.notified() => {
                // Closed for a newer connection: an idle one closes at once; a request that
                // began meanwhile is finished first.
                served.as_mut().graceful_shutdown();
                let _ = served.await;
            }
        }
        self.budget.release(self.id);
    }
}

/// Completes once the stop flag is raised (or its sender is gone).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`: drop it before anything else awaits.
    let _ = stopping.wait_for(|stop| *stop).await.map(|_| ());
}
