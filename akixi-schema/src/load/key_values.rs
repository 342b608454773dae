//! Key/value tables (`service`, `binding`): one setting a row. A reader hands each key's value
//! out once, in the form its caller asks for, reports a missing row or a malformed value at the
//! row (or the table), and at the end every row nobody asked for as an unknown key.

use super::loader::ServiceLoader;
use super::names::{is_xml_name, split_list};
use super::tables::{KeyForm, KeySpec, Keyed};
use crate::diag::{DiagKind, Diagnostics, Loc, did_you_mean};
use crate::model::Provenance;
use crate::table::Cell;

/// One row of a key/value table.
#[derive(Debug, Clone)]
pub(super) struct Setting {
    pub(super) key: Cell,
    pub(super) value: Cell,
    pub(super) provenance: Provenance,
}

impl<'a> ServiceLoader<'a> {
    /// The rows of every `kind` table (columns `Key` and `Value`), each key once, and where
    /// the first such table is.
    pub(super) fn settings(&mut self, kind: &str) -> (Vec<Setting>, Option<Loc>) {
        let spec = KeySpec {
            column: "Key",
            what: "key",
            form: KeyForm::NonEmpty,
        };
        let rows = self.unique_rows(kind, spec);
        let table = self.tables_loc(kind);
        let settings = rows.iter().map(|k| self.setting(k)).collect();
        (settings, table)
    }

    /// One keyed row of a key/value table as a setting (an empty value where it has none).
    pub(super) fn setting(&mut self, k: &Keyed<'_>) -> Setting {
        Setting {
            key: k.key.clone(),
            value: k
                .rows
                .cell(k.row, "Value")
                .cloned()
                .unwrap_or_else(|| Cell {
                    text: String::new(),
                    loc: k.key.loc.clone(),
                }),
            provenance: self.provenance(&k.rows, k.row),
        }
    }
}

/// Hands out the values of one key/value table.
pub(super) struct KeyValues<'d> {
    d: &'d mut Diagnostics,
    /// The table kind, for messages (`binding`).
    table: &'static str,
    /// Whose keys these are, for messages (`protocol cisco-em`).
    owner: String,
    settings: Vec<(Setting, bool)>,
    /// Where a missing row is reported: the table, or (without one) what should hold it.
    missing_at: Loc,
    /// Without a table, a missing key is reported once, as the missing table.
    table_missing: bool,
    /// Whether the missing table was reported.
    reported_table: bool,
    /// Every key asked for, for the hint on an unknown one.
    asked: Vec<&'static str>,
}

impl<'d> KeyValues<'d> {
    /// A reader of `settings`, the rows of the `table` tables of `owner`. `table_at` is where
    /// the table is, or `None` when there is none (then `fallback` is where its absence is
    /// reported).
    pub(super) fn new(
        d: &'d mut Diagnostics,
        table: &'static str,
        owner: String,
        settings: Vec<Setting>,
        table_at: Option<Loc>,
        fallback: &Loc,
    ) -> Self {
        KeyValues {
            d,
            table,
            owner,
            settings: settings.into_iter().map(|s| (s, false)).collect(),
            table_missing: table_at.is_none(),
            reported_table: false,
            missing_at: table_at.unwrap_or_else(|| fallback.clone()),
            asked: Vec::new(),
        }
    }

    /// The value cell of `key`, marked read; a missing row is reported (`meaning` says what the
    /// row is for).
    pub(super) fn cell(&mut self, key: &'static str, meaning: &str) -> Option<Cell> {
        let found = self.take(key);
        if found.is_none() {
            self.missing(key, meaning);
        }
        found
    }

    /// Where problems of the table's values go.
    pub(super) fn d(&mut self) -> &mut Diagnostics {
        self.d
    }

    /// Reports the row of `key` missing (`meaning` says what the row is for).
    pub(super) fn missing(&mut self, key: &str, meaning: &str) {
        {
            if self.table_missing {
                if !self.reported_table {
                    self.reported_table = true;
                    self.d.error_hint(
                        &self.missing_at,
                        DiagKind::Missing,
                        format!("the service has no `{}` table", self.table),
                        format!(
                            "add `## {}` with a `{key}` row ({meaning}) and the others",
                            self.table
                        ),
                    );
                }
            } else {
                self.d.error_hint(
                    &self.missing_at,
                    DiagKind::Missing,
                    format!("the `{}` table has no `{key}` row", self.table),
                    format!("add `| {key} | … |`: {meaning}"),
                );
            }
        }
    }

    /// Reports the value of `key` (read before) as not of the form `expected`.
    pub(super) fn malformed(&mut self, key: &str, expected: &str) {
        let Some((setting, _)) = self.settings.iter().find(|(s, _)| s.key.text == key) else {
            return;
        };
        let cell = setting.value.clone();
        let message = format!("`{key}` = `{}` is not {expected}", cell.text);
        self.bad(&cell, message, None);
    }

