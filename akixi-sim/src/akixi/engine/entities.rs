//! The entity operations, once for every family: add, change, delete, info and list. What
//! each takes, returns and refuses comes from the catalog (the spec's operations, usage,
//! references and family tables); nothing here names a family or an operation.
//!
//! Checks run in a fixed order, the first that fails answering: the session and the caller's
//! rights, the payload's values and keys, the entity (unknown or duplicate), the entities it
//! references, the caller's placement, and last the platform's support of the properties.

use akixi_client::akixi_ws::{ResponseWriter, ResultKind};
use akixi_client::runtime::akixi_ws::{Condition, OpKind, OperationInfo, ValueKind};

use super::access::Caller;
use super::input::Input;
use super::refs::{Place, RefScope, compatible, covers};
use super::respond::{Ctx, Failure, Outcome, success};
use super::state::Engine;
use crate::akixi::catalog::{Catalog, FamilyModel, Field, PropId, storable};
use crate::akixi::secrets;
use crate::akixi::world::{Account, Entity, Key, KeyPart, World, key_of, value_of};
use crate::store::Write;

impl Engine {
    pub(super) fn add(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        let nonce = self.caller(ctx, fam, OpKind::Add)?.nonce;
        let input = self.read_input(fam, op, ctx.payload)?;
        let password_hash = self.protect(fam, &nonce, &input)?;
        self.note_ignored(ctx.operation, ctx.invoke_id, &input.ignored);
        let given: Vec<PropId> = input.fields.iter().map(|(id, _)| *id).collect();
        let mut fields = input.fields;
        self.apply_defaults(fam, op, &mut fields);

        let mut world = self.write();
        let caller = self.authorize(&world, ctx, fam, OpKind::Add)?;
        self.assign_keys(&world, fam, &mut fields)?;
        let key = key_of(fam, &fields).ok_or_else(|| {
            Failure::of(
                Condition::MissingKey,
                fam.id,
                "the request does not name the entity",
            )
        })?;
        // Scope before existence: what lies outside the caller's scope is refused the same
        // way whether or not an entity of that key exists.
        let scope = RefScope {
            restrictions: &caller.restrictions,
            before: None,
        };
        let identity = self.check_entity(&world, scope, fam, &key, &fields)?;
        if world.get(fam.id, &key).is_some() {
            return Err(Failure::of(
                Condition::DuplicateEntity,
                fam.id,
                format!("a {} {key} already exists", fam.name()),
            ));
        }
        self.check_grants(&caller, fam, &fields, None)?;
        let platform = self.platform_of(&world, &identity);
        self.check_support(fam, &fields, platform, "the entity's telephony server")?;
        let stored = Stored {
            fields,
            password_hash: password_hash.map(String::into_boxed_str),
            replaces: None,
            given: &given,
        };
        self.store_entity(&mut world, ctx, fam, op, key, stored)
    }

