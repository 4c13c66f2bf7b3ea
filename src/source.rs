//! Text read from a file or embedded in the binary, and parsing it into serde types with
//! errors that point at the spot.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, line_col};
use crate::say;
use crate::wording::messages_lang;

/// The text of one input, with the name users see in messages.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// `answers.toml`, `my-catalog/bbb.toml` or `<builtin>/catalog/zoom.toml`.
    pub name: String,
    /// The whole file.
    pub text: String,
}

/// The data formats input files may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format of the catalog and criteria.
    Toml,
    /// YAML, accepted for answers.
    Yaml,
}

/// YAML flow collections nested deeper than this are refused before parsing: the YAML
/// parser's time grows with the square of the depth, so a small hostile file could hang it.
pub const MAX_NESTING: usize = 64;

/// The byte offset where `[`/`{` nesting first exceeds `max` (outside quotes), if it does.
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '\n') => quote = None,
            _ => {}
        }
    }
    None
}

/// The line of the first table header or dotted key with more than `max` parts (`[a.b.c]`,
/// `a.b.c = 1`): the TOML parser refuses those past its recursion limit without a position.
fn too_deep_keys(text: &str, max: usize) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = if trimmed.starts_with('[') {
            trimmed.trim_start_matches('[').split(']').next()
        } else {
            trimmed.split_once('=').map(|(k, _)| k)
        };
        if let Some(key) = key {
            let mut parts = 1;
            let mut quote: Option<char> = None;
            for c in key.chars() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '.') => parts += 1,
                    _ => {}
                }
            }
            if parts > max {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// Input larger than this is refused: no real answers or catalog file comes close, and a huge
/// file should not make the tool appear to hang.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

impl SourceText {
    /// Reads a file as UTF-8, with a readable error for missing files and wrong encodings.
    /// The file is opened once and must be a regular file (not a device, FIFO or folder,
    /// also not through a link to one); reading stops after [`MAX_INPUT_BYTES`] whatever
    /// its size claims.
    pub fn read(path: &Path) -> Result<Self, Diagnostic> {
        let (name, bytes) = Self::read_bytes(path)?;
        Self::from_bytes(name, bytes)
    }

    /// The bytes of a file and the name messages give it, read as [`SourceText::read`] reads
    /// them, before their encoding is checked.
    pub fn read_bytes(path: &Path) -> Result<(String, Vec<u8>), Diagnostic> {
        use std::io::Read;
        let name = path.display().to_string();
        let lang = messages_lang();
        let cannot = |e: std::io::Error| {
            Diagnostic::new(
                &name,
                say!(lang, "source.cannot_read", reason = io_reason(&e)),
            )
        };
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            // Opening a FIFO for reading would wait for a writer forever.
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let file = options.open(path).map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            let what = if meta.is_dir() {
                say!(lang, "source.is_folder")
            } else {
                say!(lang, "source.not_regular")
            };
            return Err(
                Diagnostic::new(&name, what).with_help(say!(lang, "source.name_a_text_file"))
            );
        }
        // Sized from the file's length, so a file is read in one call (the limit still holds
        // for a file that grows while it is read).
        let mut bytes = Vec::with_capacity(meta.len().min(MAX_INPUT_BYTES) as usize + 1);
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(Diagnostic::new(
                &name,
                say!(lang, "source.too_large", bytes = MAX_INPUT_BYTES),
            ));
        }
        Ok((name, bytes))
    }

    /// Checks the encoding of raw bytes (a BOM is tolerated, UTF-16 and Latin-1 are not).
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let lang = messages_lang();
        let nul = bytes.iter().position(|b| *b == 0);
        if let Some(offset) = nul {
            let utf16 =
                bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || offset <= 1;
            let valid = String::from_utf8_lossy(&bytes[..offset]).into_owned();
            return Err(Diagnostic::new(
                &name,
                if utf16 {
                    say!(lang, "source.utf16")
                } else {
                    say!(lang, "source.nul")
                },
            )
            .at(Some(if utf16 {
                (1, 1)
            } else {
                line_col(&valid, valid.len())
            }))
            .with_help(say!(lang, "source.save_as_utf8")));
        }
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.drain(..3);
                }
                Ok(SourceText { name, text })
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                Err(Diagnostic::new(&name, say!(lang, "source.not_utf8"))
                    .at(Some(line_col(&valid, offset)))
                    .with_help(say!(lang, "source.save_as_utf8")))
            }
        }
    }

    /// Parses the text into `T`, mapping parser errors to positioned diagnostics.
    pub fn parse<T: DeserializeOwned>(&self, format: Format) -> Result<T, Diagnostic> {
        match format {
            Format::Toml => {
                if let Some(offset) = too_deep_keys(&self.text, MAX_NESTING) {
                    let lang = messages_lang();
                    return Err(Diagnostic::new(
                        &self.name,
                        say!(lang, "source.too_deep", levels = MAX_NESTING),
                    )
                    .at(Some(line_col(&self.text, offset)))
                    .with_help(say!(lang, "source.too_deep_toml_help")));
                }
                self.parse_toml()
            }
            Format::Yaml => {
                if self.text.trim().is_empty() {
                    return Err(Diagnostic::new(
                        &self.name,
                        say!(messages_lang(), "source.empty"),
                    ));
                }
                if let Some(offset) = too_deep(&self.text, MAX_NESTING) {
                    let lang = messages_lang();
                    return Err(Diagnostic::new(
                        &self.name,
                        say!(lang, "source.too_deep", levels = MAX_NESTING),
                    )
                    .at(Some(line_col(&self.text, offset)))
                    .with_help(say!(lang, "source.too_deep_yaml_help")));
                }
                serde_norway::from_str(&self.text).map_err(|e| {
                    let msg = e.to_string();
                    let precise = e.location().map(|l| (l.line(), l.column()));
                    let location = precise.filter(|_| !msg.contains("duplicate")).or_else(|| {
                        // Errors without a useful position: a second document, a repeated key.
                        if msg.contains("more than one document") {
                            return self
                                .text
                                .match_indices("\n---")
                                .next()
                                .map(|(i, _)| line_col(&self.text, i + 1));
                        }
                        let key = msg.split('`').nth(1)?;
                        let mut hits = self.text.lines().enumerate().filter(|(_, l)| {
                            l.trim_start()
                                .strip_prefix(key)
                                .is_some_and(|r| r.trim_start().starts_with(':'))
                        });
                        let first = hits.next();
                        let again = if msg.contains("duplicate") {
                            hits.next()
                        } else {
                            None
                        };
                        again
                            .or(first)
                            .map(|(n, l)| (n + 1, l.len() - l.trim_start().len() + 1))
                    });
                    let mut message = e.to_string();
                    // serde_norway appends " at line X column Y"; we print the position up front.
                    if let Some(cut) = message.find(" at line ") {
                        message.truncate(cut);
                    }
                    self.error(location, message)
                })
            }
        }
    }

    fn parse_toml<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        toml::from_str(&self.text).map_err(|e| {
            let location = e.span().map(|span| line_col(&self.text, span.start));
            let message = e.message().trim().to_string();
            self.error(location, message)
        })
    }

    fn error(&self, location: Option<(usize, usize)>, message: String) -> Diagnostic {
        let lang = crate::wording::messages_lang();
        let (text, mut help) = crate::diag::plain_parser_message(&message, lang);
        // `budget_eur_per_month = 10,50` is a syntax error in TOML: say what to write.
        if let Some((line, _)) = location
            && self
                .text
                .lines()
                .nth(line - 1)
                .is_some_and(has_decimal_comma)
        {
            help = Some(crate::say!(lang, "diag.decimal_comma_help"));
        }
        let diag = Diagnostic::new(&self.name, text).at(location);
        match help {
            Some(help) => diag.with_help(help),
            None => diag,
        }
    }
}

