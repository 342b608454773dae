//! The request writer.

use super::grammar;
use super::payload_text::{
    Containers, push_element, push_number, push_property, push_property_value,
};
use crate::value::WireValue;
use crate::xml_text::escape_attribute;

/// Writes one `<Request>` document into a single growing `String`.
///
/// Calls must come in document order: [`invoke_id`](Self::invoke_id),
/// [`session_id`](Self::session_id), [`offset`](Self::offset), [`limit`](Self::limit), then
/// the payload. [`property`](Self::property) and [`begin_container`](Self::begin_container)
/// open the payload if it is not open yet; [`finish`](Self::finish) closes whatever is open.
/// The output has no whitespace between elements.
///
/// ```
/// use akixi_client::akixi_ws::RequestWriter;
///
/// let mut w = RequestWriter::new("UserDelete");
/// w.invoke_id("00026").session_id("EFA4902A7F61D03E42BF3222B0A246BF");
/// w.property("Username", "WebServicesAdmin@akixiprovider.com");
/// assert_eq!(
///     w.finish(),
///     "<Request Operation=\"UserDelete\"><InvokeID>00026</InvokeID>\
///      <SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>\
///      <OperationPayload><Property Name=\"Username\">WebServicesAdmin@akixiprovider.com\
///      </Property></OperationPayload></Request>"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct RequestWriter {
    out: String,
    payload_open: bool,
    containers: Containers,
}

impl RequestWriter {
    /// Starts a request for `operation` with a default capacity.
    pub fn new(operation: &str) -> Self {
        Self::with_capacity(operation, 512)
    }

    /// Starts a request for `operation`, reserving `capacity` bytes up front.
    pub fn with_capacity(operation: &str, capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str(grammar::REQUEST_OPEN);
        escape_attribute(&mut out, operation);
        out.push_str("\">");
        Self {
            out,
            payload_open: false,
            containers: Containers::default(),
        }
    }

    /// Writes `<InvokeID>`.
    pub fn invoke_id(&mut self, invoke_id: &str) -> &mut Self {
        self.header_element(grammar::INVOKE_ID, invoke_id)
    }

    /// Writes `<SessionID>`.
    pub fn session_id(&mut self, session_id: &str) -> &mut Self {
        self.header_element(grammar::SESSION_ID, session_id)
    }

    /// Writes `<Offset>`: how many list entries to skip.
    pub fn offset(&mut self, offset: u64) -> &mut Self {
        self.header_number(grammar::OFFSET, offset)
    }

    /// Writes `<Limit>`: how many list entries to return.
    pub fn limit(&mut self, limit: u64) -> &mut Self {
        self.header_number(grammar::LIMIT, limit)
    }

    /// Opens `<OperationPayload>` (once; later calls do nothing).
    pub fn begin_payload(&mut self) -> &mut Self {
        if !self.payload_open {
            self.out.push_str(grammar::PAYLOAD_OPEN);
            self.payload_open = true;
        }
        self
    }

    /// Closes any open containers and `</OperationPayload>`, if the payload is open.
    pub fn end_payload(&mut self) -> &mut Self {
        self.containers.close_all(&mut self.out);
        if self.payload_open {
            self.out.push_str(grammar::PAYLOAD_CLOSE);
            self.payload_open = false;
        }
        self
    }

    /// Writes `<Property Name="name">value</Property>`, escaping both.
    pub fn property(&mut self, name: &str, value: &str) -> &mut Self {
        self.begin_payload();
        push_property(&mut self.out, name, value);
        self
    }

    /// Writes a property from a [`WireValue`] without an intermediate string.
    pub fn property_value<T: WireValue>(&mut self, name: &str, value: &T) -> &mut Self {
        self.begin_payload();
        push_property_value(&mut self.out, name, value);
        self
    }

    /// Opens `<Container Name="name">`.
    pub fn begin_container(&mut self, name: &str) -> &mut Self {
        self.begin_payload();
        self.containers.open(&mut self.out, Some(name));
        self
    }

    /// Opens an unnamed `<Container>` (a list entry).
    pub fn begin_unnamed_container(&mut self) -> &mut Self {
        self.begin_payload();
        self.containers.open(&mut self.out, None);
        self
    }

    /// Closes the innermost open container.
    pub fn end_container(&mut self) -> &mut Self {
        self.containers.close(&mut self.out);
        self
    }

    /// The document written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// Closes everything still open and returns the document.
    pub fn finish(mut self) -> String {
        self.end_payload();
        self.out.push_str(grammar::REQUEST_CLOSE);
        self.out
    }

    fn header_element(&mut self, element: &str, text: &str) -> &mut Self {
        debug_assert!(!self.payload_open, "<{element}> written after the payload");
        push_element(&mut self.out, element, text);
        self
    }

    fn header_number(&mut self, element: &str, number: u64) -> &mut Self {
        debug_assert!(!self.payload_open, "<{element}> written after the payload");
        push_number(&mut self.out, element, number);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_closes_what_is_open() {
        let mut w = RequestWriter::with_capacity("Op\"", 16);
        w.invoke_id("1").offset(100).limit(20);
        w.begin_container("Scope").property("A", "<1>");
        w.begin_unnamed_container().property_value("N", &5u32);
        let xml = w.finish();
        assert_eq!(
            xml,
            "<Request Operation=\"Op&quot;\"><InvokeID>1</InvokeID><Offset>100</Offset>\
             <Limit>20</Limit><OperationPayload><Container Name=\"Scope\">\
             <Property Name=\"A\">&lt;1&gt;</Property><Container><Property Name=\"N\">5</Property>\
             </Container></Container></OperationPayload></Request>"
        );
    }

    #[test]
    fn request_without_payload() {
        let mut w = RequestWriter::new("CreateSession");
        w.invoke_id("00001");
        assert_eq!(
            w.finish(),
            "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>"
        );
    }
}
