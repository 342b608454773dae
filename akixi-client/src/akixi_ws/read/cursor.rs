//! The event stream under every reader: quick-xml over the whole input (borrowed), with byte
//! offsets for errors, attribute values normalised, text read whole, and the envelope's small
//! steps (open the root, the next child, its text, the document's end).

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};

use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::grammar;
use crate::xml_text::{bom_len, is_xml_blank, trim_xml};

/// A problem at a byte offset; the context that catches it adds the path.
pub(super) struct Fault {
    pub(super) kind: DecodeErrorKind,
    pub(super) offset: u64,
}

pub(super) type Step<T> = Result<T, Fault>;

/// The quick-xml reader over the whole input, which it borrows from.
pub(super) struct Cursor<'a> {
    pub(super) input: &'a str,
    pub(super) xml: Reader<&'a [u8]>,
    /// Where the last event returned by `next_event` starts.
    pub(super) event_start: u64,
    /// Bytes consumed behind quick-xml's back, which its positions leave out: a byte order
    /// mark, and what [`plain_property`](Self::plain_property) read.
    skipped: u64,
    /// Whether the last event was markup (quick-xml then stands before text), the only place
    /// `plain_property` may take over from.
    after_markup: bool,
}

#[cfg(test)]
thread_local! {
    /// Off to read every byte with quick-xml, for tests that compare the two readings.
    pub(super) static PLAIN_READS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// How many properties `plain_property` has read on this thread.
    pub(super) static PLAIN_HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether `plain_property` may read at all (off only to test it against quick-xml).
#[inline(always)]
fn plain_reads_allowed() -> bool {
    #[cfg(test)]
    return PLAIN_READS.with(std::cell::Cell::get);
    #[cfg(not(test))]
    true
}

/// A property read by [`Cursor::plain_property`].
pub(super) struct PlainProperty<'a> {
    pub(super) name: &'a str,
    pub(super) value: &'a str,
    /// Where the value starts.
    pub(super) value_offset: u64,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(input: &'a [u8]) -> Result<Self, DecodeError> {
        // Validating once up front lets every slice borrow from the input as `&str`.
        let text = std::str::from_utf8(input).map_err(|error| {
            DecodeError::new(
                DecodeErrorKind::Syntax {
                    detail: format!("the input is not valid UTF-8 ({error})"),
                },
                "/".to_owned(),
                input,
                error.valid_up_to() as u64,
            )
        })?;
        let mut xml = Reader::from_str(text);
        let config = xml.config_mut();
        config.check_end_names = true;
        // `plain_property` relies on this: with empty elements expanded, quick-xml could owe an
        // end event after a start, and skipping input there would lose it.
        config.expand_empty_elements = false;
        config.trim_text(false);
        Ok(Self {
            input: text,
            xml,
            event_start: 0,
            skipped: bom_len(text) as u64,
            after_markup: false,
        })
    }

    /// The byte offset in the input where the next event starts.
    #[inline]
    pub(super) fn position(&self) -> u64 {
        self.xml.buffer_position() + self.skipped
    }

    /// The next event that matters: comments, processing instructions and XML declarations
    /// are skipped; a DOCTYPE is skipped unless it declares entities.
    // Inlined so callers match the event once: about 5% fewer instructions on lists.
    #[inline(always)]
    pub(super) fn next_event(&mut self) -> Step<Event<'a>> {
        loop {
            self.event_start = self.position();
            self.after_markup = false;
            match self.xml.read_event() {
                Ok(Event::Comment(_) | Event::PI(_) | Event::Decl(_)) => {}
                Ok(Event::DocType(doctype)) => {
                    if doctype.contains("<!ENTITY") {
                        return Err(self.fault(DecodeErrorKind::EntityDeclaration));
                    }
                }
                Ok(event) => {
                    // After a tag quick-xml looks for text next; after text or a reference it
                    // has already begun on what follows.
                    self.after_markup = matches!(
                        event,
                        Event::Start(_) | Event::Empty(_) | Event::End(_) | Event::CData(_)
                    );
                    return Ok(event);
                }
                Err(error) => {
                    return Err(Fault {
                        kind: DecodeErrorKind::Syntax {
                            detail: error.to_string(),
                        },
                        offset: self.xml.error_position() + self.skipped,
                    });
                }
            }
        }
    }

    /// The next property when it is written plainly: blanks, then
    /// `<Property Name="name">text</Property>` or `<Property Name="name"/>`, with no `&`, `<`
    /// or carriage return in the text and nothing to normalise in the name. That is
    /// nearly every property a service sends, and quick-xml would read it in four events to
    /// this same name and value; here it takes a few `memchr`s. Anything else returns `None`
    /// having consumed nothing, and quick-xml reads it (with its errors) as before.
    ///
    /// The element is balanced, so quick-xml's stack of open tags is what it would be after
    /// reading it; its slice of the input is moved past it, and `skipped` keeps the offsets.
    #[inline]
    pub(super) fn plain_property(&mut self) -> Option<PlainProperty<'a>> {
        if !(self.after_markup && plain_reads_allowed()) {
            return None;
        }
        let input = self.input;
        let at = usize::try_from(self.position()).ok()?;
        let rest = input.as_bytes().get(at..)?;
        // quick-xml's slice must be exactly the rest of the input.
        if self.xml.get_ref().len() != rest.len() {
            return None;
        }
        let tag = rest.iter().position(|&b| !is_xml_blank(b))?;
        let open = grammar::PROPERTY_OPEN.as_bytes();
        if !rest.get(tag..)?.starts_with(open) {
            return None;
        }
        let name_start = tag + open.len();
        let name_end = name_start + memchr::memchr(b'"', rest.get(name_start..)?)?;
        if attribute_needs_normalising(rest.get(name_start..name_end)?) {
            return None;
        }
        let (value_start, value_end, end) = match rest.get(name_end + 1..)? {
            [b'>', ..] => {
                let value_start = name_end + 2;
                let value_end = value_start + memchr::memchr(b'<', rest.get(value_start..)?)?;
                let value = rest.get(value_start..value_end)?;
                let close = grammar::PROPERTY_CLOSE.as_bytes();
                if memchr::memchr2(b'&', b'\r', value).is_some()
                    || !rest.get(value_end..)?.starts_with(close)
                {
                    return None;
                }
                (value_start, value_end, value_end + close.len())
            }
            [b'/', b'>', ..] => (name_end + 3, name_end + 3, name_end + 3),
            _ => return None,
        };
        let name = input.get(at + name_start..at + name_end)?;
        let value = input.get(at + value_start..at + value_end)?;
        *self.xml.get_mut() = rest.get(end..)?;
        self.skipped += end as u64;
        // Where quick-xml's last event (the end tag, or the empty tag) would have started.
        let last_tag = if value_start == end { tag } else { value_end };
        self.event_start = (at + last_tag) as u64;
        #[cfg(test)]
        PLAIN_HITS.with(|hits| hits.set(hits.get() + 1));
        Some(PlainProperty {
            name,
            value,
            value_offset: (at + value_start) as u64,
        })
    }

    /// The tag as a slice of the input, so that attribute values borrow from the input
    /// rather than from the event.
    #[inline]
    pub(super) fn tag(&self, start: &BytesStart<'_>) -> Tag<'a> {
        let content: &str = start;
        let name_len = start.name().as_ref().len();
        let content = match self.rebase(content) {
            Some(borrowed) => Cow::Borrowed(borrowed),
            None => Cow::Owned(content.to_owned()),
        };
        Tag { content, name_len }
    }

    /// `slice` as a subslice of the input with the input's lifetime, if it is one.
    #[inline]
    pub(super) fn rebase(&self, slice: &str) -> Option<&'a str> {
        let start = (slice.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        let end = start.checked_add(slice.len())?;
        let rebased = self.input.get(start..end)?;
        (rebased.as_ptr() == slice.as_ptr()).then_some(rebased)
    }

    pub(super) fn fault(&self, kind: DecodeErrorKind) -> Fault {
        Fault {
            kind,
            offset: self.event_start,
        }
    }

    pub(super) fn error(&self, fault: Fault, path: String) -> DecodeError {
        DecodeError::new(fault.kind, path, self.input.as_bytes(), fault.offset)
    }

    pub(super) fn error_here(&self, kind: DecodeErrorKind, path: String) -> DecodeError {
        self.error(self.fault(kind), path)
    }
}

