//! Running a case of an `akixi-ws` service: through the generated calls by name
//! (`akixi::dynamic::call`), each part with its own caller.
//!
//! - Codec: the caller writes the typed request as the codec does (compared with the documented
//!   request, under its own `InvokeID` and `SessionID`) and reads the documented response as
//!   the operation's typed response.
//! - Client: the client itself, over HTTP, against a canned server that answers the session's
//!   operations with made-up values (they are not part of the documented exchange) and the
//!   case's operation with the documented response (its `InvokeID` the request's). The request
//!   the client sent is read back, its passwords recovered with the made-up Nonce, and
//!   compared with the documented one.
//! - Simulator: the simulator, started with a preset session of the documented `SessionID`, is
//!   sent the case's `setup` requests and then the documented request verbatim, except that
//!   each password (a `Secret` parameter) is replaced by its ciphertext under the preset
//!   session's Nonce: the documentation's values are no ciphertext of a Nonce we know. Its
//!   answer is read as the operation's typed response.

use std::sync::{Arc, Mutex};

use akixi_client::akixi::{BINDING, Caller, Platform, SERVICE, Unsupported, Validate, dynamic};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{
    Extra, PasswordEncoder, ResponseWriter, ResultKind, decode_request, decode_response,
};
use akixi_client::runtime::akixi_ws::{
    DynError, EncodeError, OpKind, Operation, Password, PasswordsAsIs, Secret, ValueKind,
    decode_operation, encode_request,
};
use akixi_schema::Spec;
use akixi_schema::conformance::{Case, Conformance, Outcome, Part};
use akixi_sim::{Config, HashCost, Simulator};

use crate::canned::{Canned, post};
use crate::compare_records;

/// The Nonce of the simulator's preset session and of the canned server's made-up session
/// (the documentation gives none for the XML API).
const NONCE: &str = "20d5e39b41c7016d3ec9e647ccdbac1f";

/// Runs `case` against `part`.
pub(crate) fn run(
    part: Part,
    case: &Case,
    all: &Conformance,
    spec: &Spec,
    rt: &tokio::runtime::Runtime,
) -> Result<(), String> {
    match part {
        Part::Codec => codec(case, spec),
        Part::Client => rt.block_on(client(case, spec)),
        Part::Simulator => rt.block_on(simulator(case, all)),
    }
}

/// What the caller saw.
#[derive(Debug)]
#[allow(dead_code, reason = "read through Debug, in failure messages")]
enum Seen {
    Failure(Option<u32>, Option<String>),
    Undecodable(String),
    Other(String),
}

/// Where a caller's answer comes from.
enum Answer {
    /// The case's documented response (the codec part).
    Documented,
    /// The simulator at the URL, sent this request text.
    Simulator { url: String, request: String },
}

struct Exchange<'a> {
    case: &'a Case,
    aliases: Vec<(String, String)>,
    answer: Answer,
    problems: Mutex<Vec<String>>,
}

impl Exchange<'_> {
    fn problem(&self, p: String) {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(p);
    }
}

/// Reads a response text as `O`'s typed response.
fn read_answer<O: Operation>(xml: &[u8]) -> Result<O::Response, Seen> {
    match decode_response::<O::Response>(xml, &BINDING) {
        Err(e) => Err(Seen::Undecodable(e.to_string())),
        Ok(d) if d.result == ResultKind::Success => Ok(d.data.unwrap_or_default()),
        Ok(d) => {
            let first = d.errors.first();
            Err(Seen::Failure(
                first.and_then(|e| e.code),
                first.and_then(|e| e.message.clone()),
            ))
        }
    }
}

