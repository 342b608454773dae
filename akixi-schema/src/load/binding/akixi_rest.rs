//! The REST binding (`akixi-rest`) of an `akixi-ws` service: the `rest-binding` settings, the
//! `rest-statuses` of each condition, and each family's `rest-operations` and
//! `rest-properties`. Every row is checked here, at its cell: a route's method and path (its
//! `{Property}` segments name top-level inputs the operation carries), the shape it carries, the
//! inputs it leaves out or implies (the shape's keys and required inputs are carried or
//! implied), a property's JSON form against its type; two operations of one method may not
//! share a path, and a status is given for every condition a REST server answers.

use std::collections::HashMap;

use super::refs::is_value_of;
use crate::diag::{DiagKind, Diagnostics, Loc, did_you_mean};
use crate::load::families::family_of;
use crate::load::key_values::{KeyValues, list_items};
use crate::load::loader::{Loaded, ServiceLoader};
use crate::load::names::{is_ident, split_list};
use crate::load::tables::{KeyForm, KeySpec};
use crate::model::{
    Condition, Family, HttpMethod, Input, JsonForm, OpKind, PathSegment, Protocol, RestBinding,
    RestOperation, RestProperty, RestRoute, RestStatus, TypeKind,
};
use crate::table::Cell;

/// The conditions a REST server answers: every akixi-ws condition but the envelope's
/// `missing-invoke-id` (REST requests have no invoke id).
fn answers(condition: Condition) -> bool {
    condition != Condition::MissingInvokeId
}

impl<'a> ServiceLoader<'a> {
    /// The REST binding, where the service has a `rest-binding` table (or any other REST
    /// table, which then reports the missing one).
    pub(in crate::load) fn load_rest(
        &mut self,
        protocol: Protocol,
        spec: &Loaded<'_>,
    ) -> Option<RestBinding> {
        let kinds = [
            "rest-binding",
            "rest-statuses",
            "rest-operations",
            "rest-properties",
        ];
        let first = kinds.iter().find_map(|k| self.tables_loc(k))?;
        if protocol != Protocol::AkixiWs {
            self.d.error_hint(
                &first,
                DiagKind::Inconsistent,
                format!("a `{}` service has no REST binding", protocol.name()),
                "the REST tables bind the shapes of an `akixi-ws` service",
            );
            return None;
        }
        let (settings, table_at) = self.settings("rest-binding");
        let rows = super::entries(&settings);
        let mut kv = KeyValues::new(
            self.d,
            "rest-binding",
            "the REST binding".to_string(),
            settings,
            table_at,
            &first,
        );
        let mut b = read_settings(&mut kv);
        kv.finish();
        b.statuses = self.load_rest_statuses(&first);
        b.operations = self.load_rest_operations(spec);
        b.properties = self.load_rest_properties(spec);
        b.rows = rows;
        Some(b)
    }

