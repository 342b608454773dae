//! Conformance cases: the documented exchanges of each service, as spec data
//! (`spec/<service>/conformance/*.md`), and the divergences from them we know of. This module
//! reads and checks them (every problem located as `file:line:col`); a runner that links the
//! client and the simulator runs them (`akixi-conformance`, run by `akixi-spec conformance` and
//! by `cargo test`).
//!
//! A case file is Markdown. Each `## case: ID` section is one case:
//!
//! ````text
//! ## case: login-request
//! > source: doc:em-devnet
//! > where: SECTION OF THE SOURCE, where the example stands
//! > action: THE ACTION'S NAME
//! > parts: codec, client, simulator
//! > outcome: success
//!
//! ```xml request
//! <request>…</request>
//! ```
//!
//! | Parameter | Value |
//! |---|---|
//! | DeviceName | SEP003094C25B15 |
//! ````
//!
//! - directives: `source` (a key of the service's `sources` table), `where` (the place in that
//!   source), `action` (an operation, or one of its aliases), `parts` (`codec`, `client`,
//!   `simulator`), `outcome` (`success`, `failure`, `results`, `undecodable`, `wrong-kind`),
//!   `code` and `message` (a failure's), `method` (the HTTP method the simulator is sent),
//!   `setup` (cases whose requests the simulator is sent first, in order);
//! - fenced blocks: ```` ```xml request ```` / ```` ```form request ```` (a form body, verbatim)
//!   and ```` ```xml response ````, the documented text verbatim;
//! - a `Parameter | Value` table: the request's typed values, by the spec's names;
//! - a table whose first column is `Result`: the records the response means, one row each,
//!   in order (only the columns given are compared).
//!
//! A file may hold a `## divergences` section: a `Case | Part | Reason` table of the
//! case-and-part pairs known to differ from the documentation, with the reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Loc, did_you_mean};
use crate::model::Spec;

/// The directory of a service's cases, inside its spec directory.
pub const DIR: &str = "conformance";

/// A part of the project a case is run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The generated codec: the typed request writes the documented request; the documented
    /// response reads as the typed values.
    Codec,
    /// The client over HTTP against a canned server answering the documented response.
    Client,
    /// The simulator answering the documented request.
    Simulator,
}

impl Part {
    /// Every part, in the table's order.
    pub const ALL: [Part; 3] = [Part::Codec, Part::Client, Part::Simulator];

    /// Its name in case files.
    pub const fn name(self) -> &'static str {
        match self {
            Part::Codec => "codec",
            Part::Client => "client",
            Part::Simulator => "simulator",
        }
    }

    /// The part named `name`.
    pub fn parse(name: &str) -> Option<Part> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// What a response means, in outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The action was carried out (a request's success).
    Success,
    /// The service refused it (a failure, with a code and a message).
    Failure,
    /// A query's results.
    Results,
    /// Not a response document the codec can read.
    Undecodable,
    /// A response document of the wrong kind for the action.
    WrongKind,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 5] = [
        Outcome::Success,
        Outcome::Failure,
        Outcome::Results,
        Outcome::Undecodable,
        Outcome::WrongKind,
    ];

    /// Its name in case files.
    pub const fn name(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Results => "results",
            Outcome::Undecodable => "undecodable",
            Outcome::WrongKind => "wrong-kind",
        }
    }

    /// The outcome named `name`.
    pub fn parse(name: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// A documented text, verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text between the fences.
    pub text: String,
    /// A form body (`xml=%3C…`) rather than a document.
    pub form: bool,
    /// Where it starts.
    pub loc: Loc,
}

