//! What slows password guessing without locking the owner out: failed sign-ins counted before
//! the password is checked, per (account name, address), per address across names, and per
//! account as a rate that delays rather than refuses; shared by the Akixi engine and the
//! Extension Mobility simulator. The rules and their reasons are in the crate's README,
//! "Sign-in throttling and sessions".

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How sign-ins are limited: the back-off that slows password guessing, the bounds on password
/// checks, and how many sessions one account keeps. (One value so that one `Config` option
/// carries the whole sign-in policy.) The rules and the reasons for them are in the crate's
/// README, "Sign-in throttling and sessions".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInBackoff {
    /// Failures allowed per (account name, address) before the first wait.
    pub free_attempts: u32,
    /// The first wait; each further failure doubles it.
    pub first_wait: Duration,
    /// The longest wait.
    pub max_wait: Duration,
    /// Failures allowed per address, whatever names it tries, before it waits too (the same
    /// doubling waits): a budget for guessing across many accounts.
    pub address_free_attempts: u32,
    /// Failed (or running) checks allowed per account per minute from all addresses together
    /// (also the burst); beyond, an attempt is delayed, not refused. 0: no account rate.
    pub account_failures_per_minute: u32,
    /// The longest an attempt is delayed for its account's rate; one that would wait longer is
    /// answered "try again later", unchecked.
    pub account_delay: Duration,
    /// Consecutive failures of an account (from all addresses, since its last success) past
    /// which only addresses it has signed in from before are still checked (NIST SP 800-63B
    /// §5.2.2: at most 100); an administrator setting its password starts the count afresh.
    pub account_failure_limit: u32,
    /// Password computations at once; 0: the cores, at most 4.
    pub verifications_in_flight: usize,
    /// Verifications waiting beyond those; the rest are answered "try again later". 0: four
    /// per computation allowed at once.
    pub verification_queue: usize,
    /// Signed-in sessions kept per account; its least recently used go first beyond it.
    pub sessions_per_account: usize,
}

impl Default for SignInBackoff {
    fn default() -> Self {
        SignInBackoff {
            free_attempts: 5,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(15 * 60),
            address_free_attempts: 50,
            account_failures_per_minute: 60,
            account_delay: Duration::from_secs(5),
            account_failure_limit: 100,
            verifications_in_flight: 0,
            verification_queue: 0,
            sessions_per_account: 100,
        }
    }
}

/// Names, addresses and pairs tracked at most; beyond, the entries idle longest are forgotten.
const MAX_TRACKED: usize = 100_000;

/// A pair or address with no failure for this long starts afresh.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Attempts delayed for their account's rate at once, over all accounts; beyond, "try again
/// later" (each delayed attempt holds a thread while it waits).
const MAX_DELAYED: usize = 64;

/// Addresses remembered per account as ones it signed in from.
const KNOWN_ADDRESSES: usize = 8;

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Who {
    /// An account name from one address (or from an unknown one).
    Pair(Box<str>, Option<IpAddr>),
    /// An address, whatever names it tries.
    Address(IpAddr),
    /// An account name, from every address.
    Account(Box<str>),
}

#[derive(Debug, Clone)]
struct Entry {
    /// Failures counted (an attempt is counted when it starts, and uncounted if it succeeds
    /// or is not checked after all).
    failures: u32,
    /// When the last failure was counted.
    last: Instant,
    /// The account's rate: checks it may start now without delay (negative: reserved by
    /// delayed attempts).
    tokens: f64,
    refilled: Instant,
    /// Addresses the account signed in from (most recent last).
    known: Vec<IpAddr>,
}

impl Entry {
    fn new(now: Instant, tokens: f64) -> Entry {
        Entry {
            failures: 0,
            last: now,
            tokens,
            refilled: now,
            known: Vec::new(),
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    entries: HashMap<Who, Entry>,
    delayed: usize,
}

/// Why an attempt is refused unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The name from this address, or the address, failed too often: it waits this long.
    Wait(Duration),
    /// The account failed too often in a row, and this address never signed in to it.
    Unfamiliar,
}

/// What the throttle says about an attempt.
pub(crate) enum Admission<'t> {
    /// Check the password (after [`Ticket::delay`]), then settle the ticket.
    Check(Ticket<'t>),
    /// Refused unchecked; nothing is counted.
    Refused(Refusal),
    /// The account's rate is spent beyond the longest delay: try again later (unchecked,
    /// nothing counted).
    Busy,
}

/// Slows password guessing without locking the owner out (the rules: [`SignInBackoff`] and the
/// README). A failure counts against the (name, address) pair and the address with waits that
/// double, and against the account's consecutive failures and rate; an attempt is counted when
/// it starts, before its password is checked, so concurrent guesses are counted exactly.
#[derive(Debug)]
pub(crate) struct Throttle {
    policy: SignInBackoff,
    table: Mutex<Table>,
}

impl Throttle {
    pub(crate) fn new(policy: SignInBackoff) -> Self {
        Throttle {
            policy,
            table: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The wait an entry with `failures` (the last at `last`) imposes past `free`, if any left.
    fn wait(&self, entry: Option<&Entry>, free: u32, now: Instant) -> Option<Duration> {
        let e = entry?;
        let beyond = e.failures.checked_sub(free.max(1))?;
        let wait = self
            .policy
            .first_wait
            .saturating_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX))
            .min(self.policy.max_wait);
        let until = e.last + wait;
        (until > now).then(|| until - now)
    }

