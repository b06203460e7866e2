//! The clause front-matter parser: `+++` TOML `+++` then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match mou::library::split_front_matter(Path::new("clauses/fuzz/1.0.0.md"), source) {
        Ok((front, body, line)) => {
            assert!(line >= 1);
            assert!(source.ends_with(body));
            let _ = front.states.len();
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