/// One documented exchange and what it must mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its id, unique in its service.
    pub id: String,
    /// The service (its spec directory's name).
    pub service: String,
    /// Where its heading is.
    pub loc: Loc,
    /// The `sources` key it is quoted from.
    pub source: String,
    /// The place in that source.
    pub place: String,
    /// The operation it exercises.
    pub action: Option<String>,
    /// The parts it applies to.
    pub parts: Vec<Part>,
    /// What the response means.
    pub outcome: Option<Outcome>,
    /// A failure's code.
    pub code: Option<u32>,
    /// A failure's message.
    pub message: Option<String>,
    /// The HTTP method the simulator is sent (default: the binding's).
    pub method: Option<String>,
    /// Cases whose requests the simulator is sent first.
    pub setup: Vec<String>,
    /// The documented request.
    pub request: Option<Block>,
    /// The documented response.
    pub response: Option<Block>,
    /// The request's typed values, by the spec's names.
    pub parameters: Vec<(String, String)>,
    /// The records the response means.
    pub results: Vec<Vec<(String, String)>>,
}

impl Case {
    /// Whether it applies to `part`.
    pub fn applies(&self, part: Part) -> bool {
        self.parts.contains(&part)
    }
}

/// A case-and-part pair known to differ from the documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// The service.
    pub service: String,
    /// The case.
    pub case: String,
    /// The part.
    pub part: Part,
    /// Why, with the evidence.
    pub reason: String,
    /// Where its row is.
    pub loc: Loc,
}

/// Every case and known divergence of a spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conformance {
    /// The cases, by service (in name order) then file and place.
    pub cases: Vec<Case>,
    /// The known divergences.
    pub divergences: Vec<Divergence>,
}

impl Conformance {
    /// The known divergence of `case` in `part`, if one is listed.
    pub fn divergence(&self, service: &str, case: &str, part: Part) -> Option<&Divergence> {
        self.divergences
            .iter()
            .find(|d| d.service == service && d.case == case && d.part == part)
    }

    /// The case `id` of `service`.
    pub fn case(&self, service: &str, id: &str) -> Option<&Case> {
        self.cases
            .iter()
            .find(|c| c.service == service && c.id == id)
    }
}

/// Reads and checks the cases of every service of `spec`, loaded from `dir` (shown as
/// `display` in diagnostics). A service without a `conformance` directory has no cases.
pub fn load(dir: &Path, display: &str, spec: &Spec) -> Result<Conformance, Vec<Diagnostic>> {
    let mut d = Diagnostics::default();
    let mut out = Conformance::default();
    for svc in &spec.services {
        let cdir = dir.join(&svc.name).join(DIR);
        if !cdir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&cdir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
                .collect(),
            Err(e) => {
                let file: Arc<str> = Arc::from(format!("{display}/{}/{DIR}", svc.name));
                d.error(
                    &Loc::new(&file, 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read: {e}"),
                );
                continue;
            }
        };
        files.sort();
        let first_case = out.cases.len();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file: Arc<str> = Arc::from(format!("{display}/{}/{DIR}/{name}", svc.name));
            match std::fs::read(&path) {
                Err(e) => d.error(
                    &Loc::new(&file, 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read: {e}"),
                ),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => parse_file(&file, &text, &svc.name, &mut out, &mut d),
                    Err(_) => d.error(
                        &Loc::new(&file, 1, 1),
                        DiagKind::BadUtf8,
                        "the file is not valid UTF-8",
                    ),
                },
            }
        }
        check_service(spec, &svc.name, first_case, &out, &mut d);
    }
    if d.has_errors() {
        return Err(d.into_sorted());
    }
    Ok(out)
}

/// The cases of one file held in memory (for tests and tools), checked against `spec`.
pub fn load_text(
    service: &str,
    file: &str,
    text: &str,
    spec: &Spec,
) -> Result<Conformance, Vec<Diagnostic>> {
    let mut d = Diagnostics::default();
    let mut out = Conformance::default();
    parse_file(&Arc::from(file), text, service, &mut out, &mut d);
    check_service(spec, service, 0, &out, &mut d);
    if d.has_errors() {
        return Err(d.into_sorted());
    }
    Ok(out)
}

