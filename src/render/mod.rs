//! Writers: each turns a [`crate::document::Document`] into the bytes of one format.

pub mod deflate;
pub mod docx;
pub mod markdown;
pub mod pdf;

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
        Format::Pdf => pdf::render(
            doc,
            &pdf::PdfOptions {
                standard: match opts.pdf_standard {
                    PdfStandardArg::Ua1 => pdf::PdfStandard::Ua1,
                    PdfStandardArg::A2b => pdf::PdfStandard::A2b,
                },
                producer: format!("mou {}", env!("CARGO_PKG_VERSION")),
                date: opts.date,
            },
        ),
        Format::Docx => docx::render(doc, opts),
    }
}
