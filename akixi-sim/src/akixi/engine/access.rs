//! Who calls and what they may do: the session, the signed-in account, its rights (the spec's
//! permission tokens) and its placement (what it may see), and the account's password.

use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::{Condition, OpKind, Password, Secret};

use super::input::Input;
use super::refs::{Place, covers};
use super::respond::{Ctx, Failure};
use super::state::Engine;
use crate::akixi::catalog::FamilyModel;
use crate::akixi::world::{Entity, Key, Session, World};

/// The signed-in account behind a session.
pub(super) struct Caller {
    /// Where it is placed: it sees only what sits there.
    pub(super) restrictions: Place,
    pub(super) nonce: Secret,
    /// The permission tokens it holds (its account-permissions list), which bound what it may
    /// grant.
    pub(super) held: Vec<Box<str>>,
}

/// The tokens of a comma-separated permission list.
fn tokens(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl Engine {
    /// The session a request names, marked used: missing-session without one, unknown-session
    /// for an unknown or expired one.
    pub(super) fn session<'w>(
        &self,
        world: &'w World,
        ctx: &Ctx<'_>,
    ) -> Result<(&'w str, &'w Session), Failure> {
        let id = ctx.session_id.ok_or_else(|| {
            Failure::new(
                Condition::MissingSession,
                format!("the request has no {}", grammar::SESSION_ID),
            )
        })?;
        world
            .sessions
            .get_key_value(id)
            .map(|(k, s)| (k.as_str(), s))
            .filter(|(_, s)| s.touched.idle() <= self.limits.idle)
            .map(|(k, s)| {
                s.touched.touch();
                (k, s)
            })
            .ok_or_else(|| {
                Failure::new(
                    Condition::UnknownSession,
                    "the SessionID names no live session (unknown, closed, or expired)",
                )
            })
    }

    /// The signed-in caller, allowed `kind` on `fam` (not-authenticated, permission-denied).
    pub(super) fn authorize(
        &self,
        world: &World,
        ctx: &Ctx<'_>,
        fam: &FamilyModel,
        kind: OpKind,
    ) -> Result<Caller, Failure> {
        let (_, session) = self.session(world, ctx)?;
        let not_authenticated = || {
            Failure::new(
                Condition::NotAuthenticated,
                "the session is not authenticated (or its account was deleted or locked out)",
            )
        };
        let accounts = self.catalog.accounts.ok_or_else(not_authenticated)?;
        let key = session.account.as_ref().ok_or_else(not_authenticated)?;
        let me = world
            .get(accounts, key)
            .filter(|e| e.account.as_ref().is_some_and(|a| !a.locked))
            .ok_or_else(not_authenticated)?;
        if let Some(bit) = fam.guard(kind)
            && !me.account.as_ref().is_some_and(|a| a.allows(bit))
        {
            let token = self
                .catalog
                .tokens
                .get(usize::from(bit))
                .map_or("?", String::as_str);
            return Err(Failure::of(
                Condition::PermissionDenied,
                fam.id,
                format!(
                    "`{key}` does not hold the {token} permission needed for {}",
                    ctx.operation
                ),
            ));
        }
        let account_family = self.catalog.family(accounts);
        let held = account_family
            .account
            .map(|model| {
                tokens(crate::akixi::world::value_of(&me.fields, model.permissions))
                    .map(Box::from)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Caller {
            restrictions: self.place(world, account_family, &me.fields),
            nonce: session.nonce.clone(),
            held,
        })
    }

    /// An account added or changed may gain only tokens the caller holds: `granted` is the
    /// account's permission list as it would be, `before` as it was (a change may keep tokens
    /// the caller lacks, but not add them). Refused with permission-denied, naming the tokens.
    pub(super) fn check_grants(
        &self,
        caller: &Caller,
        fam: &FamilyModel,
        granted: &[crate::akixi::catalog::Field],
        before: Option<&[crate::akixi::catalog::Field]>,
    ) -> Result<(), Failure> {
        let Some(model) = fam.account else {
            return Ok(());
        };
        let value_of = crate::akixi::world::value_of;
        let had: Vec<&str> = tokens(before.and_then(|b| value_of(b, model.permissions))).collect();
        let beyond: Vec<&str> = tokens(value_of(granted, model.permissions))
            .filter(|t| !had.contains(t) && !caller.held.iter().any(|h| &**h == *t))
            .collect();
        if beyond.is_empty() {
            return Ok(());
        }
        Err(Failure::of(
            Condition::PermissionDenied,
            fam.id,
            format!(
                "a caller may grant only permissions it holds; it does not hold {}",
                beyond.join(", ")
            ),
        ))
    }

    /// [`Self::authorize`] under a read lock, before the payload is read.
    pub(super) fn caller(
        &self,
        ctx: &Ctx<'_>,
        fam: &FamilyModel,
        kind: OpKind,
    ) -> Result<Caller, Failure> {
        self.authorize(&self.read(), ctx, fam, kind)
    }

    /// The entity `key` of `fam`, if the caller may see it (an invisible entity is an unknown
    /// one).
    pub(super) fn visible<'w>(
        &self,
        world: &'w World,
        caller: &Caller,
        fam: &FamilyModel,
        key: &Key,
    ) -> Result<&'w Entity, Failure> {
        world
            .get(fam.id, key)
            .filter(|e| {
                caller.restrictions.is_empty()
                    || covers(
                        &caller.restrictions,
                        &self.identity(world, fam, key, &e.fields),
                    )
            })
            .ok_or_else(|| {
                Failure::of(
                    Condition::UnknownEntity,
                    fam.id,
                    format!("no {} {key} is visible to this session", fam.name()),
                )
            })
    }

    /// The salted hash of the account password a request gives (protected with the session's
    /// `nonce`); `None` when it gives none or the family holds no accounts. Other secrets are
    /// checked to decrypt and then dropped: the simulator never stores them.
    pub(super) fn protect(
        &self,
        fam: &FamilyModel,
        nonce: &Secret,
        input: &Input,
    ) -> Result<Option<String>, Failure> {
        let mut hash = None;
        for (id, protected) in &input.secrets {
            let plain = self.cipher.decrypt(nonce, protected).map_err(|e| {
                Failure::of(
                    Condition::BadPropertyValue,
                    fam.id,
                    format!("{}: {e}", fam.path(*id)),
                )
            })?;
            if fam.account.is_some_and(|a| a.password == *id) {
                hash = Some(self.hash(&plain)?);
            }
        }
        Ok(hash)
    }

    pub(super) fn hash(&self, password: &Password) -> Result<String, Failure> {
        self.hasher
            .hash(password)
            .map_err(|e| Failure::new(Condition::InternalError, e.to_string()))
    }
}
