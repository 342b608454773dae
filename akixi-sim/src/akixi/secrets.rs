//! Password hashes (Argon2id), random tokens, and what bounds password checks: the gate that
//! lets only a few Argon2 computations run at once (each in a block buffer that is reused, so
//! a storm of sign-ins cannot grow memory). The throttle that slows password guessing is
//! [`super::throttle`].

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use akixi_client::runtime::akixi_ws::{Password, Secret};

/// How much work a stored password hash costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HashCost {
    /// Argon2id with its recommended parameters (19 MiB, 2 passes): what a real service
    /// would use.
    #[default]
    Standard,
    /// Argon2id with the smallest parameters it allows (8 KiB, 1 pass): for tests and
    /// benchmarks that create many users. Never for credentials that matter.
    Minimal,
}

/// Randomness or hashing failed (the operating system's random source, typically).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(String);

/// Too many password checks are running and waiting: the request was shed unchecked (answer
/// "try again later").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Busy;

/// The largest memory cost (KiB) of a stored hash this simulator verifies (256 MiB): a hash
/// asking for more is refused rather than allowed to allocate it.
const MAX_M_COST_KIB: u32 = 256 * 1024;

/// Argon2 computations allowed at once by default: the cores, at most 4 (at the standard cost
/// each holds 19 MiB while it runs).
fn default_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
}

/// At most `slots` Argon2 computations at once, each in one of `slots` block buffers that are
/// kept and reused (so memory is `slots` × the memory cost, whatever the load, and the
/// allocator is not asked for a fresh 19 MiB per check); beyond, at most `queue` verifications
/// wait, and the rest are shed ([`Busy`]).
#[derive(Debug)]
struct Gate {
    slots: usize,
    queue: usize,
    state: Mutex<GateState>,
    freed: Condvar,
    /// The most computations ever in flight at once.
    peak: AtomicUsize,
    /// Verifications shed because the queue was full.
    shed: AtomicU64,
}

#[derive(Debug, Default)]
struct GateState {
    in_flight: usize,
    waiting: usize,
    /// Buffers of computations that finished, for the next ones.
    buffers: Vec<Vec<Block>>,
}

/// A place in the gate, with its block buffer; leaving frees the place.
struct Pass<'g> {
    gate: &'g Gate,
    blocks: Vec<Block>,
}

impl Gate {
    fn new(slots: usize, queue: usize) -> Gate {
        Gate {
            slots: slots.max(1),
            queue,
            state: Mutex::default(),
            freed: Condvar::new(),
            peak: AtomicUsize::new(0),
            shed: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a place; with `shed`, gives up at once when `queue` others already wait.
    fn enter(&self, shed: bool) -> Result<Pass<'_>, Busy> {
        let mut state = self.lock();
        if state.in_flight >= self.slots {
            if shed && state.waiting >= self.queue {
                self.shed.fetch_add(1, Ordering::Relaxed);
                return Err(Busy);
            }
            state.waiting += 1;
            while state.in_flight >= self.slots {
                state = self
                    .freed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            state.waiting -= 1;
        }
        state.in_flight += 1;
        self.peak.fetch_max(state.in_flight, Ordering::Relaxed);
        let blocks = state.buffers.pop().unwrap_or_default();
        Ok(Pass { gate: self, blocks })
    }
}

impl Pass<'_> {
    /// The buffer, at least `count` blocks long (grown once, then reused).
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.blocks.len() < count {
            self.blocks.resize(count, Block::default());
        }
        &mut self.blocks
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.buffers.push(std::mem::take(&mut self.blocks));
        drop(state);
        self.gate.freed.notify_one();
    }
}

/// Hashes and checks passwords. Hashes are PHC strings that carry their own parameters, so a
/// state file written at one cost still verifies at another. Every computation passes the
/// gate: at most a few run at once, in reused buffers.
#[derive(Debug)]
pub(crate) struct Hasher {
    argon2: Argon2<'static>,
    gate: Gate,
    /// Verifications so far: what a sign-in cost, for [`crate::SimulatorHandle::stats`].
    verifications: AtomicU64,
}