/// A start tag's content (name and attributes).
pub(super) struct Tag<'a> {
    pub(super) content: Cow<'a, str>,
    pub(super) name_len: usize,
}

impl<'a> Tag<'a> {
    #[inline]
    pub(super) fn name(&self) -> &str {
        self.content.get(..self.name_len).unwrap_or_default()
    }

    /// The unescaped value of attribute `key`; other attributes are ignored.
    #[inline]
    pub(super) fn attribute(&self, key: &str, offset: u64) -> Step<Option<Cow<'a, str>>> {
        let syntax = |detail: String| Fault {
            kind: DecodeErrorKind::Syntax { detail },
            offset,
        };
        let raw = match &self.content {
            Cow::Borrowed(content) => find_attribute(content, self.name_len, key),
            Cow::Owned(content) => find_attribute(content, self.name_len, key)
                .map(|value| value.map(|v| Cow::Owned(v.into_owned()))),
        }
        .map_err(|error| syntax(error.to_string()))?;
        match raw {
            None => Ok(None),
            Some(raw) => unescape_attribute(raw)
                .map(Some)
                .map_err(|kind| Fault { kind, offset }),
        }
    }
}

#[inline]
pub(super) fn find_attribute<'c>(
    content: &'c str,
    name_len: usize,
    key: &str,
) -> Result<Option<Cow<'c, str>>, quick_xml::events::attributes::AttrError> {
    // Nearly every tag here is `<Property Name="…">`: when `key` is the first attribute and
    // plainly written, take it without the general parser (which gives the same value, and
    // is still what reads anything else, errors included).
    if let Some(value) = first_attribute(content, name_len, key) {
        return Ok(Some(Cow::Borrowed(value)));
    }
    let mut attributes = Attributes::new(content, name_len);
    // Duplicate checks allocate per tag; the first `key` wins instead.
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute?;
        if attribute.key.as_ref() == key {
            return Ok(Some(attribute.value));
        }
    }
    Ok(None)
}

