//! Human-readable summaries of a loaded spec: one line for `akixi-spec check`, and a full outline
//! used by the snapshot tests (a change to the model shows up as a readable diff).

use std::fmt::Write as _;

use crate::model::*;

impl Spec {
    /// One line: how many services, operations, properties and error codes.
    pub fn summary_line(&self) -> String {
        let ops: usize = self.services.iter().map(|s| s.operations().count()).sum();
        let props: usize = self
            .services
            .iter()
            .flat_map(|s| s.families.iter())
            .map(|f| f.properties.len())
            .sum();
        let errors: usize = self.services.iter().map(|s| s.errors.len()).sum();
        format!(
            "ok: {} services, {ops} operations, {props} properties, {errors} error codes",
            self.services.len()
        )
    }

    /// A Markdown table of `service`'s families (the README's), each with its file, its
    /// operations and properties counted as documented and provisional, which entries are
    /// billable, the permission token guarding it and its REST operations; `None` for an unknown
    /// service.
    pub fn families_table(&self, service: &str) -> Option<String> {
        let s = self.services.iter().find(|s| s.name == service)?;
        let mut o = String::from(
            "| Family | File | Operations | Properties | Billable | Permission | REST operations |\n|---|---|---|---|---|---|---|\n",
        );
        let count = |provs: Vec<&Provenance>| {
            let provisional = provs.iter().filter(|p| p.provisional).count();
            match provisional {
                0 => format!("{}", provs.len()),
                n => format!("{} ({n} provisional)", provs.len()),
            }
        };
        for f in &s.families {
            let ops = count(f.operations.iter().map(|o| &o.provenance).collect());
            let props = count(f.properties.iter().map(|p| &p.provenance).collect());
            let file = f.loc.file.rsplit('/').next().unwrap_or(&f.loc.file);
            let rest: Vec<&Provenance> = s
                .rest
                .iter()
                .flat_map(|r| r.family_operations(&f.name))
                .map(|o| &o.provenance)
                .collect();
            let rest = if rest.is_empty() {
                "-".to_string()
            } else {
                count(rest)
            };
            let _ = writeln!(
                o,
                "| {} | `{file}` | {ops} | {props} | {} | {} | {rest} |",
                f.name,
                f.traits.billable.as_ref().map_or("-".to_string(), billable),
                f.traits
                    .permission
                    .as_deref()
                    .map_or("-".to_string(), |p| format!("`{p}`")),
            );
        }
        Some(o)
    }

    /// A full outline of the model, one fact per line.
    pub fn outline(&self) -> String {
        let mut o = String::new();
        for s in &self.services {
            outline_service(&mut o, s);
        }
        o
    }
}

fn billable(b: &Billable) -> String {
    match b {
        Billable::Always => "yes".to_string(),
        Billable::Never => "no".to_string(),
        Billable::When { property, values } => format!("{property} = {}", values.join(", ")),
    }
}

fn prov(p: &Provenance) -> String {
    let mut s = String::new();
    if let Some(src) = &p.source {
        let _ = write!(s, " [{src}]");
    }
    if p.provisional {
        s.push_str(" (provisional)");
    }
    s
}

