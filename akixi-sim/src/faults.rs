//! Injected faults, for testing clients against a service that misbehaves: an ordered list of
//! rules, each matching an operation (or all), firing with a probability or for the first N
//! matching calls, and doing one thing: added latency, HTTP 503 (with or without
//! `Retry-After`), an error code instead of an answer, a connection reset before the request is
//! processed or after it was (the answer lost), or a truncated answer. Decisions come from a
//! seeded generator, so a run is repeatable.
//!
//! Rules are written one a line (or separated by `;`), as `OPERATION TRIGGER ACTION`:
//!
//! ```text
//! seed=42
//! UserAdd first=1 reset-after      # the first UserAdd is carried out, its answer lost
//! * p=0.05 503:2                   # 5 % of all calls: 503 with Retry-After: 2
//! UserInfo p=1 latency=50+20       # every UserInfo waits 50 ms, plus up to 20 ms
//! UserList first=2 code=10302      # the first two UserLists answer error 10302
//! ```
//!
//! Actions: `latency=MS[+JITTER_MS]`, `503`, `503:SECONDS` (with `Retry-After`), `code=N`,
//! `reset-before`, `reset-after`, `truncate`. Latency rules add up and evaluation goes on;
//! the first other rule that fires decides.
//!
//! Every value is bounded: at most [`MAX_RULES`] rules, `first=N` up to [`MAX_FIRST`],
//! `503:SECONDS` up to [`MAX_RETRY_AFTER_SECS`], each latency (and jitter) up to
//! [`MAX_LATENCY`]; a running simulator also refuses latency rules that could add up to more
//! than its request timeout ([`FaultPlan::check_within`]).

use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The most rules a plan holds.
pub const MAX_RULES: usize = 256;
/// The largest `first=N`.
pub const MAX_FIRST: u64 = 1_000_000_000;
/// The largest `503:SECONDS`.
pub const MAX_RETRY_AFTER_SECS: u64 = 86_400;
/// The largest latency or jitter of one rule (a running simulator also bounds their sum by its
/// request timeout).
pub const MAX_LATENCY: Duration = Duration::from_secs(3_600);

/// Which calls a rule matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Each matching call, with this probability (0 to 1).
    Probability(f64),
    /// The first N matching calls.
    First(u64),
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultAction {
    /// Waits before answering (the request is then processed normally).
    Latency {
        /// Always.
        fixed: Duration,
        /// Up to this much more, drawn per call.
        jitter: Duration,
    },
    /// HTTP 503, the request not processed; `Retry-After` in seconds if given.
    Unavailable {
        /// The `Retry-After` header's seconds.
        retry_after: Option<u64>,
    },
    /// A `Fail` answer with this code, the request not processed.
    ErrorCode(u32),
    /// The connection is reset before the request is processed.
    ResetBefore,
    /// The request is processed, then the connection is reset: the answer is lost.
    ResetAfter,
    /// The request is processed and half of its answer sent.
    Truncate,
}

/// One rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The operation it matches; `None` for every one.
    pub operation: Option<String>,
    /// When it fires.
    pub trigger: Trigger,
    /// What it does.
    pub action: FaultAction,
}

/// An ordered list of rules and the generator's seed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultPlan {
    /// The rules, in order.
    pub rules: Vec<FaultRule>,
    /// The generator's seed.
    pub seed: u64,
}

/// A rule that cannot be read, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault rule {line}: {message}")]
pub struct FaultParseError {
    /// The rule's number (1-based), counting lines and `;`-separated rules.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A plan a running simulator will not take: latency rules that could add up to more than its
/// request timeout (a request would never be answered in time).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the latency rules add up to as much as {most_ms} ms, more than the request timeout ({timeout_ms} ms)"
)]
pub struct FaultBoundError {
    /// The most the latency rules can add to one request, in milliseconds.
    pub most_ms: u128,
    /// The request timeout, in milliseconds.
    pub timeout_ms: u128,
}

