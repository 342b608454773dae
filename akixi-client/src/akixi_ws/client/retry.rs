//! How often, and after how long, a failed request is sent again.

use std::time::{Duration, Instant};

use super::error::Error;
use super::service::AkixiWsService;

/// Bounds on retrying what is safe to retry (see [`Error::is_retryable`]): a number of
/// attempts, an exponential backoff with jitter, and a total time.
///
/// The renewal of an expired API session is not counted here: it happens at most once per
/// call, and the request is then sent once more.
///
/// [`Error::is_retryable`]: super::Error::is_retryable
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s, at most 30 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once (a session renewal still sends it again).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with `max_attempts` attempts in all (the first one included; at
    /// least 1).
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy::default().max_attempts(max_attempts)
    }

    /// Attempts in all, the first one included (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The wait before the first retry; each later wait doubles, up to
    /// [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The longest wait between two attempts of the backoff. A server's `Retry-After` (on a 503
    /// or 429) is followed instead, when it ends within [`max_elapsed`](Self::max_elapsed).
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// No retry starts later than this after the first attempt.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// Attempts in all.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first), with "equal jitter": half of the
    /// exponential delay fixed, half random, so that clients that failed together spread out
    /// without any of them retrying at once.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if nanos == 0 {
            0
        } else {
            rand::random_range(0..=nanos)
        };
        half + Duration::from_nanos(jitter)
    }

    /// The wait before attempt `attempt + 1`, or `None` if the policy allows no more: out of
    /// attempts, or the wait would end past the total time.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(server) => server,
            None => self.backoff(attempt),
        };
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }
}

/// One call's retries under a policy: counts the attempts and the time, and waits before
/// the next attempt when the failure may be retried and the policy allows it.
pub(super) struct Retries<'p> {
    policy: &'p RetryPolicy,
    started: Instant,
    attempt: u32,
}

impl<'p> Retries<'p> {
    pub(super) fn new(policy: &'p RetryPolicy) -> Self {
        Retries {
            policy,
            started: Instant::now(),
            attempt: 0,
        }
    }

    /// An attempt starts.
    pub(super) fn start(&mut self) {
        self.attempt += 1;
    }

    /// The attempt just made does not count (a session renewal sends the request again).
    pub(super) fn uncount(&mut self) {
        self.attempt = self.attempt.saturating_sub(1);
    }

    /// After `err`: waits and answers `true` when the call may be tried again, `false` when
    /// it must fail with `err`. `what` says what is retried, for the log.
    pub(super) async fn again_after<S: AkixiWsService>(&self, err: &Error<S>, what: &str) -> bool {
        if !err.is_retryable() {
            return false;
        }
        let delay = self
            .policy
            .next_delay(self.attempt, self.started.elapsed(), err.retry_after());
        let Some(delay) = delay else {
            return false;
        };
        tracing::warn!(
            attempt = self.attempt,
            delay_ms = delay.as_millis() as u64,
            error = %err,
            "retrying {what}"
        );
        tokio::time::sleep(delay).await;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_half() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        for _ in 0..200 {
            let d1 = p.backoff(1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&d1));
            let d3 = p.backoff(3);
            assert!((Duration::from_millis(200)..=Duration::from_millis(400)).contains(&d3));
            let d10 = p.backoff(10);
            assert!((Duration::from_millis(500)..=Duration::from_millis(1000)).contains(&d10));
        }
        assert!(p.backoff(u32::MAX) <= Duration::from_millis(1000));
    }

    #[test]
    fn attempts_and_total_time_bound_the_retries() {
        let p = RetryPolicy::new(3)
            .initial_backoff(Duration::from_millis(10))
            .max_elapsed(Duration::from_secs(1));
        assert!(p.next_delay(1, Duration::ZERO, None).is_some());
        assert!(p.next_delay(2, Duration::ZERO, None).is_some());
        assert!(p.next_delay(3, Duration::ZERO, None).is_none());
        assert!(p.next_delay(1, Duration::from_millis(999), None).is_none());
        assert_eq!(
            p.next_delay(1, Duration::ZERO, Some(Duration::from_millis(300))),
            Some(Duration::from_millis(300))
        );
        assert!(
            RetryPolicy::none()
                .next_delay(1, Duration::ZERO, None)
                .is_none()
        );
        assert_eq!(RetryPolicy::new(0).get_max_attempts(), 1);
    }
}
