//! The system's keychain (the macOS Keychain, the Windows Credential Manager, the Secret Service on
//! Linux): where Regulars keeps the passwords it needs again (the mailbox's, a shared shop's
//! server's), each under a service and a key that name what it opens. Never in Regulars' files.

use crate::error::{Error, Result};

/// One kept password: what it is for (`service`) and whose (`key`, such as `user@host:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    service: &'static str,
    key: String,
}

impl Secret {
    pub fn new(service: &'static str, key: impl Into<String>) -> Secret {
        Secret { service, key: key.into() }
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(self.service, &self.key).map_err(|e| Error::invalid_field("password", format!("the system's keychain cannot be used: {e}")))
    }

    pub fn save(&self, password: &str) -> Result<()> {
        self.entry()?.set_password(password).map_err(|e| Error::invalid_field("password", format!("the system's keychain did not keep the password: {e}")))
    }

    /// The kept password, if there is one.
    pub fn get(&self) -> Result<Option<String>> {
        match self.entry()?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(Error::invalid_field("password", format!("the system's keychain cannot be read: {e}"))),
        }
    }

    pub fn forget(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(Error::invalid_field("password", format!("the system's keychain did not let go of the password: {e}"))),
        }
    }
}
