//! The probe's steps: sign in, test each family, sign out.

use akixi_schema::binding::{AkixiWsBinding, Condition, SessionRoles};
use akixi_schema::{Binding, Family, Input, Loc, OpKind, Operation, Service, TypeKind};

use super::report::{
    Exchange, Finding, Fix, ProbeEntity, ProbeError, ProbeReport, ProbeTarget, RowRef, Status,
};
use super::wire::{self, Answer, Elem};
use crate::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use crate::akixi_ws::{PasswordScheme, RequestWriter, redact_xml};
use crate::http::{Http, HttpSettings, PlainHttp, Request};
use crate::secret::Secret;

const CONTENT_TYPE: &str = "text/xml; charset=utf-8";
const ACCEPT: &str = "text/xml, application/xml";
/// How many other spellings of an unknown operation the probe tries.
const MAX_CANDIDATES: usize = 8;

/// One probe run.
pub(super) struct Prober<'a> {
    service: &'a Service,
    binding: &'a AkixiWsBinding,
    target: &'a ProbeTarget,
    http: Http,
    url: reqwest::Url,
    next: u64,
    session_id: Option<String>,
    nonce: Option<Secret>,
    secrets: Vec<String>,
    report: ProbeReport,
    /// The code the service answers an unknown operation with (observed, else the spec's).
    unknown_code: Option<u32>,
    rand: String,
}

/// What one list told about paging.
struct PageSeen {
    returned: u64,
    more: bool,
    evidence: Vec<usize>,
}

impl<'a> Prober<'a> {
    pub(super) fn new(service: &'a Service, target: &'a ProbeTarget) -> Result<Self, ProbeError> {
        let binding = match &service.binding {
            Binding::AkixiWs(b) => b.as_ref(),
            other => {
                return Err(ProbeError::Protocol(
                    service.name.clone(),
                    other.protocol().name(),
                ));
            }
        };
        let url = reqwest::Url::parse(&target.url)
            .map_err(|e| ProbeError::Setup(format!("`{}`: {e}", target.url)))?;
        let host = url.host_str().unwrap_or("unknown-host").to_owned();
        let mut settings = HttpSettings::new(if target.allow_http {
            PlainHttp::Allowed
        } else {
            PlainHttp::LoopbackOnly
        });
        settings.request_timeout = target.timeout;
        settings.unix_socket.clone_from(&target.unix_socket);
        let http = Http::connect(settings, "an Akixi response").map_err(ProbeError::Setup)?;
        http.check_url(&url).map_err(ProbeError::Setup)?;
        let date = target.date.clone().unwrap_or_else(today);
        let mut secrets: Vec<String> = service
            .families
            .iter()
            .flat_map(|f| f.properties.iter())
            .filter(|p| {
                matches!(
                    service.ty(&p.ty).map(|t| &t.kind),
                    Some(TypeKind::Secret { .. })
                )
            })
            .map(|p| p.name.clone())
            .collect();
        if let Some(roles) = &binding.session {
            secrets.extend([
                roles.session_id.clone(),
                roles.nonce.clone(),
                roles.password.clone(),
            ]);
        }
        Ok(Prober {
            service,
            binding,
            target,
            http,
            url,
            next: 0,
            session_id: None,
            nonce: None,
            secrets,
            report: ProbeReport {
                service: service.name.clone(),
                source: format!("probe:{host}:{date}"),
                host,
                date,
                writes: target.write_scope.is_some(),
                findings: Vec::new(),
                exchanges: Vec::new(),
                entities: Vec::new(),
            },
            unknown_code: None,
            rand: random_suffix(),
        })
    }

    pub(super) async fn run(mut self) -> Result<ProbeReport, ProbeError> {
        let spec_unknown = self.condition_code(Condition::UnknownOperation, None);
        self.unknown_code = spec_unknown.as_ref().map(|(code, _)| *code);
        if let Some(roles) = self.binding.session.clone() {
            self.sign_in(&roles).await?;
        }
        self.failure_names(spec_unknown).await?;
        let mut pages = Vec::new();
        let order = self.service.reference_order();
        for index in order {
            let Some(family) = self.service.families.get(index) else {
                continue;
            };
            if family.operations.iter().any(|o| is_entity_kind(o.kind)) {
                self.family(family, &mut pages).await?;
            }
        }
        self.default_limit(&pages);
        if let Some(roles) = self.binding.session.clone() {
            self.sign_out(&roles).await?;
        }
        Ok(self.report)
    }

    // ---- exchanges ----

