//! Text as a review compares it: paragraphs with white space collapsed (Word and
//! LibreOffice split, join and re-space runs freely, none of which is an edit), split
//! into word and space tokens for word-level differences.

use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};

/// White space runs as one space, none at the ends.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Words and the single spaces between them; paragraphs separated by a `\n` token.
pub fn tokens(paragraphs: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push("\n");
        }
        let mut first = true;
        for w in p.split(' ') {
            if !first {
                out.push(" ");
            }
            first = false;
            out.push(w);
        }
    }
    out
}

/// One place where two texts differ: what the first has there and what the second has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hunk {
    pub deleted: String,
    pub inserted: String,
    /// Token range in the first text and in the second.
    #[serde(skip)]
    pub old: std::ops::Range<usize>,
    #[serde(skip)]
    pub new: std::ops::Range<usize>,
}

/// Word-level differences of two paragraph sequences, neighbouring changes merged.
pub fn hunks(old: &[String], new: &[String]) -> Vec<Hunk> {
    let a = tokens(old);
    let b = tokens(new);
    hunks_of(&a, &b)
}

pub fn hunks_of(a: &[&str], b: &[&str]) -> Vec<Hunk> {
    let ops = capture_diff_slices(Algorithm::Myers, a, b);
    let mut out: Vec<Hunk> = Vec::new();
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            // A lone space between two changes joins them into one.
            if old.len() == 1
                && a[old.start] == " "
                && let Some(last) = out.last_mut()
                && last.old.end == old.start
            {
                last.old.end += 1;
                last.new.end += 1;
            }
            continue;
        }
        match out.last_mut() {
            Some(last) if last.old.end == old.start && last.new.end == new.start => {
                last.old.end = old.end;
                last.new.end = new.end;
            }
            _ => out.push(Hunk {
                deleted: String::new(),
                inserted: String::new(),
                old,
                new,
            }),
        }
    }
    for h in &mut out {
        h.deleted = a[h.old.clone()]
            .concat()
            .replace('\n', " ¶ ")
            .trim()
            .to_string();
        h.inserted = b[h.new.clone()]
            .concat()
            .replace('\n', " ¶ ")
            .trim()
            .to_string();
    }
    out.retain(|h| !(h.deleted.is_empty() && h.inserted.is_empty()));
    out
}

/// How far apart two paragraph sequences are: the words deleted plus the words inserted.
pub fn distance(old: &[String], new: &[String]) -> usize {
    if old == new {
        return 0;
    }
    let a = tokens(old);
    let b = tokens(new);
    capture_diff_slices(Algorithm::Myers, &a, &b)
        .iter()
        .map(|op| match op.as_tag_tuple() {
            (DiffTag::Equal, ..) => 0,
            (_, old, new) => words(&a[old]) + words(&b[new]),
        })
        .sum()
}

fn words(t: &[&str]) -> usize {
    t.iter().filter(|w| **w != " ").count()
}

/// How alike two paragraphs are, 0 to 1, by their words.
pub fn similarity(a: &str, b: &str) -> f64 {
    let x: Vec<&str> = a.split(' ').collect();
    let y: Vec<&str> = b.split(' ').collect();
    let total = x.len() + y.len();
    if total == 0 {
        return 1.0;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &x, &y)
        .iter()
        .map(|op| match *op {
            DiffOp::Equal { len, .. } => 2 * len,
            _ => 0,
        })
        .sum();
    same as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn hunks_join_neighbouring_words() {
        let h = hunks(
            &v(&["at least thirty (30) days' notice"]),
            &v(&["at least sixty (60) days' notice"]),
        );
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].deleted, "thirty (30)");
        assert_eq!(h[0].inserted, "sixty (60)");
        assert_eq!(distance(&v(&["a b c"]), &v(&["a x c"])), 2);
        assert_eq!(distance(&v(&["a b"]), &v(&["a b"])), 0);
    }

    #[test]
    fn normalizing_collapses_space() {
        assert_eq!(normalize("  a \t b\n c "), "a b c");
        assert!(similarity("a b c d", "a b c e") > 0.7);
    }
}
