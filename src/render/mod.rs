//! Writers: each turns a [`crate::document::Document`] into the bytes of one format.

pub mod docx;
pub mod markdown;

use crate::cli::{Format, PdfStandardArg};
use crate::document::Document;

/// What writers need beyond the document: nothing here may come from the clock.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Date stamped into files that carry one (PDF, DOCX).
    pub date: Option<(i32, u8, u8)>,
    pub pdf_standard: PdfStandardArg,
}

pub fn render(doc: &Document, format: Format, opts: &RenderOptions) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Md => Ok(markdown::render(doc).into_bytes()),
        Format::Pdf => anyhow::bail!("the PDF writer is not built yet"),
        Format::Docx => docx::render(doc, opts),
    }
}
