//! Who calls and what they may do: the session, the signed-in account, its rights (the spec's
//! permission tokens) and its placement (what it may see), and the account's password.

use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::{Condition, OpKind, Password, Secret};

use super::input::Input;
use super::refs::{Place, covers};
use super::respond::{Ctx, Failure};
use super::state::Engine;
use crate::akixi::catalog::{FamilyModel, Field, RightsModel};
use crate::akixi::world::{Entity, Key, Session, World, value_of};

/// The signed-in account behind a session.
pub(super) struct Caller {
    /// Where it is placed: it sees only what sits there.
    pub(super) restrictions: Place,
    pub(super) nonce: Secret,
    /// Its own key (an account may always change its own password).
    pub(super) account: Key,
    /// The session it calls with.
    pub(super) session_id: Box<str>,
    /// The rights it holds, which bound what it may grant and whom it may change.
    pub(super) rights: Held,
}

/// The rights one account holds, as its family's [`RightsModel`] names them.
#[derive(Debug, Default)]
pub(super) struct Held {
    /// The tokens of each grant list, in the model's order.
    tokens: Vec<Vec<Box<str>>>,
    /// Whether each flag is `True`, in the model's order.
    flags: Vec<bool>,
    /// The rank of each tier, in the model's order (0: the weakest, or none).
    tiers: Vec<usize>,
}

impl Held {
    /// The rights `fields` hold.
    pub(super) fn of(rights: &RightsModel, fields: &[Field], truth: &str) -> Held {
        Held {
            tokens: rights
                .grants
                .iter()
                .map(|id| tokens(value_of(fields, *id)).map(Box::from).collect())
                .collect(),
            flags: rights
                .flags
                .iter()
                .map(|id| value_of(fields, *id) == Some(truth))
                .collect(),
            tiers: rights
                .tiers
                .iter()
                .map(|(id, tier)| value_of(fields, *id).map_or(0, |v| tier.rank(v)))
                .collect(),
        }
    }

    /// What `self` holds that `other` does not, as `Path: what` descriptions (empty when
    /// `other` holds at least as much).
    fn beyond(&self, other: &Held, rights: &RightsModel, fam: &FamilyModel) -> Vec<String> {
        let mut out = Vec::new();
        for ((mine, theirs), id) in self.tokens.iter().zip(&other.tokens).zip(&rights.grants) {
            let missing: Vec<&str> = mine
                .iter()
                .filter(|t| !theirs.contains(t))
                .map(|t| &**t)
                .collect();
            if !missing.is_empty() {
                out.push(format!("{} {}", fam.path(*id), missing.join(", ")));
            }
        }
        for ((mine, theirs), id) in self.flags.iter().zip(&other.flags).zip(&rights.flags) {
            if *mine && !*theirs {
                out.push(format!("{} = True", fam.path(*id)));
            }
        }
        for ((mine, theirs), (id, tier)) in self.tiers.iter().zip(&other.tiers).zip(&rights.tiers) {
            if mine > theirs {
                let name = tier.order.get(*mine).copied().unwrap_or("?");
                out.push(format!("{} {name}", fam.path(*id)));
            }
        }
        out
    }