impl Hasher {
    pub(crate) fn new(cost: HashCost) -> Result<Self, SecretError> {
        let params = match cost {
            HashCost::Standard => Params::default(),
            HashCost::Minimal => Params::new(Params::MIN_M_COST, 1, 1, None)
                .map_err(|e| SecretError(format!("argon2 parameters: {e}")))?,
        };
        let slots = default_slots();
        Ok(Self {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            gate: Gate::new(slots, 4 * slots),
            verifications: AtomicU64::new(0),
        })
    }

    /// Lets at most `slots` computations run at once (0: the cores, at most 4) and `queue`
    /// verifications wait beyond them (0: four per slot); the rest are shed.
    pub(crate) fn bound(&mut self, slots: usize, queue: usize) {
        let slots = if slots == 0 { default_slots() } else { slots };
        let queue = if queue == 0 { 4 * slots } else { queue };
        self.gate = Gate::new(slots, queue);
    }

    /// A salted hash of `password` (waits for a place in the gate, never shed: only signed-in
    /// callers and the start-up hash passwords).
    pub(crate) fn hash(&self, password: &Password) -> Result<String, SecretError> {
        let mut salt = [0u8; 16];
        fill(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| SecretError(e.to_string()))?;
        let mut raw_salt = [0u8; 64];
        let raw_salt = salt
            .decode_b64(&mut raw_salt)
            .map_err(|e| SecretError(e.to_string()))?;
        let params = self.argon2.params();
        let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
        {
            let mut pass = self.gate.enter(false).map_err(|Busy| {
                SecretError("the password hashing gate refused a hash".to_owned())
            })?;
            self.argon2
                .hash_password_into_with_memory(
                    password.expose().as_bytes(),
                    raw_salt,
                    &mut out,
                    pass.blocks(params.block_count()),
                )
                .map_err(|e| SecretError(format!("hashing a password: {e}")))?;
        }
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(params).map_err(|e| SecretError(e.to_string()))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|e| SecretError(e.to_string()))?),
        };
        Ok(phc.to_string())
    }

    /// How many verifications have run.
    pub(crate) fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// The most Argon2 computations (verifications and hashes) that ran at once.
    #[allow(dead_code)] // For `Stats`, once it shows it.
    pub(crate) fn peak_in_flight(&self) -> usize {
        self.gate.peak.load(Ordering::Relaxed)
    }

    /// Verifications shed unchecked because too many were running and waiting.
    #[allow(dead_code)] // For `Stats`, once it shows it.
    pub(crate) fn shed(&self) -> u64 {
        self.gate.shed.load(Ordering::Relaxed)
    }

    /// Whether `password` matches the stored hash `phc` (waits for a place in the gate).
    #[cfg(test)]
    pub(crate) fn verify(&self, phc: &str, password: &Password) -> bool {
        self.check(phc, password, false).unwrap_or(false)
    }

    /// Whether `password` matches the stored hash `phc`, or [`Busy`] when too many checks
    /// are running and waiting (then nothing was checked).
    pub(crate) fn try_verify(&self, phc: &str, password: &Password) -> Result<bool, Busy> {
        self.check(phc, password, true)
    }

    fn check(&self, phc: &str, password: &Password, shed: bool) -> Result<bool, Busy> {
        let mut pass = self.gate.enter(shed)?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        Ok(verify_in(phc, password, &mut pass))
    }
}

/// Checks `password` against the PHC string `phc` in the pass's buffer; any unreadable hash,
/// or one asking for more than [`MAX_M_COST_KIB`], does not match.
fn verify_in(phc: &str, password: &Password, pass: &mut Pass<'_>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    if params.m_cost() > MAX_M_COST_KIB {
        return false;
    }
    let mut raw_salt = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let mut out = [0u8; Output::MAX_LENGTH];
    let Some(out) = out.get_mut(..expected.len()) else {
        return false;
    };
    let blocks = pass.blocks(params.block_count());
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.expose().as_bytes(), raw_salt, &mut *out, blocks)
        .is_ok()
        // `Output`'s comparison takes constant time.
        && Output::new(out).is_ok_and(|computed| computed == expected)
}

fn fill(buf: &mut [u8]) -> Result<(), SecretError> {
    getrandom::fill(buf).map_err(|e| SecretError(format!("random source: {e}")))
}

/// 16 random bytes as 32 hexadecimal digits.
fn token(upper: bool) -> Result<Secret, SecretError> {
    let mut bytes = [0u8; 16];
    fill(&mut bytes)?;
    let text = bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect::<String>();
    Ok(Secret::new(text))
}