impl FaultPlan {
    /// Whether every request can still be answered within `request_timeout`: the latency of
    /// every latency rule at its largest (fixed plus jitter), added up, is at most that.
    pub fn check_within(&self, request_timeout: Duration) -> Result<(), FaultBoundError> {
        let most: Duration = self
            .rules
            .iter()
            .map(|rule| match rule.action {
                FaultAction::Latency { fixed, jitter } => fixed.saturating_add(jitter),
                _ => Duration::ZERO,
            })
            .fold(Duration::ZERO, Duration::saturating_add);
        if most > request_timeout {
            return Err(FaultBoundError {
                most_ms: most.as_millis(),
                timeout_ms: request_timeout.as_millis(),
            });
        }
        Ok(())
    }
}

impl FromStr for FaultPlan {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut plan = FaultPlan::default();
        let pieces = text.split(['\n', ';']);
        for (i, piece) in pieces.enumerate() {
            let line = i + 1;
            let bad = |message: String| FaultParseError { line, message };
            let rule = piece.split('#').next().unwrap_or_default().trim();
            if rule.is_empty() {
                continue;
            }
            if let Some(seed) = rule.strip_prefix("seed=") {
                plan.seed = seed
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("`{seed}` is not a whole number")))?;
                continue;
            }
            let words: Vec<&str> = rule.split_whitespace().collect();
            let [operation, trigger, action] = words.as_slice() else {
                return Err(bad(format!(
                    "`{rule}`: write OPERATION (or *), TRIGGER (p=0.05 or first=3) and ACTION"
                )));
            };
            if plan.rules.len() == MAX_RULES {
                return Err(bad(format!("more than {MAX_RULES} rules")));
            }
            plan.rules.push(FaultRule {
                operation: (*operation != "*").then(|| (*operation).to_owned()),
                trigger: parse_trigger(trigger).map_err(bad)?,
                action: parse_action(action).map_err(bad)?,
            });
        }
        Ok(plan)
    }
}

fn parse_trigger(text: &str) -> Result<Trigger, String> {
    if let Some(p) = text.strip_prefix("p=") {
        return match p.parse::<f64>() {
            Ok(p) if (0.0..=1.0).contains(&p) => Ok(Trigger::Probability(p)),
            _ => Err(format!("`{p}` is not a probability from 0 to 1")),
        };
    }
    if let Some(n) = text.strip_prefix("first=") {
        return match n.parse::<u64>() {
            Ok(n) if n <= MAX_FIRST => Ok(Trigger::First(n)),
            Ok(_) => Err(format!("`{n}` is more than {MAX_FIRST}")),
            Err(_) => Err(format!("`{n}` is not a whole number")),
        };
    }
    Err(format!("unknown trigger `{text}` (p=0.05 or first=3)"))
}

fn parse_action(text: &str) -> Result<FaultAction, String> {
    let millis = |s: &str| match s.parse::<u64>().map(Duration::from_millis) {
        Ok(d) if d <= MAX_LATENCY => Ok(d),
        Ok(_) => Err(format!(
            "`{s}` ms is more than {} ms",
            MAX_LATENCY.as_millis()
        )),
        Err(_) => Err(format!("`{s}` is not a number of milliseconds")),
    };
    Ok(match text {
        "503" => FaultAction::Unavailable { retry_after: None },
        "reset-before" => FaultAction::ResetBefore,
        "reset-after" => FaultAction::ResetAfter,
        "truncate" => FaultAction::Truncate,
        _ => {
            if let Some(secs) = text.strip_prefix("503:") {
                FaultAction::Unavailable {
                    retry_after: Some(match secs.parse::<u64>() {
                        Ok(s) if s <= MAX_RETRY_AFTER_SECS => s,
                        Ok(_) => {
                            return Err(format!(
                                "`{secs}` seconds is more than {MAX_RETRY_AFTER_SECS}"
                            ));
                        }
                        Err(_) => return Err(format!("`{secs}` is not a number of seconds")),
                    }),
                }
            } else if let Some(code) = text.strip_prefix("code=") {
                FaultAction::ErrorCode(
                    code.parse()
                        .map_err(|_| format!("`{code}` is not an error code"))?,
                )
            } else if let Some(latency) = text.strip_prefix("latency=") {
                let (fixed, jitter) = latency.split_once('+').unwrap_or((latency, "0"));
                FaultAction::Latency {
                    fixed: millis(fixed)?,
                    jitter: millis(jitter)?,
                }
            } else {
                return Err(format!(
                    "unknown action `{text}` (latency=MS[+MS], 503, 503:SECONDS, code=N, \
                     reset-before, reset-after, truncate)"
                ));
            }
        }
    })
}

