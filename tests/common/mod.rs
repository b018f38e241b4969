//! What the command-line tests share: a shop in a fresh temporary folder, run through the real
//! `regulars` binary on a real database file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub mod pg_server;

pub struct Shop {
    _dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Shop {
    /// A new shop: a file in a fresh folder, or, when the suite runs against a shared shop
    /// (`REGULARS_TEST_SHARED=1` beside `REGULARS_TEST_POSTGRES`, as `scripts/test.sh` runs it),
    /// a new database on that server.
    pub fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let db = match shared_server() {
            Some(server) => PathBuf::from(server.database()),
            None => dir.path().join("shop.db"),
        };
        let shop = Shop { _dir: dir, db };
        shop.ok(&["settings", "set", "country", "GB"]);
        shop
    }

    /// The commands run on `db` (a file, or a shared shop's address) as it is.
    pub fn at(db: impl Into<PathBuf>) -> Shop {
        Shop { _dir: tempfile::tempdir().unwrap(), db: db.into() }
    }

    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("REGULARS_DB")
            // Regulars' own data folder (a shared shop's backups) in the test's folder.
            .env("XDG_DATA_HOME", self.dir())
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        serde_json::from_str(&self.ok(&with_json)).unwrap()
    }

    /// Runs a command that must fail; returns its error output.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should have failed");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }
}


/// The server the suite runs against when it runs against a shared shop.
pub fn shared_server() -> Option<&'static pg_server::Postgres> {
    pg_server::Postgres::shared()
}

/// The sample exports (`tests/data/imports/`, copied from the shared folder with their README).
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/imports")
}

/// The contact exports made for the tests (`tests/data/contacts/`, with their README).
pub fn contacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/contacts")
}
