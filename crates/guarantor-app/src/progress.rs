//! How far a long use case has got, for an interface to show (a terminal's progress bar, a server's job
//! status) or ignore.

/// Told as a long use case goes: each step begins with its size, advances, and ends. Every method does nothing
/// unless implemented, so `&Silent` serves where nobody watches.
pub trait Progress {
    /// A step begins: what it is (e.g. `reading day1.csv`) and how many units of work it has (bytes, reports).
    fn begin(&self, _step: &str, _total: u64) {}
    /// So many units of the current step are done.
    fn advance_to(&self, _done: u64) {}
    /// The current step is over.
    fn end(&self) {}
    /// Whether whoever watches wants it stopped (a server's job cancelled): long steps ask between units of
    /// work and end with a `cancelled` error.
    fn cancelled(&self) -> bool {
        false
    }
}

/// What a use case tells an engine that takes `(done, all)` and may be stopped: `done` shown, and stop when
/// `progress` is cancelled.
pub(crate) fn told(progress: &(dyn Progress + Sync), done: usize) -> std::ops::ControlFlow<()> {
    progress.advance_to(done as u64);
    if progress.cancelled() {
        std::ops::ControlFlow::Break(())
    } else {
        std::ops::ControlFlow::Continue(())
    }
}

/// Progress nobody watches.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {}
