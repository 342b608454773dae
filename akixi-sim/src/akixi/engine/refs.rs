//! References between families, and what follows from them: whether the entities a request
//! names exist, where an entity is placed (the entities its placement container names, and
//! theirs in turn), which entities a caller's placement lets it see, and the platform whose
//! support matrix applies to an entity.

use akixi_client::runtime::akixi_ws::{Condition, OnDelete};

use super::respond::Failure;
use super::state::Engine;
use crate::akixi::catalog::{FamilyId, FamilyModel, Field, RefModel};
use crate::akixi::world::{Key, KeyPart, World, value_of};

/// The entities something is placed in: `(family, key)` pairs, itself not included.
pub(super) type Place = Vec<(FamilyId, Key)>;

impl Engine {
    /// Every reference `fields` make whose properties sit in `container` (`None`: every
    /// container), resolved to the entity it names; the first that names nothing is refused
    /// with the referenced family's unknown-entity code. A reference may name only what the
    /// caller's `scope` lets it see (or what its scope sits in): anything else is answered as
    /// if it did not exist, so that a caller cannot learn what lies outside its scope. A
    /// reference `before` already held (a change that leaves it alone) is not checked again.
    pub(super) fn resolve_refs(
        &self,
        world: &World,
        fam: &FamilyModel,
        fields: &[Field],
        container: Option<Option<&str>>,
        scope: RefScope<'_>,
    ) -> Result<Place, Failure> {
        let mut out = Place::new();
        for r in fam
            .refs
            .iter()
            .filter(|r| container.is_none_or(|c| c == r.container))
        {
            let unchanged = scope.before.is_some_and(|before| {
                std::iter::once(r.via)
                    .chain(r.parts.iter().copied())
                    .all(|id| value_of(before, id) == value_of(fields, id))
            });
            let within =
                (!unchanged && !scope.restrictions.is_empty()).then_some(scope.restrictions);
            if let Some(found) = self.resolve_ref(world, fam, fields, r, within)? {
                out.push(found);
            }
        }
        Ok(out)
    }

    /// The entity `r` names among `fields`, if it names one; refused when it names nothing,
    /// or (with `within`) nothing that placement lets the caller see.
    fn resolve_ref(
        &self,
        world: &World,
        fam: &FamilyModel,
        fields: &[Field],
        r: &RefModel,
        within: Option<&Place>,
    ) -> Result<Option<(FamilyId, Key)>, Failure> {
        if value_of(fields, r.via).is_none() {
            return Ok(None);
        }
        let target = self.catalog.family(r.target);
        let unknown = |why: String| Failure::of(Condition::UnknownEntity, target.id, why);
        let mut parts = Vec::with_capacity(r.parts.len());
        for (part, key) in r.parts.iter().zip(&target.keys) {
            let Some(v) = value_of(fields, *part) else {
                return Err(unknown(format!(
                    "{} names a {} without its {}",
                    fam.path(r.via),
                    target.name(),
                    fam.path(*part)
                )));
            };
            parts.push(KeyPart::of(target.prop(*key).kind, v));
        }
        let key = Key::from_parts(parts);
        let entity = world.get(target.id, &key).filter(|e| {
            within.is_none_or(|restrictions| {
                restrictions.contains(&(target.id, key.clone()))
                    || covers(restrictions, &self.identity(world, target, &key, &e.fields))
            })
        });
        let Some(entity) = entity else {
            return Err(unknown(format!("no {} {key}", target.name())));
        };
        // The references beside this one must agree with what the entity holds (a telephony
        // server named within a CM environment must belong to it).
        for other in fam.refs_in(r.container).filter(|o| o.via != r.via) {
            let Some(given) = value_of(fields, other.via) else {
                continue;
            };
            let name = fam.prop(other.via).name;
            if target.keys.iter().any(|k| target.prop(*k).name == name) {
                continue;
            }
            if let Some(held) = target.id(None, name).and_then(|id| entity.value(id))
                && held != given
            {
                return Err(unknown(format!(
                    "no {} {key} with {name} {given}",
                    target.name()
                )));
            }
        }
        Ok(Some((target.id, key)))
    }

    /// Where an entity with `fields` is placed: what the references of its family's placement
    /// container name, and where those are placed in turn.
    pub(super) fn place(&self, world: &World, fam: &FamilyModel, fields: &[Field]) -> Place {
        let mut out = Place::new();
        let direct: Place = fam
            .refs_in(fam.info.placement)
            .filter_map(|r| self.resolve_ref(world, fam, fields, r, None).ok().flatten())
            .collect();
        self.extend_place(world, direct, &mut out, 0);
        out
    }

    /// Adds `found` and, transitively, where each is placed.
    fn extend_place(&self, world: &World, found: Place, out: &mut Place, depth: usize) {
        // Placement follows references, which cannot cycle more deeply than the families.
        if depth > self.catalog.families.len() {
            return;
        }
        for (family, key) in found {
            if out.iter().any(|(f, k)| *f == family && *k == key) {
                continue;
            }
            let next = world.get(family, &key).map(|e| {
                let fam = self.catalog.family(family);
                fam.refs_in(fam.info.placement)
                    .filter_map(|r| {
                        self.resolve_ref(world, fam, &e.fields, r, None)
                            .ok()
                            .flatten()
                    })
                    .collect::<Place>()
            });
            out.push((family, key));
            if let Some(next) = next {
                self.extend_place(world, next, out, depth + 1);
            }
        }
    }

