//! Template rendering: the input is a clause body, rendered against a fixed final
//! profile (tests/fixtures/valid.toml) exactly as `mou build` does, then parsed as
//! Markdown. Errors are fine; panics, aborts, hangs and runaway memory are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mou::library::{ClauseVersion, FrontMatter, Library};
use mou::profile::Profile;
use mou::template::Engine;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn context() -> &'static tera::Context {
    static CTX: OnceLock<tera::Context> = OnceLock::new();
    CTX.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/valid.toml");
        let profile = Profile::parse(Path::new("valid.toml"), text.to_string())
            .expect("the fixture profile is valid");
        mou::template::context_for(&profile)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let clause = ClauseVersion {
        id: mou::ids::ClauseId::parse("fuzz").expect("a valid clause id"),
        version: semver::Version::new(1, 0, 0),
        path: PathBuf::from("clauses/fuzz/1.0.0.md"),
        front: FrontMatter {
            title: "Fuzz".into(),
            summary: String::new(),
            tags: Vec::new(),
            states: vec!["*".into()],
            changes: String::new(),
            id: None,
            version: None,
        },
        body: body.to_string(),
        body_line: 5,
        sha256: String::new(),
        layer: Default::default(),
        variant: None,
    };
    let mut lib = Library::default();
    lib.clauses.insert("fuzz".into(), vec![clause]);
    let (engine, diags) = Engine::for_library(&lib);
    let clause = &lib.clauses["fuzz"][0];
    for d in &diags {
        assert!(d.line == 0 || d.line >= clause.body_line, "{d}");
    }
    if !engine.has(clause) {
        return;
    }
    let _ = engine.variables(clause);
    let _ = mou::check::schema::check_clause(clause);
    let articles = BTreeMap::from([("fuzz".to_string(), "Article I".to_string())]);
    match engine.render(clause, context(), &articles) {
        Ok(text) => {
            let _ = mou::assemble::parse_markdown(&text, Some(1));
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
