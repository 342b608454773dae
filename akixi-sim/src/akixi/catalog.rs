//! The service as the engine reads it: indexes over the generated `SERVICE` data, built once
//! at start-up. Every rule the engine relies on (references keyed beside them, a permission
//! verb per guarded kind, at most [`MAX_PERMISSION_TOKENS`] tokens, accounts named by one key, a
//! session only with accounts, a code for every condition the engine answers) is the loader's,
//! reported by `akixi-spec check` at the row that breaks it; the catalog trusts the metadata
//! and only refuses, without re-deriving the rule, metadata that no checked spec produces.
//!
//! Nothing here names a family, an operation or a property: every fact comes from the
//! [`ServiceInfo`] the simulator was started with (the real spec's by default, any generated
//! service's in tests).

use std::collections::HashMap;

use akixi_client::runtime::akixi_ws::{
    Condition, ConditionScope, FamilyInfo, InputUse, OnDelete, OpKind, OperationInfo, PropertyInfo,
    ServiceInfo, SessionInfo, TierInfo, ValueKind, condition_code,
};

/// The distinct permission tokens an account's rights hold at most (one bit each).
const MAX_PERMISSION_TOKENS: usize = ServiceInfo::MAX_PERMISSION_TOKENS;

/// Index of a family in [`Catalog::families`].
pub(crate) type FamilyId = u8;

/// Index of a property in its family's `properties`.
pub(crate) type PropId = u16;

/// One stored property: which, and its canonical wire text.
pub(crate) type Field = (PropId, Box<str>);

/// The service's metadata lacks what the loader guarantees of a checked spec (it was not
/// generated from one `akixi-spec check` accepts), or is larger than the simulator indexes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the service's metadata does not hold what a checked spec gives the simulator ({0}); run `akixi-spec check` on its spec"
)]
pub struct SpecMismatch(pub(crate) &'static str);

/// The entity kinds, in the order of [`FamilyModel::ops`].
pub(crate) const ENTITY_KINDS: [OpKind; 6] = OpKind::ENTITY_KINDS;

/// The conditions the engine answers, with where (the protocol's vocabulary).
fn conditions() -> impl Iterator<Item = (Condition, ConditionScope)> {
    Condition::ALL.iter().map(|(_, c, scope)| (*c, *scope))
}

/// A property naming another family's entity, with the properties beside it that hold the
/// rest of that entity's key.
#[derive(Debug, Clone)]
pub(crate) struct RefModel {
    /// The family referenced.
    pub(crate) target: FamilyId,
    /// The container the reference is in.
    pub(crate) container: Option<&'static str>,
    /// This family's properties holding the target's key, in the target's key order.
    pub(crate) parts: Vec<PropId>,
    /// The property carrying the reference.
    pub(crate) via: PropId,
    /// What deleting the target does to an entity holding this reference.
    pub(crate) on_delete: OnDelete,
}

/// The properties of an account.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountModel {
    pub(crate) password: PropId,
    pub(crate) locked: PropId,
    pub(crate) permissions: PropId,
}

/// What makes one account stronger than another (the spec's `account-grants`,
/// `account-flags` and `account-tiers`).
#[derive(Debug, Clone, Default)]
pub(crate) struct RightsModel {
    /// Lists of permission tokens.
    pub(crate) grants: Vec<PropId>,
    /// Booleans whose `True` is a right.
    pub(crate) flags: Vec<PropId>,
    /// Ordered enumerations.
    pub(crate) tiers: Vec<(PropId, &'static TierInfo)>,
}

/// A property a list can return, and where an entity's value for it comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListField {
    pub(crate) name: &'static str,
    /// Returned without being asked for.
    pub(crate) default: bool,
    pub(crate) source: Option<PropId>,
}

