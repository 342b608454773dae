//! Diagnostics: every problem found in a spec, with the place it was found.
//!
//! The loader never stops at the first problem: it records each one in a [`Diagnostics`] collector
//! (serde_derive's `Ctxt` pattern) and reports them all at the end.

use std::fmt;
use std::sync::Arc;

/// A place in a spec file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file, as it is displayed (relative to the directory the caller named).
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl Loc {
    /// A location at `line:col` of `file`.
    pub fn new(file: &Arc<str>, line: u32, col: u32) -> Self {
        Loc {
            file: Arc::clone(file),
            line,
            col,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

macro_rules! diag_kinds {
    ($($(#[doc = $doc:literal])+ $name:ident,)+) => {
        /// What kind of problem a diagnostic reports. Each kind has a broken fixture under
        /// `akixi-schema/tests/fixtures/broken/` (a test checks that every kind is covered).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum DiagKind {
            $($(#[doc = $doc])+ $name,)+
        }

        impl DiagKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [DiagKind] = &[$(DiagKind::$name,)+];
        }
    };
}

diag_kinds! {
    /// A file or directory could not be read.
    Unreadable,
    /// A file is not valid UTF-8.
    BadUtf8,
    /// A directory holds no service, or a service lacks a required table or key.
    Missing,
    /// A table is malformed: no delimiter row, a row with the wrong number of cells.
    MalformedTable,
    /// A table sits under a heading that names no known table kind.
    UnknownTable,
    /// A table lacks a required column or has a column its kind does not know.
    BadColumn,
    /// A cell's value is not one the column accepts.
    BadValue,
    /// A directive line (`> key: value`) is unknown or misplaced.
    BadDirective,
    /// A name is defined twice.
    Duplicate,
    /// A platform is referenced that the `platforms` table does not define.
    UnknownPlatform,
    /// A type is referenced that the `types` table does not define.
    UnknownType,
    /// A property is referenced that no `properties` table defines.
    UnknownProperty,
    /// A container is referenced that no `containers` table defines.
    UnknownContainer,
    /// An operation is referenced that no `operations` table defines.
    UnknownOperation,
    /// An error code is referenced that the `errors` table does not define.
    UnknownErrorCode,
    /// A source or error category is referenced that its table does not define.
    UnknownReference,
    /// Two tables disagree about a fact.
    Inconsistent,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The spec cannot be used.
    Error,
    /// The spec can be used, but something is probably wrong.
    Warning,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where.
    pub loc: Loc,
    /// How serious.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: DiagKind,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, when there is something useful to say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.loc, sev, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The collector every loading stage writes into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Record an error.
    pub fn error(&mut self, loc: &Loc, kind: DiagKind, message: impl Into<String>) {
        self.push(loc, Severity::Error, kind, message.into(), None);
    }

    /// Record an error with a hint.
    pub fn error_hint(
        &mut self,
        loc: &Loc,
        kind: DiagKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(
            loc,
            Severity::Error,
            kind,
            message.into(),
            Some(hint.into()),
        );
    }

    fn push(
        &mut self,
        loc: &Loc,
        severity: Severity,
        kind: DiagKind,
        message: String,
        hint: Option<String>,
    ) {
        self.items.push(Diagnostic {
            loc: loc.clone(),
            severity,
            kind,
            message,
            hint,
        });
    }

    /// Moves every diagnostic of `other` into this collector.
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// How many errors were recorded.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The diagnostics, sorted by file, line and column.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.loc.cmp(&b.loc));
        self.items
    }
}

/// The candidate closest to `name` (by edit distance), if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