/// The raw value of the tag's first attribute when it is `key="…"` or `key='…'` (blanks
/// allowed around `=`); `None` for anything else, left to the general parser.
#[inline]
fn first_attribute<'c>(content: &'c str, name_len: usize, key: &str) -> Option<&'c str> {
    let blank = |b: &u8| is_xml_blank(*b);
    let bytes = content.as_bytes();
    let mut i = name_len;
    let start = i;
    while bytes.get(i).is_some_and(blank) {
        i += 1;
    }
    if i == start || !bytes.get(i..)?.starts_with(key.as_bytes()) {
        return None;
    }
    i += key.len();
    while bytes.get(i).is_some_and(blank) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while bytes.get(i).is_some_and(blank) {
        i += 1;
    }
    let quote = *bytes.get(i).filter(|q| matches!(q, b'"' | b'\''))?;
    let from = i + 1;
    let len = memchr::memchr(quote, bytes.get(from..)?)?;
    content.get(from..from + len)
}

/// Whether a raw attribute value has anything [`unescape_attribute`] would change: a
/// reference, or a line end or tab that becomes a space.
#[inline]
fn attribute_needs_normalising(raw: &[u8]) -> bool {
    memchr::memchr3(b'&', b'\n', b'\r', raw).is_some() || memchr::memchr(b'\t', raw).is_some()
}

