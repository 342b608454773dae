//! What a probe is given ([`ProbeTarget`]) and what it finds ([`ProbeReport`]).

use std::path::PathBuf;
use std::time::Duration;

use crate::secret::Password;

/// Where and as whom to probe.
pub struct ProbeTarget {
    /// The service's URL.
    pub url: String,
    /// The administrative user to sign in as.
    pub login: String,
    /// Their password: sent only through the session's password cipher, never logged.
    pub password: Password,
    /// `Some(scope)`: add, change and delete throw-away entities, placed in `scope` (the value
    /// of the binding's telephony-server property) where a family takes one.
    pub write_scope: Option<String>,
    /// Allow plain HTTP to a host that is not loopback.
    pub allow_http: bool,
    /// Reach the service through this Unix socket.
    pub unix_socket: Option<PathBuf>,
    /// Each exchange's timeout.
    pub timeout: Duration,
    /// The date written into `probe:<host>:<date>` (`YYYY-MM-DD`); today (UTC) when `None`.
    pub date: Option<String>,
}

impl std::fmt::Debug for ProbeTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeTarget")
            .field("url", &self.url)
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .field("write_scope", &self.write_scope)
            .finish_non_exhaustive()
    }
}

impl ProbeTarget {
    /// A read-only probe of `url` as `login`.
    pub fn new(url: impl Into<String>, login: impl Into<String>, password: Password) -> Self {
        ProbeTarget {
            url: url.into(),
            login: login.into(),
            password,
            write_scope: None,
            allow_http: false,
            unix_socket: None,
            timeout: crate::http::DEFAULT_REQUEST_TIMEOUT,
            date: None,
        }
    }

    /// Also add, change and delete throw-away entities in `scope`.
    pub fn allow_writes(mut self, scope: impl Into<String>) -> Self {
        self.write_scope = Some(scope.into());
        self
    }
}

/// What the probe concluded about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Status {
    /// The service behaves as the row says.
    Confirmed,
    /// It does not; see the finding's fix.
    Refuted,
    /// The probe could not tell.
    Untestable,
}

/// A spec row: its file (as the spec was loaded) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RowRef {
    /// The file, as the loader shows it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// A change to the spec a refuted finding proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case"))]
pub enum Fix {
    /// Put `value` in the finding's row, in `column`.
    SetCell {
        /// The column (`Operation`, `Value`, `Code`).
        column: String,
        /// The observed value.
        value: String,
    },
    /// A new provisional property of `family` that `operation` returns.
    AddProperty {
        /// The family.
        family: String,
        /// The operation that returned it.
        operation: String,
        /// Its path (`Name` or `Container.Name`).
        property: String,
    },
}

/// One conclusion, with its evidence.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Finding {
    /// What was tested (`operation GadgetList`, `binding default-limit`).
    pub subject: String,
    /// The row it is about, if one exists.
    pub row: Option<RowRef>,
    /// Whether that row is marked provisional (the rows a probe exists for).
    pub provisional: bool,
    /// The conclusion.
    pub status: Status,
    /// Why, in a sentence.
    pub detail: String,
    /// The proposed change, for a refuted row.
    pub fix: Option<Fix>,
    /// Indexes into [`ProbeReport::exchanges`].
    pub evidence: Vec<usize>,
}

/// One request and its response, secrets redacted.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Exchange {
    /// What the probe was testing.
    pub purpose: String,
    /// The request, redacted.
    pub request: String,
    /// The response, redacted (or why there is none).
    pub response: String,
}

/// A throw-away entity the probe added.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProbeEntity {
    /// Its family.
    pub family: String,
    /// Its key (`Serial=akixi-probe-…`).
    pub key: String,
    /// Whether the probe deleted it again.
    pub cleaned_up: bool,
}

/// What a probe found.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProbeReport {
    /// The service's name in the spec.
    pub service: String,
    /// The host probed.
    pub host: String,
    /// The date of the probe (`YYYY-MM-DD`, UTC).
    pub date: String,
    /// The source key confirmed rows cite: `probe:<host>:<date>`.
    pub source: String,
    /// Whether writes were allowed.
    pub writes: bool,
    /// The conclusions, in the order they were reached.
    pub findings: Vec<Finding>,
    /// Every exchange, in order.
    pub exchanges: Vec<Exchange>,
    /// The throw-away entities added.
    pub entities: Vec<ProbeEntity>,
}

impl ProbeReport {
    /// The findings of `status`.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.status == status)
    }

    /// The report as Markdown: a summary, the findings by status with their evidence.
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let count = |s| self.with_status(s).count();
        let _ = writeln!(
            out,
            "# Probe of `{}` at {} on {}\n\n{} confirmed, {} refuted, {} untestable{}.\n",
            self.service,
            self.host,
            self.date,
            count(Status::Confirmed),
            count(Status::Refuted),
            count(Status::Untestable),
            if self.writes {
                " (writes allowed)"
            } else {
                " (read-only)"
            }
        );
        for (status, title) in [
            (Status::Refuted, "Refuted"),
            (Status::Confirmed, "Confirmed"),
            (Status::Untestable, "Untestable"),
        ] {
            let _ = writeln!(out, "## {title}\n");
            // Provisional rows first: they are what a probe is for.
            let mut findings: Vec<&Finding> = self.with_status(status).collect();
            findings.sort_by_key(|f| !f.provisional);
            for f in findings {
                let row = f
                    .row
                    .as_ref()
                    .map(|r| format!(" ({}:{})", r.file, r.line))
                    .unwrap_or_default();
                let mark = if f.provisional {
                    " *(provisional)*"
                } else {
                    ""
                };
                let _ = writeln!(out, "- **{}**{mark}{row}: {}", f.subject, f.detail);
                if let Some(fix) = &f.fix {
                    let _ = writeln!(out, "  - fix: {}", fix_text(fix));
                }
                for &i in &f.evidence {
                    if let Some(x) = self.exchanges.get(i) {
                        let _ = writeln!(
                            out,
                            "  - exchange {i} ({}):\n\n    ```xml\n    {}\n    {}\n    ```\n",
                            x.purpose, x.request, x.response
                        );
                    }
                }
            }
            out.push('\n');
        }
        if !self.entities.is_empty() {
            let _ = writeln!(out, "## Throw-away entities\n");
            for e in &self.entities {
                let _ = writeln!(
                    out,
                    "- {} {}: {}",
                    e.family,
                    e.key,
                    if e.cleaned_up {
                        "deleted"
                    } else {
                        "NOT deleted: delete it by hand"
                    }
                );
            }
        }
        out
    }
}

/// A fix in a phrase.
pub fn fix_text(fix: &Fix) -> String {
    match fix {
        Fix::SetCell { column, value } => format!("set `{column}` to `{value}`"),
        Fix::AddProperty {
            family,
            operation,
            property,
        } => format!(
            "add property `{property}` of `{family}`, returned by `{operation}` (provisional)"
        ),
    }
}

/// Why a probe could not run.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The spec has no such service.
    #[error("the spec has no service `{0}`")]
    UnknownService(String),
    /// Only `akixi-ws` is probed.
    #[error("service `{0}` speaks {1}: only akixi-ws services are probed")]
    Protocol(String, &'static str),
    /// The URL or the HTTP settings are unusable.
    #[error("{0}")]
    Setup(String),
    /// An exchange failed at the HTTP level.
    #[error("{0}")]
    Http(String),
    /// The session could not be established; the report so far (its exchanges redacted).
    #[error("{message}")]
    SignIn {
        /// What went wrong.
        message: String,
        /// The report up to the failure.
        report: Box<ProbeReport>,
    },
}