impl Format {
    /// TOML or YAML, chosen by the file extension.
    pub fn from_path(path: &Path) -> Result<Self, Diagnostic> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("toml") => Ok(Format::Toml),
            Some("yaml" | "yml") => Ok(Format::Yaml),
            _ => Err(Diagnostic::new(
                path.display().to_string(),
                say!(messages_lang(), "source.unknown_kind"),
            )),
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    let lang = messages_lang();
    match e.kind() {
        std::io::ErrorKind::NotFound => say!(lang, "source.no_such_file"),
        std::io::ErrorKind::PermissionDenied => say!(lang, "source.permission_denied"),
        _ => e.to_string(),
    }
}

/// Whether a line assigns a number written with a decimal comma (`x = 10,50`).
fn has_decimal_comma(line: &str) -> bool {
    let Some((_, value)) = line.split_once('=') else {
        return false;
    };
    let value = value.split('#').next().unwrap_or("").trim();
    let mut parts = value.splitn(2, ',');
    let (a, b) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    !a.is_empty()
        && !b.is_empty()
        && a.chars().all(|c| c.is_ascii_digit())
        && b.chars().all(|c| c.is_ascii_digit())
}

/// The `*.toml` files of a folder embedded in the binary, by name.
pub fn embedded_toml_files(
    dir: &'static include_dir::Dir<'static>,
) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort_by_key(|f| f.path());
    files
}

/// A value with its byte range in a TOML file: `toml::Spanned`, plus a JSON Schema that is
/// the inner value's, so the catalog schema can be generated from the same types that parse it.
#[derive(Debug, Clone)]
pub struct Spanned<T>(toml::Spanned<T>);

impl<T> Spanned<T> {
    /// The byte range in the file.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.0.span()
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        toml::Spanned::<T>::deserialize(d).map(Spanned)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }
}
