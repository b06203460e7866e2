//! `mou` assembles School Resource Officer agreements from a TOML profile and a
//! versioned clause library. The binary in `main.rs` is a thin shell over this crate.
// A `Diagnostic` is the error of most stages by design: it carries its file, position,
// message, help, the line it points at and its profile, so it is larger than clippy's
// threshold for an `Err`. Errors are the rare path; boxing every one would only move
// the allocation.
#![allow(clippy::result_large_err)]

pub mod assemble;
pub mod batch;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod date;
pub mod deviations;
pub mod diag;
pub mod diff;
pub mod discover;
pub mod document;
pub mod exhibits;
pub mod failure;
pub mod hash;
pub mod ids;
pub mod incremental;
pub mod library;
pub mod lifecycle;
pub mod lock;
pub mod manifest;
pub mod profile;
pub mod project;
pub mod render;
pub mod report;
pub mod resolve;
pub mod review;
pub mod serve;
pub mod source;
pub mod template;
pub mod watch;
pub mod write;

// Test helpers shared with the integration tests name the crate `mou` (see
// `tests/fixtures/pdf/fixture.rs`).
#[cfg(test)]
extern crate self as mou;
