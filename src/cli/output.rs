//! What the command line prints: a line at a time through `say!` (a failed write is an error, never
//! a panic), JSON with `--json`, and `--now` read the one way the core reads times.

/// Writes a line to standard output. A failed write (a full disk, a closed pipe) is an error that
/// says so, never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*).map_err(|e| regulars::Error::io("cannot write the output", e))?
    }};
}

use chrono::{DateTime, Utc};

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    say!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Where `--out` says, else standard output: buffered, to be flushed by the caller.
pub fn sink(out: Option<&std::path::Path>) -> anyhow::Result<Box<dyn std::io::Write>> {
    use anyhow::Context as _;
    Ok(match out {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// `--now` (or `--until`, named by `flag`), else the clock.
pub fn parse_now(now: Option<&str>) -> anyhow::Result<DateTime<Utc>> {
    parse_time_flag(now, "--now")
}

pub fn parse_time_flag(value: Option<&str>, flag: &str) -> anyhow::Result<DateTime<Utc>> {
    use anyhow::Context as _;
    match value {
        Some(t) => regulars::normalize::instant(t).map_err(anyhow::Error::msg).with_context(|| flag.to_string()),
        None => Ok(Utc::now()),
    }
}
