//! The `cisco-em` binding rows and the protocol's rules: which operation kinds it has, where each
//! parameter goes in the request document, which defaults it can write, which result data it
//! fills. The elements inside a response are the protocol's fixed grammar, written once in the
//! runtime's `cisco_em::grammar`.

use super::refs::{expect_kind, is_value_of, property, type_of};
use crate::diag::{DiagKind, Diagnostics, did_you_mean};
use crate::load::key_values::{KeyValues, list_items};
use crate::load::loader::{Loaded, ServiceLoader};
use crate::load::names::is_xml_name;
use crate::load::tables::{KeyForm, KeySpec};
use crate::model::{
    CcmVersion, CiscoEmBinding, ElementValue, Family, OpKind, Operation, Property, ResultShape,
    TypeKind,
};
use crate::table::Cell;

/// The rows of the `cisco-em` binding.
pub(super) fn read(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
) -> CiscoEmBinding {
    let mut b = CiscoEmBinding {
        http_method: kv.one_of("http-method", "how requests are sent", &["POST"]),
        content_type: kv.one_of(
            "content-type",
            "the type of a request's body",
            &["application/x-www-form-urlencoded"],
        ),
        form_field: kv.xml_name("form-field", "the form field holding the document (`xml`)"),
        request_root: kv.xml_name("request-root", "the root of `request` actions"),
        query_root: kv.xml_name("query-root", "the root of `query` actions"),
        app_info_element: kv.xml_name(
            "app-info-element",
            "the element holding the application's credentials",
        ),
        response_root: kv.xml_name("response-root", "the root of every response"),
        service_path: kv.url_path(
            "service-path",
            "the service's path, for every version without paths of its own",
        ),
        default_scheme: kv.one_of(
            "default-scheme",
            "the scheme of URLs built from a host",
            &["http", "https"],
        ),
        secure_scheme: kv.one_of(
            "secure-scheme",
            "the scheme of secure services",
            &["http", "https"],
        ),
        secure_port: kv.number("secure-port", "the secure service's port", 1, 65535),
        no_response_error_code: kv.number(
            "no-response-error-code",
            "the `ErrorCode` of an outcome without response XML",
            0,
            u64::from(u32::MAX),
        ),
        ..CiscoEmBinding::default()
    };
    let meaning = "the code the service answers when there is no response XML";
    if let Some(cell) = kv.optional("no-response-error-code")
        && !spec
            .errors
            .iter()
            .any(|e| e.code == b.no_response_error_code)
        && cell.text.parse::<u32>().is_ok()
    {
        refs.error_hint(
            &cell.loc,
            DiagKind::UnknownErrorCode,
            format!("error code {} is not in the `errors` table", cell.text),
            format!("add a row for it to `errors` ({meaning})"),
        );
    }
    read_endpoint(kv, refs, spec, &mut b);
    read_results(kv, refs, spec, &mut b);
    read_roles(kv, refs, spec, &mut b);
    b
}

/// The parameters that play a part: signing in, and which device and user a request is about.
fn read_roles(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
    b: &mut CiscoEmBinding,
) {
    for (key, meaning, kinds, slot) in [
        (
            "app-id-parameter",
            "the parameter naming the application user",
            &["string"][..],
            &mut b.app_id_parameter,
        ),
        (
            "app-certificate-parameter",
            "the parameter holding the application user's password",
            &["secret"][..],
            &mut b.app_certificate_parameter,
        ),
        (
            "device-parameter",
            "the parameter naming the device a request is about",
            &["string"][..],
            &mut b.device_parameter,
        ),
        (
            "user-parameter",
            "the parameter naming the user a request is about",
            &["string"][..],
            &mut b.user_parameter,
        ),
        (
            "device-profile-parameter",
            "the parameter naming the device profile to log in with",
            &["string"][..],
            &mut b.device_profile_parameter,
        ),
        (
            "timeout-parameter",
            "the parameter giving the minutes until an automatic logout",
            &["integer"][..],
            &mut b.timeout_parameter,
        ),
        (
            "no-timeout-parameter",
            "the parameter asking for no automatic logout",
            &["boolean"][..],
            &mut b.no_timeout_parameter,
        ),
    ] {
        if let Some(cell) = kv.cell(key, meaning) {
            if let Some(p) = property(refs, spec, &cell) {
                expect_kind(refs, spec, &cell, p, kinds);
            }
            *slot = cell.text;
        }
    }
}

