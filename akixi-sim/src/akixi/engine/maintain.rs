//! What the simulator does to its state outside requests: storing seeded entities, the
//! administrator's account and password, and sessions that exist from the start.

use akixi_client::runtime::akixi_ws::{Secret, ValueKind};

use super::state::Engine;
use crate::akixi::world::{Account, Entity, Key, KeyPart, Session, World, key_of};
use crate::store::{Store, StoreError, Write};

/// A property as a seed gives it: `(container, name, wire text)`.
pub(crate) type Property = (Option<String>, String, String);

impl Engine {
    /// Stores an entity of `family` with `properties` in `world` (not yet in the store).
    pub(crate) fn seed_entity(
        &self,
        world: &mut World,
        family: &str,
        properties: &[Property],
        password_hash: Option<&str>,
    ) -> Result<(), String> {
        let fam = self
            .catalog
            .family_named(family)
            .ok_or_else(|| format!("the spec has no family {family}"))?;
        let mut fields = Vec::with_capacity(properties.len());
        for (container, name, value) in properties {
            let id = fam
                .id(container.as_deref(), name)
                .ok_or_else(|| format!("family {family} has no property {name}"))?;
            let value = self
                .canonical(fam.prop(id), value)
                .map_err(|e| format!("{}: {e}", fam.path(id)))?;
            fields.push((id, value.into_boxed_str()));
        }
        let key = key_of(fam, &fields)
            .ok_or_else(|| format!("a seeded {family} lacks its key properties"))?;
        let entity = Entity {
            account: Account::of(&self.catalog, fam, &fields, password_hash.map(Box::from))
                .map(Box::new),
            fields: fields.into_boxed_slice(),
        };
        world.table_mut(fam.id).insert(key, entity);
        Ok(())
    }

    /// The administrator of a service without demo data: an account named `username` holding
    /// every permission token its permissions property lists.
    pub(crate) fn minimal_admin(&self, username: &str) -> Option<(&'static str, Vec<Property>)> {
        let fam = self.catalog.family(self.catalog.accounts?);
        let account = fam.account?;
        let key = fam.prop(*fam.keys.first()?);
        let permissions = fam.prop(account.permissions);
        Some((
            fam.name(),
            vec![
                (
                    key.container.map(str::to_owned),
                    key.name.to_owned(),
                    username.to_owned(),
                ),
                (
                    permissions.container.map(str::to_owned),
                    permissions.name.to_owned(),
                    permissions.values.join(","),
                ),
            ],
        ))
    }

    /// The account key `username` names.
    pub(crate) fn account_key(&self, username: &str) -> Option<Key> {
        let fam = self.catalog.family(self.catalog.accounts?);
        let kind = fam
            .keys
            .first()
            .map_or(ValueKind::String, |k| fam.prop(*k).kind);
        Some(Key::One(KeyPart::of(kind, username.trim())))
    }

    /// Gives the account `username` the password `hash`, creating it from `fallback` (a seed's
    /// properties) if the state has no such account.
    pub(crate) fn set_account_password(
        &self,
        world: &mut World,
        store: &mut Store,
        username: &str,
        hash: &str,
        fallback: (&str, &[Property]),
    ) -> Result<(), String> {
        let accounts = self
            .catalog
            .accounts
            .ok_or_else(|| "the service has no accounts".to_owned())?;
        let key = self
            .account_key(username)
            .ok_or_else(|| "the service has no accounts".to_owned())?;
        if world.get(accounts, &key).is_none() {
            self.seed_entity(world, fallback.0, fallback.1, Some(hash))?;
        }
        let fam = self.catalog.family(accounts);
        let Some(entity) = world.table_mut(accounts).get_mut(&key) else {
            return Err(format!("no account {key} after creating it"));
        };
        if let Some(account) = entity.account.as_mut() {
            account.password_hash = Some(Box::from(hash));
        }
        store
            .apply(&[Write::Put {
                family: fam,
                key: &key,
                entity,
            }])
            .map_err(|e: StoreError| e.to_string())
    }

    /// A session that exists, signed in as `username`, from the start.
    pub(crate) fn preset_session(
        &self,
        world: &mut World,
        store: &mut Store,
        id: &Secret,
        nonce: &Secret,
        username: &str,
    ) -> Result<(), String> {
        let key = self
            .account_key(username)
            .filter(|k| {
                self.catalog
                    .accounts
                    .is_some_and(|a| world.get(a, k).is_some())
            })
            .ok_or_else(|| format!("a preset session's user `{username}` does not exist"))?;
        let session = Session::new(nonce.clone(), Some(key));
        store
            .apply(&[Write::Session {
                id: id.expose(),
                session: &session,
            }])
            .map_err(|e| e.to_string())?;
        world.sessions.insert(id.expose().to_owned(), session);
        Ok(())
    }
}
