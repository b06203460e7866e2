//! What an amendment must say to make the agreement OLD read as NEW: one instruction
//! per changed place, each pointing at the place by its number in OLD.
//!
//! Articles are aligned by clause id (an article keeps its id however it is
//! renumbered), sections by position when an article keeps its sections, and text
//! segment by segment. A few changed words become "replacing 'X' with 'Y'", each X
//! quoted with enough context to occur once in the place named, so a reader finds it
//! without doubt; anything larger, or a phrase that cannot be made unique, restates the
//! place. Every replacement is checked by applying it before it is offered, so an
//! instruction never says something the new text does not read. Renumbering caused by
//! an added or deleted article is stated once, last.

use super::text::{self, Segment, TextArticle};
use crate::document::{Article, Block, Document, Numbering};
use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};

/// An article of the agreement being amended, as an instruction names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub number: Option<u32>,
    pub numbering: Numbering,
    pub title: String,
}

impl Target {
    fn of(a: &TextArticle) -> Target {
        Target {
            id: a.id.clone(),
            number: a.number,
            numbering: a.numbering,
            title: a.title.clone(),
        }
    }

    /// "Article IV", "the Recitals", "Exhibit A".
    pub fn reference(&self) -> String {
        text::reference(&self.id, self.number, self.numbering, &self.title)
    }
}

/// The text an instruction changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// An article without numbered sections: all of its text.
    Article(Target),
    /// The text of an article before its first section (whose number is given).
    Intro(Target, String),
    /// A numbered section (`3.1`) of an article.
    Section(Target, String),
}

impl Place {
    pub fn target(&self) -> &Target {
        match self {
            Place::Article(t) | Place::Intro(t, _) | Place::Section(t, _) => t,
        }
    }

    /// How the instruction names the place: "Article II", "Section 3.1", "the text of
    /// Article X before Section 10.1".
    pub fn reference(&self) -> String {
        match self {
            Place::Article(t) => t.reference(),
            Place::Intro(t, first) => {
                format!("the text of {} before Section {first}", t.reference())
            }
            Place::Section(_, n) => format!("Section {n}"),
        }
    }
}

/// Where a new article goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// After an article of the agreement being amended.
    Old(Target),
    /// After an article this amendment adds (several added in a row).
    New(Target),
    /// Before every other article.
    Start,
}

/// One numbered amendment.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The title of an article changes; its text does not (or is amended separately).
    Retitle {
        article: Target,
        title: String,
    },
    /// Each quoted phrase, found once in the place, is replaced by its new text.
    Replace {
        place: Place,
        pairs: Vec<(String, String)>,
    },
    /// The place is restated: a section with its heading, or the text of an article.
    Restate {
        place: Place,
        heading: Option<String>,
        blocks: Vec<Block>,
    },
    /// A whole article restated, title and sections, its section numbers as they
    /// stand before any renumbering.
    RestateArticle {
        article: Target,
        title: String,
        blocks: Vec<Block>,
    },
    Delete {
        article: Target,
    },
    /// A new article, numbered as it will be after the amendment.
    Add {
        after: After,
        article: Article,
    },
    /// Articles renumbered because others were added or deleted: each run is (first
    /// old number, last old number, new number of the first).
    Renumber {
        numbering: Numbering,
        runs: Vec<(u32, u32, u32)>,
    },
}

/// Most phrase replacements in one place before it is restated instead.
const MAX_REPLACEMENTS: usize = 6;

/// The instructions that turn `old` into `new`: changes to the text in the order of
/// `old`'s articles, then new articles, then the renumbering.
pub fn changes(old: &Document, new: &Document) -> Vec<Change> {
    let old_articles: Vec<&Article> = old.articles.iter().filter(|a| text::amendable(a)).collect();
    let new_articles: Vec<&Article> = new.articles.iter().filter(|a| text::amendable(a)).collect();
    let old_ids: Vec<&str> = old_articles.iter().map(|a| a.id.as_str()).collect();
    let new_ids: Vec<&str> = new_articles.iter().map(|a| a.id.as_str()).collect();
    let mut out = Vec::new();
    let mut after = After::Start;
    let mut renumbered: Vec<(u32, u32)> = Vec::new();
    let mut numbering = Numbering::default();
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        let (old_range, new_range) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let (o, n) = (old_articles[old_index + k], new_articles[new_index + k]);
                    numbering = o.numbering;
                    if let (Some(a), Some(b)) = (o.number, n.number)
                        && a != b
                    {
                        renumbered.push((a, b));
                    }
                    let (ot, nt) = (text::article(o), text::article(n));
                    out.extend(article_changes(&ot, &nt, n));
                    after = After::Old(Target::of(&ot));
                }
                continue;
            }
            _ => {
                let (_, old, new) = op.as_tag_tuple();
                (old, new)
            }
        };
        for o in &old_articles[old_range] {
            out.push(Change::Delete {
                article: Target::of(&text::article(o)),
            });
        }
        for n in &new_articles[new_range] {
            out.push(Change::Add {
                after: after.clone(),
                article: (*n).clone(),
            });
            after = After::New(Target::of(&text::article(n)));
        }
    }
    // New articles come after every change to the text as it stands, so that a
    // section number in those changes can only mean the section it has before the
    // amendment.
    let (adds, mut out): (Vec<Change>, Vec<Change>) = out
        .into_iter()
        .partition(|c| matches!(c, Change::Add { .. }));
    out.extend(adds);
    if !renumbered.is_empty() {
        out.push(Change::Renumber {
            numbering,
            runs: runs(&renumbered),
        });
    }
    out
}