    /// Sends `operation` with what `build` writes; the exchange's index and the answer (`None`:
    /// not a readable response).
    async fn send(
        &mut self,
        purpose: &str,
        operation: &str,
        build: impl FnOnce(&mut RequestWriter),
    ) -> Result<(usize, Option<Answer>), ProbeError> {
        let mut w = RequestWriter::new(operation);
        let width = usize::try_from(self.binding.invoke_id_digits).unwrap_or(5);
        w.invoke_id(&format!(
            "{:0width$}",
            self.next % 10u64.pow(self.binding.invoke_id_digits.min(18))
        ));
        self.next += 1;
        if let Some(id) = &self.session_id {
            w.session_id(id);
        }
        build(&mut w);
        let body = w.finish();
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let request = redact_xml(body.as_bytes(), &secrets);
        tracing::debug!(operation, purpose, "probe exchange");
        let sent = self
            .http
            .post(Request {
                operation: "probe",
                kind: akixi_schema::OpKind::Request,
                url: &self.url,
                content_type: CONTENT_TYPE,
                accept: ACCEPT,
                body,
            })
            .await;
        let bytes = match sent {
            Ok(b) => b.bytes,
            Err(crate::http::ExchangeError::Http(crate::http::HttpError::Status(s))) => {
                // A status page is an answer too (a service may answer an unknown operation so).
                self.report.exchanges.push(Exchange {
                    purpose: purpose.to_owned(),
                    request,
                    response: format!("HTTP {}", s.status),
                });
                return Ok((self.report.exchanges.len() - 1, None));
            }
            Err(crate::http::ExchangeError::Http(e)) => {
                return Err(ProbeError::Http(e.to_string()));
            }
            Err(crate::http::ExchangeError::Refused(e)) => return Err(ProbeError::Setup(e)),
        };
        let response = redact_xml(&bytes, &secrets);
        self.report.exchanges.push(Exchange {
            purpose: purpose.to_owned(),
            request,
            response,
        });
        let answer = wire::parse(&bytes).and_then(|root| wire::answer(&root));
        Ok((self.report.exchanges.len() - 1, answer))
    }

    fn find(
        &mut self,
        subject: String,
        loc: Option<&Loc>,
        status: Status,
        detail: String,
        fix: Option<Fix>,
        evidence: Vec<usize>,
    ) {
        let provisional = loc.is_some_and(|l| self.provisional_at(l));
        self.report.findings.push(Finding {
            subject,
            row: loc.map(row),
            provisional,
            status,
            detail,
            fix,
            evidence,
        });
    }

    /// Whether the row at `loc` is marked provisional.
    fn provisional_at(&self, loc: &Loc) -> bool {
        let same = |other: &Loc| other.file == loc.file && other.line == loc.line;
        let s = self.service;
        s.binding_rows
            .iter()
            .any(|r| same(&r.loc) && r.provenance.provisional)
            || s.conditions
                .iter()
                .any(|c| same(&c.loc) && c.provenance.provisional)
            || s.families.iter().any(|f| {
                f.operations
                    .iter()
                    .any(|o| same(&o.loc) && o.provenance.provisional)
                    || f.properties
                        .iter()
                        .any(|p| same(&p.loc) && p.provenance.provisional)
            })
    }

