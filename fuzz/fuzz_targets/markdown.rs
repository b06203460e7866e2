//! Rendered Markdown → Document blocks, then the Markdown writer on the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mou::document::{Article, Document};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let number = (text.len() % 3 != 0).then_some(3);
    let Ok(blocks) = mou::assemble::parse_markdown(text, number) else {
        return;
    };
    let doc = Document {
        title: "Fuzz".into(),
        short_title: "Fuzz".into(),
        parties: vec!["A".into(), "B".into()],
        subtitle: "between A and B".into(),
        date: None,
        date_iso: None,
        draft: true,
        language: "en-US".into(),
        subject: "fuzz".into(),
        redline: None,
        articles: vec![Article {
            id: "fuzz".into(),
            version: "1.0.0".into(),
            number,
            title: "Fuzz".into(),
            numbering: Default::default(),
            variant: None,
            redline: None,
            blocks,
        }],
    };
    let _ = mou::render::markdown::render(&doc);
});
