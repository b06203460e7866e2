//! The reader of a returned DOCX (`mou review`): the bytes as a whole package (ZIP
//! limits, then its parts), or, by the first byte, as the XML of the document, the
//! comments or the custom properties. Errors must be diagnostics, never panics; an XML
//! error is placed at a line of its part.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 4 == 0 {
        let limits = mou::review::Limits {
            file: 1 << 20,
            entries: 64,
            part: 1 << 20,
            total: 2 << 20,
            ratio: 200,
        };
        if let Ok(r) = mou::review::read(Path::new("t.docx"), rest.to_vec(), limits) {
            for p in &r.body.paragraphs {
                let _ = (p.text(true), p.text(false), p.ends(true));
            }
        }
        return;
    }
    let Ok(xml) = std::str::from_utf8(rest) else {
        return;
    };
    let file = Path::new("t.docx:part.xml");
    let err = match mode % 4 {
        1 => mou::review::xml::body(file, xml).err(),
        2 => mou::review::xml::comments(file, xml).err(),
        _ => mou::review::xml::custom_properties(file, xml).err(),
    };
    if let Some(d) = err {
        assert!(d.line >= 1, "unplaced: {d}");
        let _ = d.to_string();
    }
});
