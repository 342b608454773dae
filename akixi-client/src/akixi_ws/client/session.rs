//! The API session: established lazily, shared by every request, renewed once by whichever
//! request first sees it expire while the others wait for that renewal.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::Error;
use super::service::AkixiWsService;
use crate::secret::Secret;

/// An established, authenticated API session.
pub(crate) struct Session {
    pub(crate) id: Secret,
    pub(crate) nonce: Secret,
    /// Which establishment produced it, so that a renewal replaces only the session that
    /// failed, not a newer one.
    pub(crate) epoch: u64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

struct State<S: AkixiWsService> {
    current: Option<Arc<Session>>,
    /// Completed establishment attempts, successful or not.
    epoch: u64,
    /// The error of the last attempt, for the requests that waited on it.
    last_failure: Option<Arc<Error<S>>>,
    /// When the server last rejected the credentials, and how.
    rejected: Option<(Instant, Arc<Error<S>>)>,
}

impl<S: AkixiWsService> Default for State<S> {
    fn default() -> Self {
        State {
            current: None,
            epoch: 0,
            last_failure: None,
            rejected: None,
        }
    }
}

/// The session slot of one client, shared by its clones.
pub(crate) struct Sessions<S: AkixiWsService> {
    state: Mutex<State<S>>,
    /// Held while establishing or closing, so that only one request does either at a time.
    establishing: tokio::sync::Mutex<()>,
    /// How long rejected credentials are not tried again.
    rejection_cooldown: Duration,
}

impl<S: AkixiWsService> fmt::Debug for Sessions<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let established = self.state().current.is_some();
        f.debug_struct("Sessions")
            .field("established", &established)
            .finish_non_exhaustive()
    }
}

impl<S: AkixiWsService> Sessions<S> {
    pub(crate) fn new(rejection_cooldown: Duration) -> Self {
        Sessions {
            state: Mutex::new(State::default()),
            establishing: tokio::sync::Mutex::new(()),
            rejection_cooldown,
        }
    }

    fn state(&self) -> MutexGuard<'_, State<S>> {
        // The state is consistent after every statement, so a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a session is established.
    pub(crate) fn is_established(&self) -> bool {
        self.state().current.is_some()
    }

    /// The current session, establishing one with `establish` if there is none.
    pub(crate) async fn get<F, Fut>(&self, establish: F) -> Result<Arc<Session>, Error<S>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Secret), Error<S>>>,
    {
        let seen = {
            let s = self.state();
            if let Some(current) = &s.current {
                return Ok(current.clone());
            }
            s.epoch
        };
        self.establish_after(seen, establish).await
    }

    /// Replaces the session of `stale_epoch`, which the server no longer knows. Requests that
    /// saw the same session fail wait for the one renewal instead of each starting their own.
    pub(crate) async fn renew<F, Fut>(
        &self,
        stale_epoch: u64,
        establish: F,
    ) -> Result<Arc<Session>, Error<S>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Secret), Error<S>>>,
    {
        let seen = {
            let mut s = self.state();
            match &s.current {
                Some(c) if c.epoch == stale_epoch => s.current = None,
                Some(newer) => return Ok(newer.clone()),
                None => {}
            }
            s.epoch
        };
        self.establish_after(seen, establish).await
    }

    /// Establishes a session unless an attempt completed since the caller looked (`seen`), in
    /// which case that attempt's outcome is the caller's too.
    async fn establish_after<F, Fut>(
        &self,
        seen: u64,
        establish: F,
    ) -> Result<Arc<Session>, Error<S>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Secret), Error<S>>>,
    {
        let _one_at_a_time = self.establishing.lock().await;
        {
            let s = self.state();
            if let Some(current) = &s.current {
                return Ok(current.clone());
            }
            if s.epoch != seen
                && let Some(failure) = &s.last_failure
            {
                return Err(Error::Session(failure.clone()));
            }
            // The same credentials would be rejected again, and every try may count towards
            // locking the account.
            if let Some((at, rejection)) = &s.rejected
                && at.elapsed() < self.rejection_cooldown
            {
                return Err(Error::Session(rejection.clone()));
            }
        }
        let outcome = establish().await;
        let mut s = self.state();
        s.epoch += 1;
        match outcome {
            Ok((id, nonce)) => {
                let session = Arc::new(Session {
                    id,
                    nonce,
                    epoch: s.epoch,
                });
                s.current = Some(session.clone());
                s.last_failure = None;
                s.rejected = None;
                Ok(session)
            }
            Err(e) => {
                let rejection = e.is_credentials_rejection();
                let e = Arc::new(e);
                s.last_failure = Some(e.clone());
                if rejection {
                    s.rejected = Some((Instant::now(), e.clone()));
                }
                Err(Error::Session(e))
            }
        }
    }

    /// Takes the current session out, for closing; holds the establishment lock meanwhile so
    /// that no establishment races with the close.
    pub(crate) async fn take(&self) -> (tokio::sync::MutexGuard<'_, ()>, Option<Arc<Session>>) {
        let guard = self.establishing.lock().await;
        let mut s = self.state();
        let session = s.current.take();
        if session.is_some() {
            s.epoch += 1;
        }
        drop(s);
        (guard, session)
    }
}
