//! `mou` assembles School Resource Officer agreements from a TOML profile and a
//! versioned clause library. The binary in `main.rs` is a thin shell over this crate.

pub mod document;
pub mod render;
