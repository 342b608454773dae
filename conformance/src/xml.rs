//! Documents compared by meaning: one item per element start, end or text; comments,
//! processing instructions, declarations and whitespace between elements dropped; text
//! trimmed with runs of whitespace folded (the documentation wraps long values); attributes
//! sorted; spellings the spec documents as aliases (`Defaultlang`) read as their names.

use quick_xml::events::Event;

/// The canonical items of `xml`, or why it is not XML.
pub(crate) fn canonical(xml: &str, aliases: &[(String, String)]) -> Result<Vec<String>, String> {
    let alias = |s: String| {
        aliases
            .iter()
            .find(|(a, _)| *a == s)
            .map_or(s, |(_, name)| name.clone())
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                let (Event::Start(e) | Event::Empty(e)) = &ev else {
                    continue;
                };
                let name = e.name().as_ref().to_string();
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let k = a.key.as_ref().to_string();
                        let v = alias(a.value.as_ref().trim().to_owned());
                        format!("{k}={v:?}")
                    })
                    .collect();
                attrs.sort();
                out.push(format!("<{name} {}>", attrs.join(" ")));
                if matches!(ev, Event::Empty(_)) {
                    out.push(format!("</{name}>"));
                }
            }
            Ok(Event::End(e)) => {
                out.push(format!("</{}>", e.name().as_ref()));
            }
            Ok(Event::Text(t)) => {
                let raw: &str = &t;
                let folded = fold(raw);
                if !folded.is_empty() {
                    out.push(format!("text {folded:?}"));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                out.push(format!("ref {:?}", &*r));
            }
            Ok(Event::CData(c)) => {
                let raw: &str = &c;
                out.push(format!("text {:?}", fold(raw)));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("not XML: {e}")),
        }
    }
    Ok(merge_empty(out))
}

/// `<a>` `</a>` with nothing between, whether written `<a/>` or `<a></a>`, is one item.
fn merge_empty(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if let Some(name) = item.strip_prefix("</").and_then(|n| n.strip_suffix('>'))
            && let Some(last) = out.last()
            && last.starts_with(&format!("<{name} "))
        {
            let open = out.pop().unwrap_or_default();
            out.push(format!("{}/>", open.trim_end_matches('>')));
            continue;
        }
        out.push(item);
    }
    out
}

fn fold(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(", ", ",")
        .replace(" ,", ",")
}

/// Compares two documents by meaning; `Err` names the first difference.
pub(crate) fn same(
    ours: &str,
    documented: &str,
    aliases: &[(String, String)],
) -> Result<(), String> {
    let a = canonical(ours, aliases).map_err(|e| format!("ours: {e}"))?;
    let b = canonical(documented, aliases).map_err(|e| format!("documented: {e}"))?;
    if a == b {
        return Ok(());
    }
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    Err(format!(
        "differs at item {i}: ours {:?}, documented {:?} (ours: {ours})",
        a.get(i),
        b.get(i)
    ))
}
