//! The command line, declared with clap's derive API. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::render::csv::Dialect as CsvDialect;
use crate::vocab::Lang;

/// Advice for self-help groups: which conferencing software fits the group?
#[derive(Debug, Parser)]
#[command(name = "konf-wahl", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 ok, 1 error in input or data, 2 usage error.")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but results and errors (no warnings, no progress)
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Tell on stderr what is loaded from where
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Language of help and messages; before a command it counts for that command too
    /// (`konf-wahl --lang en recommend …`, see `help::place_lang`)
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank the catalog's tools for a group's answers file
    Recommend(RecommendArgs),
    /// List the tools in the catalog, one line each
    List(ListArgs),
    /// Show every fact of one tool, with its source and check date
    Show(ShowArgs),
    /// Validate the catalog and criteria and summarise how current they are
    Check(CheckArgs),
    /// Ask the pre-selection questions and write an answers file
    Init(InitArgs),
    /// The questionnaire and the advice in the browser, on this computer
    Serve(ServeArgs),
    /// Put tools side by side, fact by fact, with sources
    Compare(CompareArgs),
    /// Explain why a tool is where it is for a group, and what would change it
    Why(WhyArgs),
    /// Print a JSON Schema for answers, catalog or criteria files (for editors)
    Schema(SchemaArgs),
    /// Export the catalog for spreadsheets, or import one back
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Manpage,
    /// Show or create the contact office's profile, printed on every handout
    #[command(subcommand)]
    Office(OfficeCommand),
    /// Write the shipped handout templates into a folder, to start your own from
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

/// `office` subcommands.
#[derive(Debug, Subcommand)]
pub enum OfficeCommand {
    /// Show where the profile is read from and what it says
    Show(OfficeShowArgs),
    /// Write a profile to fill in, in the configuration folder (or FILE)
    Init(OfficeInitArgs),
}

/// Arguments of `office show`.
#[derive(Debug, Args)]
pub struct OfficeShowArgs {
    /// The profile to show instead of the one in the configuration folder
    #[arg(long, value_name = "FILE")]
    pub office: Option<PathBuf>,
}

/// Arguments of `office init`.
#[derive(Debug, Args)]
pub struct OfficeInitArgs {
    /// Where to write it; default: office.toml in the configuration folder
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Replace an existing profile
    #[arg(long)]
    pub force: bool,
}

/// `templates` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write every shipped template file into a folder
    Export(TemplatesExportArgs),
}

/// Arguments of `templates export`.
#[derive(Debug, Args)]
pub struct TemplatesExportArgs {
    /// The folder (created if needed)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace files that are already there
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port the page runs on (0: a free port)
    #[arg(long, value_name = "N", default_value_t = 8470)]
    pub port: u16,
    /// Open the page in the default browser right away
    #[arg(long)]
    pub open: bool,
    /// Address the page listens on; anything but 127.0.0.1 or ::1 makes it reachable from
    /// other computers and requires an access token
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Access token (at least 24 characters) with --bind; otherwise a random one is made
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Folder whose files replace the shipped templates of the same name
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The contact office's profile for the handouts; default: office.toml in the configuration folder
    #[arg(long, value_name = "FILE")]
    pub office: Option<PathBuf>,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the answers (TOML); default answers.toml
    #[arg(default_value = "answers.toml", value_name = "FILE")]
    pub file: PathBuf,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
    /// Language of questions and comments
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// A table for the terminal
    Table,
    /// Markdown
    Markdown,
    /// One self-contained HTML page
    Html,
    /// JSON
    Json,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Catalog ids of the tools, e.g. zoom jitsi-meet bigbluebutton
    #[arg(required = true, num_args = 1.., value_name = "TOOL")]
    pub tools: Vec<String>,
    /// Output format; default: the one the -o file's extension names (.txt .md .html .json),
    /// else table
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<CompareFormat>,
    /// Write to this file instead of stdout (atomically); its extension chooses the format
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Output formats of `why`, `show`, `list` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum InspectFormat {
    /// Text for the terminal, in the chosen language
    #[default]
    Table,
    /// JSON with the catalog's own keys and ISO dates, for scripts
    Json,
}

/// Arguments of `why`.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The tool's catalog id
    pub tool: String,
    /// The group's answers
    pub answers: PathBuf,
    /// Try an answer without editing the file, e.g. --set participants=30
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Which schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Answers files
    Answers,
    /// One catalog entry (catalog/<id>.toml)
    Catalog,
    /// One criterion (criteria/<id>.toml)
    Criteria,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file kind
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// `catalog` subcommands.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Write the catalog as CSV (one row per tool offering), YAML or JSON
    Export(ExportArgs),
    /// Turn a CSV written by `catalog export` (and edited in a spreadsheet) into catalog TOML files
    Import(ImportArgs),
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per tool offering, every fact with source and date
    Csv,
    /// The whole catalog as YAML
    Yaml,
    /// The whole catalog as JSON
    Json,
}

