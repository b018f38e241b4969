//! The use cases: what a person does with the shop (profiles and identity, search, export,
//! settings, touchpoints and purchases, listening, insight, follow-ups, segments, the demo shop), and
//! the memo that keeps what is derived from the whole shop between calls.
//! Each works on the store it is handed, a reader or a transaction in progress (`store::Reads`,
//! `WriteDb`), so that the front end decides what one unit of work is.

pub mod board;
pub mod customers;
pub mod demo;
pub mod duplicates;
pub mod export;
pub mod followups;
pub mod insight;
pub mod listening;
pub mod memo;
pub mod merge;
pub mod purchases;
pub mod search;
pub mod segments;
pub mod settings;
pub mod share;
pub mod touchpoints;
