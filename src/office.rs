//! The contact office's profile: name, address and how to reach it, printed on every handout.
//! It is set once, in `office.toml` in the user's configuration folder
//! (`~/.config/konf-wahl/` on Linux, `~/Library/Application Support/konf-wahl/` on macOS,
//! `%APPDATA%\konf-wahl\` on Windows), or given per run with `--office FILE`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::source::{Format, SourceText};

/// What a group needs to reach its contact office. Every field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// Name of the office, e.g. "Selbsthilfe-Kontaktstelle Musterstadt".
    pub name: Option<String>,
    /// Postal address on one line.
    pub address: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// The contact person.
    pub contact: Option<String>,
}

/// Where the profile is read from when no `--office` is given.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("konf-wahl").join("office.toml"))
}

impl Office {
    /// The profile in `path`; with `None`, the one in the default location if there is one.
    pub fn load(path: Option<&Path>) -> Result<Option<Office>, Diagnostic> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => match default_path() {
                Some(p) if p.is_file() => p,
                _ => return Ok(None),
            },
        };
        let source = SourceText::read(&path)?;
        let office: Office = source.parse(Format::Toml)?;
        Ok(Some(office.trimmed()))
    }

    /// Empty fields count as not given.
    fn trimmed(self) -> Office {
        let keep = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Office {
            name: keep(self.name),
            address: keep(self.address),
            phone: keep(self.phone),
            email: keep(self.email),
            website: keep(self.website),
            contact: keep(self.contact),
        }
    }

    /// The fields as the handout strings they fill (`office_name`, …).
    pub fn strings(&self) -> Vec<(&'static str, &str)> {
        [
            ("office_name", &self.name),
            ("office_address", &self.address),
            ("office_phone", &self.phone),
            ("office_email", &self.email),
            ("office_website", &self.website),
            ("office_contact", &self.contact),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// A commented example profile, as `konf-wahl office init` writes it.
pub fn example(lang: crate::vocab::Lang) -> String {
    crate::say!(lang, "office.example")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_may_leave_fields_out_and_unknown_fields_are_named() {
        let src = SourceText {
            name: "office.toml".into(),
            text: "name = \"Kontaktstelle\"\nphone = \"  \"\n".into(),
        };
        let o: Office = src.parse(Format::Toml).unwrap();
        let o = o.trimmed();
        assert_eq!(o.strings(), vec![("office_name", "Kontaktstelle")]);
        let bad = SourceText {
            name: "office.toml".into(),
            text: "nam = \"x\"\n".into(),
        };
        let d = bad.parse::<Office>(Format::Toml).unwrap_err();
        assert_eq!(d.location, Some((1, 1)));
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with("meinten Sie „name“?")
        );
    }

    #[test]
    fn the_example_is_a_valid_profile() {
        for lang in [crate::vocab::Lang::De, crate::vocab::Lang::En] {
            let src = SourceText {
                name: "office.toml".into(),
                text: example(lang),
            };
            let o: Office = src.parse(Format::Toml).unwrap();
            assert!(o.name.is_some());
        }
    }
}
