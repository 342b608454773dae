//! Baselines for the codec benchmark: the plain model, fixtures, the floor (`scan`: every
//! quick-xml event, nothing built), three codecs over the model (hand-written quick-xml,
//! quick-xml serde, the akixi-ws runtime) and the generated codec. Also compiled into
//! `tests/codec_baselines.rs`, which checks that all three agree on every fixture.
#![allow(dead_code)]

pub mod fixtures;
pub mod generated;
pub mod handwritten;
pub mod model;
pub mod runtime;
pub mod scan;
pub mod seed;
pub mod serde_xml;
