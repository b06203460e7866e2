//! Typesetter's punctuation, applied once to the assembled [`Document`] so that every
//! writer (Markdown, PDF, DOCX, HTML) and the redline print the same characters: curly
//! quotes and apostrophes, en dashes in number ranges, and a no-break space that keeps
//! "Article", "Section", "§" or "No." on the line of the number it names (SPEC §7).
//!
//! Legal text is full of things that look like ranges and are not (statute numbers such
//! as 10-233p or 7B-2101, dates like 2024-07-01, phone numbers, ids), so the rules are
//! conservative: when in doubt a character is left as written. Every change replaces one
//! character with one character, which lets a paragraph be read as one string (quotes
//! open in one run and close in another) and written back run by run.
//!
//! Blanks (`[__________]`) and cross-references print what they were given: only the
//! no-break space reaches them.

use crate::document::{Align, Block, Document, Run, Table};

/// `doc` with the typography rules applied: the hook assembly calls.
pub fn typeset(mut doc: Document) -> Document {
    apply(&mut doc);
    doc
}

/// Apply the typography rules to every text of `doc`.
pub fn apply(doc: &mut Document) {
    for s in [&mut doc.title, &mut doc.short_title, &mut doc.subtitle] {
        text(s);
    }
    if let Some(date) = &mut doc.date {
        text(date);
    }
    doc.parties.iter_mut().for_each(text);
    for article in &mut doc.articles {
        text(&mut article.title);
        blocks(&mut article.blocks);
    }
}

/// Typography for a plain string (a title, a name): all rules apply.
pub fn text(s: &mut String) {
    let chars: Vec<char> = s.chars().collect();
    let new = fix(&chars);
    if new != chars {
        *s = new.into_iter().collect();
    }
}

fn blocks(list: &mut [Block]) {
    for block in list {
        match block {
            Block::Heading { text, .. } | Block::Paragraph(text) => runs(text),
            Block::List(l) => l.items.iter_mut().for_each(|i| blocks(i)),
            Block::Table(t) => table(t),
            Block::Quote(inner) | Block::Note(inner) => blocks(inner),
            Block::Signatures(sigs) => {
                for sig in sigs {
                    for s in [&mut sig.party, &mut sig.name, &mut sig.title] {
                        text(s);
                    }
                    if let Some(s) = &mut sig.statement {
                        text(s);
                    }
                    if let Some(s) = &mut sig.date {
                        text(s);
                    }
                }
            }
            Block::Rule => {}
        }
    }
}

fn table(t: &mut Table) {
    t.header.iter_mut().for_each(|c| runs(c));
    t.rows.iter_mut().flatten().for_each(|c| runs(c));
    let ncols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    for c in 0..ncols {
        let mut cells = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|cell| crate::document::plain_text(cell))
            .filter(|s| !s.trim().is_empty())
            .peekable();
        if cells.peek().is_none() || !cells.all(|s| is_amount(s.trim())) {
            continue;
        }
        if t.align.len() < ncols {
            t.align.resize(ncols, Align::Left);
        }
        if t.align[c] == Align::Left {
            t.align[c] = Align::Right;
        }
    }
}

/// A cell that holds one amount or number: `$1,250.00`, `-$50`, `12`, `37.5%`, `(1,000)`.
/// Dates, ids and ranges are text.
fn is_amount(s: &str) -> bool {
    let s = s.strip_prefix(['-', '\u{2212}']).unwrap_or(s);
    let s = s
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(s);
    let s = s.strip_prefix('$').unwrap_or(s);
    let s = s.strip_suffix('%').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let groups: Vec<&str> = int.split(',').collect();
    digits(frac)
        && match groups.as_slice() {
            [one] => digits(one),
            [first, rest @ ..] => {
                first.len() <= 3 && digits(first) && rest.iter().all(|g| g.len() == 3 && digits(g))
            }
            [] => false,
        }
}

