//! The spec's file format: Markdown with pipe tables, read line by line.
//!
//! A file is prose, `> key: value` directives, `##` headings and pipe tables. A table belongs to the
//! heading above it; the heading names the table's kind. Every cell keeps its line and column so
//! that later stages can point at it. See `spec/README.md` for the format as maintainers see it.

use std::sync::Arc;

use crate::diag::{DiagKind, Diagnostics, Loc};

/// One cell: its text (trimmed, `\|` unescaped) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text.
    pub text: String,
    /// Where the text starts (or where the cell starts, when it is empty).
    pub loc: Loc,
}

/// A pipe table: its header cells and its rows (each with as many cells as the header).
#[derive(Debug, Clone)]
pub struct Table {
    /// Header cells.
    pub header: Vec<Cell>,
    /// Data rows. Rows whose cell count differs from the header's were reported and left out.
    pub rows: Vec<Vec<Cell>>,
    /// Where the header row starts.
    pub loc: Loc,
}

/// A `> key: value` line.
#[derive(Debug, Clone)]
pub struct Directive {
    /// The key, lower case.
    pub key: String,
    /// The value, trimmed.
    pub value: Cell,
}

/// A `##` heading and what follows it up to the next heading.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading's text before any `:`.
    pub kind: String,
    /// The heading's text after the first `:`, if any.
    pub arg: Option<Cell>,
    /// Where the heading is.
    pub loc: Loc,
    /// Directives in this section.
    pub directives: Vec<Directive>,
    /// The section's tables (a section normally has one).
    pub tables: Vec<Table>,
}

/// A parsed spec file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, as displayed.
    pub file: Arc<str>,
    /// Directives before the first `##` heading: they apply to the whole file.
    pub directives: Vec<Directive>,
    /// Sections, in file order.
    pub sections: Vec<Section>,
    /// Tables before the first `##` heading (always an error: a table needs a kind).
    pub orphan_tables: Vec<Table>,
}

/// Directive keys the format knows; other lower-case `> key:` lines are reported as typos.
pub const DIRECTIVE_KEYS: &[&str] = &["family", "source", "provisional"];

impl Document {
    /// Parse `text`; problems go to `diags`. Never panics.
    pub fn parse(file: Arc<str>, text: &str, diags: &mut Diagnostics) -> Document {
        let mut doc = Document {
            file: Arc::clone(&file),
            directives: Vec::new(),
            sections: Vec::new(),
            orphan_tables: Vec::new(),
        };
        let lines: Vec<&str> = text.lines().collect();
        let mut in_fence = false;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let trimmed = line.trim_start();
            i += 1;
            if trimmed.starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('#') {
                let level = 1 + rest.chars().take_while(|c| *c == '#').count();
                if level >= 2 {
                    let text = rest.trim_start_matches('#');
                    doc.sections.push(heading(&file, line, line_no, text));
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('>') {
                if let Some(d) = directive(&file, line, line_no, rest, diags) {
                    match doc.sections.last_mut() {
                        Some(s) => s.directives.push(d),
                        None => doc.directives.push(d),
                    }
                }
                continue;
            }
            if is_table_line(trimmed) {
                // A table: this line is its header; the next must be the delimiter row.
                let header = split_row(&file, line, line_no);
                let header_loc = Loc::new(&file, line_no, first_col(line));
                let delimiter = lines.get(i).copied().filter(|l| is_delimiter(l));
                if delimiter.is_none() {
                    diags.error_hint(
                        &header_loc,
                        DiagKind::MalformedTable,
                        "table header is not followed by a delimiter row",
                        "put a row like `|---|---|` under the header",
                    );
                    // Skip the rest of this block so its rows are not read as more tables.
                    while i < lines.len() && is_table_line(lines[i].trim_start()) {
                        i += 1;
                    }
                    continue;
                }
                i += 1;
                let mut table = Table {
                    header,
                    rows: Vec::new(),
                    loc: header_loc,
                };
                while i < lines.len() && is_table_line(lines[i].trim_start()) {
                    let row_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
                    let mut row = split_row(&file, lines[i], row_no);
                    if row.len() != table.header.len() {
                        diags.error(
                            &Loc::new(&file, row_no, first_col(lines[i])),
                            DiagKind::MalformedTable,
                            format!(
                                "row has {} cells but the header has {}",
                                row.len(),
                                table.header.len()
                            ),
                        );
                        // Keep the row, fitted to the header, so later stages still know what it
                        // names; the error above already fails the load.
                        let end = Loc::new(&file, row_no, char_col(lines[i], lines[i].len()));
                        row.resize_with(table.header.len(), || Cell {
                            text: String::new(),
                            loc: end.clone(),
                        });
                    }
                    table.rows.push(row);
                    i += 1;
                }
                match doc.sections.last_mut() {
                    Some(s) => s.tables.push(table),
                    None => doc.orphan_tables.push(table),
                }
            }
        }
        doc
    }
}

fn heading(file: &Arc<str>, line: &str, line_no: u32, text: &str) -> Section {
    let text_start = col_of(line, text);
    let (kind, arg) = match text.split_once(':') {
        Some((k, a)) => {
            let arg_text = a.trim();
            let arg_col = col_of(line, a) + leading_ws(a);
            (
                k.trim().to_string(),
                Some(Cell {
                    text: arg_text.to_string(),
                    loc: Loc::new(file, line_no, arg_col),
                }),
            )
        }
        None => (text.trim().to_string(), None),
    };
    Section {
        kind,
        arg,
        loc: Loc::new(file, line_no, text_start + leading_ws(text)),
        directives: Vec::new(),
        tables: Vec::new(),
    }
}

fn directive(
    file: &Arc<str>,
    line: &str,
    line_no: u32,
    rest: &str,
    diags: &mut Diagnostics,
) -> Option<Directive> {
    let (key, value) = rest.split_once(':')?;
    let key = key.trim();
    // Prose quotes ("> Note: …") start with a capital or contain spaces; directives are kebab-case.
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        return None;
    }
    let key_loc = Loc::new(file, line_no, col_of(line, rest) + leading_ws(rest));
    if !DIRECTIVE_KEYS.contains(&key) {
        let hint = crate::diag::did_you_mean(key, DIRECTIVE_KEYS.iter().copied())
            .unwrap_or_else(|| format!("known directives: {}", DIRECTIVE_KEYS.join(", ")));
        diags.error_hint(
            &key_loc,
            DiagKind::BadDirective,
            format!("unknown directive `{key}`"),
            hint,
        );
        return None;
    }
    let value_col = col_of(line, value) + leading_ws(value);
    Some(Directive {
        key: key.to_string(),
        value: Cell {
            text: value.trim().to_string(),
            loc: Loc::new(file, line_no, value_col),
        },
    })
}

