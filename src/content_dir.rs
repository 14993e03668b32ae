//! Reads a content directory from disk (`ui.toml`, `calendar.toml`, `products/*.toml`) into
//! sources for `Content::load`, and keeps the record of the files that passed
//! (`checked`). The only file IO of content loading lives here.

pub mod checked;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::content::{self, Content, Deferred, Diagnostic, Reader, SourceFile, Sources, Vouched};
use crate::regular_file::{self, ContentStamp, Links};

/// Where the record of checked files is kept (the data dir), and whether this run may
/// write it (a demo writes nothing).
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub dir: &'a Path,
    pub write: bool,
}

/// The content of `dir`, validated. Each product file is checked as it is read, and its
/// steps are read again when the product is first opened, so that a catalogue of
/// thousands is never held whole; with `records`, a product file that passed before and
/// is exactly the file it was is not even read now (`checked`), and the record is brought
/// up to date.
pub fn load(dir: &Path, records: Option<Records>) -> Result<Content, Vec<Diagnostic>> {
    load_at(dir, records, std::time::SystemTime::now())
}

/// `load`, at `now` as far as the record can tell which files changed a moment ago.
fn load_at(
    dir: &Path,
    records: Option<Records>,
    now: std::time::SystemTime,
) -> Result<Content, Vec<Diagnostic>> {
    // One directory by whatever path it was given.
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let old = records.map_or_else(Checked::new, |r| checked::read(r.dir, &canonical));
    let (sources, files, deferred) = read_stamped(dir, &old)?;
    let loaded = Content::load_vouched(sources, &deferred);
    if let Some(records) = records.filter(|r| r.write) {
        let passed = files
            .into_iter()
            .zip(loaded.passed)
            .filter_map(|((name, stamp), passed)| Some((name, stamp?, passed?)))
            .collect();
        checked::write(records.dir, &canonical, &old, passed, now);
    }
    loaded.content
}

/// The record's entries, by file name in `products/`.
type Checked = std::collections::BTreeMap<String, (ContentStamp, Vouched)>;

/// The sources; for each product source its file name in `products/` and the stamp of
/// what was read; and, for each file that passed its checks now or is exactly as its
/// record in `old` describes it (its `SourceFile` has no text), how to read it later.
type Stamped = (
    Sources,
    Vec<(String, Option<ContentStamp>)>,
    Vec<Option<Deferred>>,
);