/// Consecutive old numbers moved by the same offset, as (first, last, new first).
fn runs(pairs: &[(u32, u32)]) -> Vec<(u32, u32, u32)> {
    let mut out: Vec<(u32, u32, u32)> = Vec::new();
    for &(o, n) in pairs {
        match out.last_mut() {
            Some((first, last, new_first))
                if *last + 1 == o
                    && i64::from(n) - i64::from(o) == i64::from(*new_first) - i64::from(*first) =>
            {
                *last = o;
            }
            _ => out.push((o, o, n)),
        }
    }
    out
}

/// The instructions for one article present in both versions.
fn article_changes(old: &TextArticle, new: &TextArticle, new_doc: &Article) -> Vec<Change> {
    let target = Target::of(old);
    let same_text = old.intro == new.intro
        && old.sections.len() == new.sections.len()
        && old
            .sections
            .iter()
            .zip(&new.sections)
            .all(|(a, b)| a.heading == b.heading && a.body == b.body);
    if same_text && old.title == new.title {
        return Vec::new();
    }
    let restate_all = || {
        vec![Change::RestateArticle {
            article: target.clone(),
            title: new.title.clone(),
            blocks: renumber_sections(&new_doc.blocks, old.number),
        }]
    };
    if old.sections.len() != new.sections.len() {
        return restate_all();
    }
    let (new_intro, new_sections) = text::split(&new_doc.blocks);
    let mut out = Vec::new();
    if old.title != new.title {
        out.push(Change::Retitle {
            article: target.clone(),
            title: new.title.clone(),
        });
    }
    let mut restated = 0;
    let mut units = 0;
    let intro_place = match old.sections.first() {
        None => Place::Article(target.clone()),
        Some(s) => Place::Intro(target.clone(), s.number.clone()),
    };
    if !old.intro.is_empty() || !new.intro.is_empty() {
        units += 1;
    }
    if let Some(c) = unit_change(&old.intro, &new.intro, intro_place, None, new_intro) {
        restated += usize::from(matches!(c, Change::Restate { .. }));
        out.push(c);
    }
    for ((os, ns), nb) in old.sections.iter().zip(&new.sections).zip(&new_sections) {
        units += 1;
        let place = Place::Section(target.clone(), os.number.clone());
        let change = if os.heading != ns.heading {
            Some(Change::Restate {
                place,
                heading: Some(ns.heading.clone()),
                blocks: nb.blocks.to_vec(),
            })
        } else {
            unit_change(&os.body, &ns.body, place, Some(&ns.heading), nb.blocks)
        };
        if let Some(c) = change {
            restated += usize::from(matches!(c, Change::Restate { .. }));
            out.push(c);
        }
    }
    // Most of an article restated piece by piece reads better restated whole.
    if restated > 1 && restated * 2 >= units {
        return restate_all();
    }
    out
}

/// Section headings of `blocks` numbered under the article's old number, as the
/// agreement being amended numbers them until the renumbering stated last.
fn renumber_sections(blocks: &[Block], old_number: Option<u32>) -> Vec<Block> {
    let Some(n) = old_number else {
        return blocks.to_vec();
    };
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading {
                level,
                number: Some(num),
                text,
            } => Block::Heading {
                level: *level,
                number: Some(match num.split_once('.') {
                    Some((_, rest)) => format!("{n}.{rest}"),
                    None => num.clone(),
                }),
                text: text.clone(),
            },
            other => other.clone(),
        })
        .collect()
}