    fn binding_loc(&self, key: &str) -> Option<Loc> {
        self.service
            .binding_rows
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.loc.clone())
    }

    /// The code for `condition` of `family` (its own row, else the general one), and the row.
    fn condition_code(&self, condition: Condition, family: Option<&str>) -> Option<(u32, Loc)> {
        let of = |f: Option<&str>| {
            self.service
                .conditions
                .iter()
                .find(|c| c.condition == Some(condition) && c.family.as_deref() == f)
                .map(|c| (c.code, c.loc.clone()))
        };
        family.and_then(|f| of(Some(f))).or_else(|| of(None))
    }

    fn is_unknown(&self, answer: Option<&Answer>) -> bool {
        match (answer, self.unknown_code) {
            (Some(a), Some(code)) => a.has_code(code),
            (None, _) => true,
            _ => false,
        }
    }

    // ---- the session ----

    async fn sign_in(&mut self, roles: &SessionRoles) -> Result<(), ProbeError> {
        let session_family = self
            .service
            .operation(&roles.create)
            .map(|(f, _)| f.name.clone());
        let (i, answer) = self.send("create a session", &roles.create, |_| {}).await?;
        let Some(answer) = answer.filter(Answer::ok) else {
            return Err(self.sign_in_failed(format!("`{}` did not succeed", roles.create), i));
        };
        self.confirm_op(&roles.create, i, "answered Success");
        let success_loc = self.binding_loc("success-element");
        match &answer.element {
            Some(e) if *e == self.binding.success_element => self.find(
                "binding success-element".into(),
                success_loc.as_ref(),
                Status::Confirmed,
                format!("the success element is `{e}`"),
                None,
                vec![i],
            ),
            other => self.find(
                "binding success-element".into(),
                success_loc.as_ref(),
                Status::Refuted,
                format!("the success element is {other:?}"),
                other.clone().map(|v| Fix::SetCell {
                    column: "Value".into(),
                    value: v,
                }),
                vec![i],
            ),
        }
        let returned = wire::property_paths(&answer.payload);
        for (name, what) in [(&roles.session_id, "session id"), (&roles.nonce, "nonce")] {
            let loc = session_family
                .as_deref()
                .and_then(|f| self.service.family(f))
                .and_then(|f| f.property(name))
                .map(|p| p.loc.clone());
            let status = if returned.contains(name) {
                Status::Confirmed
            } else {
                Status::Refuted
            };
            self.find(
                format!("property {name} ({what})"),
                loc.as_ref(),
                status,
                format!("`{}` returned {}", roles.create, returned.join(", ")),
                None,
                vec![i],
            );
        }
        let (Some(id), Some(nonce)) = (
            answer.property(&roles.session_id),
            answer.property(&roles.nonce),
        ) else {
            return Err(self.sign_in_failed("no session id or nonce returned".into(), i));
        };
        self.session_id = Some(id.trim().to_owned());
        self.nonce = Some(Secret::new(nonce.trim()));

        let protected = self.protect_password(roles)?;
        let login = self.target.login.clone();
        let (username, password) = (roles.username.clone(), roles.password.clone());
        let (i, answer) = self
            .send("authenticate", &roles.authenticate, |w| {
                w.property(&username, &login)
                    .property(&password, &protected);
            })
            .await?;
        if !answer.as_ref().is_some_and(Answer::ok) {
            return Err(self.sign_in_failed(
                format!(
                    "`{}` did not succeed (wrong credentials, or a refuted name)",
                    roles.authenticate
                ),
                i,
            ));
        }
        self.confirm_op(&roles.authenticate, i, "answered Success");
        for name in [&roles.username, &roles.password] {
            let loc = session_family
                .as_deref()
                .and_then(|f| self.service.family(f))
                .and_then(|f| f.property(name))
                .map(|p| p.loc.clone());
            self.find(
                format!("property {name}"),
                loc.as_ref(),
                Status::Confirmed,
                format!("`{}` succeeded with it", roles.authenticate),
                None,
                vec![i],
            );
        }
        Ok(())
    }

    fn protect_password(&self, roles: &SessionRoles) -> Result<String, ProbeError> {
        let encrypted = self
            .service
            .operation(&roles.authenticate)
            .and_then(|(f, _)| f.property(&roles.password))
            .and_then(|p| self.service.ty(&p.ty))
            .is_some_and(|t| {
                matches!(
                    t.kind,
                    TypeKind::Secret {
                        wire: akixi_schema::SecretWire::Encrypted
                    }
                )
            });
        if !encrypted {
            return Ok(self.target.password.expose().to_owned());
        }
        let s = &self.binding.password;
        let scheme = PasswordScheme {
            cipher: "aes-128-cbc",
            key: "nonce-hex",
            iv: "zero",
            padding: "pkcs7",
            encoding: "base64",
        };
        let given = [&s.cipher, &s.key, &s.iv, &s.padding, &s.encoding];
        let implemented = [
            scheme.cipher,
            scheme.key,
            scheme.iv,
            scheme.padding,
            scheme.encoding,
        ];
        if given.iter().zip(implemented).any(|(g, i)| g.as_str() != i) {
            return Err(ProbeError::Setup(
                "the spec's password scheme is not the one implemented (aes-128-cbc, nonce-hex, zero, pkcs7, base64)".into(),
            ));
        }
        let cipher = NonceCipher::new(&scheme).map_err(|e| ProbeError::Setup(e.to_string()))?;
        let nonce = self
            .nonce
            .as_ref()
            .ok_or_else(|| ProbeError::Setup("no nonce".into()))?;
        cipher
            .encrypt(nonce, &self.target.password)
            .map_err(|e| ProbeError::Setup(format!("password cipher: {e}")))
    }

    fn sign_in_failed(&mut self, message: String, exchange: usize) -> ProbeError {
        let response = self
            .report
            .exchanges
            .get(exchange)
            .map(|x| x.response.clone())
            .unwrap_or_default();
        ProbeError::SignIn {
            message: format!("sign-in failed: {message}; the service answered {response}"),
            report: Box::new(self.report.clone()),
        }
    }

    async fn sign_out(&mut self, roles: &SessionRoles) -> Result<(), ProbeError> {
        let (i, answer) = self.send("close the session", &roles.close, |_| {}).await?;
        if self.is_unknown(answer.as_ref()) {
            let op = self.service.operation(&roles.close).map(|(_, o)| o.clone());
            let found = match (&op, self.service.operation(&roles.close).map(|(f, _)| f)) {
                (Some(op), Some(family)) => self.try_candidates(family, op, &[]).await?,
                _ => None,
            };
            self.refute_op(&roles.close, i, found);
        } else {
            self.confirm_op(&roles.close, i, "not answered as unknown");
        }
        self.session_id = None;
        Ok(())
    }

    // ---- the failure element ----

    async fn failure_names(&mut self, spec_unknown: Option<(u32, Loc)>) -> Result<(), ProbeError> {
        let bogus = format!("AkixiProbeNoSuchOperation{}", self.rand);
        let (i, answer) = self
            .send("an operation no service has", &bogus, |_| {})
            .await?;
        let Some(answer) = answer.filter(|a| !a.ok()) else {
            for key in ["fail-element", "error-code-name", "error-message-name"] {
                let loc = self.binding_loc(key);
                self.find(
                    format!("binding {key}"),
                    loc.as_ref(),
                    Status::Untestable,
                    "an unknown operation did not fail readably".into(),
                    None,
                    vec![i],
                );
            }
            return Ok(());
        };
        let b = self.binding;
        for (key, expected, seen) in [
            ("fail-element", &b.fail_element, &answer.element),
            ("error-code-name", &b.error_code_name, &answer.code_name),
            (
                "error-message-name",
                &b.error_message_name,
                &answer.message_name,
            ),
        ] {
            let loc = self.binding_loc(key);
            match seen {
                Some(s) if s == expected => self.find(
                    format!("binding {key}"),
                    loc.as_ref(),
                    Status::Confirmed,
                    format!("the failure used `{s}`"),
                    None,
                    vec![i],
                ),
                Some(s) => self.find(
                    format!("binding {key}"),
                    loc.as_ref(),
                    Status::Refuted,
                    format!("the failure used `{s}`, not `{expected}`"),
                    Some(Fix::SetCell {
                        column: "Value".into(),
                        value: s.clone(),
                    }),
                    vec![i],
                ),
                None => self.find(
                    format!("binding {key}"),
                    loc.as_ref(),
                    Status::Untestable,
                    "the failure held no such item".into(),
                    None,
                    vec![i],
                ),
            }
        }
        let Some((code, loc)) = spec_unknown else {
            // No row to test: the observed code still tells unknown operations apart.
            self.unknown_code = answer.codes.first().copied();
            return Ok(());
        };
        match answer.codes.first() {
            Some(&seen) if seen == code => self.find(
                "error-condition unknown-operation".into(),
                Some(&loc),
                Status::Confirmed,
                format!("an unknown operation answered {seen}"),
                None,
                vec![i],
            ),
            Some(&seen) => {
                self.unknown_code = Some(seen);
                self.find(
                    "error-condition unknown-operation".into(),
                    Some(&loc),
                    Status::Refuted,
                    format!("an unknown operation answered {seen}, not {code}"),
                    Some(Fix::SetCell {
                        column: "Code".into(),
                        value: seen.to_string(),
                    }),
                    vec![i],
                );
            }
            None => self.find(
                "error-condition unknown-operation".into(),
                Some(&loc),
                Status::Untestable,
                "the failure held no code".into(),
                None,
                vec![i],
            ),
        }
        Ok(())
    }

    // ---- operation names ----

    fn confirm_op(&mut self, name: &str, exchange: usize, how: &str) {
        let loc = self.service.operation(name).map(|(_, o)| o.loc.clone());
        self.find(
            format!("operation {name}"),
            loc.as_ref(),
            Status::Confirmed,
            format!("the service knows `{name}`: {how}"),
            None,
            vec![exchange],
        );
    }

    fn refute_op(&mut self, name: &str, exchange: usize, found: Option<(String, usize)>) {
        let loc = self.service.operation(name).map(|(_, o)| o.loc.clone());
        let (detail, fix, mut evidence) = match found {
            Some((other, j)) => (
                format!("the service does not know `{name}`; it answered to `{other}`"),
                Some(Fix::SetCell {
                    column: "Operation".into(),
                    value: other,
                }),
                vec![j],
            ),
            None => (
                format!("the service does not know `{name}`, nor the usual other spellings"),
                None,
                vec![],
            ),
        };
        evidence.insert(0, exchange);
        self.find(
            format!("operation {name}"),
            loc.as_ref(),
            Status::Refuted,
            detail,
            fix,
            evidence,
        );
    }

    /// Sends `op`'s other spellings with `payload`; the first the service knows.
    async fn try_candidates(
        &mut self,
        family: &Family,
        op: &Operation,
        payload: &[(String, String)],
    ) -> Result<Option<(String, usize)>, ProbeError> {
        for name in candidates(family, op).into_iter().take(MAX_CANDIDATES) {
            let (j, answer) = self
                .send(&format!("another spelling of {}", op.name), &name, |w| {
                    for (k, v) in payload {
                        w.property(k, v);
                    }
                })
                .await?;
            if !self.is_unknown(answer.as_ref()) {
                return Ok(Some((name, j)));
            }
        }
        Ok(None)
    }

    /// Sends `op` (by its spec name, else the spelling the service knows); the name used, the
    /// exchange and the answer, after recording whether the name is known.
    async fn call(
        &mut self,
        family: &Family,
        op: &Operation,
        purpose: &str,
        paging: Option<(u64, u64)>,
        payload: &[(String, String)],
    ) -> Result<Option<(String, usize, Answer)>, ProbeError> {
        let write = |w: &mut RequestWriter| {
            if let Some((offset, limit)) = paging {
                w.offset(offset).limit(limit);
            }
            for (k, v) in payload {
                w.property(k, v);
            }
        };
        let (i, answer) = self.send(purpose, &op.name, write).await?;
        if !self.is_unknown(answer.as_ref()) {
            self.confirm_op(&op.name, i, "not answered as unknown");
            return Ok(answer.map(|a| (op.name.clone(), i, a)));
        }
        let found = self.try_candidates(family, op, payload).await?;
        self.refute_op(&op.name, i, found.clone());
        let Some((name, _)) = found else {
            return Ok(None);
        };
        let (j, answer) = self.send(purpose, &name, write).await?;
        Ok(answer.map(|a| (name, j, a)))
    }

    // ---- a family ----

    async fn family(
        &mut self,
        family: &Family,
        pages: &mut Vec<PageSeen>,
    ) -> Result<(), ProbeError> {
        let mut names: Vec<(OpKind, String)> = Vec::new();
        let mut sample: Option<Vec<(String, String)>> = None;
        // The list: its name, its entries, and whether it stopped at a default limit.
        let listed = match family.operation_of(OpKind::List) {
            Some(list) => self
                .call(family, list, "list without a limit", None, &[])
                .await?
                .map(|found| (list, found)),
            None => None,
        };
        if let Some((list, (name, i, answer))) = listed {
            names.push((OpKind::List, name.clone()));
            if answer.ok() {
                let entries = answer.entries();
                sample = entries.first().and_then(|e| key_of(family, &e.children));
                let returned = u64::try_from(entries.len()).unwrap_or(u64::MAX);
                if list.paged {
                    let (j, more) = self
                        .send("is there more after the default page", &name, |w| {
                            w.offset(returned).limit(1);
                        })
                        .await?;
                    let more = more.is_some_and(|a| a.ok() && !a.entries().is_empty());
                    pages.push(PageSeen {
                        returned,
                        more,
                        evidence: vec![i, j],
                    });
                }
            }
        }
        // The info: its name, the code of a surely-absent key, what it returns.
        if let Some(info) = family.operation_of(OpKind::Info) {
            let absent = self.absent_key(family);
            if let Some((name, i, answer)) = self
                .call(family, info, "info of a surely-absent key", None, &absent)
                .await?
            {
                names.push((OpKind::Info, name.clone()));
                self.missing_entity(family, i, &answer);
                match &sample {
                    Some(key) => {
                        let (j, answer) = self.send("info of a listed entry", &name, |w| {
                            for (k, v) in key {
                                w.property(k, v);
                            }
                        }).await?;
                        if let Some(answer) = answer.filter(Answer::ok) {
                            self.returned(family, info, &name, j, &answer);
                        }
                    }
                    None if self.target.write_scope.is_none() => self.find(
                        format!("properties returned by {}", info.name),
                        Some(&info.loc),
                        Status::Untestable,
                        "no entry to read (no list, or an empty one); allow writes to read a throw-away one".into(),
                        None,
                        vec![],
                    ),
                    None => {}
                }
            }
        }
        // Writing operations: by name with an empty payload (refused for its missing key or
        // required property, so nothing is written), unless the operation needs nothing.
        for op in family.operations.iter().filter(|o| {
            matches!(
                o.kind,
                OpKind::Add | OpKind::Change | OpKind::Delete | OpKind::BulkAdd
            )
        }) {
            let needs = family
                .inputs(&op.name)
                .any(|(_, i)| matches!(i, Input::Required | Input::Key));
            if !needs {
                self.find(
                    format!("operation {}", op.name),
                    Some(&op.loc),
                    Status::Untestable,
                    "it takes no required input, so an empty request could write".into(),
                    None,
                    vec![],
                );
                continue;
            }
            if let Some((name, _, _)) = self
                .call(
                    family,
                    op,
                    "an empty request (refused for a missing input)",
                    None,
                    &[],
                )
                .await?
            {
                names.push((op.kind, name));
            }
        }
        if let Some(scope) = self.target.write_scope.clone() {
            self.writes(family, &names, &scope).await?;
        }
        Ok(())
    }

    /// A key no entity has: `akixi-probe-absent-<random>`, or a number at the top of its range.
    fn absent_key(&self, family: &Family) -> Vec<(String, String)> {
        family
            .keys()
            .map(|p| {
                let value = match self.service.ty(&p.ty).map(|t| &t.kind) {
                    Some(TypeKind::Integer { max, .. }) => max.to_string(),
                    _ => format!("akixi-probe-absent-{}", self.rand),
                };
                (p.name.clone(), value)
            })
            .collect()
    }

    fn missing_entity(&mut self, family: &Family, exchange: usize, answer: &Answer) {
        let Some((code, loc)) = self.condition_code(Condition::UnknownEntity, Some(&family.name))
        else {
            return;
        };
        let subject = format!("error-condition unknown-entity of {}", family.name);
        match answer.codes.first() {
            _ if answer.ok() => self.find(
                subject,
                Some(&loc),
                Status::Untestable,
                "the absent key was found".into(),
                None,
                vec![exchange],
            ),
            Some(&seen) if seen == code => self.find(
                subject,
                Some(&loc),
                Status::Confirmed,
                format!("an absent key answered {seen}"),
                None,
                vec![exchange],
            ),
            Some(&seen) => {
                let own = self.service.conditions.iter().any(|c| {
                    c.condition == Some(Condition::UnknownEntity)
                        && c.family.as_deref() == Some(&family.name)
                });
                let detail = format!("an absent key answered {seen}, not {code}");
                if own {
                    self.find(
                        subject,
                        Some(&loc),
                        Status::Refuted,
                        detail,
                        Some(Fix::SetCell {
                            column: "Code".into(),
                            value: seen.to_string(),
                        }),
                        vec![exchange],
                    );
                } else {
                    // The general row serves other families too: propose no edit of it.
                    self.find(
                        subject,
                        Some(&loc),
                        Status::Refuted,
                        format!("{detail} (a row of its own for {} is needed)", family.name),
                        None,
                        vec![exchange],
                    );
                }
            }
            None => self.find(
                subject,
                Some(&loc),
                Status::Untestable,
                "the failure held no code".into(),
                None,
                vec![exchange],
            ),
        }
    }

    /// Compares what an info returned with the spec's outputs of `info`.
    fn returned(
        &mut self,
        family: &Family,
        info: &Operation,
        name: &str,
        exchange: usize,
        answer: &Answer,
    ) {
        let seen = wire::property_paths(&answer.payload);
        let outputs: Vec<(String, Vec<String>, Loc)> = family
            .outputs(&info.name)
            .map(|(p, _)| {
                let mut names = vec![p.path()];
                names.extend(p.aliases.iter().map(|a| match &p.container {
                    Some(c) => format!("{c}.{a}"),
                    None => a.clone(),
                }));
                (p.path(), names, p.loc.clone())
            })
            .collect();
        for path in &seen {
            if !outputs.iter().any(|(_, names, _)| names.contains(path)) {
                self.find(
                    format!("properties returned by {}", info.name),
                    None,
                    Status::Refuted,
                    format!("`{name}` returned `{path}`, which the spec does not list"),
                    Some(Fix::AddProperty {
                        family: family.name.clone(),
                        operation: info.name.clone(),
                        property: path.clone(),
                    }),
                    vec![exchange],
                );
            }
        }
        for (path, names, loc) in outputs {
            let (status, detail) = if names.iter().any(|n| seen.contains(n)) {
                (Status::Confirmed, format!("`{name}` returned it"))
            } else {
                (
                    Status::Untestable,
                    format!("`{name}` did not return it (it may be empty)"),
                )
            };
            self.find(
                format!("property {}.{path} returned by {}", family.name, info.name),
                Some(&loc),
                status,
                detail,
                None,
                vec![exchange],
            );
        }
    }

    fn default_limit(&mut self, pages: &[PageSeen]) {
        let spec = self.binding.default_limit;
        let loc = self.binding_loc("default-limit");
        let cut: Vec<&PageSeen> = pages.iter().filter(|p| p.more).collect();
        if let Some(p) = cut.iter().find(|p| p.returned != spec) {
            self.find(
                "binding default-limit".into(),
                loc.as_ref(),
                Status::Refuted,
                format!(
                    "a list without a limit returned {} entries and more followed",
                    p.returned
                ),
                Some(Fix::SetCell {
                    column: "Value".into(),
                    value: p.returned.to_string(),
                }),
                p.evidence.clone(),
            );
        } else if let Some(p) = cut.first() {
            self.find(
                "binding default-limit".into(),
                loc.as_ref(),
                Status::Confirmed,
                format!("a list without a limit returned {spec} entries and more followed"),
                None,
                p.evidence.clone(),
            );
        } else {
            let most = pages.iter().map(|p| p.returned).max().unwrap_or(0);
            self.find(
                "binding default-limit".into(),
                loc.as_ref(),
                Status::Untestable,
                format!("no list was cut short (the longest held {most} entries)"),
                None,
                pages.iter().flat_map(|p| p.evidence.clone()).collect(),
            );
        }
    }

    // ---- writes ----

    /// Adds, changes, reads and deletes a throw-away entity of `family`, when the probe can
    /// fill every required input of its add; deleted again whatever happens after the add.
    async fn writes(
        &mut self,
        family: &Family,
        names: &[(OpKind, String)],
        scope: &str,
    ) -> Result<(), ProbeError> {
        let name_of = |kind| {
            names
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, n)| n.clone())
        };
        let (Some(add), Some(delete)) = (name_of(OpKind::Add), name_of(OpKind::Delete)) else {
            return Ok(());
        };
        let Some(add_op) = family.operation_of(OpKind::Add) else {
            return Ok(());
        };
        let probe_name = format!("akixi-probe-{}", self.rand);
        let own_keys = family.key_paths();
        let server = &self.binding.telephony_server_property;
        let mut payload: Vec<(String, String)> = Vec::new();
        let mut containers: Vec<(String, String, String)> = Vec::new();
        for (p, input) in family.inputs(&add_op.name) {
            let path = p.path();
            let value = if p.name == *server && !own_keys.contains(&path) {
                Some(scope.to_owned())
            } else if input == Input::Optional {
                None
            } else if p.references.is_some() {
                let subject = format!("writes of {}", family.name);
                self.find(
                    subject,
                    Some(&add_op.loc),
                    Status::Untestable,
                    format!("its add needs `{path}`, a reference the probe cannot fill"),
                    None,
                    vec![],
                );
                return Ok(());
            } else {
                match self.fill(&p.ty, &probe_name) {
                    Some(v) => Some(v),
                    None => {
                        let subject = format!("writes of {}", family.name);
                        self.find(
                            subject,
                            Some(&add_op.loc),
                            Status::Untestable,
                            format!("its add needs `{path}`, which the probe cannot fill"),
                            None,
                            vec![],
                        );
                        return Ok(());
                    }
                }
            };
            if let Some(v) = value {
                match &p.container {
                    Some(c) => containers.push((c.clone(), p.name.clone(), v)),
                    None => payload.push((p.name.clone(), v)),
                }
            }
        }
        let key: Vec<(String, String)> = payload
            .iter()
            .filter(|(k, _)| own_keys.contains(k))
            .cloned()
            .collect();
        let key_text = key
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (i, answer) = self
            .send(&format!("add a throw-away {}", family.name), &add, |w| {
                for (k, v) in &payload {
                    w.property(k, v);
                }
                for (c, k, v) in &containers {
                    w.begin_container(c).property(k, v).end_container();
                }
            })
            .await?;
        let subject = format!("writes of {}", family.name);
        if !answer.as_ref().is_some_and(Answer::ok) {
            self.find(
                subject,
                Some(&add_op.loc),
                Status::Untestable,
                format!("the add of {key_text} failed; nothing to clean up"),
                None,
                vec![i],
            );
            return Ok(());
        }
        let mut evidence = vec![i];
        if let Some(change) = name_of(OpKind::Change) {
            let (j, _) = self
                .send(
                    &format!("change the throw-away {}", family.name),
                    &change,
                    |w| {
                        for (k, v) in &key {
                            w.property(k, v);
                        }
                    },
                )
                .await?;
            evidence.push(j);
        }
        if let (Some(info), Some(info_op)) =
            (name_of(OpKind::Info), family.operation_of(OpKind::Info))
        {
            let (j, answer) = self
                .send(
                    &format!("read the throw-away {}", family.name),
                    &info,
                    |w| {
                        for (k, v) in &key {
                            w.property(k, v);
                        }
                    },
                )
                .await?;
            evidence.push(j);
            if let Some(answer) = answer.filter(Answer::ok) {
                self.returned(family, info_op, &info, j, &answer);
            }
        }
        let (j, deleted) = self
            .send(
                &format!("delete the throw-away {}", family.name),
                &delete,
                |w| {
                    for (k, v) in &key {
                        w.property(k, v);
                    }
                },
            )
            .await?;
        evidence.push(j);
        let cleaned_up = deleted.is_some_and(|a| a.ok());
        self.report.entities.push(ProbeEntity {
            family: family.name.clone(),
            key: key_text.clone(),
            cleaned_up,
        });
        self.find(
            subject,
            Some(&add_op.loc),
            if cleaned_up {
                Status::Confirmed
            } else {
                Status::Untestable
            },
            if cleaned_up {
                format!("added, changed, read and deleted {key_text}")
            } else {
                format!("added {key_text}, but the delete failed: delete it by hand")
            },
            None,
            evidence,
        );
        Ok(())
    }

    /// A value of type `ty` for a throw-away entity.
    fn fill(&self, ty: &str, probe_name: &str) -> Option<String> {
        let t = self.service.ty(ty)?;
        match &t.kind {
            TypeKind::String => Some(probe_name.to_owned()),
            TypeKind::Integer { min, max } => Some((*min.max(&1)).min(*max).to_string()),
            TypeKind::Boolean => self
                .service
                .boolean_spellings
                .iter()
                .find(|s| s.canonical && !s.value)
                .map(|s| s.spelling.clone()),
            TypeKind::Enum => t.values.first().map(|v| v.value.clone()),
            _ => None,
        }
    }
}