impl fmt::Display for FaultPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "seed={}", self.seed)?;
        for rule in &self.rules {
            let trigger = match &rule.trigger {
                Trigger::Probability(p) => format!("p={p}"),
                Trigger::First(n) => format!("first={n}"),
            };
            let action = match &rule.action {
                FaultAction::Latency { fixed, jitter } => {
                    format!("latency={}+{}", fixed.as_millis(), jitter.as_millis())
                }
                FaultAction::Unavailable { retry_after: None } => "503".to_owned(),
                FaultAction::Unavailable {
                    retry_after: Some(s),
                } => format!("503:{s}"),
                FaultAction::ErrorCode(c) => format!("code={c}"),
                FaultAction::ResetBefore => "reset-before".to_owned(),
                FaultAction::ResetAfter => "reset-after".to_owned(),
                FaultAction::Truncate => "truncate".to_owned(),
            };
            let op = rule.operation.as_deref().unwrap_or("*");
            writeln!(f, "{op} {trigger} {action}")?;
        }
        Ok(())
    }
}

/// What to do with one call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Decision {
    /// How long to wait first.
    pub(crate) delay: Duration,
    /// The fault that replaces or follows processing, if one fired.
    pub(crate) fault: Option<FaultAction>,
}

/// The live rules: replaceable while the simulator runs.
#[derive(Debug)]
pub(crate) struct Faults {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    plan: FaultPlan,
    /// Calls each rule has matched.
    matched: Vec<u64>,
    /// SplitMix64 state.
    rng: u64,
}

impl Faults {
    pub(crate) fn new(plan: FaultPlan) -> Self {
        Faults {
            state: Mutex::new(State::of(plan)),
        }
    }

    /// Replaces the rules (and restarts the generator and the counts).
    pub(crate) fn replace(&self, plan: FaultPlan) {
        *self.lock() = State::of(plan);
    }

    pub(crate) fn plan(&self) -> FaultPlan {
        self.lock().plan.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What happens to a call of `operation`.
    pub(crate) fn decide(&self, operation: Option<&str>) -> Decision {
        let mut state = self.lock();
        if state.plan.rules.is_empty() {
            return Decision::default();
        }
        let mut decision = Decision::default();
        for i in 0..state.plan.rules.len() {
            let rule = &state.plan.rules[i];
            let matches = rule
                .operation
                .as_deref()
                .is_none_or(|op| Some(op) == operation);
            if !matches {
                continue;
            }
            let trigger = rule.trigger.clone();
            let action = rule.action.clone();
            state.matched[i] += 1;
            let fires = match trigger {
                Trigger::First(n) => state.matched[i] <= n,
                Trigger::Probability(p) => state.next_unit() < p,
            };
            if !fires {
                continue;
            }
            match action {
                FaultAction::Latency { fixed, jitter } => {
                    let extra = jitter.mul_f64(state.next_unit());
                    decision.delay += fixed + extra;
                }
                other => {
                    decision.fault = Some(other);
                    break;
                }
            }
        }
        decision
    }
}

impl State {
    fn of(plan: FaultPlan) -> State {
        State {
            matched: vec![0; plan.rules.len()],
            rng: plan.seed,
            plan,
        }
    }