fn is_table_line(trimmed: &str) -> bool {
    trimmed.contains('|')
}

fn is_delimiter(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-') {
        return false;
    }
    t.split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .all(|c| {
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.chars().all(|ch| ch == '-')
        })
}

/// Split a row on unescaped `|`, dropping the optional outer pipes.
fn split_row(file: &Arc<str>, line: &str, line_no: u32) -> Vec<Cell> {
    // (byte offset where the cell starts, its raw text)
    let mut cells: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((idx, ch)) = chars.next() {
        match ch {
            '\\' if matches!(chars.peek(), Some((_, '|'))) => {
                cur.push('|');
                chars.next();
            }
            '|' => {
                cells.push((cur_start, std::mem::take(&mut cur)));
                cur_start = idx + 1;
            }
            _ => cur.push(ch),
        }
    }
    cells.push((cur_start, cur));
    // A leading pipe leaves an empty first piece; a trailing pipe an empty last piece.
    if line.trim_start().starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if line.trim_end().ends_with('|')
        && !line.trim_end().ends_with("\\|")
        && let Some((_, last)) = cells.last()
        && last.trim().is_empty()
    {
        cells.pop();
    }
    cells
        .into_iter()
        .map(|(start, raw)| {
            let lead = raw.len() - raw.trim_start().len();
            let col = char_col(line, start + lead);
            Cell {
                text: raw.trim().to_string(),
                loc: Loc::new(file, line_no, col),
            }
        })
        .collect()
}

/// 1-based character column of byte offset `byte` in `line`.
fn char_col(line: &str, byte: usize) -> u32 {
    let prefix = line.get(..byte.min(line.len())).unwrap_or(line);
    u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX)
}

/// Column where `part` (a subslice of `line`) starts.
fn col_of(line: &str, part: &str) -> u32 {
    let offset = (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
    char_col(line, offset)
}

fn leading_ws(s: &str) -> u32 {
    u32::try_from(s.chars().take_while(|c| c.is_whitespace()).count()).unwrap_or(0)
}

fn first_col(line: &str) -> u32 {
    1 + leading_ws(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Document, Vec<crate::diag::Diagnostic>) {
        let mut d = Diagnostics::default();
        let doc = Document::parse(Arc::from("f.md"), text, &mut d);
        (doc, d.into_sorted())
    }

    #[test]
    fn cells_keep_columns_and_unescape_pipes() {
        let (doc, diags) = parse("## values: X\n\n| Value | Note |\n|---|---|\n| A\\|B | ✅ x |\n");
        assert!(diags.is_empty());
        let t = &doc.sections[0].tables[0];
        assert_eq!(t.rows[0][0].text, "A|B");
        assert_eq!(t.rows[0][0].loc.col, 3);
        assert_eq!(t.rows[0][1].text, "✅ x");
        assert_eq!(t.rows[0][1].loc.col, 10);
        assert_eq!(
            doc.sections[0].arg.as_ref().map(|c| c.text.as_str()),
            Some("X")
        );
    }

    #[test]
    fn vendor_tables_without_leading_pipe() {
        let (doc, diags) = parse("## t\nA | B |\n---|---|\nx | ✅ |\n");
        assert!(diags.is_empty());
        let t = &doc.sections[0].tables[0];
        assert_eq!(t.header.len(), 2);
        assert_eq!(t.rows[0][1].text, "✅");
        assert_eq!(t.rows[0][1].loc.col, 5);
    }

    #[test]
    fn ragged_rows_and_missing_delimiters_are_reported() {
        let (_, diags) = parse("## t\n| A | B |\n|---|---|\n| 1 | 2 | 3 |\n\n## u\n| A |\n| 1 |\n");
        assert_eq!(diags.len(), 2);
        assert_eq!(
            (diags[0].loc.line, diags[0].kind),
            (4, DiagKind::MalformedTable)
        );
        assert_eq!(
            (diags[1].loc.line, diags[1].kind),
            (7, DiagKind::MalformedTable)
        );
    }

    #[test]
    fn directives_and_fences() {
        let (doc, diags) =
            parse("> family: User\n> Note: prose\n```\n| not | a table |\n```\n## t\n> famly: x\n");
        assert_eq!(doc.directives.len(), 1);
        assert_eq!(doc.directives[0].value.text, "User");
        assert_eq!(diags.len(), 1);
        assert!(diags[0].hint.as_deref().unwrap_or("").contains("family"));
    }
}
