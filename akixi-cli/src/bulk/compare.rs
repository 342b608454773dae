//! Values compared as the service means them, by their property's kind in the spec: Booleans
//! by meaning (`True`, `true`, `1`, … as the spec spells them), integers by number, comma lists
//! as sets (permission tokens in any order), selector keywords by keyword; text exactly (trimmed).

use akixi_client::akixi::BOOLEAN_SPELLINGS;
use akixi_client::runtime::akixi_ws::{PropertyInfo, ValueKind};
use akixi_client::value::list_items;

/// Whether `a` and `b` are the same value of `p`.
pub fn same(p: &PropertyInfo, a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b {
        return true;
    }
    match p.kind {
        ValueKind::Boolean => match (boolean(a), boolean(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
        ValueKind::Integer { .. } => match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
        ValueKind::List => tokens(a) == tokens(b),
        ValueKind::Selector => {
            // Keywords compare without regard to case; numbers as the text they are.
            p.values
                .iter()
                .any(|k| k.eq_ignore_ascii_case(a) && k.eq_ignore_ascii_case(b))
        }
        ValueKind::String | ValueKind::Enum | ValueKind::Secret => false,
    }
}

/// A Boolean as the spec spells it, in any case.
pub fn boolean(v: &str) -> Option<bool> {
    BOOLEAN_SPELLINGS
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(v))
        .map(|(_, b)| *b)
}

/// The tokens of a comma list, sorted and without repeats.
fn tokens(v: &str) -> Vec<&str> {
    let mut t: Vec<&str> = list_items(v).collect();
    t.sort_unstable();
    t.dedup();
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use akixi_client::akixi::OPERATIONS;

    fn property(kind: fn(&ValueKind) -> bool) -> &'static PropertyInfo {
        OPERATIONS
            .iter()
            .flat_map(|o| o.fields.iter().map(|f| f.property))
            .find(|p| kind(&p.kind))
            .expect("the spec has one")
    }

    #[test]
    fn each_kind_compares_by_meaning() {
        let boolean = property(|k| *k == ValueKind::Boolean);
        assert!(same(boolean, "True", "true"));
        assert!(!same(boolean, "True", "False"));
        let integer = property(|k| matches!(k, ValueKind::Integer { .. }));
        assert!(same(integer, "007", "7"));
        assert!(!same(integer, "7", "8"));
        let list = property(|k| *k == ValueKind::List);
        assert!(same(list, "B|Read, A|Read", "A|Read,B|Read"));
        assert!(!same(list, "A|Read", "A|Read,B|Read"));
        let text = property(|k| *k == ValueKind::String);
        assert!(same(text, " x ", "x"));
        assert!(!same(text, "X", "x"));
    }
}