    /// What `self` holds beyond both `caller` and `before` (what an account added or changed
    /// would gain that the caller cannot give).
    fn gained(
        &self,
        caller: &Held,
        before: Option<&Held>,
        rights: &RightsModel,
        fam: &FamilyModel,
    ) -> Vec<String> {
        let kept = |list: usize, token: &str| {
            before.is_some_and(|b| {
                b.tokens
                    .get(list)
                    .is_some_and(|l| l.iter().any(|t| &**t == token))
            })
        };
        let mut out = Vec::new();
        for (i, (mine, id)) in self.tokens.iter().zip(&rights.grants).enumerate() {
            let theirs = caller.tokens.get(i);
            let new: Vec<&str> = mine
                .iter()
                .filter(|t| !kept(i, t) && !theirs.is_some_and(|l| l.contains(t)))
                .map(|t| &**t)
                .collect();
            if !new.is_empty() {
                out.push(format!("{} {}", fam.path(*id), new.join(", ")));
            }
        }
        for (i, (mine, id)) in self.flags.iter().zip(&rights.flags).enumerate() {
            let had = before.is_some_and(|b| b.flags.get(i) == Some(&true));
            if *mine && !had && caller.flags.get(i) != Some(&true) {
                out.push(format!("{} = True", fam.path(*id)));
            }
        }
        for (i, (mine, (id, tier))) in self.tiers.iter().zip(&rights.tiers).enumerate() {
            let had = before.and_then(|b| b.tiers.get(i)).copied().unwrap_or(0);
            let can = caller.tiers.get(i).copied().unwrap_or(0);
            if *mine > had && *mine > can {
                let name = tier.order.get(*mine).copied().unwrap_or("?");
                out.push(format!("{} {name}", fam.path(*id)));
            }
        }
        out
    }

    /// Whether `self` lacks something `before` held (a demotion).
    pub(super) fn lost(&self, before: &Held) -> bool {
        before
            .tokens
            .iter()
            .zip(&self.tokens)
            .any(|(b, a)| b.iter().any(|t| !a.contains(t)))
            || before.flags.iter().zip(&self.flags).any(|(b, a)| *b && !*a)
            || before.tiers.iter().zip(&self.tiers).any(|(b, a)| a < b)
    }
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
        let (session_id, session) = self.session(world, ctx)?;
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
        Ok(Caller {
            restrictions: self.place(world, account_family, &me.fields),
            nonce: session.nonce.clone(),
            account: key.clone(),
            session_id: Box::from(session_id),
            rights: self.held(account_family, &me.fields),
        })
    }

    /// The rights `fields` of an account of `fam` hold.
    pub(super) fn held(&self, fam: &FamilyModel, fields: &[Field]) -> Held {
        Held::of(&fam.rights, fields, self.catalog.svc.boolean_words.0)
    }

    /// Changing, locking, demoting, deleting or setting the password of another account needs
    /// the caller to hold at least everything that account holds: every token of every grant
    /// list, every flag, a tier at least as high. (A scope at least as wide follows from the
    /// account being visible: the caller's placement covers it.) An account may always change
    /// itself, within what [`Self::check_grants`] allows. Refused with permission-denied,
    /// naming what the caller lacks.
    pub(super) fn check_dominates(
        &self,
        caller: &Caller,
        fam: &FamilyModel,
        key: &Key,
        target: &[Field],
    ) -> Result<(), Failure> {
        if fam.account.is_none() || *key == caller.account {
            return Ok(());
        }
        let lacks = self
            .held(fam, target)
            .beyond(&caller.rights, &fam.rights, fam);
        if lacks.is_empty() {
            return Ok(());
        }
        Err(Failure::of(
            Condition::PermissionDenied,
            fam.id,
            format!(
                "{} {key} holds rights this session's account lacks ({}); only an account holding \
                 at least as much may change or delete it",
                fam.name(),
                lacks.join("; ")
            ),
        ))
    }

    /// An account added or changed may gain only rights the caller holds: `granted` is the
    /// account as it would be, `before` as it was (a change may keep rights the caller lacks,
    /// but not add them). Every grant list, flag and tier counts, for the caller's own account
    /// too. Refused with permission-denied, naming what it may not grant.
    pub(super) fn check_grants(
        &self,
        caller: &Caller,
        fam: &FamilyModel,
        granted: &[Field],
        before: Option<&[Field]>,
    ) -> Result<(), Failure> {
        if fam.account.is_none() {
            return Ok(());
        }
        let before = before.map(|b| self.held(fam, b));
        let beyond =
            self.held(fam, granted)
                .gained(&caller.rights, before.as_ref(), &fam.rights, fam);
        if beyond.is_empty() {
            return Ok(());
        }
        Err(Failure::of(
            Condition::PermissionDenied,
            fam.id,
            format!(
                "a caller may grant only rights it holds; it does not hold {}",
                beyond.join("; ")
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