    pub(super) fn change(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        let nonce = self.caller(ctx, fam, OpKind::Change)?.nonce;
        let input = self.read_input(fam, op, ctx.payload)?;
        let password_hash = self.protect(fam, &nonce, &input)?;
        self.note_ignored(ctx.operation, ctx.invoke_id, &input.ignored);
        let key = self.key(fam, &input)?;
        let given: Vec<PropId> = input.fields.iter().map(|(id, _)| *id).collect();

        let mut world = self.write();
        let caller = self.authorize(&world, ctx, fam, OpKind::Change)?;
        let target = self.visible(&world, &caller, fam, &key)?;
        self.check_dominates(&caller, fam, &key, &target.fields)?;
        let mut fields = target.fields.to_vec();
        for (id, value) in input.fields {
            // A renaming property gives its key a new value; other keys only name the entity.
            let id = match fam.prop(id).renames {
                Some(key_name) => match fam.id(None, key_name) {
                    Some(key_id) => key_id,
                    None => continue,
                },
                None if fam.keys.contains(&id) => continue,
                None => id,
            };
            match fields.iter_mut().find(|(f, _)| *f == id) {
                Some(slot) => slot.1 = value,
                None => fields.push((id, value)),
            }
        }
        let renamed = self.renamed(&world, fam, &key, &fields)?;
        // The entity as it would be is checked whole: a move to another telephony server
        // cannot leave a property that server's platform does not support.
        let scope = RefScope {
            restrictions: &caller.restrictions,
            before: Some(&target.fields),
        };
        let identity = self.check_entity(&world, scope, fam, &key, &fields)?;
        self.check_grants(&caller, fam, &fields, Some(&target.fields))?;
        let platform = self.platform_of(&world, &identity);
        self.check_support(fam, &fields, platform, "the entity's telephony server")?;
        let ends_sessions = self.ends_sessions(
            &world,
            &caller,
            fam,
            &key,
            (&target.fields, &fields),
            password_hash.is_some(),
        );
        let kept_hash = target
            .account
            .as_ref()
            .and_then(|a| a.password_hash.clone());
        let hash = password_hash.map(String::into_boxed_str).or(kept_hash);
        let stored = Stored {
            fields,
            password_hash: hash,
            replaces: None,
            given: &given,
        };
        match renamed {
            Some(new_key) => {
                let stored = Stored {
                    replaces: Some(key),
                    ..stored
                };
                self.store_entity(&mut world, ctx, fam, op, new_key, stored)
            }
            None => {
                let answer = self.store_entity(&mut world, ctx, fam, op, key.clone(), stored)?;
                if let Some(keep) = ends_sessions {
                    self.end_sessions_of(&mut world, &key, keep.as_deref())?;
                }
                Ok(answer)
            }
        }
    }

    /// Whether a change of account `key` from `before` to `after` ends its sessions, and
    /// which one it keeps: a new password ends every other session (the caller's own is kept
    /// when it changed its own password), a lock-out or a demotion (a right or scope taken
    /// away) ends them all. `None`: the sessions go on.
    fn ends_sessions(
        &self,
        world: &World,
        caller: &Caller,
        fam: &FamilyModel,
        key: &Key,
        (before, after): (&[Field], &[Field]),
        new_password: bool,
    ) -> Option<Option<Box<str>>> {
        let model = fam.account?;
        let (truth, _) = self.catalog.svc.boolean_words;
        let locked = value_of(after, model.locked) == Some(truth)
            && value_of(before, model.locked) != Some(truth);
        let demoted = self.held(fam, after).lost(&self.held(fam, before))
            || self.place(world, fam, after) != self.place(world, fam, before);
        if locked || demoted {
            return Some(None);
        }
        new_password.then(|| (*key == caller.account).then(|| caller.session_id.clone()))
    }

    /// The entity's new key when a change renames it (`None` when it keeps its key): refused
    /// when another entity has that key, or when others reference the entity by its old one.
    fn renamed(
        &self,
        world: &World,
        fam: &FamilyModel,
        key: &Key,
        fields: &[Field],
    ) -> Result<Option<Key>, Failure> {
        let new_key = key_of(fam, fields)
            .ok_or_else(|| Failure::of(Condition::MissingKey, fam.id, "the new key is empty"))?;
        if new_key == *key {
            return Ok(None);
        }
        if world.get(fam.id, &new_key).is_some() {
            return Err(Failure::of(
                Condition::DuplicateEntity,
                fam.id,
                format!("a {} {new_key} already exists", fam.name()),
            ));
        }
        if !self.dependents(world, fam.id, key)?.is_empty() {
            return Err(Failure::of(
                Condition::EntityInUse,
                fam.id,
                format!("other entities reference {} {key}", fam.name()),
            ));
        }
        Ok(Some(new_key))
    }

