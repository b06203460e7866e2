//! Writers: each turns a [`Document`] into the bytes of one format.
//!
//! Formats are one table ([`WRITERS`]), as pandoc's writer list or mdBook's renderers:
//! the command line, the batch, `diff` and the manifest all go through it, so a new
//! format is one module with a [`Writer`] and one row here. Nothing under `render/`
//! knows about the command line; `cmd/` turns arguments into [`WriteOptions`].
use crate::check::codes;

pub mod deflate;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;

use crate::document::Document;
use std::fmt;

pub use pdf::PdfStandard;

/// What writers need beyond the document: nothing here may come from the clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Date stamped into files that carry one (PDF, DOCX).
    pub date: Option<crate::date::Date>,
    pub pdf_standard: PdfStandard,
    /// PDF: white anchor strings at the signature lines for e-signature services
    /// (`--esign-anchors`).
    pub esign_anchors: bool,
}

/// One output format.
pub trait Writer: Sync {
    /// The name users give to `-f` (lower case).
    fn name(&self) -> &'static str;
    /// The file extension, without the dot.
    fn extension(&self) -> &'static str;
    /// Whether the bytes are text a terminal or a pipe can take (`mou diff` without
    /// `-o`); binary formats need an output file.
    fn to_stdout(&self) -> bool {
        false
    }
    fn write(&self, doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>>;
}

struct Markdown;

impl Writer for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }
    fn extension(&self) -> &'static str {
        "md"
    }
    fn to_stdout(&self) -> bool {
        true
    }
    fn write(&self, doc: &Document, _: &WriteOptions) -> anyhow::Result<Vec<u8>> {
        Ok(markdown::render(doc).into_bytes())
    }
}

struct Pdf;

impl Writer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn write(&self, doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>> {
        pdf::render(
            doc,
            &pdf::PdfOptions {
                standard: opts.pdf_standard,
                producer: format!("mou {}", env!("CARGO_PKG_VERSION")),
                date: opts.date,
                esign_anchors: opts.esign_anchors,
            },
        )
    }
}

struct Docx;

impl Writer for Docx {
    fn name(&self) -> &'static str {
        "docx"
    }
    fn extension(&self) -> &'static str {
        "docx"
    }
    fn write(&self, doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>> {
        docx::render(doc, opts)
    }
}

struct Html;

impl Writer for Html {
    fn name(&self) -> &'static str {
        "html"
    }
    fn extension(&self) -> &'static str {
        "html"
    }
    fn to_stdout(&self) -> bool {
        true
    }
    fn write(&self, doc: &Document, _: &WriteOptions) -> anyhow::Result<Vec<u8>> {
        Ok(html::render(doc).into_bytes())
    }
}

/// Every format, in the order help text and `-f` lists them.
pub static WRITERS: &[&dyn Writer] = &[&Markdown, &Pdf, &Docx, &Html];

/// A format of [`WRITERS`], by its place in the table: cheap to copy, ordered and
/// comparable, so a list of formats can be sorted and deduplicated.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Format(usize);

impl Format {
    /// The built-in formats, by their rows in [`WRITERS`] (checked by a test).
    pub const MD: Format = Format(0);
    pub const PDF: Format = Format(1);
    pub const DOCX: Format = Format(2);
    pub const HTML: Format = Format(3);

    /// The format named `name` (case does not matter: `-f PDF` is `-f pdf`).
    pub fn from_name(name: &str) -> Option<Format> {
        WRITERS
            .iter()
            .position(|w| w.name().eq_ignore_ascii_case(name.trim()))
            .map(Format)
    }

    /// Every format.
    pub fn all() -> impl Iterator<Item = Format> {
        (0..WRITERS.len()).map(Format)
    }

    pub fn writer(self) -> &'static dyn Writer {
        WRITERS[self.0]
    }

    pub fn name(self) -> &'static str {
        self.writer().name()
    }

    pub fn extension(self) -> &'static str {
        self.writer().extension()
    }

    pub fn write(self, doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>> {
        self.writer().write(doc, opts)
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The diagnostic for a writer's failure on the agreement of profile `file`: E0403,
/// placed at the profile value that holds them when it does, for characters the PDF
/// cannot set ([`pdf::Unprintable`]); E0401 for anything else.
pub fn write_diagnostic(
    format: Format,
    e: &anyhow::Error,
    file: &std::path::Path,
    source: &str,
) -> crate::diag::Diagnostic {
    use crate::diag::Diagnostic;
    let what = format!("cannot write {}", format.extension());
    let Some(u) = e.downcast_ref::<pdf::Unprintable>() else {
        return Diagnostic::error(codes::E0401, file, format!("{what}: {e:#}"));
    };
    let d = Diagnostic::error(codes::E0403, file, format!("{what}: {u}")).with_help(
        "write the value in Latin script, or build this agreement with -f md,docx, whose readers have fonts for it",
    );
    // The word as printed, else its first character, as written in the profile.
    let at = u
        .excerpts()
        .flat_map(|x| x.split_whitespace())
        .filter(|w| {
            w.chars()
                .any(|c| u.missing.contains(&c) || u.right_to_left.contains(&c))
        })
        .find_map(|w| source.find(w))
        .or_else(|| {
            u.missing
                .iter()
                .chain(&u.right_to_left)
                .find_map(|c| source.find(*c))
        });
    match at {
        Some(at) => d.at_offset(source, at),
        None => d,
    }
}

/// The names `-f` accepts, for help and errors: `md, pdf, docx, html`.
pub fn format_names() -> String {
    WRITERS
        .iter()
        .map(|w| w.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_are_unique_and_lower_case() {
        let mut names: Vec<&str> = WRITERS.iter().map(|w| w.name()).collect();
        let mut exts: Vec<&str> = WRITERS.iter().map(|w| w.extension()).collect();
        for n in names.iter().chain(&exts) {
            assert_eq!(*n, n.to_ascii_lowercase());
        }
        names.sort();
        names.dedup();
        exts.sort();
        exts.dedup();
        assert_eq!(names.len(), WRITERS.len());
        assert_eq!(exts.len(), WRITERS.len());
    }

    #[test]
    fn formats_by_name_any_case() {
        assert_eq!(Format::from_name("PDF"), Format::from_name("pdf"));
        assert_eq!(
            Format::from_name("docx").map(Format::extension),
            Some("docx")
        );
        assert!(Format::from_name("odt").is_none());
        assert_eq!(format_names(), "md, pdf, docx, html");
        assert_eq!(Format::MD.name(), "md");
        assert_eq!(Format::PDF.name(), "pdf");
        assert_eq!(Format::DOCX.name(), "docx");
        assert_eq!(Format::HTML.name(), "html");
    }
}
