//! Atomic output: every file is written to a temporary file in the same folder and
//! renamed over the target, so readers see the old file or the new one, never half.
//! An agreement's files are replaced together ([`Staged`]): all are written first, then
//! renamed, and put back if one of them cannot be.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// Temporary files are `.<name>.<random>.tmp` beside their target.
const TEMP_SUFFIX: &str = ".tmp";

/// Removes temporary files a killed earlier run left in `dir` (`.<name>.<random>.tmp`).
/// Returns how many were removed. Only call it while holding the folder's
/// [`FolderLock`]: every other build into `dir` waits for that lock, so no temporary
/// file here is another live run's work.
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
    let tmp = write_temp(path, fill)?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The prefix of temporary files for `path`: `.<name>.` (then `<random>.tmp`).
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// The content `fill` writes, in a temporary file beside `path` (removed when the
/// returned path is dropped unless it is persisted).
fn write_temp(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<TempPath> {
    let dir = folder_of(path);
    let prefix = temp_prefix(path);
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
    Ok(tmp.into_temp_path())
}

/// The files of one agreement, replaced together.
///
/// [`Staged::add`] writes each file to a temporary file beside its target; nothing is
/// replaced yet, and dropping the set removes them. [`Staged::commit`] then keeps each
/// existing target under a temporary name (a hard link, or a copy where links are not
/// supported: the target itself stays in place), renames every new file over its
/// target, and removes the kept old files.
///
/// What this guarantees:
/// - every file is always whole, the old version or the new one (each rename is atomic);
/// - a failure while writing (disk full, a folder in the way) replaces nothing;
/// - a rename that fails part-way puts back the files already replaced, each by an
///   atomic rename of its kept old version (a file that did not exist is removed), so
///   the agreement is again wholly old. Only if putting back fails too are some files
///   left new: [`CommitError::left_new`] names them;
/// - between the first and the last rename of a commit (a few renames), a reader or a
///   SIGKILL can see some files of the agreement new and others old. Kept old files and
///   temporary files a killed run leaves are `.<name>.<random>.tmp`, removed by the next
///   build ([`remove_stale_temps`]).
#[derive(Default)]
pub struct Staged {
    files: Vec<(PathBuf, TempPath)>,
}

/// Why [`Staged::commit`] failed.
#[derive(Debug)]
pub struct CommitError {
    /// The file that could not be replaced.
    pub target: PathBuf,
    pub error: anyhow::Error,
    /// Files that were replaced and could not be put back: they hold the new version.
    pub left_new: Vec<PathBuf>,
}

impl Staged {
    /// Writes `bytes` to a temporary file that [`Staged::commit`] renames to `target`.
    pub fn add(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        let tmp = write_temp(target, |w| w.write_all(bytes))?;
        self.files.push((target.to_path_buf(), tmp));
        Ok(())
    }

    /// Replaces every target (see [`Staged`] for what is guaranteed).
    pub fn commit(self) -> std::result::Result<(), CommitError> {
        self.commit_with(|tmp, target| tmp.persist(target).map_err(|e| e.error))
    }

    /// [`Staged::commit`] with the rename of each new file given (for tests).
    fn commit_with(
        self,
        mut rename: impl FnMut(TempPath, &Path) -> std::io::Result<()>,
    ) -> std::result::Result<(), CommitError> {
        let mut kept: Vec<Option<TempPath>> = Vec::with_capacity(self.files.len());
        for (target, _) in &self.files {
            match keep_old(target) {
                Ok(old) => kept.push(old),
                Err(error) => {
                    return Err(CommitError {
                        target: target.clone(),
                        error,
                        left_new: Vec::new(),
                    });
                }
            }
        }
        let targets: Vec<PathBuf> = self.files.iter().map(|(t, _)| t.clone()).collect();
        for (i, (target, tmp)) in self.files.into_iter().enumerate() {
            if let Err(e) = rename(tmp, &target) {
                let mut left_new = Vec::new();
                for j in (0..i).rev() {
                    let put_back = match kept[j].take() {
                        Some(old) => old.persist(&targets[j]).map_err(|e| e.error),
                        None => std::fs::remove_file(&targets[j]),
                    };
                    if put_back.is_err() {
                        left_new.push(targets[j].clone());
                    }
                }
                return Err(CommitError {
                    error: anyhow::Error::new(e)
                        .context(format!("cannot replace {}", target.display())),
                    target,
                    left_new,
                });
            }
        }
        Ok(())
    }
}

/// The current `target` kept under a temporary name beside it, while it stays in
/// place; `None` when there is no target yet.
fn keep_old(target: &Path) -> Result<Option<TempPath>> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot replace {}", target.display())),
    };
    if meta.is_dir() {
        anyhow::bail!("cannot replace {}: it is a folder", target.display());
    }
    let dir = folder_of(target);
    let prefix = temp_prefix(target);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    let kept = builder
        .make_in(dir, |p| std::fs::hard_link(target, p))
        .or_else(|_| builder.make_in(dir, |p| std::fs::copy(target, p).map(drop)))
        .with_context(|| format!("cannot keep the old {} aside", target.display()))?;
    Ok(Some(kept.into_temp_path()))
}

/// The lock file of an output folder, where the folder itself cannot be locked.
pub const LOCK_FILE: &str = ".mou.lock";