/// One family, as the engine uses it.
#[derive(Debug)]
pub(crate) struct FamilyModel {
    pub(crate) id: FamilyId,
    pub(crate) info: &'static FamilyInfo,
    /// `(container, name or alias)` → property.
    by_name: HashMap<(Option<&'static str>, &'static str), PropId>,
    /// The top-level properties that identify an entity.
    pub(crate) keys: Vec<PropId>,
    /// Every reference the family's properties make.
    pub(crate) refs: Vec<RefModel>,
    /// The top-level property holding a platform id.
    pub(crate) platform: Option<PropId>,
    pub(crate) account: Option<AccountModel>,
    /// The rights its accounts hold, for an account family.
    pub(crate) rights: RightsModel,
    /// The operation of each entity kind ([`ENTITY_KINDS`] order).
    pub(crate) ops: [Option<&'static OperationInfo>; ENTITY_KINDS.len()],
    /// The rights bit each kind needs ([`ENTITY_KINDS`] order), for a guarded family.
    pub(crate) guards: [Option<u8>; ENTITY_KINDS.len()],
    /// The info operation's response: top-level properties, then each container's.
    pub(crate) info_layout: Vec<(Option<&'static str>, Vec<PropId>)>,
    /// What a list entry can carry.
    pub(crate) list_fields: Vec<ListField>,
    /// The list's free-text search: its input, and the properties it matches.
    pub(crate) search: Option<(&'static str, Vec<PropId>)>,
    /// The list's input naming extra fields to return.
    pub(crate) fields_input: Option<&'static str>,
    /// Where an add or change succeeds only partly.
    pub(crate) partial: Vec<PartialModel>,
}

/// A `partial-fail` rule of the family: giving `asks` to an entity without `needs` is applied
/// and answered `PartialFail` with `code`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartialModel {
    pub(crate) id: &'static str,
    pub(crate) asks: PropId,
    pub(crate) needs: PropId,
    pub(crate) code: u32,
}

impl FamilyModel {
    pub(crate) fn name(&self) -> &'static str {
        self.info.name
    }

    pub(crate) fn prop(&self, id: PropId) -> &'static PropertyInfo {
        &self.info.properties[usize::from(id)]
    }

    /// The property `container`.`name` (or one of its aliases).
    pub(crate) fn id<'a>(&'a self, container: Option<&'a str>, name: &'a str) -> Option<PropId> {
        // The map is covariant in its keys: viewed with the caller's lifetime, it takes the
        // caller's strings.
        let by_name: &HashMap<(Option<&'a str>, &'a str), PropId> = &self.by_name;
        by_name.get(&(container, name)).copied()
    }

    /// The property `info` describes (an operation's field points into the family's table).
    pub(crate) fn id_of(&self, info: &PropertyInfo) -> Option<PropId> {
        self.id(info.container, info.name)
    }

    /// The operation of `kind`.
    pub(crate) fn op(&self, kind: OpKind) -> Option<&'static OperationInfo> {
        ENTITY_KINDS
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| self.ops[i])
    }

    /// The rights bit `kind` needs, if the family's operations are guarded.
    pub(crate) fn guard(&self, kind: OpKind) -> Option<u8> {
        ENTITY_KINDS
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| self.guards[i])
    }

    /// `Container.Name` or `Name`.
    pub(crate) fn path(&self, id: PropId) -> String {
        let p = self.prop(id);
        match p.container {
            Some(c) => format!("{c}.{}", p.name),
            None => p.name.to_owned(),
        }
    }

    /// The references whose properties sit in `container`.
    pub(crate) fn refs_in(&self, container: Option<&str>) -> impl Iterator<Item = &RefModel> {
        self.refs.iter().filter(move |r| r.container == container)
    }
}

/// The service, as the engine uses it.
#[derive(Debug)]
pub(crate) struct Catalog {
    pub(crate) svc: &'static ServiceInfo,
    pub(crate) families: Vec<FamilyModel>,
    /// Operation name → its family (for entity operations) and its metadata.
    ops: HashMap<&'static str, (Option<FamilyId>, &'static OperationInfo)>,
    /// The permission token of each rights bit.
    pub(crate) tokens: Vec<String>,
    /// The family whose entities sign in.
    pub(crate) accounts: Option<FamilyId>,
    pub(crate) session: Option<SessionInfo>,
    /// `(condition, family)` → code; `None` family for the general row.
    codes: HashMap<(Condition, Option<FamilyId>), u32>,
}

