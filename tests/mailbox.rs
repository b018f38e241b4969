//! Email, live, against a real IMAP server: Debian's Dovecot, started here on the loopback address
//! in a folder of its own (scripts/setup.sh --test installs it), with mail delivered to it while
//! the test runs, fetched through `regulars mailbox fetch`.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Shop;

const USER: &str = "hello@bloom.example";
const PASSWORD: &str = "app-password-1";

/// A Dovecot serving one mailbox on 127.0.0.1, stopped when dropped.
struct Dovecot {
    dir: tempfile::TempDir,
    port: u16,
}

impl Dovecot {
    fn start() -> Dovecot {
        let binary = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"].into_iter().find(|p| Path::new(p).exists());
        assert!(binary.is_some(), "Dovecot is not installed: `apt-get install dovecot-imapd` (scripts/setup.sh --test does)");
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let root = unsafe_is_root();
        // Run as root (CI), Dovecot's own users serve the logins and the mail; otherwise, all as us.
        let me = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
        let (internal, login, mail) = if root { ("dovecot", "dovenull", "dovecot") } else { (me.as_str(), me.as_str(), me.as_str()) };
        let d = dir.path().display();
        for sub in ["run", "state", "mail"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        std::fs::write(
            dir.path().join("dovecot.conf"),
            format!(
                "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
                 ssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\nmail_location = maildir:{d}/mail/%n\n\
                 default_internal_user = {internal}\ndefault_login_user = {login}\nmail_uid = {mail}\nmail_gid = {mail}\nfirst_valid_uid = 1\n\
                 passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/users\n}}\n\
                 userdb {{\n  driver = static\n  args = uid={mail} gid={mail} home={d}/mail/%n\n}}\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
                 service anvil {{\n  chroot =\n}}\n\
                 namespace inbox {{\n  inbox = yes\n  mailbox Sent {{\n    special_use = \\Sent\n    auto = create\n  }}\n}}\n"
            ),
        )
        .unwrap();
        if root {
            let _ = Command::new("chown").args(["-R", &format!("{mail}:{mail}"), &format!("{d}/mail")]).status();
        }
        let status = Command::new(binary.unwrap()).arg("-c").arg(dir.path().join("dovecot.conf")).status().unwrap();
        assert!(status.success(), "Dovecot did not start: {}", std::fs::read_to_string(dir.path().join("dovecot.log")).unwrap_or_default());
        let dovecot = Dovecot { dir, port };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "Dovecot does not answer on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        dovecot
    }

    fn conf(&self) -> PathBuf {
        self.dir.path().join("dovecot.conf")
    }

    /// Delivers a mail into a folder, as the mail server would on its arrival.
    fn deliver(&self, folder: &str, mail: &str) {
        let mut child = Command::new("doveadm")
            .arg("-c")
            .arg(self.conf())
            .args(["save", "-u", USER, "-m", folder])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(mail.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "doveadm save failed");
    }

    fn stop(&self) {
        let _ = Command::new("doveadm").arg("-c").arg(self.conf()).arg("stop").status();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

fn unsafe_is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn mail(from: &str, to: &str, id: &str, reply_to: Option<&str>, date: &str, subject: &str, body: &str) -> String {
    let in_reply = reply_to.map(|r| format!("In-Reply-To: <{r}>\n")).unwrap_or_default();
    format!("From: {from}\nTo: {to}\nDate: {date}\nSubject: {subject}\nMessage-ID: <{id}>\n{in_reply}Content-Type: text/plain; charset=utf-8\n\n{body}\n")
}

fn fetch(shop: &Shop, password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_regulars"))
        .arg("--db")
        .arg(&shop.db)
        .args(["mailbox", "fetch", "--json"])
        .env("REGULARS_MAILBOX_PASSWORD", password)
        .env_remove("REGULARS_DB")
        .output()
        .unwrap()
}

fn fetched(shop: &Shop) -> serde_json::Value {
    let out = fetch(shop, PASSWORD);
    assert!(out.status.success(), "fetch failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn new_mail_is_fetched_once_into_conversations_and_a_wrong_password_or_a_gone_server_says_so() {
    let server = Dovecot::start();
    let shop = Shop::new();
    shop.ok(&["settings", "set", "country", "US"]);
    shop.ok(&["customers", "add", "--first-name", "Carla", "--last-name", "Mendes", "--email", "carla@mendes.example"]);
    let port = server.port.to_string();
    // Without TLS only on this computer.
    let refused = shop.fails(&["mailbox", "set", "--host", "imap.example.com", "--user", USER, "--no-tls"]);
    assert!(refused.contains("TLS"), "{refused}");
    shop.ok(&["mailbox", "set", "--host", "127.0.0.1", "--port", &port, "--user", USER, "--no-tls"]);
    let now = chrono::Utc::now();
    let day = |d: i64| (now - chrono::Duration::days(d)).to_rfc2822();
    server.deliver("INBOX", &mail("Carla Mendes <carla@mendes.example>", USER, "c1@mendes.example", None, &day(2), "Wedding flowers", "Could we talk about flowers for June?"));
    server.deliver("INBOX", &mail("Market <deals@market.example>", USER, "n1@market.example", None, &day(2), "Deals", "Tulips 20% off.").replace("Subject:", "List-Unsubscribe: <mailto:u@market.example>\nSubject:"));
    // The wrong password: a plain message, nothing fetched.
    let wrong = fetch(&shop, "not-it");
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("refused the user name or password"), "{said}");
    assert!(!said.contains("not-it"), "the password is never written out: {said}");
    let first = fetched(&shop);
    assert_eq!(first["mails"], 2, "{first}");
    assert_eq!((first["report"]["added"].as_u64(), first["report"]["left_out"][0]["reason"].as_str()), (Some(1), Some("bulk")), "{first}");
    let inbox = shop.json(&["inbox"]);
    assert_eq!(inbox["items"][0]["touchpoint"]["author"], "carla@mendes.example");
    // Nothing new: nothing fetched twice.
    assert_eq!(fetched(&shop)["mails"], 0);
    // The shop's answer arrives in Sent, and a new customer writes: both come, once.
    server.deliver("Sent", &mail(&format!("Bloom & Twine <{USER}>"), "Carla Mendes <carla@mendes.example>", "s1@bloom.example", Some("c1@mendes.example"), &day(1), "Re: Wedding flowers", "Of course! Thursday?"));
    server.deliver("INBOX", &mail("Ben Ode <ben@ode.example>", USER, "b1@ode.example", None, &day(0), "Vase", "Is the blue vase back in stock?"));
    let second = fetched(&shop);
    assert_eq!((second["mails"].as_u64(), second["report"]["added"].as_u64(), second["report"]["unchanged"].as_u64()), (Some(2), Some(2), Some(0)), "{second}");
    let carla = shop.json(&["touchpoints", "list", "--customer", "carla@mendes.example"]);
    let statuses: Vec<&str> = carla.as_array().unwrap().iter().map(|t| t["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"replied"), "her question was answered from Sent: {carla}");
    let waiting: Vec<String> = shop.json(&["inbox"])["items"].as_array().unwrap().iter().map(|i| i["touchpoint"]["author"].as_str().unwrap().to_string()).collect();
    assert_eq!(waiting, ["ben@ode.example"]);
    // The server gone: a plain message, and what was fetched stays.
    server.stop();
    let gone = fetch(&shop, PASSWORD);
    assert!(!gone.status.success());
    assert!(String::from_utf8_lossy(&gone.stderr).contains("cannot reach the mail server 127.0.0.1"), "{}", String::from_utf8_lossy(&gone.stderr));
    assert_eq!(shop.json(&["touchpoints", "list"]).as_array().unwrap().len(), 3);
}
