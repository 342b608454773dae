//! Running a case of a `cisco-em` service: through the generated actions by name
//! (`AnyAction`), the client's codec and `Client::send_any`, and the simulator.

use akixi_client::cisco_em::{
    self, RequestDocument, Response, decode_form_field, decode_response, encode_form_field,
};

use akixi_client::em::{ACTIONS, AnyAction, BINDING, ErrorCode};
use akixi_client::em::{Client, Error};
use akixi_client::runtime::cisco_em::{InputUse, ValueKind};
use akixi_schema::conformance::{Block, Case, Conformance, Outcome, Part};
use akixi_sim::em::{EmPath, EmSimulator};

use crate::canned::Canned;
use crate::compare_records;

/// Runs `case` against `part`.
pub(crate) fn run(
    part: Part,
    case: &Case,
    all: &Conformance,
    rt: &tokio::runtime::Runtime,
) -> Result<(), String> {
    match part {
        Part::Codec => codec(case),
        Part::Client => rt.block_on(client(case)),
        Part::Simulator => simulator(case, all),
    }
}

/// The document a block holds: its text, or the form field of a form body (line breaks
/// the documentation wraps it with removed).
fn document(block: &Block) -> Result<String, String> {
    if !block.form {
        return Ok(block.text.clone());
    }
    let body: String = block.text.split_whitespace().collect();
    decode_form_field(body.as_bytes(), BINDING.form_field)
        .ok_or_else(|| format!("the form body has no `{}` field", BINDING.form_field))
}

/// The form body of a block, as sent.
fn form_body(block: &Block) -> Result<String, String> {
    if block.form {
        return Ok(block.text.split_whitespace().collect());
    }
    Ok(encode_form_field(BINDING.form_field, &block.text))
}

fn action_name(case: &Case) -> Result<&str, String> {
    case.action.as_deref().ok_or_else(|| "no action".to_owned())
}

/// The case's parameters, or (when it gives none) a placeholder for every required one, so
/// that an action can be built to read a response with.
fn parameters(case: &Case) -> Result<Vec<(String, String)>, String> {
    if !case.parameters.is_empty() {
        return Ok(case.parameters.clone());
    }
    let name = action_name(case)?;
    let op = ACTIONS
        .iter()
        .find(|o| o.name == name || o.aliases.contains(&name))
        .ok_or_else(|| format!("no action `{name}` in the generated code"))?;
    Ok(op
        .fields
        .iter()
        .filter(|f| matches!(f.input, Some(InputUse::Required | InputUse::Key)))
        .filter(|f| !matches!(f.property.kind, ValueKind::Enum))
        .map(|f| (f.property.name.to_owned(), "x".to_owned()))
        .collect())
}