/// The instruction for one place, or none when its text is the same.
fn unit_change(
    old: &[Segment],
    new: &[Segment],
    place: Place,
    heading: Option<&String>,
    new_blocks: &[Block],
) -> Option<Change> {
    if old == new {
        return None;
    }
    Some(match replacements(old, new) {
        Some(pairs) => Change::Replace { place, pairs },
        None => Change::Restate {
            place,
            heading: heading.cloned(),
            blocks: new_blocks.to_vec(),
        },
    })
}

/// The phrase replacements that turn `old` into `new`, or `None` when the change is
/// too large for them (or the blocks differ): the place is then restated.
pub fn replacements(old: &[Segment], new: &[Segment]) -> Option<Vec<(String, String)>> {
    if old.len() != new.len() || old.iter().zip(new).any(|(a, b)| a.shape != b.shape) {
        return None;
    }
    let mut pairs = Vec::new();
    for (o, n) in old.iter().zip(new) {
        if o.text != n.text {
            pairs.extend(segment_pairs(&o.text, &n.text, old)?);
        }
        if pairs.len() > MAX_REPLACEMENTS {
            return None;
        }
    }
    let words = |s: &str| s.split_whitespace().count();
    let total: usize = old.iter().map(|s| words(&s.text)).sum();
    let quoted: usize = pairs.iter().map(|(a, b)| words(a) + words(b)).sum();
    if quoted > 12 && quoted * 2 > total {
        return None;
    }
    // Offered only if applying them gives the new text exactly.
    (apply(old, &pairs).as_deref() == Some(new)).then_some(pairs)
}

/// Applies replacements at once, each phrase found exactly once in `segments` and no
/// two overlapping; `None` if that does not hold.
pub fn apply(segments: &[Segment], pairs: &[(String, String)]) -> Option<Vec<Segment>> {
    let mut edits: Vec<(usize, usize, usize, &str)> = Vec::new();
    for (from, to) in pairs {
        if text::occurrences_in(segments, from) != 1 {
            return None;
        }
        let (k, at) = segments
            .iter()
            .enumerate()
            .find_map(|(k, s)| s.text.find(from.as_str()).map(|at| (k, at)))?;
        edits.push((k, at, at + from.len(), to.as_str()));
    }
    edits.sort();
    if edits
        .windows(2)
        .any(|w| w[0].0 == w[1].0 && w[0].2 > w[1].1)
    {
        return None;
    }
    let mut out = segments.to_vec();
    for &(k, start, end, to) in edits.iter().rev() {
        out[k].text.replace_range(start..end, to);
    }
    Some(out)
}

/// A phrase a reader can take as a change of terms: a word of three letters or more,
/// or an amount. "2017" alone or "(30)" alone is widened to "July 1, 2017" or
/// "thirty (30)".
fn meaningful(phrase: &str) -> bool {
    let numeral = |w: &str| w.chars().all(|c| "IVXLCDM".contains(c));
    phrase.contains('$')
        || phrase
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.chars().count() >= 3 && !numeral(w))
}

/// The replacements within one segment, each phrase unique in the whole place.
fn segment_pairs(old: &str, new: &str, place: &[Segment]) -> Option<Vec<(String, String)>> {
    let (ot, nt) = (crate::diff::words(old), crate::diff::words(new));
    // Hunks as token ranges (old a..b, new c..d).
    let mut hunks: Vec<(usize, usize, usize, usize)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &ot, &nt) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (a, b, c, d) = (o.start, o.end, n.start, n.end);
        match hunks.last_mut() {
            Some(h) if h.1 >= a => *h = (h.0, b.max(h.1), h.2, d.max(h.3)),
            _ => hunks.push((a, b, c, d)),
        }
    }
    // Widen each hunk until its phrase is unique, merging hunks that meet.
    let mut i = 0;
    let mut left = true;
    while i < hunks.len() {
        let (a, b, c, d) = hunks[i];
        let o = ot[a..b].concat();
        let n = nt[c..d].concat();
        let (ow, nw) = (&o[o.trim_end().len()..], &n[n.trim_end().len()..]);
        let (o_t, n_t) = (o.trim_end(), n.trim_end());
        let ok = ow == nw
            && !o_t.is_empty()
            && !n_t.is_empty()
            && (meaningful(o_t) || meaningful(n_t))
            && text::occurrences_in(place, o_t) == 1;
        if ok {
            i += 1;
            continue;
        }
        let can_left = a > 0 && c > 0;
        let can_right = b < ot.len() && d < nt.len();
        // A figure is read with the word before it ("July 1, 2017", "$5,000"):
        // widen a phrase that starts with one to the left first.
        let figure = !o.starts_with(char::is_alphabetic) || !n.starts_with(char::is_alphabetic);
        let go_left = can_left && (figure || left || !can_right);
        if !figure {
            left = !left;
        }
        if go_left {
            hunks[i] = (a - 1, b, c - 1, d);
        } else if can_right {
            hunks[i] = (a, b + 1, c, d + 1);
        } else {
            return None;
        }
        // Merge with a neighbour the hunk now meets; start again from the merged one.
        if i > 0 && hunks[i - 1].1 >= hunks[i].0 {
            let (p, q) = (hunks[i - 1], hunks[i]);
            hunks[i - 1] = (p.0, q.1.max(p.1), p.2, q.3.max(p.3));
            hunks.remove(i);
            i -= 1;
        } else if i + 1 < hunks.len() && hunks[i].1 >= hunks[i + 1].0 {
            let (p, q) = (hunks[i], hunks[i + 1]);
            hunks[i] = (p.0, q.1.max(p.1), p.2, q.3.max(p.3));
            hunks.remove(i + 1);
        }
    }
    Some(
        hunks
            .into_iter()
            .map(|(a, b, c, d)| {
                let (o, n) = (ot[a..b].concat(), nt[c..d].concat());
                trim_punctuation(o.trim_end(), n.trim_end(), place)
            })
            .collect(),
    )
}

