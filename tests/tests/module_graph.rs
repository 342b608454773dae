//! No import cycle between the modules of any crate, generated code included.
//!
//! Every `.rs` file under a crate's `src/` is a module; a module uses another when one of its
//! paths (a `use`, a type, an expression, a re-export) resolves into it. The code the spec
//! macro generates counts as part of the module that invokes it: it is generated here with
//! `akixi_schema::codegen` and read the same way, with `::akixi_client::` standing for the
//! crate. Test modules (`#[cfg(test)]`) are left out: they may use anything.
//!
//! Run it alone with `scripts/check-import-cycles.sh`, which prints the graph's cycles (none)
//! and its size.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// One crate's modules: path segments (`["akixi_ws", "client"]`) to file.
struct Crate {
    name: &'static str,
    /// The name the crate's code may use for itself (`::akixi_client` in generated code).
    self_name: &'static str,
    modules: BTreeMap<Vec<String>, PathBuf>,
}

const CRATES: &[(&str, &str, &str)] = &[
    ("akixi-schema", "akixi_schema", "src/lib.rs"),
    ("akixi-derive", "akixi_derive", "src/lib.rs"),
    ("akixi-client", "akixi_client", "src/lib.rs"),
    ("akixi-sim", "akixi_sim", "src/lib.rs"),
    ("akixi-cli", "akixi_cli", "src/main.rs"),
];

fn modules_of(dir: &Path, root: &str) -> BTreeMap<Vec<String>, PathBuf> {
    let src = dir.join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                // `src/bin` holds binaries of their own, not modules.
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).expect("under src");
            let mut segs: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if rel == Path::new(root) || rel == Path::new("main.rs") || rel == Path::new("lib.rs") {
                if rel != Path::new(root) {
                    continue;
                }
                segs.clear();
            } else if segs.last().is_some_and(|s| s == "mod") {
                segs.pop();
            }
            out.insert(segs, path);
        }
    }
    out
}

/// Every path a file mentions, with whether it is a `use` (relative `use` paths resolve from
/// the module itself in edition 2018+, like other paths).
#[derive(Default)]
struct Paths {
    paths: Vec<Vec<String>>,
}

impl Paths {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                full.push(n.ident.to_string());
                self.paths.push(full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                self.paths.push(full);
            }
            syn::UseTree::Glob(_) => self.paths.push(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if is_test(&u.attrs) {
            return;
        }
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push(String::new());
        }
        self.use_tree(&mut prefix, &u.tree);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let mut segs: Vec<String> = Vec::new();
        if p.leading_colon.is_some() {
            segs.push(String::new());
        }
        segs.extend(p.segments.iter().map(|s| s.ident.to_string()));
        if segs.len() > 1 {
            self.paths.push(segs);
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Macro bodies are tokens; the generated code of the spec macro is read separately.
        // Paths in other macros (`format!`, `matches!`) are read as far as they parse as an
        // expression list.
        if let Ok(exprs) = m.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            for e in &exprs {
                self.visit_expr(e);
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

/// The module a path resolves into, from module `here`, if it is a module of `krate`.
fn resolve(krate: &Crate, here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut abs: Vec<String>;
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            abs = Vec::new();
            rest = &path[1..];
        }
        Some("") if path.get(1).is_some_and(|s| s == krate.self_name) => {
            abs = Vec::new();
            rest = &path[2..];
        }
        Some(s) if s == krate.self_name => {
            abs = Vec::new();
            rest = &path[1..];
        }
        Some("self") => {
            abs = here.to_vec();
            rest = &path[1..];
        }
        Some("super") => {
            abs = here.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                abs.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            // A relative path names a child module of `here`, if any.
            let mut child = here.to_vec();
            child.push(first.to_string());
            if !krate.modules.contains_key(&child) {
                return None;
            }
            abs = here.to_vec();
        }
        None => return None,
    }
    // The longest prefix that is a module.
    let mut found = None;
    let mut cur = abs.clone();
    if krate.modules.contains_key(&cur) {
        found = Some(cur.clone());
    }
    for seg in rest {
        cur.push(seg.clone());
        if krate.modules.contains_key(&cur) {
            found = Some(cur.clone());
        } else {
            break;
        }
    }
    found
}

/// The code the spec macro generates where `file` invokes it, as a syntax tree.
fn generated(file: &syn::File, workspace: &Path) -> Vec<syn::File> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Macro(m) = item else { continue };
        if !m.mac.path.segments.iter().any(|s| s.ident == "service") {
            continue;
        }
        let args = m
            .mac
            .parse_body_with(
                syn::punctuated::Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated,
            )
            .expect("service! arguments");
        let mut service = String::new();
        for a in &args {
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &a.value
            else {
                continue;
            };
            if a.path.is_ident("service") {
                service = s.value();
            }
        }
        let spec = akixi_schema::Spec::load(workspace.join("spec")).expect("the spec loads");
        let svc = spec.service(&service).expect("the service exists");
        let tokens = akixi_schema::codegen::generate(svc);
        out.push(syn::parse2(tokens).expect("generated code parses"));
    }
    out
}

