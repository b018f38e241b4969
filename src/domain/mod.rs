//! The model and its rules: plain data (`model`), the one error type (`error`), and the pure rules
//! that read and write what people type (`normalize`: emails, phones, handles, names, times,
//! folding; `money`: amounts as people write them; `countries`; `format`: numbers and money the
//! shop's way; `sentiment`). Nothing here
//! touches the database or a file.

pub mod countries;
pub mod error;
pub mod format;
pub mod model;
pub mod money;
pub mod normalize;
pub mod sentiment;