/// One paragraph's runs, read as one string so that context crosses run boundaries.
fn runs(inlines: &mut [Run]) {
    if !inlines.iter().any(|run| may_change(&run.text)) {
        return;
    }
    let mut chars = Vec::new();
    let mut bounds = Vec::with_capacity(inlines.len());
    for run in inlines.iter() {
        let start = chars.len();
        if run.style.line_break {
            chars.push('\n');
        } else {
            chars.extend(run.text.chars());
        }
        bounds.push(start..chars.len());
    }
    let new = fix(&chars);
    if new == chars {
        return;
    }
    for (run, range) in inlines.iter_mut().zip(bounds) {
        if run.style.line_break || new[range.clone()] == chars[range.clone()] {
            continue;
        }
        let verbatim = run.style.blank || run.xref.is_some();
        run.text = range
            .map(|i| {
                if verbatim && new[i] != '\u{a0}' {
                    chars[i]
                } else {
                    new[i]
                }
            })
            .collect();
    }
}

/// Whether [`fix`] could change anything in a run: most paragraphs hold no quote,
/// hyphen or number after a space, and reading them as characters cost a twentieth of
/// a batch build. A run ending in a space may precede a number in the next run.
fn may_change(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.last() == Some(&b' ')
        || bytes.iter().enumerate().any(|(i, &b)| match b {
            b'"' | b'\'' | b'-' => true,
            b' ' => bytes.get(i + 1).is_some_and(|n| {
                n.is_ascii_digit() || matches!(n, b'I' | b'V' | b'X' | b'L' | b'C')
            }),
            _ => false,
        })
}

/// Words after which a number is kept on the same line.
const KEEP_WITH_NUMBER: [&str; 10] = [
    "Article", "Articles", "ARTICLE", "Section", "Sections", "SECTION", "§", "§§", "No.", "Nos.",
];

/// Words before which a hyphenated pair of numbers is a citation, not a range
/// (`§ 10-233`, `sections 10-220`, `Chapter 7-2`), in any case.
const CITES: [&str; 10] = [
    "§", "§§", "Section", "Sections", "Chapter", "Title", "Rule", "No.", "Article", "Code",
];

/// The rules, over one string of characters; the result has the same length.
fn fix(chars: &[char]) -> Vec<char> {
    let mut out = chars.to_vec();
    let at = |i: usize| chars.get(i).copied();
    for i in 0..chars.len() {
        // The previous character as resolved, so that a quote after an opening quote
        // opens too (`"'Nested'"`).
        let prev = i.checked_sub(1).map(|p| out[p]);
        let next = at(i + 1);
        match chars[i] {
            '"' => {
                out[i] = match (prev, next) {
                    // Inches (`12"`) and a quote between spaces stay as written.
                    (Some(p), _) if p.is_ascii_digit() => continue,
                    (p, n) if opens(p) && n.is_none_or(char::is_whitespace) => continue,
                    (p, _) if opens(p) => '\u{201c}',
                    _ => '\u{201d}',
                };
            }
            '\'' => {
                out[i] = match (prev, next) {
                    // Feet (`5'`) stay as written; `'90s`, `'24` lose their digits.
                    (Some(p), n) if p.is_ascii_digit() && !n.is_some_and(char::is_alphabetic) => {
                        continue;
                    }
                    (p, Some(n)) if opens(p) && n.is_ascii_digit() => {
                        if at(i + 2).is_some_and(|c| c.is_ascii_digit())
                            && !at(i + 3).is_some_and(|c| c.is_ascii_digit())
                        {
                            '\u{2019}'
                        } else {
                            '\u{2018}'
                        }
                    }
                    (p, n) if opens(p) && n.is_none_or(char::is_whitespace) => continue,
                    (p, _) if opens(p) => '\u{2018}',
                    _ => '\u{2019}',
                };
            }
            '-' if is_range(chars, i) => out[i] = '\u{2013}',
            ' ' if keeps_with_number(chars, i) => out[i] = '\u{a0}',
            _ => {}
        }
    }
    out
}

/// A quote after `p` opens: at the start, after a space, an opening bracket or a dash.
fn opens(p: Option<char>) -> bool {
    p.is_none_or(|p| {
        p.is_whitespace()
            || matches!(
                p,
                '(' | '[' | '{' | '\u{2014}' | '\u{2013}' | '/' | '\u{201c}' | '\u{2018}'
            )
    })
}

