//! The request writer and XML escaping.

use std::fmt::{self, Write as _};

use super::value::WireValue;

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
    /// Every open container closes with the same tag, so a count is enough.
    open_containers: u32,
}

impl RequestWriter {
    /// Starts a request for `operation` with a default capacity.
    pub fn new(operation: &str) -> Self {
        Self::with_capacity(operation, 512)
    }

    /// Starts a request for `operation`, reserving `capacity` bytes up front.
    pub fn with_capacity(operation: &str, capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str("<Request Operation=\"");
        escape_attribute(&mut out, operation);
        out.push_str("\">");
        Self {
            out,
            payload_open: false,
            open_containers: 0,
        }
    }

    /// Writes `<InvokeID>`.
    pub fn invoke_id(&mut self, invoke_id: &str) -> &mut Self {
        self.header_element("InvokeID", invoke_id)
    }

    /// Writes `<SessionID>`.
    pub fn session_id(&mut self, session_id: &str) -> &mut Self {
        self.header_element("SessionID", session_id)
    }

    /// Writes `<Offset>`: how many list entries to skip.
    pub fn offset(&mut self, offset: u64) -> &mut Self {
        self.header_number("Offset", offset)
    }

    /// Writes `<Limit>`: how many list entries to return.
    pub fn limit(&mut self, limit: u64) -> &mut Self {
        self.header_number("Limit", limit)
    }

    /// Opens `<OperationPayload>` (once; later calls do nothing).
    pub fn begin_payload(&mut self) -> &mut Self {
        if !self.payload_open {
            self.out.push_str("<OperationPayload>");
            self.payload_open = true;
        }
        self
    }

    /// Closes any open containers and `</OperationPayload>`, if the payload is open.
    pub fn end_payload(&mut self) -> &mut Self {
        self.close_containers();
        if self.payload_open {
            self.out.push_str("</OperationPayload>");
            self.payload_open = false;
        }
        self
    }

    /// Writes `<Property Name="name">value</Property>`, escaping both.
    pub fn property(&mut self, name: &str, value: &str) -> &mut Self {
        self.begin_property(name);
        escape_text(&mut self.out, value);
        self.out.push_str("</Property>");
        self
    }

    /// Writes a property from a [`WireValue`] without an intermediate string.
    pub fn property_value<T: WireValue>(&mut self, name: &str, value: &T) -> &mut Self {
        self.begin_property(name);
        // Writing to a String through the escaping adapter cannot fail.
        let _ = value.write_wire(&mut EscapedText(&mut self.out));
        self.out.push_str("</Property>");
        self
    }

    /// Opens `<Container Name="name">`.
    pub fn begin_container(&mut self, name: &str) -> &mut Self {
        self.begin_payload();
        self.out.push_str("<Container Name=\"");
        escape_attribute(&mut self.out, name);
        self.out.push_str("\">");
        self.open_containers += 1;
        self
    }

    /// Opens an unnamed `<Container>` (a list entry).
    pub fn begin_unnamed_container(&mut self) -> &mut Self {
        self.begin_payload();
        self.out.push_str("<Container>");
        self.open_containers += 1;
        self
    }

    /// Closes the innermost open container.
    pub fn end_container(&mut self) -> &mut Self {
        debug_assert!(
            self.open_containers > 0,
            "end_container without a container"
        );
        if self.open_containers > 0 {
            self.out.push_str("</Container>");
            self.open_containers -= 1;
        }
        self
    }

    /// The document written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// Closes everything still open and returns the document.
    pub fn finish(mut self) -> String {
        self.end_payload();
        self.out.push_str("</Request>");
        self.out
    }

    fn begin_property(&mut self, name: &str) {
        self.begin_payload();
        self.out.push_str("<Property Name=\"");
        escape_attribute(&mut self.out, name);
        self.out.push_str("\">");
    }

    fn header_element(&mut self, element: &str, text: &str) -> &mut Self {
        debug_assert!(!self.payload_open, "<{element}> written after the payload");
        self.out.push('<');
        self.out.push_str(element);
        self.out.push('>');
        escape_text(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(element);
        self.out.push('>');
        self
    }

    fn header_number(&mut self, element: &str, number: u64) -> &mut Self {
        debug_assert!(!self.payload_open, "<{element}> written after the payload");
        // Writing to a String cannot fail.
        let _ = write!(self.out, "<{element}>{number}</{element}>");
        self
    }

    fn close_containers(&mut self) {
        for _ in 0..self.open_containers {
            self.out.push_str("</Container>");
        }
        self.open_containers = 0;
    }
}

/// A `fmt::Write` sink that escapes what is written to it as element text.
struct EscapedText<'s>(&'s mut String);

