//! Runs as HTML phrasing content. Redline changes become `<ins>` and `<del>`, one
//! element over each stretch of runs with the same change, with words a screen reader
//! says at either end (browsers do not announce the elements themselves), so a change
//! reads without colour and without sight. Cross-references become links to the
//! article they name.

use super::Ids;
use super::escape::push;
use crate::document::{Change, Run};

/// Appends `runs`. Spaces at the edges of a change are written outside it, so no
/// underline or strike runs on past the words.
pub fn push_runs(out: &mut String, runs: &[Run], ids: &Ids) {
    let mut open = Change::Unchanged;
    let changes: Vec<Change> = runs
        .iter()
        .scan(Change::Unchanged, |open, run| {
            *open = effective_change(run, *open);
            Some(*open)
        })
        .collect();
    for (i, run) in runs.iter().enumerate() {
        let change = changes[i];
        let mut text = run.text.as_str();
        if change != open {
            close_change(out, open);
            if change != Change::Unchanged && !run.style.blank {
                let core = text.trim_start();
                push(out, &text[..text.len() - core.len()]);
                text = core;
            }
            open_change(out, change);
            open = change;
        }
        let closes = changes.get(i + 1) != Some(&change);
        let mut trail = "";
        if closes && change != Change::Unchanged && !run.style.blank {
            let core = text.trim_end();
            trail = &text[core.len()..];
            text = core;
        }
        push_run(out, run, text, ids);
        if !trail.is_empty() {
            close_change(out, open);
            open = Change::Unchanged;
            push(out, trail);
        }
    }
    close_change(out, open);
}

/// A run of spaces alone stays inside a change that is open and never opens one, so a
/// change of several words is one element and no element holds only spaces.
fn effective_change(run: &Run, open: Change) -> Change {
    let blank_text = !run.style.line_break && !run.style.blank && run.text.trim().is_empty();
    if blank_text && run.style.change != open {
        if open == Change::Unchanged {
            return Change::Unchanged;
        }
        return open;
    }
    run.style.change
}

fn open_change(out: &mut String, change: Change) {
    match change {
        Change::Unchanged => {}
        Change::Inserted => out.push_str("<ins><span class=\"sr\">[inserted: </span>"),
        Change::Deleted => out.push_str("<del><span class=\"sr\">[deleted: </span>"),
    }
}

fn close_change(out: &mut String, change: Change) {
    match change {
        Change::Unchanged => {}
        Change::Inserted => out.push_str("<span class=\"sr\">]</span></ins>"),
        Change::Deleted => out.push_str("<span class=\"sr\">]</span></del>"),
    }
}

/// Appends `run`, whose text is `text` (the run's, less spaces written outside a change).
fn push_run(out: &mut String, run: &Run, text: &str, ids: &Ids) {
    if run.style.line_break {
        out.push_str("<br>\n");
        return;
    }
    let link = run.xref.as_deref().and_then(|id| ids.get(id));
    if let Some(target) = link {
        out.push_str("<a href=\"#");
        out.push_str(target);
        out.push_str("\">");
    }
    if run.style.bold {
        out.push_str("<strong>");
    }
    if run.style.italic {
        out.push_str("<em>");
    }
    if run.style.blank {
        // A row of underscores means nothing read aloud: say what it is instead.
        out.push_str("<span class=\"blank\"><span class=\"sr\">(blank to be completed)</span><span aria-hidden=\"true\">");
        push(out, text);
        out.push_str("</span></span>");
    } else {
        push(out, text);
    }
    if run.style.italic {
        out.push_str("</em>");
    }
    if run.style.bold {
        out.push_str("</strong>");
    }
    if link.is_some() {
        out.push_str("</a>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Style;

    fn changed(text: &str, change: Change) -> Run {
        Run::styled(
            text,
            Style {
                change,
                ..Style::default()
            },
        )
    }

    fn html(runs: &[Run]) -> String {
        let mut ids = Ids::default();
        ids.insert("funding", "art-funding".to_string());
        let mut out = String::new();
        push_runs(&mut out, runs, &ids);
        out
    }

    #[test]
    fn one_element_per_stretch_of_change() {
        let runs = [
            Run::plain("pay "),
            changed("ten", Change::Deleted),
            changed(" ", Change::Deleted),
            changed("dollars ", Change::Deleted),
            changed(" twelve", Change::Inserted),
            Run::plain(" "),
        ];
        assert_eq!(
            html(&runs),
            "pay <del><span class=\"sr\">[deleted: </span>ten dollars<span class=\"sr\">]</span></del>  <ins><span class=\"sr\">[inserted: </span>twelve<span class=\"sr\">]</span></ins> "
        );
    }

    #[test]
    fn spaces_open_no_change() {
        let runs = [
            Run::plain("a"),
            changed(" ", Change::Inserted),
            Run::plain("b"),
        ];
        assert_eq!(html(&runs), "a b");
    }

    #[test]
    fn cross_references_link_to_articles_they_name() {
        let mut r = Run::plain("Article IV");
        r.xref = Some("funding".into());
        let mut missing = Run::plain("Article IX");
        missing.xref = Some("gone".into());
        assert_eq!(
            html(&[r, Run::plain(" and "), missing]),
            "<a href=\"#art-funding\">Article IV</a> and Article IX"
        );
    }

    #[test]
    fn styles_nest_and_escape() {
        let r = Run::styled(
            "<b>&",
            Style {
                bold: true,
                italic: true,
                ..Style::default()
            },
        );
        assert_eq!(html(&[r]), "<strong><em>&lt;b&gt;&amp;</em></strong>");
    }
}
