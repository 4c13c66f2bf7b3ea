//! Renderers: each turns the one [`Report`](crate::report::Report) into bytes. None reads
//! input files or decides anything; the ranking is fixed before rendering starts.

pub mod csv;
pub mod json;
pub mod table;
