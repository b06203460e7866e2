//! Which agreements a batch of changed files touches.
//!
//! A profile touches itself and the profiles built on it (`extends`). A file an
//! agreement was built from (an exhibit file, a base outside the profile folders)
//! touches the agreements that used it: the `clauses used-by` relation, kept per file
//! from each build's [`crate::incremental::Inputs::files`]. A file of the library
//! (clause, outline, rules) or `mou.toml` reloads the library and asks about every
//! agreement, since a new clause version or a changed `states` list can change which
//! version an agreement uses; the inputs digest then rebuilds exactly the agreements
//! whose inputs changed, and skips the rest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The files each agreement was last built from, all paths absolute.
#[derive(Debug, Default)]
pub struct Deps {
    by_profile: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

impl Deps {
    pub fn record(&mut self, profile: PathBuf, files: BTreeSet<PathBuf>) {
        self.by_profile.insert(profile, files);
    }

    pub fn forget(&mut self, profile: &Path) {
        self.by_profile.remove(profile);
    }

    /// The profiles whose agreements were built from `file`.
    pub fn users<'a>(&'a self, file: &'a Path) -> impl Iterator<Item = &'a PathBuf> + 'a {
        self.by_profile
            .iter()
            .filter(move |(_, files)| files.contains(file))
            .map(|(p, _)| p)
    }

    /// Every file recorded.
    pub fn files(&self) -> BTreeSet<&PathBuf> {
        self.by_profile.values().flatten().collect()
    }
}

/// Where things are, all absolute.
#[derive(Debug, Default)]
pub struct Layout {
    /// The output folder: what the build writes there is never a change.
    pub out: PathBuf,
    /// The library layers and the agreements' overlay folders.
    pub library: Vec<PathBuf>,
    /// `mou.toml`, whether or not it exists.
    pub config: PathBuf,
    /// The paths given as PATH: folders searched for profiles, or profiles.
    pub roots: Vec<PathBuf>,
    /// The profiles found.
    pub profiles: BTreeSet<PathBuf>,
}

/// What a batch asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Read the library (and `mou.toml`) again.
    pub reload: bool,
    /// Ask about every agreement.
    pub all: bool,
    /// Ask about these profiles (absolute paths; some may be gone).
    pub profiles: BTreeSet<PathBuf>,
    /// The changed files that mattered, for the log.
    pub changed: Vec<PathBuf>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        !self.reload && !self.all && self.profiles.is_empty()
    }
}

/// What the changed `paths` (absolute) ask for.
pub fn scope(paths: &BTreeSet<PathBuf>, layout: &Layout, deps: &Deps) -> Scope {
    let mut s = Scope::default();
    for p in paths {
        if p.starts_with(&layout.out) || is_scratch(p) {
            continue;
        }
        let users: Vec<PathBuf> = deps.users(p).cloned().collect();
        let is_toml = p.extension().is_some_and(|e| e == "toml");
        if layout.library.iter().any(|l| l.starts_with(p)) {
            // The library folder (or one holding it) created, moved or removed.
            s.reload = true;
            s.all = true;
        } else if layout.roots.iter().any(|r| r.starts_with(p)) {
            // A profile folder (or one holding it) created, moved or removed.
            s.all = true;
        } else if layout.profiles.contains(p)
            || (is_toml && layout.roots.iter().any(|r| p.starts_with(r)))
        {
            // A profile changed, appeared or went; or a base in a profile folder.
            s.profiles.insert(p.clone());
            s.profiles.extend(users);
        } else if *p == layout.config || layout.library.iter().any(|l| p.starts_with(l)) {
            s.reload = true;
            s.all = true;
        } else if !users.is_empty() {
            // An exhibit file or a base elsewhere: read again with the library.
            s.reload = true;
            s.profiles.extend(users);
        } else {
            continue;
        }
        s.changed.push(p.clone());
    }
    s
}

/// Editors' scratch files: swap files, backups, the probe vim writes (`4913`), and
/// hidden files (our own temporary files are `.<name>.<random>.tmp`).
fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            out: "/p/out".into(),
            library: vec!["/p/clauses".into(), "/p/profiles/x.clauses".into()],
            config: "/p/mou.toml".into(),
            roots: vec!["/p/profiles".into()],
            profiles: ["/p/profiles/a.toml".into(), "/p/profiles/b.toml".into()].into(),
        }
    }

    fn deps() -> Deps {
        let mut d = Deps::default();
        d.record(
            "/p/profiles/a.toml".into(),
            [
                "/p/profiles/a.toml".into(),
                "/p/clauses/t/1.0.0.md".into(),
                "/p/exhibits/e.md".into(),
            ]
            .into(),
        );
        d.record(
            "/p/profiles/b.toml".into(),
            ["/p/profiles/b.toml".into(), "/p/profiles/a.toml".into()].into(),
        );
        d
    }

    fn of(paths: &[&str]) -> Scope {
        let paths = paths.iter().map(PathBuf::from).collect();
        scope(&paths, &layout(), &deps())
    }

    #[test]
    fn a_profile_touches_itself_and_those_built_on_it() {
        let s = of(&["/p/profiles/b.toml"]);
        assert_eq!(s.profiles, ["/p/profiles/b.toml".into()].into());
        assert!(!s.reload && !s.all);
        let s = of(&["/p/profiles/a.toml"]);
        let both: BTreeSet<PathBuf> =
            ["/p/profiles/a.toml".into(), "/p/profiles/b.toml".into()].into();
        assert_eq!(s.profiles, both);
    }

    #[test]
    fn a_new_profile_is_asked_about() {
        let s = of(&["/p/profiles/sub/new.toml"]);
        assert_eq!(s.profiles, ["/p/profiles/sub/new.toml".into()].into());
    }

    #[test]
    fn the_library_and_mou_toml_reload_and_ask_about_all() {
        for p in [
            "/p/clauses/t/1.1.0.md",
            "/p/mou.toml",
            "/p/profiles/x.clauses/t/1.0.0.md",
        ] {
            let s = of(&[p]);
            assert!(s.reload && s.all, "{p}");
        }
    }

    #[test]
    fn a_folder_moved_or_removed_asks_about_all() {
        // With an overlay folder inside, the library is read again too.
        let s = of(&["/p/profiles"]);
        assert!(s.all && s.reload);
        let mut l = layout();
        l.library.pop();
        let s = scope(&["/p/profiles".into()].into(), &l, &deps());
        assert!(s.all && !s.reload);
        let s = of(&["/p/clauses"]);
        assert!(s.all && s.reload);
        let s = of(&["/p"]);
        assert!(s.all && s.reload);
    }

    #[test]
    fn a_file_used_elsewhere_touches_its_users() {
        let s = of(&["/p/exhibits/e.md"]);
        assert!(s.reload && !s.all);
        assert_eq!(s.profiles, ["/p/profiles/a.toml".into()].into());
    }

    #[test]
    fn outputs_scratch_files_and_strangers_are_not_changes() {
        let s = of(&[
            "/p/out/a.pdf",
            "/p/out/manifest.json",
            "/p/profiles/.a.toml.swp",
            "/p/profiles/a.toml~",
            "/p/clauses/t/4913",
            "/p/README.md",
        ]);
        assert!(s.is_empty(), "{s:?}");
        assert!(s.changed.is_empty());
    }
}
