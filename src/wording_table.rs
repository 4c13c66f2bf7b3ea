//! The texts of `wording/*.toml` as build.rs checked and wrote them: one table sorted by key,
//! part of the binary like its code, so no run parses wording text.

use crate::wording::Entry;

/// Every text: key, German, English.
pub fn texts() -> &'static [Entry] {
    TEXTS
}

static TEXTS: &[Entry] = include!(concat!(env!("OUT_DIR"), "/wording.rs"));
