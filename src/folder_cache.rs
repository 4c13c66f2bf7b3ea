//! The tools of a large catalog folder, remembered between runs.
//!
//! Reading TOML is nearly all the time a large `--catalog` folder takes (the `toml` crate
//! spends about 130 instructions on a byte, and 10,000 tools are 100 MB). So a file that was
//! read and passed every check before is not read as TOML again: its tool comes from the
//! cache, in the binary form of [`crate::stored`], found by a 128-bit XXH3 hash of the file's
//! name, stem and bytes. It need not be a cryptographic hash (whoever can write the files can
//! change the catalog anyway); it tells versions of a file apart, and XXH3 does that at a
//! fraction of the cost of BLAKE3, which took a tenth of a cached load. Every other file takes
//! the text path with its error positions, and only files that passed are remembered, so a run
//! with the cache gives the same tools, messages and outputs as one without.
//!
//! A cache belongs to one build of the program: its header names the version and the size
//! and modification time of the executable, and a cache written by another build is ignored
//! (and replaced). Folders with fewer than [`MIN_FILES`] catalog files are read as text every
//! time (an office's own entries take milliseconds) and nothing is written for them.
//!
//! Where: `$XDG_CACHE_HOME/konf-wahl` or `~/.cache/konf-wahl` (on Windows and macOS the
//! system's cache folder), one file per catalog folder. `KONF_WAHL_CACHE=off` turns the cache
//! off, `KONF_WAHL_CACHE=DIR` puts it in `DIR`. A folder or file that another user could
//! change is not read; the cache is written through a new temporary file that then replaces
//! the old one, so a reader never sees half a cache. Failing to read or write the cache is
//! never an error: the run then reads the text, as without a cache.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Tool, parse_file, parse_tool, toml_files};
use crate::diag::Diagnostics;
use crate::source::SourceText;

/// Folders with fewer catalog files are not cached.
pub const MIN_FILES: usize = 100;

/// The start of every cache file; the number changes with the layout.
const MAGIC: &[u8] = b"konf-wahl catalog cache 3\n";

/// An XXH3 hash (128 bits) of one file's name, stem and bytes.
type Key = [u8; 16];

/// The cache file after [`MAGIC`] (postcard). Entries are sorted by key and borrow their
/// bytes from the file; each has an XXH3 checksum of its bytes, so a damaged entry is read
/// as text again instead of giving a wrong tool.
#[derive(Deserialize)]
struct CacheFile<'a> {
    program: &'a str,
    #[serde(borrow)]
    entries: Vec<(Key, u64, &'a [u8])>,
}

/// What one load took from the cache and what it read as text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Tools taken from the cache.
    pub remembered: usize,
    /// Files read as TOML.
    pub read: usize,
}

/// `base` plus the tools of `dir` (which replace tools of the same id), as
/// [`Catalog::load_over`] gives them, taking unchanged files from the cache.
pub fn load(base: Vec<Tool>, dir: &Path) -> Result<Catalog, Diagnostics> {
    load_counted(base, dir, cache_dir().as_deref()).0
}

/// [`load`] with the cache in `cache_dir` (none: no cache), and what it took from where.
pub fn load_counted(
    base: Vec<Tool>,
    dir: &Path,
    cache_dir: Option<&Path>,
) -> (Result<Catalog, Diagnostics>, Counts) {
    let files = match toml_files(dir) {
        Ok(files) => files,
        Err(d) => return (Err(d), Counts::default()),
    };
    // A small folder, or no cache: every file as text.
    let cached = cache_dir
        .filter(|_| files.len() >= MIN_FILES)
        .and_then(|d| Some((d, program_identity()?)));
    let Some((cache_dir, program)) = cached else {
        let read = files.len();
        let catalog = Catalog::load_files(base, files, &parse_file);
        return (
            catalog,
            Counts {
                remembered: 0,
                read,
            },
        );
    };
    let path = cache_file(cache_dir, dir);
    let map = map_private(&path);
    let old: BTreeMap<Key, &[u8]> = map
        .as_deref()
        .and_then(|bytes| bytes.strip_prefix(MAGIC))
        .and_then(|rest| postcard::from_bytes::<CacheFile>(rest).ok())
        .filter(|file| file.program == program)
        .map(|file| {
            (file.entries.into_iter())
                .filter(|(_, sum, bytes)| xxhash_rust::xxh3::xxh3_64(bytes) == *sum)
                .map(|(key, _, bytes)| (key, bytes))
                .collect()
        })
        .unwrap_or_default();
    // Every key this load used, with the stem of its file if that was read as text.
    let used: Mutex<Vec<(Key, Option<String>)>> = Mutex::new(Vec::new());
    let remember = |key: Key, read: Option<&str>| {
        used.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, read.map(str::to_string)));
    };
    let parse = |path: &Path, stem: &str| -> Result<Tool, Diagnostics> {
        let (name, bytes) = SourceText::read_bytes(path).map_err(|d| Diagnostics(vec![d]))?;
        let key = key_of(&name, stem, &bytes);
        if let Some(tool) = old
            .get(&key)
            .and_then(|b| crate::stored::decode_tool(b).ok())
        {
            remember(key, None);
            return Ok(tool);
        }
        let source = SourceText::from_bytes(name, bytes).map_err(|d| Diagnostics(vec![d]))?;
        let tool = parse_tool(&source, stem)?;
        remember(key, Some(stem));
        Ok(tool)
    };
    let catalog = Catalog::load_files(base, files, &parse);
    let mut used = used.into_inner().unwrap_or_else(|e| e.into_inner());
    let read = used.iter().filter(|(_, stem)| stem.is_some()).count();
    let counts = Counts {
        remembered: used.len() - read,
        read,
    };
    // Rewritten when a tool is new or an entry is no longer needed, so the cache holds the
    // folder as it is now and does not grow with every edit; not when the folder has an
    // error (the run after the fix writes it).
    if let Ok(catalog) = &catalog
        && (read > 0 || counts.remembered != old.len())
    {
        used.sort_unstable_by_key(|(key, _)| *key);
        let entries: Option<Vec<Written>> = used
            .iter()
            .map(|(key, stem)| {
                Some(match stem {
                    // A file's tool has the file's stem as its id.
                    Some(stem) => Written(*key, Entry::Read(catalog.tools.get(stem)?)),
                    None => Written(*key, Entry::Remembered(old.get(key)?)),
                })
            })
            .collect();
        // A cache that cannot be written only costs the next run its time.
        if let Some(entries) = entries {
            let _ = write_private(cache_dir, &path, &program, entries);
        }
    }
    (catalog, counts)
}