/// Attribute-value normalisation (XML 1.0 §3.3.3) with the predefined entities and character
/// references; borrows when there is nothing to do.
pub(super) fn unescape_attribute(raw: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeErrorKind> {
    if !attribute_needs_normalising(raw.as_bytes()) {
        return Ok(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest: &str = &raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after_amp) = tail.strip_prefix('&') {
            let Some(end) = after_amp.find(';') else {
                return Err(DecodeErrorKind::Syntax {
                    detail: "an attribute value has `&` without a closing `;`".to_owned(),
                });
            };
            out.push(resolve_reference(&after_amp[..end])?);
            rest = &after_amp[end + 1..];
        } else {
            // `\r\n`, `\r`, `\n` and `\t` each become one space.
            out.push(' ');
            rest = tail.strip_prefix("\r\n").unwrap_or(&tail[1..]);
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// `name` of `&name;`: one of the five predefined entities or a character reference.
/// Control characters are accepted so that what the writer escapes reads back.
pub(super) fn resolve_reference(name: &str) -> Result<char, DecodeErrorKind> {
    match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    let Some(number) = name.strip_prefix('#') else {
        return Err(DecodeErrorKind::UnknownEntity {
            name: name.to_owned(),
        });
    };
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    let valid_digits = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
    valid_digits
        .then(|| u32::from_str_radix(digits, radix).ok())
        .flatten()
        .and_then(char::from_u32)
        .ok_or_else(|| DecodeErrorKind::InvalidCharRef {
            reference: name.to_owned(),
        })
}

/// Reads the text of a text-only element up to its end tag: text, CDATA and references
/// concatenated; comments and processing instructions skipped.
#[inline]
pub(super) fn read_text<'a>(cursor: &mut Cursor<'a>, element: &str) -> Step<Cow<'a, str>> {
    let mut value: Cow<'a, str> = Cow::Borrowed("");
    loop {
        match cursor.next_event()? {
            Event::Text(text) => append(&mut value, text.xml10_content()),
            Event::CData(cdata) => append(&mut value, cdata.xml10_content()),
            Event::GeneralRef(reference) => {
                let c = resolve_reference(&reference).map_err(|kind| cursor.fault(kind))?;
                value.to_mut().push(c);
            }
            Event::End(_) => return Ok(value),
            Event::Start(child) | Event::Empty(child) => {
                return Err(cursor.fault(DecodeErrorKind::ElementInText {
                    element: element.to_owned(),
                    found: child.name().as_ref().to_owned(),
                }));
            }
            Event::Eof => {
                return Err(cursor.fault(DecodeErrorKind::Truncated {
                    expected: format!("</{element}>"),
                }));
            }
            other => {
                return Err(cursor.fault(DecodeErrorKind::Unexpected {
                    expected: "text",
                    found: describe(&other),
                }));
            }
        }
    }
}

#[inline]
pub(super) fn append<'a>(value: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if value.is_empty() {
        *value = piece;
    } else {
        value.to_mut().push_str(&piece);
    }
}

/// Skips to the end of the element whose start tag was just read.
pub(super) fn skip_element(cursor: &mut Cursor<'_>) -> Step<()> {
    let mut depth = 0usize;
    loop {
        match cursor.next_event()? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => {
                return Err(cursor.fault(DecodeErrorKind::Truncated {
                    expected: "the end of the element".to_owned(),
                }));
            }
            _ => {}
        }
    }
}

/// Finds the root element, which must be `expected`. Returns its tag and whether it is
/// self-closing.
pub(super) fn open_root<'a>(
    cursor: &mut Cursor<'a>,
    expected: &'static str,
) -> Result<(Tag<'a>, bool), DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, "/".to_owned()))?;
        let (start, self_closing) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::Text(text) if is_xml_whitespace(&text) => continue,
            other => {
                let found = match other {
                    Event::Eof => "no element (the input ends)".to_owned(),
                    other => describe(&other),
                };
                return Err(cursor.error_here(
                    DecodeErrorKind::WrongRoot { expected, found },
                    "/".to_owned(),
                ));
            }
        };
        let tag = cursor.tag(&start);
        if tag.name() != expected {
            let found = format!("<{}>", tag.name());
            return Err(cursor.error_here(
                DecodeErrorKind::WrongRoot { expected, found },
                format!("/{}", tag.name()),
            ));
        }
        return Ok((tag, self_closing));
    }
}