fn outline_service(o: &mut String, s: &Service) {
    let _ = writeln!(
        o,
        "service {} ({}): {}",
        s.name,
        s.protocol().name(),
        s.title
    );
    for p in &s.platforms {
        let _ = writeln!(
            o,
            "  platform {} = {:?} (matrix column {:?}){}",
            p.id,
            p.name,
            p.matrix_column,
            prov(&p.provenance)
        );
    }
    for b in &s.binding_rows {
        let _ = writeln!(
            o,
            "  binding {} = {:?}{}",
            b.key,
            b.value,
            prov(&b.provenance)
        );
    }
    if let crate::model::Binding::CiscoEm(b) = &s.binding {
        for v in &b.versions {
            let paths = match (&v.request_path, &v.query_path) {
                (Some(r), Some(q)) => format!(" at {r:?} and {q:?}"),
                _ => String::new(),
            };
            let actions = v
                .actions
                .as_ref()
                .map(|a| format!(", only {}", a.join(", ")))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  version {:?} = {:?} (port {}){paths}{actions}{}",
                v.release,
                v.version,
                v.port,
                prov(&v.provenance)
            );
        }
    }
    if let Some(r) = &s.rest {
        outline_rest(o, r);
    }
    for t in &s.types {
        let detail = match &t.kind {
            TypeKind::Integer { min, max } => format!(" {min}..={max}"),
            TypeKind::List { item } => format!(" of {item}"),
            TypeKind::Selector { variant, of } => format!(" else {variant}({of})"),
            TypeKind::Fields { operation } => format!(" of {operation}"),
            TypeKind::Secret { wire } => format!(" {wire:?}"),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "  type {}: {}{detail}{}",
            t.name,
            t.kind.name(),
            prov(&t.provenance)
        );
        for v in &t.values {
            let _ = writeln!(
                o,
                "    value {:?} as {}{}",
                v.value,
                v.variant,
                prov(&v.provenance)
            );
        }
    }
    let spellings: Vec<String> = s
        .boolean_spellings
        .iter()
        .map(|b| {
            format!(
                "{}={}{}",
                b.spelling,
                b.value,
                if b.canonical { "*" } else { "" }
            )
        })
        .collect();
    let _ = writeln!(o, "  boolean spellings: {}", spellings.join(" "));
    for c in &s.categories {
        let codes: Vec<String> = s
            .errors
            .iter()
            .filter(|e| e.category == c.id)
            .map(|e| {
                let mut t = e.code.to_string();
                if e.partial_fail {
                    t.push('*');
                }
                t
            })
            .collect();
        let _ = writeln!(
            o,
            "  category {} ({:?}): {}",
            c.id,
            c.title,
            codes.join(" ")
        );
    }
    for e in s
        .errors
        .iter()
        .filter(|e| e.name.is_some() || e.message.is_some() || e.handling.is_some())
    {
        let _ = writeln!(
            o,
            "  error {} {} handling={:?} message={:?}{}",
            e.code,
            e.name.as_deref().unwrap_or("-"),
            e.handling,
            e.message.as_deref().unwrap_or(""),
            prov(&e.provenance)
        );
    }
    for r in &s.partial_rules {
        let _ = writeln!(
            o,
            "  partial-fail {} of {}: {} without {} -> {}*{}",
            r.id,
            r.family,
            r.property,
            r.needs,
            r.code,
            prov(&r.provenance)
        );
    }
    for v in &s.permission_verbs {
        let _ = writeln!(
            o,
            "  permission verb {} -> {}{}",
            v.kind.name(),
            v.verb,
            prov(&v.provenance)
        );
    }
    for c in &s.conditions {
        let _ = writeln!(
            o,
            "  condition {}{} -> {}{}",
            c.id,
            c.family
                .as_deref()
                .map(|f| format!(" of {f}"))
                .unwrap_or_default(),
            c.code,
            prov(&c.provenance)
        );
    }
    for f in &s.families {
        let _ = writeln!(o, "  family {}", f.name);
        let t = &f.traits;
        let traits: Vec<String> = [
            t.permission.as_deref().map(|p| format!("permission={p}")),
            t.placement.as_deref().map(|p| format!("placement={p}")),
            t.search
                .as_ref()
                .map(|s| format!("search={}:{}", s.input, s.matches.join(","))),
            t.platform.as_deref().map(|p| format!("platform={p}")),
            t.accounts.as_ref().map(|a| {
                let tiers: Vec<String> = a
                    .rights
                    .tiers
                    .iter()
                    .map(|t| format!("{}:{}", t.property, t.order.join("<")))
                    .collect();
                format!(
                    "accounts(password={},locked={},permissions={},grants={},flags={},tiers={})",
                    a.password,
                    a.locked,
                    a.permissions,
                    a.rights.grants.join("+"),
                    a.rights.flags.join("+"),
                    tiers.join(";")
                )
            }),
            t.billable
                .as_ref()
                .map(|b| format!("billable={}", billable(b))),
            t.support_axis.as_ref().map(|a| {
                let columns: Vec<String> =
                    a.columns.iter().map(|(v, c)| format!("{v}:{c}")).collect();
                format!("support-axis={}({})", a.property, columns.join(","))
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !traits.is_empty() {
            let _ = writeln!(o, "    traits: {}", traits.join(" "));
        }
        for c in &f.containers {
            let _ = writeln!(o, "    container {}{}", c.name, prov(&c.provenance));
        }
        for op in &f.operations {
            let codes: Vec<String> = op
                .errors
                .iter()
                .map(|e| format!("{}{}", e.code, if e.partial_fail { "*" } else { "" }))
                .collect();
            let _ = writeln!(
                o,
                "    operation {} ({}{}){}{}",
                op.name,
                op.kind.name(),
                if op.paged { ", paged" } else { "" },
                [
                    op.element.as_deref().map(|e| format!(" element={e}")),
                    (!op.aliases.is_empty()).then(|| format!(" aliases={}", op.aliases.join(","))),
                ]
                .into_iter()
                .flatten()
                .collect::<String>(),
                prov(&op.provenance)
            );
            let inputs: Vec<String> = f
                .inputs(&op.name)
                .map(|(p, i)| format!("{}:{:?}", p.path(), i))
                .collect();
            let outputs: Vec<String> = f
                .outputs(&op.name)
                .map(|(p, r)| format!("{}:{:?}", p.path(), r))
                .collect();
            let _ = writeln!(o, "      in: {}", inputs.join(" "));
            let _ = writeln!(o, "      out: {}", outputs.join(" "));
            let _ = writeln!(o, "      errors: {}", codes.join(" "));
        }
        for p in &f.properties {
            let support = match &p.support {
                None => "-".to_string(),
                Some(v) => s
                    .platforms
                    .iter()
                    .zip(v)
                    .filter(|(_, ok)| **ok)
                    .map(|(pl, _)| pl.id.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            let _ = writeln!(
                o,
                "    property {}: {} {:?}{} support={support}{}",
                p.path(),
                p.ty,
                p.access,
                [
                    (!p.aliases.is_empty()).then(|| format!(" aliases={}", p.aliases.join(","))),
                    p.element.as_deref().map(|e| format!(" element={e}")),
                    p.net_type.as_deref().map(|t| format!(" net={t}")),
                    p.default.as_deref().map(|d| format!(" default={d}")),
                    p.references
                        .as_ref()
                        .map(|r| format!(" references={}({:?})", r.family, r.on_delete)),
                    p.renames.as_deref().map(|k| format!(" renames={k}")),
                    p.axis_support.as_ref().map(|v| {
                        let on: Vec<&str> = f
                            .traits
                            .support_axis
                            .iter()
                            .flat_map(|a| &a.columns)
                            .zip(v)
                            .filter(|(_, ok)| **ok)
                            .map(|((value, _), _)| value.as_str())
                            .collect();
                        format!(" axis-support={}", on.join(","))
                    }),
                ]
                .into_iter()
                .flatten()
                .collect::<String>(),
                prov(&p.provenance)
            );
        }
    }
}

fn outline_rest(o: &mut String, r: &RestBinding) {
    for b in &r.rows {
        let _ = writeln!(o, "  rest {} = {:?}{}", b.key, b.value, prov(&b.provenance));
    }
    for st in &r.statuses {
        let name = Condition::ALL
            .iter()
            .find(|(_, c, _)| *c == st.condition)
            .map_or("?", |(n, _, _)| *n);
        let _ = writeln!(
            o,
            "  rest status {name} = {}{}",
            st.status,
            prov(&st.provenance)
        );
    }
    for op in &r.operations {
        let mut carries = match &op.inputs {
            Some(only) => format!(" only {}", only.join(", ")),
            None if op.except.is_empty() => String::new(),
            None => format!(" except {}", op.except.join(", ")),
        };
        if !op.query.is_empty() {
            let _ = write!(carries, ", query {}", op.query.join(", "));
        }
        for (p, v) in &op.implies {
            let _ = write!(carries, ", implies {p} = {v}");
        }
        let _ = writeln!(
            o,
            "  rest {} {} = {} {} carrying {}{carries}{}",
            op.family,
            op.name,
            op.route.method.name(),
            op.route.template(),
            op.shape,
            prov(&op.provenance)
        );
    }
    for p in &r.properties {
        let _ = writeln!(
            o,
            "  rest form {}.{} = {:?}{}",
            p.family,
            p.path,
            p.form,
            prov(&p.provenance)
        );
    }
}
