//! One `<Request>` document in, one `<Response>` document out: the envelope and payload are
//! read, the operation found in the catalog, and its handler chosen by the operation's kind.
//! No operation or family is named here.

use akixi_client::akixi_ws::{DecodeError, Extra, ResponseWriter, ResultKind, decode_request};
use akixi_client::runtime::akixi_ws::{Condition, OpKind};

use super::respond::{Ctx, Failure, failure, salvage};
use super::state::Engine;

impl Engine {
    /// Answers one request body from `peer`. Never panics on input: whatever arrives gets a
    /// `Response`.
    pub(crate) fn handle(&self, body: &[u8], peer: Option<std::net::IpAddr>) -> String {
        let request = match decode_request::<Extra>(body) {
            Ok(request) => request,
            Err(error) => return self.unreadable(body, &error),
        };
        let invoke_id = match request.invoke_id.as_deref() {
            Some(id) if !id.is_empty() => id,
            _ => {
                return failure(
                    &self.catalog,
                    None,
                    &Failure::new(Condition::MissingInvokeId, "the request has no InvokeID"),
                );
            }
        };
        let ctx = Ctx {
            operation: &request.operation,
            invoke_id,
            session_id: request.session_id.as_deref().filter(|s| !s.is_empty()),
            offset: request.offset,
            limit: request.limit,
            payload: request.payload.as_ref(),
            peer,
        };
        let op = ctx.operation;
        let outcome = match self.catalog.operation(op) {
            Some((_, info)) if info.kind == OpKind::CreateSession => self.create_session(&ctx),
            Some((_, info)) if info.kind == OpKind::Authenticate => self.authenticate(&ctx),
            Some((_, info)) if info.kind == OpKind::CloseSession => self.logout(&ctx),
            Some((Some(fam), info)) => match info.kind {
                OpKind::Add => self.add(&ctx, fam, info),
                OpKind::Change => self.change(&ctx, fam, info),
                OpKind::Delete => self.delete(&ctx, fam, info),
                OpKind::Info => self.info(&ctx, fam, info),
                OpKind::List => self.list(&ctx, fam, info),
                OpKind::BulkAdd => self.bulk_add(&ctx, fam, info),
                _ => Err(unsupported(op)),
            },
            _ => Err(unsupported(op)),
        };
        match outcome {
            Ok(xml) => {
                tracing::debug!(operation = op, invoke_id, "success");
                xml
            }
            Err(f) => {
                let code = self.catalog.code(f.condition, f.family);
                tracing::debug!(operation = op, invoke_id, code, message = %f.message, "refused");
                failure(&self.catalog, Some(invoke_id), &f)
            }
        }
    }

    /// A `Fail` answer with `code` to `body` (an injected fault), echoing its InvokeID.
    pub(crate) fn injected_failure(&self, body: &[u8], code: u32) -> String {
        let salvaged = salvage(body);
        let mut w = ResponseWriter::new(ResultKind::Fail, self.catalog.svc.binding);
        if let Some(id) = &salvaged.invoke_id {
            w.invoke_id(id);
        }
        w.error(code, Some("injected fault"));
        w.finish()
    }

    /// A body the codec cannot read: say why, echoing its InvokeID if one can be found.
    fn unreadable(&self, body: &[u8], error: &DecodeError) -> String {
        let salvaged = salvage(body);
        let refusal = match (&salvaged.invoke_id, salvaged.request_without_operation) {
            (None, true) => Failure::new(Condition::MissingInvokeId, "the request has no InvokeID"),
            (Some(_), true) => Failure::new(
                Condition::UnknownOperation,
                "the request names no operation (no Operation attribute)",
            ),
            _ => Failure::new(
                Condition::MalformedRequest,
                format!("unreadable request: {} (at {})", error.kind(), error.path()),
            ),
        };
        tracing::debug!(
            code = self.catalog.code(refusal.condition, None),
            "unreadable request"
        );
        failure(&self.catalog, salvaged.invoke_id.as_deref(), &refusal)
    }
}

fn unsupported(op: &str) -> Failure {
    Failure::new(
        Condition::UnknownOperation,
        format!("the operation `{op}` is not supported"),
    )
}
