//! Text for people: values that came from the service or from a file, shown with every
//! character that could drive a terminal escaped visibly, so that a stored value (a `FullName`
//! holding `ESC ] 52 ; …`, which writes the viewer's clipboard, or a bidi override that makes
//! text read backwards) is shown, never obeyed.
//!
//! What is escaped: C0 controls and DEL as `\xHH` (`\x1b`, `\x00`, `\x7f`; tab, line feed and
//! carriage return as `\t`, `\n`, `\r`), and as `\u{HHHH}` the C1 controls (`\u{9b}`, the
//! 8-bit CSI), the bidi embeddings, overrides, isolates and marks (U+061C, U+200E, U+200F,
//! U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029). In a
//! value that needs any of that, a backslash is doubled, so the escaped text reads back
//! unambiguously; a value that needs none is shown as it is.
//!
//! Each escaped value is counted, and [`note_escaped`] says once, at the end of a run, how many
//! there were. JSON output (`--format json`) keeps the exact value: serde_json writes the C0
//! controls as `\u00XX`, and [`SafeJson`] writes DEL, the C1 controls and the bidi controls as
//! `\uXXXX` too (which serde_json leaves raw), so the document means the same string and is
//! safe to show.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Values shown escaped in this run.
static ESCAPED_VALUES: AtomicUsize = AtomicUsize::new(0);

/// Whether the note about escaped values was printed.
static NOTED: AtomicBool = AtomicBool::new(false);

/// Whether `c` must never reach a terminal as it is: a control character (C0, DEL, C1), a
/// bidi control that reorders what is shown, or a line or paragraph separator.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `value` for a terminal: unchanged when it holds no [unsafe](is_unsafe) character, else with
/// each one escaped (and each backslash doubled), and counted for [`note_escaped`].
pub fn escaped(value: &str) -> Cow<'_, str> {
    escaped_except(value, |_| false)
}

/// [`escaped`], keeping line feeds: for a message the program itself breaks into lines (an
/// error that lists several problems), which may quote a stored value.
pub fn escaped_lines(value: &str) -> Cow<'_, str> {
    escaped_except(value, |c| c == '\n')
}

/// `value` with every unsafe character but those `kept` escaped.
fn escaped_except(value: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !kept(c);
    if !value.chars().any(needs) {
        return Cow::Borrowed(value);
    }
    ESCAPED_VALUES.fetch_add(1, Ordering::Relaxed);
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if !needs(c) => out.push(c),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            // Writing to a String cannot fail.
            c if c.is_ascii() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// How many values this run has shown escaped.
pub fn escaped_count() -> usize {
    ESCAPED_VALUES.load(Ordering::Relaxed)
}

/// The note for `count` escaped values.
fn note(count: usize) -> String {
    let values = if count == 1 { "value" } else { "values" };
    format!(
        "akixi: {count} {values} held control characters, shown escaped; --format json gives the exact values"
    )
}

/// Says on standard error, once per run, how many values were shown escaped (nothing when
/// none was).
pub fn note_escaped() {
    let count = escaped_count();
    if count > 0 && !NOTED.swap(true, Ordering::Relaxed) {
        eprintln!("{}", note(count));
    }
}

/// serde_json's compact format, with every [unsafe](is_unsafe) character that serde_json writes
/// raw (DEL, C1 controls, bidi controls, line and paragraph separators) written as a `\uXXXX`
/// escape: the same JSON value, which no terminal obeys.
#[derive(Debug, Clone, Copy, Default)]
pub struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_unsafe(*c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            // Every unsafe character serde_json leaves raw is in the Basic Multilingual Plane.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{:04x}", unit)?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// Writes `value` as compact JSON with [`SafeJson`].
pub fn write_json<W: std::io::Write>(
    writer: W,
    value: &impl serde::Serialize,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, SafeJson);
    value.serialize(&mut ser)
}

/// The characters a spreadsheet reads as the start of a formula (or, tab and carriage return,
/// skips before one), after OWASP's "CSV Injection" guidance.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` with a `'` in front when it starts with one of [`FORMULA_STARTS`], so that a
/// spreadsheet shows it as text instead of evaluating it; other cells unchanged.
pub fn formula_guarded(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_visibly_and_the_rest_left_alone() {
        assert_eq!(escaped("Plain Name, ü ✓"), "Plain Name, ü ✓");
        assert!(matches!(escaped("C:\\dir"), Cow::Borrowed(_)));
        assert_eq!(
            escaped("A\u{1b}]52;c;SGVsbG8=\u{7}B\u{0}C"),
            "A\\x1b]52;c;SGVsbG8=\\x07B\\x00C"
        );
        assert_eq!(escaped("\u{9b}31m\u{7f}"), "\\u{9b}31m\\x7f");
        assert_eq!(escaped("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(escaped("x\r\ny\tz"), "x\\r\\ny\\tz");
        // A backslash is doubled where something else is escaped: `\x1b` typed in is not ESC.
        assert_eq!(escaped("\\x1b\u{1b}"), "\\\\x1b\\x1b");
        assert_eq!(escaped_lines("one\ntwo\u{1b}"), "one\ntwo\\x1b");
        assert_eq!(escaped_lines("one\ntwo"), "one\ntwo");
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let shown = escaped(&c.to_string()).into_owned();
            assert!(!shown.chars().any(is_unsafe), "{c:?} -> {shown:?}");
        }
    }

    #[test]
    fn the_note_counts_values() {
        assert!(note(1).contains("1 value held"));
        assert!(note(3).contains("3 values held"));
        assert!(note(3).contains("--format json"));
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_keeps_the_value() {
        let value = serde_json::json!({"FullName": "A\u{1b}B\u{9b}C\u{7f}\u{202e}D\\\"✓"});
        let mut out = Vec::new();
        write_json(&mut out, &value).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(text, r#"{"FullName":"A\u001bB\u009bC\u007f\u202eD\\\"✓"}"#);
        assert!(!text.chars().any(is_unsafe));
        let back: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn formulas_are_guarded() {
        for cell in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(formula_guarded(cell), format!("'{cell}"));
        }
        for cell in ["", "plain", "1-2", "a=b", "'=x"] {
            assert_eq!(formula_guarded(cell), cell);
        }
    }
}
