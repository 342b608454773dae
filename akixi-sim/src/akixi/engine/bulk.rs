//! A `bulk-add` operation, for any family: the CSV text its one required input holds (a header
//! of property paths, `Container.Name` inside a container, then a row per entity) is added row
//! by row through the family's own add, so each row meets every check a single add meets. The
//! operation's other inputs apply to every row that leaves them empty. The answer is `Success`
//! when every row was added, `PartialFail` with one error per refused row when some were, and
//! `Fail` with the first refusal when none was.

use akixi_client::akixi_ws::Extra;
use akixi_client::runtime::akixi_ws::{Condition, InputUse, OpKind, OperationInfo};

use super::respond::{Ctx, Failure, Outcome};
use super::state::Engine;
use crate::akixi::catalog::FamilyModel;

/// Rows beyond this are refused: one request should not hold the simulator's write lock for
/// long, and a real service bounds its uploads too.
pub(crate) const MAX_ROWS: usize = 10_000;

impl Engine {
    pub(super) fn bulk_add(&self, ctx: &Ctx<'_>, fam: &FamilyModel, op: &OperationInfo) -> Outcome {
        self.caller(ctx, fam, OpKind::BulkAdd)?;
        let add = fam.op(OpKind::Add).ok_or_else(|| {
            Failure::new(
                Condition::UnknownOperation,
                format!("{} has no add operation to add rows with", fam.name()),
            )
        })?;
        let input = self.read_input(fam, op, ctx.payload)?;
        let csv_field = op
            .fields
            .iter()
            .find(|f| f.input == Some(InputUse::Required))
            .and_then(|f| fam.id_of(f.property))
            .ok_or_else(|| {
                Failure::new(
                    Condition::InternalError,
                    format!("{} takes no CSV property", op.name),
                )
            })?;
        let text = input.value(csv_field).unwrap_or_default();
        let shared: Vec<(String, &str)> = input
            .fields
            .iter()
            .filter(|(id, _)| *id != csv_field)
            .map(|(id, v)| (fam.path(*id), &**v))
            .collect();
        let rows = parse_rows(text)
            .map_err(|message| Failure::of(Condition::BadPropertyValue, fam.id, message))?;

        let mut refused: Vec<(usize, Failure)> = Vec::new();
        for (line, row) in &rows {
            let mut cells: Vec<(&str, &str)> = row
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            for (path, value) in &shared {
                if !cells.iter().any(|(k, _)| k == path) {
                    cells.push((path, value));
                }
            }
            let payload = payload_of(&cells);
            let row_ctx = Ctx {
                operation: add.name,
                invoke_id: ctx.invoke_id,
                session_id: ctx.session_id,
                offset: None,
                limit: None,
                payload: Some(&payload),
                peer: ctx.peer,
            };
            if let Err(f) = self.add(&row_ctx, fam, add) {
                refused.push((*line, f));
            }
        }
        if refused.len() == rows.len() && !refused.is_empty() {
            let (line, first) = refused.swap_remove(0);
            return Err(Failure {
                message: format!("line {line}: {}", first.message).into(),
                ..first
            });
        }
        let errors: Vec<(u32, String)> = refused
            .iter()
            .map(|(line, f)| {
                (
                    self.catalog.code(f.condition, f.family),
                    format!("line {line}: {}", f.message),
                )
            })
            .collect();
        let w = super::entities::answer(&self.catalog, ctx, &errors);
        Ok(super::entities::finish(w, &errors))
    }
}

/// A CSV row: its line, and `(property path, value)` per column.
type Row = (usize, Vec<(String, String)>);

/// The CSV's rows; a problem as a message naming its line.
fn parse_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the CSV's header cannot be read: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    if header.iter().all(String::is_empty) {
        return Err("the CSV has no header row naming properties".to_owned());
    }
    let mut rows = Vec::new();
    // Lines as an editor counts them: the line feeds before the record's first byte. (The csv
    // crate places a record that follows a CRLF at its line feed, one line early.)
    let bytes = text.as_bytes();
    let (mut counted_to, mut line_feeds) = (0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| format!("the CSV cannot be read: {e}"))?;
        if rows.len() == MAX_ROWS {
            return Err(format!("the CSV has more than {MAX_ROWS} rows"));
        }
        let line = match record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
        {
            Some(mut start) => {
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                let start = start.min(bytes.len()).max(counted_to);
                line_feeds += line_feeds_in(&bytes[counted_to..start]);
                counted_to = start;
                line_feeds + 1
            }
            None => rows.len() + 2,
        };
        let cells = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push((line, cells));
    }
    if rows.is_empty() {
        return Err("the CSV has no rows".to_owned());
    }
    Ok(rows)
}

/// A payload as a single add would send it: top-level properties, then each container's.
fn payload_of(cells: &[(&str, &str)]) -> Extra {
    let mut payload = Extra::default();
    let mut containers: Vec<(&str, Extra)> = Vec::new();
    for (path, value) in cells {
        match path.split_once('.') {
            None => payload.push_property(*path, *value),
            Some((container, name)) => match containers.iter_mut().find(|(c, _)| c == &container) {
                Some((_, items)) => items.push_property(name, *value),
                None => {
                    let mut items = Extra::default();
                    items.push_property(name, *value);
                    containers.push((container, items));
                }
            },
        }
    }
    for (name, items) in containers {
        payload.push_container(Some(name.to_owned()), items);
    }
    payload
}

/// How many line feeds `bytes` holds.
fn line_feeds_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::parse_rows;

    fn lines(text: &str) -> Vec<usize> {
        parse_rows(text)
            .expect("rows")
            .into_iter()
            .map(|(line, _)| line)
            .collect()
    }

    #[test]
    fn rows_are_placed_at_the_lines_an_editor_shows_whatever_the_line_ends() {
        let lf = "A,B\n1,2\n\"x\ny\",3\n4,5\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines(lf), [2, 3, 5]);
        assert_eq!(lines(&crlf), [2, 3, 5]);
    }
}
