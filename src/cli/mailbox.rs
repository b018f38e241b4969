//! `regulars mailbox`: set up the shop's mailbox, keep its password in the system's keychain, and
//! fetch its new mail (the app fetches by itself while it is open).

use anyhow::Context;
use clap::Subcommand;
use regulars::customers::Change;
use regulars::mailbox::{self, keychain, Account};
use regulars::Store;

use super::output::print_json;

#[derive(Subcommand)]
pub enum MailboxCommand {
    /// Set up the mailbox to fetch mail from (IMAP over TLS; the provider's app password)
    Set {
        /// The server, e.g. imap.gmail.com
        #[arg(long)]
        host: String,
        #[arg(long, default_value_t = 993)]
        port: u16,
        /// The user name, usually the shop's address
        #[arg(long)]
        user: String,
        /// The shop's address, when the user name is not it
        #[arg(long, default_value = "")]
        address: String,
        /// Without TLS: only for a server on this computer
        #[arg(long)]
        no_tls: bool,
    },
    /// Keep the mailbox's password in the system's keychain (read from standard input)
    Password,
    /// The mailbox set up, if any
    Show,
    /// Stop fetching mail (the password leaves the keychain)
    Forget,
    /// Fetch new mail now. The password comes from REGULARS_MAILBOX_PASSWORD, else the keychain
    Fetch,
}

fn the_account(store: &Store) -> anyhow::Result<Account> {
    mailbox::account(store)?.context("no mailbox is set up: `regulars mailbox set --host … --user …` first")
}

pub fn mailbox_command(store: &mut Store, cmd: MailboxCommand, change: &Change, json: bool) -> anyhow::Result<()> {
    match cmd {
        MailboxCommand::Set { host, port, user, address, no_tls } => {
            let account = mailbox::set_account(store, Some(Account { host, port, user, address, tls: !no_tls }))?;
            if json {
                return print_json(&account);
            }
            say!("mail will be fetched from {}; keep its password with `regulars mailbox password`", account.map(|a| a.keychain_key()).unwrap_or_default());
        }
        MailboxCommand::Password => {
            let account = the_account(store)?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("cannot read the password from standard input")?;
            keychain::save(&account, password.trim_end_matches(['\r', '\n']))?;
            say!("the password is kept in the system's keychain");
        }
        MailboxCommand::Show => {
            let account = mailbox::account(store)?;
            if json {
                return print_json(&account);
            }
            match account {
                Some(a) => say!("{} ({})", a.keychain_key(), if a.tls { "TLS" } else { "without TLS, on this computer" }),
                None => say!("no mailbox is set up"),
            }
        }
        MailboxCommand::Forget => {
            if let Some(account) = mailbox::account(store)? {
                keychain::forget(&account)?;
            }
            mailbox::set_account(store, None)?;
            say!("mail is no longer fetched");
        }
        MailboxCommand::Fetch => {
            let account = the_account(store)?;
            let password = match std::env::var("REGULARS_MAILBOX_PASSWORD") {
                Ok(p) => p,
                Err(_) => keychain::get(&account)?.context("no password is kept for the mailbox: `regulars mailbox password`, or REGULARS_MAILBOX_PASSWORD")?,
            };
            let fetched = mailbox::fetch(store, &account, &password, change)?;
            if json {
                return print_json(&fetched);
            }
            match &fetched.report {
                None => say!("no new mail"),
                Some(report) => {
                    say!("{} new mails", fetched.mails);
                    super::social::print_conversations(report, false)?;
                }
            }
        }
    }
    Ok(())
}
