//! An Akixi sign-in's password check, between the throttle and the gate: the throttle
//! ([`Throttle`](crate::akixi::throttle::Throttle)) counts the attempt before anything is
//! checked and may refuse it unchecked, delay it for its account's rate, or ask it to try again
//! later; the check then waits for a place among the few Argon2 computations allowed at once
//! (or is shed, "try again later"); its verdict settles the count. The rules are in the
//! crate's README ("Sign-in throttling and sessions").

use std::net::IpAddr;
use std::time::Instant;

use akixi_client::akixi_ws::Extra;
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::runtime::akixi_ws::{Condition, Password, Secret};

use super::state::Engine;
use crate::akixi::secrets::{self, Busy};
use crate::akixi::throttle::{Admission, Refusal};
use crate::akixi::world::Key;

pub use crate::akixi::throttle::SignInBackoff;

/// The condition of a "try again later" answer: the server is too busy checking passwords, or
/// the account's rate is spent (the spec's `busy`, provisional: the documentation has no such
/// condition; its code's documented resolution is to try again later).
pub(super) const BUSY: Condition = Condition::Busy;

/// What a sign-in attempt came to.
pub(super) enum Verdict {
    /// The password is the account's.
    Account(Key),
    /// Refused (checked or not): the attempt failed, with why.
    Refused(String),
    /// Not checked: try again later, with why.
    Busy(&'static str),
}

impl Engine {
    /// Checks a sign-in's credentials (the payload's, its password protected with `nonce`)
    /// from `peer`, as the throttle allows.
    pub(super) fn sign_in(
        &self,
        payload: Option<&Extra>,
        nonce: &Secret,
        peer: Option<IpAddr>,
    ) -> Verdict {
        let claimed = self
            .catalog
            .session
            .and_then(|roles| payload.and_then(|p| property_at(p, roles.username)))
            .map_or("", str::trim);
        let ticket = match self.sign_in.admit(claimed, peer, Instant::now()) {
            Admission::Check(ticket) => ticket,
            // Refused unchecked: a guesser learns nothing while it waits.
            Admission::Refused(Refusal::Wait(wait)) => {
                return Verdict::Refused(format!(
                    "too many failed sign-ins for this user from this address, or from this \
                     address; try again in {} s",
                    wait.as_secs().max(1)
                ));
            }
            Admission::Refused(Refusal::Unfamiliar) => {
                return Verdict::Refused(
                    "too many failed sign-ins for this user in a row; until an administrator \
                     sets its password, it signs in only from an address it signed in from \
                     before"
                        .to_owned(),
                );
            }
            Admission::Busy => {
                return Verdict::Busy(
                    "too many sign-ins for this user at the moment; try again in a few seconds",
                );
            }
        };
        if !ticket.delay().is_zero() {
            tracing::debug!(
                delay_ms = ticket.delay().as_millis(),
                "sign-in delayed for its account's rate"
            );
            std::thread::sleep(ticket.delay());
        }
        match self.check_credentials(payload, nonce) {
            Ok(Some(key)) => {
                ticket.succeeded();
                Verdict::Account(key)
            }
            Ok(None) => {
                ticket.failed();
                Verdict::Refused(
                    "wrong user name or password (or the account is locked out)".to_owned(),
                )
            }
            // The ticket, dropped unsettled, uncounts the attempt.
            Err(Busy) => {
                tracing::warn!("password checks shed: too many running and waiting");
                Verdict::Busy("the server is busy checking passwords; try again in a moment")
            }
        }
    }

    /// The account's key, if the request's password (protected with `nonce`) is its own. Every
    /// refusal after the payload is read costs one password verification, whether the user is
    /// unknown, locked out, without a password, or the password wrong, so that the time taken
    /// does not tell which. [`Busy`] when the check was shed.
    fn check_credentials(
        &self,
        payload: Option<&Extra>,
        nonce: &Secret,
    ) -> Result<Option<Key>, Busy> {
        let Some(roles) = self.catalog.session else {
            return Ok(None);
        };
        let Some(payload) = payload else {
            return Ok(None);
        };
        let (Some(username), Some(protected)) = (
            property_at(payload, roles.username),
            property_at(payload, roles.password),
        ) else {
            return Ok(None);
        };
        let (Some(family), Some(key)) = (self.catalog.accounts, self.account_key(username)) else {
            return Ok(None);
        };
        let hash = {
            let world = self.read();
            world
                .get(family, &key)
                .and_then(|e| e.account.as_ref())
                .filter(|a| !a.locked)
                .and_then(|a| a.password_hash.clone())
        };
        let password = self.cipher.decrypt(nonce, protected).ok();
        // Hashing is slow on purpose: done outside the lock, in the gate.
        match (hash, password) {
            (Some(hash), Some(password)) => {
                Ok(self.hasher.try_verify(&hash, &password)?.then_some(key))
            }
            (_, password) => {
                let decoy = self
                    .decoy_hash
                    .get_or_init(|| secrets::password().and_then(|p| self.hasher.hash(&p)).ok());
                if let Some(decoy) = decoy {
                    let attempt = password.unwrap_or_else(|| Password::new(""));
                    self.hasher.try_verify(decoy, &attempt)?;
                }
                Ok(None)
            }
        }
    }
}

/// The property at `path` (`Name`, or `Container.Name`) of a payload.
pub(super) fn property_at<'p>(payload: &'p Extra, path: &str) -> Option<&'p str> {
    match path.split_once('.') {
        Some((container, name)) => payload.container(container)?.property(name),
        None => payload.property(path),
    }
}
