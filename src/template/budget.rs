//! A memory ceiling for rendering one clause. A template can build a value that
//! doubles with every statement (`{% set s = s ~ s %}`) without writing a byte, and
//! Tera offers no hook to stop it; left alone it ends in an out-of-memory abort. The
//! `mou` binary installs [`BudgetAlloc`] as its global allocator: while a clause
//! renders, the bytes its thread allocates (net of frees) are counted, and past the
//! budget ([`MIN_RENDER_MEMORY`], or more for a raised output limit) the run stops with
//! one clear error and exit code 1 instead. A small budget also bounds time: without
//! loops (which are metered) a clause can only repeat statements, at most a few tens of
//! thousands in 1 MiB, each on values no larger than the budget.
//! Every output is written atomically, so stopping leaves earlier outputs whole.
//! Outside a render the allocator only passes calls through, to mimalloc: with glibc's
//! allocator a two-thread batch of large PDF buffers fragmented to 80–210 MiB peak and
//! grew with the batch; mimalloc keeps it flat and is slightly faster. Its v2 line is
//! used: v3 committed 69–81 MiB at 1,000 agreements where v2 stays at 44 MiB, for the
//! same speed (a single agreement's live heap peaks near 3 MiB).

use mimalloc::MiMalloc as Inner;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::io::Write;

/// Net bytes one clause render may allocate, at least.
pub const MIN_RENDER_MEMORY: usize = 64 << 20;

/// The budget for a render whose output may reach `output_limit` bytes.
pub fn budget_for(output_limit: usize) -> usize {
    MIN_RENDER_MEMORY.max(output_limit.saturating_mul(8))
}

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static USED: Cell<isize> = const { Cell::new(0) };
    static LIMIT: Cell<isize> = const { Cell::new(isize::MAX) };
    /// The clause being rendered (a pointer to its path text, owned by the guard).
    static WHO: Cell<(*const u8, usize)> = const { Cell::new((std::ptr::null(), 0)) };
}

/// Counts allocations while a [`Guard`] is alive on the thread.
pub struct BudgetAlloc;

// SAFETY: every call is forwarded unchanged to the inner allocator; the bookkeeping only reads and
// writes thread-locals that have no destructor and allocate nothing.
unsafe impl GlobalAlloc for BudgetAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        unsafe { Inner.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        unsafe { Inner.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        charge(-(layout.size() as isize));
        unsafe { Inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        charge(new_size as isize - layout.size() as isize);
        unsafe { Inner.realloc(ptr, layout, new_size) }
    }
}

fn charge(bytes: isize) {
    if !ARMED.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    let used = USED.with(|u| {
        let v = u.get().saturating_add(bytes);
        u.set(v);
        v
    });
    if used > LIMIT.with(Cell::get) {
        over_budget();
    }
}

#[cold]
fn over_budget() -> ! {
    ARMED.with(|a| a.set(false));
    let (ptr, len) = WHO.with(Cell::get);
    let who = if ptr.is_null() {
        "a clause"
    } else {
        // SAFETY: set by `Guard::new` from a `&str` that outlives the guard, and the
        // guard is alive while ARMED is true.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len)) }
    };
    let _ = writeln!(
        std::io::stderr(),
        "error[E0215]: {who}: rendering this clause needed more than {} MiB of memory; stopped\n  \
         help: a template that keeps doubling a value (`{{% set s = s ~ s %}}`) never ends; \
         outputs already written are left as they were",
        LIMIT.with(Cell::get) >> 20
    );
    std::process::exit(1);
}

/// Arms the budget for one render on this thread; disarms when dropped.
pub struct Guard<'a> {
    _who: &'a str,
}

impl<'a> Guard<'a> {
    /// Arms a budget of `limit` bytes for rendering `who` (the clause path shown in
    /// the error).
    pub fn new(who: &'a str, limit: usize) -> Guard<'a> {
        WHO.with(|w| w.set((who.as_ptr(), who.len())));
        LIMIT.with(|l| l.set(isize::try_from(limit).unwrap_or(isize::MAX)));
        USED.with(|u| u.set(0));
        ARMED.with(|a| a.set(true));
        Guard { _who: who }
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        ARMED.with(|a| a.set(false));
        WHO.with(|w| w.set((std::ptr::null(), 0)));
    }
}
