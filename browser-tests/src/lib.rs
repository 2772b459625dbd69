//! The dashboard tested in a real browser: see `tests/dashboard.rs`.