    /// The entity `(fam, key)` itself and where it is placed.
    pub(super) fn identity(
        &self,
        world: &World,
        fam: &FamilyModel,
        key: &Key,
        fields: &[Field],
    ) -> Place {
        let mut out = self.place(world, fam, fields);
        out.push((fam.id, key.clone()));
        out
    }

    /// The platform (index in the service's platforms) of the first entity of `identity` whose
    /// family holds one.
    pub(super) fn platform_of(&self, world: &World, identity: &Place) -> Option<usize> {
        identity.iter().find_map(|(family, key)| {
            let fam = self.catalog.family(*family);
            let id = fam.platform?;
            let value = world.get(*family, key)?.value(id)?;
            self.catalog.svc.platforms.iter().position(|p| *p == value)
        })
    }

    /// Refuses the properties among `fields` that `platform` does not support.
    pub(super) fn check_support(
        &self,
        fam: &FamilyModel,
        fields: &[Field],
        platform: Option<usize>,
        what: &str,
    ) -> Result<(), Failure> {
        // A family with its own support axis is checked against the axis value it holds.
        if let Some(axis) = fam.info.support_axis
            && let Some(value) = fam
                .id(None, axis.property)
                .and_then(|id| value_of(fields, id))
        {
            let unsupported: Vec<String> = fields
                .iter()
                .filter(|(id, _)| !axis.supports(fam.prop(*id), value))
                .map(|(id, _)| fam.path(*id))
                .collect();
            if !unsupported.is_empty() {
                return Err(Failure::of(
                    Condition::UnsupportedProperty,
                    fam.id,
                    format!(
                        "{} {value} does not support {}",
                        axis.property,
                        unsupported.join(", ")
                    ),
                ));
            }
        }
        let Some(platform) = platform else {
            return Ok(());
        };
        let unsupported: Vec<String> = fields
            .iter()
            .filter(|(id, _)| !fam.prop(*id).support.get(platform).copied().unwrap_or(true))
            .map(|(id, _)| fam.path(*id))
            .collect();
        if unsupported.is_empty() {
            return Ok(());
        }
        let name = self
            .catalog
            .svc
            .platforms
            .get(platform)
            .copied()
            .unwrap_or("?");
        Err(Failure::of(
            Condition::UnsupportedProperty,
            fam.id,
            format!(
                "platform {name} (of {what}) does not support {}",
                unsupported.join(", ")
            ),
        ))
    }

    /// What deleting `(family, key)` also deletes (references that cascade), or the refusal
    /// when something still references it and may not be deleted with it.
    pub(super) fn dependents(
        &self,
        world: &World,
        family: FamilyId,
        key: &Key,
    ) -> Result<Vec<(FamilyId, Key)>, Failure> {
        let mut doomed: Vec<(FamilyId, Key)> = Vec::new();
        let mut queue = vec![(family, key.clone())];
        while let Some((f, k)) = queue.pop() {
            for holder in &self.catalog.families {
                for r in holder.refs.iter().filter(|r| r.target == f) {
                    for (hk, entity) in world.table(holder.id) {
                        if self.ref_key(&entity.fields, r).as_ref() != Some(&k) {
                            continue;
                        }
                        if doomed.iter().any(|(df, dk)| *df == holder.id && dk == hk)
                            || (holder.id == family && hk == key)
                        {
                            continue;
                        }
                        match r.on_delete {
                            OnDelete::Refuse => {
                                return Err(Failure::of(
                                    Condition::EntityInUse,
                                    self.catalog.family(family).id,
                                    format!(
                                        "{} {hk} still references {} {k} (through {})",
                                        holder.name(),
                                        self.catalog.family(f).name(),
                                        holder.path(r.via)
                                    ),
                                ));
                            }
                            OnDelete::Cascade => {
                                doomed.push((holder.id, hk.clone()));
                                queue.push((holder.id, hk.clone()));
                            }
                        }
                    }
                }
            }
        }
        Ok(doomed)
    }

    /// The key a reference names among `fields`, without looking it up.
    fn ref_key(&self, fields: &[Field], r: &RefModel) -> Option<Key> {
        value_of(fields, r.via)?;
        let target = self.catalog.family(r.target);
        let parts = r
            .parts
            .iter()
            .zip(&target.keys)
            .map(|(part, key)| {
                value_of(fields, *part).map(|v| KeyPart::of(target.prop(*key).kind, v))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Key::from_parts(parts))
    }
}

/// Whose scope references are resolved in: the caller's placement (empty: unrestricted), and
/// the entity as it was before a change.
#[derive(Clone, Copy)]
pub(super) struct RefScope<'a> {
    pub(super) restrictions: &'a Place,
    pub(super) before: Option<&'a [Field]>,
}

/// Whether a caller placed at `restrictions` sees what `identity` is and sits in: every
/// restriction must be among them.
pub(super) fn covers(restrictions: &Place, identity: &Place) -> bool {
    restrictions.iter().all(|r| identity.contains(r))
}

/// Whether some entity could satisfy both `a` and `b`: no family is named with two keys.
pub(super) fn compatible(a: &Place, b: &Place) -> bool {
    a.iter()
        .all(|(fa, ka)| b.iter().all(|(fb, kb)| fa != fb || ka == kb))
}