impl Catalog {
    pub(crate) fn new(svc: &'static ServiceInfo) -> Result<Self, SpecMismatch> {
        let mut catalog = Catalog {
            svc,
            families: Vec::new(),
            ops: HashMap::new(),
            tokens: Vec::new(),
            accounts: None,
            session: svc.session,
            codes: HashMap::new(),
        };
        for (i, info) in svc.families.iter().enumerate() {
            let id = FamilyId::try_from(i)
                .map_err(|_| SpecMismatch("more families than the simulator indexes"))?;
            catalog.families.push(family_model(id, info, svc)?);
        }
        catalog.link_references()?;
        catalog.index_operations();
        catalog.guard_operations()?;
        catalog.find_accounts()?;
        catalog.resolve_codes()?;
        Ok(catalog)
    }

    pub(crate) fn family(&self, id: FamilyId) -> &FamilyModel {
        &self.families[usize::from(id)]
    }

    pub(crate) fn family_named(&self, name: &str) -> Option<&FamilyModel> {
        self.families.iter().find(|f| f.name() == name)
    }

    /// The operation named `name`, with its family for an entity operation.
    pub(crate) fn operation(
        &self,
        name: &str,
    ) -> Option<(Option<&FamilyModel>, &'static OperationInfo)> {
        self.ops
            .get(name)
            .map(|(f, op)| (f.map(|f| self.family(f)), *op))
    }

    /// The code answering `condition` for `family` (its own row, else the general one).
    pub(crate) fn code(&self, condition: Condition, family: Option<FamilyId>) -> u32 {
        family
            .and_then(|f| self.codes.get(&(condition, Some(f))))
            .or_else(|| self.codes.get(&(condition, None)))
            .copied()
            // Checked at start-up for every condition the engine answers.
            .unwrap_or_default()
    }