    /// Commits an added or changed entity and answers: what the operation returns, and the
    /// `partial-fail` rules that `given` met.
    fn store_entity(
        &self,
        world: &mut World,
        ctx: &Ctx<'_>,
        fam: &FamilyModel,
        op: &OperationInfo,
        key: Key,
        stored: Stored<'_>,
    ) -> Outcome {
        let Stored {
            fields,
            password_hash,
            replaces,
            given,
        } = stored;
        let entity = Entity {
            account: Account::of(&self.catalog, fam, &fields, password_hash).map(Box::new),
            fields: fields.into_boxed_slice(),
        };
        let partly = self.partial_failures(fam, given, &entity.fields);
        let mut writes = Vec::with_capacity(2);
        if let Some(old) = &replaces {
            writes.push(Write::Delete {
                family: fam,
                key: old,
            });
        }
        writes.push(Write::Put {
            family: fam,
            key: &key,
            entity: &entity,
        });
        self.commit(&writes)?;
        let mut w = answer(&self.catalog, ctx, &partly);
        write_returned(fam, op, &entity.fields, &mut w);
        if let Some(old) = &replaces {
            world.table_mut(fam.id).remove(old);
        }
        world.table_mut(fam.id).insert(key, entity);
        Ok(finish(w, &partly))
    }

    pub(super) fn delete(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        self.caller(ctx, fam, OpKind::Delete)?;
        let input = self.read_input(fam, op, ctx.payload)?;
        let key = self.key(fam, &input)?;

        let mut world = self.write();
        let caller = self.authorize(&world, ctx, fam, OpKind::Delete)?;
        let target = self.visible(&world, &caller, fam, &key)?;
        self.check_dominates(&caller, fam, &key, &target.fields)?;
        self.check_given_support(&world, fam, &key, target, &input.fields)?;
        let mut doomed = self.dependents(&world, fam.id, &key)?;
        doomed.push((fam.id, key));
        let mut writes = Vec::with_capacity(doomed.len() * 2);
        for (family, key) in &doomed {
            // An account's sessions go with it, so a later account of the same name does not
            // inherit them.
            if Some(*family) == self.catalog.accounts {
                writes.push(Write::DeleteSessionsOf(key));
            }
            writes.push(Write::Delete {
                family: self.catalog.family(*family),
                key,
            });
        }
        self.commit(&writes)?;
        for (family, key) in doomed {
            if Some(family) == self.catalog.accounts {
                // Its sessions were deleted from the store with it; this ends them in memory
                // and forgets its failed sign-ins.
                self.end_sessions_of(&mut world, &key, None)?;
            }
            world.table_mut(family).remove(&key);
        }
        Ok(success(&self.catalog, ctx).finish())
    }

    pub(super) fn info(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        let world = self.read();
        let caller = self.authorize(&world, ctx, fam, OpKind::Info)?;
        let input = self.read_input(fam, op, ctx.payload)?;
        let key = self.key(fam, &input)?;
        let target = self.visible(&world, &caller, fam, &key)?;
        if input.fields.len() > fam.keys.len() {
            self.check_given_support(&world, fam, &key, target, &input.fields)?;
        }
        let mut w = success(&self.catalog, ctx);
        w.begin_success();
        for (container, ids) in &fam.info_layout {
            let mut opened = false;
            for id in ids {
                let Some(value) = target.value(*id) else {
                    continue;
                };
                if !opened && container.is_some() {
                    w.begin_container(*container);
                    opened = true;
                }
                w.property(fam.prop(*id).name, value);
            }
            if opened {
                w.end_container();
            }
        }
        Ok(w.finish())
    }

