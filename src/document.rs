//! The assembled agreement: the one model every writer (Markdown, PDF, DOCX) and the
//! redline read. Writers never see templates or profile TOML, only this.

use serde::Serialize;

/// How deeply lists and block quotes may nest inside an article: a list in a list is
/// two levels, a quote inside that three. Real agreements nest three levels at most.
///
/// The Markdown parser ([`crate::assemble::parse_markdown`]) refuses deeper text with
/// a located error, so no deeper Document is ever assembled, and the redline of two
/// Documents is no deeper than the deeper of them. Every walk of the blocks (the derived
/// `Clone`, `Debug`, `PartialEq`, `Serialize` and drop, the writers, the redline, the
/// PDF layout and its structure tree) recurses once or twice per level, so this bound
/// is what keeps them within a thread's stack: `tests/it/nesting.rs` runs every writer
/// and the redline on a Document this deep on a thread with a 256 KiB stack.
pub const MAX_NESTING: usize = 32;

/// A whole agreement, numbered and with every cross-reference resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Document title, e.g. "School Resource Officer Agreement".
    pub title: String,
    /// Short title for running headers (e.g. "SRO Agreement — West Hartford").
    pub short_title: String,
    /// The parties in the order the agreement names them (school first).
    pub parties: Vec<String>,
    /// "between X and Y", printed under the title.
    pub subtitle: String,
    /// Date of execution as prose ("August 9, 2022"), when known.
    pub date: Option<String>,
    /// Date of execution: the fallback for the dates embedded in PDF and DOCX files.
    pub date_iso: Option<crate::date::Date>,
    /// Drafts carry a watermark and may show blanks.
    pub draft: bool,
    /// BCP 47 language tag of the text.
    pub language: String,
    /// One-line subject for document metadata.
    pub subject: String,
    pub articles: Vec<Article>,
    /// Redlines only: what a writer with tracked changes (DOCX) needs beyond the runs'
    /// marks; the others print `title` and the signatures as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redline: Option<Box<DocumentRedline>>,
}

/// A redline's title block as runs with change marks (accepting the insertions gives
/// the new document's lines, rejecting them the old one's), and its changed signature
/// blocks: signature fields are plain text, which Markdown and PDF print as
/// `NEW (was: OLD)`, and a DOCX tracks as a deletion and an insertion.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentRedline {
    pub title: Inlines,
    pub subtitle: Inlines,
    /// The "Dated …" line; empty when neither side has a date.
    pub date: Inlines,
    /// (the block as the redline prints it, old signatories, new signatories).
    pub signatures: Vec<(Vec<Signatory>, Vec<Signatory>, Vec<Signatory>)>,
}

impl Document {
    /// A redline: some run is marked inserted or deleted. (Recursive, like every walk
    /// of the blocks: see [`MAX_NESTING`].)
    pub fn has_changes(&self) -> bool {
        fn any(blocks: &[Block]) -> bool {
            blocks.iter().any(|b| match b {
                Block::Heading { text, .. } | Block::Paragraph(text) => {
                    text.iter().any(|r| r.style.change != Change::Unchanged)
                }
                Block::List(l) => l.items.iter().any(|i| any(i)),
                Block::Table(t) => t
                    .header
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .flatten()
                    .any(|r| r.style.change != Change::Unchanged),
                Block::Quote(inner) | Block::Note(inner) => any(inner),
                Block::Signatures(_) | Block::Rule => false,
            })
        }
        self.articles.iter().any(|a| any(&a.blocks))
    }
}

/// One clause of the outline, placed and numbered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Clause id (`duties`), stable across renumbering: the key for diffs.
    pub id: String,
    /// Clause version used.
    pub version: String,
    /// 1-based article number; `None` for unnumbered articles (recitals, signatures).
    pub number: Option<u32>,
    /// Title as written in the clause front matter ("Duties of the Officer").
    pub title: String,
    /// How the agreement numbers its articles (the profile's `agreement.numbering`).
    pub numbering: Numbering,
    pub blocks: Vec<Block>,
    /// The clause variant used (`None` for the standard text): with `id` and `version`
    /// it is what a DOCX carries so that edits made in Word map back to the clause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Redlines only: how this article differs as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redline: Option<Box<ArticleRedline>>,
}

