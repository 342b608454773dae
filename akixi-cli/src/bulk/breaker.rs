//! The circuit breaker of a bulk run: a service that is dead (connections refused or reset,
//! timeouts, 5xx answers beyond the client's own retries) or that refuses the run's session
//! stops the run, instead of every remaining row being tried and retried one by one.
//!
//! It trips after [`DEFAULT_FAILURES`] such failures in a row, or after [`DEFAULT_QUIET`]
//! without a live answer while they go on; both can be set with `AKIXI_BREAKER_FAILURES` and
//! `AKIXI_BREAKER_SECONDS` (for tests, or a service known to be slow). Any answer of the
//! service, a refusal of the row included (an error code that is not about the session), shows
//! that it is alive and resets the count.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use akixi_client::Error;
use akixi_client::http::HttpError;
use akixi_client::meta::ErrorHandling;
use akixi_client::runtime::akixi_ws::DynError;
use tokio::sync::Notify;

/// Failures in a row that trip the breaker.
pub const DEFAULT_FAILURES: u32 = 8;
/// How long without a live answer (while failures go on) trips the breaker.
pub const DEFAULT_QUIET: Duration = Duration::from_secs(30);
/// The environment variable setting the failures in a row.
pub const FAILURES_ENV: &str = "AKIXI_BREAKER_FAILURES";
/// The environment variable setting the seconds without a live answer.
pub const SECONDS_ENV: &str = "AKIXI_BREAKER_SECONDS";

/// What one request's result says of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// It answered (whatever it said about the row).
    Alive,
    /// It did not answer, or refused the session: what the breaker counts.
    Down,
    /// Nothing to learn (nothing was sent: a row refused before sending).
    Unknown,
}

/// What `result` says of the service.
pub fn health<T>(result: &Result<T, DynError<Error>>) -> Health {
    match result {
        Ok(_) => Health::Alive,
        Err(DynError::Call(e)) => of_error(e),
        Err(_) => Health::Unknown,
    }
}

/// What a failed call says of the service.
pub fn of_error(e: &Error) -> Health {
    match e {
        Error::Http(HttpError::Transport(_) | HttpError::Timeout(_)) | Error::Session(_) => {
            Health::Down
        }
        Error::Http(HttpError::Status(h)) if h.status >= 500 || h.status == 429 => Health::Down,
        // A proxy's page instead of an answer, a response cut short.
        Error::Decode(_) => Health::Down,
        // The session is gone and could not be renewed, or the service says to come back later.
        Error::Api(a)
            if a.errors.iter().any(|x| {
                matches!(
                    x.handling(),
                    Some(ErrorHandling::RenewSession | ErrorHandling::RetryLater)
                )
            }) =>
        {
            Health::Down
        }
        Error::Api(_) | Error::PartialFail(_) | Error::Http(HttpError::Status(_)) => Health::Alive,
        _ => Health::Unknown,
    }
}

/// The breaker shared by a run's requests.
#[derive(Debug)]
pub struct Breaker {
    limit: u32,
    quiet: Duration,
    state: Mutex<State>,
    tripped: Notify,
}

#[derive(Debug)]
struct State {
    in_a_row: u32,
    last_alive: Instant,
    /// Why it tripped, once it has.
    reason: Option<String>,
}

impl Breaker {
    /// A breaker tripping after `limit` failures in a row or `quiet` without a live answer.
    pub fn new(limit: u32, quiet: Duration) -> Self {
        Breaker {
            limit: limit.max(1),
            quiet,
            state: Mutex::new(State {
                in_a_row: 0,
                last_alive: Instant::now(),
                reason: None,
            }),
            tripped: Notify::new(),
        }
    }

    /// The defaults, or what `AKIXI_BREAKER_FAILURES` and `AKIXI_BREAKER_SECONDS` say.
    pub fn from_env() -> Self {
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let limit = read(FAILURES_ENV)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(DEFAULT_FAILURES);
        let quiet = read(SECONDS_ENV).map_or(DEFAULT_QUIET, Duration::from_secs);
        Breaker::new(limit, quiet)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts what a request's result says; `what` describes a failure (for the message when it
    /// trips).
    pub fn record(&self, health: Health, what: impl FnOnce() -> String) {
        let mut s = self.state();
        match health {
            Health::Alive => {
                s.in_a_row = 0;
                s.last_alive = Instant::now();
            }
            Health::Unknown => {}
            Health::Down => {
                s.in_a_row += 1;
                if s.reason.is_some() {
                    return;
                }
                let quiet = s.last_alive.elapsed();
                let why = if s.in_a_row >= self.limit {
                    format!("{} requests in a row failed", s.in_a_row)
                } else if quiet >= self.quiet {
                    format!(
                        "no answer from the service for {}",
                        crate::bulk::run_report::duration(quiet)
                    )
                } else {
                    return;
                };
                s.reason = Some(format!("{why}; the last: {}", what()));
                drop(s);
                self.tripped.notify_waiters();
            }
        }
    }

    /// Why it tripped, if it has.
    pub fn tripped(&self) -> Option<String> {
        self.state().reason.clone()
    }

    /// Resolves when it trips (at once if it has).
    pub async fn wait(&self) {
        loop {
            let notified = self.tripped.notified();
            if self.tripped().is_some() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_after_failures_in_a_row_and_a_live_answer_resets_the_count() {
        let b = Breaker::new(3, Duration::from_secs(3600));
        b.record(Health::Down, || "x".into());
        b.record(Health::Down, || "x".into());
        b.record(Health::Alive, String::new);
        b.record(Health::Down, || "x".into());
        b.record(Health::Unknown, String::new);
        b.record(Health::Down, || "x".into());
        assert!(b.tripped().is_none());
        b.record(Health::Down, || "refused".into());
        let why = b.tripped().unwrap_or_default();
        assert!(
            why.contains("3 requests in a row") && why.contains("refused"),
            "{why}"
        );
    }

    #[test]
    fn trips_after_a_quiet_time_with_failures() {
        let b = Breaker::new(100, Duration::ZERO);
        b.record(Health::Down, || "timeout".into());
        assert!(b.tripped().is_some_and(|w| w.contains("no answer")));
    }
}
