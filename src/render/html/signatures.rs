//! Signature blocks: each a group named for whose signature it is, its lines a
//! definition list (By, Name, Title, Date), an empty line drawn as a rule and told to
//! a screen reader in words. Printed, a block never splits across pages.

use super::blocks::Ctx;
use super::escape::push;
use crate::document::Signatory;
use std::fmt::Write;

pub fn push_signatures(out: &mut String, sigs: &[Signatory], cx: &mut Ctx) {
    out.push_str("<div class=\"signatures\">\n");
    for sig in sigs {
        *cx.signatures += 1;
        let id = format!("sig-{}", cx.signatures);
        let _ = writeln!(
            out,
            "<div class=\"sig\" role=\"group\" aria-labelledby=\"{id}\">"
        );
        let _ = write!(out, "<p class=\"party\" id=\"{id}\">");
        if let Some(heading) = sig.role.heading() {
            push(out, heading);
            out.push_str("<br>\n");
        }
        push(out, &sig.party);
        out.push_str("</p>\n");
        if let Some(statement) = &sig.statement {
            out.push_str("<p class=\"statement\">");
            push(out, statement);
            out.push_str("</p>\n");
        }
        out.push_str("<dl>\n");
        out.push_str(
            "<div><dt>By</dt><dd class=\"line\"><span class=\"sr\">signature line, blank</span></dd></div>\n",
        );
        field(out, "Name", Some(&sig.name), "name");
        field(out, "Title", Some(&sig.title), "title");
        field(out, "Date", sig.date.as_deref(), "date of signing");
        out.push_str("</dl>\n</div>\n");
    }
    out.push_str("</div>\n");
}

/// One line of a block: its value, or a line to write on.
fn field(out: &mut String, label: &str, value: Option<&str>, blank: &str) {
    let _ = write!(out, "<div><dt>{label}</dt>");
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => {
            out.push_str("<dd>");
            push(out, v);
            out.push_str("</dd>");
        }
        None => {
            let _ = write!(
                out,
                "<dd class=\"line\"><span class=\"sr\">{blank}, blank</span></dd>"
            );
        }
    }
    out.push_str("</div>\n");
}
