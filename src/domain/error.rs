//! The library's one error type. Every failure a person can cause (a bad field, an unknown customer,
//! an email that already belongs to someone) is an `Error` whose `Display` is a sentence for people
//! and whose `code()` is a stable word for programs (the desktop page branches on it).

use std::fmt;

use serde::Serialize;

/// A problem with one field of what the user submitted, shown next to that field in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field's name as in the customer JSON: `first_name`, `emails`, `phones`, `handles`, ...
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> FieldProblem {
        FieldProblem { field: field.to_string(), message: shorten_quotes(message.into()) }
    }
}

/// The most characters of a value a message quotes (between “ and ”); the rest becomes “…”.
pub const QUOTED_CHARS: usize = 60;

/// At most `QUOTED_CHARS` of a value, for a message: the rest becomes “…”.
pub fn excerpt(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(QUOTED_CHARS) {
        None => value.into(),
        Some((at, _)) => format!("{}…", &value[..at]).into(),
    }
}

/// Shortens every value quoted in `message` to an excerpt, so that a megabyte of bad cell makes a
/// line of problem, not a megabyte of report.
pub fn shorten_quotes(message: String) -> String {
    if message.len() <= 200 {
        return message;
    }
    let mut out = String::with_capacity(200);
    let mut rest = message.as_str();
    while let Some(open) = rest.find('“') {
        let (before, after) = rest.split_at(open + '“'.len_utf8());
        out.push_str(before);
        let (quoted, tail) = match after.find('”') {
            Some(close) => after.split_at(close),
            None => (after, ""),
        };
        out.push_str(&excerpt(quoted));
        rest = tail;
    }
    out.push_str(rest);
    // A message with a long unquoted part (a path, a list) is cut too, at a character boundary.
    if out.len() > 2_000 {
        let at = out.char_indices().nth(1_000).map_or(out.len(), |(i, _)| i);
        out.truncate(at);
        out.push('…');
    }
    out
}

#[derive(Debug)]
pub enum ErrorKind {
    /// The input was refused; each problem names its field.
    Invalid(Vec<FieldProblem>),
    /// No customer (or other record) matched the reference.
    NotFound,
    /// The request conflicts with what is stored (e.g. restoring a customer whose email was reused).
    Conflict,
    /// Someone else saved the same record since it was opened, and changed some of the same fields
    /// differently: each problem names a field and what they made it. Nothing was saved.
    ChangedMeanwhile(Vec<FieldProblem>),
    /// The database could not be opened, read or written.
    Storage(Storage),
    /// A file could not be read or written.
    Io(std::io::Error),
    /// The person stopped a long operation; nothing was changed.
    Cancelled,
}

/// What kind of database failure it was, as far as a caller can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// The file is damaged, or not a database.
    Damaged,
    /// The file or its folder cannot be written.
    ReadOnly,
    /// The file cannot be opened.
    CannotOpen,
    /// Another connection holds the lock.
    Busy,
    Other,
}

#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(problems: Vec<FieldProblem>) -> Error {
        let message = match problems.as_slice() {
            [one] => one.message.clone(),
            many => {
                let all: Vec<&str> = many.iter().map(|p| p.message.as_str()).collect();
                all.join("; ")
            }
        };
        Error { kind: ErrorKind::Invalid(problems), message }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Error {
        Error::invalid(vec![FieldProblem::new(field, message)])
    }

    pub fn changed_meanwhile(message: impl Into<String>, problems: Vec<FieldProblem>) -> Error {
        Error { kind: ErrorKind::ChangedMeanwhile(problems), message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::NotFound, message: message.into() }
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Conflict, message: message.into() }
    }

    pub fn cancelled(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Cancelled, message: message.into() }
    }

    pub fn io(context: impl Into<String>, err: std::io::Error) -> Error {
        Error { message: format!("{}: {err}", context.into()), kind: ErrorKind::Io(err) }
    }

    /// Whether this is a write to a reader that has gone away (`regulars export | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Whether SQLite found the database file damaged.
    pub fn is_damage(&self) -> bool {
        matches!(&self.kind, ErrorKind::Storage(Storage::Damaged))
    }

    /// A stable, machine-readable word for the kind of error.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Invalid(_) => "invalid",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::ChangedMeanwhile(_) => "changed_meanwhile",
            ErrorKind::Storage(_) => "storage",
            ErrorKind::Io(_) => "io",
            ErrorKind::Cancelled => "cancelled",
        }
    }

    /// The field problems of an `Invalid` or `ChangedMeanwhile` error, empty for the other kinds.
    pub fn field_problems(&self) -> &[FieldProblem] {
        match &self.kind {
            ErrorKind::Invalid(problems) | ErrorKind::ChangedMeanwhile(problems) => problems,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    // The message already includes the underlying error's text, so there is no separate source:
    // printing the chain would say it twice.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        None
    }
}

impl Error {
    /// A database failure of this kind, described by `message` (made by the store, the one
    /// module that knows the database's own errors).
    pub fn storage(kind: Storage, message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Storage(kind), message: message.into() }
    }
}