    pub(super) fn list(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        let world = self.read();
        let caller = self.authorize(&world, ctx, fam, OpKind::List)?;
        let input = self.read_input(fam, op, ctx.payload)?;
        let filter = match self.list_filter(&world, &caller.restrictions, fam, &input) {
            Ok(filter) => filter,
            // A filter naming a missing entity is refused where the operation documents that
            // family's code; otherwise nothing matches it.
            Err(f)
                if f.condition == Condition::UnknownEntity
                    && !op
                        .error_codes
                        .contains(&self.catalog.code(f.condition, f.family)) =>
            {
                let mut w = success(&self.catalog, ctx);
                w.begin_success();
                return Ok(w.finish());
            }
            Err(f) => return Err(f),
        };
        let filter_place = {
            let mut place = Place::new();
            for (family, key) in &filter.refs {
                let entity_fam = self.catalog.family(*family);
                if let Some(e) = world.get(*family, key) {
                    place.extend(self.identity(&world, entity_fam, key, &e.fields));
                }
            }
            place
        };
        let platform = self.platform_of(&world, &filter_place);
        self.check_support(fam, &input.fields, platform, "the list's telephony server")?;
        if !compatible(&caller.restrictions, &filter_place) {
            return Err(Failure::of(
                Condition::OutOfScope,
                fam.id,
                "the list's filter is outside this session's scope",
            ));
        }
        let requested: Vec<&str> = fam
            .fields_input
            .and_then(|name| fam.id(None, name))
            .and_then(|id| input.value(id))
            .map(|v| v.split(',').collect())
            .unwrap_or_default();
        let columns: Vec<(&str, PropId)> = fam
            .list_fields
            .iter()
            .filter(|f| f.default || requested.contains(&f.name))
            .filter_map(|f| f.source.map(|s| (f.name, s)))
            .collect();
        let offset = usize::try_from(ctx.offset.unwrap_or(self.catalog.svc.default_offset))
            .unwrap_or(usize::MAX);
        let limit = usize::try_from(ctx.limit.unwrap_or(self.catalog.svc.default_limit))
            .unwrap_or(usize::MAX);
        let placed = !caller.restrictions.is_empty() || !filter.refs.is_empty();
        let mut w = success(&self.catalog, ctx);
        w.begin_success();
        let entries = world
            .table(fam.id)
            .iter()
            .filter(|(_, e)| filter.matches_values(e) && filter.matches_search(e))
            .filter(|(key, e)| {
                !placed || {
                    let identity = self.identity(&world, fam, key, &e.fields);
                    covers(&caller.restrictions, &identity) && covers(&filter.refs, &identity)
                }
            })
            .skip(offset)
            .take(limit);
        for (_, entity) in entries {
            w.begin_container(None);
            for (name, source) in &columns {
                if let Some(value) = entity.value(*source) {
                    w.property(name, value);
                }
            }
            w.end_container();
        }
        Ok(w.finish())
    }

    /// The `partial-fail` rules an add or change that gave `given` meets, with what the entity
    /// now holds: `(code, message)` each.
    fn partial_failures(
        &self,
        fam: &FamilyModel,
        given: &[PropId],
        fields: &[Field],
    ) -> Vec<(u32, String)> {
        let (truth, _) = self.catalog.svc.boolean_words;
        fam.partial
            .iter()
            .filter(|rule| given.contains(&rule.asks))
            .filter(|rule| {
                value_of(fields, rule.asks).is_some_and(|v| match fam.prop(rule.asks).kind {
                    ValueKind::Boolean => v == truth,
                    _ => !v.is_empty(),
                })
            })
            .filter(|rule| value_of(fields, rule.needs).is_none_or(str::is_empty))
            .map(|rule| {
                (
                    rule.code,
                    format!(
                        "applied, but {} needs {} ({})",
                        fam.path(rule.asks),
                        fam.path(rule.needs),
                        rule.id
                    ),
                )
            })
            .collect()
    }

    /// Refuses what a delete or info gives that the platform of the stored entity's telephony
    /// server does not support.
    fn check_given_support(
        &self,
        world: &World,
        fam: &FamilyModel,
        key: &Key,
        target: &Entity,
        given: &[Field],
    ) -> Result<(), Failure> {
        let identity = self.identity(world, fam, key, &target.fields);
        let platform = self.platform_of(world, &identity);
        self.check_support(fam, given, platform, "the entity's telephony server")
    }