    /// The value cell of `key`, if the table has one (no problem if not).
    pub(super) fn optional(&mut self, key: &'static str) -> Option<Cell> {
        self.take(key)
    }

    fn take(&mut self, key: &'static str) -> Option<Cell> {
        self.asked.push(key);
        let (setting, read) = self.settings.iter_mut().find(|(s, _)| s.key.text == key)?;
        *read = true;
        Some(setting.value.clone())
    }

    fn bad(&mut self, cell: &Cell, message: String, hint: Option<String>) {
        match hint {
            Some(h) => self.d.error_hint(&cell.loc, DiagKind::BadValue, message, h),
            None => self.d.error(&cell.loc, DiagKind::BadValue, message),
        }
    }

    /// Non-empty text.
    pub(super) fn text(&mut self, key: &'static str, meaning: &str) -> String {
        let Some(cell) = self.cell(key, meaning) else {
            return String::new();
        };
        if cell.text.is_empty() {
            self.bad(
                &cell,
                format!("`{key}` is empty"),
                Some(meaning.to_string()),
            );
        }
        cell.text
    }

    /// An XML name (`Fail`).
    pub(super) fn xml_name(&mut self, key: &'static str, meaning: &str) -> String {
        let Some(cell) = self.cell(key, meaning) else {
            return String::new();
        };
        if !is_xml_name(&cell.text) {
            let message = format!("`{key}` = `{}` is not an XML name", cell.text);
            self.bad(
                &cell,
                message,
                Some("a letter or `_`, then letters, digits, `_`, `-` or `.`".into()),
            );
        }
        cell.text
    }

    /// The path of a URL (`/a/b`).
    pub(super) fn url_path(&mut self, key: &'static str, meaning: &str) -> String {
        let Some(cell) = self.cell(key, meaning) else {
            return String::new();
        };
        let ok = cell.text.starts_with('/')
            && cell
                .text
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '?' | '#' | '%'));
        if !ok {
            let message = format!("`{key}` = `{}` is not a URL path", cell.text);
            self.bad(
                &cell,
                message,
                Some("start it with `/`; no spaces, `?`, `#` or `%`".into()),
            );
        }
        cell.text
    }

    /// A whole number from `min` to `max`.
    pub(super) fn number<T: TryFrom<u64> + Default>(
        &mut self,
        key: &'static str,
        meaning: &str,
        min: u64,
        max: u64,
    ) -> T {
        let Some(cell) = self.cell(key, meaning) else {
            return T::default();
        };
        match cell.text.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => T::try_from(n).unwrap_or_default(),
            _ => {
                let message = format!(
                    "`{key}` = `{}` is not a whole number from {min} to {max}",
                    cell.text
                );
                self.bad(&cell, message, Some(meaning.to_string()));
                T::default()
            }
        }
    }

    /// One of `allowed`.
    pub(super) fn one_of(&mut self, key: &'static str, meaning: &str, allowed: &[&str]) -> String {
        let Some(cell) = self.cell(key, meaning) else {
            return String::new();
        };
        if !allowed.contains(&cell.text.as_str()) {
            let hint = did_you_mean(&cell.text, allowed.iter().copied())
                .unwrap_or_else(|| format!("`{key}` is one of: {}", allowed.join(", ")));
            let message = format!("`{key}` = `{}` is not a value the runtime knows", cell.text);
            self.bad(&cell, message, Some(hint));
        }
        cell.text
    }

    /// Every row whose key is `prefix` followed by something (`results:` and a query's element), as
    /// (that something, the key cell, the value cell).
    pub(super) fn prefixed(&mut self, prefix: &'static str) -> Vec<(String, Cell, Cell)> {
        self.asked.push(prefix);
        let mut out = Vec::new();
        for (s, read) in &mut self.settings {
            if let Some(rest) = s.key.text.strip_prefix(prefix) {
                *read = true;
                out.push((rest.to_string(), s.key.clone(), s.value.clone()));
            }
        }
        out
    }

    /// Reports every row no one asked for.
    pub(super) fn finish(self) {
        for (s, read) in &self.settings {
            if *read {
                continue;
            }
            let hint = did_you_mean(&s.key.text, self.asked.iter().copied()).unwrap_or_else(|| {
                let mut keys = self.asked.clone();
                keys.sort_unstable();
                format!("{} keys: {}", self.owner, keys.join(", "))
            });
            self.d.error_hint(
                &s.key.loc,
                DiagKind::BadValue,
                format!("unknown {} key `{}`", self.table, s.key.text),
                hint,
            );
        }
    }
}

/// The items of a comma-separated list cell, each with its own place.
pub(super) fn list_items(cell: &Cell) -> Vec<Cell> {
    split_list(&cell.text)
        .into_iter()
        .map(|item| {
            let at = cell.text.find(item.as_str()).unwrap_or(0);
            let col = cell.loc.col + u32::try_from(cell.text[..at].chars().count()).unwrap_or(0);
            Cell {
                loc: Loc::new(&cell.loc.file, cell.loc.line, col),
                text: item,
            }
        })
        .collect()
}