/// The next child element of the root, or `None` at the root's end tag.
pub(super) fn next_envelope_child<'a>(
    cursor: &mut Cursor<'a>,
    root: &'static str,
) -> Result<Option<(Tag<'a>, bool)>, DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, format!("/{root}")))?;
        let kind = match event {
            Event::Start(start) => return Ok(Some((cursor.tag(&start), false))),
            Event::Empty(start) => return Ok(Some((cursor.tag(&start), true))),
            Event::End(_) => return Ok(None),
            Event::Text(text) if is_xml_whitespace(&text) => continue,
            Event::CData(cdata) if is_xml_whitespace(&cdata) => continue,
            Event::Eof => DecodeErrorKind::Truncated {
                expected: format!("</{root}>"),
            },
            other => DecodeErrorKind::Unexpected {
                expected: "an element",
                found: describe(&other),
            },
        };
        return Err(cursor.error_here(kind, format!("/{root}")));
    }
}

/// Reads a text-only envelope element (`InvokeID`, …), trimmed; `seen` rejects a repeat.
pub(super) fn read_envelope_text(
    cursor: &mut Cursor<'_>,
    root: &'static str,
    tag: &Tag<'_>,
    self_closing: bool,
    seen: bool,
) -> Result<String, DecodeError> {
    let name = tag.name();
    let path = || format!("/{root}/{name}");
    if seen {
        return Err(cursor.error_here(
            DecodeErrorKind::Duplicate {
                element: name.to_owned(),
            },
            path(),
        ));
    }
    if self_closing {
        return Ok(String::new());
    }
    let text = read_text(cursor, name).map_err(|fault| cursor.error(fault, path()))?;
    Ok(trim_xml(&text).to_owned())
}

/// After the root's end tag only whitespace, comments and processing instructions may follow.
pub(super) fn expect_document_end(
    cursor: &mut Cursor<'_>,
    root: &'static str,
) -> Result<(), DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, "/".to_owned()))?;
        match event {
            Event::Eof => return Ok(()),
            Event::Text(text) if is_xml_whitespace(&text) => {}
            other => {
                let expected = if root == crate::akixi_ws::grammar::RESPONSE {
                    "nothing after </Response>"
                } else {
                    "nothing after </Request>"
                };
                return Err(cursor.error_here(
                    DecodeErrorKind::Unexpected {
                        expected,
                        found: describe(&other),
                    },
                    "/".to_owned(),
                ));
            }
        }
    }
}

#[inline]
pub(super) fn is_xml_whitespace(text: &str) -> bool {
    text.bytes().all(is_xml_blank)
}

/// A short description of an event for "found …" in messages.
pub(super) fn describe(event: &Event<'_>) -> String {
    const MAX_CHARS: usize = 40;
    let quoted = |text: &str| {
        let text = trim_xml(text);
        match text.char_indices().nth(MAX_CHARS) {
            None => format!("{text:?}"),
            Some((cut, _)) => format!("{:?}…", &text[..cut]),
        }
    };
    match event {
        Event::Start(start) | Event::Empty(start) => {
            format!("<{}>", start.name().as_ref())
        }
        Event::End(end) => format!("</{}>", end.name().as_ref()),
        Event::Text(text) => format!("text {}", quoted(text)),
        Event::CData(cdata) => format!("CDATA {}", quoted(cdata)),
        Event::GeneralRef(reference) => format!("text \"&{};\"", &**reference),
        Event::DocType(_) => "a DOCTYPE".to_owned(),
        Event::Comment(_) | Event::PI(_) | Event::Decl(_) => "markup".to_owned(),
        Event::Eof => "the end of the input".to_owned(),
    }
}
