//! A small WebDriver client and the harness that starts the real desktop app for end-to-end tests:
//! an X server (Xvfb) when there is no display, `tauri-driver` (which runs Debian's WebKitWebDriver),
//! and a session on the built `regulars-app` binary with its own temporary database.
//!
//! Prerequisites are installed by `scripts/setup.sh --test`; the app is built by `cargo build
//! --workspace`. A missing prerequisite fails the test with a message saying so.
//!
//! With `REGULARS_TEST_SHARED=1` beside `REGULARS_TEST_POSTGRES` (a server's address, as
//! `scripts/test.sh` runs the suite a second time), every shop the tests start the app on is a
//! shared shop instead: made in a file as before, then moved into a database of its own on that
//! server with `regulars share --to`, and the app opened there (`App::db` says where).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const CONTROL: &str = "\u{E009}";
}

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// Runs the `regulars` command line on a database file (to prepare one before the app starts);
/// panics with its error output if it fails.
pub fn cli(db: &Path, args: &[&str]) {
    let out = Command::new(target_dir().join("debug/regulars")).arg("--db").arg(db).args(args).output().expect("run regulars");
    assert!(out.status.success(), "regulars {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free local port")
}

fn on_path(program: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {program}")).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Stops a child politely (SIGTERM, so tauri-driver also stops WebKitWebDriver and frees its port).
struct Polite(Child);

impl Drop for Polite {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real PostgreSQL server for the tests (shared with the core's tests).
#[path = "../../common/pg_server.rs"]
#[allow(dead_code)]
pub mod pg_server;

/// The server the suite runs against when it runs against shared shops (`REGULARS_TEST_SHARED=1`
/// beside `REGULARS_TEST_POSTGRES`, as `scripts/test.sh` runs its second pass).
pub fn shared_server() -> Option<&'static pg_server::Postgres> {
    pg_server::Postgres::shared()
}

/// Moves the shop in the file `db` into a new database on `server`, as `regulars share --to` does
/// (with Regulars' own data folder `data`, the app's): the database's address.
fn moved_to_server(db: &Path, server: &pg_server::Postgres, data: &Path) -> String {
    let url = server.database();
    let out = Command::new(target_dir().join("debug/regulars"))
        .arg("--db")
        .arg(db)
        .args(["share", "--to", &url])
        .env_remove("REGULARS_DB")
        // A shop the app would have made (an empty one takes its country from the language).
        .env("LANG", "en_GB.UTF-8")
        .env("XDG_DATA_HOME", data)
        .output()
        .expect("run regulars");
    assert!(out.status.success(), "regulars share --to: {}", String::from_utf8_lossy(&out.stderr));
    url
}

/// A running app with a WebDriver session on it. Dropping it ends the session and the processes.
pub struct App {
    base: String,
    session: String,
    /// The shop the app opened: a file, or a shared shop's address.
    db: PathBuf,
    pub db_dir: tempfile::TempDir,
    /// When the app was asked to start (the WebDriver session request that launches it).
    pub launched: Instant,
    // Declared in stop order: the driver before the X server.
    _driver: Polite,
    _xvfb: Option<Polite>,
}

impl App {
    /// Starts the desktop app on a fresh, empty database.
    pub fn start() -> App {
        App::start_with(|_| {})
    }

    /// Starts the desktop app on the database file `prepare` makes at the path it is given (moved
    /// to a server first when the suite runs against shared shops).
    pub fn start_with(prepare: impl FnOnce(&Path)) -> App {
        let db_dir = tempfile::tempdir().expect("temporary folder");
        let file = db_dir.path().join("e2e.db");
        let app = target_dir().join("debug/regulars-app");
        let Some(server) = shared_server() else {
            return App::launch(&app, &file, prepare, db_dir);
        };
        prepare(&file);
        let url = moved_to_server(&file, server, &db_dir.path().join("data"));
        App::launch(&app, Path::new(&url), |_| {}, db_dir)
    }

    /// The shop the app opened: its file, or its address on the server.
    pub fn db(&self) -> PathBuf {
        self.db.clone()
    }

    /// Starts the desktop app on a shared shop (`postgres://…`) that `prepare` readies.
    pub fn start_shared(url: &str, prepare: impl FnOnce(&Path)) -> App {
        let db_dir = tempfile::tempdir().expect("temporary folder");
        App::launch(&target_dir().join("debug/regulars-app"), Path::new(url), prepare, db_dir)
    }

    /// Starts the given app binary on an existing database file (the benchmark harness's shops).
    pub fn start_on(app: &Path, db: &Path) -> App {
        App::launch(app, db, |_| {}, tempfile::tempdir().expect("temporary folder"))
    }

    fn launch(app: &Path, db: &Path, prepare: impl FnOnce(&Path), db_dir: tempfile::TempDir) -> App {
        assert!(app.exists(), "{} is missing: build it with `cargo build --workspace` (scripts/test.sh does)", app.display());
        for tool in ["tauri-driver", "WebKitWebDriver"] {
            assert!(on_path(tool), "{tool} is not installed: run scripts/setup.sh --test");
        }
        let mut display = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
        let xvfb = if display.is_none() {
            assert!(on_path("Xvfb"), "no DISPLAY and no Xvfb: run scripts/setup.sh --test");
            let number = 90 + std::process::id() % 100;
            let child = Command::new("Xvfb")
                .args([format!(":{number}").as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            display = Some(format!(":{number}"));
            std::thread::sleep(Duration::from_millis(500));
            Some(Polite(child))
        } else {
            None
        };
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", display.as_deref().unwrap_or(":0"))
            .env("LANG", "en_GB.UTF-8")
            .env("REGULARS_TEST_CHOOSE", db_dir.path().join("chosen.txt"))
            // The app's own data folder (a shared shop's backups, which shop this computer
            // uses) in the test's folder, never the account's.
            .env("XDG_DATA_HOME", db_dir.path().join("data"))
            .env_remove("REGULARS_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver");
        let driver = Polite(driver);
        let base = format!("http://127.0.0.1:{port}");
        wait_until(Duration::from_secs(20), "tauri-driver to listen", || ureq::get(&format!("{base}/status")).call().is_ok());
        prepare(db);
        let caps = json!({ "capabilities": { "alwaysMatch": { "tauri:options": {
            "application": app.to_str().unwrap(),
            "args": ["--db", db.to_str().unwrap()],
        }}}});
        let launched = Instant::now();
        let created = post(&format!("{base}/session"), &caps);
        let session = created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {created}")).to_string();
        App { base, session, db: db.to_path_buf(), db_dir, launched, _driver: driver, _xvfb: xvfb }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    /// The first element matching a CSS selector, waiting up to 10 s for it to appear.
    /// Chooses `file` as the person would in the file dialog that "Choose a file…" opens (GTK's
    /// dialog cannot be driven here: the app takes the pick from `REGULARS_TEST_CHOOSE`).
    pub fn choose_file(&self, file: &Path) {
        std::fs::write(self.db_dir.path().join("chosen.txt"), file.to_str().unwrap()).unwrap();
        self.find("#import-choose").click();
    }

    pub fn find(&self, css: &str) -> Element<'_> {
        let mut found = None;
        wait_until(Duration::from_secs(10), &format!("an element {css}"), || {
            let v = post(&self.url("/element"), &json!({ "using": "css selector", "value": css }));
            found = v["value"][ELEMENT_KEY].as_str().map(str::to_string);
            found.is_some()
        });
        Element { app: self, id: found.unwrap() }
    }

    /// How many elements match a CSS selector right now.
    /// Waits up to 10 s until nothing matches `css` (a dialog closed, a row gone).
    pub fn wait_gone(&self, css: &str, what: &str) {
        wait_until(Duration::from_secs(10), what, || self.count(css) == 0);
    }

    pub fn count(&self, css: &str) -> usize {
        let v = post(&self.url("/elements"), &json!({ "using": "css selector", "value": css }));
        v["value"].as_array().map_or(0, Vec::len)
    }

    /// Waits until the element's text satisfies `ok`; returns the text.
    pub fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let v = post(&self.url("/element"), &json!({ "using": "css selector", "value": css }));
            if let Some(id) = v["value"][ELEMENT_KEY].as_str() {
                last = (Element { app: self, id: id.to_string() }).text();
                if ok(&last) {
                    return last;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // What the window showed then, to look at beside the failure.
        let thread = std::thread::current();
        let shot = self.screenshot(&format!("failed-{}", thread.name().unwrap_or("test").rsplit("::").next().unwrap_or("test")));
        panic!("waited 10 s for {css} to show {what}; it shows {last:?} (the window: {})", shot.display());
    }

    /// Answers the first-run screen: the shop's name, then one of its choices (`#start-demo`,
    /// `#start-import`, `#start-empty`).
    pub fn first_run(&self, choice: &str) {
        self.find("#shop-name-input").type_text("The Linen Room");
        self.find(choice).click();
    }

    /// Clicks the first element matching `css`, finding it again if the page replaced it between
    /// the finding and the click (a list of matches that search as you type draws anew).
    pub fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let element = self.find(css);
            let v = post(&element.url("/click"), &json!({}));
            if v["value"].is_null() {
                return;
            }
            let stale = v["value"]["error"] == "stale element reference";
            assert!(stale && Instant::now() < deadline, "click on {css} failed: {v}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses keys on whatever has the focus (the page itself, when nothing focusable has it).
    pub fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({ "type": "keyDown", "value": key.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": key.to_string() }));
        }
        let v = post(&self.url("/actions"), &json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }));
        assert!(v["value"].is_null(), "pressing keys failed: {v}");
    }

    /// Sets the window's size, as a person dragging its corner would.
    pub fn resize(&self, width: u32, height: u32) {
        post(&self.url("/window/rect"), &json!({ "width": width, "height": height }));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.script("return window.innerWidth").as_u64() != Some(width as u64) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn script(&self, script: &str) -> Value {
        post(&self.url("/execute/sync"), &json!({ "script": script, "args": [] }))["value"].clone()
    }

    /// Saves a screenshot under target/e2e-screenshots/ and returns its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let v: Value = ureq::get(&self.url("/screenshot")).call().expect("screenshot").into_json().expect("json");
        let png = base64::engine::general_purpose::STANDARD.decode(v["value"].as_str().unwrap_or_default()).expect("base64 PNG");
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
    }
}

pub struct Element<'a> {
    app: &'a App,
    id: String,
}

impl Element<'_> {
    fn url(&self, path: &str) -> String {
        self.app.url(&format!("/element/{}{}", self.id, path))
    }

    pub fn click(&self) {
        let v = post(&self.url("/click"), &json!({}));
        assert!(v["value"].is_null(), "click failed: {v}");
    }

    pub fn type_text(&self, text: &str) {
        let v = post(&self.url("/value"), &json!({ "text": text }));
        assert!(v["value"].is_null(), "typing failed: {v}");
    }

    pub fn clear(&self) {
        post(&self.url("/clear"), &json!({}));
    }

    /// The element's DOM text (`textContent`): exactly what the page put there, before CSS.
    pub fn text(&self) -> String {
        let body = json!({ "script": "return arguments[0].textContent", "args": [{ ELEMENT_KEY: self.id }] });
        post(&self.app.url("/execute/sync"), &body)["value"].as_str().unwrap_or_default().to_string()
    }
}

/// POSTs JSON; WebDriver errors come back as JSON too, so they are returned, not raised.
fn post(url: &str, body: &Value) -> Value {
    match ureq::post(url).timeout(Duration::from_secs(60)).send_json(body) {
        Ok(r) => r.into_json().unwrap_or_default(),
        Err(ureq::Error::Status(_, r)) => r.into_json().unwrap_or_default(),
        Err(e) => panic!("WebDriver request to {url} failed: {e}"),
    }
}

fn wait_until(limit: Duration, what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("waited {limit:?} for {what}");
}

/// Memory of a running process from /proc, in bytes.
pub struct Memory {
    pub resident: u64,
    pub peak: u64,
    /// Resident memory of its own (heap and stacks), not libraries mapped from disk.
    pub private: u64,
}

pub fn process_memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok());
    Some(Memory { resident: kb("VmRSS:")? * 1024, peak: kb("VmHWM:")? * 1024, private: kb("RssAnon:")? * 1024 })
}

/// Processes whose command line contains `needle`, with their parent's id: (pid, parent pid).
pub fn processes_with(needle: &str) -> Vec<(u32, u32)> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle)))
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let parent = stat.rsplit(')').next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, parent))
        })
        .collect()
}
