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
//! Reading 10,000 small files to hash them costs four system calls each, so the cache also
//! keeps each file's stamp (device, inode, size, modification and change times, as git's
//! index does): a file whose stamp is as it was when its entry was written is not opened.
//! The change time is set by the system on every write and cannot be set back by a program,
//! so an edited file always has a new stamp. File times are coarser than the clock, so a file
//! changed less than [`SETTLE`] before a load gets no stamp, and is read (and hashed) again.
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
const MAGIC: &[u8] = b"konf-wahl catalog cache 4\n";

/// How long before a load a file must have last changed for its stamp to be kept.
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// An XXH3 hash (128 bits) of one file's name, stem and bytes.
type Key = [u8; 16];

/// A file's name, its stamp, and the key of its bytes when it had that stamp.
type Stamped<'a> = (&'a str, Stamp, Key);

/// What the file system says about a file: device, inode, size, and modification and change
/// times (seconds and nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of `meta`, if it is old enough to be trusted later: changed before
    /// `settled_before` (seconds since 1970).
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata, settled_before: i64) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let stamp = Stamp {
            device: meta.dev(),
            inode: meta.ino(),
            len: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        };
        (stamp.modified.0 < settled_before && stamp.changed.0 < settled_before).then_some(stamp)
    }

    /// Other systems have no change time that programs cannot set: files are always read.
    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata, _: i64) -> Option<Stamp> {
        None
    }
}

/// The cache file after [`MAGIC`] (postcard). Entries are sorted by key and borrow their
/// bytes from the file; each has an XXH3 checksum of its bytes, so a damaged entry is read
/// as text again instead of giving a wrong tool. Stamps are sorted by file name and name the
/// entry of the file as it was then.
#[derive(Deserialize)]
struct CacheFile<'a> {
    program: &'a str,
    #[serde(borrow)]
    entries: Vec<(Key, u64, &'a [u8])>,
    #[serde(borrow)]
    stamps: Vec<Stamped<'a>>,
}

/// What one load took from the cache and what it read as text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Tools taken from the cache.
    pub remembered: usize,
    /// Files read as TOML.
    pub read: usize,
    /// Files opened (to hash them, or to read them as TOML); the others had their old stamp.
    pub opened: usize,
}

/// One file of a load: the key of its bytes, its stem if it was read as TOML, and its name
/// and stamp if the stamp can be trusted next time.
struct Used {
    key: Key,
    read: Option<String>,
    stamp: Option<(String, Stamp)>,
    opened: bool,
}

/// `base` plus the tools of `dir` (which replace tools of the same id), as
/// [`Catalog::load_over`] gives them, taking unchanged files from the cache.
pub fn load(base: Vec<Tool>, dir: &Path) -> Result<Catalog, Diagnostics> {
    load_counted(base, dir, cache_dir().as_deref(), settled_now()).0
}

/// [`SETTLE`] before now, in seconds since 1970 (a clock before 1970 keeps no stamps).
fn settled_now() -> i64 {
    std::time::SystemTime::now()
        .checked_sub(SETTLE)
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(i64::MIN, |d| d.as_secs() as i64)
}

