//! What a server knows of a family beyond its operations' tables: the `family` table of each
//! family (permission token, placement, search, platform, accounts), the service's
//! `permission-verbs`, and the `References` between families. Each fact is checked here
//! against the families, types and platforms, so that the simulator and the tools trust it.

use std::collections::HashMap;

use super::key_values::{KeyValues, Setting};
use super::loader::ServiceLoader;
use super::names::split_list;
use super::rights::RightsCells;
use super::tables::{KeyForm, KeySpec};
use crate::diag::{DiagKind, Loc, did_you_mean};
use crate::model::{
    Accounts, ErrorDef, Family, FamilyTraits, OpKind, PartialRule, PermissionVerb, Platform,
    Search, TypeKind, ValueType,
};
use crate::table::Cell;

/// The entity kinds a permission verb may be given for.
const ENTITY_KINDS: &[OpKind] = &OpKind::ENTITY_KINDS;

/// What the family traits are checked against.
pub(super) struct TraitContext<'m> {
    pub(super) types: &'m [ValueType],
    pub(super) platforms: &'m [Platform],
    pub(super) verbs: &'m [PermissionVerb],
}

impl<'a> ServiceLoader<'a> {
    /// The `permission-verbs` table: one verb per entity kind.
    pub(super) fn load_permission_verbs(&mut self) -> Vec<PermissionVerb> {
        let spec = KeySpec {
            column: "Kind",
            what: "permission verb",
            form: KeyForm::Kebab,
        };
        let mut out = Vec::new();
        for k in self.unique_rows("permission-verbs", spec) {
            let kind = ENTITY_KINDS.iter().find(|kind| kind.name() == k.key.text);
            let Some(&kind) = kind else {
                let names = ENTITY_KINDS.iter().map(|k| k.name());
                let hint = did_you_mean(&k.key.text, names.clone()).unwrap_or_else(|| {
                    format!("entity kinds: {}", names.collect::<Vec<_>>().join(", "))
                });
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::BadValue,
                    format!("`{}` is not an entity operation kind", k.key.text),
                    hint,
                );
                continue;
            };
            let verb = k.rows.text(k.row, "Verb").to_string();
            if verb.is_empty() || verb.contains(['|', ',']) {
                let at = k.rows.cell(k.row, "Verb").map_or(&k.key.loc, |c| &c.loc);
                self.d.error_hint(
                    at,
                    DiagKind::BadValue,
                    format!("`{verb}` is not a permission verb"),
                    "a word such as `Create`, without `|` or `,`",
                );
                continue;
            }
            let provenance = self.provenance(&k.rows, k.row);
            out.push(PermissionVerb {
                kind,
                verb,
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        out
    }

    /// Each family's `family` table, read and checked against the family, the types, the
    /// platforms and the permission verbs.
    pub(super) fn load_family_traits(&mut self, families: &mut [Family], cx: &TraitContext<'_>) {
        let spec = KeySpec {
            column: "Key",
            what: "key",
            form: KeyForm::NonEmpty,
        };
        let rows = self.keyed_rows("family", spec, |rows, _, key| {
            let family = super::families::family_of(rows)?.0;
            Some((family, key.text.clone()))
        });
        let mut tables: HashMap<String, (Loc, Vec<Setting>)> = HashMap::new();
        for k in rows {
            let Some((family, _)) = super::families::family_of(&k.rows) else {
                continue;
            };
            let setting = self.setting(&k);
            tables
                .entry(family)
                .or_insert_with(|| (k.rows.table.loc.clone(), Vec::new()))
                .1
                .push(setting);
        }
        let mut accounts_at: Option<(String, Loc)> = None;
        for fam in families.iter_mut() {
            let Some((table_loc, settings)) = tables.remove(&fam.name) else {
                continue;
            };
            let owner = format!("family `{}`", fam.name);
            let mut kv = KeyValues::new(
                self.d,
                "family",
                owner,
                settings,
                Some(table_loc.clone()),
                &table_loc,
            );
            let permission = kv.optional("permission");
            let placement = kv.optional("placement");
            let search = kv.optional("search");
            let platform = kv.optional("platform");
            let accounts = kv.optional("accounts");
            let billable = kv.optional("billable");
            let support_axis = kv.optional("support-axis");
            let account = accounts.as_ref().filter(|c| c.text == "yes").map(|_| {
                (
                    kv.cell(
                        "account-password",
                        "the secret property holding the password",
                    ),
                    kv.cell("account-locked", "the Boolean property that locks it out"),
                    kv.cell(
                        "account-permissions",
                        "the path of the list of permission tokens it holds",
                    ),
                    RightsCells {
                        grants: kv.optional("account-grants"),
                        flags: kv.optional("account-flags"),
                        tiers: kv.optional("account-tiers"),
                    },
                )
            });
            kv.finish();
            let mut traits = FamilyTraits {
                loc: Some(table_loc),
                ..FamilyTraits::default()
            };
            if let Some(c) = &permission {
                traits.permission = self.permission(fam, c, cx.verbs);
                traits.permission_loc = Some(c.loc.clone());
            }
            if let Some(c) = &placement {
                traits.placement = self.placement(fam, c);
            }
            if let Some(c) = &search {
                traits.search = self.search(fam, c);
            }
            if let Some(c) = &platform {
                traits.platform = self.platform_property(fam, c, cx);
            }
            if let Some(c) = &billable {
                traits.billable = self.billable(fam, c, cx.types);
            }
            if let Some(c) = &support_axis {
                traits.support_axis = self.support_axis(fam, c, cx);
            }
            if let Some(c) = &accounts
                && c.text != "yes"
            {
                self.d.error_hint(
                    &c.loc,
                    DiagKind::BadValue,
                    format!("`accounts` = `{}`", c.text),
                    "write `yes`, or leave the row out",
                );
            }
            if let Some((Some(password), Some(locked), Some(permissions), rights)) = account {
                if let Some((other, at)) = &accounts_at {
                    self.d.error_hint(
                        accounts.as_ref().map_or(&password.loc, |c| &c.loc),
                        DiagKind::Duplicate,
                        format!("family `{other}` already holds the accounts"),
                        format!("declared at {at}"),
                    );
                } else if let Some(a) =
                    self.accounts(fam, &password, &locked, &permissions, &rights, cx)
                {
                    self.account_key(fam, accounts.as_ref().map_or(&password.loc, |c| &c.loc));
                    accounts_at = Some((
                        fam.name.clone(),
                        accounts
                            .as_ref()
                            .map_or(password.loc.clone(), |c| c.loc.clone()),
                    ));
                    traits.accounts = Some(a);
                }
            }
            fam.traits = traits;
        }
        self.check_permission_tokens(families, cx);
    }

    fn permission(
        &mut self,
        fam: &Family,
        cell: &Cell,
        verbs: &[PermissionVerb],
    ) -> Option<String> {
        if cell.text.is_empty() || cell.text.contains(['|', ',']) {
            self.d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                format!("`{}` is not a permission token's first part", cell.text),
                "a word such as `User`, without `|` or `,`",
            );
            return None;
        }
        for op in fam
            .operations
            .iter()
            .filter(|o| ENTITY_KINDS.contains(&o.kind))
        {
            if !verbs.iter().any(|v| v.kind == op.kind) {
                self.d.error_hint(
                    &cell.loc,
                    DiagKind::Missing,
                    format!(
                        "`{}` is a `{}` operation, and `permission-verbs` has no verb for it",
                        op.name,
                        op.kind.name()
                    ),
                    format!("add `| {} | … |` to `permission-verbs`", op.kind.name()),
                );
            }
        }
        Some(cell.text.clone())
    }

    fn placement(&mut self, fam: &Family, cell: &Cell) -> Option<String> {
        if fam.container(&cell.text).is_some() {
            return Some(cell.text.clone());
        }
        let hint = did_you_mean(&cell.text, fam.containers.iter().map(|c| c.name.as_str()))
            .unwrap_or_else(|| "name a container of the family".to_string());
        self.d.error_hint(
            &cell.loc,
            DiagKind::UnknownContainer,
            format!("family `{}` has no container `{}`", fam.name, cell.text),
            hint,
        );
        None
    }

    /// `Input: Match, Match`: the list operation's input and the properties it matches.
    fn search(&mut self, fam: &Family, cell: &Cell) -> Option<Search> {
        let Some((input, matches)) = cell.text.split_once(':') else {
            self.d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                format!("`{}` is not a search", cell.text),
                "write the list's input, `:`, and the properties it matches (`SearchQuery: Username, FullName`)",
            );
            return None;
        };
        let input = input.trim();
        let list = fam.operation_of(OpKind::List);
        let takes = list.is_some_and(|op| {
            fam.inputs(&op.name)
                .any(|(p, _)| p.container.is_none() && p.name == input)
        });
        let mut ok = true;
        if !takes {
            self.d.error_hint(
                &cell.loc,
                DiagKind::UnknownProperty,
                format!(
                    "`{input}` is not an input of family `{}`'s list operation",
                    fam.name
                ),
                "name a top-level property the list operation takes",
            );
            ok = false;
        }
        let matches = split_list(matches);
        for m in &matches {
            if fam.property(m).is_none_or(|p| p.container.is_some()) {
                let hint = did_you_mean(m, fam.properties.iter().map(|p| p.name.as_str()))
                    .unwrap_or_else(|| "name top-level properties of the family".to_string());
                self.d.error_hint(
                    &cell.loc,
                    DiagKind::UnknownProperty,
                    format!("family `{}` has no top-level property `{m}`", fam.name),
                    hint,
                );
                ok = false;
            }
        }
        if matches.is_empty() {
            self.d.error(
                &cell.loc,
                DiagKind::Missing,
                "a search matches at least one property",
            );
            ok = false;
        }
        ok.then(|| Search {
            input: input.to_string(),
            matches,
        })
    }