const DIRECTIVES: &[&str] = &[
    "source", "where", "action", "parts", "outcome", "code", "message", "method", "setup",
];

/// What a section being read is.
enum Section {
    None,
    Case(Box<Case>),
    Divergences,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn parse_file(
    file: &Arc<str>,
    text: &str,
    service: &str,
    out: &mut Conformance,
    d: &mut Diagnostics,
) {
    let lines: Vec<&str> = text.lines().collect();
    let mut section = Section::None;
    let mut i = 0;
    let finish = |section: Section, out: &mut Conformance, d: &mut Diagnostics| {
        if let Section::Case(case) = section {
            if case.request.is_none() && case.response.is_none() {
                d.error(
                    &case.loc,
                    DiagKind::Missing,
                    format!(
                        "case `{}` has neither a ```xml request``` nor a ```xml response``` block",
                        case.id
                    ),
                );
            }
            out.cases.push(*case);
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let loc = Loc::new(file, to_u32(i + 1), 1);
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            let old = std::mem::replace(&mut section, Section::None);
            finish(old, out, d);
            let heading = heading.trim();
            if let Some(id) = heading.strip_prefix("case:") {
                let id = id.trim();
                if id.is_empty() || id.contains(char::is_whitespace) {
                    d.error(
                        &loc,
                        DiagKind::BadValue,
                        "a case id is one word: `## case: login-request`",
                    );
                }
                section = Section::Case(Box::new(Case {
                    id: id.to_owned(),
                    service: service.to_owned(),
                    loc: loc.clone(),
                    source: String::new(),
                    place: String::new(),
                    action: None,
                    parts: Vec::new(),
                    outcome: None,
                    code: None,
                    message: None,
                    method: None,
                    setup: Vec::new(),
                    request: None,
                    response: None,
                    parameters: Vec::new(),
                    results: Vec::new(),
                }));
            } else if heading == "divergences" {
                section = Section::Divergences;
            }
            i += 1;
            continue;
        }
        if let Some(info) = trimmed.strip_prefix("```") {
            let start = i;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                body.push(lines[i]);
                i += 1;
            }
            if i >= lines.len() {
                d.error(
                    &loc,
                    DiagKind::MalformedTable,
                    "this fenced block is never closed",
                );
            }
            i += 1;
            if let Section::Case(case) = &mut section {
                let words: Vec<&str> = info.split_whitespace().collect();
                let block = |form: bool| Block {
                    text: body.join("\n"),
                    form,
                    loc: Loc::new(file, to_u32(start + 2), 1),
                };
                match words.as_slice() {
                    [lang, "request"] if *lang == "xml" || *lang == "form" => {
                        let b = block(*lang == "form");
                        if case.request.replace(b).is_some() {
                            d.error(&loc, DiagKind::Duplicate, "a second request block");
                        }
                    }
                    ["xml", "response"] => {
                        if case.response.replace(block(false)).is_some() {
                            d.error(&loc, DiagKind::Duplicate, "a second response block");
                        }
                    }
                    _ => d.error_hint(
                        &loc,
                        DiagKind::BadValue,
                        format!("a case's block is ```xml request```, ```form request``` or ```xml response```, not ```{info}```"),
                        "other fenced blocks belong outside `## case:` sections",
                    ),
                }
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('>') {
            let rest = rest.trim();
            let Some((key, value)) = rest.split_once(':') else {
                i += 1;
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            if !key.chars().all(|c| c.is_ascii_lowercase() || c == '-') || key.is_empty() {
                i += 1;
                continue;
            }
            match &mut section {
                Section::Case(case) => directive(case, key, value, &loc, d),
                _ => d.error(
                    &loc,
                    DiagKind::BadDirective,
                    format!("`{key}` outside a `## case:` section"),
                ),
            }
            i += 1;
            continue;
        }
        if trimmed.starts_with('|') {
            let start = i;
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim().starts_with('|') {
                rows.push((i, lines[i].trim()));
                i += 1;
            }
            table(file, start, &rows, &mut section, service, out, d);
            continue;
        }
        i += 1;
    }
    finish(section, out, d);
}

fn directive(case: &mut Case, key: &str, value: &str, loc: &Loc, d: &mut Diagnostics) {
    match key {
        "source" => case.source = value.to_owned(),
        "where" => case.place = value.to_owned(),
        "action" => case.action = Some(value.to_owned()),
        "parts" => {
            for p in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match Part::parse(p) {
                    Some(part) if !case.parts.contains(&part) => case.parts.push(part),
                    Some(_) => d.error(loc, DiagKind::Duplicate, format!("part `{p}` twice")),
                    None => d.error_hint(
                        loc,
                        DiagKind::BadValue,
                        format!("unknown part `{p}`"),
                        "parts: codec, client, simulator",
                    ),
                }
            }
        }
        "outcome" => match Outcome::parse(value) {
            Some(o) => case.outcome = Some(o),
            None => d.error_hint(
                loc,
                DiagKind::BadValue,
                format!("unknown outcome `{value}`"),
                "success, failure, results, undecodable or wrong-kind",
            ),
        },
        "code" => match value.parse() {
            Ok(n) => case.code = Some(n),
            Err(_) => d.error(loc, DiagKind::BadValue, format!("`{value}` is not a code")),
        },
        "message" => case.message = Some(value.to_owned()),
        "method" => case.method = Some(value.to_ascii_uppercase()),
        "setup" => {
            case.setup = value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        other => {
            let hint = did_you_mean(other, DIRECTIVES.iter().copied());
            d.error_hint(
                loc,
                DiagKind::BadDirective,
                format!("unknown directive `{other}`"),
                hint.unwrap_or_else(|| format!("directives: {}", DIRECTIVES.join(", "))),
            );
        }
    }
}

/// The cells of a pipe-table row (`\|` is a literal bar).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_owned()),
            c => cell.push(c),
        }
    }
    out.push(cell.trim().to_owned());
    out
}