fn row(loc: &Loc) -> RowRef {
    RowRef {
        file: loc.file.to_string(),
        line: loc.line,
    }
}

fn is_entity_kind(kind: OpKind) -> bool {
    matches!(
        kind,
        OpKind::Add
            | OpKind::Change
            | OpKind::Delete
            | OpKind::Info
            | OpKind::List
            | OpKind::BulkAdd
    )
}

/// The verbs a service may use for an operation of `kind`.
fn verbs(kind: OpKind) -> &'static [&'static str] {
    match kind {
        OpKind::Add => &["Add", "Create", "New", "Insert"],
        OpKind::Change => &["Change", "Modify", "Update", "Edit", "Set"],
        OpKind::Delete => &["Delete", "Remove", "Del"],
        OpKind::Info => &["Info", "Get", "Read", "Details", "Show"],
        OpKind::List => &["List", "GetList", "Search", "Query", "Find", "All"],
        OpKind::BulkAdd => &["BulkUpload", "BulkAdd", "Upload", "Import"],
        OpKind::CloseSession => &[
            "CloseSession",
            "EndSession",
            "DestroySession",
            "DeleteSession",
            "SignOut",
            "SignOff",
            "LogOff",
        ],
        _ => &[],
    }
}

/// `op`'s aliases, then its family prefix with each other verb of its kind.
fn candidates(family: &Family, op: &Operation) -> Vec<String> {
    let verbs = verbs(op.kind);
    let mut out: Vec<String> = op.aliases.clone();
    if op.kind == OpKind::CloseSession {
        out.extend(verbs.iter().map(|v| (*v).to_owned()));
    } else {
        let prefix = verbs
            .iter()
            .find_map(|v| op.name.strip_suffix(v))
            .unwrap_or(&family.name);
        out.extend(verbs.iter().map(|v| format!("{prefix}{v}")));
    }
    out.retain(|n| *n != op.name);
    out.dedup();
    out
}

/// The key of a listed entry, when the entry holds every key.
fn key_of(family: &Family, items: &[Elem]) -> Option<Vec<(String, String)>> {
    family
        .keys()
        .map(|p| wire::property_of(items, &p.name).map(|v| (p.name.clone(), v.to_owned())))
        .collect()
}

fn random_suffix() -> String {
    let n: u64 = rand::random();
    format!("{:012x}", n & 0xffff_ffff_ffff)
}

/// Today's date (UTC), `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
