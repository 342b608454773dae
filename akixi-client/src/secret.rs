//! Secrets: passwords, session ids and nonces. They never print: `Debug` and `Display` show
//! `<redacted>`, and the memory is zeroed on drop (secrecy).

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wrap a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(SecretString::from(value.into()))
            }

            /// The secret value. Call this only where the value must leave the process (the
            /// wire) or be checked; never to print it.
            pub fn expose(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                constant_time_eq(self.expose().as_bytes(), other.expose().as_bytes())
            }
        }

        impl Eq for $name {}

        impl From<String> for $name {
            fn from(v: String) -> Self {
                $name::new(v)
            }
        }

        impl From<&str> for $name {
            fn from(v: &str) -> Self {
                $name::new(v)
            }
        }
    };
}

secret_type! {
    /// A password. On the wire it is protected by a [`PasswordEncoder`](crate::runtime::akixi_ws::PasswordEncoder);
    /// a `Password` decoded from a request holds the protected (wire) form.
    Password
}

secret_type! {
    /// A secret token that goes on the wire as it is: a session id, a nonce, an application
    /// certificate.
    Secret
}

/// Compare without an early exit, so timing does not reveal how much of a secret matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let p = Password::new("hunter2");
        let s = Secret::new("EFA4902A7F61D03E42BF3222B0A246BF");
        let shown = format!("{p:?} {p} {s:?} {s} {:?}", (Some(&p), vec![&s]));
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("EFA4902A"));
        assert_eq!(p, Password::new("hunter2"));
        assert_ne!(p, Password::new("hunter3"));
    }
}
