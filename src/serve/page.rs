//! The pages `mou serve` writes. Every profile value, path and message is escaped
//! here: a profile is untrusted text, and the preview must show it, never run it.

use super::{Page, PageStatus, SiteState};
use crate::document::Document;
use crate::render::{Format, WriteOptions};
use std::fmt::Write as _;

/// Most bytes of a failed agreement's last good Markdown shown from the output folder.
const MAX_SHOWN_OUTPUT: usize = 16 << 20;

const STYLE: &str = "\
.mou-serve{font:15px/1.4 system-ui,sans-serif;background:#f4f4f4;color:#111;\
border-bottom:1px solid #999;padding:.6rem 1rem;margin:0 0 1rem}\
.mou-serve a{color:#0645ad}.mou-serve pre{white-space:pre-wrap;background:#fff;\
border:1px solid #bbb;padding:.5rem;font-size:13px;overflow:auto}\
.mou-serve table{border-collapse:collapse}.mou-serve th,.mou-serve td{text-align:left;\
padding:.25rem .75rem;border-bottom:1px solid #ccc}.mou-serve .failed{color:#a00000;\
font-weight:bold}.mou-preview{max-width:52rem;margin:0 auto;padding:0 1rem}\
.mou-preview pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace}";

/// The index: the library's errors, then each agreement with its status and counts.
pub fn index(st: &SiteState) -> String {
    let mut body = String::from("<main class=\"mou-serve\">\n<h1>Agreements</h1>\n");
    library_errors(st, &mut body);
    if st.pages.is_empty() && st.library.is_empty() {
        body.push_str("<p>Building…</p>\n");
    } else {
        body.push_str(
            "<table>\n<caption>Each agreement as the last rebuild left it</caption>\n\
             <thead><tr><th scope=\"col\">Agreement</th><th scope=\"col\">Profile</th>\
             <th scope=\"col\">Status</th><th scope=\"col\">Errors</th>\
             <th scope=\"col\">Warnings</th></tr></thead>\n<tbody>\n",
        );
        for page in st.pages.values() {
            let (errors, warnings) = counts(page);
            let name = match &page.id {
                Some(id) => format!("<a href=\"/a/{}\">{}</a>", esc(id), esc(id)),
                None => "—".to_string(),
            };
            let _ = writeln!(
                body,
                "<tr><td>{name}</td><td>{}</td><td{}>{}</td><td>{errors}</td><td>{warnings}</td></tr>",
                esc(&page.shown),
                if page.status == PageStatus::Failed {
                    " class=\"failed\""
                } else {
                    ""
                },
                status(page)
            );
        }
        body.push_str("</tbody>\n</table>\n");
    }
    body.push_str("</main>\n");
    shell("mou serve", st.generation, &body)
}

/// One agreement: its status and diagnostics above its preview. `None` when no
/// profile has the id.
pub fn agreement(st: &SiteState, id: &str) -> Option<String> {
    let page = st.pages.values().find(|p| p.id.as_deref() == Some(id))?;
    let mut panel = format!(
        "<nav class=\"mou-serve\" aria-label=\"mou serve\">\n<p><a href=\"/\">All agreements</a> · \
         <strong>{}</strong> ({}) · <span{}>{}</span></p>\n",
        esc(id),
        esc(&page.shown),
        if page.status == PageStatus::Failed {
            " class=\"failed\""
        } else {
            ""
        },
        status(page)
    );
    library_errors(st, &mut panel);
    if page.diagnostics.is_empty() {
        panel.push_str("<p>No errors or warnings.</p>\n");
    } else {
        let _ = writeln!(
            panel,
            "<pre aria-label=\"Diagnostics\">{}</pre>",
            esc(&crate::report::to_text(&page.diagnostics))
        );
    }
    panel.push_str("</nav>\n");
    let last_good = || {
        let file = st.out.join(format!("{id}.md"));
        crate::source::read_text(&file, MAX_SHOWN_OUTPUT).ok()
    };
    let title = format!("{id} — mou serve");
    Some(match &page.document {
        Some(doc) => match preview(doc) {
            Ok(html) => inject(&html, &panel, st.generation),
            Err(e) => shell(
                &title,
                st.generation,
                &format!(
                    "{panel}<main class=\"mou-preview\"><p>The preview cannot be written: {}</p></main>\n",
                    esc(&e)
                ),
            ),
        },
        None => {
            let body = match last_good() {
                Some(md) => format!(
                    "<main class=\"mou-preview\">\n<p>The last good Markdown in the output folder:</p>\n<pre>{}</pre>\n</main>\n",
                    esc(&md)
                ),
                None => "<main class=\"mou-preview\"><p>Nothing built yet.</p></main>\n".into(),
            };
            shell(&title, st.generation, &format!("{panel}{body}"))
        }
    })
}