/// Where the cache lives, or `None` when it is turned off.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("KONF_WAHL_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => dirs::cache_dir().map(|d| d.join("konf-wahl")),
    }
}

fn key_of(name: &str, stem: &str, bytes: &[u8]) -> Key {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [name.as_bytes(), stem.as_bytes()] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.update(bytes);
    hasher.digest128().to_le_bytes()
}

/// The cache file of catalog folder `dir`: named by a hash of its full path, so two folders
/// never share one (and the name says nothing about the folder).
fn cache_file(cache_dir: &Path, dir: &Path) -> PathBuf {
    let full = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_128(full.as_os_str().as_encoded_bytes());
    cache_dir.join(format!("catalog-{hash:032x}.bin"))
}

/// This build of the program: its version and the size and time of its executable (a new
/// build replaces the executable, so its tools are never read by another build).
fn program_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let time = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        time.as_secs(),
        time.subsec_nanos()
    ))
}

/// A cache file, mapped (not read: a read would copy 50 MB for 10,000 tools into fresh
/// memory, a page fault every 4 KB), if the file and its folder are this user's and nobody
/// else may change them.
fn map_private(path: &Path) -> Option<memmap2::Mmap> {
    if !is_private(&std::fs::symlink_metadata(path.parent()?).ok()?) {
        return None;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || !is_private(&meta) {
        return None;
    }
    // SAFETY: the file is this user's and nobody else may change it, and this program never
    // changes a cache file: it writes a new one and renames it over the old, which leaves a
    // mapped file as it was. (Cutting the file short by hand while a run reads it would end
    // that run, as with any mapped file.)
    unsafe { memmap2::Mmap::map(&file) }.ok()
}

#[cfg(unix)]
fn is_private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    (meta.is_file() || meta.is_dir()) && meta.uid() == me && meta.mode() & 0o022 == 0
}

#[cfg(not(unix))]
fn is_private(meta: &std::fs::Metadata) -> bool {
    meta.is_file() || meta.is_dir()
}

/// One entry as written: the bytes of the old cache, or a tool read as text, encoded while
/// it is written (so a first run does not hold a second copy of the whole catalog).
enum Entry<'a> {
    Remembered(&'a [u8]),
    Read(&'a Tool),
}

/// An entry as [`CacheFile`] reads it: key, checksum, bytes.
struct Written<'a>(Key, Entry<'a>);

impl Serialize for Written<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let encoded;
        let bytes = match self.1 {
            Entry::Remembered(bytes) => bytes,
            Entry::Read(tool) => {
                encoded = crate::stored::encode_tool(tool);
                &encoded
            }
        };
        (self.0, xxhash_rust::xxh3::xxh3_64(bytes), Bytes(bytes)).serialize(s)
    }
}

/// [`CacheFile`] as written, entry by entry.
#[derive(Serialize)]
struct CacheFileOut<'a> {
    program: &'a str,
    entries: Vec<Written<'a>>,
}