    /// Whether an attempt to sign in as `account` from `address` may be checked now; if so,
    /// it is counted as a failure until its ticket says otherwise.
    pub(crate) fn admit(
        &self,
        account: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Admission<'_> {
        let p = &self.policy;
        let mut table = self.lock();
        if table.entries.len() + 3 > MAX_TRACKED {
            forget_idlest(
                &mut table.entries,
                now,
                MAX_TRACKED / 10,
                p.account_failure_limit,
            );
        }
        let pair = Who::Pair(Box::from(account), address);
        let addr = address.map(Who::Address);
        let acct = Who::Account(Box::from(account));
        // Pairs and addresses quiet for a day start afresh.
        for who in std::iter::once(&pair).chain(&addr) {
            if table
                .entries
                .get(who)
                .is_some_and(|e| now.saturating_duration_since(e.last) > FORGET_AFTER)
            {
                table.entries.remove(who);
            }
        }
        let waits = [
            self.wait(table.entries.get(&pair), p.free_attempts, now),
            addr.as_ref()
                .and_then(|a| self.wait(table.entries.get(a), p.address_free_attempts, now)),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Admission::Refused(Refusal::Wait(wait));
        }
        let capacity = f64::from(p.account_failures_per_minute);
        let account_entry = table
            .entries
            .entry(acct.clone())
            .or_insert_with(|| Entry::new(now, capacity));
        if account_entry.failures >= p.account_failure_limit
            && !address.is_some_and(|a| account_entry.known.contains(&a))
        {
            return Admission::Refused(Refusal::Unfamiliar);
        }
        let mut delay = Duration::ZERO;
        if p.account_failures_per_minute > 0 {
            let rate = capacity / 60.0;
            let elapsed = now
                .saturating_duration_since(account_entry.refilled)
                .as_secs_f64();
            account_entry.tokens = (account_entry.tokens + elapsed * rate).min(capacity);
            account_entry.refilled = now;
            if account_entry.tokens < 1.0 {
                let needed = Duration::from_secs_f64((1.0 - account_entry.tokens) / rate);
                if needed > p.account_delay || table.delayed >= MAX_DELAYED {
                    return Admission::Busy;
                }
                delay = needed;
            }
        }
        if let Some(e) = table.entries.get_mut(&acct) {
            e.tokens -= 1.0;
        }
        if !delay.is_zero() {
            table.delayed += 1;
        }
        for who in [Some(&pair), addr.as_ref(), Some(&acct)]
            .into_iter()
            .flatten()
        {
            let e = table
                .entries
                .entry(who.clone())
                .or_insert_with(|| Entry::new(now, capacity));
            e.failures = e.failures.saturating_add(1);
            e.last = now;
        }
        Admission::Check(Ticket {
            throttle: self,
            pair,
            address: addr,
            account: acct,
            delay,
            settled: false,
        })
    }

    /// Starts `account`'s count afresh (an administrator set its password, or it was locked,
    /// demoted or deleted): its consecutive failures and the waits of its pairs.
    pub(crate) fn forgive(&self, account: &str) {
        let mut table = self.lock();
        table.entries.retain(|who, _| match who {
            Who::Pair(name, _) => &**name != account,
            _ => true,
        });
        if let Some(e) = table.entries.get_mut(&Who::Account(Box::from(account))) {
            e.failures = 0;
        }
    }

    /// How many names, addresses and pairs are tracked.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.lock().entries.len()
    }
}

/// An attempt being checked, counted as a failure until [`succeeded`](Ticket::succeeded);
/// dropped without a verdict (the check did not run), it is uncounted.
pub(crate) struct Ticket<'t> {
    throttle: &'t Throttle,
    pair: Who,
    address: Option<Who>,
    account: Who,
    delay: Duration,
    settled: bool,
}

