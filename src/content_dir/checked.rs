//! The record of checked content files: `content-checked.json` in the data dir, saying of
//! each product file of one content directory that passed every check of its own, with
//! the exact file it was (device, inode, size, mtime, ctime), what the product list needs
//! of it (`content::Vouched`). A start with an unchanged catalogue of 10,000 products
//! then reads the files but parses none of them before the first frame.
//!
//! A cache, and never believed on its own word: an entry is used only while the file read
//! on this start is still exactly the file it describes and the xiaohu that wrote it is
//! this very program (its executable's own stamp: another build may check otherwise); the
//! content layer takes a header only if a valid file could have given it, runs the rules
//! across files on every start, and checks a vouched file's steps again when it is opened.
//! A file changed within the last seconds is not recorded, since a second change within
//! the clock's step would not show in its stamp. Missing, torn, oversized or forged, or a
//! link, FIFO or folder at its path: the files are all checked, as without a record.
//! Nothing here may fail a load: every error is ignored.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::content::Vouched;
use crate::regular_file::{self, ContentStamp, Links};

const RECORD_NAME: &str = "content-checked.json";

/// A rewrite's temp file, in the data dir beside the record (a rename within one folder).
const REWRITE_PREFIX: &str = ".content-checked.json.rewrite-";

/// Bumped when the record's shape or meaning changes: another format is not read.
const FORMAT: u32 = 1;

/// A record of 10,000 products is about 10 MB; one far larger was not written by xiaohu.
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// A file whose ctime is this close to the moment the record is written is left out: a
/// change made in the same tick of the file system's clock would give the same stamp.
const SETTLED: i64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    v: u32,
    /// The executable that checked the files.
    program: ContentStamp,
    /// The content directory, as given on the command line.
    content: PathBuf,
    /// By file name in `products/`.
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    stamp: ContentStamp,
    checked: Vouched,
}

/// The stamp of the running program, which every entry depends on.
fn program() -> Option<ContentStamp> {
    let exe = std::env::current_exe().ok()?;
    ContentStamp::of(&fs::metadata(exe).ok()?)
}

/// Makes the data dir if it is not there yet, private (0700) as the file store makes it,
/// so a desk that has not saved a case yet keeps the record too.
fn make(dir: &Path) {
    if fs::symlink_metadata(dir).is_ok() {
        return;
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = fs::create_dir_all(parent);
    }
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let _ = builder.create(dir);
}

/// A data dir a record may be kept in: a real folder (not a link), the user's own, that
/// nobody else may write in, as the file store requires of it.
fn usable(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir() && private(&meta)
}

/// Owned by this user, and writable by nobody else.
fn private(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        meta.uid() == me && meta.mode() & 0o022 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// The entries of the record for `content`, by file name, if it is one this program
/// wrote for that directory.
pub fn read(records: &Path, content: &Path) -> super::Checked {
    let none = BTreeMap::new();
    let Some(program) = program() else {
        return none;
    };
    if !usable(records) {
        return none;
    }
    let Ok(file) = regular_file::open(&records.join(RECORD_NAME), Links::Refuse) else {
        return none;
    };
    // A record another user placed here, or one others may rewrite, vouches for nothing.
    if !file.metadata().is_ok_and(|meta| private(&meta)) {
        return none;
    }
    let Ok(bytes) = regular_file::read_open(&file, MAX_RECORD_BYTES) else {
        return none;
    };
    match serde_json::from_slice::<Record>(&bytes) {
        Ok(r) if r.v == FORMAT && r.program == program && r.content == content => r
            .files
            .into_iter()
            .map(|(name, e)| (name, (e.stamp, e.checked)))
            .collect(),
        _ => none,
    }
}

/// Replaces the record with `files` (each product file that passed, by name, with the
/// stamp it was read at; those changed shortly before `now` left out), unless it says
/// that already; through a temp file renamed into
/// place, no fsync (a record lost in a crash costs one slow start). Something other than
/// a regular file at its path is left alone.
pub fn write(
    records: &Path,
    content: &Path,
    old: &BTreeMap<String, (ContentStamp, Vouched)>,
    files: Vec<(String, ContentStamp, Vouched)>,
    now: SystemTime,
) {
    let Some(program) = program() else {
        return;
    };
    let now = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let files: BTreeMap<String, Entry> = files
        .into_iter()
        .filter(|(_, stamp, _)| stamp.changed_at() < now - SETTLED)
        .map(|(name, stamp, checked)| (name, Entry { stamp, checked }))
        .collect();
    let unchanged = files.len() == old.len()
        && files.iter().all(|(name, e)| {
            old.get(name)
                .is_some_and(|(s, v)| *s == e.stamp && *v == e.checked)
        });
    if unchanged {
        return;
    }
    make(records);
    if !usable(records) {
        return;
    }
    let record = Record {
        v: FORMAT,
        program,
        content: content.to_path_buf(),
        files,
    };
    regular_file::rewrite_cache(records, RECORD_NAME, REWRITE_PREFIX, |out| {
        serde_json::to_writer(out, &record).map_err(io::Error::other)
    });
}

/// The record's path, for tests that plant things there.
pub fn record_path(records: &Path) -> PathBuf {
    records.join(RECORD_NAME)
}