/// An advisory lock on an output folder, held by a build from before it removes stale
/// temporary files until after it has merged the manifest. A second build into the
/// same folder waits for it: both finish, one after the other, and neither removes the
/// other's temporary files or loses manifest entries (waiting suits scripted batches
/// better than failing).
///
/// On Unix the folder itself is locked (`flock` on the folder), so no lock file is
/// ever left behind, even by a process that is killed or exits early. Where a folder
/// cannot be locked (some network file systems, Windows), `OUT/.mou.lock` is locked
/// instead; on Unix it is removed as the lock is released, and a build that waited for
/// it then finds it gone and locks a new one.
pub struct FolderLock {
    held: Option<Held>,
    path: PathBuf,
}

enum Held {
    Folder(#[allow(dead_code)] std::fs::File),
    LockFile(#[allow(dead_code)] std::fs::File),
}

impl FolderLock {
    /// Locks `dir`, calling `waiting` once if another build holds it.
    pub fn acquire(dir: &Path, waiting: impl FnOnce()) -> Result<FolderLock> {
        let mut waiting = Some(waiting);
        #[cfg(unix)]
        if let Ok(folder) = std::fs::File::open(dir)
            && let Ok(true) = lock_waiting(&folder, &mut waiting)
        {
            return Ok(FolderLock {
                held: Some(Held::Folder(folder)),
                path: dir.to_path_buf(),
            });
        }
        let path = dir.join(LOCK_FILE);
        loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot open the lock file {}", path.display()))?;
            if !lock_waiting(&file, &mut waiting)
                .with_context(|| format!("cannot lock {}", path.display()))?
            {
                return Ok(FolderLock { held: None, path });
            }
            if still_named(&file, &path) {
                return Ok(FolderLock {
                    held: Some(Held::LockFile(file)),
                    path,
                });
            }
            // The build we waited for removed this file as it finished: lock the new one.
        }
    }

    /// Whether the lock is held (false where the file system cannot lock files).
    pub fn is_held(&self) -> bool {
        self.held.is_some()
    }

    /// What is locked: the folder, or its lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Locks `file` exclusively, calling `waiting` first if that means waiting. `false`:
/// the file system cannot lock files.
fn lock_waiting(
    file: &std::fs::File,
    waiting: &mut Option<impl FnOnce()>,
) -> std::io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => {
            if let Some(waiting) = waiting.take() {
                waiting();
            }
            file.lock()?;
            Ok(true)
        }
        Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            Ok(false)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still held, so no build can lock this file after us and believe
        // it holds the folder; the lock itself goes when the file is closed.
        if matches!(self.held, Some(Held::LockFile(_))) && cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` still names the open `file` (it may have been removed and created
/// anew by another build while we waited for the lock).
#[cfg(unix)]
fn still_named(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file is never removed, so it is always the one named.
#[cfg(not(unix))]
fn still_named(_: &std::fs::File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_folder_lock_is_exclusive_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = super::FolderLock::acquire(dir.path(), || panic!("nobody holds it")).unwrap();
        assert!(first.is_held());
        // A second lock waits until the first is dropped, in another thread.
        let (tx, rx) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let lock = super::FolderLock::acquire(&path, || tx.send(()).unwrap()).unwrap();
            drop(lock);
        });
        rx.recv().unwrap();
        drop(first);
        second.join().unwrap();
        #[cfg(unix)]
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn staged_files_replace_together() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("a.pdf"));
        std::fs::write(&a, "old a").unwrap();
        let mut staged = super::Staged::default();
        staged.add(&a, b"new a").unwrap();
        staged.add(&b, b"new b").unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"old a", "nothing replaced yet");
        assert!(!b.exists());
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        assert_eq!(names(dir.path()), ["a.md", "a.pdf"]);
    }

    #[test]
    fn a_dropped_set_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        std::fs::write(&a, "old a").unwrap();
        let mut staged = super::Staged::default();
        staged.add(&a, b"new a").unwrap();
        drop(staged);
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert_eq!(names(dir.path()), ["a.md"]);
    }

    /// A rename that fails part-way: the files already replaced are put back (the old
    /// version, or no file where there was none), and no temporary file is left.
    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("x.md"),
            dir.path().join("x.pdf"),
            dir.path().join("x.docx"),
        );
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&c, "old c").unwrap();
        let mut staged = super::Staged::default();
        for (p, bytes) in [(&a, "new a"), (&b, "new b"), (&c, "new c")] {
            staged.add(p, bytes.as_bytes()).unwrap();
        }
        let mut n = 0;
        let err = staged
            .commit_with(|tmp, target| {
                n += 1;
                if n == 3 {
                    return Err(std::io::Error::other("injected"));
                }
                tmp.persist(target).map_err(|e| e.error)
            })
            .unwrap_err();
        assert_eq!(err.target, c);
        assert!(err.left_new.is_empty());
        assert!(format!("{:#}", err.error).contains("injected"));
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert!(!b.exists());
        assert_eq!(std::fs::read(&c).unwrap(), b"old c");
        assert_eq!(names(dir.path()), ["x.docx", "x.md"]);
    }

    #[test]
    fn a_folder_in_the_way_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("a.pdf"));
        std::fs::write(&a, "old a").unwrap();
        std::fs::create_dir(&b).unwrap();
        let mut staged = super::Staged::default();
        staged.add(&a, b"new a").unwrap();
        staged.add(&b, b"new b").unwrap();
        let err = staged.commit().unwrap_err();
        assert_eq!(err.target, b);
        assert!(format!("{:#}", err.error).contains("it is a folder"));
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert_eq!(names(dir.path()), ["a.md", "a.pdf"]);
    }

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