    /// Every code the engine may answer for `op`, for tools and tests: the conditions its kind
    /// can meet, with the codes of its family and of the families it references.
    pub(crate) fn answerable(&self, op: &OperationInfo) -> Vec<u32> {
        use Condition::*;
        let mut found: Vec<(Condition, Option<FamilyId>)> = [
            MissingInvokeId,
            UnknownOperation,
            MalformedRequest,
            InternalError,
            StorageUnavailable,
        ]
        .into_iter()
        .map(|c| (c, None))
        .collect();
        let family = self.ops.get(op.name).and_then(|(f, _)| *f);
        match (op.kind, family) {
            (OpKind::CreateSession, _) => found.push((Busy, None)),
            (OpKind::Authenticate, _) => {
                found.extend(
                    [MissingSession, UnknownSession, AuthenticationFailed, Busy].map(|c| (c, None)),
                );
            }
            (OpKind::CloseSession, _) => {
                found.extend([MissingSession, UnknownSession].map(|c| (c, None)));
            }
            (kind, Some(f)) => {
                found.extend([MissingSession, UnknownSession, NotAuthenticated].map(|c| (c, None)));
                let mut own = vec![PermissionDenied, BadPropertyValue, UnsupportedProperty];
                own.extend(match kind {
                    OpKind::Add | OpKind::BulkAdd => vec![MissingKey, DuplicateEntity, OutOfScope],
                    OpKind::Change => vec![MissingKey, UnknownEntity, ReadOnlyProperty, OutOfScope],
                    OpKind::Delete => vec![MissingKey, UnknownEntity, EntityInUse],
                    OpKind::Info => vec![MissingKey, UnknownEntity],
                    _ => vec![OutOfScope],
                });
                found.extend(own.into_iter().map(|c| (c, Some(f))));
                // A reference the request can give names a family whose entity may be missing.
                let fam = self.family(f);
                // (A list whose filter names a missing entity answers that code only where
                // the operation documents it; otherwise it lists nothing.)
                let named = fam
                    .refs
                    .iter()
                    .filter(|_| {
                        matches!(
                            kind,
                            OpKind::Add | OpKind::Change | OpKind::List | OpKind::BulkAdd
                        )
                    })
                    // A bulk add's rows may give whatever the family's add takes.
                    .filter(|r| {
                        let takes = if kind == OpKind::BulkAdd {
                            fam.op(OpKind::Add)
                        } else {
                            Some(op)
                        };
                        takes.is_some_and(|o| input_of(fam, o, r.via).is_some())
                    })
                    .filter(|r| {
                        kind != OpKind::List
                            || op
                                .error_codes
                                .contains(&self.code(UnknownEntity, Some(r.target)))
                    });
                found.extend(named.map(|r| (UnknownEntity, Some(r.target))));
                let mut codes: Vec<u32> = found.iter().map(|(c, f)| self.code(*c, *f)).collect();
                if matches!(kind, OpKind::Add | OpKind::Change | OpKind::BulkAdd) {
                    let takes = if kind == OpKind::BulkAdd {
                        fam.op(OpKind::Add)
                    } else {
                        Some(op)
                    };
                    codes.extend(
                        fam.partial
                            .iter()
                            .filter(|p| takes.is_some_and(|o| input_of(fam, o, p.asks).is_some()))
                            .map(|p| p.code),
                    );
                }
                codes.sort_unstable();
                codes.dedup();
                return codes;
            }
            (_, None) => {}
        }
        let mut codes: Vec<u32> = found.into_iter().map(|(c, f)| self.code(c, f)).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    fn link_references(&mut self) -> Result<(), SpecMismatch> {
        let names: Vec<&'static str> = self.families.iter().map(|f| f.name()).collect();
        let keys: Vec<&'static [&'static str]> =
            self.families.iter().map(|f| f.info.key_paths).collect();
        for fam in &mut self.families {
            for (i, p) in fam.info.properties.iter().enumerate() {
                let Some(target) = p.references else {
                    continue;
                };
                let t = names
                    .iter()
                    .position(|n| *n == target)
                    .ok_or(SpecMismatch("a reference to no family"))?;
                // The target's keys sit beside the reference (checked by the loader).
                let parts = keys[t]
                    .iter()
                    .map(|k| fam.id(p.container, k))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(SpecMismatch("a reference without its key beside it"))?;
                fam.refs.push(RefModel {
                    target: FamilyId::try_from(t).unwrap_or_default(),
                    container: p.container,
                    parts,
                    via: PropId::try_from(i).unwrap_or_default(),
                    on_delete: p.on_delete,
                });
            }
        }
        Ok(())
    }

    fn index_operations(&mut self) {
        for op in self.svc.operations {
            let family = self
                .families
                .iter()
                .find(|f| f.name() == op.family && ENTITY_KINDS.contains(&op.kind))
                .map(|f| f.id);
            self.ops.insert(op.name, (family, op));
            for alias in op.aliases {
                self.ops.insert(alias, (family, op));
            }
        }
    }

    /// Gives each guarded family's operations their rights bit (`User|Create`, …): the
    /// loader checked that each kind has a verb and that the tokens fit.
    fn guard_operations(&mut self) -> Result<(), SpecMismatch> {
        for fam in &mut self.families {
            let Some(prefix) = fam.info.permission else {
                continue;
            };
            for (i, kind) in ENTITY_KINDS.iter().enumerate() {
                if fam.ops[i].is_none() {
                    continue;
                }
                let verb = self
                    .svc
                    .permission_verbs
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map(|(_, v)| *v)
                    .ok_or(SpecMismatch(
                        "a guarded operation without a permission verb",
                    ))?;
                let token = format!("{prefix}|{verb}");
                let bit = match self.tokens.iter().position(|t| *t == token) {
                    Some(b) => b,
                    None => {
                        self.tokens.push(token);
                        self.tokens.len() - 1
                    }
                };
                fam.guards[i] = Some(
                    u8::try_from(bit)
                        .ok()
                        .filter(|b| usize::from(*b) < MAX_PERMISSION_TOKENS)
                        .ok_or(SpecMismatch("more permission tokens than rights hold"))?,
                );
            }
        }
        Ok(())
    }

