//! XML text for every protocol's writers and readers: one escaping policy for element text and
//! attribute values, the whitespace XML trims, and the one-line snippets of a document that
//! error messages show.

use std::fmt::Write as _;

/// How deeply elements may nest in any document a reader of this crate accepts (the Akixi
/// payload's containers, an EM document's elements). Deeper input is refused before it can
/// cost stack in code that walks or drops the result recursively.
pub(crate) const MAX_DEPTH: usize = 64;

/// The whitespace that XML (and the Akixi docs, for supported values) treat as trimmable.
#[inline]
pub(crate) fn trim_xml(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

/// Whether `b` is one of XML's whitespace bytes (those [`trim_xml`] trims).
#[inline]
pub(crate) const fn is_xml_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The length of the byte order mark `text` starts with, if any: quick-xml drops it without
/// counting it in its positions, so readers add it to every offset.
#[inline]
pub(crate) fn bom_len(text: &str) -> usize {
    const BOM: char = '\u{FEFF}';
    if text.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
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

/// The bytes at or above 0x20 that may need escaping: the markup characters (`"` only
/// matters in attribute values, and is escaped in both) and the lead byte of U+FFFE/U+FFFF.
/// Every control character below 0x20 may need escaping too.
const SPECIAL_BYTES: [u8; 5] = [b'&', b'<', b'>', b'"', 0xEF];

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
    let mut i = 0;
    while i < SPECIAL_BYTES.len() {
        let b = SPECIAL_BYTES[i];
        table[b as usize] = match b {
            0xEF => ByteClass::MaybeNoncharacter,
            b'"' if !attribute => ByteClass::Plain,
            _ => ByteClass::Escape,
        };
        i += 1;
    }
    table
}

static TEXT_CLASSES: [ByteClass; 256] = byte_classes(false);
static ATTRIBUTE_CLASSES: [ByteClass; 256] = byte_classes(true);

/// Whether any byte of the eight in `word` is below 0x20 or one of [`SPECIAL_BYTES`]: a
/// filter that lets plain text be skipped eight bytes at a time (it also flags tabs, newlines
/// and quotes in text, which the table then lets through).
#[inline(always)]
fn word_may_need_escaping(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte of `v` below `n` (n ≤ 0x80) leaves its high bit set in `(v - n) & !v`.
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGHS;
    let mut found = below(word, 0x20);
    for special in SPECIAL_BYTES {
        found |= below(word ^ (ONES * u64::from(special)), 1);
    }
    found != 0
}

/// The position of the first byte at or after `from` that `classes` does not mark plain.
#[inline]
fn next_marked(bytes: &[u8], mut from: usize, classes: &[ByteClass; 256]) -> Option<usize> {
    let marked = |b: &u8| classes[usize::from(*b)] != ByteClass::Plain;
    while let Some(chunk) = bytes.get(from..from + 8) {
        if let Ok(word) = <[u8; 8]>::try_from(chunk)
            && word_may_need_escaping(u64::from_le_bytes(word))
            && let Some(at) = chunk.iter().position(marked)
        {
            return Some(from + at);
        }
        from += 8;
    }
    bytes
        .get(from..)?
        .iter()
        .position(marked)
        .map(|at| from + at)
}

/// Appends `text` escaped for element content.
#[inline]
pub(crate) fn escape_text(out: &mut String, text: &str) {
    escape_with(out, text, &TEXT_CLASSES);
}

/// Escapes, as element text, what was appended to `out` since byte `start` (a value formatted
/// in place): one scan, and a copy only when something needs escaping. A value written in
/// many small pieces (a list of tokens) is scanned once instead of once per piece.
pub(crate) fn escape_text_since(out: &mut String, start: usize) {
    let Some(written) = out.get(start..) else {
        return;
    };
    if next_marked(written.as_bytes(), 0, &TEXT_CLASSES).is_none() {
        return;
    }
    let raw = out.split_off(start);
    escape_text(out, &raw);
}

/// Appends `text` escaped for a double-quoted attribute value.
#[inline]
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
    // Most names and values need no escaping: the scan to the next marked byte is most of the
    // writers' time, so it is kept apart from the rare work of escaping.
    while let Some(at) = next_marked(bytes, i, classes) {
        i = at;
        let b = bytes[i];
        let escaped_len = match classes[usize::from(b)] {
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

/// Bytes of context shown before and after the error offset.
const SNIPPET_BEFORE: usize = 24;
const SNIPPET_AFTER: usize = 36;

/// About 60 characters around `offset`, cut on char boundaries, controls escaped.
pub(crate) fn snippet(input: &[u8], offset: u64) -> String {
    let at = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(input.len());
    let mut start = at.saturating_sub(SNIPPET_BEFORE);
    let mut end = at.saturating_add(SNIPPET_AFTER).min(input.len());
    // Move off UTF-8 continuation bytes (0b10xx_xxxx) so no char is split.
    while start > 0 && start < input.len() && input[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    while end < input.len() && input[end] & 0xC0 == 0x80 {
        end += 1;
    }
    let mut out = String::with_capacity(end - start + 8);
    if start > 0 {
        out.push('…');
    }
    for c in String::from_utf8_lossy(&input[start..end]).chars() {
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    if end < input.len() {
        out.push('…');
    }
    out
}

/// `text` on one line: whitespace runs collapsed to one space, control characters escaped,
/// cut at `max` characters (with `…`).
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(max.min(text.len()) + 4);
    let mut shown = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = shown > 0;
            continue;
        }
        if shown >= max {
            out.push('…');
            break;
        }
        if space {
            out.push(' ');
            space = false;
            shown += 1;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
        shown += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        let mut out = String::new();
        escape_text(&mut out, s);
        out
    }

    #[test]
    fn the_word_filter_flags_every_byte_a_table_marks() {
        for table in [&TEXT_CLASSES, &ATTRIBUTE_CLASSES] {
            for b in 0..=255u8 {
                for position in 0..8 {
                    let mut word = [b'a'; 8];
                    word[position] = b;
                    let flagged = word_may_need_escaping(u64::from_le_bytes(word));
                    if table[usize::from(b)] != ByteClass::Plain {
                        assert!(flagged, "byte {b:#04x} at {position}");
                    }
                    if b >= 0x20 && !SPECIAL_BYTES.contains(&b) {
                        assert!(!flagged, "byte {b:#04x} at {position} is plain");
                    }
                }
            }
        }
    }

    #[test]
    fn escaping_what_was_written_is_escaping_the_pieces() {
        let pieces = [
            "Plain", ",", "a&b", "<x>", "\r\n", "\u{FFFE}", "é", "", "\u{1}",
        ];
        for a in pieces {
            for b in pieces {
                let mut out = String::from("<P>");
                let start = out.len();
                out.push_str(a);
                out.push_str(b);
                escape_text_since(&mut out, start);
                assert_eq!(out, format!("<P>{}{}", text(a), text(b)), "{a:?} {b:?}");
            }
        }
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
    fn snippet_cuts_on_char_boundaries_and_escapes_controls() {
        let input = "ééééééééééééééééééééé\n<x>\tabc".as_bytes();
        let s = snippet(input, 30);
        assert!(s.starts_with('…'));
        assert!(s.contains("\\n<x>\\tabc"), "{s}");
        assert_eq!(snippet(b"", 10), "");
        assert_eq!(snippet(b"abc", 1), "abc");
        let long = "x".repeat(200);
        let s = snippet(long.as_bytes(), 100);
        assert_eq!(s.chars().count(), 62);
    }

    #[test]
    fn invalid_utf8_is_shown_lossily() {
        assert_eq!(snippet(b"a\xffb", 1), "a\u{fffd}b");
    }

    #[test]
    fn one_line_collapses_escapes_and_cuts() {
        assert_eq!(
            one_line(
                "<html>\r\n  <head><title>502 Bad Gateway</title></head>\n</html>",
                200
            ),
            "<html> <head><title>502 Bad Gateway</title></head> </html>"
        );
        assert_eq!(one_line("a\n\n  b\u{1}", 10), "a b\\u{1}");
        assert_eq!(one_line("abcdef", 3), "abc…");
        let long = "x".repeat(1000);
        assert_eq!(one_line(&long, 200).chars().count(), 200 + 1);
        assert_eq!(one_line(&"x".repeat(200), 200).chars().count(), 200);
        assert_eq!(one_line("", 200), "");
    }
}
