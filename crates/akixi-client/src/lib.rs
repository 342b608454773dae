//! Typed async client for the Akixi Service Web Services API.
#![deny(missing_docs)]
