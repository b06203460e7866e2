//! Atomic output: every file is written to a temporary file in the same folder and
//! renamed over the target, so readers see the old file or the new one, never half.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Temporary files are `.<name>.<random>.tmp` beside their target.
const TEMP_SUFFIX: &str = ".tmp";

/// Removes temporary files a killed earlier run left in `dir` (`.<name>.<random>.tmp`).
/// Returns how many were removed. Two builds into one folder at once are not supported
/// (the manifest is merged by one of them), so nothing here is another run's work.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with('.')
                && name.ends_with(TEMP_SUFFIX)
                && name.matches('.').count() >= 3
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// Like [`atomic_write`], with the content streamed by `fill` (for large files such
/// as the manifest of a big batch, never held whole in memory).
pub fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // Outputs get the usual file mode (0666 less the umask), not tempfile's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).and_then(|_| w.flush())
    }
    // No fsync: the rename alone makes a killed or failed run leave the old file or the
    // new one, never half of one (tests/it/kill.rs); an fsync per file only adds power-loss
    // durability, at several milliseconds a file, which a rebuild provides more cheaply.
    .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        super::atomic_write(&p, b"one").unwrap();
        super::atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        super::atomic_write(&p, b"one").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_ne!(
            mode & 0o044,
            0,
            "readable by others unless the umask says no: {mode:o}"
        );
    }

    #[test]
    fn stale_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".a.md.x1Yz9Q.tmp",
            ".manifest.json.abcdef.tmp",
            "keep.md",
            ".keep",
            "x.tmp",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        assert_eq!(super::remove_stale_temps(dir.path()), 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".keep", "keep.md", "x.tmp"]);
    }
}
