//! What stands between a password guesser and the accounts: failed sign-ins are counted per
//! account name and per address, and after a few free attempts each further one is refused
//! unchecked for a while that doubles with every failure (capped), so a guessing loop gets a
//! handful of tries an hour instead of thousands a second. The table is bounded, so that
//! guessing with many names cannot grow it without limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How failed sign-ins are slowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInBackoff {
    /// Failures allowed before the first wait.
    pub free_attempts: u32,
    /// The first wait; each further failure doubles it.
    pub first_wait: Duration,
    /// The longest wait.
    pub max_wait: Duration,
}

impl Default for SignInBackoff {
    fn default() -> Self {
        SignInBackoff {
            free_attempts: 5,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(15 * 60),
        }
    }
}

/// Names and addresses tracked at most; beyond, the entries idle longest are forgotten.
const MAX_TRACKED: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Strikes {
    failures: u32,
    blocked_until: Option<Instant>,
    last: Instant,
}

/// Who failed to sign in, and until when they wait.
#[derive(Debug, Default)]
pub(crate) struct SignInGuard {
    policy: SignInBackoff,
    strikes: Mutex<HashMap<Who, Strikes>>,
}

/// An account name or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Who {
    Account(Box<str>),
    Address(IpAddr),
}

impl SignInGuard {
    pub(crate) fn new(policy: SignInBackoff) -> Self {
        SignInGuard {
            policy,
            strikes: Mutex::default(),
        }
    }

    /// How long any of `who` must still wait, if one must.
    pub(crate) fn wait(&self, who: &[Who], now: Instant) -> Option<Duration> {
        let strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        who.iter()
            .filter_map(|w| strikes.get(w)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Counts a failure against each of `who`.
    pub(crate) fn failed(&self, who: &[Who], now: Instant) {
        let mut strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        if strikes.len() + who.len() > MAX_TRACKED {
            forget_idlest(&mut strikes, now, MAX_TRACKED / 10);
        }
        for w in who {
            let s = strikes.entry(w.clone()).or_insert(Strikes {
                failures: 0,
                blocked_until: None,
                last: now,
            });
            s.failures = s.failures.saturating_add(1);
            s.last = now;
            if let Some(beyond) = s.failures.checked_sub(self.policy.free_attempts + 1) {
                let wait = self
                    .policy
                    .first_wait
                    .saturating_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX))
                    .min(self.policy.max_wait);
                s.blocked_until = Some(now + wait);
            }
        }
    }

    /// A successful sign-in clears the account's count (not the address's: one good password
    /// must not reset a guesser's budget for other names).
    pub(crate) fn succeeded(&self, account: &Who) {
        self.strikes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(account);
    }

    /// How many names and addresses are tracked.
    #[cfg(test)]
    pub(crate) fn tracked(&self) -> usize {
        self.strikes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Drops entries no longer waiting, then, if that freed too little, the `at_least` idle longest.
fn forget_idlest(strikes: &mut HashMap<Who, Strikes>, now: Instant, at_least: usize) {
    let before = strikes.len();
    strikes.retain(|_, s| s.blocked_until.is_some_and(|u| u > now));
    if before - strikes.len() >= at_least {
        return;
    }
    let mut by_age: Vec<(Instant, Who)> =
        strikes.iter().map(|(w, s)| (s.last, w.clone())).collect();
    by_age.sort_unstable_by_key(|(last, _)| *last);
    for (_, w) in by_age.into_iter().take(at_least) {
        strikes.remove(&w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> SignInGuard {
        SignInGuard::new(SignInBackoff {
            free_attempts: 2,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(8),
        })
    }

    #[test]
    fn waits_start_after_the_free_attempts_and_double_up_to_the_cap() {
        let g = guard();
        let who = [Who::Account("ann".into())];
        let t = Instant::now();
        g.failed(&who, t);
        g.failed(&who, t);
        assert_eq!(g.wait(&who, t), None, "two free attempts");
        let mut waits = Vec::new();
        for _ in 0..6 {
            g.failed(&who, t);
            waits.push(g.wait(&who, t).map(|d| d.as_secs()));
        }
        assert_eq!(waits, [1, 2, 4, 8, 8, 8].map(Some));
        assert_eq!(
            g.wait(&who, t + Duration::from_secs(9)),
            None,
            "the wait ends"
        );
        g.succeeded(&who[0]);
        assert_eq!(g.wait(&who, t), None, "a success clears the account");
    }

    #[test]
    fn an_address_waits_whatever_name_it_tries() {
        let g = guard();
        let addr = Who::Address(IpAddr::from([192, 0, 2, 1]));
        let t = Instant::now();
        for i in 0..3 {
            g.failed(&[Who::Account(format!("user{i}").into()), addr.clone()], t);
        }
        assert!(
            g.wait(&[Who::Account("someone-else".into()), addr], t)
                .is_some()
        );
    }

    #[test]
    fn the_table_stays_bounded() {
        let g = guard();
        let t = Instant::now();
        for i in 0..(MAX_TRACKED + 5_000) {
            g.failed(&[Who::Account(i.to_string().into())], t);
        }
        assert!(g.tracked() <= MAX_TRACKED, "{}", g.tracked());
    }
}
