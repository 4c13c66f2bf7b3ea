//! Writing results: to stdout, or to a file that appears whole or not at all.
//!
//! A file is written to a temporary file that is created exclusively, under an unpredictable
//! name, in the target's own folder (so no planted link is followed and the final rename stays
//! on one file system), then moved into place: without `--force` by a link that fails if the
//! name exists (two runs racing for one new name cannot both win, and a dangling link at the
//! name counts as existing), with `--force` by a rename that keeps the old file's mode and
//! owner. A name that is not a regular file is never replaced: a terminal device or
//! `/dev/null` is written to directly, a FIFO only when a reader waits, anything else (a
//! symbolic link, a folder, a disk) is refused.

use crate::say;
use std::fs::{File, Metadata, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// What stands at an output path before writing.
enum Target {
    /// Nothing: a new file.
    Free,
    /// A regular file with one name.
    File(Metadata),
    /// A character device (`/dev/null`, a terminal): written to directly.
    Device,
    /// A FIFO: written to directly if a reader is waiting.
    Fifo,
}

/// Messages about files are for the person at the terminal.
fn lang() -> crate::vocab::Lang {
    crate::wording::messages_lang()
}

fn inspect(path: &Path) -> Result<Target> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Free),
        Err(e) => {
            return Err(e)
                .with_context(|| say!(lang(), "output.cannot_inspect", file = path.display()));
        }
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        bail!(say!(lang(), "output.is_link", file = path.display()));
    }
    if kind.is_dir() {
        bail!(say!(lang(), "output.is_folder", file = path.display()));
    }
    if kind.is_file() {
        return Ok(Target::File(meta));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return Ok(Target::Device);
        }
        if kind.is_fifo() {
            return Ok(Target::Fifo);
        }
    }
    bail!(say!(lang(), "output.is_special", file = path.display()))
}

/// Writes `bytes` to `path` so that a reader never sees half a handout and a failed run
/// leaves an old file untouched. An existing file is replaced only with `force`.
pub fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let existing = match inspect(path)? {
        Target::Device => return write_directly(path, bytes, false),
        Target::Fifo => return write_directly(path, bytes, true),
        Target::File(_) if !force => {
            bail!(say!(lang(), "output.exists", file = path.display()))
        }
        Target::File(meta) => Some(meta),
        Target::Free => None,
    };
    let staged = stage(path, bytes)?;
    match existing {
        None => staged.persist_noclobber(path).map(|_| ()).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(say!(lang(), "output.exists", file = path.display()))
            } else {
                anyhow::Error::new(e.error).context(say!(
                    lang(),
                    "output.cannot_write",
                    file = path.display()
                ))
            }
        }),
        Some(meta) => {
            keep_mode_and_owner(staged.as_file(), &meta, path)?;
            staged
                .persist(path)
                .map(|_| ())
                .map_err(|e| anyhow::Error::new(e.error))
                .with_context(|| say!(lang(), "output.cannot_write", file = path.display()))
        }
    }
}

/// Several files, all or none: every target is checked first, every text staged, and only
/// then are they moved into place; if one fails, those already placed are removed again.
pub fn write_all(files: &[(PathBuf, Vec<u8>)], force: bool) -> Result<()> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        match inspect(path)? {
            Target::Free => {}
            Target::File(_) if force => {}
            Target::File(_) => bail!(
                "{} ({})",
                say!(lang(), "output.exists", file = path.display()),
                say!(lang(), "output.nothing_written")
            ),
            Target::Device | Target::Fifo => {
                bail!(say!(lang(), "output.is_device", file = path.display()))
            }
        }
        staged.push((path, bytes));
    }
    let mut placed: Vec<&Path> = Vec::new();
    for (path, bytes) in staged {
        if let Err(e) = write_atomically(path, bytes, force) {
            for done in placed {
                let _ = std::fs::remove_file(done);
            }
            return Err(e.context(say!(lang(), "output.nothing_written")));
        }
        placed.push(path);
    }
    Ok(())
}

/// The text in a temporary file beside `path`, synced to disk.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.file_name().is_none() {
        bail!(say!(
            lang(),
            "output.not_a_file_name",
            file = path.display()
        ));
    }
    // Short and random: a long target name still fits, and nobody can plant the name.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".konf-wahl-").suffix(".tmp");
    // A new handout gets the usual permissions (0666 less the umask), not a temp file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut staged = builder
        .tempfile_in(dir)
        .with_context(|| say!(lang(), "output.cannot_stage", folder = dir.display()))?;
    staged
        .write_all(bytes)
        .and_then(|()| staged.as_file().sync_all())
        .with_context(|| say!(lang(), "output.cannot_stage", folder = dir.display()))?;
    Ok(staged)
}

/// `--force` replaces the content, not the file's permissions or owner.
fn keep_mode_and_owner(staged: &File, old: &Metadata, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::io::AsRawFd;
        if old.nlink() > 1 {
            bail!(say!(
                lang(),
                "output.hard_links",
                file = path.display(),
                count = old.nlink()
            ));
        }
        staged.set_permissions(old.permissions()).with_context(|| {
            say!(
                lang(),
                "output.cannot_keep_permissions",
                file = path.display()
            )
        })?;
        // Only the owner or root can hand a file to its owner; for anyone else the file
        // already belongs to them.
        // SAFETY: fchown on a file descriptor this function borrows; no memory is touched.
        let _ = unsafe { libc::fchown(staged.as_raw_fd(), old.uid(), old.gid()) };
    }
    #[cfg(not(unix))]
    {
        let _ = (staged, old, path);
    }
    Ok(())
}

/// Writes to a device or FIFO as it is: there is nothing to replace.
fn write_directly(path: &Path, bytes: &[u8], fifo: bool) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    if fifo {
        // Without a reader, opening a FIFO would wait forever.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(|e| {
        if fifo && e.raw_os_error() == Some(libc::ENXIO) {
            anyhow::anyhow!(say!(
                lang(),
                "output.fifo_without_reader",
                file = path.display()
            ))
        } else {
            anyhow::Error::new(e).context(say!(
                lang(),
                "output.cannot_write",
                file = path.display()
            ))
        }
    })?;
    #[cfg(unix)]
    if fifo {
        set_blocking(&file);
    }
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .with_context(|| say!(lang(), "output.cannot_write", file = path.display()))
}

#[cfg(unix)]
fn set_blocking(file: &File) {
    use std::os::unix::io::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor owned by `file` for its lifetime.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context(say!(lang(), "output.cannot_write_stdout")),
    }
}

/// Text for a terminal: control characters from group names or catalog text (escape
/// sequences that move the cursor, set a window title or hide text) are replaced by visible
/// symbols, so what the advisor reads is what the data says.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if !unsafe_char(c) => c,
            // C0 controls have visible pictures: ESC becomes ␛.
            c @ '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect::<String>()
        .into()
}

/// Terminal text to stdout, made safe first.
pub fn write_terminal(text: &str) -> Result<()> {
    write_stdout(terminal_safe(text).as_bytes())
}

/// A line to stderr, made safe for the terminal. Stderr that cannot be written (closed, full)
/// is no reason to panic: the exit code still tells what happened.
pub fn eprint_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", terminal_safe(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomically(&path, b"one", false).unwrap();
        assert!(write_atomically(&path, b"two", false).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomically(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(terminal_safe("a\u{1b}[2Jb\nc"), "a␛[2Jb\nc");
        assert_eq!(terminal_safe("\u{9b}31m"), "\u{fffd}31m");
        assert_eq!(terminal_safe("\u{202e}abc"), "\u{fffd}abc");
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