/// A new SessionID: 32 upper-case hexadecimal digits, like the documented examples.
pub(crate) fn session_id() -> Result<Secret, SecretError> {
    token(true)
}

/// A new Nonce: 32 lower-case hexadecimal digits (16 bytes, an AES-128 key).
pub(crate) fn nonce() -> Result<Secret, SecretError> {
    token(false)
}

/// A new identifier for an entity whose key the service assigns: 32 lower-case hexadecimal
/// digits.
pub(crate) fn identifier() -> Result<String, SecretError> {
    token(false).map(|t| t.expose().to_owned())
}

/// A new password of 20 letters and digits, for an administrator nobody named one for.
pub(crate) fn password() -> Result<Password, SecretError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        let mut bytes = [0u8; 32];
        fill(&mut bytes)?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        for b in bytes.iter().map(|&b| usize::from(b)).filter(|&b| b < limit) {
            if out.len() == 20 {
                break;
            }
            out.push(char::from(ALPHABET[b % ALPHABET.len()]));
        }
    }
    Ok(Password::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_documented_shapes() {
        let id = session_id().expect("id");
        assert_eq!(id.expose().len(), 32);
        assert!(
            id.expose()
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        let n = nonce().expect("nonce");
        assert_eq!(n.expose().len(), 32);
        assert!(
            n.expose()
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        );
        assert_ne!(session_id().expect("id"), id);
        assert_eq!(password().expect("password").expose().len(), 20);
    }

    #[test]
    fn hashes_verify_across_costs_and_are_salted() {
        let minimal = Hasher::new(HashCost::Minimal).expect("hasher");
        let pw = Password::new("correct horse");
        let h1 = minimal.hash(&pw).expect("hash");
        let h2 = minimal.hash(&pw).expect("hash");
        assert_ne!(h1, h2);
        assert!(!h1.contains("correct"));
        let standard = Hasher::new(HashCost::Standard).expect("hasher");
        assert!(standard.verify(&h1, &pw));
        assert!(!minimal.verify(&h1, &Password::new("wrong")));
        assert!(!minimal.verify("not a hash", &pw));
    }

    #[test]
    fn hashes_made_in_reused_buffers_are_standard_phc_strings() {
        use argon2::password_hash::PasswordVerifier as _;
        let hasher = Hasher::new(HashCost::Minimal).expect("hasher");
        let pw = Password::new("correct horse");
        let phc = hasher.hash(&pw).expect("hash");
        let parsed = PasswordHash::new(&phc).expect("a PHC string");
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", &parsed)
                .is_ok(),
            "argon2's own verifier accepts it"
        );
        let theirs = {
            use argon2::password_hash::PasswordHasher as _;
            let salt = SaltString::encode_b64(&[7u8; 16]).expect("salt");
            Argon2::default()
                .hash_password(b"correct horse", &salt)
                .expect("hash")
                .to_string()
        };
        assert!(hasher.verify(&theirs, &pw), "and ours accepts argon2's");
        assert!(!hasher.verify(&theirs, &Password::new("wrong")));
    }

    #[test]
    fn at_most_the_slots_run_at_once_and_a_full_queue_sheds() {
        let mut hasher = Hasher::new(HashCost::Standard).expect("hasher");
        hasher.bound(2, 3);
        let decoy = Hasher::new(HashCost::Minimal)
            .expect("hasher")
            .hash(&Password::new("x"))
            .expect("hash");
        // A standard-cost hash takes long enough that 16 threads started together overlap.
        let standard = hasher.hash(&Password::new("x")).expect("hash");
        let outcomes: Vec<Result<bool, Busy>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|_| s.spawn(|| hasher.try_verify(&standard, &Password::new("y"))))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("joins"))
                .collect()
        });
        assert!(hasher.peak_in_flight() <= 2, "{}", hasher.peak_in_flight());
        let shed = outcomes.iter().filter(|o| o.is_err()).count();
        assert_eq!(u64::try_from(shed).ok(), Some(hasher.shed()));
        assert_eq!(
            hasher.verifications(),
            16 - hasher.shed(),
            "a shed check runs nothing"
        );
        assert!(outcomes.iter().all(|o| *o != Ok(true)));
        assert!(
            hasher.verify(&decoy, &Password::new("x")),
            "a cheaper hash verifies too"
        );
    }
}
