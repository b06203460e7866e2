//! Article headings as an earlier release wrote them. Until the DOCX was made to look
//! like the PDF, an article heading's text was its title in capitals ("PURPOSE AND
//! PROGRAM GOALS", and "ARTICLE IV. FUNDING" where the label was text); now it is the
//! title as the front matter writes it. Counsel may return a document of either
//! release, and a change of case that our writer made is no edit of theirs: a heading
//! of theirs that reads, as sent, in capitals is given the case of ours before anything
//! is compared, so the article is aligned by its heading and reported only for what
//! they changed. A heading they renamed keeps their new words as they wrote them
//! ("PURPOSE AND PROGRAM AIMS" reads "Purpose and Program AIMS").

use super::text::{normalize, similarity};
use super::xml::{Body, Mark, Piece};

/// Gives their capitalised article headings the case of ours; how many it changed.
pub fn recase(theirs: &mut Body, ours: &Body) -> usize {
    let ours: Vec<String> = ours
        .paragraphs
        .iter()
        .filter(|p| p.is_heading1())
        .map(|p| normalize(&p.text(true)))
        .collect();
    let mut changed = 0;
    for p in theirs.paragraphs.iter_mut().filter(|p| p.is_heading1()) {
        // The heading as we sent it: every tracked change of theirs rejected.
        let sent = p.text(false);
        if !in_capitals(&sent) {
            continue;
        }
        let Some(target) = our_case(&sent, &ours) else {
            continue;
        };
        if target != sent {
            p.pieces = respelled(&p.pieces, &target);
            changed += 1;
        }
    }
    changed
}

/// Letters, and none in lower case.
fn in_capitals(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// `sent` (in capitals) in the case of our heading it is, character for character
/// (white space as theirs: a no-break space where they have a space is no edit
/// either); else, word for word, in the case of our heading it most resembles (half
/// its words or more), their other words as they are. Always as many characters as
/// `sent`.
fn our_case(sent: &str, ours: &[String]) -> Option<String> {
    let key = normalize(sent);
    if let Some(mine) = ours.iter().find(|o| normalize(&o.to_uppercase()) == key) {
        let mut mine = mine.chars().filter(|c| !c.is_whitespace());
        let mut out = String::with_capacity(sent.len());
        for c in sent.chars() {
            match c {
                c if c.is_whitespace() => out.push(c),
                c => out.push(mine.next().filter(|&o| capital(o) == Some(c))?),
            }
        }
        return Some(out);
    }
    let (score, mine) = ours
        .iter()
        .map(|o| (similarity(&normalize(&o.to_uppercase()), &key), o))
        .fold(None::<(f64, &String)>, |best, x| match best {
            Some(b) if b.0 >= x.0 => Some(b),
            _ => Some(x),
        })?;
    if score < 0.5 {
        return None;
    }
    let mut out = String::with_capacity(sent.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let ours = mine.split_whitespace().find(|w| {
            w.chars().count() == word.chars().count()
                && w.chars()
                    .zip(word.chars())
                    .all(|(o, c)| capital(o) == Some(c))
        });
        out.push_str(ours.unwrap_or(word));
        word.clear();
    };
    for c in sent.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    Some(out)
}

/// The capital of `c` when it is one character ("ß" has two: no capital here).
fn capital(c: char) -> Option<char> {
    let mut upper = c.to_uppercase();
    let first = upper.next();
    upper.next().is_none().then_some(first).flatten()
}

/// The pieces with the text they had as sent (unchanged and deleted) spelled as
/// `target`, which has as many characters; their insertions stay as they are.
fn respelled(pieces: &[Piece], target: &str) -> Vec<Piece> {
    let mut target = target.chars();
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(t, mark @ (Mark::Unchanged | Mark::Deleted(_))) => {
                let s = t.chars().map(|c| target.next().unwrap_or(c)).collect();
                Piece::Text(s, *mark)
            }
            other => other.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::xml::Para;

    fn heading(pieces: Vec<Piece>) -> Para {
        Para {
            style: Some("Heading1".into()),
            pieces,
            ..Para::default()
        }
    }

    fn text(t: &str) -> Piece {
        Piece::Text(t.into(), Mark::Unchanged)
    }

    fn body(paragraphs: Vec<Para>) -> Body {
        Body {
            paragraphs,
            revisions: Vec::new(),
        }
    }

    #[test]
    fn headings_in_capitals_take_our_case() {
        let ours = body(vec![
            heading(vec![text("Purpose and Program Goals")]),
            heading(vec![text("Article\u{a0}XX. Notices")]),
        ]);
        let mut theirs = body(vec![
            heading(vec![text("PURPOSE AND "), text("PROGRAM GOALS")]),
            // The label as text, with an ordinary space; split into runs as Word does.
            heading(vec![text("ARTICLE XX. NOT"), text("ICES")]),
        ]);
        assert_eq!(recase(&mut theirs, &ours), 2);
        assert_eq!(theirs.paragraphs[0].text(true), "Purpose and Program Goals");
        assert_eq!(theirs.paragraphs[1].text(true), "Article XX. Notices");
    }

    #[test]
    fn their_edits_stay_as_they_made_them() {
        let ours = body(vec![heading(vec![text("Term and Renewal")])]);
        let mut theirs = body(vec![heading(vec![
            text("TERM AND "),
            Piece::Text("RENEWAL".into(), Mark::Deleted(0)),
            Piece::Text("EXTENSION".into(), Mark::Inserted(0)),
        ])]);
        assert_eq!(recase(&mut theirs, &ours), 1);
        assert_eq!(theirs.paragraphs[0].text(false), "Term and Renewal");
        assert_eq!(theirs.paragraphs[0].text(true), "Term and EXTENSION");
    }

    #[test]
    fn other_headings_and_paragraphs_are_left_alone() {
        let ours = body(vec![heading(vec![text("Funding")])]);
        let mut theirs = body(vec![
            // Not ours in any case: a heading they wrote.
            heading(vec![text("OBJECTIVES")]),
            // Already in our case (a document of this release).
            heading(vec![text("Funding")]),
            // Theirs in another case, not capitals: an edit.
            heading(vec![text("funding")]),
            // Not a heading.
            Para {
                pieces: vec![text("FUNDING")],
                ..Para::default()
            },
        ]);
        assert_eq!(recase(&mut theirs, &ours), 0);
        let texts: Vec<String> = theirs.paragraphs.iter().map(|p| p.text(true)).collect();
        assert_eq!(texts, ["OBJECTIVES", "Funding", "funding", "FUNDING"]);
    }

    #[test]
    fn a_heading_they_renamed_keeps_their_words() {
        let ours = body(vec![
            heading(vec![text("Purpose and Program Goals")]),
            heading(vec![text("Funding")]),
        ]);
        let mut theirs = body(vec![heading(vec![text("PURPOSE AND PROGRAM AIMS")])]);
        assert_eq!(recase(&mut theirs, &ours), 1);
        assert_eq!(theirs.paragraphs[0].text(true), "Purpose and Program AIMS");
    }

    #[test]
    fn a_capital_of_two_letters_is_left_alone() {
        let ours = body(vec![heading(vec![text("Straße")])]);
        let mut theirs = body(vec![heading(vec![text("STRASSE")])]);
        assert_eq!(recase(&mut theirs, &ours), 0);
        assert_eq!(theirs.paragraphs[0].text(true), "STRASSE");
    }
}