/// [`load`] with the cache in `cache_dir` (none: no cache), keeping the stamps of files
/// changed before `settled_before` (seconds since 1970).
pub fn load_counted(
    base: Vec<Tool>,
    dir: &Path,
    cache_dir: Option<&Path>,
    settled_before: i64,
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
                opened: read,
            },
        );
    };
    let path = cache_file(cache_dir, dir);
    let map = map_private(&path);
    let file = map
        .as_deref()
        .and_then(|bytes| bytes.strip_prefix(MAGIC))
        .and_then(|rest| postcard::from_bytes::<CacheFile>(rest).ok())
        .filter(|file| file.program == program);
    let (old, old_stamps): (BTreeMap<Key, &[u8]>, Vec<Stamped>) = file
        .map(|file| {
            let entries = (file.entries.into_iter())
                .filter(|(_, sum, bytes)| xxhash_rust::xxh3::xxh3_64(bytes) == *sum)
                .map(|(key, _, bytes)| (key, bytes))
                .collect();
            (entries, file.stamps)
        })
        .unwrap_or_default();
    let stamped: rustc_hash::FxHashMap<&str, (Stamp, Key)> = old_stamps
        .iter()
        .map(|(name, stamp, key)| (*name, (*stamp, *key)))
        .collect();
    let used: Mutex<Vec<Used>> = Mutex::new(Vec::new());
    let remember = |used_file: Used| {
        used.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(used_file);
    };
    let decode = |key: &Key| {
        old.get(key)
            .and_then(|b| crate::stored::decode_tool(b).ok())
    };
    let parse = |path: &Path, stem: &str| -> Result<Tool, Diagnostics> {
        // Taken before the bytes are read: a change while they are read gives the file a
        // newer stamp than the one kept with them.
        let stamp = std::fs::metadata(path)
            .ok()
            .and_then(|meta| Stamp::of(&meta, settled_before));
        let name = path.display().to_string();
        if let Some(stamp) = stamp
            && let Some((old_stamp, key)) = stamped.get(name.as_str())
            && *old_stamp == stamp
            && let Some(tool) = decode(key)
        {
            remember(Used {
                key: *key,
                read: None,
                stamp: Some((name, stamp)),
                opened: false,
            });
            return Ok(tool);
        }
        let (name, bytes) = SourceText::read_bytes(path).map_err(|d| Diagnostics(vec![d]))?;
        let key = key_of(&name, stem, &bytes);
        let stamp = stamp.map(|s| (name.clone(), s));
        if let Some(tool) = decode(&key) {
            remember(Used {
                key,
                read: None,
                stamp,
                opened: true,
            });
            return Ok(tool);
        }
        let source = SourceText::from_bytes(name, bytes).map_err(|d| Diagnostics(vec![d]))?;
        let tool = parse_tool(&source, stem)?;
        remember(Used {
            key,
            read: Some(stem.to_string()),
            stamp,
            opened: true,
        });
        Ok(tool)
    };
    let catalog = Catalog::load_files(base, files, &parse);
    let mut used = used.into_inner().unwrap_or_else(|e| e.into_inner());
    let read = used.iter().filter(|u| u.read.is_some()).count();
    let counts = Counts {
        remembered: used.len() - read,
        read,
        opened: used.iter().filter(|u| u.opened).count(),
    };
    used.sort_unstable_by_key(|u| u.key);
    let mut stamps: Vec<Stamped> = used
        .iter()
        .filter_map(|u| u.stamp.as_ref().map(|(name, s)| (name.as_str(), *s, u.key)))
        .collect();
    stamps.sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Rewritten when a tool is new, an entry is no longer needed or a stamp changed, so the
    // cache holds the folder as it is now and does not grow with every edit; not when the
    // folder has an error (the run after the fix writes it).
    if let Ok(catalog) = &catalog
        && (read > 0 || counts.remembered != old.len() || stamps != old_stamps)
    {
        let entries: Option<Vec<Written>> = used
            .iter()
            .map(|u| {
                Some(match &u.read {
                    // A file's tool has the file's stem as its id.
                    Some(stem) => Written(u.key, Entry::Read(catalog.tools.get(stem)?)),
                    None => Written(u.key, Entry::Remembered(old.get(&u.key)?)),
                })
            })
            .collect();
        // A cache that cannot be written only costs the next run its time.
        if let Some(entries) = entries {
            let _ = write_private(cache_dir, &path, &program, entries, stamps);
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
    stamps: Vec<Stamped<'a>>,
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
    stamps: Vec<Stamped>,
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
    let file = CacheFileOut {
        program,
        entries,
        stamps,
    };
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

    /// No file has settled: every file is opened and hashed, as without stamps.
    const NOTHING_SETTLED: i64 = i64::MIN;
    /// Every file has settled (in tests, files are changed just before they are loaded).
    const ALL_SETTLED: i64 = i64::MAX;

    /// Counts of a load that opened every file.
    fn counts_of(remembered: usize, read: usize) -> Counts {
        Counts {
            remembered,
            read,
            opened: remembered + read,
        }
    }

    fn ids(catalog: &Result<Catalog, Diagnostics>) -> Vec<String> {
        catalog.as_ref().unwrap().tools.keys().cloned().collect()
    }

    #[test]
    fn a_second_load_takes_unchanged_files_from_the_cache_and_rereads_edited_ones() {
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        let (first, counts) =
            load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts, counts_of(0, MIN_FILES));
        let (second, counts) =
            load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
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
        let (third, counts) =
            load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts, counts_of(MIN_FILES - 1, 1));
        assert_eq!(third.unwrap().tools["jitsi-copy-7"].name, "Jitsi (edited)");

        // A file broken after it was cached is an error with its position, as without a cache.
        std::fs::write(&edited, text.replacen("kind = ", "kind = = ", 1)).unwrap();
        let (broken, _) = load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        let (plain, _) = load_counted(Vec::new(), dir.path(), None, NOTHING_SETTLED);
        let message = |r: Result<Catalog, Diagnostics>| r.unwrap_err().to_string();
        assert_eq!(message(broken), message(plain));
    }

    #[test]
    fn small_folders_and_other_programs_caches_are_not_used() {
        let small = folder(3);
        let cache = tempfile::tempdir().unwrap();
        let (_, counts) = load_counted(
            Vec::new(),
            small.path(),
            Some(cache.path()),
            NOTHING_SETTLED,
        );
        assert_eq!(counts, counts_of(0, 3));
        assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);

        let dir = folder(MIN_FILES);
        load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED)
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
        write_private(cache.path(), &path, "another build", entries, file.stamps).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts, counts_of(0, MIN_FILES));

        // A damaged entry is read as text again (its checksum fails), the others are used.
        load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED)
            .0
            .unwrap();
        let mut damaged = std::fs::read(&path).unwrap();
        let file: CacheFile = postcard::from_bytes(&damaged[MAGIC.len()..]).unwrap();
        let entry = file.entries.last().unwrap().2;
        let last = entry.as_ptr() as usize - damaged.as_ptr() as usize + entry.len() - 1;
        damaged[last] ^= 0x20;
        std::fs::write(&path, damaged).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts, counts_of(MIN_FILES - 1, 1));

        // A damaged cache is read around, not trusted.
        let mut damaged = std::fs::read(&path).unwrap();
        let middle = damaged.len() / 2;
        damaged.truncate(middle);
        std::fs::write(&path, damaged).unwrap();
        let (catalog, counts) =
            load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts, counts_of(0, MIN_FILES));
        assert_eq!(catalog.unwrap().tools.len(), MIN_FILES);
    }

    /// Writes `text` to `path` (keeping the modification time `modified`) until the file's
    /// stamp differs from before: file times are coarser than the clock.
    fn rewrite_until_restamped(path: &Path, text: &str, modified: Option<std::time::SystemTime>) {
        let stamp = || Stamp::of(&std::fs::metadata(path).unwrap(), ALL_SETTLED);
        let before = stamp();
        for _ in 0..400 {
            std::fs::write(path, text).unwrap();
            if let Some(time) = modified {
                let file = std::fs::File::options().write(true).open(path).unwrap();
                file.set_modified(time).unwrap();
            }
            if stamp() != before {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("{} keeps its stamp", path.display());
    }

    #[cfg(unix)]
    #[test]
    fn files_with_their_old_stamp_are_not_opened_and_changed_ones_are() {
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        let load = |settled| load_counted(Vec::new(), dir.path(), Some(cache.path()), settled);
        load(ALL_SETTLED).0.unwrap();
        let (second, counts) = load(ALL_SETTLED);
        assert_eq!(
            counts,
            Counts {
                remembered: MIN_FILES,
                read: 0,
                opened: 0
            }
        );
        let fresh = Catalog::load_over(Vec::new(), Some(dir.path())).unwrap();
        assert_eq!(
            format!("{:?}", second.unwrap().tools),
            format!("{:?}", fresh.tools)
        );

        // An edit that keeps the size and the modification time still changes the stamp
        // (its change time), so the file is read again.
        let edited = dir.path().join("jitsi-copy-3.toml");
        let modified = std::fs::metadata(&edited).unwrap().modified().unwrap();
        let text = std::fs::read_to_string(&edited).unwrap();
        let same_size = text.replacen("name = \"Jitsi Meet\"", "name = \"Jitsi Mxxt\"", 1);
        assert_eq!((text.len(), text != same_size), (same_size.len(), true));
        rewrite_until_restamped(&edited, &same_size, Some(modified));
        let (third, counts) = load(ALL_SETTLED);
        assert_eq!((counts.opened, counts.read), (1, 1));
        assert_eq!(third.unwrap().tools["jitsi-copy-3"].name, "Jitsi Mxxt");

        // A file written again with the same bytes is opened once, found by its bytes, and
        // keeps its new stamp.
        rewrite_until_restamped(&edited, &same_size, None);
        let (_, counts) = load(ALL_SETTLED);
        assert_eq!((counts.opened, counts.read), (1, 0));
        let (_, counts) = load(ALL_SETTLED);
        assert_eq!((counts.opened, counts.read), (0, 0));
    }

    #[test]
    fn files_changed_just_before_a_load_keep_no_stamp() {
        let seconds = || {
            let now = std::time::SystemTime::now();
            now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
        };
        let before = seconds();
        let settled = settled_now();
        assert!(
            (before - 2..=before - 1).contains(&settled),
            "{settled} {before}"
        );

        // Files written after the time that counts as settled keep no stamp: they are
        // hashed on every load, and found by their bytes.
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        let load = || load_counted(Vec::new(), dir.path(), Some(cache.path()), before);
        load().0.unwrap();
        assert_eq!(load().1, counts_of(MIN_FILES, 0));
        let bytes = std::fs::read(cache_file(cache.path(), dir.path())).unwrap();
        let file: CacheFile = postcard::from_bytes(&bytes[MAGIC.len()..]).unwrap();
        assert!(file.stamps.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_others_may_change_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder(MIN_FILES);
        let cache = tempfile::tempdir().unwrap();
        load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED)
            .0
            .unwrap();
        let path = cache_file(cache.path(), dir.path());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let (_, counts) = load_counted(Vec::new(), dir.path(), Some(cache.path()), NOTHING_SETTLED);
        assert_eq!(counts.remembered, 0);
    }
}