fn build(case: &Case, extra: &[(String, String)]) -> Result<AnyAction, String> {
    let mut fields = parameters(case)?;
    fields.extend_from_slice(extra);
    AnyAction::from_wire_fields(action_name(case)?, &fields).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The spec's `(alias, name)` spellings: none are compared for this protocol (elements are
/// matched exactly).
const NO_ALIASES: &[(String, String)] = &[];

fn codec(case: &Case) -> Result<(), String> {
    let mut problems = Vec::new();
    if let Some(block) = &case.request {
        let documented = document(block)?;
        let ours = build(case, &[])?;
        match ours.to_xml() {
            Ok(xml) => {
                if let Err(e) = crate::xml::same(&xml, &documented, NO_ALIASES) {
                    problems.push(format!("writing: {e}"));
                }
            }
            Err(e) => problems.push(format!("writing: refused: {e}")),
        }
        match RequestDocument::parse(documented.as_bytes(), &BINDING)
            .and_then(|doc| AnyAction::from_document(&doc))
        {
            Ok(read) => {
                let pairs = |a: &AnyAction| -> Vec<(String, String)> {
                    a.fields()
                        .iter()
                        .map(|f| (f.property.to_owned(), format!("{:?}", f.value)))
                        .collect()
                };
                if read.name() != ours.name() || pairs(&read) != pairs(&ours) {
                    problems.push(format!(
                        "reading: the documented request reads as {} {:?}, not {} {:?}",
                        read.name(),
                        pairs(&read),
                        ours.name(),
                        pairs(&ours)
                    ));
                }
            }
            Err(e) => problems.push(format!("reading: {e}")),
        }
    }
    if let Some(block) = &case.response {
        let action = build(case, &[])?;
        let decoded = decode_response(block.text.as_bytes(), &BINDING);
        let outcome = match decoded {
            Err(e) => Err(Seen::Undecodable(e.to_string())),
            Ok(Response::Failure(f)) => Err(Seen::Failure(
                f.code_number(),
                f.message().map(str::to_owned),
            )),
            Ok(r) if r.kind().element() != action.output_element() => {
                Err(Seen::WrongKind(r.kind().element().to_owned()))
            }
            Ok(r) => Ok(r),
        };
        if let Err(e) = expect(case, outcome, false) {
            problems.push(format!("reading the response: {e}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// What an exchange ended with, when not a success or results.
#[derive(Debug)]
#[allow(dead_code, reason = "read through Debug, in failure messages")]
enum Seen {
    Failure(Option<u32>, Option<String>),
    Undecodable(String),
    WrongKind(String),
    Other(String),
}

/// Checks an outcome against the case's expectations. For the simulator, the message must be
/// the one the spec chose for the code (its `errors` table), whatever text the documentation
/// quotes.
fn expect(case: &Case, seen: Result<Response, Seen>, simulator: bool) -> Result<(), String> {
    let want = case
        .outcome
        .ok_or_else(|| "the case gives no `> outcome:`".to_owned())?;
    match (want, seen) {
        (Outcome::Success, Ok(Response::Success)) => Ok(()),
        (Outcome::Results, Ok(r)) if r.kind() != cisco_em::ResponseKind::Success => {
            let records = r.records().unwrap_or_default();
            compare_records(&case.results, &records)
        }
        (Outcome::Failure, Err(Seen::Failure(code, message))) => {
            if case.code.is_some() && code != case.code {
                return Err(format!("code {code:?}, expected {:?}", case.code));
            }
            let wanted = if simulator {
                code.and_then(|c| ErrorCode::from_code(c).message().map(str::to_owned))
            } else {
                case.message.clone()
            };
            match wanted {
                Some(m) if message.as_deref() != Some(m.as_str()) => {
                    Err(format!("message {message:?}, expected {m:?}"))
                }
                _ => Ok(()),
            }
        }
        (Outcome::Undecodable, Err(Seen::Undecodable(_))) => Ok(()),
        (Outcome::WrongKind, Err(Seen::WrongKind(_))) => Ok(()),
        (want, seen) => Err(format!("expected {}, got {seen:?}", want.name())),
    }
}

async fn client(case: &Case) -> Result<(), String> {
    let response = case
        .response
        .as_ref()
        .ok_or_else(|| "no documented response to serve".to_owned())?;
    let server = Canned::start(response.text.clone())
        .await
        .map_err(|e| format!("canned server: {e}"))?;
    let url = format!("{}{}", server.base, BINDING.service_path);
    let action = build(case, &[(BINDING.url_parameter.to_owned(), url)])?;
    let client = Client::new().map_err(|e| e.to_string())?;
    let result = client.send_any(&action).await;
    let mut problems = Vec::new();
    let received = server.received();
    match received.as_slice() {
        [r] => {
            if !r.method.eq_ignore_ascii_case(BINDING.http_method) {
                problems.push(format!(
                    "sent {} instead of {}",
                    r.method, BINDING.http_method
                ));
            }
            if !r.content_type.starts_with(BINDING.content_type) {
                problems.push(format!("sent Content-Type {}", r.content_type));
            }
            if let Some(block) = &case.request {
                let sent = decode_form_field(&r.body, BINDING.form_field).unwrap_or_default();
                if let Err(e) = crate::xml::same(&sent, &document(block)?, NO_ALIASES) {
                    problems.push(format!("the request sent: {e}"));
                }
            }
        }
        other => problems.push(format!("{} requests reached the server", other.len())),
    }
    let seen = match result {
        Ok(r) => Ok(r),
        Err(Error::Failure(f)) => Err(Seen::Failure(
            f.failure.code_number(),
            f.failure.message().map(str::to_owned),
        )),
        Err(Error::Decode(e)) => Err(Seen::Undecodable(e.to_string())),
        Err(Error::Protocol(e)) => Err(Seen::WrongKind(e.to_string())),
        Err(e) => Err(Seen::Other(e.to_string())),
    };
    if let Err(e) = expect(case, seen, false) {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn simulator(case: &Case, all: &Conformance) -> Result<(), String> {
    let request = case
        .request
        .as_ref()
        .ok_or_else(|| "no documented request to send".to_owned())?;
    let sim = EmSimulator::new();
    for id in &case.setup {
        let setup = all
            .case(&case.service, id)
            .and_then(|c| c.request.as_ref())
            .ok_or_else(|| format!("setup `{id}` has no request"))?;
        let reply = sim.answer_http(
            BINDING.http_method,
            EmPath::Service,
            form_body(setup)?.as_bytes(),
        );
        let text = String::from_utf8_lossy(&reply.body).into_owned();
        if !matches!(
            decode_response(text.as_bytes(), &BINDING),
            Ok(Response::Success
                | Response::DeviceUserResults(_)
                | Response::UserDevicesResults(_)
                | Response::DeviceProfileResults(_))
        ) {
            return Err(format!("setup `{id}` was answered {text}"));
        }
    }
    let method = case.method.as_deref().unwrap_or(BINDING.http_method);
    let form = form_body(request)?;
    let reply = if method.eq_ignore_ascii_case(BINDING.http_method) {
        sim.answer_http_query(method, EmPath::Service, None, form.as_bytes(), None)
    } else {
        sim.answer_http_query(method, EmPath::Service, Some(&form), b"", None)
    };
    if reply.status != 200 {
        return Err(format!("answered HTTP {}", reply.status));
    }
    let action = build(case, &[])?;
    let seen = match decode_response(&reply.body, &BINDING) {
        Err(e) => Err(Seen::Undecodable(e.to_string())),
        Ok(Response::Failure(f)) => Err(Seen::Failure(
            f.code_number(),
            f.message().map(str::to_owned),
        )),
        Ok(r) if r.kind().element() != action.output_element() => Err(Seen::WrongKind(format!(
            "<{}>: {}",
            r.kind().element(),
            String::from_utf8_lossy(&reply.body)
        ))),
        Ok(r) => Ok(r),
    };
    expect(case, seen, true)
}
