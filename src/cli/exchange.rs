//! `catalog export` and `catalog import`.

use super::*;

pub(super) fn export(args: &ExportArgs) -> Result<ExitCode> {
    let format = resolve_format(
        "catalog export",
        args.format,
        args.output.as_deref(),
        ExportFormat::Csv,
    )?;
    let dialect = resolve_csv_dialect(args.csv_dialect, format, args.data.lang)?;
    let (catalog, _) = load_data(&args.data)?;
    let text = match format {
        ExportFormat::Csv => crate::exchange::to_csv(&catalog, dialect),
        ExportFormat::Json => {
            let mut t = serde_json::to_string_pretty(&crate::exchange::files(&catalog))?;
            t.push('\n');
            t
        }
        ExportFormat::Yaml => serde_norway::to_string(&crate::exchange::files(&catalog))?,
    };
    emit(args.output.as_deref(), &text, args.force, false)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn import(args: &ImportArgs, quiet: bool) -> Result<ExitCode> {
    let source = SourceText::read(&args.file)?;
    let files = crate::exchange::from_csv(&source.name, &source.text)?;
    crate::exchange::write_files(&args.out_dir, &files, args.force)?;
    if !quiet {
        output::eprint_line(&format!(
            "wrote {} catalog files to {}; use them with --catalog {}",
            files.len(),
            args.out_dir.display(),
            args.out_dir.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
