//! Names and cell text: identifiers, kebab-case, comma lists, matrix labels, variant names.

/// `n` as a `u32` (a line or column), saturating.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Split a matrix label `Name – Container Container` into (container, name).
pub(super) fn cell_name(text: &str) -> (Option<&str>, &str) {
    for sep in [" – ", " - ", " — "] {
        if let Some((name, rest)) = text.split_once(sep) {
            let c = rest.trim();
            let c = c.strip_suffix("Container").map_or(c, str::trim);
            return (Some(c), name.trim());
        }
    }
    (None, text.trim())
}

pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(super) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An XML element or attribute name (ASCII): a letter or `_`, then letters, digits, `_`, `-`
/// or `.`.
pub(super) fn is_xml_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A Rust variant name from a wire value: `Akixi 1000` → `Akixi1000`, `en_GB` → `EnGb`,
/// `Device|Create` → `DeviceCreate`.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            // Keep inner capitals (`ACDAgent`), but fold all-caps suffixes of locale codes (`GB` → `Gb`).
            let rest: String = chars.collect();
            if word.len() <= 3 && rest.chars().all(|c| c.is_ascii_uppercase()) {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("Akixi 1000"), "Akixi1000");
        assert_eq!(variant_name("en_GB"), "EnGb");
        assert_eq!(variant_name("Device|Create"), "DeviceCreate");
        assert_eq!(variant_name("ACDAgent|Read"), "ACDAgentRead");
        assert_eq!(variant_name("CME|Read"), "CmeRead");
        assert_eq!(variant_name("v333"), "V333");
        assert_eq!(variant_name("333"), "V333");
        assert_eq!(variant_name("|"), "");
    }

    #[test]
    fn matrix_labels() {
        assert_eq!(
            cell_name("TelSysID – Scope Container"),
            (Some("Scope"), "TelSysID")
        );
        assert_eq!(cell_name("Admin"), (None, "Admin"));
    }
}
