//! The PDF writer: US Letter pages set in Liberation Serif, tagged for PDF/UA-1.
//!
//! [`layout`] turns a [`Document`] into pages of positioned lines and rules, the
//! [`model`] (pure and testable); [`emit`] writes them with pdf-writer ([`content`] the
//! page streams, [`embed`] the font subsets, [`tags`] the structure tree); [`fonts`]
//! holds the faces.

pub mod content;
pub mod embed;
pub mod emit;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod tags;
pub mod text;

/// The fixture agreement the unit tests lay out and emit: test code, kept beside the
/// integration tests that share it.
#[cfg(test)]
#[path = "../../../tests/fixtures/pdf/fixture.rs"]
mod fixture;

use crate::document::Document;

/// The conformance level to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible, tagged). The default.
    #[default]
    Ua1,
    /// PDF/A-2b (archival), combined with PDF/UA-1. Needs [`PdfOptions::date`].
    A2b,
}

/// How to write the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    pub standard: PdfStandard,
    /// The producer recorded in the metadata, e.g. `mou 0.1.0`.
    pub producer: String,
    /// Creation date (year, month, day), from `SOURCE_DATE_EPOCH` or the agreement
    /// date; never the clock.
    pub date: Option<crate::date::Date>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            standard: PdfStandard::default(),
            producer: concat!("mou ", env!("CARGO_PKG_VERSION")).to_string(),
            date: None,
        }
    }
}

/// Render `doc` as a PDF.
pub fn render(doc: &Document, opts: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    let mut layout = layout::layout(doc);
    if doc.has_changes() {
        layout::add_change_bars(&mut layout);
    }
    emit::emit(&layout, doc, opts)
}
