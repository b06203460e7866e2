//! Nesting depth: random nestings of `>`, `-`, `*`, `1.`, indentation, tables and
//! signature blocks, thousands of levels deep from a few kilobytes of input, through
//! `assemble::parse_markdown`, then every writer and the redline.
//!
//! Each input byte is one token, repeated 1 to 32 times (its top three bits), so a
//! 4 KiB input can nest 100,000 levels. What must hold: nothing overflows the stack;
//! the parser refuses exactly the text that nests past `MAX_NESTING` (a too-deep error
//! only when `nesting_depth` says so, and no accepted Document deeper than the bound);
//! every writer writes what the parser accepts, and the PDF draws it inside the page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mou::document::{Article, Block, Document, MAX_NESTING, Run};
use mou::render::pdf::model::{PAGE_HEIGHT, PAGE_WIDTH};
use mou::render::{Format, WriteOptions};

const TOKENS: [&str; 16] = [
    "> ",
    "- ",
    "1. ",
    "* ",
    "  ",
    "    ",
    "\n",
    "\n\n",
    "word ",
    "**bold** ",
    "+ ",
    "2) ",
    ">",
    "\n| a | b |\n|---|--:|\n| x | 1 |\n",
    "\n```signature\nparty: P\nname: N\ntitle: T\n```\n",
    "\t",
];

fn markdown(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 8);
    for &b in data {
        let token = TOKENS[usize::from(b & 0x0f)];
        let repeat = usize::from(b >> 4) * 2 + 1;
        for _ in 0..repeat {
            out.push_str(token);
        }
    }
    out
}

/// Nesting depth of lists and quotes (with a stack, not recursion).
fn depth(blocks: &[Block]) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&[Block], usize)> = vec![(blocks, 0)];
    while let Some((blocks, d)) = stack.pop() {
        deepest = deepest.max(d);
        for b in blocks {
            match b {
                Block::List(l) => stack.extend(l.items.iter().map(|i| (&i[..], d + 1))),
                Block::Quote(inner) | Block::Note(inner) => stack.push((inner, d + 1)),
                _ => {}
            }
        }
    }
    deepest
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "Fuzz".into(),
        short_title: "Fuzz".into(),
        parties: vec!["A".into(), "B".into()],
        subtitle: "between A and B".into(),
        date: None,
        date_iso: None,
        draft: false,
        language: "en-US".into(),
        subject: "fuzz".into(),
        articles: vec![Article {
            id: "fuzz".into(),
            version: "1.0.0".into(),
            number: Some(1),
            title: "Fuzz".into(),
            numbering: Default::default(),
            blocks,
        }],
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks raw text or the token program.
    let text = match data.split_first() {
        Some((&mode, rest)) if mode & 1 == 0 => markdown(rest),
        Some((_, rest)) => match std::str::from_utf8(rest) {
            Ok(t) => t.to_string(),
            Err(_) => return,
        },
        None => return,
    };
    let nesting = mou::assemble::nesting_depth(&text);
    let blocks = match mou::assemble::parse_markdown(&text, Some(1)) {
        Ok(blocks) => blocks,
        Err(e) => {
            assert!(!e.too_deep || nesting > MAX_NESTING, "refused at {nesting}");
            return;
        }
    };
    assert!(nesting <= MAX_NESTING, "accepted at {nesting}");
    assert!(depth(&blocks) <= MAX_NESTING);

    let new = document(blocks);
    let mut old = new.clone();
    old.articles[0]
        .blocks
        .insert(0, Block::Paragraph(vec![Run::plain("An older line.")]));
    let red = mou::diff::redline(&old, &new);
    let opts = WriteOptions::default();
    for doc in [&new, &red.document] {
        for format in Format::all() {
            // A character the PDF font cannot draw is an error, not a crash.
            let _ = format.write(doc, &opts);
        }
        let layout = mou::render::pdf::layout::layout(doc);
        for page in &layout.pages {
            for t in page.texts().filter(|t| t.rotate == 0.0) {
                assert!(
                    t.x >= 0.0 && t.right() <= PAGE_WIDTH && t.baseline <= PAGE_HEIGHT,
                    "{:?} drawn at {}..{}, {}",
                    t.text(),
                    t.x,
                    t.right(),
                    t.baseline
                );
            }
        }
    }
});
