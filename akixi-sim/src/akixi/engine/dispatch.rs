//! One `<Request>` document in, one `<Response>` document out: the envelope is read, the
//! operation found in the spec's metadata, and its handler chosen by the operation's kind.

use akixi_client::akixi::{self, error_conditions as cond, user};
use akixi_client::akixi_ws::{DecodeError, decode_request};
use akixi_client::runtime::akixi_ws::{OpKind, Operation};

use super::respond::{Ctx, Failure, failure, salvage};
use super::state::Engine;

impl Engine {
    /// Answers one request body. Never panics on input: whatever arrives gets a `Response`.
    pub(crate) fn handle(&self, body: &[u8]) -> String {
        let envelope = match decode_request::<()>(body) {
            Ok(envelope) => envelope,
            Err(error) => return self.unreadable(body, &error),
        };
        let invoke_id = match envelope.invoke_id.as_deref() {
            Some(id) if !id.is_empty() => id,
            _ => {
                return failure(
                    None,
                    &Failure::new(cond::MISSING_INVOKE_ID, "the request has no InvokeID"),
                );
            }
        };
        let ctx = Ctx {
            operation: &envelope.operation,
            invoke_id,
            session_id: envelope.session_id.as_deref().filter(|s| !s.is_empty()),
            offset: envelope.offset,
            limit: envelope.limit,
        };
        let op = ctx.operation;
        // The handler is chosen by the operation's kind, from the spec's metadata; the `User`
        // family's handlers are the ones written for its generated types.
        let info = akixi::OPERATIONS.iter().find(|o| o.name == op);
        let outcome = match info.map(|o| (o.kind, o.family)) {
            Some((OpKind::CreateSession, _)) => self.create_session(&ctx),
            Some((OpKind::Authenticate, _)) => self.authenticate(&ctx, body),
            Some((OpKind::CloseSession, _)) => self.logout(&ctx),
            Some((kind, family)) if family == user::UserAddRequest::FAMILY => match kind {
                OpKind::Add => self.user_add(&ctx, body),
                OpKind::Change => self.user_change(&ctx, body),
                OpKind::Delete => self.user_delete(&ctx, body),
                OpKind::Info => self.user_info(&ctx, body),
                OpKind::List => self.user_list(&ctx, body),
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
                tracing::debug!(operation = op, invoke_id, code = f.code.code(), message = %f.message, "refused");
                failure(Some(invoke_id), &f)
            }
        }
    }

    /// A body the codec cannot read: say why, echoing its InvokeID if one can be found.
    fn unreadable(&self, body: &[u8], error: &DecodeError) -> String {
        let salvaged = salvage(body);
        let failure_ = match (&salvaged.invoke_id, salvaged.request_without_operation) {
            (None, true) => Failure::new(cond::MISSING_INVOKE_ID, "the request has no InvokeID"),
            (Some(_), true) => Failure::new(
                cond::UNKNOWN_OPERATION,
                "the request names no operation (no Operation attribute)",
            ),
            _ => Failure::new(
                cond::MALFORMED_REQUEST,
                format!("unreadable request: {} (at {})", error.kind(), error.path()),
            ),
        };
        tracing::debug!(code = failure_.code.code(), "unreadable request");
        failure(salvaged.invoke_id.as_deref(), &failure_)
    }
}

fn unsupported(op: &str) -> Failure {
    Failure::new(
        cond::UNKNOWN_OPERATION,
        format!("the operation `{op}` is not supported"),
    )
}
