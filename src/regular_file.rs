//! Reading a file xiaohu did not write (a case file, a theme, a tour script, content) as
//! something that may be hostile: only a regular file is read, never a FIFO (whose open or
//! read blocks forever) or a device (`/dev/zero` never ends), and never more than a stated
//! number of bytes, so a planted 50 MB file cannot take the memory with it. And the one way
//! the data dir's caches (the summary journal, the content record) are rewritten.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Whether the last component of the path may be a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// A path the operator chose (`--theme`, `--content`): a link to a file is theirs to use.
    Follow,
    /// A file inside the data dir: a link there was planted, so it is refused, not read.
    Refuse,
}

/// Opens `path` for reading without blocking on a FIFO and, with `Links::Refuse`, without
/// following a symbolic link; the result is a regular file or an error that says what
/// the path is instead.
pub fn open(path: &Path, links: Links) -> io::Result<File> {
    open_sized(path, links).map(|(file, _)| file)
}

/// `open`, and the file's size as it was opened.
fn open_sized(path: &Path, links: Links) -> io::Result<(File, u64)> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = match links {
            Links::Follow => 0,
            Links::Refuse => libc::O_NOFOLLOW,
        };
        // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. It has
        // no effect on reads of a regular file, the only kind read past the check below.
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = options
        .open(path)
        .map_err(|e| explain_open(path, e, links))?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", describe(&kind)),
        ));
    }
    Ok((file, meta.len()))
}

/// What tells one state of a file (a case, a content file) from every other without reading it: which file
/// (device, inode), its size, and its modification and change times (seconds, then ns).
/// Every save of a case renames a new inode into place; an edit in place changes the ctime even when
/// the mtime is set back. Times are kept as seconds and ns rather than one ns count: a
/// 19-digit number would read as an ID-card number to a scanner of the data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentStamp(u64, u64, u64, i64, i64, i64, i64);

impl ContentStamp {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<ContentStamp> {
        use std::os::unix::fs::MetadataExt;
        Some(ContentStamp(
            meta.dev(),
            meta.ino(),
            meta.size(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        ))
    }

    /// Without inode numbers and change times a file edited in place within a second
    /// could not be told apart: every file is read, as before the journal.
    #[cfg(not(unix))]
    pub fn of(_: &std::fs::Metadata) -> Option<ContentStamp> {
        None
    }

    pub fn size(self) -> u64 {
        self.2
    }

    /// When the file last changed (its ctime), in seconds since the epoch.
    pub fn changed_at(self) -> i64 {
        self.5
    }
}

/// Reads the whole of a regular file of at most `limit` bytes, with the stamp of what was
/// read: taken once it is read, so a write while it was read shows in the stamp.
pub fn read_stamped(
    path: &Path,
    limit: u64,
    links: Links,
) -> io::Result<(Vec<u8>, Option<ContentStamp>)> {
    let (file, size) = open_sized(path, links)?;
    let bytes = read_sized(&file, size, limit)?;
    let stamp = file.metadata().ok().as_ref().and_then(ContentStamp::of);
    Ok((bytes, stamp))
}

/// Reads the whole of a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64, links: Links) -> io::Result<Vec<u8>> {
    let (file, size) = open_sized(path, links)?;
    read_sized(&file, size, limit)
}

/// The rest of `read`, for a file already opened with `open` (whose metadata the caller
/// also wants).
pub fn read_open(file: &File, limit: u64) -> io::Result<Vec<u8>> {
    read_sized(file, file.metadata()?.len(), limit)
}

