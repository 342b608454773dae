//! A probe report as edited spec files: confirmed rows cite `probe:<host>:<date>` (and lose
//! their provisional mark), refuted rows take the observed value, a returned property the spec
//! does not know becomes a new provisional row (a `properties` row and a `usage` row), and the
//! service's `sources` table gains the probe's row. Tables without a `Source` or `Provisional`
//! column gain one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akixi_schema::Service;

use super::report::{Fix, ProbeReport, Status};

/// Why a patch could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    /// A spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A row is not where the report says.
    #[error("{0}")]
    Row(String),
}

/// A row to append: after the table holding `file`'s `line`, with these cells.
type Append = (String, u32, Vec<(String, String)>);

/// One edited file.
#[derive(Debug, Clone)]
pub struct PatchedFile {
    /// The file as the spec was loaded (`spec/akixi/session.md`).
    pub path: PathBuf,
    /// Its path below the spec directory (`akixi/session.md`).
    pub relative: PathBuf,
    /// Its new text.
    pub text: String,
}

/// The files `report` changes, edited; `spec_dir` is the directory the spec was loaded from
/// (rows are located by the paths the loader gave them, which start with it).
pub fn build(
    service: &Service,
    spec_dir: &Path,
    report: &ProbeReport,
) -> Result<Vec<PatchedFile>, PatchError> {
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut appends: Vec<Append> = Vec::new();
    let source = report.source.as_str();
    let mut used = false;
    // Edits to existing rows, then appended rows (which move no line the others name).
    for f in &report.findings {
        let Some(row) = &f.row else { continue };
        let values: Vec<(&str, String)> = match (&f.status, &f.fix) {
            (Status::Confirmed, _) => {
                vec![("Source", source.into()), ("Provisional", String::new())]
            }
            (Status::Refuted, Some(Fix::SetCell { column, value })) => vec![
                (column.as_str(), value.clone()),
                ("Source", source.into()),
                ("Provisional", String::new()),
            ],
            _ => continue,
        };
        let lines = load(&mut files, &row.file)?;
        let old = (f.status == Status::Refuted)
            .then(|| table_of(lines, row.line).ok())
            .flatten()
            .and_then(|(header, _)| {
                let head = cells(&lines[header]);
                let i = head
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case("Operation"))?;
                cells(lines.get(usize::try_from(row.line).ok()?.checked_sub(1)?)?)
                    .get(i)
                    .cloned()
            });
        set_cells(lines, row.line, &values)
            .map_err(|e| PatchError::Row(format!("{}:{}: {e}", row.file, row.line)))?;
        if let (Some(old), Some(Fix::SetCell { column, value })) = (old, &f.fix)
            && column == "Operation"
        {
            rename_operation(lines, &old, value);
        }
        used = true;
    }
    for f in &report.findings {
        let Some(Fix::AddProperty {
            family,
            operation,
            property,
        }) = &f.fix
        else {
            continue;
        };
        if f.status != Status::Refuted {
            continue;
        }
        let Some(fam) = service.family(family) else {
            continue;
        };
        let (container, name) = match property.split_once('.') {
            Some((c, n)) => (c.to_owned(), n.to_owned()),
            None => (String::new(), property.clone()),
        };
        let string_type = service
            .types
            .iter()
            .find(|t| t.kind == akixi_schema::TypeKind::String)
            .map_or("String".to_owned(), |t| t.name.clone());
        if let Some(last) = fam.properties.last() {
            appends.push((
                last.loc.file.to_string(),
                last.loc.line,
                vec![
                    ("Property".into(), name.clone()),
                    ("Container".into(), container),
                    ("Type".into(), string_type),
                    (
                        "Description".into(),
                        format!(
                            "Returned by {operation} on {} (found by the probe; type guessed).",
                            report.host
                        ),
                    ),
                    ("Source".into(), source.into()),
                    ("Provisional".into(), "yes".into()),
                ],
            ));
            used = true;
        }
        if let Some(usage) = fam.properties.iter().rev().find_map(|p| p.usage.last()) {
            appends.push((
                usage.loc.file.to_string(),
                usage.loc.line,
                vec![
                    ("Property".into(), property.clone()),
                    (operation.clone(), "returned".into()),
                ],
            ));
        }
    }
    if used && let Some(last) = service.sources.last() {
        appends.push((
            last.loc.file.to_string(),
            last.loc.line,
            vec![
                ("Source".into(), source.into()),
                (
                    "Reference".into(),
                    format!("`akixi spec probe` of {} on {}.", report.host, report.date),
                ),
            ],
        ));
    }
    // Bottom up, so that no insertion moves a line a later one names.
    appends.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    for (file, line, values) in appends {
        let lines = load(&mut files, &file)?;
        let values: Vec<(&str, String)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        append_row(lines, line, &values)
            .map_err(|e| PatchError::Row(format!("{file}:{line}: {e}")))?;
    }
    let prefix = spec_dir.to_string_lossy().trim_end_matches('/').to_owned();
    Ok(files
        .into_iter()
        .map(|(path, lines)| {
            let relative = path
                .strip_prefix(&prefix)
                .map_or(path.as_str(), |r| r.trim_start_matches('/'))
                .to_owned();
            let mut text = lines.join("\n");
            text.push('\n');
            PatchedFile {
                path: PathBuf::from(&path),
                relative: PathBuf::from(relative),
                text,
            }
        })
        .collect())
}

