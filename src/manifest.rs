//! `OUT/manifest.json`: the sha256 of every profile, clause version and output.
//!
//! A batch must not hold itself in memory, and manifest entries were the last thing that
//! grew with it (2.5 KB of JSON per agreement: 10 MB at 4,000). So each entry goes to a
//! [`Spill`], an unnamed temporary file beside the outputs, as its agreement is written;
//! memory keeps only the id and where the entry lies. The entries of an existing
//! manifest are streamed into the same file one at a time. The manifest is then written
//! in id order by reading the entries back one at a time.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Error as _, SerializeMap};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where one entry lies in the spill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    offset: u64,
    len: usize,
}

/// Manifest entries of the run, written as they come from any thread.
pub struct Spill {
    file: Mutex<(BufWriter<File>, u64)>,
}

impl Spill {
    /// An unnamed temporary file in `dir` (the output folder), gone when dropped or
    /// when the process dies.
    pub fn new(dir: &Path) -> std::io::Result<Spill> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Spill {
            file: Mutex::new((BufWriter::new(file), 0)),
        })
    }

    /// Appends one entry's JSON text.
    pub fn push(&self, text: &str) -> std::io::Result<Spilled> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("manifest spill poisoned"))?;
        let (w, end) = &mut *guard;
        w.write_all(text.as_bytes())?;
        let at = Spilled {
            offset: *end,
            len: text.len(),
        };
        *end += text.len() as u64;
        Ok(at)
    }

    /// The file, flushed, for reading entries back.
    fn finish(self) -> std::io::Result<File> {
        let (w, _) = self
            .file
            .into_inner()
            .map_err(|_| std::io::Error::other("manifest spill poisoned"))?;
        w.into_inner().map_err(|e| e.into_error())
    }
}

/// An old manifest that could not be read, moved aside rather than replaced.
#[derive(Debug)]
pub struct KeptAside {
    /// Where it is now: `manifest.json.corrupt-<n>`, the first such name not taken.
    pub path: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

/// Merges this run's entries (agreement id → spilled entry) into `OUT/manifest.json`:
/// entries of profiles built now are replaced, others (failed now, or not part of this
/// run) are kept as they were. An old manifest that cannot be read is never silently
/// replaced (its entries would be lost): it is renamed to `manifest.json.corrupt-<n>`
/// (never over an earlier one) and returned, for the caller to warn about.
pub fn write(
    out: &Path,
    built: Vec<(String, Spilled)>,
    spill: Spill,
) -> anyhow::Result<Option<KeptAside>> {
    if built.is_empty() {
        return Ok(None);
    }
    let path = out.join("manifest.json");
    let (old, kept_aside) = match old_entries(&path, &spill) {
        Ok(old) => (old, None),
        Err(reason) => (Vec::new(), Some(keep_aside(&path, reason)?)),
    };
    let mut entries: BTreeMap<String, Spilled> = old.into_iter().collect();
    entries.extend(built);
    let file = spill.finish()?;
    let manifest = Manifest {
        agreements: Entries {
            entries,
            file: &file,
        },
        generator: format!("mou {}", env!("CARGO_PKG_VERSION")),
    };
    crate::write::atomic_write_with(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        w.write_all(b"\n")
    })?;
    Ok(kept_aside)
}

/// Renames the unreadable manifest `path` to the first free `<path>.corrupt-<n>`.
/// The output folder is locked for the build, so no other build takes the name.
fn keep_aside(path: &Path, reason: String) -> anyhow::Result<KeptAside> {
    let mut name = path.as_os_str().to_os_string();
    name.push(".corrupt-");
    let aside = (1u32..)
        .map(|n| {
            let mut name = name.clone();
            name.push(n.to_string());
            PathBuf::from(name)
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .ok_or_else(|| anyhow::anyhow!("no free name to keep {} aside", path.display()))?;
    std::fs::rename(path, &aside).map_err(|e| {
        anyhow::anyhow!(
            "{} cannot be read ({reason}) and cannot be kept aside as {}: {e}; it was left as it is",
            path.display(),
            aside.display()
        )
    })?;
    Ok(KeptAside {
        path: aside,
        reason,
    })
}

/// The entries of an existing manifest, streamed into the spill: none when there is no
/// manifest, and why not when it cannot be read as one.
fn old_entries(path: &Path, spill: &Spill) -> Result<Vec<(String, Spilled)>, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.to_string()),
    };
    let mut found = Vec::new();
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(file));
    let seed = OldManifest {
        spill,
        found: &mut found,
    };
    seed.deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| e.to_string())?;
    Ok(found)
}