/// The module graph of one crate: module → the modules it uses.
fn graph(krate: &Crate, workspace: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &krate.modules {
        let text = std::fs::read_to_string(file).expect("read");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths::default();
        paths.visit_file(&ast);
        for generated in generated(&ast, workspace) {
            paths.visit_file(&generated);
        }
        let out = edges.entry(module.clone()).or_default();
        for p in &paths.paths {
            if let Some(target) = resolve(krate, module, p)
                && target != *module
            {
                out.insert(target);
            }
        }
    }
    edges
}

/// Strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'g> {
        edges: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        on_stack: BTreeSet<&'g Vec<String>>,
        next: usize,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g Vec<String>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let targets = s.edges.get(v).into_iter().flatten();
        for w in targets {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn show(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

#[test]
fn a_cycle_is_found_and_generated_code_is_read() {
    // A crate of three modules, two of them in a circle through a `use` and a path.
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\nmod c;\n").expect("write");
    std::fs::write(src.join("a.rs"), "use crate::b::B;\npub struct A;\n").expect("write");
    std::fs::write(src.join("b.rs"), "pub struct B(crate::a::A);\n").expect("write");
    std::fs::write(src.join("c.rs"), "use super::a::A;\n").expect("write");
    let krate = Crate {
        name: "fake",
        self_name: "fake",
        modules: modules_of(dir.path(), "lib.rs"),
    };
    let edges = graph(&krate, &akixi_tests::workspace());
    let found = cycles(&edges);
    let a = vec!["a".to_string()];
    let b = vec!["b".to_string()];
    assert_eq!(found, vec![vec![a.clone(), b]]);
    assert!(edges[&vec!["c".to_string()]].contains(&a));

    // The generated API uses its runtime, and with it the generic client its generated
    // `Client` wraps: edges of the real graph.
    let workspace = akixi_tests::workspace();
    let client = Crate {
        name: "akixi-client",
        self_name: "akixi_client",
        modules: modules_of(&workspace.join("akixi-client"), "lib.rs"),
    };
    let edges = graph(&client, &workspace);
    let m = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert!(edges[&m("akixi")].contains(&m("runtime::akixi_ws")));
    assert!(edges[&m("runtime::akixi_ws")].contains(&m("akixi_ws::client")));
    assert!(edges[&m("em")].contains(&m("runtime::cisco_em")));
}

#[test]
fn no_crate_has_an_import_cycle() {
    let workspace = akixi_tests::workspace();
    let mut report = Vec::new();
    let (mut modules, mut uses) = (0, 0);
    for (dir, self_name, root) in CRATES {
        let krate = Crate {
            name: dir,
            self_name,
            modules: modules_of(&workspace.join(dir), root),
        };
        let edges = graph(&krate, &workspace);
        modules += edges.len();
        uses += edges.values().map(BTreeSet::len).sum::<usize>();
        for cycle in cycles(&edges) {
            let names: Vec<String> = cycle.iter().map(|m| show(m)).collect();
            let mut ties = Vec::new();
            for a in &cycle {
                for b in &edges[a] {
                    if cycle.contains(b) {
                        ties.push(format!("    {} -> {}", show(a), show(b)));
                    }
                }
            }
            report.push(format!(
                "{}: {}\n{}",
                krate.name,
                names.join(", "),
                ties.join("\n")
            ));
        }
    }
    eprintln!(
        "{modules} modules, {uses} uses between them, {} cycles",
        report.len()
    );
    assert!(report.is_empty(), "import cycles:\n{}", report.join("\n"));
}