/// What a redline knows of an article as a whole. Writers that print headings as text
/// (Markdown, PDF) say it in the heading (`[REMOVED] GONE (WAS ARTICLE II)`); a DOCX
/// tracks it instead (the heading paragraph inserted or deleted, a new title as
/// inserted words), since accepting or rejecting its changes must leave an agreement
/// with no such notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleRedline {
    /// `Inserted`: only in the new document; `Deleted`: only in the old one (or its
    /// old place, when it moved). The article's `number` is then `None` and
    /// `old_number` keeps the number it had.
    pub change: Change,
    /// The old title, when it changed.
    pub old_title: Option<String>,
    /// The old number: of a deleted article, and of one whose number changed.
    pub old_number: Option<u32>,
    /// Printed before the title in text headings: "[Removed] ", "[New] ", "[Moved] ".
    pub prefix: String,
    /// Printed after the title in text headings: " (was Article II)".
    pub suffix: String,
}

/// How articles are numbered and named (SPEC §2 `agreement.numbering`). Sections are
/// `4.1` either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    /// `ARTICLE IV. FUNDING`, referred to as "Article IV".
    #[default]
    Articles,
    /// `4. FUNDING`, referred to as "Section 4".
    Decimal,
}

impl Numbering {
    /// Article `n`'s label in a PDF or DOCX heading: see [`Article::heading_label`].
    pub fn heading_label(self, n: u32) -> String {
        match self {
            Numbering::Articles => format!("Article\u{a0}{}", roman(n)),
            Numbering::Decimal => n.to_string(),
        }
    }

    /// How the text refers to article `n`: "Article IV" or "Section 4".
    pub fn reference(self, n: u32) -> String {
        match self {
            Numbering::Articles => format!("Article {}", roman(n)),
            Numbering::Decimal => format!("Section {n}"),
        }
    }
}

impl Article {
    /// `ARTICLE IV` (or `4`, decimal) for numbered articles.
    pub fn label(&self) -> Option<String> {
        self.number.map(|n| match self.numbering {
            Numbering::Articles => format!("ARTICLE {}", roman(n)),
            Numbering::Decimal => n.to_string(),
        })
    }

    /// How the PDF and DOCX label an article in its heading: `Article IV` (decimal
    /// numbering: `4`), the number kept on the line of "Article" by a no-break space.
    /// They print the title after it as the clause's front matter writes it (title
    /// case), centred: capitals throughout read as shouting on a page. One function, so
    /// the two formats cannot drift apart.
    pub fn heading_label(&self) -> Option<String> {
        self.number.map(|n| self.numbering.heading_label(n))
    }

    /// The full heading line: `ARTICLE IV. FUNDING` (or `4. FUNDING`) or `RECITALS`;
    /// in a redline with what changed (`ARTICLE V. DUTIES (WAS ARTICLE IV)`).
    pub fn heading(&self) -> String {
        let title = match &self.redline {
            Some(r) => format!("{}{}{}", r.prefix, self.title, r.suffix),
            None => self.title.clone(),
        };
        match self.label() {
            Some(label) => format!("{label}. {}", title.to_uppercase()),
            None => title.to_uppercase(),
        }
    }

    /// How the text refers to this article: "Article IV" or "Section 4".
    pub fn reference(&self) -> Option<String> {
        self.number.map(|n| self.numbering.reference(n))
    }
}

/// Block-level content of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A section heading inside an article; `number` is `4.1` style.
    Heading {
        level: u8,
        number: Option<String>,
        text: Inlines,
    },
    Paragraph(Inlines),
    List(List),
    Table(Table),
    /// Signature blocks that belong together (printed side by side or stacked, never split).
    Signatures(Vec<Signatory>),
    Quote(Vec<Block>),
    /// A drafting note (a ```` ```note ```` block of a clause): guidance for counsel,
    /// shown in drafts (boxed, or a Word comment) and never part of a final agreement,
    /// which assembly leaves it out of. Holds paragraphs and lists only.
    Note(Vec<Block>),
    Rule,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List {
    /// `Some(start)` for an ordered list.
    pub start: Option<u64>,
    /// Each item is a sequence of blocks (its paragraph plus any nested list).
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub header: Vec<Inlines>,
    pub rows: Vec<Vec<Inlines>>,
    pub align: Vec<Align>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One person's block on the signature page: the party's signature, or a line beside
/// it (attestation, approval as to form, a preaudit certificate).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signatory {
    pub party: String,
    pub name: String,
    pub title: String,
    pub date: Option<String>,
    pub role: SignRole,
    /// Text printed above the signature line, such as the certificate a preaudit
    /// signature vouches for.
    pub statement: Option<String>,
}