    fn load_rest_statuses(&mut self, first: &Loc) -> Vec<RestStatus> {
        let spec = KeySpec {
            column: "Condition",
            what: "condition",
            form: KeyForm::Kebab,
        };
        let mut out = Vec::new();
        for k in self.unique_rows("rest-statuses", spec) {
            let Some((_, condition, _)) = Condition::ALL.iter().find(|(n, _, _)| *n == k.key.text)
            else {
                let names = Condition::ALL.iter().filter(|c| answers(c.1)).map(|c| c.0);
                let hint = did_you_mean(&k.key.text, names.clone()).unwrap_or_else(|| {
                    format!("conditions: {}", names.collect::<Vec<_>>().join(", "))
                });
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::BadValue,
                    format!("unknown condition `{}`", k.key.text),
                    hint,
                );
                continue;
            };
            if !answers(*condition) {
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::Inconsistent,
                    format!("a REST server never answers `{}`", k.key.text),
                    "REST requests have no invoke id: remove the row",
                );
                continue;
            }
            let Some(status) = k.rows.cell(k.row, "Status").and_then(|c| status(self.d, c)) else {
                continue;
            };
            let provenance = self.provenance(&k.rows, k.row);
            out.push(RestStatus {
                condition: *condition,
                status,
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        let at = self
            .tables_loc("rest-statuses")
            .unwrap_or_else(|| first.clone());
        for (name, condition, _) in Condition::ALL {
            if answers(*condition) && !out.iter().any(|s| s.condition == *condition) {
                self.d.error_hint(
                    &at,
                    DiagKind::Missing,
                    format!("no REST status for the condition `{name}`"),
                    format!("add `| {name} | <status> | … |` to `rest-statuses`"),
                );
            }
        }
        out
    }

    fn load_rest_operations(&mut self, spec: &Loaded<'_>) -> Vec<RestOperation> {
        let key = KeySpec {
            column: "Operation",
            what: "REST operation",
            form: KeyForm::Ident,
        };
        let rows = self.keyed_rows("rest-operations", key, |rows, _, key| {
            Some((family_of(rows)?.0, key.text.clone()))
        });
        let mut out: Vec<RestOperation> = Vec::new();
        let mut routes: HashMap<(HttpMethod, String), Loc> = HashMap::new();
        for k in rows {
            let (rows, row, name) = (&k.rows, k.row, k.key);
            let Some((fname, floc)) = family_of(rows) else {
                continue;
            };
            let Some(fam) = spec.families.iter().find(|f| f.name == fname) else {
                self.d.error(
                    &floc,
                    DiagKind::UnknownOperation,
                    format!("family `{fname}` has no operations for REST to carry"),
                );
                continue;
            };
            let Some(shape) = rows
                .cell(row, "Shape")
                .and_then(|c| shape_of(self.d, fam, c))
            else {
                continue;
            };
            let (Some(method), Some(path)) = (rows.cell(row, "Method"), rows.cell(row, "Path"))
            else {
                continue;
            };
            let Some(route) = route(self.d, method, path) else {
                continue;
            };
            let list = |col: &str| rows.given(row, col).map(list_items).unwrap_or_default();
            let inputs_cell = rows.given(row, "Inputs");
            let except_cell = rows.given(row, "Except");
            if let (Some(_), Some(e)) = (inputs_cell, except_cell) {
                self.d.error_hint(
                    &e.loc,
                    DiagKind::Inconsistent,
                    "a REST operation lists the inputs it carries or those it leaves out, not both",
                    "keep `Inputs` or `Except`",
                );
            }
            let mut op = RestOperation {
                family: fam.name.clone(),
                name: name.text.clone(),
                shape: shape.to_string(),
                route,
                query: Vec::new(),
                inputs: None,
                except: Vec::new(),
                implies: Vec::new(),
                provenance: self.provenance(rows, row),
                loc: name.loc.clone(),
            };
            let inputs: Vec<Cell> = list("Inputs");
            let except: Vec<Cell> = list("Except");
            let query: Vec<Cell> = list("Query");
            for c in inputs.iter().chain(&except).chain(&query) {
                input_of(self.d, fam, shape, c);
            }
            if inputs_cell.is_some() {
                op.inputs = Some(inputs.iter().map(|c| c.text.clone()).collect());
            }
            op.except = except.iter().map(|c| c.text.clone()).collect();
            if let Some(c) = rows.given(row, "Implies") {
                op.implies = implies(self.d, spec, fam, shape, c);
            }
            if let Some(c) = query.first()
                && !op.route.method.has_body()
            {
                self.d.error_hint(
                    &c.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "a `{}` request has no body: every input not in its path goes in the query",
                        op.route.method.name()
                    ),
                    "leave `Query` empty",
                );
            }
            for c in &query {
                if !op.carries(&c.text) {
                    self.d.error(
                        &c.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` is in the query but the operation does not carry it",
                            c.text
                        ),
                    );
                }
            }
            op.query = query.iter().map(|c| c.text.clone()).collect();
            check_carried(self.d, fam, &op, path);
            let shown = op
                .route
                .path
                .iter()
                .map(|s| match s {
                    PathSegment::Literal(l) => l.as_str(),
                    PathSegment::Property(_) => "{}",
                })
                .collect::<Vec<_>>()
                .join("/");
            match routes.get(&(op.route.method, shown.clone())) {
                Some(at) => self.d.error_hint(
                    &path.loc,
                    DiagKind::Duplicate,
                    format!(
                        "`{} {}` is the route of another REST operation",
                        op.route.method.name(),
                        op.route.template()
                    ),
                    format!("the other is at {at}; a server could not tell them apart"),
                ),
                None => {
                    routes.insert((op.route.method, shown), path.loc.clone());
                }
            }
            out.push(op);
        }
        out
    }

    fn load_rest_properties(&mut self, spec: &Loaded<'_>) -> Vec<RestProperty> {
        let key = KeySpec {
            column: "Property",
            what: "REST property",
            form: KeyForm::NonEmpty,
        };
        let rows = self.keyed_rows("rest-properties", key, |rows, _, key| {
            Some((family_of(rows)?.0, key.text.clone()))
        });
        let mut out = Vec::new();
        for k in rows {
            let Some((fname, _)) = family_of(&k.rows) else {
                continue;
            };
            let Some(fam) = spec.families.iter().find(|f| f.name == fname) else {
                continue;
            };
            let Some(p) = fam.property(&k.key.text) else {
                let hint = did_you_mean(
                    &k.key.text,
                    fam.properties
                        .iter()
                        .map(|p| p.path())
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                )
                .unwrap_or_else(|| {
                    format!(
                        "name a property of family `{fname}` (`Container.Name` inside a container)"
                    )
                });
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::UnknownProperty,
                    format!("no property `{}` in family `{fname}`", k.key.text),
                    hint,
                );
                continue;
            };
            let Some(form_cell) = k.rows.cell(k.row, "Form") else {
                continue;
            };
            let Some((_, form)) = JsonForm::ALL.iter().find(|(n, _)| *n == form_cell.text) else {
                let names = JsonForm::ALL.iter().map(|(n, _)| *n);
                let hint = did_you_mean(&form_cell.text, names.clone())
                    .unwrap_or_else(|| format!("forms: {}", names.collect::<Vec<_>>().join(", ")));
                self.d.error_hint(
                    &form_cell.loc,
                    DiagKind::BadValue,
                    format!("unknown JSON form `{}`", form_cell.text),
                    hint,
                );
                continue;
            };
            if let Some(t) = spec.types.iter().find(|t| t.name == p.ty) {
                let fits = match form {
                    JsonForm::Native => true,
                    JsonForm::Array => matches!(
                        t.kind,
                        TypeKind::String | TypeKind::Integer { .. } | TypeKind::Enum
                    ),
                    JsonForm::BracketList => {
                        matches!(t.kind, TypeKind::List { .. } | TypeKind::Fields { .. })
                    }
                };
                if !fits {
                    self.d.error_hint(
                        &form_cell.loc,
                        DiagKind::Inconsistent,
                        format!(
                            "`{}` is of type `{}`, a `{}` type, which the form `{}` cannot hold",
                            k.key.text,
                            t.name,
                            t.kind.name(),
                            form_cell.text
                        ),
                        "`array` holds a string, integer or enum; `bracket-list` a list or fields type",
                    );
                    continue;
                }
            }
            let provenance = self.provenance(&k.rows, k.row);
            out.push(RestProperty {
                family: fname,
                path: k.key.text.clone(),
                form: *form,
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        out
    }
}

/// The `rest-binding` settings, each checked for its form.
fn read_settings(kv: &mut KeyValues<'_>) -> RestBinding {
    let base_path = kv.url_path(
        "base-path",
        "the path every REST route is under (`/CCS/API/v1`)",
    );
    if base_path.len() > 1 && base_path.ends_with('/') {
        kv.malformed("base-path", "a base path without a trailing `/`");
    }
    let mut fixed_route = |key: &'static str, meaning: &str| {
        kv.cell(key, meaning)
            .and_then(|c| {
                let (method, path) = c.text.split_once(' ').unwrap_or((c.text.as_str(), ""));
                let m = Cell {
                    text: method.to_string(),
                    loc: c.loc.clone(),
                };
                let p = Cell {
                    text: path.trim().to_string(),
                    loc: c.loc.clone(),
                };
                route(kv.d(), &m, &p)
            })
            .unwrap_or(RestRoute {
                method: HttpMethod::Get,
                path: Vec::new(),
                trailing_slash: false,
            })
    };
    let create_session = fixed_route(
        "create-session",
        "the route that opens a session (`POST /session`)",
    );
    let login = fixed_route(
        "login",
        "the route that signs a session in with HTTP Basic (`GET /login`)",
    );
    let logout = fixed_route("logout", "the route that closes a session (`GET /logout`)");
    for (r, key) in [
        (&create_session, "create-session"),
        (&login, "login"),
        (&logout, "logout"),
    ] {
        if let Some(p) = r.path_properties().next() {
            kv.malformed(key, &format!("a fixed path (it names `{{{p}}}`)"));
        }
    }
    let header = |kv: &mut KeyValues<'_>, key: &'static str, meaning: &str| {
        let text = kv.text(key, meaning);
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        {
            kv.malformed(key, "a header or cookie name (letters, digits, `-`, `_`)");
        }
        text
    };
    let session_cookie = header(kv, "session-cookie", "the cookie carrying the session id");
    let api_key_header = header(kv, "api-key-header", "the header carrying an API key");
    let password_form = kv.one_of(
        "password-form",
        "how a password goes in a REST body",
        &["plain"],
    );
    let field = |kv: &mut KeyValues<'_>, key: &'static str, meaning: &str| {
        let text = kv.text(key, meaning);
        if !text.is_empty() && !is_ident(&text) {
            kv.malformed(key, "a JSON field name (letters, digits, `_`)");
        }
        text
    };
    let session_id_field = field(kv, "session-id-field", "the field of the session's id");
    let nonce_field = field(kv, "nonce-field", "the field of the session's nonce");
    let locale_parameter = field(kv, "locale-parameter", "the login's locale parameter");
    let error_message_field = field(
        kv,
        "error-message-field",
        "the field of a failure's message",
    );
    let error_code_field = field(
        kv,
        "error-code-field",
        "the field of a failure's error code",
    );
    let offset_parameter = field(
        kv,
        "offset-parameter",
        "the query parameter of a list's offset",
    );
    let limit_parameter = field(
        kv,
        "limit-parameter",
        "the query parameter of a list's limit",
    );
    let locales = kv
        .cell(
            "locales",
            "the locales the login accepts, the default first",
        )
        .map(|c| split_list(&c.text))
        .unwrap_or_default();
    if locales.is_empty() {
        kv.malformed("locales", "at least one locale (`en_GB, en_US`)");
    }
    let success_status = kv.number(
        "success-status",
        "the status of a successful answer",
        200,
        299,
    );
    let other_sessions_status = kv.number(
        "other-sessions-status",
        "the status a login answers when the user has other sessions",
        100,
        599,
    );
    let other_sessions_message = kv.text(
        "other-sessions-message",
        "how the login's message begins when the user has other sessions",
    );
    RestBinding {
        base_path,
        create_session,
        login,
        logout,
        session_cookie,
        session_id_field,
        nonce_field,
        locale_parameter,
        locales,
        api_key_header,
        password_form,
        success_status,
        error_message_field,
        error_code_field,
        other_sessions_status,
        other_sessions_message,
        offset_parameter,
        limit_parameter,
        statuses: Vec::new(),
        operations: Vec::new(),
        properties: Vec::new(),
        rows: Vec::new(),
    }
}

/// An HTTP status from 100 to 599.
fn status(d: &mut Diagnostics, cell: &Cell) -> Option<u16> {
    match cell.text.parse::<u16>() {
        Ok(n) if (100..=599).contains(&n) => Some(n),
        _ => {
            d.error_hint(
                &cell.loc,
                DiagKind::BadValue,
                format!("`{}` is not an HTTP status", cell.text),
                "a whole number from 100 to 599",
            );
            None
        }
    }
}

/// A method and a path template (`/admin/user/{Username}`), each checked.
fn route(d: &mut Diagnostics, method: &Cell, path: &Cell) -> Option<RestRoute> {
    let m = HttpMethod::ALL
        .iter()
        .find(|(n, _)| *n == method.text)
        .map(|(_, m)| *m);
    if m.is_none() {
        let names = HttpMethod::ALL.iter().map(|(n, _)| *n);
        let hint = did_you_mean(&method.text, names.clone())
            .unwrap_or_else(|| format!("methods: {}", names.collect::<Vec<_>>().join(", ")));
        d.error_hint(
            &method.loc,
            DiagKind::BadValue,
            format!("`{}` is not an HTTP method", method.text),
            hint,
        );
    }
    let text = path.text.as_str();
    let bad = |d: &mut Diagnostics, why: &str| {
        d.error_hint(
            &path.loc,
            DiagKind::BadValue,
            format!("`{text}` is not a path template: {why}"),
            "`/literal/{Property}/…`: segments of letters, digits, `-`, `_`, `.`, or a top-level property in braces",
        );
    };
    let Some(rest) = text.strip_prefix('/') else {
        bad(d, "it does not start with `/`");
        return None;
    };
    let trailing_slash = rest.ends_with('/') && !rest.is_empty();
    let mut segments = Vec::new();
    for seg in rest
        .trim_end_matches('/')
        .split('/')
        .filter(|_| !rest.is_empty())
    {
        if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if !is_ident(inner) {
                bad(d, &format!("`{{{inner}}}` does not name a property"));
                return None;
            }
            if segments.contains(&PathSegment::Property(inner.to_string())) {
                bad(d, &format!("`{{{inner}}}` appears twice"));
                return None;
            }
            segments.push(PathSegment::Property(inner.to_string()));
        } else if !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            segments.push(PathSegment::Literal(seg.to_string()));
        } else {
            bad(d, &format!("the segment `{seg}`"));
            return None;
        }
    }
    Some(RestRoute {
        method: m?,
        path: segments,
        trailing_slash,
    })
}

/// The operation of `fam` a REST operation carries the shape of, named at `cell`.
fn shape_of<'f>(d: &mut Diagnostics, fam: &'f Family, cell: &Cell) -> Option<&'f str> {
    let Some(op) = fam.operations.iter().find(|o| o.name == cell.text) else {
        let hint = did_you_mean(&cell.text, fam.operations.iter().map(|o| o.name.as_str()))
            .unwrap_or_else(|| format!("name an operation of family `{}`", fam.name));
        d.error_hint(
            &cell.loc,
            DiagKind::UnknownOperation,
            format!("family `{}` has no operation `{}`", fam.name, cell.text),
            hint,
        );
        return None;
    };
    // The session has its own routes: REST operations carry entity operations.
    if !OpKind::ENTITY_KINDS.contains(&op.kind) {
        d.error_hint(
            &cell.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` is a `{}` operation; REST carries entity operations (the session has the `rest-binding` routes)",
                op.name,
                op.kind.name()
            ),
            "name an add, change, delete, info, list or bulk-add operation",
        );
        return None;
    }
    Some(op.name.as_str())
}

/// Reports `cell` unless it names an input of `shape`.
fn input_of(d: &mut Diagnostics, fam: &Family, shape: &str, cell: &Cell) -> bool {
    let ok = fam
        .property(&cell.text)
        .and_then(|p| p.usage(shape))
        .is_some_and(|u| u.input.is_some());
    if !ok {
        let inputs: Vec<String> = fam.inputs(shape).map(|(p, _)| p.path()).collect();
        let hint = did_you_mean(&cell.text, inputs.iter().map(String::as_str))
            .unwrap_or_else(|| format!("inputs of `{shape}`: {}", inputs.join(", ")));
        d.error_hint(
            &cell.loc,
            DiagKind::UnknownProperty,
            format!("`{}` is not an input of `{shape}`", cell.text),
            hint,
        );
    }
    ok
}

/// The `Implies` cell: `Property = value, …`, each an input of `shape` and a value of its type.
fn implies(
    d: &mut Diagnostics,
    spec: &Loaded<'_>,
    fam: &Family,
    shape: &str,
    cell: &Cell,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in list_items(cell) {
        let Some((path, value)) = item.text.split_once('=') else {
            d.error_hint(
                &item.loc,
                DiagKind::BadValue,
                format!("`{}` is not `Property = value`", item.text),
                "`SendWelcomeEmail = True`",
            );
            continue;
        };
        let (path, value) = (path.trim(), value.trim());
        let named = Cell {
            text: path.to_string(),
            loc: item.loc.clone(),
        };
        if !input_of(d, fam, shape, &named) {
            continue;
        }
        let Some(t) = fam
            .property(path)
            .and_then(|p| spec.types.iter().find(|t| t.name == p.ty))
        else {
            continue;
        };
        let ok = match &t.kind {
            TypeKind::Boolean => spec.spellings.iter().any(|s| s.spelling == value),
            TypeKind::Integer { min, max } => value
                .parse::<i64>()
                .is_ok_and(|n| (*min..=*max).contains(&n)),
            TypeKind::Secret { .. } => false,
            _ => is_value_of(t, value),
        };
        if !ok {
            d.error_hint(
                &item.loc,
                DiagKind::BadValue,
                format!("`{value}` is not a value of `{}` for `{path}`", t.name),
                "write the value as the spec's types spell it (`True`, a number, an enumeration's value)",
            );
            continue;
        }
        out.push((path.to_string(), value.to_string()));
    }
    out
}

/// Every `{Property}` of the path is a top-level input the operation carries, and every key and
/// required input of its shape is carried or implied.
fn check_carried(d: &mut Diagnostics, fam: &Family, op: &RestOperation, path: &Cell) {
    for p in op.route.path_properties() {
        let input = fam.property(p).is_some_and(|q| {
            q.container.is_none() && q.usage(&op.shape).is_some_and(|u| u.input.is_some())
        });
        if !input || !op.carries(p) {
            let inputs: Vec<String> = fam
                .inputs(&op.shape)
                .filter(|(q, _)| q.container.is_none())
                .map(|(q, _)| q.name.clone())
                .collect();
            let hint = did_you_mean(p, inputs.iter().map(String::as_str)).unwrap_or_else(|| {
                format!("top-level inputs of `{}`: {}", op.shape, inputs.join(", "))
            });
            d.error_hint(
                &path.loc,
                DiagKind::UnknownProperty,
                format!(
                    "`{{{p}}}` is not a top-level input `{}` carries of `{}`",
                    op.name, op.shape
                ),
                hint,
            );
        }
    }
    for (p, input) in fam.inputs(&op.shape) {
        let needed = matches!(input, Input::Key | Input::Required);
        let path_of = p.path();
        let implied = op.implies.iter().any(|(q, _)| *q == path_of);
        if needed && !implied && !op.carries(&path_of) {
            d.error_hint(
                &op.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` leaves out `{path_of}`, which `{}` requires",
                    op.name, op.shape
                ),
                "carry it (in `Inputs`, or not in `Except`) or give its value in `Implies`",
            );
        }
    }
}
