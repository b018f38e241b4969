//! `regulars share`: move a shop's file into a PostgreSQL database (`--to URL`) and make a local
//! file of a shared shop again (`--db URL share --back FILE`), with each table's rows on both sides.

use std::path::Path;

use chrono::Utc;
use regulars::store::postgres::PgStore;
use regulars::{share, Store};

pub fn to(store: &Store, url: &str, json: bool) -> anyhow::Result<()> {
    let mut pg = PgStore::connect(url)?;
    let shared = share::to_postgres(store, &mut pg, Utc::now())?;
    print(&shared, json)?;
    if !json {
        if let Some(b) = &shared.backup {
            say!("A backup of the file was made first: {}", b.path.display());
        }
        say!("Every computer of the shop can now use it: regulars --db {} …", shared.to);
    }
    Ok(())
}

pub fn back(url: &str, file: &Path, json: bool) -> anyhow::Result<()> {
    let mut pg = PgStore::connect(url)?;
    let shared = share::back(&mut pg, file)?;
    print(&shared, json)
}

fn print(shared: &share::Shared, json: bool) -> anyhow::Result<()> {
    if json {
        return super::output::print_json(shared);
    }
    let rows: u64 = shared.tables.iter().map(|t| t.to).sum();
    say!("{} customers ({rows} rows in {} tables) are now in {}; every table's rows counted on both sides:", shared.customers(), shared.tables.len(), shared.to);
    for t in shared.tables.iter().filter(|t| t.to > 0) {
        say!("  {:<18} {:>10}", t.table, t.to);
    }
    Ok(())
}
