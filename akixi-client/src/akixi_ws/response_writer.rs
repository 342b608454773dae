//! The response writer: what a server (the simulator) answers with.

use super::binding::Binding;
use super::grammar::{self, ResultKind};
use super::payload::PayloadSink;
use super::payload_text::{
    Containers, push_element, push_number, push_property, push_property_value,
};
use crate::value::WireValue;

/// Writes one `<Response>` document into a single growing `String`, in the shapes
/// [`decode_response`](super::decode_response) reads.
///
/// The success element (named by the [`Binding`]) opens on the first property or container,
/// or explicitly with [`begin_success`](Self::begin_success) (a list with no entries still
/// answers `<Success></Success>`); a response without data has none, as the documented
/// `UserAdd` response shows. Errors go in the failure element as
/// `<ErrorCode>`/`<ErrorMessage>` pairs (names from the binding). Call order: `invoke_id`,
/// then the payload, then the errors; [`finish`](Self::finish) closes whatever is open.
///
/// ```
/// use akixi_client::akixi_ws::{Binding, ResponseWriter, ResultKind};
///
/// let mut w = ResponseWriter::new(ResultKind::Fail, &akixi_client::akixi::BINDING);
/// w.invoke_id("00024").error(10302, Some("no such session"));
/// assert_eq!(
///     w.finish(),
///     "<Response Result=\"Fail\"><InvokeID>00024</InvokeID><Fail><ErrorCode>10302</ErrorCode>\
///      <ErrorMessage>no such session</ErrorMessage></Fail></Response>"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct ResponseWriter {
    out: String,
    binding: Binding,
    section: Section,
    containers: Containers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Envelope,
    Success,
    Fail,
}

impl ResponseWriter {
    /// Starts a response with `Result="…"` and element names from `binding`.
    pub fn new(result: ResultKind, binding: &Binding) -> Self {
        Self::with_capacity(result, binding, 256)
    }

    /// Starts a response, reserving `capacity` bytes up front.
    pub fn with_capacity(result: ResultKind, binding: &Binding, capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str(grammar::RESPONSE_OPEN);
        out.push_str(result.as_str());
        out.push_str("\">");
        Self {
            out,
            binding: *binding,
            section: Section::Envelope,
            containers: Containers::default(),
        }
    }

    /// Writes `<InvokeID>` (echoing the request's).
    pub fn invoke_id(&mut self, invoke_id: &str) -> &mut Self {
        debug_assert!(self.section == Section::Envelope, "InvokeID after the body");
        push_element(&mut self.out, grammar::INVOKE_ID, invoke_id);
        self
    }

    /// Opens the success element (once; later calls do nothing).
    pub fn begin_success(&mut self) -> &mut Self {
        if self.section == Section::Envelope {
            self.out.push('<');
            self.out.push_str(self.binding.success);
            self.out.push('>');
            self.section = Section::Success;
        }
        self
    }

    /// Writes `<Property Name="name">value</Property>` into the success element.
    pub fn property(&mut self, name: &str, value: &str) -> &mut Self {
        if self.in_success() {
            push_property(&mut self.out, name, value);
        }
        self
    }

    /// Writes a property from a [`WireValue`].
    pub fn property_value<T: WireValue>(&mut self, name: &str, value: &T) -> &mut Self {
        if self.in_success() {
            push_property_value(&mut self.out, name, value);
        }
        self
    }

    /// Opens `<Container Name="name">`, or an unnamed `<Container>` (a list entry) for `None`.
    pub fn begin_container(&mut self, name: Option<&str>) -> &mut Self {
        if self.in_success() {
            self.containers.open(&mut self.out, name);
        }
        self
    }

    /// Closes the innermost open container.
    pub fn end_container(&mut self) -> &mut Self {
        self.containers.close(&mut self.out);
        self
    }

    /// Adds an error to the failure element (closing the success element if it is open).
    pub fn error(&mut self, code: u32, message: Option<&str>) -> &mut Self {
        if self.section != Section::Fail {
            self.close_success();
            self.out.push('<');
            self.out.push_str(self.binding.fail);
            self.out.push('>');
            self.section = Section::Fail;
        }
        push_number(&mut self.out, self.binding.error_code, u64::from(code));
        if let Some(message) = message {
            push_element(&mut self.out, self.binding.error_message, message);
        }
        self
    }

    /// The document written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// Closes everything still open and returns the document.
    pub fn finish(mut self) -> String {
        match self.section {
            Section::Envelope => {}
            Section::Success => self.close_success(),
            Section::Fail => {
                self.out.push_str("</");
                self.out.push_str(self.binding.fail);
                self.out.push('>');
            }
        }
        self.out.push_str(grammar::RESPONSE_CLOSE);
        self.out
    }

    /// Opens the success element if needed; `false` once the failure element has begun
    /// (data after errors would be out of document order, so it is dropped).
    fn in_success(&mut self) -> bool {
        debug_assert!(self.section != Section::Fail, "payload after the errors");
        self.begin_success();
        self.section == Section::Success
    }

    fn close_success(&mut self) {
        if self.section == Section::Success {
            self.containers.close_all(&mut self.out);
            self.out.push_str("</");
            self.out.push_str(self.binding.success);
            self.out.push('>');
            self.section = Section::Envelope;
        }
    }
}

impl PayloadSink for ResponseWriter {
    fn property(&mut self, name: &str, value: &str) {
        ResponseWriter::property(self, name, value);
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        ResponseWriter::property_value(self, name, value);
    }
    fn begin_container(&mut self, name: Option<&str>) {
        ResponseWriter::begin_container(self, name);
    }
    fn end_container(&mut self) {
        ResponseWriter::end_container(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi_ws::{Extra, List, decode_response};

    const B: Binding = <crate::akixi_ws::test_service::TestService as crate::akixi_ws::client::AkixiWsService>::BINDING;

    #[test]
    fn success_without_data_is_the_documented_shape() {
        let mut w = ResponseWriter::new(ResultKind::Success, &B);
        w.invoke_id("00024");
        assert_eq!(
            w.finish(),
            "<Response Result=\"Success\"><InvokeID>00024</InvokeID></Response>"
        );
    }

    #[test]
    fn payload_and_errors_read_back() {
        let mut w = ResponseWriter::new(ResultKind::PartialFail, &B);
        w.invoke_id("7");
        w.property("A", "<&>");
        w.begin_container(Some("Scope")).property_value("N", &5u32);
        w.error(11230, Some("part \"x\""));
        w.error(11231, None);
        let xml = w.finish();
        let decoded = decode_response::<Extra>(xml.as_bytes(), &B).expect("decodes");
        assert_eq!(decoded.result, ResultKind::PartialFail);
        assert_eq!(decoded.invoke_id.as_deref(), Some("7"));
        let data = decoded.data.expect("data");
        assert_eq!(data.property("A"), Some("<&>"));
        let codes: Vec<_> = decoded.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, [Some(11230), Some(11231)]);
        assert_eq!(decoded.errors[0].message.as_deref(), Some("part \"x\""));
    }

    #[test]
    fn an_empty_list_still_has_a_success_element() {
        let mut w = ResponseWriter::new(ResultKind::Success, &B);
        w.invoke_id("1").begin_success();
        let xml = w.finish();
        assert_eq!(
            xml,
            "<Response Result=\"Success\"><InvokeID>1</InvokeID><Success></Success></Response>"
        );
        let decoded = decode_response::<List<Extra>>(xml.as_bytes(), &B).expect("decodes");
        assert_eq!(decoded.data.map(|l| l.entries.len()), Some(0));
    }
}
