//! The integration tests, linked into one binary (`cargo test` links the crate once,
//! not once per file): one module per area, sharing `common`.

mod common;
/// The ten-page PDF fixture, also used by the library's unit tests and `pdf_speed`.
#[path = "../fixtures/pdf/fixture.rs"]
mod fixture;

mod amend;
mod batch;
mod batch_safety;
mod blanks;
mod calendar;
mod check;
mod cli;
mod control_chars;
mod diff;
mod docx_native;
mod docx_package;
mod docx_readers;
mod exclusions;
mod extends;
mod glyphs;
mod golden;
mod hostile;
mod html;
mod html_axe;
mod includes;
mod incremental;
mod kill;
mod layers;
mod money;
mod nesting;
mod notes;
mod numbering;
mod oversize;
mod pdf_fields;
mod pdf_links;
mod pdf_render;
mod pdf_tools;
mod pdf_ua;
mod profile_blame;
mod profile_doc;
mod profile_text;
mod props;
mod redline_outline;
mod redline_roundtrip;
mod renew;
mod review;
mod review_fixture;
mod review_hostile;
mod rules;
mod serve;
mod snapshots;
mod watch;
mod wording;
