//! Proc macro that turns the akixi spec into typed Rust (see `akixi-schema` for the generator).
