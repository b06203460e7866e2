//! The one style sheet, inline so the file is self-contained: the system's serif
//! faces (no web fonts, no requests), colours that pass WCAG AA contrast by a wide
//! margin, changes and blanks that read without colour, and a print style for US
//! Letter with the PDF's one-inch margins. Only the running head and the draft mark
//! depend on the document.

use super::escape::css_string;
use crate::document::Document;

/// Appends the `<style>` element.
pub fn push_style(out: &mut String, doc: &Document) {
    out.push_str("<style>\n");
    out.push_str(SHEET);
    if doc.draft {
        // Fixed content repeats on every printed page: the watermark of a draft.
        out.push_str("@media print {\n");
        out.push_str(watermark());
        out.push_str("}\n");
    }
    // Margin boxes: Chromium 131+ and print engines such as WeasyPrint set them;
    // other browsers ignore them and print their own header and footer.
    out.push_str("@page {\n  size: letter;\n  margin: 1in;\n");
    let head = if doc.short_title.trim().is_empty() {
        &doc.title
    } else {
        &doc.short_title
    };
    if !head.trim().is_empty() {
        out.push_str("  @top-left { content: ");
        out.push_str(&css_string(head));
        out.push_str("; font: 9pt Georgia, serif; color: #444; }\n");
    }
    if doc.draft {
        out.push_str(
            "  @top-right { content: \"DRAFT\"; font: bold 9pt Georgia, serif; color: #8a1c00; }\n",
        );
    }
    out.push_str(
        "  @bottom-center { content: \"Page \" counter(page) \" of \" counter(pages); font: 9pt Georgia, serif; color: #444; }\n}\n",
    );
    out.push_str("</style>\n");
}

fn watermark() -> &'static str {
    "  body.draft::before { content: \"DRAFT\"; position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 96pt; font-weight: bold; color: rgba(138, 28, 0, 0.12); transform: rotate(-30deg); z-index: -1; }\n"
}

const SHEET: &str = r#":root { color: #1b1b1b; background: #fff; }
body { font: 1.0625rem/1.55 Georgia, "Times New Roman", Times, serif; max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
a { color: #1d4f91; }
a:focus-visible, main:focus-visible { outline: 3px solid #1d4f91; outline-offset: 2px; }
.skip { position: absolute; left: 0.5rem; top: -10rem; background: #fff; padding: 0.5rem 0.75rem; border: 2px solid #1d4f91; }
.skip:focus { top: 0.5rem; }
.sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
header { text-align: center; margin: 2rem 0 1.5rem; }
h1 { font-size: 1.6rem; text-transform: uppercase; letter-spacing: 0.03em; margin: 0 0 0.75rem; }
.subtitle, .dated { margin: 0.25rem 0; text-align: center; }
.draft-banner { display: inline-block; border: 2px solid #8a1c00; color: #8a1c00; background: #fff6f0; padding: 0.25rem 0.75rem; margin: 0 0 1rem; }
nav { border-top: 1px solid #767676; border-bottom: 1px solid #767676; margin: 1rem 0 2rem; padding: 0.5rem 0; }
nav h2 { font-size: 1rem; text-transform: uppercase; letter-spacing: 0.05em; margin: 0.5rem 0; }
nav ol { list-style: none; padding: 0; margin: 0; columns: 2 18rem; }
nav li { margin: 0 0 0.3rem; break-inside: avoid; }
h2 { font-size: 1.15rem; text-align: center; text-transform: uppercase; letter-spacing: 0.03em; margin: 2.25rem 0 1rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.25rem 0 0.5rem; }
p { margin: 0 0 0.85rem; text-align: justify; hyphens: auto; }
li > p { margin: 0 0 0.35rem; }
ol, ul { margin: 0 0 0.85rem; padding-left: 2rem; }
blockquote { margin: 0 0 0.85rem 1.5rem; padding-left: 1rem; border-left: 3px solid #767676; }
hr { border: 0; border-top: 1px solid #767676; margin: 1.5rem 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #767676; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
thead th { background: #eef1f5; }
tbody th { font-weight: normal; }
.r { text-align: right; font-variant-numeric: tabular-nums; }
.c { text-align: center; }
.blank { white-space: nowrap; }
ins { text-decoration: underline; text-decoration-thickness: 2px; color: #0a5a22; background: #eaf6ec; }
del { text-decoration: line-through; text-decoration-thickness: 2px; color: #8f1414; background: #fbeeee; }
.legend { border: 1px solid #767676; padding: 0.25rem 1rem; margin: 0 0 2rem; }
.legend h2 { margin: 0.75rem 0; }
.note { border: 2px dashed #5c4a00; background: #fffbea; padding: 0.5rem 1rem; margin: 0 0 1rem; }
.note-label { font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em; font-size: 0.9rem; margin: 0 0 0.35rem; }
.signatures { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 2rem 3rem; margin: 2rem 0; }
.sig { break-inside: avoid; }
.sig .party { font-weight: bold; text-align: left; margin-bottom: 1.25rem; }
.sig dl { display: grid; grid-template-columns: auto 1fr; gap: 0.6rem 0.5rem; margin: 0; }
.sig dl div { display: contents; }
.sig dt { align-self: end; }
.sig dt::after { content: ":"; }
.sig dd { margin: 0; }
.sig .line { border-bottom: 1px solid #1b1b1b; min-height: 2.25rem; }
.exhibit { margin-top: 3rem; }
footer { border-top: 1px solid #767676; margin-top: 3rem; padding-top: 0.5rem; font-size: 0.9rem; color: #444; }
@media print {
  body { font-size: 11.5pt; max-width: none; margin: 0; padding: 0; }
  .skip, nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  p, li { orphans: 2; widows: 2; }
  table, tr, .signatures, .sig, .note { break-inside: avoid; }
  .exhibit { break-before: page; margin-top: 0; }
  footer { display: none; }
  thead th { background: none; }
  ins, del { background: none; }
}
"#;
