//! Bringing data in from files: customer spreadsheets (`import`: reading, layout, values, rows,
//! identity) and exports of reviews, messages and orders (`records`), each import one unit of work
//! with a history and an undo.

pub mod import;
pub mod records;