/// Drops punctuation both phrases end with ("$34,500.00," → "$34,500.00") while the
/// phrase stays one a reader finds once.
fn trim_punctuation(mut o: &str, mut n: &str, place: &[Segment]) -> (String, String) {
    while let (Some(a), Some(b)) = (o.chars().last(), n.chars().last()) {
        if a != b || !matches!(a, ',' | '.' | ';' | ':') {
            break;
        }
        let (o2, n2) = (&o[..o.len() - 1], &n[..n.len() - 1]);
        if o2.trim().is_empty()
            || n2.trim().is_empty()
            || o2.ends_with(char::is_whitespace)
            || n2.ends_with(char::is_whitespace)
            || !(meaningful(o2) || meaningful(n2))
            || text::occurrences_in(place, o2) != 1
        {
            break;
        }
        (o, n) = (o2, n2);
    }
    (o.to_string(), n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(t: &str) -> Segment {
        Segment {
            shape: "p".into(),
            text: t.into(),
        }
    }

    #[test]
    fn a_date_is_quoted_whole_enough_to_be_unique() {
        let old = [seg(
            "This Agreement takes effect on July 1, 2017 and remains in effect through June 30, 2018.",
        )];
        let new = [seg(
            "This Agreement takes effect on July 1, 2018 and remains in effect through June 30, 2019.",
        )];
        let pairs = replacements(&old, &new).unwrap();
        let froms: Vec<&str> = pairs.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(froms, ["July 1, 2017", "June 30, 2018"]);
        assert_eq!(apply(&old, &pairs).unwrap(), new);
        for (from, _) in &pairs {
            assert_eq!(text::occurrences_in(&old, from), 1, "{from}");
            assert!(meaningful(from), "{from}");
        }
    }

    #[test]
    fn a_repeated_phrase_gets_context() {
        let old = [
            seg("Notice of thirty (30) days is given."),
            seg("A cure period of thirty (30) days applies."),
        ];
        let new = [
            seg("Notice of sixty (60) days is given."),
            seg("A cure period of thirty (30) days applies."),
        ];
        let pairs = replacements(&old, &new).unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(text::occurrences_in(&old, &pairs[0].0), 1);
        assert!(pairs[0].0.contains("thirty (30)"));
        assert_eq!(apply(&old, &pairs).unwrap(), new);
    }

    #[test]
    fn a_large_change_is_restated() {
        let old = [seg(
            "One two three four five six seven eight nine ten eleven twelve.",
        )];
        let new = [seg(
            "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.",
        )];
        assert_eq!(replacements(&old, &new), None);
    }

    #[test]
    fn a_roman_numeral_is_quoted_with_its_word() {
        let old = [seg("as provided in Article XIV and Article XVI.")];
        let new = [seg("as provided in Article XIII and Article XVI.")];
        let pairs = replacements(&old, &new).unwrap();
        assert_eq!(
            pairs,
            [("Article XIV".to_string(), "Article XIII".to_string())]
        );
    }

    #[test]
    fn apply_refuses_an_ambiguous_phrase() {
        let old = [seg("the District and the District")];
        assert_eq!(apply(&old, &[("the District".into(), "x".into())]), None);
    }

    #[test]
    fn renumbering_runs() {
        assert_eq!(
            runs(&[(13, 12), (14, 13), (15, 14), (17, 17)]),
            vec![(13, 15, 12), (17, 17, 17)]
        );
    }
}