fn unquote(cell: &str) -> String {
    cell.strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .unwrap_or(cell)
        .to_owned()
}

fn table(
    file: &Arc<str>,
    start: usize,
    rows: &[(usize, &str)],
    section: &mut Section,
    service: &str,
    out: &mut Conformance,
    d: &mut Diagnostics,
) {
    let loc = |line: usize| Loc::new(file, to_u32(line + 1), 1);
    let Some((_, header)) = rows.first() else {
        return;
    };
    let header = cells(header);
    let delimiter = rows.get(1).map(|(_, r)| cells(r));
    if !delimiter.is_some_and(|cs| {
        cs.iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
    }) {
        d.error(
            &loc(start),
            DiagKind::MalformedTable,
            "a table needs a delimiter row (`|---|---|`) under its header",
        );
        return;
    }
    let body: Vec<(usize, Vec<String>)> = rows[2..].iter().map(|(n, r)| (*n, cells(r))).collect();
    for (n, r) in &body {
        if r.len() != header.len() {
            d.error(
                &loc(*n),
                DiagKind::MalformedTable,
                format!("{} cells where the header has {}", r.len(), header.len()),
            );
        }
    }
    let body: Vec<(usize, Vec<String>)> = body
        .into_iter()
        .filter(|(_, r)| r.len() == header.len())
        .collect();
    match section {
        Section::Case(case) => match header.first().map(String::as_str) {
            Some("Parameter") if header.len() == 2 => {
                case.parameters
                    .extend(body.iter().map(|(_, r)| (r[0].clone(), unquote(&r[1]))));
            }
            Some("Result") => {
                for (_, r) in &body {
                    case.results.push(
                        header
                            .iter()
                            .zip(r)
                            .skip(1)
                            .map(|(h, v)| (h.clone(), unquote(v)))
                            .collect(),
                    );
                }
            }
            _ => d.error_hint(
                &loc(start),
                DiagKind::BadColumn,
                "a case's table is `| Parameter | Value |` or starts with a `Result` column",
                "the request's typed values, or the records the response means",
            ),
        },
        Section::Divergences => {
            if header != ["Case", "Part", "Reason"] {
                d.error(
                    &loc(start),
                    DiagKind::BadColumn,
                    "the divergences table is `| Case | Part | Reason |`",
                );
                return;
            }
            for (n, r) in body {
                let Some(part) = Part::parse(&r[1]) else {
                    d.error_hint(
                        &loc(n),
                        DiagKind::BadValue,
                        format!("unknown part `{}`", r[1]),
                        "parts: codec, client, simulator",
                    );
                    continue;
                };
                out.divergences.push(Divergence {
                    service: service.to_owned(),
                    case: unquote(&r[0]),
                    part,
                    reason: r[2].clone(),
                    loc: loc(n),
                });
            }
        }
        Section::None => {}
    }
}

