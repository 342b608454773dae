//! A bulk file as a spreadsheet or a script saves it: read from a file or standard input (`-`),
//! a UTF-8 byte order mark dropped, JSON told from JSON Lines and CSV by what it holds (not
//! only by its name), a CSV's delimiter sniffed (`,`, `;` as a European spreadsheet writes it,
//! or a tab), and its lines counted in the file's own terms (CRLF or LF, a quoted cell's line
//! breaks included), so that a row is reported at the line a text editor shows.

use std::io::Read;
use std::path::Path;

/// What a bulk file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV (or another delimiter's), headed by property names.
    Csv,
    /// One JSON document: an array of records, or a command's `{"records": […]}`.
    Json,
    /// JSON Lines: one object per line.
    JsonLines,
}

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How `path` is named in messages (`standard input` for `-`).
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// The whole text of `path` (`-`: standard input), without a leading UTF-8 byte order mark.
pub fn read_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if is_stdin(path) {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("cannot read {}: {e}", name(path)))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(format!(
            "{} is UTF-16 (a spreadsheet's \"Unicode text\"); save it as \"CSV UTF-8\"",
            name(path)
        ));
    }
    String::from_utf8(body.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = Lines::new(&body[..at]).line_at(at);
        format!(
            "{} is not UTF-8 (line {line}: byte {:#04x}); save it as \"CSV UTF-8\" (or convert it with iconv -f WINDOWS-1252 -t UTF-8)",
            name(path),
            body.get(at).copied().unwrap_or_default()
        )
    })
}

/// What `text` (read from `path`) holds: JSON Lines for `*.jsonl` and `*.ndjson`; otherwise by
/// its content: text starting with `[`, or one JSON value starting with `{`, is a JSON document;
/// objects one a line are JSON Lines (whatever the file's name); anything else is CSV.
pub fn format_of(path: &Path, text: &str) -> Format {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(extension.as_deref(), Some("jsonl" | "ndjson")) {
        return Format::JsonLines;
    }
    let body = text.trim_start();
    if body.starts_with('[') {
        return Format::Json;
    }
    if body.starts_with('{') {
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
            return Format::Json;
        }
        let first = body.lines().next().unwrap_or_default();
        return if serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok() {
            Format::JsonLines
        } else {
            // Not JSON Lines either: read as one document, whose error is then reported.
            Format::Json
        };
    }
    if extension.as_deref() == Some("json") {
        return Format::Json;
    }
    Format::Csv
}

/// The delimiter of a CSV `text`: the one of `,`, `;` and tab its header line holds most of
/// (outside quotes); `,` when none.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The first of the most frequent: a comma wins a tie.
    let mut best = counts[0];
    for c in &counts[1..] {
        if c.1 > best.1 {
            best = *c;
        }
    }
    best.0
}

/// `--delimiter`: one ASCII character, or `tab`, `\t`, `comma`, `semicolon`, `pipe`.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        "pipe" => Ok(b'|'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii()
                && !b.is_ascii_alphanumeric()
                && *b != b'"'
                && *b != b'\n'
                && *b != b'\r' =>
            {
                Ok(*b)
            }
            _ => Err(format!(
                "expected one character such as ; or |, or tab, comma, semicolon (got {s:?})"
            )),
        },
    }
}

/// Line numbers of byte offsets in a text, counting its own line feeds (a CRLF is one line
/// break, as is a line feed inside a quoted cell). Offsets asked for in increasing order are
/// counted in one pass.
pub struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    /// Counting in `text`, whose first line is line 1.
    pub fn new(text: &'t [u8]) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line of byte `offset`.
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        let newlines = self.text[self.at..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += newlines as u64;
        self.at = offset;
        self.line
    }

    /// The line where a record found at byte `offset` starts: the csv reader may place a
    /// record at the line feed of the CRLF ending the one before (and skips blank lines), so
    /// the line breaks there are passed over first.
    pub fn record_line(&mut self, offset: usize) -> u64 {
        let start = self
            .text
            .get(offset..)
            .and_then(|rest| rest.iter().position(|b| !matches!(b, b'\r' | b'\n')))
            .map_or(self.text.len(), |skip| offset + skip);
        self.line_at(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        let csv = Path::new("users.csv");
        let json = Path::new("users.json");
        assert_eq!(format_of(csv, "Username,FullName\n"), Format::Csv);
        assert_eq!(format_of(json, "[{\"Username\":\"a\"}]"), Format::Json);
        assert_eq!(format_of(json, "{\"records\":[]}\n"), Format::Json);
        assert_eq!(
            format_of(json, "{\"Username\":\"a\"}\r\n{\"Username\":\"b\"}\r\n"),
            Format::JsonLines
        );
        assert_eq!(
            format_of(
                Path::new("-"),
                "{\"Username\":\"a\"}\n{\"Username\":\"b\"}\n"
            ),
            Format::JsonLines
        );
        assert_eq!(
            format_of(Path::new("x.jsonl"), "{\"a\":1}"),
            Format::JsonLines
        );
        assert_eq!(format_of(json, "{ broken"), Format::Json);
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("Username,FullName\na;b;c\n"), b',');
        assert_eq!(
            sniff_delimiter("Username;FullName;Scope.TelSysID\r\n"),
            b';'
        );
        assert_eq!(sniff_delimiter("Username\tFullName\n"), b'\t');
        assert_eq!(sniff_delimiter("\"Last, First\";Username\n"), b';');
        assert_eq!(sniff_delimiter("Username\n"), b',');
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("ab").is_err());
        assert!(parse_delimiter("\"").is_err());
    }

    #[test]
    fn lines_count_crlf_and_quoted_breaks_once() {
        let text = b"h1,h2\r\na,\"x\r\ny\"\r\nb,c\r\n";
        let mut lines = Lines::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(7), 2);
        let b = text.iter().position(|c| *c == b'b').expect("b");
        assert_eq!(lines.line_at(b), 4);
        assert_eq!(lines.line_at(7), 2, "backwards starts again");
        // A record placed at the line feed of the CRLF before it starts on the next line.
        let mut lines = Lines::new(text);
        assert_eq!(lines.record_line(6), 2);
    }
}
