//! `mou watch` and `mou serve` (issue #17): file events, gathered into one batch per
//! save, and what a batch asks to rebuild ([`scope`]).
//!
//! Events come from the `notify` crate (inotify on Linux, FSEvents or kqueue
//! elsewhere). An editor's save is several events (a temporary file written, renamed
//! over the old one, attributes set), so events are gathered until none has come for
//! the debounce time; the batch is then handled at once. Folders are watched, not
//! files: an editor that saves by renaming replaces the file a watch on it would follow.

pub mod scope;

use notify::{EventKind, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How often a wait for events looks whether a signal asked to stop.
const STOP_POLL: Duration = Duration::from_millis(100);

/// The folders watched and the events they give.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// Folders watched with their subfolders.
    deep: BTreeSet<PathBuf>,
    /// Folders watched alone.
    shallow: BTreeSet<PathBuf>,
}

/// What came in one batch: the paths touched, absolute, and what the watcher could
/// not do (a watched folder removed, an event queue overflow).
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    pub problems: Vec<String>,
}

impl Watcher {
    pub fn new() -> anyhow::Result<Watcher> {
        let (tx, events) = channel();
        let inner = notify::recommended_watcher(move |e| {
            // The receiver is gone only when the watcher is being dropped.
            let _ = tx.send(e);
        })
        .map_err(|e| anyhow::anyhow!("cannot watch files: {e}"))?;
        Ok(Watcher {
            inner,
            events,
            deep: BTreeSet::new(),
            shallow: BTreeSet::new(),
        })
    }

    /// Watches `dir` (with its subfolders when `deep`), unless it is watched already.
    /// A folder that does not exist is not an error: there is nothing to watch yet.
    pub fn watch(&mut self, dir: &Path, deep: bool) -> anyhow::Result<()> {
        let dir = absolute(dir);
        if self.deep.iter().any(|d| dir.starts_with(d))
            || (!deep && self.shallow.contains(&dir))
            || !dir.is_dir()
        {
            return Ok(());
        }
        let mode = if deep {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        self.inner
            .watch(&dir, mode)
            .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", dir.display()))?;
        if deep {
            self.deep.insert(dir);
        } else {
            self.shallow.insert(dir);
        }
        Ok(())
    }

    /// Stops watching each watched folder that `paths` names itself: it was created,
    /// moved or removed, and a watch follows the folder moved away, not the name.
    /// [`Watcher::watch`] then watches whatever holds the name now.
    pub fn forget(&mut self, paths: &BTreeSet<PathBuf>) {
        for set in [&mut self.deep, &mut self.shallow] {
            let gone: Vec<PathBuf> = set.iter().filter(|d| paths.contains(*d)).cloned().collect();
            for dir in gone {
                // Already gone with the folder, or not: either way, not watched.
                let _ = self.inner.unwatch(&dir);
                set.remove(&dir);
            }
        }
    }

    /// Waits for the next batch: the first event, then every event until none has
    /// come for `quiet`. `None` once `stop` is set (a signal).
    pub fn next_batch(&self, quiet: Duration, stop: &AtomicUsize) -> Option<Batch> {
        let mut batch = Batch::default();
        while batch.paths.is_empty() && batch.problems.is_empty() {
            if stop.load(Ordering::SeqCst) != 0 {
                return None;
            }
            match self.events.recv_timeout(STOP_POLL) {
                Ok(e) => {
                    add(&mut batch, e);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        let mut last = Instant::now();
        loop {
            let left = quiet.saturating_sub(last.elapsed());
            if left.is_zero() {
                return Some(batch);
            }
            match self.events.recv_timeout(left) {
                Ok(e) => {
                    if add(&mut batch, e) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Some(batch),
                Err(RecvTimeoutError::Disconnected) => return Some(batch),
            }
        }
    }
}

/// Adds an event's paths to the batch; whether it was one that counts (reads and
/// opens do not).
fn add(batch: &mut Batch, event: notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => match e.kind {
            EventKind::Access(_) => false,
            _ => {
                batch.paths.extend(e.paths.iter().map(|p| absolute(p)));
                true
            }
        },
        Err(e) => {
            batch.problems.push(e.to_string());
            true
        }
    }
}

/// `path` made absolute without touching the file system (it may be gone), `..`
/// taken away by name, so paths from events and from the project compare (a base
/// profile is found as `profiles/../shared/base.toml`).
pub fn absolute(path: &Path) -> PathBuf {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in full.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
