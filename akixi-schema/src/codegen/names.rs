//! Rust names from the vendor's names.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// A field or method name: `PartIDInTelSys` → `part_id_in_tel_sys` (raw if a keyword).
pub fn field_name(name: &str) -> Ident {
    ident(&name.to_snake_case())
}

/// A type or variant name: `cisco-broadworks` → `CiscoBroadworks`.
pub fn type_name(name: &str) -> Ident {
    let mut s = name.to_upper_camel_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    ident(&s)
}

/// An identifier, raw where the text is a keyword.
pub fn ident(s: &str) -> Ident {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{cleaned}")
    } else {
        cleaned
    };
    if syn::parse_str::<Ident>(&cleaned).is_ok() {
        Ident::new(&cleaned, Span::call_site())
    } else if matches!(cleaned.as_str(), "self" | "Self" | "super" | "crate" | "_") {
        Ident::new(&format!("{cleaned}_"), Span::call_site())
    } else {
        Ident::new_raw(&cleaned, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            field_name("PartIDInTelSys").to_string(),
            "part_id_in_tel_sys"
        );
        assert_eq!(
            field_name("CMEnvironmentID").to_string(),
            "cm_environment_id"
        );
        assert_eq!(
            field_name("OmniChannelACDAgent").to_string(),
            "omni_channel_acd_agent"
        );
        assert_eq!(field_name("Type").to_string(), "r#type");
        assert_eq!(type_name("cisco-broadworks").to_string(), "CiscoBroadworks");
        assert_eq!(type_name("hipath3000").to_string(), "Hipath3000");
        assert_eq!(type_name("User").to_string(), "User");
    }
}
