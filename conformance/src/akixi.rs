//! Running a case of an `akixi-ws` service: through the generated calls by name
//! (`akixi::dynamic::call`) with a caller that writes the typed request as the codec does
//! (compared with the documented request, under its own `InvokeID` and `SessionID`) and reads
//! the documented response as the operation's typed response.
//!
//! Only the codec part runs here: the client over HTTP needs the session operations' answers,
//! whose shapes the documentation does not give, and the simulator's answers depend on its demo
//! data (a case listing those parts fails, saying so).

use std::sync::Mutex;

use akixi_client::akixi::{BINDING, Caller, Validate, dynamic};
use akixi_client::akixi_ws::{ResultKind, decode_response};
use akixi_client::runtime::akixi_ws::{
    DynError, Operation, PasswordsAsIs, decode_operation, encode_request,
};
use akixi_schema::Spec;
use akixi_schema::conformance::{Case, Outcome, Part};

use crate::compare_records;

/// Runs `case` against `part`.
pub(crate) fn run(part: Part, case: &Case, spec: &Spec) -> Result<(), String> {
    match part {
        Part::Codec => codec(case, spec),
        Part::Client | Part::Simulator => Err(format!(
            "the {} part is not run for this protocol yet",
            part.name()
        )),
    }
}

/// What the caller saw.
#[derive(Debug)]
#[allow(dead_code, reason = "read through Debug, in failure messages")]
enum Seen {
    Failure(Option<u32>, Option<String>),
    Undecodable(String),
}

struct Exchange<'a> {
    case: &'a Case,
    aliases: Vec<(String, String)>,
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

impl Caller for Exchange<'_> {
    type Error = Seen;

    fn call<O>(&self, op: O) -> impl std::future::Future<Output = Result<O::Response, Seen>> + Send
    where
        O: Operation + Validate + Send + Sync + 'static,
        O::Response: Send + Sync + 'static,
    {
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
                            if let Err(e) = crate::xml::same(&xml, &block.text, &self.aliases) {
                                self.problem(format!("writing: {e}"));
                            }
                        }
                        Err(e) => self.problem(format!("writing: {e}")),
                    }
                }
                Err(e) => self.problem(format!("reading the documented request: {e}")),
            }
        }
        let answer = match &self.case.response {
            None => Ok(O::Response::default()),
            Some(block) => match decode_response::<O::Response>(block.text.as_bytes(), &BINDING) {
                Err(e) => Err(Seen::Undecodable(e.to_string())),
                Ok(d) if d.result == ResultKind::Success => Ok(d.data.unwrap_or_default()),
                Ok(d) => {
                    let first = d.errors.first();
                    Err(Seen::Failure(
                        first.and_then(|e| e.code),
                        first.and_then(|e| e.message.clone()),
                    ))
                }
            },
        };
        std::future::ready(answer)
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // The caller's futures are ready at once; no runtime is needed.
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn codec(case: &Case, spec: &Spec) -> Result<(), String> {
    let action = case.action.as_deref().ok_or("no action")?;
    let aliases: Vec<(String, String)> = spec
        .service(&case.service)
        .into_iter()
        .flat_map(|s| s.families.iter())
        .flat_map(|f| f.properties.iter())
        .flat_map(|p| p.aliases.iter().map(|a| (a.clone(), p.name.clone())))
        .collect();
    let exchange = Exchange {
        case,
        aliases,
        problems: Mutex::new(Vec::new()),
    };
    // `Offset` and `Limit` are the envelope's paging, not properties.
    let paging = |name: &str| {
        case.parameters
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
    };
    let fields: Vec<(String, String)> = case
        .parameters
        .iter()
        .filter(|(k, _)| k != "Offset" && k != "Limit")
        .cloned()
        .collect();
    let result = block_on(dynamic::call_paged(
        &exchange,
        action,
        &fields,
        None,
        paging("Offset"),
        paging("Limit"),
    ));
    let mut problems = exchange
        .problems
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let want = case.outcome.ok_or("the case gives no `> outcome:`")?;
    let verdict = match (want, result) {
        (Outcome::Success, Ok(_)) => Ok(()),
        (Outcome::Results, Ok(records)) => compare_records(&case.results, &records),
        (Outcome::Failure, Err(DynError::Call(Seen::Failure(code, message)))) => {
            if case.code.is_some() && case.code != code {
                Err(format!("code {code:?}, expected {:?}", case.code))
            } else if case.message.is_some() && case.message != message {
                Err(format!("message {message:?}, expected {:?}", case.message))
            } else {
                Ok(())
            }
        }
        (Outcome::Undecodable, Err(DynError::Call(Seen::Undecodable(_)))) => Ok(()),
        (want, Ok(records)) => Err(format!("expected {}, read {records:?}", want.name())),
        (want, Err(DynError::Call(seen))) => Err(format!("expected {}, got {seen:?}", want.name())),
        (_, Err(DynError::Fields(f))) => Err(format!(
            "the parameters do not make the request: {}",
            f.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
        (_, Err(DynError::UnknownOperation(n))) => Err(format!("no operation `{n}`")),
        (_, Err(other)) => Err(format!("cannot call: {other:?}")),
    };
    if let Err(e) = verdict {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
