//! Password protection on the wire.
//!
//! The documentation says only that passwords are sent "AES-128 encrypted and Base-64 encoded"
//! and that the session's Nonce is used to protect them. The mode, key derivation, IV and
//! padding are inferred, and recorded as provisional rows of the spec's `binding` table
//! (`password-cipher`, `password-key`, `password-iv`, `password-padding`,
//! `password-encoding`); [`NonceCipher`] implements the scheme those rows name. A user who
//! knows better plugs in their own [`PasswordCipher`].
//!
//! **This is not transport security.** The key is the Nonce, which the server sends in the
//! clear in `CreateSession`'s answer. Over plain `http://`, anyone who sees the traffic reads
//! the Nonce and so every password (`Authenticate`'s and those of `UserAdd`/`UserChange`),
//! the SessionID of every request (enough to act as the signed-in user until the session
//! ends), and every property sent or returned. Only TLS (`https://`) protects any of it; the
//! client refuses plain HTTP beyond loopback unless `allow_http(true)` says the network is
//! trusted.

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::payload::{EncodeError, PasswordEncoder, PasswordScheme};
use crate::secret::{Password, Secret};

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// Why a password could not be protected or recovered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    /// The spec names a scheme this cipher does not implement.
    #[error("unsupported password scheme: {0}")]
    UnsupportedScheme(String),
    /// The Nonce is not 32 hexadecimal digits (16 bytes), so it cannot key AES-128.
    #[error("the session nonce is not 32 hexadecimal digits")]
    BadNonce,
    /// The wire value is not Base-64, or does not decrypt with this session's key.
    #[error("the protected password does not decrypt with this session's nonce")]
    BadCiphertext,
    /// The decrypted password is not UTF-8.
    #[error("the decrypted password is not UTF-8")]
    NotUtf8,
}

/// Protects passwords with a session's Nonce, and recovers them (for a server or simulator).
pub trait PasswordCipher: Send + Sync {
    /// The wire form of `password` in the session with `nonce`.
    fn encrypt(&self, nonce: &Secret, password: &Password) -> Result<String, CipherError>;
    /// The password behind the wire form `protected`.
    fn decrypt(&self, nonce: &Secret, protected: &str) -> Result<Password, CipherError>;
}

/// The scheme of the spec: AES-128-CBC, key = the Nonce hex-decoded, zero IV, PKCS#7, Base-64.
#[derive(Debug, Clone, Copy)]
pub struct NonceCipher {
    _checked: (),
}

impl NonceCipher {
    /// The cipher for `scheme`; refuses schemes it does not implement, so a spec correction
    /// that this code cannot follow fails loudly instead of sending garbage.
    pub fn new(scheme: &PasswordScheme) -> Result<Self, CipherError> {
        let expected = [
            ("password-cipher", scheme.cipher, "aes-128-cbc"),
            ("password-key", scheme.key, "nonce-hex"),
            ("password-iv", scheme.iv, "zero"),
            ("password-padding", scheme.padding, "pkcs7"),
            ("password-encoding", scheme.encoding, "base64"),
        ];
        for (key, got, want) in expected {
            if got != want {
                return Err(CipherError::UnsupportedScheme(format!(
                    "{key} = `{got}` (implemented: `{want}`)"
                )));
            }
        }
        Ok(NonceCipher { _checked: () })
    }

    fn key(nonce: &Secret) -> Result<[u8; 16], CipherError> {
        let mut key = [0u8; 16];
        hex::decode_to_slice(nonce.expose().trim(), &mut key).map_err(|_| CipherError::BadNonce)?;
        Ok(key)
    }
}

impl PasswordCipher for NonceCipher {
    fn encrypt(&self, nonce: &Secret, password: &Password) -> Result<String, CipherError> {
        let key = Self::key(nonce)?;
        let iv = [0u8; 16];
        let ct = Aes128CbcEnc::new(&key.into(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(password.expose().as_bytes());
        Ok(BASE64.encode(ct))
    }

    fn decrypt(&self, nonce: &Secret, protected: &str) -> Result<Password, CipherError> {
        let key = Self::key(nonce)?;
        let iv = [0u8; 16];
        let ct = BASE64
            .decode(protected.trim())
            .map_err(|_| CipherError::BadCiphertext)?;
        let pt = Aes128CbcDec::new(&key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(&ct)
            .map_err(|_| CipherError::BadCiphertext)?;
        String::from_utf8(pt)
            .map(Password::new)
            .map_err(|_| CipherError::NotUtf8)
    }
}

/// A [`PasswordEncoder`] for one session: a cipher and that session's Nonce.
pub struct SessionPasswords<'a> {
    /// The cipher.
    pub cipher: &'a dyn PasswordCipher,
    /// The session's Nonce.
    pub nonce: &'a Secret,
}

impl PasswordEncoder for SessionPasswords<'_> {
    fn encode_password(&self, password: &Password) -> Result<String, EncodeError> {
        self.cipher
            .encrypt(self.nonce, password)
            .map_err(|e| EncodeError::Password(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi_ws::client::AkixiWsService;
    use crate::akixi_ws::test_service::TestService;

    const PASSWORD_SCHEME: crate::akixi_ws::PasswordScheme = TestService::PASSWORD_SCHEME;

    fn cipher() -> NonceCipher {
        NonceCipher::new(&PASSWORD_SCHEME).expect("the spec's scheme is implemented")
    }

    #[test]
    fn round_trips_and_depends_on_the_nonce() {
        let n1 = Secret::new("20d5e39b41c7016d3ec9e647ccdbac1f");
        let n2 = Secret::new("00d5e39b41c7016d3ec9e647ccdbac1f");
        let pw = Password::new("correct horse battery staple ✓");
        let wire = cipher().encrypt(&n1, &pw).expect("encrypt");
        assert_eq!(BASE64.decode(&wire).expect("base64").len() % 16, 0);
        assert_eq!(cipher().decrypt(&n1, &wire).expect("decrypt"), pw);
        assert!(
            cipher()
                .decrypt(&n2, &wire)
                .map(|p| p != pw)
                .unwrap_or(true)
        );
    }

    #[test]
    fn short_passwords_take_one_block_like_the_documented_example() {
        // The REST documentation's example value decodes to 16 bytes: one block, no IV prefix.
        let n = Secret::new("20d5e39b41c7016d3ec9e647ccdbac1f");
        let wire = cipher()
            .encrypt(&n, &Password::new("Secret123"))
            .expect("encrypt");
        assert_eq!(BASE64.decode(&wire).expect("base64").len(), 16);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let n = Secret::new("20d5e39b41c7016d3ec9e647ccdbac1f");
        assert_eq!(
            cipher().encrypt(&Secret::new("xyz"), &Password::new("a")),
            Err(CipherError::BadNonce)
        );
        assert_eq!(
            cipher().decrypt(&n, "not base64!").err(),
            Some(CipherError::BadCiphertext)
        );
        assert_eq!(
            cipher().decrypt(&n, "AAAA").err(),
            Some(CipherError::BadCiphertext)
        );
        let other = PasswordScheme {
            cipher: "aes-128-ecb",
            ..PASSWORD_SCHEME
        };
        assert!(matches!(
            NonceCipher::new(&other),
            Err(CipherError::UnsupportedScheme(_))
        ));
    }
}
