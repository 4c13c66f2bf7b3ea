//! konf-wahl: advice for self-help groups on which conferencing software to use.
//!
//! Data in (answers, catalog, criteria) -> evaluation -> one report model -> renderers.
//! `main` only parses the command line and maps errors to exit codes; everything else is
//! here, so it can be tested and benchmarked in-process.

#![warn(missing_docs)]

pub mod analysis;
pub mod answers;
pub mod builtin;
pub mod catalog;
pub mod checklist;
pub mod cli;

pub mod compare;
pub mod criteria;
pub mod date;
pub mod diag;
pub mod evaluate;
pub mod exchange;
pub mod expr;
pub mod folder_cache;
pub mod format;
pub mod health;
pub mod inspect;

pub mod office;
pub mod output;
pub mod parallel;
pub mod questionnaire;
pub mod recent;
pub mod render;
pub mod report;
pub mod rules;
pub mod sentence;
pub mod serve;
pub mod source;
pub mod stored;
pub mod templates;
pub mod vocab;
pub mod wording;
mod wording_table;

pub use cli::run;