/// The digits around position `i` (a hyphen) form a range: `2024-2025`, `2024-25`,
/// `pages 3-5`, `grades 9-12`, and nothing with more parts (`2024-07-01`, `860-555-1234`),
/// letters (`10-233p`, `7B-2101`), decimals or a citation word before it (`§ 10-233`).
fn is_range(chars: &[char], i: usize) -> bool {
    let digits_back = chars[..i]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let digits_fwd = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits_back == 0 || digits_fwd == 0 {
        return false;
    }
    let start = i - digits_back;
    let end = i + 1 + digits_fwd;
    // What touches the pair must end it: no letter, hyphen, slash, or decimal point.
    let joined = |c: char| c.is_alphanumeric() || matches!(c, '-' | '/' | '_' | '\u{2013}');
    if start > 0 {
        let b = chars[start - 1];
        if joined(b) || b == '.' || b == ',' || b == '§' || b == '$' || b == '#' {
            return false;
        }
    }
    if let Some(&a) = chars.get(end) {
        let decimal =
            matches!(a, '.' | ',' | ':') && chars.get(end + 1).is_some_and(|c| c.is_alphanumeric());
        if joined(a) || decimal || a == '%' {
            return false;
        }
    }
    // The word before (after one space): a citation keeps its hyphen.
    if start >= 2 && chars[start - 1].is_whitespace() {
        let word_end = start - 1;
        let word_start = chars[..word_end]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(0, |p| p + 1);
        let word = &chars[word_start..word_end];
        let cites = |c: &&str| {
            c.chars().count() == word.len()
                && c.chars()
                    .zip(word)
                    .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
        };
        if CITES.iter().any(cites) {
            return false;
        }
    }
    let num = |a: usize, b: usize| -> u32 {
        chars[a..b].iter().fold(0u32, |n, c| {
            n.saturating_mul(10)
                .saturating_add(c.to_digit(10).unwrap_or(0))
        })
    };
    let (left, right) = (num(start, i), num(i + 1, end));
    match (digits_back, digits_fwd) {
        // School and fiscal years.
        (4, 4) => (1900..2200).contains(&left) && left < right && right - left <= 10,
        (4, 2) => {
            let next = (left % 100 + 1) % 100;
            (1900..2200).contains(&left) && (right == next || right == (left % 100 + 2) % 100)
        }
        // Pages, grades, days: small numbers, ascending.
        (1..=3, 1..=3) => left < right,
        _ => false,
    }
}

