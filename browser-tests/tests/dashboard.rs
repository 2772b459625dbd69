//! The dashboard in headless Chromium, as its users work: a liaison officer logs in, adds a pledge and sees the
//! plan change; a monitor uploads reports and sees them on the map; another nation's liaison officer does not
//! see the restricted pledge. A screenshot of the page is saved whenever a step fails (and of each page the
//! story visits, for people to look at), in `target/browser-screenshots/` of the main workspace.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// The `guarantor` binary the main workspace built.
fn binary() -> PathBuf {
    let path = std::env::var_os("GUARANTOR_BIN").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/guarantor"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "{} is missing: build guarantor first (cargo build in the main workspace) or set GUARANTOR_BIN",
        path.display()
    );
    // Absolute: the servers run in folders of their own.
    path.canonicalize().expect("the binary's path")
}

/// Where screenshots go.
fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("a folder for screenshots");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something listens on `port`.
fn wait_for(port: u16, what: &str) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} does not listen on port {port}");
}

/// `guarantor ARGS` with `stdin`, in `dir`; panics with its stderr if it fails.
fn guarantor(dir: &Path, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
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
}

/// Everything the story needs running: accounts, the server, chromedriver.
struct World {
    _dir: tempfile::TempDir,
    _server: Killed,
    _driver: Killed,
    base: String,
    driver_url: String,
}

const CSV: &str = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text
p-1,smm-patrol-4,patrol,2027-01-10T06:40:00Z,0.25,47.5119,34.5863,0.5,artillery,,3,three rounds
p-2,ua-general-staff,party,2027-01-10T06:50:00Z,1,47.52,34.6,5,artillery,,1,
p-3,uav-east,sensor,2027-01-10T09:00:00Z,0.1,46.5,32.5,0.2,drone,,1,
p-4,media-a,media,2027-01-10T12:00:00Z,3,48.5,37.5,10,clash,,1,
";

fn world() -> World {
    let dir = tempfile::tempdir().expect("a folder");
    for (name, role, nation) in [
        ("fra", "liaison", Some("FRA")),
        ("deu", "liaison", Some("DEU")),
        ("watch", "monitor", None),
    ] {
        let mut args = vec!["user", "add", name, "--role", role, "--db", "server.sqlite"];
        if let Some(n) = nation {
            args.extend(["--nation", n]);
        }
        guarantor(dir.path(), &args, &format!("password of {name}\n"));
    }
    std::fs::write(dir.path().join("reports.csv"), CSV).expect("writes the reports");
    let port = free_port();
    let server = Command::new(binary())
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--db",
            "server.sqlite",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("guarantor serve starts");
    let server = Killed(server);
    wait_for(port, "guarantor serve");
    let driver_port = free_port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={driver_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts (apt install chromium-driver; .ci/run does)");
    let driver = Killed(driver);
    wait_for(driver_port, "chromedriver");
    World {
        _dir: dir,
        _server: server,
        _driver: driver,
        base: format!("http://127.0.0.1:{port}"),
        driver_url: format!("http://127.0.0.1:{driver_port}"),
    }
}

impl World {
    fn reports(&self) -> PathBuf {
        self._dir.path().join("reports.csv")
    }

    /// A fresh browser (its own profile: no cookies shared between users).
    async fn browser(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1400,1100", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync"]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.driver_url)
            .await
            .expect("a browser session")
    }
}

/// A step of the story: on failure, a screenshot of the page, then the panic.
async fn step<T>(c: &Client, name: &str, result: Result<T, fantoccini::error::CmdError>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => {
            let path = shots().join(format!("failed-{name}.png"));
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(&path, png);
            }
            panic!("{name}: {e} (screenshot: {})", path.display());
        }
    }
}

/// Asserts `ok`, with a screenshot of the page when it does not hold.
async fn check(c: &Client, name: &str, ok: bool, message: &str) {
    if !ok {
        let path = shots().join(format!("failed-{name}.png"));
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&path, png);
        }
        panic!("{name}: {message} (screenshot: {})", path.display());
    }
}

/// Saves what the page looks like, for people.
async fn keep(c: &Client, name: &str) {
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(shots().join(format!("{name}.png")), png);
    }
}

async fn log_in(c: &Client, w: &World, name: &str) {
    step(c, "open-login", c.goto(&format!("{}/login", w.base)).await).await;
    let user = step(
        c,
        "find-user",
        c.find(Locator::Css("input[name=name]")).await,
    )
    .await;
    step(c, "type-user", user.send_keys(name).await).await;
    let pw = step(
        c,
        "find-password",
        c.find(Locator::Css("input[name=password]")).await,
    )
    .await;
    step(
        c,
        "type-password",
        pw.send_keys(&format!("password of {name}")).await,
    )
    .await;
    let button = step(c, "find-login", c.find(Locator::Id("login")).await).await;
    step(c, "log-in", button.click().await).await;
    let who = step(
        c,
        "logged-in",
        c.wait().for_element(Locator::Css("nav .who")).await,
    )
    .await;
    let text = step(c, "who-text", who.text().await).await;
    check(
        c,
        "logged-in-as",
        text.contains(name),
        &format!("the page says {text:?}"),
    )
    .await;
}