pub fn not_found(st: &SiteState, what: &str) -> String {
    let body = format!(
        "<main class=\"mou-serve\">\n<h1>Not found</h1>\n<p>No agreement <code>{}</code>. \
         <a href=\"/\">All agreements</a></p>\n</main>\n",
        esc(what)
    );
    shell("Not found — mou serve", st.generation, &body)
}

fn library_errors(st: &SiteState, into: &mut String) {
    if st.library.is_empty() {
        return;
    }
    let _ = writeln!(
        into,
        "<section aria-label=\"Library errors\"><h2 class=\"failed\">The clause library has errors; nothing is rebuilt until they are fixed</h2>\n<pre>{}</pre></section>",
        esc(&crate::report::to_text(&st.library))
    );
}

fn counts(page: &Page) -> (usize, usize) {
    let errors = page.diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, page.diagnostics.len() - errors)
}

fn status(page: &Page) -> &'static str {
    match (page.status, page.document.is_some()) {
        (PageStatus::Pending, _) => "building",
        (PageStatus::Built, _) => "built",
        (PageStatus::UpToDate, _) => "up to date",
        (PageStatus::Failed, true) => "failed: the last good version is shown",
        (PageStatus::Failed, false) => "failed",
    }
}

/// The agreement as the HTML writer writes it, or why it cannot be.
fn preview(doc: &Document) -> Result<String, String> {
    let bytes = Format::HTML
        .write(doc, &WriteOptions::default())
        .map_err(|e| format!("{e:#}"))?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The HTML writer's page with the status panel at the top of its body and the
/// reloader at the end.
fn inject(html: &str, panel: &str, generation: u64) -> String {
    let extra = format!("<style>{STYLE}</style>\n{panel}");
    let at = html
        .find("<body")
        .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + extra.len() + 256);
    out.push_str(&html[..at]);
    out.push_str(&extra);
    let rest = &html[at..];
    match rest.rfind("</body>") {
        Some(end) => {
            out.push_str(&rest[..end]);
            out.push_str(&reloader(generation));
            out.push_str(&rest[end..]);
        }
        None => {
            out.push_str(rest);
            out.push_str(&reloader(generation));
        }
    }
    out
}

fn shell(title: &str, generation: u64, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}{}</body>\n</html>\n",
        esc(title),
        reloader(generation)
    )
}

/// Reloads the page when the event stream sends a rebuild it has not shown.
fn reloader(generation: u64) -> String {
    format!(
        "<script>(function(){{var seen=\"{generation}\";var s=new EventSource(\"/events\");\
         s.onmessage=function(e){{if(e.data!==seen){{s.close();location.reload();}}}};}})();</script>\n"
    )
}

/// Text made safe in HTML content and in quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn the_panel_goes_into_the_writers_body() {
        let page = inject(
            "<!DOCTYPE html><html><head></head><body class=\"x\"><p>A</p></body></html>",
            "<nav>P</nav>",
            7,
        );
        let body = page.find("<body class=\"x\">").unwrap();
        let nav = page.find("<nav>P</nav>").unwrap();
        let a = page.find("<p>A</p>").unwrap();
        let script = page.find("<script>").unwrap();
        assert!(body < nav && nav < a && a < script, "{page}");
        assert!(page.contains("var seen=\"7\""));
        assert!(page.ends_with("</body></html>"));
    }
}
