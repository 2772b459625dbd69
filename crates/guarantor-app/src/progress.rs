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
}

/// Progress nobody watches.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {}
