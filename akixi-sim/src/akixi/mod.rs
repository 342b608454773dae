//! The Akixi Service Web Services API, simulated: the engine that answers requests
//! ([`engine`]), the model it reads from the spec ([`model`]), the world it keeps
//! ([`world`]), the demo data a new world starts with ([`seed`]), and password hashing
//! ([`secrets`]).

pub(crate) mod engine;
pub(crate) mod model;
pub(crate) mod secrets;
pub mod seed;
pub(crate) mod world;