    /// The key a change, delete or info names.
    fn key(&self, fam: &FamilyModel, input: &Input) -> Result<Key, Failure> {
        key_of(fam, &input.fields).ok_or_else(|| {
            Failure::of(
                Condition::MissingKey,
                fam.id,
                format!("the request does not name the {}", fam.name()),
            )
        })
    }

    /// Every reference of an entity resolves, and the caller's placement covers where it is
    /// placed; returns the entity itself and where it is placed.
    fn check_entity(
        &self,
        world: &World,
        scope: RefScope<'_>,
        fam: &FamilyModel,
        key: &Key,
        fields: &[Field],
    ) -> Result<Place, Failure> {
        self.resolve_refs(world, fam, fields, None, scope)?;
        let identity = self.identity(world, fam, key, fields);
        if !covers(scope.restrictions, &identity) {
            return Err(Failure::of(
                Condition::OutOfScope,
                fam.id,
                format!("the {} would lie outside this session's scope", fam.name()),
            ));
        }
        Ok(identity)
    }

    /// The documented defaults of the properties an add takes and the request left out.
    fn apply_defaults(&self, fam: &FamilyModel, op: &OperationInfo, fields: &mut Vec<Field>) {
        for field in op.fields.iter().filter(|f| f.input.is_some()) {
            let (Some(default), Some(id)) = (field.property.default, fam.id_of(field.property))
            else {
                continue;
            };
            if value_of(fields, id).is_none()
                && let Ok(value) = self.canonical(field.property, default)
            {
                fields.push((id, value.into_boxed_str()));
            }
        }
    }

    /// Gives the keys an add does not take their values: a whole number one above the largest
    /// among the entities that share the other key parts (a partition's number within its
    /// server), or a fresh random identifier.
    fn assign_keys(
        &self,
        world: &World,
        fam: &FamilyModel,
        fields: &mut Vec<Field>,
    ) -> Result<(), Failure> {
        for (i, id) in fam.keys.iter().enumerate() {
            if value_of(fields, *id).is_some() {
                continue;
            }
            let value = match fam.prop(*id).kind {
                ValueKind::Integer { min, max } => {
                    let siblings: Vec<(usize, &str)> = fam
                        .keys
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .filter_map(|(j, k)| value_of(fields, *k).map(|v| (j, v)))
                        .collect();
                    let largest = world
                        .table(fam.id)
                        .keys()
                        .filter(|k| {
                            siblings.iter().all(|(j, v)| {
                                k.parts().get(*j).is_some_and(|p| p.to_string() == *v)
                            })
                        })
                        .filter_map(|k| match k.parts().get(i) {
                            Some(KeyPart::Int(n)) => Some(*n),
                            _ => None,
                        })
                        .max();
                    let next = largest.map_or(min.max(1), |n| n.saturating_add(1));
                    if next > max {
                        return Err(Failure::new(
                            Condition::InternalError,
                            format!("no {} is left to assign", fam.path(*id)),
                        ));
                    }
                    next.to_string()
                }
                _ => secrets::identifier()
                    .map_err(|e| Failure::new(Condition::InternalError, e.to_string()))?,
            };
            fields.push((*id, value.into_boxed_str()));
        }
        Ok(())
    }

