//! The shipped catalog and criteria, embedded by `build.rs` in the binary form of
//! [`crate::stored`] after validating them with the same code that checks a user's folder
//! (for the criteria: file, and every rule tried).

use std::path::Path;

use crate::catalog::{Catalog, Tool};
use crate::checklist::Checklist;
use crate::criteria::Criteria;
use crate::diag::Diagnostics;
use crate::source::SourceText;

/// The validated shipped catalog (written by build.rs).
static SHIPPED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.bin"));

/// The validated shipped criteria (written by build.rs).
static SHIPPED_CRITERIA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/criteria.bin"));

/// The shipped checklist (written by build.rs).
static SHIPPED_CHECKLIST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/checklist.bin"));

/// The shipped tools. They were validated when the program was built, and the bytes are
/// part of the binary, so a decoding error is a bug in this program, not in anyone's input.
pub fn shipped_tools() -> Vec<Tool> {
    crate::stored::decode(SHIPPED).expect("build.rs wrote the shipped catalog in this form")
}

impl Catalog {
    /// The shipped catalog, plus the tools in `dir` (which replace shipped tools of the same
    /// id); unchanged files of a large folder come from [`crate::folder_cache`].
    pub fn load(dir: Option<&Path>) -> Result<Catalog, Diagnostics> {
        match dir {
            Some(dir) => crate::folder_cache::load(shipped_tools(), dir),
            None => Catalog::load_over(shipped_tools(), None),
        }
    }

    /// [`Catalog::load`] reading every file of `dir` as text, for `check`.
    pub fn load_fresh(dir: Option<&Path>) -> Result<Catalog, Diagnostics> {
        Catalog::load_over(shipped_tools(), dir)
    }
}

impl Criteria {
    /// The shipped criteria, or those in `file` (one TOML file with `[[criteria]]` tables, as
    /// written by `konf-wahl export criteria`), which replace them.
    pub fn load(file: Option<&Path>) -> Result<Criteria, Diagnostics> {
        match file {
            Some(path) => {
                let source = SourceText::read(path).map_err(|d| Diagnostics(vec![d]))?;
                Criteria::from_file(&source)
            }
            // Like the catalog: validated when the program was built, so not an input error.
            None => Ok(crate::stored::decode_criteria(SHIPPED_CRITERIA)
                .expect("build.rs wrote the shipped criteria in this form")),
        }
    }
}

impl Checklist {
    /// The shipped checklist, or `DIR/checklist.toml` if it exists.
    pub fn load(dir: Option<&Path>) -> Result<Checklist, Diagnostics> {
        match dir
            .map(|d| d.join("checklist.toml"))
            .filter(|p| p.is_file())
        {
            Some(path) => {
                let source = SourceText::read(&path).map_err(|d| Diagnostics(vec![d]))?;
                Checklist::from_source(&source)
            }
            // Checked when the program was built, like the catalog.
            None => {
                let mut list: Checklist = postcard::from_bytes(SHIPPED_CHECKLIST)
                    .expect("build.rs wrote the shipped checklist in this form");
                let problems = list.compile("<builtin>/templates/checklist.toml");
                assert!(
                    problems.is_empty(),
                    "build.rs checked the shipped checklist"
                );
                Ok(list)
            }
        }
    }
}