/// Arguments of `catalog export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format; default: the one the -o file's extension names (.csv .yaml .json), else csv
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to this file instead of stdout (atomically); its extension chooses the format
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How CSV is written: excel (semicolons, decimal comma, UTF-8 with BOM: opens in German
    /// Excel by a double click) or rfc4180 (commas, decimal point, no BOM); default: excel with
    /// --lang de, rfc4180 with --lang en
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub csv_dialect: Option<CsvDialect>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `catalog import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file
    pub file: PathBuf,
    /// Folder to write one <id>.toml per tool into
    #[arg(long, value_name = "DIR", default_value = "catalog-import")]
    pub out_dir: PathBuf,
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where catalog and criteria come from.
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// Folder with extra catalog entries; they replace shipped entries of the same id
    #[arg(long, value_name = "DIR")]
    pub catalog: Option<PathBuf>,
    /// File with criteria ([[criteria]] tables) that replaces the shipped criteria
    #[arg(long, value_name = "FILE")]
    pub criteria: Option<PathBuf>,
    /// Language of everything the group reads
    #[arg(long, value_enum, default_value_t = Lang::De)]
    pub lang: Lang,
}

/// Output formats of `recommend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A ranked table for the terminal
    Table,
    /// The machine-readable report (the JSON contract)
    Json,
    /// A handout in Markdown (CommonMark with tables)
    Markdown,
    /// A handout as one self-contained HTML file
    Html,
    /// One row per tool and offering, for spreadsheets
    Csv,
}

/// Arguments of `recommend`.
#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The group's answers (TOML, or YAML with .yaml/.yml); several with --out-dir
    #[arg(value_name = "ANSWERS", required = true, num_args = 1..)]
    pub answers: Vec<PathBuf>,
    /// Batch mode: write one output per answers file into this folder
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Output format; default: the one the -o file's extension names (.txt .md .html .csv
    /// .json), html in batch mode (--out-dir), else table
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of stdout (atomically); its extension chooses the format
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How CSV is written: excel (semicolons, decimal comma, UTF-8 with BOM: opens in German
    /// Excel by a double click) or rfc4180 (commas, decimal point, no BOM); default: excel with
    /// --lang de, rfc4180 with --lang en
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub csv_dialect: Option<CsvDialect>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
    /// Try an answer without editing the file, e.g. --set participants=30
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
    /// Judge the freshness of facts as of this date (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else the catalog date
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Explain how much to trust the ranking: sensitivity, close calls, tipping points
    #[arg(long)]
    pub explain: bool,
    /// The advisor's annex instead of the group handout (html or markdown): full ranking,
    /// criteria matrix, certainty, ruled-out tools, open questions, sources, glossary
    #[arg(long)]
    pub annex: bool,
    /// Number of weight samples of the sensitivity analysis
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub samples: u32,
    /// Seed of the sensitivity analysis (same seed, same figures)
    #[arg(long, value_name = "N", default_value_t = 2026)]
    pub seed: u64,
    /// Folder whose files replace the shipped handout templates of the same name
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The contact office's profile for the handout; default: office.toml in the configuration folder
    #[arg(long, value_name = "FILE")]
    pub office: Option<PathBuf>,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The tool's catalog id, e.g. jitsi-meet
    pub tool: String,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Warn about facts whose evidence (the source's own date, else the check date) is older
    /// than this many months (0 to 1200)
    #[arg(long, default_value_t = 18, value_name = "MONTHS", value_parser = clap::value_parser!(u32).range(0..=1200))]
    pub max_age: u32,
    /// The date to measure age from (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else today
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Fail (exit 1) when there are warnings, too
    #[arg(long)]
    pub strict: bool,
    /// List every unknown fact per tool, with the note that says why
    #[arg(long)]
    pub unknowns: bool,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
    /// Catalog, criteria and language
    #[command(flatten)]
    pub data: DataArgs,
}

fn parse_set(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(crate::say!(
            crate::wording::messages_lang(),
            "usage.set_shape",
            text = text
        )),
    }
}

