//! The Akixi Service Web Services API, simulated: the engine that answers requests
//! ([`engine`]), the catalog it reads from the spec ([`catalog`]), the world it keeps
//! ([`world`]), the demo data a new world starts with ([`seed`]), password hashing and random
//! tokens ([`secrets`]), the sign-in throttle ([`throttle`]), and the REST/JSON front of the same
//! engine ([`rest`]) with its API keys ([`api_keys`]).

pub(crate) mod api_keys;
pub(crate) mod catalog;
pub(crate) mod engine;
pub(crate) mod rest;
pub(crate) mod secrets;
pub mod seed;
pub(crate) mod throttle;
pub(crate) mod world;