/// Position `i` (a space) follows a word that names a number and precedes that number
/// (an Arabic or Roman numeral, or a section number such as 4.1 or 10-233).
fn keeps_with_number(chars: &[char], i: usize) -> bool {
    let Some(&first) = chars.get(i + 1) else {
        return false;
    };
    let numeral = if first.is_ascii_digit() {
        true
    } else if matches!(first, 'I' | 'V' | 'X' | 'L' | 'C') {
        let len = chars[i + 1..]
            .iter()
            .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
            .count();
        !chars.get(i + 1 + len).is_some_and(|c| c.is_alphanumeric())
    } else {
        false
    };
    if !numeral {
        return false;
    }
    let word_start = chars[..i]
        .iter()
        .rposition(|c| c.is_whitespace() || matches!(c, '(' | '[' | '\u{201c}'))
        .map_or(0, |p| p + 1);
    let word = &chars[word_start..i];
    KEEP_WITH_NUMBER
        .iter()
        .any(|w| w.chars().eq(word.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Style;

    fn t(s: &str) -> String {
        let mut s = s.to_string();
        text(&mut s);
        s
    }

    #[test]
    fn quotes_and_apostrophes() {
        assert_eq!(t("O'Brien"), "O\u{2019}Brien");
        assert_eq!(t("\"the District\""), "\u{201c}the District\u{201d}");
        assert_eq!(
            t("(the \"Agreement\"), the Board's and the officers' duties"),
            "(the \u{201c}Agreement\u{201d}), the Board\u{2019}s and the officers\u{2019} duties"
        );
        assert_eq!(t("'quoted' here"), "\u{2018}quoted\u{2019} here");
        assert_eq!(
            t("the class of '24 and the '90s"),
            "the class of \u{2019}24 and the \u{2019}90s"
        );
        assert_eq!(
            t("\"'Nested' words\""),
            "\u{201c}\u{2018}Nested\u{2019} words\u{201d}"
        );
    }

    #[test]
    fn inch_and_foot_marks_and_stray_quotes_stay() {
        assert_eq!(t("a 12\" pipe, 6' tall"), "a 12\" pipe, 6' tall");
        assert_eq!(t("a \" b"), "a \" b");
        assert_eq!(t("1990's"), "1990\u{2019}s");
    }

    #[test]
    fn en_dashes_in_ranges_only() {
        assert_eq!(
            t("the 2024-2025 school year"),
            "the 2024\u{2013}2025 school year"
        );
        assert_eq!(t("fiscal year 2024-25."), "fiscal year 2024\u{2013}25.");
        assert_eq!(
            t("pages 3-5, grades 9-12"),
            "pages 3\u{2013}5, grades 9\u{2013}12"
        );
        for kept in [
            "on 2024-07-01",
            "call 860-555-1234",
            "call 555-1234",
            "Conn. Gen. Stat. § 10-233p",
            "Conn. Gen. Stat. § 10-233",
            "N.C. Gen. Stat. § 7B-2101",
            "Fla. Stat. § 1006.12",
            "Section 3-5",
            "under sections 10-220 and 10-233n",
            "id sro-2024-1",
            "score 5-3",
            "2025-2024",
            "1.5-2.5",
            "K-12",
        ] {
            let got = t(kept);
            assert!(!got.contains('\u{2013}'), "{kept} became {got}");
        }
    }

    #[test]
    fn no_break_space_before_numbers() {
        assert_eq!(t("see Article IV."), "see Article\u{a0}IV.");
        assert_eq!(
            t("under Section 4.1 and § 10-233"),
            "under Section\u{a0}4.1 and §\u{a0}10-233"
        );
        assert_eq!(t("§§ 1 and No. 5"), "§§\u{a0}1 and No.\u{a0}5");
        assert_eq!(t("Article Interpretation"), "Article Interpretation");
        assert_eq!(t("this Section shall"), "this Section shall");
    }

    #[test]
    fn blanks_and_cross_references_keep_their_text() {
        let blank = Style {
            blank: true,
            ..Style::default()
        };
        let mut runs_ = vec![
            Run::plain("the \"District's\" "),
            Run::styled("[__'__-__]", blank),
            Run::plain(" and "),
            Run {
                text: "Article IV's".into(),
                style: Style::default(),
                xref: Some("funding".into()),
            },
        ];
        runs(&mut runs_);
        assert_eq!(runs_[0].text, "the \u{201c}District\u{2019}s\u{201d} ");
        assert_eq!(runs_[1].text, "[__'__-__]");
        assert_eq!(runs_[3].text, "Article\u{a0}IV's");
    }

    #[test]
    fn quotes_close_across_runs() {
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let mut r = vec![
            Run::plain("(the \""),
            Run::styled("Officer", bold),
            Run::plain("\")"),
        ];
        runs(&mut r);
        assert_eq!(r[0].text, "(the \u{201c}");
        assert_eq!(r[2].text, "\u{201d})");
    }

    #[test]
    fn money_columns_align_right() {
        let cell = |s: &str| vec![Run::plain(s)];
        let mut t = Table {
            header: vec![cell("School"), cell("Due"), cell("Amount"), cell("Hours")],
            rows: vec![
                vec![
                    cell("Hall High"),
                    cell("2024-07-01"),
                    cell("$1,250.00"),
                    cell("40"),
                ],
                vec![
                    cell("King Middle"),
                    cell("2024-10-01"),
                    cell("$12,000"),
                    cell(""),
                ],
            ],
            align: vec![],
        };
        table(&mut t);
        assert_eq!(
            t.align,
            [Align::Left, Align::Left, Align::Right, Align::Right]
        );
        for (s, amount) in [
            ("$1,250.00", true),
            ("-$5", true),
            ("(1,000)", true),
            ("37.5%", true),
            ("1250", true),
            ("1,25", false),
            ("12,0000", false),
            ("2024-07-01", false),
            ("$", false),
            ("4.1.2", false),
            ("N/A", false),
        ] {
            assert_eq!(is_amount(s), amount, "{s}");
        }
    }
}