/// The parameters that decide the endpoint (the versions are a table of their own).
fn read_endpoint(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
    b: &mut CiscoEmBinding,
) {
    let mut parameter = |kv: &mut KeyValues<'_>, key, meaning, kinds: &[&str]| {
        let cell = kv.cell(key, meaning)?;
        let p = property(refs, spec, &cell);
        if let Some(p) = p {
            expect_kind(refs, spec, &cell, p, kinds);
        }
        Some((cell.text, p))
    };
    let url = parameter(
        kv,
        "url-parameter",
        "the parameter holding the service's URL",
        &["string"],
    );
    let host = parameter(
        kv,
        "host-parameter",
        "the parameter holding the publisher's `[IP]:[Port]`",
        &["string"],
    );
    let version = parameter(
        kv,
        "version-parameter",
        "the parameter holding the Unified CM version",
        &["enum", "string"],
    );
    b.url_parameter = url.map(|(n, _)| n).unwrap_or_default();
    b.host_parameter = host.map(|(n, _)| n).unwrap_or_default();
    b.version_parameter = version.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
}

/// The result data and the results element of each query.
fn read_results(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
    b: &mut CiscoEmBinding,
) {
    for (key, meaning, slot) in [
        (
            "error-code-result",
            "the result property holding the `ErrorCode`",
            &mut b.error_code_result,
        ),
        (
            "error-message-result",
            "the result property holding the `ErrorMessage`",
            &mut b.error_message_result,
        ),
    ] {
        if let Some(cell) = kv.cell(key, meaning) {
            property(refs, spec, &cell);
            *slot = cell.text;
        }
    }
    let branch = kv.cell(
        "branch-type",
        "the enumeration of the branches an action takes",
    );
    let branch_type = branch.as_ref().and_then(|cell| {
        let t = spec.types.iter().find(|t| t.name == cell.text);
        match t {
            None => refs.error_hint(
                &cell.loc,
                DiagKind::UnknownType,
                format!("unknown type `{}`", cell.text),
                did_you_mean(&cell.text, spec.types.iter().map(|t| t.name.as_str()))
                    .unwrap_or_else(|| "define it in the `types` table".to_string()),
            ),
            Some(t) if t.kind != TypeKind::Enum => refs.error(
                &cell.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` is a `{}` type; branches are an enum",
                    t.name,
                    t.kind.name()
                ),
            ),
            Some(_) => {}
        }
        t.filter(|t| t.kind == TypeKind::Enum)
    });
    b.branch_type = branch.map(|c| c.text).unwrap_or_default();
    for (key, meaning, slot) in [
        (
            "success-branch",
            "the branch of a success",
            &mut b.success_branch,
        ),
        (
            "failure-branch",
            "the branch of every other outcome",
            &mut b.failure_branch,
        ),
    ] {
        if let Some(cell) = kv.cell(key, meaning) {
            if let Some(t) = branch_type
                && !is_value_of(t, &cell.text)
            {
                value_of_type(refs, &cell, t);
            }
            *slot = cell.text;
        }
    }
    let queries: Vec<(&Operation, &str)> = spec
        .families
        .iter()
        .flat_map(|f| f.operations.iter())
        .filter(|o| o.kind == OpKind::Query)
        .filter_map(|o| Some((o, o.element.as_deref()?)))
        .collect();
    read_documents(kv, b);
    for (element, key, value) in kv.prefixed("results:") {
        if !queries.iter().any(|(_, e)| *e == element) {
            let hint = did_you_mean(&element, queries.iter().map(|(_, e)| *e))
                .unwrap_or_else(|| "name the `Element` of a `query` operation".to_string());
            refs.error_hint(
                &key.loc,
                DiagKind::UnknownOperation,
                format!("no query has the element `{element}`"),
                hint,
            );
            continue;
        }
        if b.shape_of(&value.text).is_none() {
            let documents = b.result_documents.iter().map(|(_, e)| e.as_str());
            let hint = did_you_mean(&value.text, documents.clone()).unwrap_or_else(|| {
                format!(
                    "results documents (`result-document:` rows): {}",
                    documents.collect::<Vec<_>>().join(", ")
                )
            });
            kv.d().error_hint(
                &value.loc,
                DiagKind::UnknownReference,
                format!("`{}` is not a results document of the protocol", value.text),
                hint,
            );
            continue;
        }
        b.results.push((element, value.text));
    }
    for (op, element) in queries {
        if b.results_of(element).is_none() {
            refs.error_hint(
                &op.loc,
                DiagKind::Missing,
                format!(
                    "the `binding` table has no `results:{element}` row for query `{}`",
                    op.name
                ),
                format!("add `| results:{element} | … |`: the element of its results"),
            );
        }
    }
}

/// The `result-document:<shape>` rows: the element of each shape of results document the
/// protocol reads and writes, every shape once.
fn read_documents(kv: &mut KeyValues<'_>, b: &mut CiscoEmBinding) {
    let rows = kv.prefixed("result-document:");
    for (name, key, value) in &rows {
        let Some(&(_, shape)) = ResultShape::ALL.iter().find(|(n, _)| n == name) else {
            let names = ResultShape::ALL.iter().map(|(n, _)| *n);
            let hint = did_you_mean(name, names.clone())
                .unwrap_or_else(|| format!("shapes: {}", names.collect::<Vec<_>>().join(", ")));
            kv.d().error_hint(
                &key.loc,
                DiagKind::BadValue,
                format!("`{name}` is not a shape of results document the protocol reads"),
                hint,
            );
            continue;
        };
        if !is_xml_name(&value.text) {
            kv.d().error(
                &value.loc,
                DiagKind::BadValue,
                format!("`{}` is not an XML name", value.text),
            );
            continue;
        }
        b.result_documents.push((shape, value.text.clone()));
    }
    for &(name, shape) in ResultShape::ALL {
        if b.document(shape).is_none() && !rows.iter().any(|(n, _, _)| n == name) {
            kv.missing(
                &format!("result-document:{name}"),
                "the element of its results document",
            );
        }
    }
    b.result_documents
        .sort_by_key(|(s, _)| ResultShape::ALL.iter().position(|(_, t)| t == s));
}

fn value_of_type(d: &mut Diagnostics, cell: &Cell, t: &crate::model::ValueType) {
    let values: Vec<&str> = t.values.iter().map(|v| v.value.as_str()).collect();
    let hint = did_you_mean(&cell.text, values.iter().copied())
        .unwrap_or_else(|| format!("values of `{}`: {}", t.name, values.join(", ")));
    d.error_hint(
        &cell.loc,
        DiagKind::BadValue,
        format!("`{}` is not a value of `{}`", cell.text, t.name),
        hint,
    );
}

fn operation_named(d: &mut Diagnostics, spec: &Loaded<'_>, cell: &Cell) {
    let ops = || spec.families.iter().flat_map(|f| f.operations.iter());
    if !ops().any(|o| o.name == cell.text) {
        let hint = did_you_mean(&cell.text, ops().map(|o| o.name.as_str()))
            .unwrap_or_else(|| "name an operation of an `operations` table".to_string());
        d.error_hint(
            &cell.loc,
            DiagKind::UnknownOperation,
            format!("no operation `{}`", cell.text),
            hint,
        );
    }
}

/// The protocol's rules, on every family: its operations, and each parameter once.
pub(super) fn check(d: &mut Diagnostics, b: &CiscoEmBinding, spec: &Loaded<'_>) {
    for fam in spec.families {
        for op in &fam.operations {
            check_operation(d, b, fam, op);
        }
        for p in &fam.properties {
            let takers: Vec<&str> = fam
                .operations
                .iter()
                .filter(|op| p.usage(&op.name).is_some_and(|u| u.input.is_some()))
                .map(|op| op.name.as_str())
                .collect();
            if !takers.is_empty() {
                check_parameter(d, b, spec, &takers, p);
            }
        }
    }
}

fn check_operation(d: &mut Diagnostics, b: &CiscoEmBinding, fam: &Family, op: &Operation) {
    if !matches!(op.kind, OpKind::Request | OpKind::Query) {
        d.error_hint(
            &op.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` is of kind `{}`; cisco-em operations are `request` or `query`",
                op.name,
                op.kind.name()
            ),
            "a `request` changes state (`<request>`), a `query` asks (`<query>`)",
        );
    }
    match op.element.as_deref() {
        None => d.error_hint(
            &op.loc,
            DiagKind::Missing,
            format!("operation `{}` has no `Element`", op.name),
            "give the element of its action",
        ),
        Some(e) if !is_xml_name(e) => d.error(
            &op.loc,
            DiagKind::BadValue,
            format!("`{}`'s element `{e}` is not an XML name", op.name),
        ),
        Some(_) => {}
    }
    for (p, _) in fam.outputs(&op.name) {
        if p.name != b.error_code_result && p.name != b.error_message_result {
            d.error_hint(
                &p.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` returns `{}`, which is neither `error-code-result` nor `error-message-result`",
                    op.name, p.name
                ),
                "the result data of an action is its code and message; query results are the `results:` rows",
            );
        }
    }
}

/// A parameter that `takers` (operations) take: a type the protocol can write, an `Element`
/// unless it decides the endpoint, a default it can write.
fn check_parameter(
    d: &mut Diagnostics,
    b: &CiscoEmBinding,
    spec: &Loaded<'_>,
    takers: &[&str],
    p: &Property,
) {
    let Some(t) = type_of(spec, p) else { return };
    let Some(form) = ElementValue::of(&t.kind) else {
        d.error(
            &p.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` is of a `{}` type, which the cisco-em protocol cannot write",
                p.name,
                t.kind.name()
            ),
        );
        return;
    };
    let endpoint = b.is_endpoint_parameter(&p.name);
    match (endpoint, p.element.as_deref()) {
        (true, Some(_)) => d.error_hint(
            &p.loc,
            DiagKind::Inconsistent,
            format!("`{}` decides the endpoint, so it has no `Element`", p.name),
            "the binding names it as `url-parameter`, `host-parameter` or `version-parameter`",
        ),
        (false, None) => d.error_hint(
            &p.loc,
            DiagKind::Missing,
            format!("`{}` has no `Element`", p.name),
            format!(
                "{} take{} it: give the element path it is written at (`a/b` from the action's element, `/a/b` from the root)",
                takers.join(", "),
                if takers.len() == 1 { "s" } else { "" }
            ),
        ),
        (false, Some(path)) => check_path(d, b, p, path),
        (true, None) => {}
    }
    if let Some(raw) = &p.default
        && let Err(why) = check_default(spec, t, form, raw)
    {
        d.error(
            &p.loc,
            DiagKind::BadValue,
            format!("`{}`: default `{raw}` {why}", p.name),
        );
    }
}

/// An `Element` path: `a/b` from the action's element, or `/first/…` from the root, where
/// `first` can only be the `app-info-element` (the request DTD has nothing else there).
fn check_path(d: &mut Diagnostics, b: &CiscoEmBinding, p: &Property, path: &str) {
    let relative = path.strip_prefix('/').unwrap_or(path);
    if !relative.split('/').all(is_xml_name) {
        d.error_hint(
            &p.loc,
            DiagKind::BadValue,
            format!("`{}`: `{path}` is not an element path", p.name),
            "write `a/b`, or `/a/b` from the root",
        );
        return;
    }
    let first = relative.split('/').next().unwrap_or_default();
    if path.starts_with('/') && first != b.app_info_element {
        d.error_hint(
            &p.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}`: `{path}` starts at the root but not in `{}`",
                p.name, b.app_info_element
            ),
            "the request document holds only the `app-info-element` and the action's element",
        );
    }
}

/// Whether the protocol can write `raw` as the default of a value of `t`.
fn check_default(
    spec: &Loaded<'_>,
    t: &crate::model::ValueType,
    form: ElementValue,
    raw: &str,
) -> Result<(), String> {
    match (form, &t.kind) {
        (ElementValue::Text, _) => Ok(()),
        (ElementValue::Flag, _) => spec
            .spellings
            .iter()
            .any(|s| s.spelling == raw)
            .then_some(())
            .ok_or_else(|| "is not a Boolean spelling of `boolean-spellings`".to_string()),
        (ElementValue::Wire, TypeKind::Integer { min, max }) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (*min..=*max).contains(n))
            .map(|_| ())
            .ok_or_else(|| format!("is not a whole number from {min} to {max}")),
        (ElementValue::Wire, TypeKind::Enum) => is_value_of(t, raw)
            .then_some(())
            .ok_or_else(|| format!("is not a value of `{}`", t.name)),
        _ => Err("cannot be the default of this type".to_string()),
    }
}

impl<'a> ServiceLoader<'a> {
    /// The `versions` table: each Unified CM release, the `version-parameter` value that
    /// selects it (a value of the parameter's type), its documented port, and where it differs
    /// from the rest: its paths (both or neither) and the actions it answers. Rows sharing a
    /// value agree on those. The table is required; `service_at` is where its absence is told.
    pub(super) fn load_cisco_em_versions(
        &mut self,
        b: &mut CiscoEmBinding,
        spec: &Loaded<'_>,
        service_at: &crate::diag::Loc,
    ) {
        let key = KeySpec {
            column: "Release",
            what: "release",
            form: KeyForm::NonEmpty,
        };
        let version_type = spec
            .families
            .iter()
            .flat_map(|f| &f.properties)
            .find(|p| p.container.is_none() && p.name == b.version_parameter)
            .and_then(|p| type_of(spec, p));
        let rows = self.unique_rows("versions", key);
        if rows.is_empty() {
            self.d.error_hint(
                service_at,
                DiagKind::Missing,
                "the `cisco-em` service has no `versions` table",
                "add `## versions` with a row per Unified CM release: `| Release | Version | Port |`",
            );
        }
        for k in rows {
            let (rows, row) = (&k.rows, k.row);
            let (Some(version), Some(port)) = (rows.cell(row, "Version"), rows.cell(row, "Port"))
            else {
                continue;
            };
            if version.text.is_empty() {
                self.d.error_hint(
                    &version.loc,
                    DiagKind::BadValue,
                    "a release without a `Version`",
                    format!("the value of `{}` that selects it", b.version_parameter),
                );
                continue;
            }
            if let Some(t) = version_type
                && !is_value_of(t, &version.text)
            {
                value_of_type(self.d, version, t);
            }
            let port_number = port.text.parse::<u16>().ok().filter(|p| *p >= 1);
            if port_number.is_none() {
                self.d.error_hint(
                    &port.loc,
                    DiagKind::BadValue,
                    format!("`{}` is not a port", port.text),
                    "a whole number from 1 to 65535",
                );
            }
            let mut path = |col: &str| {
                let cell = rows.given(row, col)?;
                let ok = cell.text.starts_with('/')
                    && cell
                        .text
                        .chars()
                        .all(|c| c.is_ascii_graphic() && !matches!(c, '?' | '#' | '%'));
                if !ok {
                    self.d.error_hint(
                        &cell.loc,
                        DiagKind::BadValue,
                        format!("`{}` is not a URL path", cell.text),
                        "start it with `/`; no spaces, `?`, `#` or `%`",
                    );
                }
                Some(cell.text.clone())
            };
            let (request_path, query_path) = (path("Request Path"), path("Query Path"));
            if request_path.is_some() != query_path.is_some() {
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::Inconsistent,
                    format!("release `{}` gives one path of two", k.key.text),
                    "give both `Request Path` and `Query Path`, or neither (the `service-path`)",
                );
            }
            let actions = rows.given(row, "Actions").map(|cell| {
                list_items(cell)
                    .into_iter()
                    .map(|item| {
                        operation_named(self.d, spec, &item);
                        item.text
                    })
                    .collect::<Vec<_>>()
            });
            let provenance = self.provenance(rows, row);
            let v = CcmVersion {
                release: k.key.text.clone(),
                version: version.text.clone(),
                port: port_number.unwrap_or_default(),
                request_path,
                query_path,
                actions,
                provenance,
                loc: k.key.loc.clone(),
            };
            if let Some(other) = b.versions.iter().find(|o| o.version == v.version)
                && (other.request_path != v.request_path
                    || other.query_path != v.query_path
                    || other.actions != v.actions)
            {
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "releases `{}` and `{}` are both `{}` but differ in their paths or actions",
                        other.release, v.release, v.version
                    ),
                    format!(
                        "the `{}` value selects one endpoint: make them agree",
                        b.version_parameter
                    ),
                );
            }
            b.versions.push(v);
        }
    }
}