/// Checks what needs the spec and the other cases: unique ids, known sources, actions,
/// setups and divergences.
fn check_service(spec: &Spec, service: &str, first: usize, out: &Conformance, d: &mut Diagnostics) {
    let Some(svc) = spec.service(service) else {
        return;
    };
    let cases = &out.cases[first..];
    let mut ids = BTreeSet::new();
    let actions: Vec<&str> = svc
        .operations()
        .flat_map(|(_, o)| {
            std::iter::once(o.name.as_str()).chain(o.aliases.iter().map(String::as_str))
        })
        .collect();
    for c in cases {
        if !ids.insert(c.id.as_str()) {
            d.error(
                &c.loc,
                DiagKind::Duplicate,
                format!("case `{}` is defined twice", c.id),
            );
        }
        if c.source.is_empty() {
            d.error(
                &c.loc,
                DiagKind::Missing,
                format!("case `{}` has no `> source:`", c.id),
            );
        } else if !svc.sources.iter().any(|s| s.key == c.source) {
            let hint = did_you_mean(&c.source, svc.sources.iter().map(|s| s.key.as_str()));
            d.error_hint(
                &c.loc,
                DiagKind::UnknownReference,
                format!(
                    "case `{}`: source `{}` is not in the `sources` table",
                    c.id, c.source
                ),
                hint.unwrap_or_else(|| "add it to the service's `sources` table".to_owned()),
            );
        }
        if c.parts.is_empty() {
            d.error(
                &c.loc,
                DiagKind::Missing,
                format!("case `{}` has no `> parts:`", c.id),
            );
        }
        match &c.action {
            None => d.error(
                &c.loc,
                DiagKind::Missing,
                format!("case `{}` has no `> action:`", c.id),
            ),
            Some(a) if !actions.contains(&a.as_str()) => {
                let hint = did_you_mean(a, actions.iter().copied());
                d.error_hint(
                    &c.loc,
                    DiagKind::UnknownOperation,
                    format!("case `{}`: no operation `{a}`", c.id),
                    hint.unwrap_or_else(|| "an operation of the service, or an alias".to_owned()),
                );
            }
            Some(_) => {}
        }
    }
    for c in cases {
        for s in &c.setup {
            if !ids.contains(s.as_str()) {
                d.error(
                    &c.loc,
                    DiagKind::UnknownReference,
                    format!("case `{}`: setup names no case `{s}`", c.id),
                );
            }
        }
    }
    for div in out.divergences.iter().filter(|v| v.service == service) {
        if !ids.contains(div.case.as_str()) {
            d.error(
                &div.loc,
                DiagKind::UnknownReference,
                format!("no case `{}` in {service}", div.case),
            );
        } else if cases
            .iter()
            .any(|c| c.id == div.case && !c.applies(div.part))
        {
            d.error(
                &div.loc,
                DiagKind::Inconsistent,
                format!("case `{}` does not apply to {}", div.case, div.part.name()),
            );
        }
    }
}
