//! Bulk runs and desired state: reading a file of rows, sending them (`import`, `apply`), and
//! comparing them with what the service holds (`plan`, `apply`, `drift`).
//!
//! The map, bottom up:
//! - reading: [`input`] (a bulk file's text: standard input, BOM, format by content, delimiter,
//!   line numbers) → [`rows`] (rows, each checked as its request, with key and fingerprint);
//! - comparing: [`compare`] (values by meaning) → [`diff`] (making a plan: both sides read and
//!   compared) → [`plan`] (the plan document: what is printed, saved and read back);
//! - sending: [`row_outcome`] (a row's outcome, as the results file writes it) →
//!   [`run_report`] (failures as they happen and by code) and [`breaker`] (a dead service
//!   stops the run) → [`summary`] (what a run came to) → [`results_file`] (the resumable
//!   record) → [`send_row`] (one row: lost answers, existing entries compared) → [`send`] (the
//!   run: steps in flight, progress, Ctrl-C);
//! - commands: [`import`] (`FAMILY import`), [`desired_state`] (`plan`, `apply`, `drift`) with
//!   [`rehearse`] (`--rehearse`: the plan sent to an in-memory copy first).
//!
//! Deleting asks first through `crate::consent` and `crate::cascade`, which single deletes use
//! too; an export's completeness is `crate::export_marker`.

pub mod breaker;
pub mod compare;
pub mod desired_state;
pub mod diff;
pub mod import;
pub mod input;
pub mod plan;
pub mod rehearse;
pub mod results_file;
pub mod row_outcome;
pub mod rows;
pub mod run_report;
pub mod send;
pub mod send_row;
pub mod summary;