impl Ticket<'_> {
    /// How long to wait before checking, for the account's rate.
    pub(crate) fn delay(&self) -> Duration {
        self.delay
    }

    /// The password was right: the pair starts afresh, the account's consecutive failures
    /// end and it remembers the address, and this attempt no longer counts against the
    /// address (its other failures do: one good password must not reset a guesser's budget).
    pub(crate) fn succeeded(mut self) {
        self.settled = true;
        let mut table = self.throttle.lock();
        self.release_delay(&mut table);
        table.entries.remove(&self.pair);
        if let Some(e) = self.address.as_ref().and_then(|a| table.entries.get_mut(a)) {
            e.failures = e.failures.saturating_sub(1);
        }
        let capacity = f64::from(self.throttle.policy.account_failures_per_minute);
        if let Some(e) = table.entries.get_mut(&self.account) {
            e.failures = 0;
            e.tokens = (e.tokens + 1.0).min(capacity);
            if let Some(Who::Address(ip)) = &self.address {
                e.known.retain(|k| k != ip);
                e.known.push(*ip);
                if e.known.len() > KNOWN_ADDRESSES {
                    e.known.remove(0);
                }
            }
        }
    }

    /// The password was wrong (or the account cannot sign in): the failure stays counted.
    pub(crate) fn failed(mut self) {
        self.settled = true;
        let mut table = self.throttle.lock();
        self.release_delay(&mut table);
    }

    fn release_delay(&self, table: &mut Table) {
        if !self.delay.is_zero() {
            table.delayed = table.delayed.saturating_sub(1);
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        // Not checked after all (the gate was full): uncount it everywhere.
        let mut table = self.throttle.lock();
        self.release_delay(&mut table);
        let capacity = f64::from(self.throttle.policy.account_failures_per_minute);
        for who in [Some(&self.pair), self.address.as_ref(), Some(&self.account)]
            .into_iter()
            .flatten()
        {
            if let Some(e) = table.entries.get_mut(who) {
                e.failures = e.failures.saturating_sub(1);
                if matches!(who, Who::Account(_)) {
                    e.tokens = (e.tokens + 1.0).min(capacity);
                }
            }
        }
    }
}