    /// A number in `0..1` (SplitMix64).
    fn next_unit(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits, as a fraction.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_and_print_back() {
        let text = "seed=7\nUserAdd first=1 reset-after # lost\n* p=0.05 503:2; UserInfo p=1 latency=50+20\nUserList first=2 code=10302\n* p=0.1 truncate\n* p=0 reset-before\n* p=0 503";
        let plan: FaultPlan = text.parse().expect("reads");
        assert_eq!(plan.seed, 7);
        assert_eq!(plan.rules.len(), 7);
        assert_eq!(plan.to_string().parse::<FaultPlan>(), Ok(plan));
    }

    #[test]
    fn bad_rules_say_where() {
        for (text, line) in [
            ("UserAdd first=x reset-after", 1),
            ("\n* p=2 503", 2),
            ("* p=0.5", 1),
            ("* first=1 explode", 1),
            ("seed=minus", 1),
            ("* first=1000000001 503", 1),
            ("* p=NaN 503", 1),
            ("* p=-0.1 503", 1),
            ("* p=1 latency=3600001", 1),
            ("* p=1 latency=1+3600001", 1),
            ("* p=1 latency=4000000000", 1),
            ("* p=1 503:86401", 1),
            ("* p=1 code=4294967296", 1),
        ] {
            let err = text.parse::<FaultPlan>().expect_err(text);
            assert_eq!(err.line, line, "{text}: {err}");
        }
    }

    #[test]
    fn plans_are_bounded() {
        let many = "* p=0 503\n".repeat(MAX_RULES);
        assert_eq!(
            many.parse::<FaultPlan>().map(|p| p.rules.len()),
            Ok(MAX_RULES)
        );
        let err = format!("{many}* p=0 503")
            .parse::<FaultPlan>()
            .expect_err("too many");
        assert_eq!(err.line, MAX_RULES + 1);
        let plan: FaultPlan = "* p=1 latency=30000+10000\nUserAdd p=1 latency=20000"
            .parse()
            .expect("reads");
        assert_eq!(plan.check_within(Duration::from_secs(60)), Ok(()));
        let err = plan
            .check_within(Duration::from_secs(59))
            .expect_err("60 s of latency within 59 s");
        assert_eq!((err.most_ms, err.timeout_ms), (60_000, 59_000));
    }

    #[test]
    fn first_n_fires_on_the_first_matching_calls_only() {
        let faults = Faults::new("UserAdd first=2 reset-after".parse().expect("reads"));
        assert_eq!(faults.decide(Some("UserInfo")).fault, None);
        assert_eq!(
            faults.decide(Some("UserAdd")).fault,
            Some(FaultAction::ResetAfter)
        );
        assert_eq!(
            faults.decide(Some("UserAdd")).fault,
            Some(FaultAction::ResetAfter)
        );
        assert_eq!(faults.decide(Some("UserAdd")).fault, None);
    }

    #[test]
    fn probabilities_follow_the_seed() {
        let run = |seed: u64| {
            let faults = Faults::new(FaultPlan {
                seed,
                rules: vec![FaultRule {
                    operation: None,
                    trigger: Trigger::Probability(0.05),
                    action: FaultAction::ErrorCode(1),
                }],
            });
            (0..10_000)
                .map(|_| faults.decide(None).fault.is_some())
                .collect::<Vec<_>>()
        };
        let a = run(1);
        assert_eq!(a, run(1), "the same seed, the same faults");
        assert_ne!(a, run(2));
        let fired = a.iter().filter(|f| **f).count();
        assert!((400..600).contains(&fired), "about 5 %: {fired}");
    }

    #[test]
    fn latency_adds_up_and_the_first_other_fault_decides() {
        let faults = Faults::new(
            "* p=1 latency=10\n* p=1 latency=5\n* p=1 code=3\n* p=1 503"
                .parse()
                .expect("reads"),
        );
        let d = faults.decide(Some("X"));
        assert_eq!(d.delay, Duration::from_millis(15));
        assert_eq!(d.fault, Some(FaultAction::ErrorCode(3)));
        faults.replace(FaultPlan::default());
        assert_eq!(faults.decide(Some("X")), Decision::default());
    }
}
