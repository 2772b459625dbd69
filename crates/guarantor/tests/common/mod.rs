//! What the CLI's tests share: running `guarantor` with standard input, and a `guarantor serve` on a free port.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `guarantor ARGS` in `dir` with `stdin` on its standard input; panics with its stderr if it fails.
pub fn guarantor_with_input(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guarantor"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("guarantor runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("writes");
    let out = child.wait_with_output().expect("guarantor ends");
    assert!(
        out.status.success(),
        "guarantor {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A running `guarantor serve`: the child, its address, and its standard error, read to the end in a thread.
pub struct Server {
    child: std::process::Child,
    /// Where it listens.
    pub addr: String,
    stderr: std::thread::JoinHandle<String>,
}

impl Server {
    /// Starts `guarantor serve` on a free port with `database` (`--db FILE` or `--database-url URL`) in
    /// `dir`.
    pub fn start(dir: &std::path::Path, database: &[&str]) -> Server {
        use std::io::{BufRead, BufReader, Read};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guarantor"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(database)
            .current_dir(dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("guarantor serve starts");
        let mut err = child.stderr.take().expect("piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server says where it listens");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// Stops it (SIGKILL) and returns what it wrote on standard error.
    pub fn kill(mut self) -> String {
        self.child.kill().expect("killed");
        let _ = self.child.wait();
        self.stderr.join().unwrap_or_default()
    }
}