/// The other places a family's file names an operation: `usage` headers and
/// `operation-errors: Name` headings.
fn rename_operation(lines: &mut [String], old: &str, new: &str) {
    let heading = format!("## operation-errors: {old}");
    for n in 0..lines.len() {
        if lines[n].trim() == heading {
            lines[n] = format!("## operation-errors: {new}");
            continue;
        }
        let header = is_table_line(&lines[n]) && lines.get(n + 1).is_some_and(|l| is_delimiter(l));
        if header && cells(&lines[n]).iter().any(|c| c == old) {
            let renamed: Vec<String> = cells(&lines[n])
                .into_iter()
                .map(|c| if c == old { new.to_owned() } else { c })
                .collect();
            lines[n] = render(&renamed);
        }
    }
}

fn load<'a>(
    files: &'a mut BTreeMap<String, Vec<String>>,
    path: &str,
) -> Result<&'a mut Vec<String>, PatchError> {
    if !files.contains_key(path) {
        let text = std::fs::read_to_string(path).map_err(|source| PatchError::Read {
            path: path.to_owned(),
            source,
        })?;
        files.insert(path.to_owned(), text.lines().map(str::to_owned).collect());
    }
    files
        .get_mut(path)
        .ok_or_else(|| PatchError::Row(format!("{path}: not loaded")))
}

/// The cells of a table line (`\|` kept inside a cell).
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'|') {
            cur.push_str("\\|");
            chars.next();
        } else if c == '|' {
            out.push(cur.trim().to_owned());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(cur.trim().to_owned());
    out
}

fn render(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

fn is_table_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.contains('|') && !t.starts_with('>') && !t.starts_with('#')
}

fn is_delimiter(line: &str) -> bool {
    let c = cells(line);
    !c.is_empty()
        && c.iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// The (0-based) header line and last line of the table holding line `line` (1-based).
fn table_of(lines: &[String], line: u32) -> Result<(usize, usize), String> {
    let at = usize::try_from(line)
        .unwrap_or(0)
        .checked_sub(1)
        .ok_or("line 0")?;
    if !lines.get(at).is_some_and(|l| is_table_line(l)) {
        return Err("not a table row".into());
    }
    let mut d = at;
    while !is_delimiter(&lines[d]) {
        d = d
            .checked_sub(1)
            .filter(|&p| is_table_line(&lines[p]))
            .ok_or("no delimiter row above")?;
    }
    let header = d.checked_sub(1).ok_or("no header row")?;
    let mut end = at;
    while lines.get(end + 1).is_some_and(|l| is_table_line(l)) {
        end += 1;
    }
    Ok((header, end))
}

/// The column `name` of the table at `header`, added (empty in every row) if missing.
fn column(lines: &mut [String], header: usize, end: usize, name: &str) -> usize {
    let head = cells(&lines[header]);
    if let Some(i) = head
        .iter()
        .position(|h| h.trim_matches('*').eq_ignore_ascii_case(name))
    {
        return i;
    }
    for (n, line) in lines.iter_mut().enumerate().take(end + 1).skip(header) {
        let mut c = cells(line);
        c.push(match n - header {
            0 => name.to_owned(),
            1 => "---".to_owned(),
            _ => String::new(),
        });
        *line = render(&c);
    }
    head.len()
}

fn set_cells(lines: &mut [String], line: u32, values: &[(&str, String)]) -> Result<(), String> {
    let (header, end) = table_of(lines, line)?;
    let at = usize::try_from(line).unwrap_or(1) - 1;
    for (name, value) in values {
        let exists = cells(&lines[header])
            .iter()
            .any(|h| h.trim_matches('*').eq_ignore_ascii_case(name));
        if value.is_empty() && !exists {
            continue;
        }
        let i = column(lines, header, end, name);
        let mut c = cells(&lines[at]);
        if c.len() <= i {
            c.resize(i + 1, String::new());
        }
        c[i].clone_from(value);
        lines[at] = render(&c);
    }
    Ok(())
}

fn append_row(lines: &mut Vec<String>, line: u32, values: &[(&str, String)]) -> Result<(), String> {
    let (header, end) = table_of(lines, line)?;
    let mut end = end;
    let width = cells(&lines[header]).len();
    lines.insert(end + 1, render(&vec![String::new(); width]));
    end += 1;
    let at = u32::try_from(end + 1).unwrap_or(u32::MAX);
    set_cells(lines, at, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_set_and_columns_added() {
        let mut lines: Vec<String> = [
            "# x",
            "",
            "| Key | Value |",
            "|---|---|",
            "| a | 1 |",
            "| b | 2 |",
            "",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        set_cells(
            &mut lines,
            6,
            &[("Value", "3".into()), ("Source", "probe:h:d".into())],
        )
        .expect("set");
        assert_eq!(lines[2], "| Key | Value | Source |");
        assert_eq!(lines[4], "| a | 1 |  |");
        assert_eq!(lines[5], "| b | 3 | probe:h:d |");
        append_row(
            &mut lines,
            5,
            &[("Key", "c".into()), ("Source", "s".into())],
        )
        .expect("append");
        assert_eq!(lines[6], "| c |  | s |");
        assert_eq!(lines[7], "");
        assert_eq!(cells("a \\| b | c"), vec!["a \\| b", "c"]);
    }
}