impl Caller for Exchange<'_> {
    type Platform = Platform;
    type Unsupported = Unsupported;
    type Error = Seen;

    async fn call<O>(&self, op: O) -> Result<O::Response, Seen>
    where
        O: Operation
            + Validate<Platform = Platform, Unsupported = Unsupported>
            + Send
            + Sync
            + 'static,
        O::Response: Send + Sync + 'static,
    {
        {
            match &self.answer {
                Answer::Documented => {
                    if let Some(block) = &self.case.request {
                        match decode_operation::<O>(block.text.as_bytes()) {
                            Ok(documented) => {
                                let ours = encode_request(
                                    &op,
                                    documented.invoke_id.as_deref().unwrap_or_default(),
                                    documented.session_id.as_deref(),
                                    &PasswordsAsIs,
                                );
                                match ours {
                                    Ok(xml) => {
                                        if let Err(e) =
                                            crate::xml::same(&xml, &block.text, &self.aliases)
                                        {
                                            self.problem(format!("writing: {e}"));
                                        }
                                    }
                                    Err(e) => self.problem(format!("writing: {e}")),
                                }
                            }
                            Err(e) => {
                                self.problem(format!("reading the documented request: {e}"));
                            }
                        }
                    }
                    match &self.case.response {
                        None => Ok(O::Response::default()),
                        Some(block) => read_answer::<O>(block.text.as_bytes()),
                    }
                }
                Answer::Simulator { url, request } => match post(url, request).await {
                    Ok(reply) => read_answer::<O>(reply.as_bytes()),
                    Err(e) => Err(Seen::Other(e)),
                },
            }
        }
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // The codec's futures are ready at once; no runtime is needed.
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The spec's `(alias, name)` spellings of the case's service's properties.
fn aliases(case: &Case, spec: &Spec) -> Vec<(String, String)> {
    spec.service(&case.service)
        .into_iter()
        .flat_map(|s| s.families.iter())
        .flat_map(|f| f.properties.iter())
        .flat_map(|p| p.aliases.iter().map(|a| (a.clone(), p.name.clone())))
        .collect()
}

/// The case's parameters without the envelope's paging, and the paging.
fn fields_and_paging(case: &Case) -> (Vec<(String, String)>, Option<u64>, Option<u64>) {
    // `Offset` and `Limit` are the envelope's paging, not properties.
    let paging = |name: &str| {
        case.parameters
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
    };
    let fields = case
        .parameters
        .iter()
        .filter(|(k, _)| k != "Offset" && k != "Limit")
        .cloned()
        .collect();
    (fields, paging("Offset"), paging("Limit"))
}

/// Checks a call's result against the case's outcome, code, message and results.
fn verdict(
    case: &Case,
    result: Result<Vec<Vec<(String, String)>>, DynError<Seen>>,
) -> Result<(), String> {
    let want = case.outcome.ok_or("the case gives no `> outcome:`")?;
    match (want, result) {
        (Outcome::Success, Ok(_)) => Ok(()),
        (Outcome::Results, Ok(records)) => compare_records(&case.results, &records),
        (want, Ok(records)) => Err(format!("expected {}, read {records:?}", want.name())),
        (want, Err(DynError::Call(e))) => match (want, &e) {
            (Outcome::Failure, Seen::Failure(code, message)) => {
                if case.code.is_some() && case.code != *code {
                    Err(format!("code {code:?}, expected {:?}", case.code))
                } else if case.message.is_some() && case.message != *message {
                    Err(format!("message {message:?}, expected {:?}", case.message))
                } else {
                    Ok(())
                }
            }
            (Outcome::Undecodable, Seen::Undecodable(_)) => Ok(()),
            _ => Err(format!("expected {}, got {e:?}", want.name())),
        },
        (_, Err(DynError::Fields(f))) => Err(format!(
            "the parameters do not make the request: {}",
            f.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
        (_, Err(DynError::UnknownOperation(n))) => Err(format!("no operation `{n}`")),
        (_, Err(other)) => Err(format!("cannot call: {other:?}")),
    }
}

fn finish(problems: Vec<String>, verdict: Result<(), String>) -> Result<(), String> {
    let mut problems = problems;
    if let Err(e) = verdict {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn codec(case: &Case, spec: &Spec) -> Result<(), String> {
    let action = case.action.as_deref().ok_or("no action")?;
    let exchange = Exchange {
        case,
        aliases: aliases(case, spec),
        answer: Answer::Documented,
        problems: Mutex::new(Vec::new()),
    };
    let (fields, offset, limit) = fields_and_paging(case);
    let result = block_on(dynamic::call_paged(
        &exchange, action, &fields, None, offset, limit,
    ));
    let problems = exchange
        .problems
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    finish(problems, verdict(case, result))
}

/// The names of the `Secret` properties of the case's operation.
fn secret_properties(action: &str) -> Vec<&'static str> {
    SERVICE
        .operations
        .iter()
        .filter(|o| o.name == action)
        .flat_map(|o| o.fields.iter())
        .filter(|f| f.input.is_some() && f.property.kind == ValueKind::Secret)
        .map(|f| f.property.name)
        .collect()
}

/// The case's request text with each password (a `Secret` parameter's documented value, as
/// element text) replaced by its ciphertext under [`NONCE`].
fn with_session_passwords(case: &Case, text: &str) -> Result<String, String> {
    let action = case.action.as_deref().ok_or("no action")?;
    let cipher = NonceCipher::new(&akixi_client::akixi::PASSWORD_SCHEME)
        .map_err(|e| format!("the spec's cipher: {e}"))?;
    let nonce = Secret::new(NONCE);
    let mut out = text.to_owned();
    for name in secret_properties(action) {
        let Some((_, value)) = case.parameters.iter().find(|(k, _)| k == name) else {
            continue;
        };
        let protected = cipher
            .encrypt(&nonce, &Password::new(value.as_str()))
            .map_err(|e| format!("cannot encrypt {name}: {e}"))?;
        let documented = format!(">{value}<");
        if !out.contains(&documented) {
            return Err(format!(
                "the documented request has no {name} `{value}` to protect"
            ));
        }
        out = out.replacen(&documented, &format!(">{protected}<"), 1);
    }
    Ok(out)
}

async fn simulator(case: &Case, all: &Conformance) -> Result<(), String> {
    let action = case.action.as_deref().ok_or("no action")?;
    let request = case
        .request
        .as_ref()
        .ok_or("no documented request to send")?;
    let session_id = decode_request::<Extra>(request.text.as_bytes())
        .map_err(|e| format!("reading the documented request: {e}"))?
        .session_id
        .ok_or("the documented request has no session")?;
    let config = Config::default()
        .hash_cost(HashCost::Minimal)
        .preset_session(
            session_id,
            NONCE,
            akixi_sim::DEFAULT_ADMIN_USERNAME.to_owned(),
        );
    let sim = Simulator::start(config)
        .await
        .map_err(|e| format!("the simulator does not start: {e}"))?;
    let url = sim.url().to_owned();
    let outcome = async {
        for id in &case.setup {
            let setup = all
                .case(&case.service, id)
                .ok_or_else(|| format!("no setup case `{id}`"))?;
            let text = setup
                .request
                .as_ref()
                .ok_or_else(|| format!("setup `{id}` has no request"))?;
            let body = with_session_passwords(setup, &text.text)?;
            let reply = post(&url, &body).await?;
            match decode_response::<Extra>(reply.as_bytes(), &BINDING) {
                Ok(d) if d.result == ResultKind::Success => {}
                _ => return Err(format!("setup `{id}` was answered {reply}")),
            }
        }
        let exchange = Exchange {
            case,
            aliases: Vec::new(),
            answer: Answer::Simulator {
                url: url.clone(),
                request: with_session_passwords(case, &request.text)?,
            },
            problems: Mutex::new(Vec::new()),
        };
        let (fields, offset, limit) = fields_and_paging(case);
        let result = dynamic::call_paged(&exchange, action, &fields, None, offset, limit).await;
        let problems = exchange
            .problems
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        finish(problems, verdict(case, result))
    }
    .await;
    let _ = sim.shutdown().await;
    outcome
}

/// A password encoder that recovers what a client protected with [`NONCE`] (so that the
/// request it sent can be compared with the documented one, whose passwords are plain).
struct Recover(NonceCipher);

impl PasswordEncoder for Recover {
    fn encode_password(&self, password: &Password) -> Result<String, EncodeError> {
        // What does not decrypt is shown as sent, and differs from the documented value.
        Ok(self
            .0
            .decrypt(&Secret::new(NONCE), password.expose())
            .map_or_else(|_| password.expose().to_owned(), |p| p.expose().to_owned()))
    }
}

/// The canned server's answer to `body`: the session's operations answered with made-up
/// values (a session id and a Nonce of [`NONCE`]), the case's operation with the documented
/// response under the request's `InvokeID`.
fn canned_answer(body: &[u8], action: &str, documented: &str) -> String {
    let Ok(request) = decode_request::<Extra>(body) else {
        return String::new();
    };
    let invoke_id = request.invoke_id.unwrap_or_default();
    let session = SERVICE.session.as_ref();
    if request.operation == action {
        let theirs = decode_response::<Extra>(documented.as_bytes(), &BINDING)
            .ok()
            .and_then(|d| d.invoke_id);
        return match theirs {
            Some(id) if !id.is_empty() => documented.replacen(&id, &invoke_id, 1),
            _ => documented.to_owned(),
        };
    }
    let mut w = ResponseWriter::new(ResultKind::Success, &BINDING);
    w.invoke_id(&invoke_id);
    if let Some(s) = session.filter(|s| s.create == request.operation) {
        w.begin_success()
            .property(s.session_id, NONCE)
            .property(s.nonce, NONCE);
    }
    w.finish()
}

/// The client, with what it sent for the operation compared with the documented request.
struct Tap<'a> {
    client: akixi_client::Client,
    server: &'a Canned,
    documented: Option<&'a str>,
    aliases: Vec<(String, String)>,
    problems: Mutex<Vec<String>>,
}

impl Caller for Tap<'_> {
    type Platform = Platform;
    type Unsupported = Unsupported;
    type Error = Seen;

    async fn call<O>(&self, op: O) -> Result<O::Response, Seen>
    where
        O: Operation
            + Validate<Platform = Platform, Unsupported = Unsupported>
            + Send
            + Sync
            + 'static,
        O::Response: Send + Sync + 'static,
    {
        {
            let result = self.client.call(op).await;
            let sent: Vec<_> = self
                .server
                .received()
                .into_iter()
                .filter(|r| decode_request::<Extra>(&r.body).is_ok_and(|d| d.operation == O::NAME))
                .collect();
            let problem = match (sent.as_slice(), self.documented) {
                ([r], Some(documented)) => compare_sent::<O>(&r.body, documented, &self.aliases)
                    .err()
                    .map(|e| format!("the request sent: {e}")),
                ([_], None) => None,
                (other, _) => Some(format!("{} {} requests sent", other.len(), O::NAME)),
            };
            if let Some(p) = problem {
                self.problems
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(p);
            }
            result.map_err(|e| match e {
                akixi_client::Error::Api(a) => {
                    let first = a.errors.first();
                    Seen::Failure(
                        first.and_then(|x| x.code.map(|c| c.code())),
                        first.and_then(|x| x.message.clone()),
                    )
                }
                akixi_client::Error::Decode(d) => Seen::Undecodable(d.to_string()),
                other => Seen::Other(other.to_string()),
            })
        }
    }
}

async fn client(case: &Case, spec: &Spec) -> Result<(), String> {
    let action = case.action.as_deref().ok_or("no action")?;
    let documented = case
        .response
        .as_ref()
        .ok_or("no documented response to serve")?
        .text
        .clone();
    let op = SERVICE
        .operations
        .iter()
        .find(|o| o.name == action || o.aliases.contains(&action))
        .ok_or_else(|| format!("no operation `{action}`"))?;
    if matches!(op.kind, OpKind::CreateSession | OpKind::Authenticate) {
        return Err(format!("{} is the session's own operation", op.name));
    }
    let name = op.name;
    let server = Canned::start_with(Arc::new(move |body: &[u8]| {
        canned_answer(body, name, &documented)
    }))
    .await
    .map_err(|e| format!("canned server: {e}"))?;
    let client = akixi_client::Client::builder(format!("{}/", server.base))
        .credentials("conformance@example.invalid", "conformance")
        .allow_http(true)
        .build()
        .map_err(|e| format!("the client: {e}"))?;
    let tap = Tap {
        client,
        server: &server,
        documented: case.request.as_ref().map(|b| b.text.as_str()),
        aliases: aliases(case, spec),
        problems: Mutex::new(Vec::new()),
    };
    let (fields, offset, limit) = fields_and_paging(case);
    let result = dynamic::call_paged(&tap, name, &fields, None, offset, limit).await;
    let problems = tap.problems.into_inner().unwrap_or_else(|e| e.into_inner());
    finish(problems, verdict(case, result))
}

/// Reads what the client sent as `O`, writes it again under the documented `InvokeID` and
/// `SessionID` with its passwords recovered, and compares it with the documented request by
/// meaning.
fn compare_sent<O: Operation>(
    body: &[u8],
    documented: &str,
    aliases: &[(String, String)],
) -> Result<(), String> {
    let doc = decode_request::<Extra>(documented.as_bytes()).map_err(|e| e.to_string())?;
    let sent = decode_operation::<O>(body).map_err(|e| format!("unreadable: {e}"))?;
    let payload = sent.payload.ok_or("no payload")?;
    let recover = Recover(
        NonceCipher::new(&akixi_client::akixi::PASSWORD_SCHEME).map_err(|e| e.to_string())?,
    );
    let rewritten = encode_request(
        &payload,
        doc.invoke_id.as_deref().unwrap_or_default(),
        doc.session_id.as_deref(),
        &recover,
    )
    .map_err(|e| e.to_string())?;
    crate::xml::same(&rewritten, documented, aliases)
}