/// A command line that cannot be carried out as written: exit code 2, like clap's own usage
/// errors, and nothing is written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The kind of file an output name promises by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.html`, `.htm`
    Html,
    /// `.md`, `.markdown`
    Markdown,
    /// `.csv`
    Csv,
    /// `.json`
    Json,
    /// `.txt`
    Text,
    /// `.yaml`, `.yml`
    Yaml,
}

/// Every extension konf-wahl knows, the usual one of each kind first.
const EXTENSIONS: &[(&str, FileKind)] = &[
    ("html", FileKind::Html),
    ("htm", FileKind::Html),
    ("md", FileKind::Markdown),
    ("markdown", FileKind::Markdown),
    ("csv", FileKind::Csv),
    ("json", FileKind::Json),
    ("txt", FileKind::Text),
    ("yaml", FileKind::Yaml),
    ("yml", FileKind::Yaml),
];

impl FileKind {
    /// The kind an extension names (any case), if konf-wahl knows it.
    pub fn of_extension(ext: &str) -> Option<Self> {
        EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|(_, k)| *k)
    }

    /// The extensions of this kind, the usual one first.
    fn extensions(self) -> impl Iterator<Item = &'static str> {
        EXTENSIONS
            .iter()
            .filter(move |(_, k)| *k == self)
            .map(|(e, _)| *e)
    }

    /// "eine HTML-Datei", "an HTML file".
    fn name(self, lang: Lang) -> String {
        match self {
            FileKind::Html => crate::say!(lang, "output.kind.html"),
            FileKind::Markdown => crate::say!(lang, "output.kind.markdown"),
            FileKind::Csv => crate::say!(lang, "output.kind.csv"),
            FileKind::Json => crate::say!(lang, "output.kind.json"),
            FileKind::Text => crate::say!(lang, "output.kind.text"),
            FileKind::Yaml => crate::say!(lang, "output.kind.yaml"),
        }
    }
}

/// An output format of one command, chosen with `--format` or by the `-o` file's extension.
pub trait OutputFormat: ValueEnum + Copy + PartialEq + 'static {
    /// The format a file name is suggested with when the given one does not fit.
    const SUGGESTED: Self;

    /// The kind of file this format writes.
    fn kind(self) -> FileKind;

    /// The usual extension of this format's files (without the dot).
    fn extension(self) -> &'static str {
        self.kind()
            .extensions()
            .next()
            .expect("every kind has an extension")
    }

    /// The name `--format` takes.
    fn word(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }
}