/// Bytes written as `&[u8]` is read (serde writes a slice as a sequence otherwise).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// Writes the cache through a new temporary file in the same folder, which then replaces the
/// old file (a rename replaces a link, it does not write through it).
fn write_private(
    cache_dir: &Path,
    path: &Path,
    program: &str,
    entries: Vec<Written>,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(cache_dir)?;
    if !is_private(&std::fs::symlink_metadata(cache_dir)?) {
        return Err(std::io::Error::other("the cache folder is not private"));
    }
    let tmp = tempfile::Builder::new()
        .prefix(".catalog-")
        .tempfile_in(cache_dir)?;
    let mut out = std::io::BufWriter::new(tmp);
    out.write_all(MAGIC)?;
    let file = CacheFileOut { program, entries };
    let mut out = postcard::to_io(&file, out).map_err(std::io::Error::other)?;
    out.flush()?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of `n` copies of the shipped Jitsi entry, `jitsi-copy-0.toml` and so on.
    fn folder(n: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/jitsi-meet.toml"),
        )
        .unwrap();
        for i in 0..n {
            let id = format!("jitsi-copy-{i}");
            let copy = text.replacen("id = \"jitsi-meet\"", &format!("id = \"{id}\""), 1);
            std::fs::write(dir.path().join(format!("{id}.toml")), copy).unwrap();
        }
        dir
    }

    fn counts_of(remembered: usize, read: usize) -> Counts {
        Counts { remembered, read }
    }

    fn ids(catalog: &Result<Catalog, Diagnostics>) -> Vec<String> {
        catalog.as_ref().unwrap().tools.keys().cloned().collect()
    }

    #[test]
    fn a_second_load_takes_unchanged_files_from_the_cache_and_rereads_edited_ones() {
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        let (first, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(0, MIN_FILES));
        let (second, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(MIN_FILES, 0));
        assert_eq!(ids(&first), ids(&second));
        let fresh = Catalog::load_over(Vec::new(), Some(dir.path())).unwrap();
        for (id, tool) in &second.as_ref().unwrap().tools {
            assert_eq!(
                format!("{:?}", tool),
                format!("{:?}", fresh.tools[id]),
                "{id}"
            );
        }

        // An edited file is read again, and what it says now counts.
        let edited = dir.path().join("jitsi-copy-7.toml");
        let text = std::fs::read_to_string(&edited).unwrap();
        let renamed = text.replacen("name = \"Jitsi Meet\"", "name = \"Jitsi (edited)\"", 1);
        assert_ne!(text, renamed);
        std::fs::write(&edited, renamed).unwrap();
        let (third, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(MIN_FILES - 1, 1));
        assert_eq!(third.unwrap().tools["jitsi-copy-7"].name, "Jitsi (edited)");

        // A file broken after it was cached is an error with its position, as without a cache.
        std::fs::write(&edited, text.replacen("kind = ", "kind = = ", 1)).unwrap();
        let (broken, _) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        let (plain, _) = load_counted(Vec::new(), dir.path(), None);
        let message = |r: Result<Catalog, Diagnostics>| r.unwrap_err().to_string();
        assert_eq!(message(broken), message(plain));
    }

    #[test]
    fn small_folders_and_other_programs_caches_are_not_used() {
        let small = folder(3);
        let cache = tempfile::tempdir().unwrap();
        let (_, counts) = load_counted(Vec::new(), small.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(0, 3));
        assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);

        let dir = folder(MIN_FILES);
        load_counted(Vec::new(), dir.path(), Some(cache.path()))
            .0
            .unwrap();
        let path = cache_file(cache.path(), dir.path());
        let bytes = std::fs::read(&path).unwrap();
        let file: CacheFile = postcard::from_bytes(&bytes[MAGIC.len()..]).unwrap();
        let entries = file
            .entries
            .into_iter()
            .map(|(key, _, bytes)| Written(key, Entry::Remembered(bytes)))
            .collect();
        write_private(cache.path(), &path, "another build", entries).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(0, MIN_FILES));

        // A damaged entry is read as text again (its checksum fails), the others are used.
        load_counted(Vec::new(), dir.path(), Some(cache.path()))
            .0
            .unwrap();
        let mut damaged = std::fs::read(&path).unwrap();
        let last = damaged.len() - 1;
        damaged[last] ^= 0x20;
        std::fs::write(&path, damaged).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(MIN_FILES - 1, 1));

        // A damaged cache is read around, not trusted.
        let mut damaged = std::fs::read(&path).unwrap();
        let middle = damaged.len() / 2;
        damaged.truncate(middle);
        std::fs::write(&path, damaged).unwrap();
        let (catalog, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts, counts_of(0, MIN_FILES));
        assert_eq!(catalog.unwrap().tools.len(), MIN_FILES);
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_others_may_change_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        load_counted(Vec::new(), dir.path(), Some(cache.path()))
            .0
            .unwrap();
        let path = cache_file(cache.path(), dir.path());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()));
        assert_eq!(counts.remembered, 0);
    }
}