    /// A list's filters: the entities its references name, the values its other inputs must
    /// match, and its free-text search.
    fn list_filter<'i>(
        &self,
        world: &World,
        restrictions: &Place,
        fam: &'i FamilyModel,
        input: &'i Input,
    ) -> Result<ListFilter<'i>, Failure> {
        let scope = RefScope {
            restrictions,
            before: None,
        };
        let refs = self.resolve_refs(world, fam, &input.fields, Some(None), scope)?;
        let referencing: Vec<PropId> = fam
            .refs_in(None)
            .flat_map(|r| r.parts.iter().copied())
            .collect();
        let search = fam.search.as_ref().and_then(|(name, matches)| {
            let id = fam.id(None, name)?;
            let text = input.value(id)?.trim().to_lowercase();
            (!text.is_empty()).then_some((id, text, matches.as_slice()))
        });
        let fields_input = fam.fields_input.and_then(|n| fam.id(None, n));
        let values = input
            .fields
            .iter()
            .filter(|(id, _)| {
                !referencing.contains(id)
                    && Some(*id) != fields_input
                    && search.as_ref().is_none_or(|(s, _, _)| s != id)
            })
            .filter_map(|(id, v)| Some((self.list_match_source(fam, *id)?, &**v)))
            .collect();
        Ok(ListFilter {
            refs,
            values,
            search: search.map(|(_, text, matches)| (text, matches)),
        })
    }

    /// The stored property a list filter input is compared with: itself when entities hold
    /// it, else the property of the same name in the placement container.
    fn list_match_source(&self, fam: &FamilyModel, id: PropId) -> Option<PropId> {
        if storable(fam, id) {
            return Some(id);
        }
        let name = fam.prop(id).name;
        fam.info
            .placement
            .and_then(|c| fam.id(Some(c), name))
            .or(Some(id))
    }
}

/// An entity as it is about to be stored.
struct Stored<'g> {
    fields: Vec<Field>,
    password_hash: Option<Box<str>>,
    /// The key it was stored under before a change renamed it.
    replaces: Option<Key>,
    /// The properties the request gave (for the `partial-fail` rules).
    given: &'g [PropId],
}

/// What a list keeps.
struct ListFilter<'i> {
    /// Entities each entry must be (or sit in).
    refs: Place,
    /// Properties each entry must hold with these values.
    values: Vec<(PropId, &'i str)>,
    /// Text each entry must contain in one of these properties (lower-cased).
    search: Option<(String, &'i [PropId])>,
}

impl ListFilter<'_> {
    fn matches_values(&self, e: &Entity) -> bool {
        self.values
            .iter()
            .all(|(id, v)| e.value(*id).is_some_and(|held| held == *v))
    }

    fn matches_search(&self, e: &Entity) -> bool {
        self.search.as_ref().is_none_or(|(text, matches)| {
            matches.iter().any(|id| {
                e.value(*id)
                    .is_some_and(|v| v.to_lowercase().contains(text.as_str()))
            })
        })
    }
}

/// The answer to an add or change: `Success`, or `PartialFail` when rules were met.
pub(super) fn answer(catalog: &Catalog, ctx: &Ctx<'_>, partly: &[(u32, String)]) -> ResponseWriter {
    if partly.is_empty() {
        return success(catalog, ctx);
    }
    let mut w = ResponseWriter::new(ResultKind::PartialFail, catalog.svc.binding);
    w.invoke_id(ctx.invoke_id);
    w
}

/// Closes an answer, with the errors of a partial success.
pub(super) fn finish(mut w: ResponseWriter, partly: &[(u32, String)]) -> String {
    for (code, message) in partly {
        w.error(*code, Some(message));
    }
    w.finish()
}

/// The properties an operation's response returns, from the stored entity (an add returns
/// what the service assigned).
fn write_returned(fam: &FamilyModel, op: &OperationInfo, fields: &[Field], w: &mut ResponseWriter) {
    let returned: Vec<(&str, &str)> = op
        .fields
        .iter()
        .filter(|f| f.returned.is_some() && f.property.container.is_none())
        .filter_map(|f| {
            let id = fam.id_of(f.property)?;
            Some((f.property.name, value_of(fields, id)?))
        })
        .collect();
    if returned.is_empty() {
        return;
    }
    w.begin_success();
    for (name, value) in returned {
        w.property(name, value);
    }
}
