//! The two ways a list of changes is shown: for people ([`human`]: breaking changes first, each
//! with its effect on every audience and its place on both sides, then a summary line) and for
//! machines ([`json`]: one document, described at the function; [`json_diagnostics`] when a
//! spec does not load).

use std::fmt::Write as _;

use super::change::Change;
use super::impact::{Audience, Effect};
use crate::diag::{Diagnostic, Loc, Severity};

/// How many changes there are, and how many break or add for each audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Every change.
    pub changes: usize,
    /// Those that break some audience.
    pub breaking: usize,
    /// Those that break none and add for some.
    pub additive: usize,
    /// Those that touch no audience.
    pub neutral: usize,
    /// Those that break each audience, in [`Audience::ALL`]'s order.
    pub breaking_by_audience: [usize; 3],
}

impl Tally {
    /// Counts `changes`.
    pub fn of(changes: &[Change]) -> Tally {
        let mut t = Tally {
            changes: changes.len(),
            ..Tally::default()
        };
        for c in changes {
            match c.impact.worst() {
                Effect::Breaking => t.breaking += 1,
                Effect::Additive => t.additive += 1,
                Effect::None => t.neutral += 1,
            }
            for (i, a) in Audience::ALL.into_iter().enumerate() {
                if c.impact.on(a) == Effect::Breaking {
                    t.breaking_by_audience[i] += 1;
                }
            }
        }
        t
    }
}

fn place(loc: Option<&Loc>) -> String {
    loc.map_or_else(|| "(none)".to_string(), Loc::to_string)
}

/// The report for people: breaking changes first, then additive ones, then the rest, each in
/// the order of the walk; a change is a line naming it, a line of its effects and its places;
/// a summary line ends it.
///
/// ```text
/// BREAKING  widgets: usage of Widget.Size by WidgetAdd: optional -> required  [input-became-required]
///     api breaking, wire breaking, simulator breaking
///     old old/svc/widgets.md:28:10
///     new new/svc/widgets.md:28:10
/// ```
pub fn human(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for worst in [Effect::Breaking, Effect::Additive, Effect::None] {
        for c in changes.iter().filter(|c| c.impact.worst() == worst) {
            let label = match worst {
                Effect::Breaking => "BREAKING",
                Effect::Additive => "additive",
                Effect::None => "neutral ",
            };
            let _ = writeln!(
                out,
                "{label}  {}: {}: {}  [{}]",
                c.service,
                c.subject,
                c.detail,
                c.kind.name()
            );
            let effects: Vec<String> = Audience::ALL
                .into_iter()
                .map(|a| format!("{} {}", a.name(), c.impact.on(a).name()))
                .collect();
            let _ = writeln!(out, "    {}", effects.join(", "));
            let _ = writeln!(out, "    old {}", place(c.old.as_ref()));
            let _ = writeln!(out, "    new {}", place(c.new.as_ref()));
        }
    }
    let t = Tally::of(changes);
    let _ = writeln!(
        out,
        "{} change(s): {} breaking (api {}, wire {}, simulator {}), {} additive, {} neutral",
        t.changes,
        t.breaking,
        t.breaking_by_audience[0],
        t.breaking_by_audience[1],
        t.breaking_by_audience[2],
        t.additive,
        t.neutral
    );
    out
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_loc(out: &mut String, loc: Option<&Loc>) {
    match loc {
        None => out.push_str("null"),
        Some(l) => {
            out.push_str("{\"file\": ");
            json_string(out, &l.file);
            let _ = write!(out, ", \"line\": {}, \"col\": {}}}", l.line, l.col);
        }
    }
}

/// The report for machines, one JSON document (the changes in the order of the walk):
///
/// ```text
/// {
///   "breaking": true,
///   "summary": {"changes": 1, "breaking": 1, "additive": 0, "neutral": 0,
///               "breaking_by_audience": {"api": 1, "wire": 1, "simulator": 1}},
///   "changes": [
///     {"service": "widgets", "kind": "property-removed", "subject": "property Widget.Size",
///      "detail": "removed", "breaking": true,
///      "impact": {"api": "breaking", "wire": "breaking", "simulator": "breaking"},
///      "old": {"file": "old/svc/widgets.md", "line": 27, "col": 3},
///      "new": {"file": "new/svc/widgets.md", "line": 3, "col": 1}}
///   ]
/// }
/// ```
///
/// Effects are `none`, `additive` or `breaking`; a place is `null` only on the missing side of
/// a whole service added or removed.
pub fn json(changes: &[Change]) -> String {
    let t = Tally::of(changes);
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n  \"breaking\": {},\n  \"summary\": {{\"changes\": {}, \"breaking\": {}, \"additive\": {}, \"neutral\": {}, \"breaking_by_audience\": {{\"api\": {}, \"wire\": {}, \"simulator\": {}}}}},\n  \"changes\": [",
        t.breaking > 0,
        t.changes,
        t.breaking,
        t.additive,
        t.neutral,
        t.breaking_by_audience[0],
        t.breaking_by_audience[1],
        t.breaking_by_audience[2]
    );
    for (i, c) in changes.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        out.push_str("\"service\": ");
        json_string(&mut out, &c.service);
        out.push_str(", \"kind\": ");
        json_string(&mut out, c.kind.name());
        out.push_str(", \"subject\": ");
        json_string(&mut out, &c.subject);
        out.push_str(", \"detail\": ");
        json_string(&mut out, &c.detail);
        let _ = write!(
            out,
            ", \"breaking\": {}, \"impact\": {{\"api\": \"{}\", \"wire\": \"{}\", \"simulator\": \"{}\"}}, \"old\": ",
            c.is_breaking(),
            c.impact.api.name(),
            c.impact.wire.name(),
            c.impact.simulator.name()
        );
        json_loc(&mut out, c.old.as_ref());
        out.push_str(", \"new\": ");
        json_loc(&mut out, c.new.as_ref());
        out.push('}');
    }
    out.push_str(if changes.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// The document for machines when a spec does not load (exit 2): every problem, located.
///
/// ```text
/// {
///   "error": "a spec does not load",
///   "diagnostics": [
///     {"file": "new/svc/service.md", "line": 44, "col": 3, "severity": "error",
///      "message": "error code 100 is defined twice", "hint": null}
///   ]
/// }
/// ```
pub fn json_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::from("{\n  \"error\": \"a spec does not load\",\n  \"diagnostics\": [");
    for (i, d) in diagnostics.iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        out.push_str("\"file\": ");
        json_string(&mut out, &d.loc.file);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(
            out,
            ", \"line\": {}, \"col\": {}, \"severity\": \"{severity}\", \"message\": ",
            d.loc.line, d.loc.col
        );
        json_string(&mut out, &d.message);
        out.push_str(", \"hint\": ");
        match &d.hint {
            Some(h) => json_string(&mut out, h),
            None => out.push_str("null"),
        }
        out.push('}');
    }
    out.push_str(if diagnostics.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}