    /// The family whose entities sign in (one key each, and present wherever there is a
    /// session: checked by the loader).
    fn find_accounts(&mut self) -> Result<(), SpecMismatch> {
        self.accounts = self
            .families
            .iter()
            .find(|f| f.account.is_some())
            .map(|f| f.id);
        match self.accounts.map(|id| self.family(id)) {
            Some(f) if f.keys.len() != 1 => Err(SpecMismatch("accounts without one key")),
            None if self.session.is_some() => Err(SpecMismatch("a session without accounts")),
            _ => Ok(()),
        }
    }

    /// The code of every condition the engine answers (the loader checked that each has one,
    /// for every family the engine serves).
    fn resolve_codes(&mut self) -> Result<(), SpecMismatch> {
        let rows = self.svc.conditions;
        for (c, scope) in conditions() {
            match condition_code(rows, c, None) {
                Some(code) => {
                    self.codes.insert((c, None), code);
                }
                None if scope.needs_general_row() => {
                    return Err(SpecMismatch("a condition without a code"));
                }
                None => {}
            }
        }
        for fam in &self.families {
            let referenced = self
                .families
                .iter()
                .any(|f| f.refs.iter().any(|r| r.target == fam.id));
            let serves = fam.ops.iter().any(Option::is_some);
            for (c, _) in conditions().filter(|(_, scope)| scope.per_family()) {
                if !(serves || (referenced && c == Condition::UnknownEntity)) {
                    continue;
                }
                let code = condition_code(rows, c, Some(fam.name()))
                    .ok_or(SpecMismatch("a family's condition without a code"))?;
                self.codes.insert((c, Some(fam.id)), code);
            }
        }
        Ok(())
    }
}

fn family_model(
    id: FamilyId,
    info: &'static FamilyInfo,
    svc: &'static ServiceInfo,
) -> Result<FamilyModel, SpecMismatch> {
    let mut by_name = HashMap::new();
    for (i, p) in info.properties.iter().enumerate() {
        let pid = PropId::try_from(i)
            .map_err(|_| SpecMismatch("more properties than the simulator indexes"))?;
        by_name.insert((p.container, p.name), pid);
        for alias in p.aliases {
            by_name.entry((p.container, *alias)).or_insert(pid);
        }
    }
    let mut model = FamilyModel {
        id,
        info,
        by_name,
        keys: info
            .keys
            .iter()
            .filter_map(|k| PropId::try_from(*k).ok())
            .collect(),
        refs: Vec::new(),
        platform: None,
        account: None,
        rights: RightsModel::default(),
        ops: ENTITY_KINDS.map(|k| info.operation(k)),
        guards: [None; ENTITY_KINDS.len()],
        info_layout: Vec::new(),
        list_fields: Vec::new(),
        search: None,
        fields_input: None,
        partial: Vec::new(),
    };
    // Every path of the family table names a property (checked by the loader).
    let find = |model: &FamilyModel, container: Option<&str>, name: &str| {
        model
            .id(container, name)
            .ok_or(SpecMismatch("a family trait naming no property"))
    };
    if let Some(a) = &info.accounts {
        model.account = Some(AccountModel {
            password: find(&model, None, a.password)?,
            locked: find(&model, None, a.locked)?,
            permissions: find(&model, a.permissions_container, a.permissions)?,
        });
    }
    if let Some(p) = info.platform {
        model.platform = Some(find(&model, None, p)?);
    }
    let path = |model: &FamilyModel, path: &str| match path.split_once('.') {
        Some((c, n)) => find(model, Some(c), n),
        None => find(model, None, path),
    };
    if let Some(a) = &info.accounts {
        let mut rights = RightsModel::default();
        for g in a.grants {
            rights.grants.push(path(&model, g)?);
        }
        for f in a.flags {
            rights.flags.push(path(&model, f)?);
        }
        for t in a.tiers {
            rights.tiers.push((path(&model, t.property)?, t));
        }
        model.rights = rights;
    }
    for rule in svc.partial_rules.iter().filter(|r| r.family == info.name) {
        let asks = path(&model, rule.property)?;
        let needs = path(&model, rule.needs)?;
        model.partial.push(PartialModel {
            id: rule.id,
            asks,
            needs,
            code: rule.code,
        });
    }
    fill_layouts(&mut model);
    Ok(model)
}

