//! The shipped catalog, embedded by `build.rs` in the binary form of [`crate::stored`] after
//! validating it with the same code that checks a user's folder.

use std::path::Path;

use crate::catalog::{Catalog, Tool};
use crate::diag::Diagnostics;

/// The validated shipped catalog (written by build.rs).
static SHIPPED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.bin"));

/// The shipped tools. They were validated when the program was built, and the bytes are
/// part of the binary, so a decoding error is a bug in this program, not in anyone's input.
pub fn shipped_tools() -> Vec<Tool> {
    crate::stored::decode(SHIPPED).expect("build.rs wrote the shipped catalog in this form")
}

impl Catalog {
    /// The shipped catalog, plus the tools in `dir` (which replace shipped tools of the same id).
    pub fn load(dir: Option<&Path>) -> Result<Catalog, Diagnostics> {
        Catalog::load_over(shipped_tools(), dir)
    }
}