impl fmt::Write for EscapedText<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_text(self.0, s);
        Ok(())
    }
}

/// How a byte is treated by the escaper.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    /// Copied as part of a run.
    Plain,
    /// Replaced by an entity or character reference.
    Escape,
    /// `0xEF`: the lead byte of U+FFFE / U+FFFF, which XML 1.0 does not allow either.
    MaybeNoncharacter,
}

const fn byte_classes(attribute: bool) -> [ByteClass; 256] {
    let mut table = [ByteClass::Plain; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = ByteClass::Escape;
        b += 1;
    }
    // Tab and LF are legal in text; in attribute values they would be normalised to spaces.
    if !attribute {
        table[b'\t' as usize] = ByteClass::Plain;
        table[b'\n' as usize] = ByteClass::Plain;
    }
    table[b'&' as usize] = ByteClass::Escape;
    table[b'<' as usize] = ByteClass::Escape;
    table[b'>' as usize] = ByteClass::Escape;
    if attribute {
        table[b'"' as usize] = ByteClass::Escape;
    }
    table[0xEF] = ByteClass::MaybeNoncharacter;
    table
}

static TEXT_CLASSES: [ByteClass; 256] = byte_classes(false);
static ATTRIBUTE_CLASSES: [ByteClass; 256] = byte_classes(true);

/// Appends `text` escaped for element content.
pub(crate) fn escape_text(out: &mut String, text: &str) {
    escape_with(out, text, &TEXT_CLASSES);
}

/// Appends `text` escaped for a double-quoted attribute value.
pub(crate) fn escape_attribute(out: &mut String, text: &str) {
    escape_with(out, text, &ATTRIBUTE_CLASSES);
}

/// Copies unescaped runs in bulk and replaces the bytes the table marks.
///
/// `&`, `<`, `>` (and `"` in attributes) become entities; `\r` becomes `&#13;` so that line-end
/// normalisation does not turn it into `\n`; other C0 controls and U+FFFE/U+FFFF, which XML 1.0
/// forbids, become character references that this crate's reader accepts back.
fn escape_with(out: &mut String, text: &str, classes: &[ByteClass; 256]) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escaped_len = match classes[b as usize] {
            ByteClass::Plain => 0,
            ByteClass::Escape => 1,
            ByteClass::MaybeNoncharacter => match bytes.get(i + 1..i + 3) {
                Some([0xBF, 0xBE | 0xBF]) => 3,
                _ => 0,
            },
        };
        if escaped_len == 0 {
            i += 1;
            continue;
        }
        // `i` is at an ASCII byte or a lead byte, so the run ends on a char boundary.
        out.push_str(&text[run_start..i]);
        if escaped_len == 1 {
            push_reference(out, b);
        } else if bytes.get(i + 2) == Some(&0xBE) {
            out.push_str("&#xFFFE;");
        } else {
            out.push_str("&#xFFFF;");
        }
        i += escaped_len;
        run_start = i;
    }
    out.push_str(&text[run_start..]);
}

fn push_reference(out: &mut String, b: u8) {
    match b {
        b'&' => out.push_str("&amp;"),
        b'<' => out.push_str("&lt;"),
        b'>' => out.push_str("&gt;"),
        b'"' => out.push_str("&quot;"),
        b'\r' => out.push_str("&#13;"),
        b'\t' => out.push_str("&#9;"),
        b'\n' => out.push_str("&#10;"),
        _ => {
            // Writing to a String cannot fail.
            let _ = write!(out, "&#x{b:X};");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        let mut out = String::new();
        escape_text(&mut out, s);
        out
    }

    fn attribute(s: &str) -> String {
        let mut out = String::new();
        escape_attribute(&mut out, s);
        out
    }

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(text("plain é ✓"), "plain é ✓");
        assert_eq!(text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(text("]]>"), "]]&gt;");
        assert_eq!(text("l1\r\nl2\tx"), "l1&#13;\nl2\tx");
        assert_eq!(text("\0\u{1}\u{1f}"), "&#x0;&#x1;&#x1F;");
        assert_eq!(text("\u{fffe}\u{ffff}\u{fffd}"), "&#xFFFE;&#xFFFF;\u{fffd}");
        assert_eq!(text("\u{f000}x"), "\u{f000}x");
    }

    #[test]
    fn attributes_also_escape_quotes_tabs_and_newlines() {
        assert_eq!(
            attribute("a\"b\tc\nd\re&"),
            "a&quot;b&#9;c&#10;d&#13;e&amp;"
        );
    }

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