/// The headline figure "Troops sourced" on the plan page.
async fn troops_sourced(c: &Client) -> u64 {
    let figure = step(
        c,
        "figure",
        c.wait().for_element(Locator::Css(".figure b")).await,
    )
    .await;
    let text = step(c, "figure-text", figure.text().await).await;
    // Thousands are set apart by thin spaces.
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn liaison_officers_and_monitors_use_the_dashboard() {
    let w = world();

    // A liaison officer adds a pledge and sees the plan change.
    let fra = w.browser().await;
    log_in(&fra, &w, "fra").await;
    let before = troops_sourced(&fra).await;
    keep(&fra, "plan").await;
    step(
        &fra,
        "open-pledges",
        fra.goto(&format!("{}/pledges", w.base)).await,
    )
    .await;
    let form = step(&fra, "find-form", fra.form(Locator::Id("add-pledge")).await).await;
    step(
        &fra,
        "id",
        form.set_by_name("id", "fra-extra-engineers").await,
    )
    .await;
    step(
        &fra,
        "capability",
        form.set_by_name("capability", "engineer_coy").await,
    )
    .await;
    step(&fra, "count", form.set_by_name("count", "2").await).await;
    step(&fra, "notice", form.set_by_name("notice_days", "10").await).await;
    step(
        &fra,
        "status",
        form.set_by_name("status", "confirmed").await,
    )
    .await;
    step(
        &fra,
        "source",
        form.set_by_name("source", "liaison officer FRA").await,
    )
    .await;
    let restricted = step(
        &fra,
        "restricted",
        fra.find(Locator::Css("input[name=restricted]")).await,
    )
    .await;
    step(&fra, "tick-restricted", restricted.click().await).await;
    let save = step(
        &fra,
        "find-save",
        fra.find(Locator::Id("save-pledge")).await,
    )
    .await;
    step(&fra, "save", save.click().await).await;
    let note = step(
        &fra,
        "created",
        fra.wait().for_element(Locator::Id("created")).await,
    )
    .await;
    let note = step(&fra, "created-text", note.text().await).await;
    check(
        &fra,
        "created-note",
        note.contains("fra-extra-engineers"),
        &note,
    )
    .await;
    keep(&fra, "pledges").await;
    step(&fra, "open-plan", fra.goto(&format!("{}/", w.base)).await).await;
    let after = troops_sourced(&fra).await;
    check(
        &fra,
        "plan-changed",
        after > before,
        &format!("troops sourced {before} then {after}"),
    )
    .await;
    let page = step(&fra, "source", fra.source().await).await;
    check(
        &fra,
        "own-pledge-in-plan",
        page.contains("fra-extra-engineers"),
        "FRA sees its own pledge in the plan",
    )
    .await;
    fra.close().await.expect("closes");

    // A monitor uploads reports (choosing the file) and sees them on the map.
    let watch = w.browser().await;
    log_in(&watch, &w, "watch").await;
    step(
        &watch,
        "open-incidents",
        watch.goto(&format!("{}/incidents", w.base)).await,
    )
    .await;
    let file = step(&watch, "find-file", watch.find(Locator::Id("file")).await).await;
    step(
        &watch,
        "choose-file",
        file.send_keys(&w.reports().display().to_string()).await,
    )
    .await;
    // The page reads the file into the form.
    let mut read = String::new();
    for _ in 0..50 {
        let body = step(&watch, "find-body", watch.find(Locator::Id("body")).await).await;
        read = step(&watch, "body-value", body.prop("value").await)
            .await
            .unwrap_or_default();
        if !read.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(
        &watch,
        "file-read",
        read.contains("smm-patrol-4"),
        "the chosen file is read into the form",
    )
    .await;
    let send = step(&watch, "find-send", watch.find(Locator::Id("send")).await).await;
    step(&watch, "send", send.click().await).await;
    let stored = step(
        &watch,
        "stored",
        watch.wait().for_element(Locator::Id("stored")).await,
    )
    .await;
    let stored = step(&watch, "stored-text", stored.text().await).await;
    check(&watch, "stored-note", stored.contains("4 new"), &stored).await;
    let marks = step(
        &watch,
        "marks",
        watch.find_all(Locator::Css("figure svg .incident")).await,
    )
    .await;
    check(
        &watch,
        "incidents-on-map",
        marks.len() == 3,
        &format!("{} incident marks on the map", marks.len()),
    )
    .await;
    keep(&watch, "incidents").await;
    watch.close().await.expect("closes");

    // Another nation's liaison officer does not see the restricted pledge, in the list or the plan.
    let deu = w.browser().await;
    log_in(&deu, &w, "deu").await;
    step(
        &deu,
        "open-pledges",
        deu.goto(&format!("{}/pledges", w.base)).await,
    )
    .await;
    let page = step(&deu, "pledges-source", deu.source().await).await;
    check(
        &deu,
        "pledge-listed",
        page.contains("deu-hq"),
        "DEU sees its own pledges",
    )
    .await;
    check(
        &deu,
        "restricted-hidden",
        !page.contains("fra-extra-engineers"),
        "DEU must not see FRA's restricted pledge",
    )
    .await;
    step(&deu, "open-plan", deu.goto(&format!("{}/", w.base)).await).await;
    let _ = troops_sourced(&deu).await;
    let page = step(&deu, "plan-source", deu.source().await).await;
    check(
        &deu,
        "restricted-hidden-in-plan",
        !page.contains("fra-extra-engineers"),
        "not in the plan either",
    )
    .await;
    check(
        &deu,
        "withheld-shown",
        page.contains("withheld"),
        "its units are counted as withheld",
    )
    .await;
    keep(&deu, "plan-deu").await;
    deu.close().await.expect("closes");
}
