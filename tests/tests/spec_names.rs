//! The Extension Mobility API's names are the spec's: its service paths, its actions and their
//! elements, and the elements its parameters and results go in appear in no crate's code but
//! the one protocol module that owns the grammar (`akixi-client/src/cisco_em/`) and the code
//! generated from the spec. Test modules are left out: they may use the names as data.
//!
//! The names are read from the spec itself, so the check follows it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use akixi_schema::model::OpKind;
use akixi_schema::{Binding, Spec};
use syn::visit::Visit;

/// Where the names may be spelled.
const GRAMMAR_OWNER: &str = "akixi-client/src/cisco_em";

const CRATES: &[&str] = &[
    "akixi-schema",
    "akixi-derive",
    "akixi-client",
    "akixi-sim",
    "akixi-cli",
];

/// The distinctive names of the `cisco-em` service.
fn em_names() -> BTreeSet<String> {
    let spec = Spec::load(akixi_tests::workspace().join("spec")).expect("the spec loads");
    let svc = spec.service("cisco-em").expect("cisco-em");
    let Binding::CiscoEm(b) = &svc.binding else {
        panic!("cisco-em binding")
    };
    let mut names = BTreeSet::new();
    names.extend([b.service_path.clone(), b.app_info_element.clone()]);
    for v in &b.versions {
        names.extend(v.request_path.iter().chain(&v.query_path).cloned());
    }
    names.extend(b.results.iter().map(|(_, r)| r.clone()));
    // Names that are also plain words (`login`, `time`) are left out: only the distinctive ones
    // (capitalised action names, camelCase elements, paths) can be told from prose.
    let camel = |s: &str| s.chars().skip(1).any(|c| c.is_ascii_uppercase());
    for (fam, op) in svc.operations() {
        names.insert(op.name.clone());
        names.extend(op.element.clone().filter(|e| camel(e)));
        for p in &fam.properties {
            // camelCase segments of the elements parameters go in (`deviceName`, `appID`).
            let segments = p.element.iter().flat_map(|e| e.split('/'));
            names.extend(segments.filter(|s| camel(s)).map(str::to_string));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The text of a file's non-test items: string literals, identifiers and doc comments.
#[derive(Default)]
struct Words {
    texts: Vec<String>,
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Words {
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
    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        self.texts.push(s.value());
    }
    fn visit_ident(&mut self, i: &'ast syn::Ident) {
        self.texts.push(i.to_string());
    }
    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        if let syn::Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            self.texts.push(s.value());
        }
        syn::visit::visit_attribute(self, a);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.texts.push(m.tokens.to_string());
        syn::visit::visit_macro(self, m);
    }
}

/// Whether `name` occurs in `text` as a whole word (not inside a longer identifier).
fn has_word(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn em_names_live_in_the_spec_the_generated_code_and_the_grammar_module() {
    let workspace = akixi_tests::workspace();
    let names = em_names();
    assert!(names.len() > 10, "{names:?}");
    let mut hits = Vec::new();
    for krate in CRATES {
        for file in rust_files(&workspace.join(krate).join("src")) {
            let rel = file
                .strip_prefix(&workspace)
                .expect("in the workspace")
                .to_string_lossy()
                .into_owned();
            if rel.starts_with(GRAMMAR_OWNER) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("read");
            let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mut words = Words::default();
            words.visit_file(&ast);
            for name in &names {
                if words.texts.iter().any(|t| has_word(t, name)) {
                    hits.push(format!("{rel}: `{name}`"));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "Extension Mobility names outside the spec and {GRAMMAR_OWNER}:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_check_finds_a_name() {
    assert!(has_word("the `LogoutAll` action", "LogoutAll"));
    assert!(!has_word("LogoutAllResultData", "LogoutAll"));
    assert!(has_word(
        "/emservice/EMServiceServlet",
        "/emservice/EMServiceServlet"
    ));
    let names = em_names();
    assert!(
        names.contains("LogoutAll") && names.contains("appInfo"),
        "{names:?}"
    );
}

/// The Akixi service's operation, family, container and (distinctive) property names.
fn akixi_names() -> BTreeSet<String> {
    let spec = Spec::load(akixi_tests::workspace().join("spec")).expect("the spec loads");
    let svc = spec.service("akixi").expect("akixi");
    let camel = |s: &str| s.chars().skip(1).any(|c| c.is_ascii_uppercase());
    let mut names = BTreeSet::new();
    for fam in &svc.families {
        let entities = [
            OpKind::Add,
            OpKind::Change,
            OpKind::Delete,
            OpKind::Info,
            OpKind::List,
        ];
        if !fam.operations.iter().any(|o| entities.contains(&o.kind)) {
            // The session's operations are named as the kinds the engine dispatches on.
            continue;
        }
        names.insert(fam.name.clone());
        names.extend(fam.operations.iter().map(|o| o.name.clone()));
        names.extend(fam.containers.iter().map(|c| c.name.clone()));
        names.extend(
            fam.properties
                .iter()
                .map(|p| p.name.clone())
                .filter(|n| camel(n)),
        );
    }
    names
}

/// The simulator's engine, its catalog, its world and its store.
const ENGINE_FILES: &[&str] = &[
    "akixi-sim/src/akixi/engine",
    "akixi-sim/src/akixi/catalog.rs",
    "akixi-sim/src/akixi/world.rs",
    "akixi-sim/src/store.rs",
];

/// Identifiers and string literals of non-test code (what the code does, not its prose).
#[derive(Default)]
struct Code {
    texts: Vec<String>,
}

impl<'ast> Visit<'ast> for Code {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }
    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        self.texts.push(s.value());
    }
    fn visit_ident(&mut self, i: &'ast syn::Ident) {
        self.texts.push(i.to_string());
    }
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.texts.push(m.tokens.to_string());
    }
}

#[test]
fn the_simulator_engine_names_no_family_operation_or_property() {
    let workspace = akixi_tests::workspace();
    let names = akixi_names();
    assert!(
        names.contains("UserAdd") && names.contains("TelSys") && names.contains("TelSysID"),
        "{names:?}"
    );
    let mut hits = Vec::new();
    for entry in ENGINE_FILES {
        let path = workspace.join(entry);
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path]
        };
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{entry}: {e}"));
            let mut code = Code::default();
            code.visit_file(&ast);
            for name in &names {
                if code.texts.iter().any(|t| has_word(t, name)) {
                    hits.push(format!("{}: `{name}`", file.display()));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the engine names what the spec says:\n{}",
        hits.join("\n")
    );
}
