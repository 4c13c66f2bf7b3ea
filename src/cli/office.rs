//! `office show|init` and `templates export`: the contact office's profile and a starting
//! point for its own templates.

use super::*;
use crate::office::{self, Office};
use crate::say;
use crate::wording::messages_lang;

pub(super) fn show(args: &OfficeShowArgs) -> Result<ExitCode> {
    let lang = messages_lang();
    let path = args.office.clone().or_else(office::default_path);
    let Some(path) = path else {
        output::write_terminal(&format!("{}\n", say!(lang, "office.no_location")))?;
        return Ok(ExitCode::SUCCESS);
    };
    if args.office.is_none() && !path.is_file() {
        output::write_terminal(&format!(
            "{}\n{}\n",
            say!(lang, "office.none", path = path.display()),
            say!(lang, "office.create")
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    let profile = Office::load(Some(&path))?.unwrap_or_default();
    let mut text = format!("{}\n", say!(lang, "office.from", path = path.display()));
    for (label, value) in [
        (
            crate::wording::text(lang, "office.field.name"),
            &profile.name,
        ),
        (
            crate::wording::text(lang, "office.field.address"),
            &profile.address,
        ),
        (
            crate::wording::text(lang, "office.field.phone"),
            &profile.phone,
        ),
        (
            crate::wording::text(lang, "office.field.email"),
            &profile.email,
        ),
        (
            crate::wording::text(lang, "office.field.website"),
            &profile.website,
        ),
        (
            crate::wording::text(lang, "office.field.contact"),
            &profile.contact,
        ),
    ] {
        text.push_str(&format!("  {label}: {}\n", value.as_deref().unwrap_or("–")));
    }
    output::write_terminal(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn init(args: &OfficeInitArgs) -> Result<ExitCode> {
    let lang = messages_lang();
    let Some(path) = args.file.clone().or_else(office::default_path) else {
        return Err(anyhow!(say!(lang, "office.no_location")));
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    }
    output::write_atomically(&path, office::example(lang).as_bytes(), args.force)?;
    output::eprint_line(&say!(lang, "office.written", path = path.display()));
    Ok(ExitCode::SUCCESS)
}

pub(super) fn export_templates(args: &TemplatesExportArgs) -> Result<ExitCode> {
    let lang = messages_lang();
    std::fs::create_dir_all(&args.dir).with_context(|| format!("{}", args.dir.display()))?;
    let files: Vec<(std::path::PathBuf, Vec<u8>)> = Templates::shipped()
        .map(|(name, text)| (args.dir.join(name), text.as_bytes().to_vec()))
        .collect();
    output::write_all(&files, args.force)?;
    output::eprint_line(&say!(
        lang,
        "templates.exported",
        count = files.len(),
        dir = args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