/// Reads `{"agreements": {id: entry, ...}, ...}`, spilling each entry as it is read.
struct OldManifest<'a> {
    spill: &'a Spill,
    found: &'a mut Vec<(String, Spilled)>,
}

impl<'de> DeserializeSeed<'de> for OldManifest<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OldManifest<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mou manifest")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "agreements" {
                map.next_value_seed(OldEntries {
                    spill: self.spill,
                    found: &mut *self.found,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct OldEntries<'a> {
    spill: &'a Spill,
    found: &'a mut Vec<(String, Spilled)>,
}

impl<'de> DeserializeSeed<'de> for OldEntries<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OldEntries<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map of agreement ids to entries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(id) = map.next_key::<String>()? {
            let entry: Box<RawValue> = map.next_value()?;
            let at = self.spill.push(entry.get()).map_err(de::Error::custom)?;
            self.found.push((id, at));
        }
        Ok(())
    }
}

/// The manifest as written: keys in sorted order, like a `serde_json::Value`.
#[derive(serde::Serialize)]
struct Manifest<'a> {
    agreements: Entries<'a>,
    generator: String,
}

/// Agreement id → spilled entry; each entry is read and parsed only while it is written.
struct Entries<'a> {
    entries: BTreeMap<String, Spilled>,
    file: &'a File,
}

impl serde::Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        let mut buf = Vec::new();
        let mut file = self.file;
        for (id, at) in &self.entries {
            buf.resize(at.len, 0);
            file.seek(SeekFrom::Start(at.offset))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(S::Error::custom)?;
            let entry: Value = serde_json::from_slice(&buf).map_err(S::Error::custom)?;
            map.serialize_entry(id, &entry)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(out: &Path) -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
    }

    #[test]
    fn entries_are_merged_into_the_old_manifest_in_id_order() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let b = spill.push(r#"{"n":1}"#).unwrap();
        let a = spill.push(r#"{"n":2,"list":[1,2]}"#).unwrap();
        write(dir.path(), vec![("b".into(), b), ("a".into(), a)], spill).unwrap();
        let first = read(dir.path());
        assert_eq!(first["agreements"]["a"]["list"][1], 2);
        assert_eq!(first["agreements"]["b"]["n"], 1);

        // A second run replaces `b`, adds `c` and keeps `a` from the old manifest.
        let spill = Spill::new(dir.path()).unwrap();
        let c = spill.push(r#"{"n":3}"#).unwrap();
        let b = spill.push(r#"{"n":4}"#).unwrap();
        write(dir.path(), vec![("c".into(), c), ("b".into(), b)], spill).unwrap();
        let second = read(dir.path());
        let ids: Vec<&String> = second["agreements"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(second["agreements"]["a"], first["agreements"]["a"]);
        assert_eq!(second["agreements"]["b"]["n"], 4);
        assert_eq!(second["generator"], first["generator"]);
    }

    #[test]
    fn an_unreadable_old_manifest_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let run = |corrupt: &str| {
            std::fs::write(dir.path().join("manifest.json"), corrupt).unwrap();
            let spill = Spill::new(dir.path()).unwrap();
            let a = spill.push("{}").unwrap();
            write(dir.path(), vec![("a".into(), a)], spill)
                .unwrap()
                .expect("kept aside")
        };
        let first = run("{\"agreements\": {\"x\": [");
        assert_eq!(first.path, dir.path().join("manifest.json.corrupt-1"));
        assert!(first.reason.contains("line 1"), "{}", first.reason);
        let second = run("[]");
        assert_eq!(second.path, dir.path().join("manifest.json.corrupt-2"));
        assert_eq!(
            std::fs::read_to_string(&first.path).unwrap(),
            "{\"agreements\": {\"x\": ["
        );
        assert_eq!(std::fs::read_to_string(&second.path).unwrap(), "[]");
        let m = read(dir.path());
        let ids: Vec<&String> = m["agreements"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["a"]);
    }

    #[test]
    fn nothing_built_leaves_the_manifest_alone() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        write(dir.path(), Vec::new(), spill).unwrap();
        assert!(!dir.path().join("manifest.json").exists());
    }
}