fn read_stamped(dir: &Path, old: &Checked) -> Result<Stamped, Vec<Diagnostic>> {
    let shown = |p: &Path| p.display().to_string();
    if !dir.is_dir() {
        return Err(vec![Diagnostic::file(
            &shown(dir),
            "not a directory (expected the layout of content/: products/*.toml)",
        )]);
    }
    let mut errors = Vec::new();
    let mut read = |path: &Path| {
        read_source(path)
            .map(|(source, _)| source)
            .map_err(|e| errors.push(e))
            .ok()
    };
    let optional = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
    let ui = optional("ui.toml").and_then(|p| read(&p));
    let calendar = optional("calendar.toml").and_then(|p| read(&p));
    let products_dir = dir.join("products");
    let mut paths = Vec::new();
    let mut folder_error = None;
    match fs::read_dir(&products_dir) {
        Ok(entries) => {
            // Every `*.toml`, whatever it is: one that is not a regular file (a FIFO, a
            // device, a folder) is named as a problem by `read_source`, not skipped.
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    paths.push(path);
                }
            }
        }
        Err(e) => {
            folder_error = Some(Diagnostic::file(
                &shown(&products_dir),
                format!("cannot read the products folder: {e}"),
            ))
        }
    }
    paths.sort();
    if paths.is_empty() && folder_error.is_none() {
        folder_error = Some(Diagnostic::file(
            &shown(&products_dir),
            "no product files (*.toml) in this folder",
        ));
    }
    let mut products = Vec::with_capacity(paths.len());
    let mut files = Vec::with_capacity(paths.len());
    let mut deferred = Vec::with_capacity(paths.len());
    for (path, read) in paths.iter().zip(read_all(&paths, old)) {
        match read {
            Ok(Found {
                source,
                stamp,
                later,
            }) => {
                files.push((file_name(path), stamp));
                products.push(source);
                deferred.push(later);
            }
            Err(e) => errors.push(e),
        }
    }
    errors.extend(folder_error);
    if errors.is_empty() {
        let sources = Sources {
            ui,
            calendar,
            products,
        };
        Ok((sources, files, deferred))
    } else {
        Err(errors)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A product file as found: read, with a problem that the load will name, or (`later`)
/// checked or vouched for, and left for when it is opened.
struct Found {
    source: SourceFile,
    stamp: Option<ContentStamp>,
    later: Option<Deferred>,
}

/// A product file exactly as its record in `old` describes it (same file, size and
/// times; a record a valid file could have given) is not read now; any other is read and
/// checked, and one that passes is left as a recorded one is.
fn read_or_defer(path: &Path, old: &Checked) -> Result<Found, Diagnostic> {
    let recorded = old.get(&file_name(path)).filter(|(stamp, checked)| {
        checked.plausible(stamp.size().min(FILE_LIMIT))
            && fs::metadata(path)
                .ok()
                .filter(fs::Metadata::is_file)
                .as_ref()
                .and_then(ContentStamp::of)
                == Some(*stamp)
    });
    let (checked, stamp) = match recorded {
        Some((stamp, checked)) => (checked.clone(), Some(*stamp)),
        None => {
            let (source, stamp) = read_source(path)?;
            match content::check_product(&source.path, &source.text) {
                Some(checked) => (checked, stamp),
                // Parsed again by the load, which names every problem in its place.
                None => {
                    return Ok(Found {
                        source,
                        stamp,
                        later: None,
                    });
                }
            }
        }
    };
    let at = path.to_path_buf();
    let read = Reader::new(move || {
        let (source, _) = read_source(&at).map_err(|d| d.to_string())?;
        Ok(source.text)
    });
    Ok(Found {
        source: SourceFile {
            path: path.display().to_string(),
            text: String::new(),
        },
        stamp,
        later: Some(Deferred { checked, read }),
    })
}

/// Every product file, read and checked (or stamped) on every core, each thread taking
/// the next file as it is free: a recorded file costs a `stat`, another a parse.
fn read_all(paths: &[PathBuf], old: &Checked) -> Vec<Result<Found, Diagnostic>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // A thread costs tens of microseconds, a file's parse hundreds, its `stat` a few.
    let threads = cores.min(paths.len() / 4).max(1);
    if threads == 1 {
        return paths.iter().map(|p| read_or_defer(p, old)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else {
                return done;
            };
            done.push((i, read_or_defer(path, old)));
        }
    };
    // Each result put in its place rather than sorted there: a `Found` is some hundreds of
    // bytes, and a sort of 10,000 moved them about many times over.
    let mut slots: Vec<Option<Result<Found, Diagnostic>>> = Vec::new();
    slots.resize_with(paths.len(), || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut place = |done: Vec<(usize, Result<Found, Diagnostic>)>| {
            for (i, found) in done {
                slots[i] = Some(found);
            }
        };
        place(work());
        for worker in workers {
            match worker.join() {
                Ok(done) => place(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    // Every index was taken by exactly one thread.
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests;

/// The largest content file read. The built-in ones are at most 30 KB (`ui.toml`; a
/// product is 19–27 KB), so 1 MB is room for any real product, and a device or a planted
/// huge file is refused before it takes the memory.
pub const FILE_LIMIT: u64 = 1024 * 1024;

/// One content file: only a regular file (a FIFO would block `check` forever, `/dev/zero`
/// would never end), of at most `FILE_LIMIT` bytes. A link is followed: the directory is
/// the author's, and a link in it is theirs.
fn read_source(path: &Path) -> Result<(SourceFile, Option<ContentStamp>), Diagnostic> {
    let shown = path.display().to_string();
    let (bytes, stamp) = regular_file::read_stamped(path, FILE_LIMIT, Links::Follow)
        .map_err(|e| Diagnostic::file(&shown, format!("cannot read: {e}")))?;
    SourceFile::from_bytes(&shown, bytes).map(|source| (source, stamp))
}