impl OutputFormat for ReportFormat {
    const SUGGESTED: Self = ReportFormat::Html;
    fn kind(self) -> FileKind {
        match self {
            ReportFormat::Table => FileKind::Text,
            ReportFormat::Json => FileKind::Json,
            ReportFormat::Markdown => FileKind::Markdown,
            ReportFormat::Html => FileKind::Html,
            ReportFormat::Csv => FileKind::Csv,
        }
    }
}

impl OutputFormat for CompareFormat {
    const SUGGESTED: Self = CompareFormat::Html;
    fn kind(self) -> FileKind {
        match self {
            CompareFormat::Table => FileKind::Text,
            CompareFormat::Markdown => FileKind::Markdown,
            CompareFormat::Html => FileKind::Html,
            CompareFormat::Json => FileKind::Json,
        }
    }
}

impl OutputFormat for ExportFormat {
    const SUGGESTED: Self = ExportFormat::Csv;
    fn kind(self) -> FileKind {
        match self {
            ExportFormat::Csv => FileKind::Csv,
            ExportFormat::Yaml => FileKind::Yaml,
            ExportFormat::Json => FileKind::Json,
        }
    }
}

/// The format to write: `--format` if given, else the one the `-o` file's extension names,
/// else `default`. A `--format` that contradicts a known extension, an extension the command
/// cannot write, and (without `--format`) an unknown extension are usage errors. Stdout (no
/// `-o`, or `-o -`) and names without an extension (`/dev/null`, a FIFO) take `--format` or
/// the default.
pub fn resolve_format<F: OutputFormat>(
    command: &str,
    explicit: Option<F>,
    output: Option<&std::path::Path>,
    default: F,
) -> Result<F, UsageError> {
    let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
        return Ok(explicit.unwrap_or(default));
    };
    let Some(ext) = path.extension().map(|e| e.to_string_lossy().into_owned()) else {
        return Ok(explicit.unwrap_or(default));
    };
    let lang = crate::wording::messages_lang();
    let file = path.display().to_string();
    let suggestion = |f: F| path.with_extension(f.extension()).display().to_string();
    let known = || {
        EXTENSIONS
            .iter()
            .filter(|(_, k)| F::value_variants().iter().any(|f| f.kind() == *k))
            .map(|(e, _)| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(kind) = FileKind::of_extension(&ext) else {
        return match explicit {
            Some(f) => Ok(f),
            None => Err(UsageError(crate::say!(
                lang,
                "output.unknown_extension",
                file = file,
                extension = format!(".{ext}"),
                known = known(),
                suggestion = suggestion(F::SUGGESTED),
            ))),
        };
    };
    let named = F::value_variants()
        .iter()
        .copied()
        .find(|f| f.kind() == kind);
    match (named, explicit) {
        (Some(f), None) => Ok(f),
        (Some(f), Some(e)) if f == e => Ok(e),
        (Some(_), Some(e)) => Err(UsageError(crate::say!(
            lang,
            "output.format_contradicts_file",
            file = file,
            kind = kind.name(lang),
            format = e.word(),
            suggestion = suggestion(e),
        ))),
        (None, _) => Err(UsageError(crate::say!(
            lang,
            "output.kind_not_written",
            file = file,
            kind = kind.name(lang),
            command = command,
            known = known(),
            suggestion = suggestion(explicit.unwrap_or(F::SUGGESTED)),
        ))),
    }
}

/// The CSV dialect: `--csv-dialect` if given (only with CSV output), else the one that suits
/// the report's language (excel for German, rfc4180 for English).
pub fn resolve_csv_dialect<F: OutputFormat>(
    explicit: Option<CsvDialect>,
    format: F,
    lang: Lang,
) -> Result<CsvDialect, UsageError> {
    let messages = crate::wording::messages_lang();
    match explicit {
        Some(_) if format.kind() != FileKind::Csv => Err(UsageError(crate::say!(
            messages,
            "output.csv_dialect_without_csv",
            format = format.word(),
        ))),
        Some(d) => Ok(d),
        None => Ok(CsvDialect::for_lang(lang)),
    }
}