    /// A top-level enum property whose values are platform ids.
    fn platform_property(
        &mut self,
        fam: &Family,
        cell: &Cell,
        cx: &TraitContext<'_>,
    ) -> Option<String> {
        let Some(p) = fam.property(&cell.text).filter(|p| p.container.is_none()) else {
            self.d.error_hint(
                &cell.loc,
                DiagKind::UnknownProperty,
                format!(
                    "family `{}` has no top-level property `{}`",
                    fam.name, cell.text
                ),
                "name the property holding the platform",
            );
            return None;
        };
        let ty = cx.types.iter().find(|t| t.name == p.ty)?;
        let not_platform: Vec<&str> = ty
            .values
            .iter()
            .map(|v| v.value.as_str())
            .filter(|v| !cx.platforms.iter().any(|pl| pl.id == *v))
            .collect();
        if ty.kind != TypeKind::Enum || ty.values.is_empty() || !not_platform.is_empty() {
            let ids: Vec<&str> = cx.platforms.iter().map(|p| p.id.as_str()).collect();
            self.d.error_hint(
                &cell.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` is of type `{}`, which is not an enum of platform ids",
                    p.name, ty.name
                ),
                format!("its values must be ids of `platforms`: {}", ids.join(", ")),
            );
            return None;
        }
        Some(p.name.clone())
    }

    fn accounts(
        &mut self,
        fam: &Family,
        password: &Cell,
        locked: &Cell,
        permissions: &Cell,
        rights: &RightsCells,
        cx: &TraitContext<'_>,
    ) -> Option<Accounts> {
        let kind_of = |path: &str| {
            let p = fam.property(path)?;
            cx.types.iter().find(|t| t.name == p.ty).map(|t| &t.kind)
        };
        let mut ok = true;
        for (cell, wanted, check) in [
            (
                password,
                "a top-level secret",
                matches!(kind_of(&password.text), Some(TypeKind::Secret { .. }))
                    && !password.text.contains('.'),
            ),
            (
                locked,
                "a top-level Boolean",
                matches!(kind_of(&locked.text), Some(TypeKind::Boolean))
                    && !locked.text.contains('.'),
            ),
            (
                permissions,
                "a list",
                matches!(kind_of(&permissions.text), Some(TypeKind::List { .. })),
            ),
        ] {
            if !check {
                self.d.error_hint(
                    &cell.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "family `{}` has no property `{}` that is {wanted}",
                        fam.name, cell.text
                    ),
                    "write the property's path (`Container.Name` or `Name`)",
                );
                ok = false;
            }
        }
        let rights = if ok {
            self.rights(fam, &permissions.text, rights, cx.types)
        } else {
            None
        };
        Some(Accounts {
            password: password.text.clone(),
            locked: locked.text.clone(),
            permissions: permissions.text.clone(),
            rights: rights?,
        })
    }

    /// An account signs in by one name: the accounts family has one key.
    fn account_key(&mut self, fam: &Family, at: &Loc) {
        let keys: Vec<&str> = fam.keys().map(|k| k.name.as_str()).collect();
        if keys.len() != 1 {
            self.d.error_hint(
                at,
                DiagKind::Inconsistent,
                format!(
                    "the accounts of family `{}` must be named by one key; its keys: {}",
                    fam.name,
                    if keys.is_empty() {
                        "none".to_string()
                    } else {
                        keys.join(", ")
                    }
                ),
                "an account signs in by one name: mark one top-level property `key` in `usage`",
            );
        }
    }

    /// Every family's tokens (`User|Create`) are values of the accounts' permission list.
    fn check_permission_tokens(&mut self, families: &[Family], cx: &TraitContext<'_>) {
        let Some(accounts) = families.iter().find_map(|f| {
            let a = f.traits.accounts.as_ref()?;
            let p = f.property(&a.permissions)?;
            Some((f, p))
        }) else {
            return;
        };
        let item = cx
            .types
            .iter()
            .find(|t| t.name == accounts.1.ty)
            .and_then(|t| match &t.kind {
                TypeKind::List { item } => cx.types.iter().find(|t| t.name == *item),
                _ => None,
            });
        let Some(item) = item else {
            return;
        };
        for fam in families {
            let (Some(prefix), Some(loc)) = (&fam.traits.permission, &fam.traits.permission_loc)
            else {
                continue;
            };
            let mut reported = Vec::new();
            for op in fam.operations.iter() {
                let Some(verb) = cx.verbs.iter().find(|v| v.kind == op.kind) else {
                    continue;
                };
                let token = format!("{prefix}|{}", verb.verb);
                if !item.values.iter().any(|v| v.value == token) && !reported.contains(&token) {
                    reported.push(token.clone());
                    self.d.error_hint(
                        loc,
                        DiagKind::UnknownReference,
                        format!(
                            "`{}` needs the permission `{token}`, which `{}` does not list",
                            op.name, item.name
                        ),
                        format!("add it to `values: {}`, or change `permission`", item.name),
                    );
                }
            }
        }
    }

    /// The `partial-fail` table: each rule's family, properties and PartialFail code.
    pub(super) fn load_partial_rules(
        &mut self,
        families: &[Family],
        errors: &[ErrorDef],
    ) -> Vec<PartialRule> {
        let spec = KeySpec {
            column: "Condition",
            what: "partial-fail condition",
            form: KeyForm::Kebab,
        };
        let mut out = Vec::new();
        for k in self.unique_rows("partial-fail", spec) {
            let (rows, row) = (&k.rows, k.row);
            let (Some(family), Some(property), Some(needs), Some(code)) = (
                rows.cell(row, "Family"),
                rows.cell(row, "Property"),
                rows.cell(row, "Needs"),
                rows.cell(row, "Code"),
            ) else {
                continue;
            };
            let Some(fam) = families.iter().find(|f| f.name == family.text) else {
                let hint = did_you_mean(&family.text, families.iter().map(|f| f.name.as_str()))
                    .unwrap_or_else(|| "name a family (`> family:` of a file)".to_string());
                self.d.error_hint(
                    &family.loc,
                    DiagKind::UnknownReference,
                    format!("no family `{}`", family.text),
                    hint,
                );
                continue;
            };
            let mut ok = true;
            for cell in [property, needs] {
                if fam.property(&cell.text).is_none() {
                    let hint =
                        did_you_mean(&cell.text, fam.properties.iter().map(|p| p.name.as_str()))
                            .unwrap_or_else(|| "write `Container.Name` or `Name`".to_string());
                    self.d.error_hint(
                        &cell.loc,
                        DiagKind::UnknownProperty,
                        format!("family `{}` has no property `{}`", fam.name, cell.text),
                        hint,
                    );
                    ok = false;
                }
            }
            let number = code.text.trim_end_matches('*').parse::<u32>().ok();
            match number.and_then(|n| errors.iter().find(|e| e.code == n)) {
                Some(e) if e.partial_fail => {}
                Some(e) => {
                    self.d.error_hint(
                        &code.loc,
                        DiagKind::Inconsistent,
                        format!("error {} is not a PartialFail code", e.code),
                        "mark it `Partial Fail: yes` in `errors`, or name a code that is",
                    );
                    ok = false;
                }
                None => {
                    self.d.error_hint(
                        &code.loc,
                        DiagKind::UnknownErrorCode,
                        format!("`{}` is not a code of the `errors` table", code.text),
                        "add a row for it to `errors`",
                    );
                    ok = false;
                }
            }
            if !ok {
                continue;
            }
            let provenance = self.provenance(rows, row);
            out.push(PartialRule {
                id: k.key.text.clone(),
                family: fam.name.clone(),
                property: property.text.clone(),
                needs: needs.text.clone(),
                code: number.unwrap_or_default(),
                description: rows.text(row, "Description").to_string(),
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        out
    }

    /// Every `References` names a family with keys, and the referencing property's container
    /// has a property for each of those keys; the references between families form no cycle
    /// (a family may reference its own entities), so that there is a reference order.
    pub(super) fn check_references(&mut self, families: &[Family]) {
        self.check_reference_links(families);
        let (_, cycle) = crate::model::service::reference_order(families);
        for &i in &cycle {
            let fam = &families[i];
            let back = fam.properties.iter().find_map(|p| {
                let r = p.references.as_ref()?;
                let target = families.iter().position(|f| f.name == r.family)?;
                (target != i && cycle.contains(&target)).then_some((p, r))
            });
            if let Some((p, r)) = back {
                let names: Vec<&str> = cycle.iter().map(|j| families[*j].name.as_str()).collect();
                self.d.error_hint(
                    &r.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "`{}` of family `{}` references `{}`, and the references among {} form a cycle",
                        p.path(),
                        fam.name,
                        r.family,
                        names.join(", ")
                    ),
                    "an entity can be created only after what it references: break the cycle",
                );
            }
        }
    }

    fn check_reference_links(&mut self, families: &[Family]) {
        for fam in families {
            for p in &fam.properties {
                let Some(r) = &p.references else {
                    continue;
                };
                let Some(target) = families.iter().find(|f| f.name == r.family) else {
                    let hint = did_you_mean(&r.family, families.iter().map(|f| f.name.as_str()))
                        .unwrap_or_else(|| "name a family (`> family:` of a file)".to_string());
                    self.d.error_hint(
                        &r.loc,
                        DiagKind::UnknownReference,
                        format!("no family `{}`", r.family),
                        hint,
                    );
                    continue;
                };
                let keys: Vec<&str> = target.keys().map(|k| k.name.as_str()).collect();
                if keys.is_empty() {
                    self.d.error_hint(
                        &r.loc,
                        DiagKind::Inconsistent,
                        format!("family `{}` has no key to reference it by", target.name),
                        "mark its identifying property `key` in an operation's `usage`",
                    );
                    continue;
                }
                if !keys.contains(&p.name.as_str()) {
                    self.d.error_hint(
                        &r.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` references `{}`, whose keys are {}",
                            p.path(),
                            target.name,
                            keys.join(", ")
                        ),
                        "a reference is a property named as one of the referenced family's keys",
                    );
                    continue;
                }
                for key in keys {
                    let sibling = fam
                        .properties
                        .iter()
                        .any(|s| s.name == key && s.container == p.container);
                    if !sibling {
                        self.d.error_hint(
                            &r.loc,
                            DiagKind::Inconsistent,
                            format!(
                                "`{}` references `{}`, keyed also by `{key}`, which is not beside it",
                                p.path(),
                                target.name
                            ),
                            format!(
                                "add `{key}` to the same container of family `{}`",
                                fam.name
                            ),
                        );
                    }
                }
            }
        }
    }
}