/// Reads a file of `size` bytes when it was opened. Two reads when it still has that
/// size (the whole, then its end), where `read_to_end` takes 8 KB, then 16 KB and so on:
/// a catalogue of 10,000 files of 20–30 KB was 35,000 reads instead of 20,000.
fn read_sized(mut file: &File, size: u64, limit: u64) -> io::Result<Vec<u8>> {
    if size > limit {
        return Err(too_big(size, limit));
    }
    // Room for one byte more than the size, so the first read that finds the end is the
    // one that returns nothing.
    let mut bytes = vec![0; size as usize + 1];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    if filled as u64 > size {
        // The file grew after it was opened: never take more than allowed.
        file.take(limit + 1 - filled as u64)
            .read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// `read`, as UTF-8 text.
pub fn read_to_string(path: &Path, limit: u64, links: Links) -> io::Result<String> {
    String::from_utf8(read(path, limit, links)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn too_big(size: u64, limit: u64) -> io::Error {
    let (size_shown, limit_shown) = (human(size), human(limit));
    // "1.0 MB is larger than the 1.0 MB" says nothing: a size just over the limit in bytes.
    let (size_shown, limit_shown) = if size_shown == limit_shown {
        (format!("{size} bytes"), format!("{limit} bytes"))
    } else {
        (size_shown, limit_shown)
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{size_shown} is larger than the {limit_shown} this file may be"),
    )
}

/// 1,536 → "1.5 KB"; sizes in messages are for people.
pub fn human(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

fn explain_open(path: &Path, error: io::Error, links: Links) -> io::Error {
    // ELOOP from O_NOFOLLOW: the path is a link. Say so, rather than "too many levels of
    // symbolic links", which reads like a loop somewhere else.
    #[cfg(unix)]
    if links == Links::Refuse && error.raw_os_error() == Some(libc::ELOOP) {
        return io::Error::new(
            io::ErrorKind::InvalidInput,
            "a symbolic link, not a file xiaohu wrote (it is not followed)",
        );
    }
    let _ = (path, links);
    error
}

pub fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a file"
    } else {
        "not a file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_a_device_a_link_and_a_big_file_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read(&fifo, 1024, Links::Follow).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");

        let e = read(Path::new("/dev/zero"), 1024, Links::Follow).unwrap_err();
        assert!(e.to_string().contains("device"), "{e}");

        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = read(&link, 1024, Links::Refuse).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");

        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        let e = read(&big, 1024, Links::Refuse).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        assert_eq!(read(&big, 2048, Links::Refuse).unwrap().len(), 2048);
    }

    /// The size as opened is only where reading starts: a file that grew or shrank after
    /// it was opened is read whole, and the limit still holds.
    #[test]
    fn a_file_that_changed_size_after_it_was_opened_is_read_whole_within_the_limit() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, b"0123456789").unwrap();
        let (file, size) = open_sized(&path, Links::Refuse).unwrap();
        assert_eq!(size, 10);
        assert_eq!(read_sized(&file, size, 100).unwrap(), b"0123456789");

        let mut more = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        more.write_all(&[b'x'; 30]).unwrap();
        let grown = read_sized(&File::open(&path).unwrap(), size, 100).unwrap();
        assert_eq!(grown.len(), 40, "read past the size it had when opened");
        assert!(grown.starts_with(b"0123456789x") && grown.ends_with(b"xxx"));
        let e = read_sized(&File::open(&path).unwrap(), size, 20).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        // Just over a limit that rounds to the same size: said in bytes.
        let e = too_big(1024 * 1024 + 1, 1024 * 1024).to_string();
        assert!(
            e.starts_with("1048577 bytes is larger than the 1048576 bytes"),
            "{e}"
        );
        assert!(
            too_big(3 * 1024 * 1024, 1024 * 1024)
                .to_string()
                .starts_with("3.0 MB")
        );

        std::fs::write(&path, b"01").unwrap();
        assert_eq!(
            read_sized(&File::open(&path).unwrap(), size, 100).unwrap(),
            b"01"
        );
        assert_eq!(read(&path, 100, Links::Refuse).unwrap(), b"01");
    }
}

/// Replaces the cache file `name` in `dir` (the data dir) with what `write` writes: through a
/// temp file `prefix…` (0600) renamed into place, with no fsync, since a cache lost in a
/// crash costs only a slower start. Something other than a regular file at its path (a
/// link, a FIFO, a folder) is left alone, and temp files of rewrites killed more than a
/// minute ago are removed first. Every error gives up quietly, leaving the old file.
pub fn rewrite_cache(
    dir: &Path,
    name: &str,
    prefix: &str,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) {
    let path = dir.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if !meta.file_type().is_file() => return,
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(_) => return,
    }
    sweep_stale(dir, prefix);
    let Ok(tmp) = tempfile::Builder::new().prefix(prefix).tempfile_in(dir) else {
        return;
    };
    let mut out = io::BufWriter::new(tmp);
    if write(&mut out).is_err() {
        return;
    }
    // Dropping the temp file on any error removes it.
    if let Ok(tmp) = out.into_inner() {
        let _ = tmp.persist(&path);
    }
}

/// A rewrite younger than this may be another process's, still in progress.
const STALE_REWRITE: std::time::Duration = std::time::Duration::from_secs(60);

fn sweep_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age > STALE_REWRITE));
        if stale {
            // unlink never follows a link.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