/// Drops entries that no longer make anyone wait, then, if that freed too little, the
/// `at_least` idle longest; accounts past the consecutive-failure limit are kept.
fn forget_idlest(
    entries: &mut HashMap<Who, Entry>,
    now: Instant,
    at_least: usize,
    account_limit: u32,
) {
    let keep = |who: &Who, e: &Entry| match who {
        Who::Account(_) => e.failures >= account_limit,
        _ => false,
    };
    let before = entries.len();
    entries.retain(|who, e| {
        keep(who, e) || (e.failures > 0 && now.saturating_duration_since(e.last) < FORGET_AFTER)
    });
    if before - entries.len() >= at_least {
        return;
    }
    let mut by_age: Vec<(Instant, Who)> = entries
        .iter()
        .filter(|(w, e)| !keep(w, e))
        .map(|(w, e)| (e.last, w.clone()))
        .collect();
    by_age.sort_unstable_by_key(|(last, _)| *last);
    for (_, w) in by_age.into_iter().take(at_least) {
        entries.remove(&w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> SignInBackoff {
        SignInBackoff {
            free_attempts: 2,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(8),
            address_free_attempts: 4,
            account_failures_per_minute: 0,
            account_failure_limit: 10,
            ..SignInBackoff::default()
        }
    }

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)));
    const AWAY: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2)));

    /// Admits an attempt and settles it as `ok`; the refusal if refused.
    fn attempt(
        t: &Throttle,
        name: &str,
        from: Option<IpAddr>,
        ok: bool,
        at: Instant,
    ) -> Option<Refusal> {
        match t.admit(name, from, at) {
            Admission::Check(ticket) if ok => ticket.succeeded(),
            Admission::Check(ticket) => ticket.failed(),
            Admission::Refused(r) => return Some(r),
            Admission::Busy => panic!("busy"),
        }
        None
    }

    #[test]
    fn waits_start_after_the_free_attempts_and_double_up_to_the_cap() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        assert_eq!(attempt(&t, "ann", HOME, false, at), None);
        assert_eq!(attempt(&t, "ann", HOME, false, at), None);
        let mut waits = Vec::new();
        let mut now = at;
        for _ in 0..5 {
            match attempt(&t, "ann", HOME, false, now) {
                Some(Refusal::Wait(w)) => {
                    waits.push(w.as_secs());
                    now += w;
                    assert_eq!(
                        attempt(&t, "ann", HOME, false, now),
                        None,
                        "one check after each wait"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(waits, [1, 2, 4, 8, 8]);
    }

    #[test]
    fn concurrent_attempts_are_counted_before_they_are_checked() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        let mut tickets = Vec::new();
        let mut refused = 0;
        for _ in 0..64 {
            match t.admit("ann", HOME, at) {
                Admission::Check(ticket) => tickets.push(ticket),
                Admission::Refused(_) => refused += 1,
                Admission::Busy => panic!("busy"),
            }
        }
        assert_eq!(tickets.len(), 2, "only the free attempts are checked");
        assert_eq!(refused, 62);
        for ticket in tickets {
            ticket.failed();
        }
    }

    #[test]
    fn refused_attempts_do_not_extend_the_wait_and_the_owner_elsewhere_is_checked() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        for _ in 0..2 {
            attempt(&t, "ann", HOME, false, at);
        }
        let Some(Refusal::Wait(first)) = attempt(&t, "ann", HOME, false, at) else {
            panic!("waits");
        };
        for i in 0..100 {
            let later = at + Duration::from_millis(i);
            attempt(&t, "ann", HOME, true, later);
        }
        assert_eq!(
            attempt(&t, "ann", HOME, false, at + first),
            None,
            "the wait ends when it said, however often it was tried"
        );
        assert_eq!(
            attempt(&t, "ann", AWAY, true, at),
            None,
            "the owner from elsewhere is checked"
        );
    }

    #[test]
    fn an_address_waits_after_its_budget_across_names() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        for i in 0..4 {
            assert_eq!(attempt(&t, &format!("user{i}"), HOME, false, at), None);
        }
        assert!(matches!(
            attempt(&t, "someone-else", HOME, false, at),
            Some(Refusal::Wait(_))
        ));
        assert_eq!(attempt(&t, "someone-else", AWAY, false, at), None);
    }

    #[test]
    fn a_success_clears_the_pair_but_not_the_address_budget() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        attempt(&t, "ann", HOME, false, at);
        attempt(&t, "ann", HOME, true, at);
        assert_eq!(attempt(&t, "ann", HOME, false, at), None);
        assert_eq!(
            attempt(&t, "ann", HOME, false, at),
            None,
            "the pair started afresh"
        );
        // The address has 3 failures of its budget of 4.
        assert_eq!(attempt(&t, "bob", HOME, false, at), None);
        assert!(attempt(&t, "carl", HOME, false, at).is_some());
    }

    #[test]
    fn past_the_consecutive_limit_only_known_addresses_are_checked_until_forgiven() {
        let t = Throttle::new(SignInBackoff {
            address_free_attempts: 1_000,
            ..policy()
        });
        let at = Instant::now();
        attempt(&t, "ann", HOME, true, at);
        for i in 0..10u8 {
            let from = Some(IpAddr::from([198, 51, 100, i]));
            assert_eq!(attempt(&t, "ann", from, false, at), None);
        }
        let stranger = Some(IpAddr::from([203, 0, 113, 9]));
        assert_eq!(
            attempt(&t, "ann", stranger, true, at),
            Some(Refusal::Unfamiliar)
        );
        assert_eq!(
            attempt(&t, "ann", HOME, true, at),
            None,
            "home was signed in from before"
        );
        // The success ended the run of failures.
        assert_eq!(attempt(&t, "ann", stranger, false, at), None);
        for i in 0..9u8 {
            attempt(&t, "ann", Some(IpAddr::from([198, 51, 100, i])), false, at);
        }
        assert_eq!(
            attempt(&t, "ann", stranger, true, at),
            Some(Refusal::Unfamiliar)
        );
        t.forgive("ann");
        assert_eq!(attempt(&t, "ann", stranger, true, at), None, "forgiven");
    }

    #[test]
    fn the_account_rate_delays_then_sheds() {
        let t = Throttle::new(SignInBackoff {
            address_free_attempts: 1_000,
            account_failures_per_minute: 6,
            account_delay: Duration::from_secs(25),
            ..policy()
        });
        let at = Instant::now();
        let mut delays = Vec::new();
        for i in 0..12u8 {
            match t.admit("ann", Some(IpAddr::from([198, 51, 100, i])), at) {
                Admission::Check(ticket) => {
                    delays.push(ticket.delay().as_secs());
                    ticket.failed();
                }
                Admission::Busy => delays.push(u64::MAX),
                Admission::Refused(r) => panic!("{r:?}"),
            }
        }
        // Six at once, then one every 10 s, delayed at most 25 s; beyond, busy.
        assert_eq!(&delays[..9], &[0, 0, 0, 0, 0, 0, 10, 20, u64::MAX]);
    }

    #[test]
    fn an_unchecked_attempt_is_uncounted() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        for _ in 0..10 {
            match t.admit("ann", HOME, at) {
                Admission::Check(ticket) => drop(ticket),
                _ => panic!("refused or busy"),
            }
        }
        assert_eq!(attempt(&t, "ann", HOME, false, at), None);
    }

    #[test]
    fn the_table_stays_bounded() {
        let t = Throttle::new(policy());
        let at = Instant::now();
        for i in 0..(MAX_TRACKED / 2 + 5_000) {
            attempt(&t, &i.to_string(), None, false, at);
        }
        assert!(t.tracked() <= MAX_TRACKED, "{}", t.tracked());
    }
}