/// What the person of a signature block does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum SignRole {
    /// Signs for the party: the block is headed by the party's name.
    #[default]
    Signs,
    Attests,
    ApprovesAsToForm,
    Preaudit,
}

impl SignRole {
    /// The role as a profile and a `signature` block write it.
    pub fn parse(s: &str) -> Option<SignRole> {
        Some(match s {
            "signs" => SignRole::Signs,
            "attests" => SignRole::Attests,
            "approves-as-to-form" => SignRole::ApprovesAsToForm,
            "preaudit" => SignRole::Preaudit,
            _ => return None,
        })
    }

    /// The heading of a block beside a signature; `None` for the signature itself,
    /// which is headed by the party's name.
    pub fn heading(self) -> Option<&'static str> {
        match self {
            SignRole::Signs => None,
            SignRole::Attests => Some("ATTEST:"),
            SignRole::ApprovesAsToForm => Some("APPROVED AS TO FORM:"),
            SignRole::Preaudit => Some("PREAUDIT CERTIFICATE"),
        }
    }
}

/// A run of text with one style. Paragraphs are flat sequences of runs, which is what
/// line breaking, word diffs and DOCX runs all want.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    pub style: Style,
    /// A cross-reference (`ref()`, `exhibit()`): the id of the article the text names
    /// (a clause id, or `exhibit:LABEL`), so that writers can make it a link or a Word
    /// REF field that follows renumbering. The text is what prints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xref: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    /// A visible blank (`[__________]`) left by a draft.
    pub blank: bool,
    /// A hard line break: the run's text is empty.
    pub line_break: bool,
    /// Redlines only: the run was inserted or deleted between two versions.
    pub change: Change,
}

/// How a run differs between the two sides of a redline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Change {
    #[default]
    Unchanged,
    Inserted,
    Deleted,
}

pub type Inlines = Vec<Run>;

impl Run {
    pub fn plain(text: impl Into<String>) -> Self {
        Run::styled(text, Style::default())
    }

    /// A run of `text` in `style`, naming no article.
    pub fn styled(text: impl Into<String>, style: Style) -> Self {
        Run {
            text: text.into(),
            style,
            xref: None,
        }
    }
}

/// A drafting note's blocks as a draft prints them: headed "Drafting note:", so that a
/// writer without a native form for notes (a box, a Word comment) still sets them apart
/// from the agreement's text.
pub fn note_blocks(inner: &[Block]) -> Vec<Block> {
    let label = Run::styled(
        "Drafting note:",
        Style {
            bold: true,
            ..Style::default()
        },
    );
    let mut out = Vec::with_capacity(inner.len() + 1);
    match inner.first() {
        Some(Block::Paragraph(first)) => {
            let mut runs = vec![label, Run::plain(" ")];
            runs.extend(first.iter().cloned());
            out.push(Block::Paragraph(runs));
            out.extend(inner[1..].iter().cloned());
        }
        _ => {
            out.push(Block::Paragraph(vec![label]));
            out.extend(inner.iter().cloned());
        }
    }
    out
}

/// The visible blank a draft shows where a value is missing.
pub const BLANK: &str = "[__________]";

/// Plain text of a run sequence (line breaks as newlines).
pub fn plain_text(inlines: &[Run]) -> String {
    let mut out = String::new();
    for run in inlines {
        if run.style.line_break {
            out.push('\n');
        } else {
            out.push_str(&run.text);
        }
    }
    out
}

/// Upper-case Roman numeral; article numbers are small and positive.
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 4, 9, 14, 19, 20, 40, 49].map(roman).to_vec();
        assert_eq!(got, ["I", "IV", "IX", "XIV", "XIX", "XX", "XL", "XLIX"]);
    }

    #[test]
    fn headings() {
        let mut a = Article {
            id: "funding".into(),
            version: "1.0.0".into(),
            number: Some(4),
            title: "Funding".into(),
            numbering: Default::default(),
            blocks: vec![],
            variant: None,
            redline: None,
        };
        assert_eq!(a.heading(), "ARTICLE IV. FUNDING");
        assert_eq!(a.heading_label().as_deref(), Some("Article\u{a0}IV"));
        a.numbering = Numbering::Decimal;
        assert_eq!(a.heading_label().as_deref(), Some("4"));
        a.number = None;
        assert_eq!(a.heading(), "FUNDING");
        assert_eq!(a.heading_label(), None);
    }
}
