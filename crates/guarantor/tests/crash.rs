//! The server killed (SIGKILL) in the middle of a large ingest, twenty times over the same database, and
//! restarted each time: every batch the server acknowledged is stored whole, a batch it had not acknowledged
//! is stored whole or not at all, never in part, and the database stays sound.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BATCH: usize = 20_000;
const BATCHES: usize = 48;
const ROUNDS: usize = 20;

mod common;

use common::{Server, guarantor_with_input};

/// `guarantor ARGS` in `dir` with `stdin`: its standard output.
fn guarantor(dir: &Path, args: &[&str], stdin: &str) -> String {
    String::from_utf8_lossy(&guarantor_with_input(dir, args, stdin).stdout).into_owned()
}

/// Starts the server on the database in `dir`.
fn start(dir: &Path) -> Server {
    Server::start(dir, &["--db", "server.sqlite"])
}

/// POSTs one batch; `Some(status)` once the answer's status line is read, `None` if the connection broke.
fn post(addr: &str, token: &str, name: &str, body: &str) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(
        s,
        "POST /api/v1/reports?format=csv&name={name} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .ok()?;
    s.write_all(body.as_bytes()).ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    answer.get(9..12)?.parse().ok()
}

/// Reports stored from each batch, by the batch's name.
fn stored(db: &Path) -> std::collections::BTreeMap<String, usize> {
    let conn = rusqlite::Connection::open(db).expect("opens");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("checks");
    assert_eq!(ok, "ok", "the database is sound");
    let mut stmt = conn
        .prepare("SELECT file, COUNT(*) FROM report GROUP BY file")
        .expect("a query");
    stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

#[test]
fn killed_mid_ingest_twenty_times_nothing_acknowledged_is_lost_nothing_is_half_written() {
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    guarantor(
        dir,
        &[
            "user",
            "add",
            "feeder",
            "--role",
            "monitor",
            "--db",
            "server.sqlite",
        ],
        "password of the feeder\n",
    );
    let token = guarantor(
        dir,
        &["user", "token", "feeder", "--db", "server.sqlite"],
        "",
    )
    .trim()
    .to_owned();
    guarantor(
        dir,
        &[
            "monitor",
            "generate",
            "--out",
            "feed.csv",
            "--reports",
            &(BATCH * BATCHES).to_string(),
            "--seed",
            "7",
        ],
        "",
    );
    let feed = std::fs::read_to_string(dir.join("feed.csv")).expect("the feed");
    let mut lines = feed.lines();
    let header = lines.next().expect("a header");
    let rows: Vec<&str> = lines.collect();
    let batches: Vec<String> = rows
        .chunks(BATCH)
        .map(|c| format!("{header}\n{}\n", c.join("\n")))
        .collect();
    assert_eq!(batches.len(), BATCHES);
    let name = |i: usize| format!("batch-{i:02}.csv");

    let acknowledged: Arc<Mutex<Vec<usize>>> = Arc::default();
    let next = Arc::new(AtomicUsize::new(0));
    let mut in_flight_at_kill = 0;
    for round in 0..ROUNDS {
        assert!(
            next.load(Ordering::SeqCst) < BATCHES,
            "round {round}: the feed ran out"
        );
        let server = start(dir);
        let addr = server.addr.clone();
        let sending = Arc::new(AtomicBool::new(false));
        let started = Arc::new(AtomicUsize::new(0));
        let feeder = {
            let (acknowledged, next, sending, started) = (
                acknowledged.clone(),
                next.clone(),
                sending.clone(),
                started.clone(),
            );
            let (batches, token, addr) = (batches.clone(), token.clone(), addr.clone());
            std::thread::spawn(move || {
                loop {
                    let i = next.load(Ordering::SeqCst);
                    if i >= BATCHES {
                        return;
                    }
                    sending.store(true, Ordering::SeqCst);
                    started.fetch_add(1, Ordering::SeqCst);
                    let answer = post(&addr, &token, &format!("batch-{i:02}.csv"), &batches[i]);
                    match answer {
                        Some(201) => {
                            sending.store(false, Ordering::SeqCst);
                            acknowledged.lock().expect("a list").push(i);
                            next.store(i + 1, Ordering::SeqCst);
                        }
                        Some(status) => panic!("batch {i}: status {status}"),
                        // The server is gone: the batch is resent in the next round.
                        None => return,
                    }
                }
            })
        };
        // Kill while the round's second batch is on its way in, at a different moment into it each round:
        // while it is sent, read or stored.
        while started.load(Ordering::SeqCst) < 2 && !feeder.is_finished() {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis((round as u64 * 29) % 250));
        if sending.load(Ordering::SeqCst) {
            in_flight_at_kill += 1;
        }
        server.kill();
        feeder.join().expect("the feeder ends");

        // Restarted, the server opens the database; every acknowledged batch is whole, the others whole or
        // absent.
        let again = start(dir);
        let addr = again.addr.clone();
        let health = post(&addr, &token, "none", "");
        again.kill();
        assert!(
            health.is_some(),
            "round {round}: the server answers after the crash"
        );
        let counts = stored(&dir.join("server.sqlite"));
        for i in acknowledged.lock().expect("a list").iter() {
            assert_eq!(
                counts.get(&name(*i)),
                Some(&BATCH),
                "round {round}: acknowledged batch {i}"
            );
        }
        for (file, n) in &counts {
            assert_eq!(
                *n, BATCH,
                "round {round}: {file} is stored in part ({n} of {BATCH})"
            );
        }
    }
    eprintln!(
        "{in_flight_at_kill} of {ROUNDS} kills came while a batch was on its way in; {} batches acknowledged",
        acknowledged.lock().expect("a list").len()
    );
    // The test did kill ingests midway (not only between batches).
    assert!(
        in_flight_at_kill >= ROUNDS * 3 / 4,
        "only {in_flight_at_kill} kills came during a batch"
    );
    // Everything sent in the end is stored once.
    let server = start(dir);
    let addr = server.addr.clone();
    let feeder_left: Vec<usize> = (next.load(Ordering::SeqCst)..BATCHES).collect();
    for i in feeder_left {
        assert_eq!(post(&addr, &token, &name(i), &batches[i]), Some(201));
    }
    server.kill();
    let counts = stored(&dir.join("server.sqlite"));
    assert_eq!(counts.values().sum::<usize>(), BATCH * BATCHES);
}
