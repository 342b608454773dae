//! Password hashes (Argon2id) and random tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

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

/// Hashes and checks passwords. Hashes are PHC strings that carry their own parameters, so a
/// state file written at one cost still verifies at another.
#[derive(Debug)]
pub(crate) struct Hasher {
    argon2: Argon2<'static>,
    /// Verifications so far: what a sign-in cost, for [`crate::SimulatorHandle::stats`].
    verifications: std::sync::atomic::AtomicU64,
}

impl Hasher {
    pub(crate) fn new(cost: HashCost) -> Result<Self, SecretError> {
        let params = match cost {
            HashCost::Standard => Params::default(),
            HashCost::Minimal => Params::new(Params::MIN_M_COST, 1, 1, None)
                .map_err(|e| SecretError(format!("argon2 parameters: {e}")))?,
        };
        Ok(Self {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            verifications: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// A salted hash of `password`.
    pub(crate) fn hash(&self, password: &Password) -> Result<String, SecretError> {
        let mut salt = [0u8; 16];
        fill(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| SecretError(e.to_string()))?;
        self.argon2
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| SecretError(format!("hashing a password: {e}")))
    }

    /// How many verifications have run.
    pub(crate) fn verifications(&self) -> u64 {
        self.verifications
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether `password` matches the stored hash `phc`.
    pub(crate) fn verify(&self, phc: &str, password: &Password) -> bool {
        self.verifications
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        PasswordHash::new(phc).is_ok_and(|hash| {
            self.argon2
                .verify_password(password.expose().as_bytes(), &hash)
                .is_ok()
        })
    }
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
}