/// The info layout, list fields, search and fields input of a family.
fn fill_layouts(fam: &mut FamilyModel) {
    if let Some(info) = fam.op(OpKind::Info) {
        for field in info.fields.iter().filter(|f| f.returned.is_some()) {
            let Some(id) = fam.id_of(field.property) else {
                continue;
            };
            let container = field.property.container;
            match fam.info_layout.iter_mut().find(|(c, _)| *c == container) {
                Some((_, ids)) => ids.push(id),
                None => fam.info_layout.push((container, vec![id])),
            }
        }
        // Top-level properties first, as the documented responses show.
        fam.info_layout.sort_by_key(|(c, _)| c.is_some());
    }
    if let Some(list) = fam.op(OpKind::List) {
        for field in list.fields {
            if let Some(default) = field.returned {
                let source = list_source(fam, field.property);
                fam.list_fields.push(ListField {
                    name: field.property.name,
                    default,
                    source,
                });
            }
        }
        if let Some(search) = &fam.info.search {
            let matches = search
                .matches
                .iter()
                .filter_map(|m| fam.id(None, m))
                .collect();
            fam.search = Some((search.input, matches));
        }
        // The input whose values name the list's fields.
        let returnable: Vec<&str> = fam.list_fields.iter().map(|f| f.name).collect();
        fam.fields_input = list
            .fields
            .iter()
            .filter(|f| f.input.is_some() && f.property.kind == ValueKind::List)
            .find(|f| {
                !f.property.values.is_empty()
                    && f.property.values.iter().all(|v| returnable.contains(v))
            })
            .map(|f| f.property.name);
    }
}

/// Where an entity's value for a list field comes from: the property of the same name at top
/// level, else the one container property with that name and type.
fn list_source(fam: &FamilyModel, p: &PropertyInfo) -> Option<PropId> {
    if let Some(id) = fam.id(None, p.name)
        && fam.prop(id).kind != ValueKind::Secret
        && storable(fam, id)
    {
        return Some(id);
    }
    let mut same =
        fam.info.properties.iter().enumerate().filter(|(_, q)| {
            q.container.is_some() && q.name == p.name && q.type_name == p.type_name
        });
    match (same.next(), same.next()) {
        (Some((i, _)), None) => PropId::try_from(i).ok(),
        _ => None,
    }
}

/// Whether an entity can hold `id`: an add or change takes it, an add returns it (a key the
/// service assigns), or it is a key.
pub(crate) fn storable(fam: &FamilyModel, id: PropId) -> bool {
    // A property that renames a key is an instruction, held as the key it renames.
    if fam.prop(id).renames.is_some() {
        return false;
    }
    fam.keys.contains(&id)
        || [OpKind::Add, OpKind::Change]
            .into_iter()
            .filter_map(|k| fam.op(k))
            .any(|op| {
                op.fields
                    .iter()
                    .any(|f| f.input.is_some() && fam.id_of(f.property) == Some(id))
            })
        || fam.op(OpKind::Add).is_some_and(|op| {
            op.fields
                .iter()
                .any(|f| f.returned.is_some() && fam.id_of(f.property) == Some(id))
        })
}

/// How `op` takes `id`, if it does.
pub(crate) fn input_of(fam: &FamilyModel, op: &OperationInfo, id: PropId) -> Option<InputUse> {
    op.fields
        .iter()
        .find(|f| fam.id_of(f.property) == Some(id))
        .and_then(|f| f.input)
}
