//! The file store: one TOML file per case, replaced atomically after every step, private
//! to the user, locked while open in a terminal. A damaged file is reported, never touched.
//! `Store` is the data dir's files; `FileCases` is it behind `CaseStore`, keeping what one
//! terminal holds (the open case's lock, which files it wrote). Listings read summaries
//! from a journal beside the cases (`summary_journal`), checked against each file.

use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod summary_journal;

use summary_journal::{ContentStamp, Journal};

use super::case_text::{LogText, parse_case};
use super::{CaseStore, ReceiptPlace, StoreError, short_reason};
use crate::regular_file::{self, Links};
use crate::wizard::case::{CASE_SCHEMA, Case, CaseId, CaseSummary};

/// A case file is at most a few hundred KB (a case of 10,000 log entries is about 600 KB);
/// a bigger one was not written by xiaohu and is refused as damaged rather than read.
pub const MAX_CASE_BYTES: u64 = 4 * 1024 * 1024;

/// Which file a case path held when this process last wrote or read it, and as what:
/// device and inode (every save renames a new file into place, so another inode means
/// another writer), and size and modification time (an editor or `>` that rewrites the
/// file in place keeps its inode). A different stamp means another writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp(u64, u64, u64, i64, i64);

/// A new case written under an id no other case has, with its lock held.
#[derive(Debug)]
pub struct Created {
    pub id: CaseId,
    pub path: PathBuf,
    pub stamp: FileStamp,
    pub lock: CaseLock,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The data dir: `cases/` holds `ID.toml` (and `ID.lock` while the case is open),
/// `receipts/` the saved receipts, `case-summaries.jsonl` each case's summary as last
/// saved or listed (a cache, checked against the files). Every folder is checked before
/// use (a real folder, the user's own, nobody else may write in it) and every file in it
/// is opened without following a link, so another user who could once write there cannot
/// redirect a write.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Writes a file's bytes; a seam so tests can inject a full or failing disk.
    write: WriteFn,
    /// Opened by a command that only reads: not even the summary journal is written.
    read_only: bool,
    /// The log's text from the last save, so a save puts only new entries into TOML.
    log_text: Arc<LogText>,
}

type WriteFn = fn(&mut File, &[u8]) -> io::Result<()>;

fn write_all(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)
}

/// Held while a case is open in this process; the OS releases it if the process dies.
/// Dropping it removes the lock file (while still holding it), so lock files do not pile
/// up; whoever takes a lock checks that the file it locked is still the one at the path.
#[derive(Debug)]
pub struct CaseLock {
    pub id: String,
    path: PathBuf,
    file: File,
}

impl Drop for CaseLock {
    fn drop(&mut self) {
        // Only our own lock file: if the path now names another file, it is someone else's.
        if same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// How many ids `create_new` tries (`ID`, `ID-2` … `ID-N`) before saying the second is full.
const MAX_SUFFIX: u32 = 1000;

impl Store {
    /// The platform's data dir for xiaohu (e.g. `~/.local/share/xiaohu`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "xiaohu").map(|d| d.data_dir().to_path_buf())
    }

    /// Opens the data dir, creating it (private to the user) if needed; refuses one that
    /// is a link, not a folder, another user's, or writable by others.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let store = Store {
            root: root.to_path_buf(),
            write: write_all,
            read_only: false,
            log_text: Arc::default(),
        };
        store.prepare_dirs()?;
        if let Some(receipts) = existing_dir(&store.receipts_dir())? {
            check_dir(&store.receipts_dir(), &receipts)?;
        }
        // Temp files left by a killed process are swept by the first listing, which reads
        // the folder anyway: a desk's 10,000 cases are not read twice, nor before the
        // first frame.
        Ok(store)
    }

    /// A store over a data dir that is only read (`sessions`, `log`, `export`): creates nothing.
    pub fn read_only(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            write: write_all,
            read_only: true,
            log_text: Arc::default(),
        }
    }

    /// Checks the data dir and `cases/` as `open` does, without creating them: `Ok(false)`
    /// when there is no data dir yet (nothing saved), an error when it cannot be used.
    pub fn check_readable(&self) -> Result<bool, StoreError> {
        for dir in [self.root.clone(), self.cases_dir()] {
            match existing_dir(&dir)? {
                Some(meta) => check_dir(&dir, &meta)?,
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    fn cases_dir(&self) -> PathBuf {
        self.root.join("cases")
    }

    fn receipts_dir(&self) -> PathBuf {
        self.root.join("receipts")
    }

    /// The data dir and `cases/`, made if missing (0700), checked if present.
    fn prepare_dirs(&self) -> Result<(), StoreError> {
        private_dir(&self.root, true)?;
        private_dir(&self.cases_dir(), false)
    }

    pub fn case_path(&self, id: &str) -> Result<PathBuf, StoreError> {
        if CaseId::parse(id).is_err() {
            return Err(StoreError::BadId(id.to_owned()));
        }
        Ok(self.cases_dir().join(format!("{id}.toml")))
    }

    /// Whether a case file of this id exists (a link or any other entry counts: the name is
    /// taken, and `load` will say what is wrong with it).
    pub fn exists(&self, id: &str) -> Result<bool, StoreError> {
        let path = self.case_path(id)?;
        match fs::symlink_metadata(&path) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Replaces the case file atomically: a temp file in the same folder, fsync, rename,
    /// fsync the folder. A crash leaves either the old file or the new one, never half.
    pub fn save(&self, case: &Case) -> Result<PathBuf, StoreError> {
        self.write_case(case, Write::Replace).map(|(path, _)| path)
    }

    /// `save`, only if the file is still the one this process last wrote or read
    /// (`expected`); a file that is gone (the data dir deleted) is written again.
    pub fn save_over(
        &self,
        case: &Case,
        expected: FileStamp,
    ) -> Result<(PathBuf, FileStamp), StoreError> {
        let path = self.case_path(&case.id)?;
        match fs::symlink_metadata(&path) {
            Ok(meta) if stamp_of(&meta) != expected => {
                return Err(StoreError::Changed {
                    path: path.display().to_string(),
                });
            }
            _ => {}
        }
        self.write_case(case, Write::Replace)
    }

    /// Writes a new case's first file under exactly its id, refusing to replace one that
    /// has its name.
    pub fn create(&self, case: &Case) -> Result<PathBuf, StoreError> {
        self.write_case(case, Write::New).map(|(path, _)| path)
    }

    /// Writes a new case under an id no other case has: its own id if free, else the next
    /// `-2`, `-3` … Each try takes that id's lock and creates the file exclusively, so two
    /// processes starting the same product in the same second get two ids, and a damaged
    /// file that has the name is stepped over, never replaced. The lock is returned held.
    pub fn create_new(&self, case: &Case) -> Result<Created, StoreError> {
        let mut case = case.clone();
        let base = case.id.clone();
        for n in 1..=MAX_SUFFIX {
            case.id = if n == 1 {
                base.clone()
            } else {
                base.suffixed(n)
                    .ok_or_else(|| StoreError::BadId(format!("{base}-{n}")))?
            };
            let lock = match self.lock(&case.id) {
                Ok(lock) => lock,
                // Open elsewhere, or a planted link in its place: the id is not free.
                Err(StoreError::Locked(_) | StoreError::Damaged { .. }) => continue,
                Err(e) => return Err(e),
            };
            match self.write_case(&case, Write::New) {
                Ok((path, stamp)) => {
                    return Ok(Created {
                        id: case.id,
                        path,
                        stamp,
                        lock,
                    });
                }
                Err(StoreError::Io { source, .. })
                    if source.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Io {
            path: self.cases_dir().display().to_string(),
            source: io::Error::other(format!(
                "{MAX_SUFFIX} cases named {base} already; wait a second and start again"
            )),
        })
    }

    fn write_case(&self, case: &Case, mode: Write) -> Result<(PathBuf, FileStamp), StoreError> {
        let path = self.case_path(&case.id)?;
        let text = self.log_text.case_text(case).map_err(|e| StoreError::Io {
            path: path.display().to_string(),
            source: io::Error::other(e),
        })?;
        // The folder may have been deleted while the wizard ran: make it again, private.
        self.prepare_dirs()?;
        let (stamp, written) = self.write_atomic(&self.cases_dir(), &path, &text.parts(), mode)?;
        // Only a case its own file would pass as sound is summarized for listings.
        if !self.read_only
            && case.check().is_ok()
            && let Some(written) = written.as_ref().and_then(ContentStamp::of)
        {
            summary_journal::append(&self.root, &case.summary(), written);
        }
        Ok((path, stamp))
    }

    /// The case, read to be looked at (`log`, `export`, a copy).
    pub fn load(&self, id: &str) -> Result<Case, StoreError> {
        self.read_checked(id, None).map(|(case, _)| case)
    }

    /// The case, read to be worked on, and which file it was read from, for `save_over`.
    /// The log's text is kept for the save that will soon be asked for.
    pub fn load_stamped(&self, id: &str) -> Result<(Case, FileStamp), StoreError> {
        self.read_checked(id, Some(&self.log_text))
    }

    fn read_checked(
        &self,
        id: &str,
        memo: Option<&LogText>,
    ) -> Result<(Case, FileStamp), StoreError> {
        let path = self.case_path(id)?;
        // `log` and `export` read without `open`: the folders are checked here too.
        if !self.check_readable()? || !self.exists(id)? {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        read_case_as_is(&path, memo).map(|(case, stamp, _)| (case, stamp))
    }

    /// Takes the case's lock, or says it is open elsewhere.
    pub fn lock(&self, id: &str) -> Result<CaseLock, StoreError> {
        if CaseId::parse(id).is_err() {
            return Err(StoreError::BadId(id.to_owned()));
        }
        self.prepare_dirs()?;
        let path = self.cases_dir().join(format!("{id}.lock"));
        // A holder that quits removes its lock file while holding it; a file locked after
        // that is no longer at the path, so it is let go and the path opened again.
        for _ in 0..100 {
            match take_lock(open_lock_file(&path)?, &path)? {
                Take::Held(file) => {
                    // Only the lock holder writes this case, so any temp file of it is left
                    // over from a process that was killed mid-write.
                    self.sweep_temp_files(id);
                    return Ok(CaseLock {
                        id: id.to_owned(),
                        path,
                        file,
                    });
                }
                Take::Stale => continue,
                Take::Busy => return Err(StoreError::Locked(id.to_owned())),
            }
        }
        Err(StoreError::Locked(id.to_owned()))
    }

    /// Temp files of cases nobody holds (`ids`: the cases that have some): a process killed
    /// mid-write left them. A case that is open elsewhere keeps its temp files (its writer
    /// may be between write and rename).
    fn sweep_orphaned_temp_files(&self, ids: BTreeSet<String>) {
        for id in ids {
            // Taking the lock sweeps; dropping it at once lets the owner come back.
            let _ = self.lock(&id);
        }
    }

    fn sweep_temp_files(&self, id: &str) {
        let prefix = temp_prefix(id);
        for dir in [self.cases_dir(), self.receipts_dir()] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    // unlink never follows a link: a planted one is removed, not its target.
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// Every case file: summaries of the readable ones, (file, reason) for the others. A
    /// file the summary journal describes exactly as it is now is not read; every other one
    /// is, as if there were no journal, and then (unless read-only) the journal is rewritten
    /// so the next listing need not.
    pub fn list(&self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        let listing = self.listing();
        (listing.cases, listing.damaged)
    }

    fn listing(&self) -> Listing {
        let mut cases = Vec::new();
        let mut damaged = Vec::new();
        let done = |cases, damaged| Listing {
            cases,
            damaged,
            read_whole: 0,
        };
        let dir = self.cases_dir();
        match self.check_readable() {
            Ok(true) => {}
            Ok(false) => return done(cases, damaged),
            Err(e) => {
                damaged.push((dir.display().to_string(), short_reason(&e)));
                return done(cases, damaged);
            }
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return done(cases, damaged),
            Err(e) => {
                damaged.push((dir.display().to_string(), e.to_string()));
                return done(cases, damaged);
            }
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut temp_ids = BTreeSet::new();
        for path in entries.flatten().map(|e| e.path()) {
            let name = path.file_name().map(|n| n.to_string_lossy());
            match name.as_deref().and_then(|n| n.strip_prefix('.')) {
                // Dot files are temp files of a write in progress (or killed mid-way).
                Some(temp) => {
                    if let Some((id, _)) = temp.split_once(".tmp-")
                        && CaseId::parse(id).is_ok()
                    {
                        temp_ids.insert(id.to_owned());
                    }
                }
                None if path.extension().is_some_and(|e| e == "toml") => paths.push(path),
                None => {}
            }
        }
        if !self.read_only {
            self.sweep_orphaned_temp_files(temp_ids);
        }
        paths.sort();
        let journal = Journal::read(&self.root);
        // Each listed case's stamp as it was read (none: it changed while being read).
        let mut stamps = Vec::with_capacity(paths.len());
        let (mut read_whole, mut new_lines) = (0, 0);
        for path in paths {
            if let Some((summary, stamp)) = journaled(&journal, &path) {
                cases.push(summary.clone());
                stamps.push(Some(stamp));
                continue;
            }
            match read_case_as_is(&path, None) {
                Ok((case, _, stamp)) => {
                    read_whole += 1;
                    new_lines += usize::from(stamp.is_some());
                    cases.push(case.summary());
                    stamps.push(stamp);
                }
                Err(e) => damaged.push((path.display().to_string(), listing_reason(&e))),
            }
        }
        if !self.read_only && journal.wants_rewrite(cases.len(), new_lines) {
            let entries = cases
                .iter()
                .zip(&stamps)
                .filter_map(|(summary, stamp)| Some((summary, (*stamp)?)));
            summary_journal::rewrite(&self.root, entries);
        }
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        Listing {
            cases,
            damaged,
            read_whole,
        }
    }

    /// Removes a case that was started and left with nothing answered — only the one this
    /// process created (`expected`): a file another process has written since is kept.
    /// Its lock file goes when the lock is dropped.
    pub fn discard(&self, id: &str, expected: FileStamp) -> Result<(), StoreError> {
        let path = self.case_path(id)?;
        match fs::symlink_metadata(&path) {
            Ok(meta) if stamp_of(&meta) == expected => {}
            Ok(_) => {
                return Err(StoreError::Changed {
                    path: path.display().to_string(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_err(&path)(e)),
        }
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&path)(e)),
            _ => sync_dir(&self.cases_dir()),
        }
    }

    /// Writes a receipt next to the cases, private like them: `receipts/ID.EXT`.
    pub fn write_receipt(&self, id: &str, ext: &str, text: &str) -> Result<PathBuf, StoreError> {
        if CaseId::parse(id).is_err() {
            return Err(StoreError::BadId(id.to_owned()));
        }
        private_dir(&self.root, true)?;
        let dir = self.receipts_dir();
        private_dir(&dir, false)?;
        let path = dir.join(format!("{id}.{ext}"));
        self.write_atomic(&dir, &path, &[text], Write::Replace)?;
        Ok(path)
    }

    /// Temp file in `dir` (created exclusively, so never through a link, and 0600 whatever
    /// the umask: `owner_only`), fsync, rename onto `path` (which replaces a link rather than following it),
    /// fsync `dir`: the rename is durable only once the folder is synced. On any error the
    /// temp file is removed and `path` is as it was. With the stamp, the file's metadata as
    /// it is in place (the rename changed its ctime), where the OS gave it.
    fn write_atomic(
        &self,
        dir: &Path,
        path: &Path,
        parts: &[&str],
        mode: Write,
    ) -> Result<(FileStamp, Option<fs::Metadata>), StoreError> {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let mut tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(&stem))
            .tempfile_in(dir)
            .map_err(io_err(dir))?;
        owner_only(tmp.as_file()).map_err(io_err(path))?;
        for part in parts {
            (self.write)(tmp.as_file_mut(), part.as_bytes()).map_err(io_err(path))?;
        }
        tmp.as_file().sync_all().map_err(io_err(path))?;
        let stamp = stamp_of(&tmp.as_file().metadata().map_err(io_err(path))?);
        let persisted = match mode {
            Write::Replace => tmp.persist(path),
            Write::New => tmp.persist_noclobber(path),
        };
        let in_place = persisted
            .map_err(|e| io_err(path)(e.error))?
            .metadata()
            .ok();
        sync_dir(dir)?;
        Ok((stamp, in_place))
    }
}

/// A listing, and how many case files it read whole (the others came from the journal).
#[derive(Debug)]
struct Listing {
    cases: Vec<CaseSummary>,
    damaged: Vec<(String, String)>,
    // Only the tests ask: it is how they see that the journal was used.
    #[cfg_attr(not(test), allow(dead_code))]
    read_whole: usize,
}

/// Opens (creating, 0600) a lock file without following a link: a planted link to
/// somewhere else is refused instead of creating its target.
fn open_lock_file(path: &Path) -> Result<File, StoreError> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return StoreError::Damaged {
                path: path.display().to_string(),
                message: "a symbolic link where a lock file should be; it is not followed".into(),
            };
        }
        io_err(path)(e)
    })?;
    let kind = file.metadata().map_err(io_err(path))?.file_type();
    if !kind.is_file() {
        return Err(StoreError::Damaged {
            path: path.display().to_string(),
            message: format!(
                "{} where a lock file should be",
                regular_file::describe(&kind)
            ),
        });
    }
    owner_only(&file).map_err(io_err(path))?;
    Ok(file)
}

/// A file of ours made 0600 if it is not: a file is created 0600 less the umask, and one
/// that takes the owner's write bit (0277) would leave a lock file its owner cannot open
/// again once its holder was killed. Looked at first: the usual umask leaves it 0600.
fn owner_only(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o7777 != 0o600 {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

enum Take {
    Held(File),
    /// Someone else holds it.
    Busy,
    /// Locked, but removed from the folder by its last holder before we locked it.
    Stale,
}

/// Tries the lock on an opened lock file, and checks it is still the file at `path`.
fn take_lock(file: File, path: &Path) -> Result<Take, StoreError> {
    match file.try_lock() {
        Ok(()) if same_file(&file, path) => Ok(Take::Held(file)),
        Ok(()) => Ok(Take::Stale),
        Err(fs::TryLockError::WouldBlock) => Ok(Take::Busy),
        Err(fs::TryLockError::Error(e)) => Err(io_err(path)(e)),
    }
}

/// Whether `path` still names the open `file` (it was not removed or replaced).
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => stamp_of(&a) == stamp_of(&b),
        _ => false,
    }
}

#[cfg(unix)]
fn stamp_of(meta: &fs::Metadata) -> FileStamp {
    use std::os::unix::fs::MetadataExt;
    FileStamp(
        meta.dev(),
        meta.ino(),
        meta.size(),
        meta.mtime(),
        meta.mtime_nsec(),
    )
}

/// Without inode numbers, the modification time and size tell writes apart well enough.
#[cfg(not(unix))]
fn stamp_of(meta: &fs::Metadata) -> FileStamp {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    FileStamp(nanos, meta.len(), 0, 0, 0)
}

/// Temp files are dot files named after their case, so the case's next lock holder can
/// sweep what a killed process left, and listings skip them.
fn temp_prefix(id: &str) -> String {
    format!(".{id}.tmp-")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Write {
    Replace,
    New,
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Windows cannot open a folder as a file to sync it; its rename is already durable.
#[cfg(not(unix))]
fn sync_dir(_: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// Why a file is not listed, and what to do about it.
pub(crate) fn listing_reason(e: &StoreError) -> String {
    match e {
        StoreError::Damaged { message, .. } => format!(
            "{message}. Left untouched: restore it from a backup, or move it out of the \
             cases folder"
        ),
        StoreError::Newer { found, .. } => format!(
            "written by a newer xiaohu (case schema {found}; this one reads {CASE_SCHEMA}). \
             Left untouched: update xiaohu to open it"
        ),
        other => short_reason(other),
    }
}

/// The journal's summary of the case file at `path`, if it describes the file as it is
/// (looked at without following a link).
fn journaled<'j>(journal: &'j Journal, path: &Path) -> Option<(&'j CaseSummary, ContentStamp)> {
    let id = path.file_stem()?.to_str()?;
    let meta = fs::symlink_metadata(path).ok()?;
    journal.summary_of(id, &meta)
}

/// A case file read and checked, with which file it was and the exact stamp of what was
/// read if the file was the same before and after (an edit in place while it was read
/// would otherwise be recorded as this content). `memo`, if given, keeps the log's text
/// for the next save.
fn read_case_as_is(
    path: &Path,
    memo: Option<&LogText>,
) -> Result<(Case, FileStamp, Option<ContentStamp>), StoreError> {
    let shown = path.display().to_string();
    let damaged = |message: String| StoreError::Damaged {
        path: shown.clone(),
        message,
    };
    // Never a link, a FIFO (which would block the listing) or a device, and never more
    // than a case can be: each is damaged, with the reason.
    let file = regular_file::open(path, Links::Refuse).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied => io_err(path)(e),
        _ => damaged(e.to_string()),
    })?;
    let meta = file.metadata().map_err(io_err(path))?;
    let stamp = stamp_of(&meta);
    let before = ContentStamp::of(&meta);
    let bytes = regular_file::read_open(&file, MAX_CASE_BYTES).map_err(|e| match e.kind() {
        io::ErrorKind::InvalidData => damaged(e.to_string()),
        _ => io_err(path)(e),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text".into()))?;
    let case = parse_case(text, &shown, memo)?;
    // A copied or renamed file would otherwise be saved over the case it names.
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    if stem.as_deref() != Some(case.id.as_str()) {
        return Err(damaged(format!(
            "the file's name does not match its case id `{}`",
            case.id
        )));
    }
    let after = fs::symlink_metadata(path)
        .ok()
        .as_ref()
        .and_then(ContentStamp::of);
    let as_is = before.filter(|_| after == before);
    Ok((case, stamp, as_is))
}

/// The data dir or a folder in it, if there is one (not following a link: a link is
/// reported by `check_dir`).
fn existing_dir(dir: &Path) -> Result<Option<fs::Metadata>, StoreError> {
    match fs::symlink_metadata(dir) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(dir)(e)),
    }
}

/// A folder xiaohu keeps cases in must be a real folder (not a link to one), the user's
/// own, and closed to others' writes: anyone who can write in it could plant links there
/// or swap a folder for one. Read access for others is the user's choice and is left.
fn check_dir(dir: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
    let unsafe_folder = |problem: String| StoreError::UnsafeFolder {
        path: dir.display().to_string(),
        problem,
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(dir)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        return Err(unsafe_folder(format!(
            "is a symbolic link (to {target}), not a folder; xiaohu does not follow links \
             in its data dir: pass the real folder with --data-dir, or remove the link"
        )));
    }
    if !kind.is_dir() {
        return Err(unsafe_folder(format!(
            "is {}, not a folder; move it away or pass another --data-dir",
            regular_file::describe(&kind)
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(unsafe_folder(format!(
                "belongs to another user (uid {}); xiaohu keeps cases only in a folder of \
                 your own (uid {me}): pass one with --data-dir",
                meta.uid()
            )));
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o022 != 0 {
            return Err(unsafe_folder(format!(
                "other users may write in it (mode {mode:03o}); make it private with \
                 `chmod 700 {}`, then start again",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Makes `dir` private (0700) if it is missing, or checks it if it is there: a folder
/// xiaohu did not create is never chmod'ed. `parents`: also make missing folders above it
/// (the data dir's, with the usual mode; they are not xiaohu's to keep private).
fn private_dir(dir: &Path, parents: bool) -> Result<(), StoreError> {
    if let Some(meta) = existing_dir(dir)? {
        return check_dir(dir, &meta);
    }
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let mut made = builder.create(dir);
    // The parents only when they are missing: a first start makes its data dir in a
    // folder that is there, and asking first cost it two calls more.
    if parents
        && matches!(&made, Err(e) if e.kind() == io::ErrorKind::NotFound)
        && let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty())
    {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        made = builder.create(dir);
    }
    match made {
        Ok(()) => {}
        // Made by another process a moment ago: check it like any folder found.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let meta = existing_dir(dir)?.ok_or_else(|| io_err(dir)(e))?;
            return check_dir(dir, &meta);
        }
        Err(e) => return Err(io_err(dir)(e)),
    }
    // Ours: 0700 whatever the umask (a umask can only take bits away, but an odd one
    // could take the owner's). Looked at first, without following a link: the usual umask
    // leaves it 0700, and a change of mode is a write to the file system's journal.
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let meta = fs::symlink_metadata(dir).map_err(io_err(dir))?;
        if meta.is_dir() && meta.permissions().mode() & 0o7777 == 0o700 {
            return Ok(());
        }
        // Changed through the folder opened without following a link, not by its path: a
        // link put in its place since it was made would carry the chmod to its target.
        let opened = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY)
            .open(dir);
        match opened {
            Ok(opened) => opened
                .set_permissions(fs::Permissions::from_mode(0o700))
                .map_err(io_err(dir))?,
            // A umask that takes the owner's read bit (0477) leaves a folder its owner
            // cannot open: changed by its path, still without following a link.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                chmod_no_follow(dir, 0o700).map_err(io_err(dir))?;
            }
            Err(e) => return Err(io_err(dir)(e)),
        }
    }
    Ok(())
}

/// `chmod` of `path` itself, refused (not followed) if it is a symbolic link.
#[cfg(unix)]
fn chmod_no_follow(path: &Path, mode: libc::mode_t) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: a valid NUL-terminated path; glibc does this through an O_PATH handle.
    let done =
        unsafe { libc::fchmodat(libc::AT_FDCWD, c.as_ptr(), mode, libc::AT_SYMLINK_NOFOLLOW) };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The data dir behind `CaseStore`, for one terminal: the open case's lock, and which case
/// files it wrote or opened (so it replaces or discards only those, and only while no one
/// else has written them since).
#[derive(Debug)]
pub struct FileCases {
    store: Store,
    lock: Option<CaseLock>,
    owned: HashMap<String, Owned>,
}

/// A case file this terminal wrote or opened: the case's creation time tells it from
/// another case that later took the same id, and the stamp which file it last saw.
#[derive(Debug)]
struct Owned {
    created: chrono::DateTime<chrono::FixedOffset>,
    stamp: FileStamp,
}

impl FileCases {
    pub fn new(store: Store) -> FileCases {
        FileCases {
            store,
            lock: None,
            owned: HashMap::new(),
        }
    }
}

impl CaseStore for FileCases {
    fn list(&mut self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        self.store.list()
    }

    fn read(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.store.load(id)
    }

    fn open(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        let id = id.as_str();
        // An unknown id is refused before a lock is taken: no stray lock file.
        if !self.store.exists(id)? {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        let lock = self.store.lock(id)?;
        let (case, stamp) = self.store.load_stamped(id)?;
        self.lock = Some(lock);
        let created = case.created;
        self.owned
            .insert(case.id.to_string(), Owned { created, stamp });
        Ok(case)
    }

    fn save(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        let ours = self
            .owned
            .get(case.id.as_str())
            .filter(|o| o.created == case.created)
            .map(|o| o.stamp);
        let Some(expected) = ours else {
            // New here: written under an id no other file has, with its lock.
            let created = self.store.create_new(case)?;
            let owned = Owned {
                created: case.created,
                stamp: created.stamp,
            };
            self.owned.insert(created.id.to_string(), owned);
            if hold {
                self.lock = Some(created.lock);
            }
            return Ok(created.id);
        };
        // The open case keeps its lock for as long as it is open. Any other case (an
        // unsaved one retried from the start page or while another is open) holds its lock
        // only while it is written, so the open case is never left unlocked.
        let mut _held = None;
        if self.lock.as_ref().is_none_or(|l| case.id != l.id.as_str()) {
            let lock = self.store.lock(&case.id)?;
            if hold {
                self.lock = Some(lock);
            } else {
                _held = Some(lock);
            }
        }
        let (_, stamp) = self.store.save_over(case, expected)?;
        if let Some(owned) = self.owned.get_mut(case.id.as_str()) {
            owned.stamp = stamp;
        }
        Ok(case.id.clone())
    }

    fn release(&mut self) {
        self.lock = None;
    }

    fn discard(&mut self, id: &CaseId) -> Result<(), StoreError> {
        let id = id.as_str();
        // Only a file this terminal created (and nobody replaced since) is removed.
        match self.owned.remove(id) {
            Some(owned) => self.store.discard(id, owned.stamp),
            None => Ok(()),
        }
    }

    fn write_receipts(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError> {
        let mut names = Vec::new();
        for (ext, text) in receipts {
            let path = self.store.write_receipt(id, ext, text)?;
            names.push(
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        Ok(ReceiptPlace {
            place: self.store.receipts_dir().display().to_string(),
            names,
        })
    }

    fn location(&self, id: &CaseId) -> String {
        self.store
            .case_path(id)
            .map_or_else(|e| e.to_string(), |p| p.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::a_case;
    use super::*;

    #[test]
    fn save_replaces_and_load_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut case = a_case("2026-11-20T09:30:00+08:00");
        store.create(&case).unwrap();
        case.state = crate::wizard::CaseState::WaitingRepayment;
        store.save(&case).unwrap();
        assert_eq!(store.load(&case.id).unwrap(), case);
        // No temp file is left beside it.
        let names: Vec<String> = fs::read_dir(dir.path().join("cases"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [format!("{}.toml", case.id)]);
    }

    #[test]
    fn create_never_replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        store.create(&case).unwrap();
        let before = fs::read(store.case_path(&case.id).unwrap()).unwrap();
        let mut other = case.clone();
        other.product = "huabei".into();
        assert!(store.create(&other).is_err());
        assert_eq!(
            fs::read(store.case_path(&case.id).unwrap()).unwrap(),
            before
        );
    }

    #[test]
    fn a_copied_file_is_damaged_not_a_second_case() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        let path = store.create(&case).unwrap();
        fs::copy(&path, dir.path().join("cases/copy.toml")).unwrap();
        let (cases, damaged) = store.list();
        assert_eq!(cases.len(), 1);
        assert_eq!(damaged.len(), 1);
        assert!(damaged[0].0.ends_with("copy.toml"), "{damaged:?}");
        assert!(
            damaged[0].1.contains("does not match its case id"),
            "{damaged:?}"
        );
        assert!(matches!(
            store.load("copy"),
            Err(StoreError::Damaged { .. })
        ));
    }

    #[test]
    fn temp_files_are_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        fs::write(dir.path().join("cases/.tmp-abc.toml"), "half a fi").unwrap();
        let (cases, damaged) = store.list();
        assert!(cases.is_empty() && damaged.is_empty(), "{damaged:?}");
    }

    #[test]
    fn a_held_lock_refuses_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let first = store.lock("20261120-093000-weilidai").unwrap();
        assert!(matches!(
            store.lock("20261120-093000-weilidai"),
            Err(StoreError::Locked(_))
        ));
        drop(first);
        assert!(store.lock("20261120-093000-weilidai").is_ok());
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Writes half the bytes, then fails as a full disk does.
    fn full_disk(file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(io::Error::from_raw_os_error(28))
    }

    #[test]
    fn a_full_disk_leaves_the_saved_file_as_it_was_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut case = a_case("2026-11-20T09:30:00+08:00");
        let path = store.create(&case).unwrap();
        let before = fs::read(&path).unwrap();

        store.write = full_disk;
        case.state = crate::wizard::CaseState::WaitingRepayment;
        let error = store.save(&case).unwrap_err().to_string();
        assert!(error.contains("No space left"), "{error}");
        assert!(
            error.contains(case.id.as_str()),
            "the message names the file: {error}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            before,
            "the saved file is untouched"
        );
        assert_eq!(
            names_in(&dir.path().join("cases")),
            [format!("{}.toml", case.id)]
        );

        // The disk has room again: the next save lands.
        store.write = write_all;
        store.save(&case).unwrap();
        assert_eq!(store.load(&case.id).unwrap(), case);
    }

    #[test]
    fn the_lock_holder_sweeps_temp_files_a_killed_writer_left() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = dir.path().join("cases");
        let mine = "20261120-093000-weilidai";
        let other = "20261120-093000-huabei";
        fs::write(cases.join(format!(".{mine}.tmp-x1y2")), "half").unwrap();
        fs::write(cases.join(format!(".{other}.tmp-z3")), "half").unwrap();
        let _lock = store.lock(mine).unwrap();
        assert_eq!(
            names_in(&cases),
            [format!(".{other}.tmp-z3"), format!("{mine}.lock")],
            "only the locked case's leftovers go"
        );
    }

    #[test]
    fn a_data_dir_deleted_while_running_is_made_again_private() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let store = Store::open(&root).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        store.create(&case).unwrap();
        fs::remove_dir_all(&root).unwrap();
        store.save(&case).unwrap();
        assert_eq!(store.load(&case.id).unwrap(), case);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for d in [root.clone(), root.join("cases")] {
                let mode = fs::metadata(&d).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o700, "{}", d.display());
            }
        }
    }

    #[test]
    fn listing_the_store_sweeps_temp_files_of_cases_nobody_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = dir.path().join("cases");
        let held = "20261120-093000-weilidai";
        let orphan = "20261120-093000-huabei";
        let _lock = store.lock(held).unwrap();
        fs::write(cases.join(format!(".{held}.tmp-a")), "half").unwrap();
        fs::write(cases.join(format!(".{orphan}.tmp-b")), "half").unwrap();
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(names_in(&cases).len(), 3, "opened, not yet swept");
        Store::read_only(dir.path()).list();
        assert_eq!(
            names_in(&cases).len(),
            3,
            "a read-only listing sweeps nothing"
        );
        again.list();
        let names = names_in(&cases);
        assert!(
            names.contains(&format!(".{held}.tmp-a")),
            "a held case keeps it: {names:?}"
        );
        assert!(
            !names.iter().any(|n| n.contains(".tmp-b")),
            "the orphan goes: {names:?}"
        );
    }

    #[test]
    fn a_new_case_takes_the_next_id_when_its_own_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        // Another terminal holds the id; a damaged file has the next one.
        let held = store.lock(&case.id).unwrap();
        let damaged = dir.path().join(format!("cases/{}-2.toml", case.id));
        fs::write(&damaged, "not a case").unwrap();
        let created = store.create_new(&case).unwrap();
        assert_eq!(created.id, format!("{}-3", case.id));
        assert_eq!(store.load(&created.id).unwrap().id, created.id);
        assert_eq!(fs::read(&damaged).unwrap(), b"not a case", "stepped over");
        // The new id's lock is held by the one who created it.
        assert!(matches!(
            store.lock(&created.id),
            Err(StoreError::Locked(_))
        ));
        drop(held);
        // Free again: the next new case of that second gets the first id.
        assert_eq!(store.create_new(&case).unwrap().id, case.id);
    }

    #[test]
    fn a_lock_file_goes_with_its_lock_and_a_removed_one_is_not_held_twice() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = "20261120-093000-weilidai";
        let lock_path = dir.path().join(format!("cases/{id}.lock"));
        let first = store.lock(id).unwrap();
        assert!(lock_path.exists());
        drop(first);
        assert!(!lock_path.exists(), "no lock file is left behind");

        // Another process opens the lock file just before its holder quits (and removes
        // it); once the holder lets go, its lock on the removed file must not count, or
        // it and the next process (which makes a new lock file) would both hold the case.
        let holder = store.lock(id).unwrap();
        let opened_before = open_lock_file(&lock_path).unwrap();
        assert!(matches!(
            take_lock(open_lock_file(&lock_path).unwrap(), &lock_path).unwrap(),
            Take::Busy
        ));
        drop(holder);
        let next = store.lock(id).unwrap();
        assert!(matches!(
            take_lock(opened_before, &lock_path).unwrap(),
            Take::Stale
        ));
        assert!(matches!(store.lock(id), Err(StoreError::Locked(_))));
        drop(next);
    }

    #[test]
    fn a_discard_removes_only_the_file_this_process_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        let created = store.create_new(&case).unwrap();
        // Another process replaced the file since (a hand edit, a restore).
        let mut other = case.clone();
        other.state = crate::wizard::CaseState::WaitingRepayment;
        store.save(&other).unwrap();
        assert!(matches!(
            store.discard(&case.id, created.stamp),
            Err(StoreError::Changed { .. })
        ));
        assert_eq!(store.load(&case.id).unwrap(), other, "kept");
        assert!(matches!(
            store.save_over(&case, created.stamp),
            Err(StoreError::Changed { .. })
        ));
        assert_eq!(store.load(&case.id).unwrap(), other, "not saved over");
        // The file it wrote itself, it may remove.
        let (_, stamp) = store.load_stamped(&case.id).unwrap();
        store.discard(&case.id, stamp).unwrap();
        assert!(!store.exists(&case.id).unwrap());
    }

    #[test]
    fn a_case_file_with_text_longer_than_xiaohu_writes_is_listed_as_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        store.create_new(&case).unwrap();
        let mut long = case.clone();
        long.customer = Some("王".repeat(300_000));
        let path = store.case_path(&case.id).unwrap();
        fs::write(&path, toml::to_string(&long).unwrap()).unwrap();
        let (listed, damaged) = store.list();
        assert!(listed.is_empty(), "{listed:?}");
        assert_eq!(damaged.len(), 1);
        assert!(
            damaged[0]
                .1
                .contains("the customer reference is 300000 characters long"),
            "{damaged:?}"
        );
        assert!(matches!(
            store.load(&case.id),
            Err(StoreError::Damaged { .. })
        ));
        // Forty, as the wizard takes it, is a case like any other.
        long.customer = Some("王".repeat(40));
        fs::write(&path, toml::to_string(&long).unwrap()).unwrap();
        assert_eq!(store.load(&case.id).unwrap(), long);
    }

    #[test]
    fn a_file_rewritten_in_place_since_it_was_read_is_not_saved_over() {
        use std::io::Seek;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let case = a_case("2026-11-20T09:30:00+08:00");
        store.create_new(&case).unwrap();
        let (_, stamp) = store.load_stamped(&case.id).unwrap();
        // An editor, `>` or `>>` writes the same file, keeping its inode.
        let path = store.case_path(&case.id).unwrap();
        let mut edited = case.clone();
        edited.customer = Some("fixed by a supervisor".into());
        let mut file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(0).unwrap();
        file.rewind().unwrap();
        file.write_all(toml::to_string(&edited).unwrap().as_bytes())
            .unwrap();
        drop(file);
        assert!(matches!(
            store.save_over(&case, stamp),
            Err(StoreError::Changed { .. })
        ));
        assert_eq!(store.load(&case.id).unwrap(), edited, "the edit is kept");
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_data_dir_are_never_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let store = Store::open(&root).unwrap();
        let cases = root.join("cases");
        let case = a_case("2026-11-20T09:30:00+08:00");
        // A dangling link where a lock file goes: its target is never created, not even by
        // the sweep when the store opens.
        let target = dir.path().join("made-by-xiaohu");
        symlink(&target, cases.join(format!("{}.lock", case.id))).unwrap();
        fs::write(cases.join(format!(".{}.tmp-x", case.id)), "half").unwrap();
        Store::open(&root).unwrap();
        assert!(store.lock(&case.id).is_err());
        let created = store.create_new(&case).unwrap();
        assert_eq!(
            created.id,
            format!("{}-2", case.id),
            "the linked id is skipped"
        );
        assert!(!target.exists(), "the link's target was created");

        // A link where a case file goes is damaged, not read (here: to /dev/zero).
        symlink("/dev/zero", cases.join("20261120-093000-huabei.toml")).unwrap();
        let (listed, damaged) = store.list();
        assert_eq!(listed.len(), 1);
        assert!(damaged[0].1.contains("symbolic link"), "{damaged:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_an_oversized_file_is_damaged_and_the_listing_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = dir.path().join("cases");
        let fifo = std::ffi::CString::new(cases.join("x.toml").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let big = cases.join("20261120-093000-huabei.toml");
        let file = File::create(&big).unwrap();
        file.set_len(MAX_CASE_BYTES + 1).unwrap();
        let (listed, damaged) = store.list();
        assert!(listed.is_empty());
        let reasons: Vec<&str> = damaged.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons.iter().any(|r| r.contains("larger than")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("FIFO")), "{reasons:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_data_dir_others_can_write_or_that_is_a_link_is_refused_and_not_chmodded() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let open_dir = dir.path().join("open");
        fs::create_dir(&open_dir).unwrap();
        fs::set_permissions(&open_dir, fs::Permissions::from_mode(0o777)).unwrap();
        let e = Store::open(&open_dir).unwrap_err().to_string();
        assert!(
            e.contains("other users may write") && e.contains("chmod 700"),
            "{e}"
        );
        let mode = fs::metadata(&open_dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o777,
            "a folder xiaohu did not make is never chmod'ed"
        );
        assert!(!open_dir.join("cases").exists(), "nothing written into it");

        // cases/ or receipts/ as a link to another folder: refused, that folder untouched.
        let root = dir.path().join("data");
        Store::open(&root).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir(root.join("cases")).unwrap();
        symlink(&elsewhere, root.join("cases")).unwrap();
        let e = Store::open(&root).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        let store = Store::read_only(&root);
        assert!(
            store
                .create_new(&a_case("2026-11-20T09:30:00+08:00"))
                .is_err()
        );
        assert!(store.check_readable().is_err());
        let mode = fs::metadata(&elsewhere).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755);
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);

        fs::remove_file(root.join("cases")).unwrap();
        let store = Store::open(&root).unwrap();
        symlink(&elsewhere, root.join("receipts")).unwrap();
        assert!(
            store
                .write_receipt("20261120-093000-huabei", "txt", "x")
                .is_err()
        );
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);

        // The data dir itself as a dangling link: a message that says so.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        let e = Store::open(&dangling).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
    }

    /// As root, a folder handed to another user (what a second account could set up).
    #[cfg(unix)]
    #[test]
    fn a_data_dir_of_another_user_is_refused() {
        // SAFETY: no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("SKIPPED: needs root to give a folder to another user");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("theirs");
        fs::create_dir(&theirs).unwrap();
        std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).unwrap();
        let e = Store::open(&theirs).unwrap_err().to_string();
        assert!(e.contains("belongs to another user"), "{e}");
        assert!(!theirs.join("cases").exists());
    }

    // The summary journal (`summary_journal`): what a listing takes from it must be what
    // reading every file would say, whatever the journal holds.

    use crate::wizard::CaseState;

    fn journal_of(dir: &Path) -> PathBuf {
        summary_journal::journal_path(dir)
    }

    fn journal_lines(dir: &Path) -> Vec<String> {
        fs::read_to_string(journal_of(dir))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// A book of `n` cases saved through `store`, each with its own state and customer.
    fn book(store: &Store, n: usize) -> Vec<Case> {
        (0..n)
            .map(|i| {
                let mut case = a_case(&format!("2026-11-20T09:{:02}:00+08:00", i % 60));
                case.id = CaseId::parse(&format!("20261120-0930{i:02}-weilidai-{i}")).unwrap();
                case.customer = Some(format!("王先生{i}"));
                case.hands.agent = Some(["李娜", "张伟"][i % 2].into());
                case.log(case.updated, crate::wizard::Event::Resumed);
                case.state = CaseState::ALL[i % CaseState::ALL.len()];
                store.save(&case).unwrap();
                case
            })
            .collect()
    }

    /// What reading every case file whole says (the listing without a journal).
    fn read_whole(store: &Store) -> Vec<CaseSummary> {
        let mut all: Vec<CaseSummary> = fs::read_dir(store.cases_dir())
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".toml")?;
                Some(store.load(id).unwrap().summary())
            })
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }

    /// Lists, checks the listing is exactly what reading every file says, and returns how
    /// many files the listing read whole.
    fn lists_right(store: &Store) -> usize {
        let listing = store.listing();
        assert!(listing.damaged.is_empty(), "{:?}", listing.damaged);
        assert_eq!(listing.cases, read_whole(store));
        listing.read_whole
    }

    #[test]
    fn a_listing_after_saves_is_read_from_the_journal_and_is_what_the_files_say() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut cases = book(&store, 12);
        // Text a summary carries as typed, however odd: what TOML keeps, JSON keeps.
        cases[0].customer = Some("a\r\nb\t\"'\\\u{0}\u{7f}\u{202e} 王".into());
        cases[0].hands.agent = Some("\u{1b}[31m".into());
        let at = cases[0].updated;
        cases[0].log(at, crate::wizard::Event::Resumed);
        store.save(&cases[0]).unwrap();
        assert_eq!(journal_lines(dir.path()).len(), 13, "one line per save");
        assert_eq!(lists_right(&store), 0, "no file read whole");
        assert_eq!(store.list(), (store.listing().cases, Vec::new()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(journal_of(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_first_listing_of_files_it_has_no_lines_for_reads_them_and_the_next_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Written as an older xiaohu (or a restore) would: no journal.
        for case in book(&Store::read_only(dir.path()), 8) {
            assert!(store.exists(&case.id).unwrap());
        }
        assert!(!journal_of(dir.path()).exists());
        assert_eq!(lists_right(&store), 8);
        assert_eq!(
            journal_lines(dir.path()).len(),
            8,
            "rewritten, one line a case"
        );
        assert_eq!(lists_right(&store), 0);
    }

    /// Same size, other content, the mtime set back: only the ctime (and the content) tell.
    #[test]
    fn a_case_file_changed_by_hand_or_replaced_is_listed_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = book(&store, 4);
        assert_eq!(lists_right(&store), 0);

        let path = store.case_path(&cases[1].id).unwrap();
        let before = fs::metadata(&path).unwrap();
        let edited = fs::read_to_string(&path)
            .unwrap()
            .replace("王先生1", "李先生1");
        // A clock tick, so the edit's ctime is later even where timestamps are coarse.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut file = OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all(edited.as_bytes()).unwrap();
        file.set_modified(before.modified().unwrap()).unwrap();
        drop(file);
        let after = fs::metadata(&path).unwrap();
        assert_eq!(
            (after.len(), after.modified().unwrap()),
            (before.len(), before.modified().unwrap())
        );
        assert_eq!(lists_right(&store), 1, "the edited file is read");
        let listed = store.list().0;
        assert_eq!(listed[1].customer.as_deref(), Some("李先生1"));

        // Replaced by another program (a restore: a new file renamed into place) …
        let restored = fs::read_to_string(&path)
            .unwrap()
            .replace("李先生1", "赵先生1");
        let elsewhere = dir.path().join("restored.toml");
        fs::write(&elsewhere, restored).unwrap();
        fs::rename(&elsewhere, &path).unwrap();
        assert_eq!(lists_right(&store), 1);
        // … or saved by a store that keeps no journal lines.
        let mut other = cases[2].clone();
        other.state = CaseState::Rejected;
        Store::read_only(dir.path()).save(&other).unwrap();
        assert_eq!(lists_right(&store), 1);
        assert_eq!(store.list().0[2].state, CaseState::Rejected);
        assert_eq!(lists_right(&store), 0);
    }

    #[test]
    fn garbage_torn_lost_and_forged_lines_never_change_the_listing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = book(&store, 6);
        assert_eq!(lists_right(&store), 0);
        let journal = journal_of(dir.path());
        let genuine = fs::read(&journal).unwrap();
        let lines = journal_lines(dir.path());
        let line_of = |i: usize| -> serde_json::Value { serde_json::from_str(&lines[i]).unwrap() };

        // Garbage between the lines, hostile bytes, and a torn last line.
        let mut garbage = b"\xff\xfe\0{\"v\":1,\n{}\n[1,2]\n\x1b[2J\n".to_vec();
        garbage.extend_from_slice(&genuine);
        garbage.extend_from_slice(&genuine[..genuine.len() / 3]);
        fs::write(&journal, &garbage).unwrap();
        assert!(
            lists_right(&store) <= 1,
            "only a case the torn line names is read"
        );

        // A line of a case whose file is gone; one for a case under another file's stamp.
        let mut gone = line_of(0);
        gone["case"]["id"] = "20261120-093000-nowhere".into();
        let mut stolen = line_of(0);
        stolen["case"]["id"] = cases[3].id.to_string().into();
        // Lines that are not what the file is: a wrong stamp, another schema, text a file
        // of that size cannot hold, a name that does not match.
        let mut wrong_stamp = line_of(1);
        wrong_stamp["case"]["state"] = "closed".into();
        wrong_stamp["stamp"][2] = 1.into();
        let mut newer = line_of(2);
        newer["schema"] = (CASE_SCHEMA + 1).into();
        newer["case"]["customer"] = "newer".into();
        let mut too_long = line_of(4);
        too_long["case"]["customer"] = "x".repeat(64 * 1024).into();
        let mut renamed = line_of(5);
        renamed["case"]["id"] = "../../etc/passwd".into();
        let mut forged = genuine.clone();
        for line in [gone, stolen, wrong_stamp, newer, too_long, renamed] {
            forged.extend_from_slice(format!("{line}\n").as_bytes());
        }
        fs::write(&journal, &forged).unwrap();
        // Read whole: the stolen, wrongly stamped and too long ones' files; the newer and
        // renamed lines are skipped, so the genuine line before them stands.
        assert_eq!(lists_right(&store), 3);
        assert_eq!(lists_right(&store), 0, "rewritten from the files read");
        assert_eq!(journal_lines(dir.path()).len(), 6);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_a_fifo_or_a_folder_at_the_journal_is_left_alone_and_never_followed() {
        use std::os::unix::fs::{FileTypeExt, symlink};
        for planted in ["link", "fifo", "folder"] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("data");
            let store = Store::open(&root).unwrap();
            let cases = book(&store, 3);
            let journal = journal_of(&root);
            // The link's target is a journal that matches every file: if it were read,
            // nothing would be read whole.
            let target = dir.path().join("elsewhere.jsonl");
            fs::rename(&journal, &target).unwrap();
            let kept = fs::read(&target).unwrap();
            match planted {
                "link" => symlink(&target, &journal).unwrap(),
                "fifo" => {
                    let c = std::ffi::CString::new(journal.to_str().unwrap()).unwrap();
                    // SAFETY: a valid NUL-terminated path.
                    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
                }
                _ => fs::create_dir(&journal).unwrap(),
            }
            store.save(&cases[0]).unwrap();
            assert_eq!(lists_right(&store), 3, "{planted}: every file read");
            assert_eq!(lists_right(&store), 3, "{planted}: and not rewritten");
            let kind = fs::symlink_metadata(&journal).unwrap().file_type();
            assert!(
                kind.is_symlink() || kind.is_fifo() || kind.is_dir(),
                "{planted} replaced"
            );
            assert_eq!(
                fs::read(&target).unwrap(),
                kept,
                "{planted}: target untouched"
            );
        }
    }

    #[test]
    fn many_saves_of_one_case_are_compacted_to_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut case = book(&store, 1).remove(0);
        for n in 0..100 {
            case.customer = Some(format!("客户{n}"));
            store.save(&case).unwrap();
        }
        assert_eq!(journal_lines(dir.path()).len(), 101);
        assert_eq!(lists_right(&store), 0);
        assert_eq!(journal_lines(dir.path()).len(), 1);
        assert_eq!(store.list().0[0].customer.as_deref(), Some("客户99"));
    }

    #[test]
    fn an_oversized_journal_is_ignored_and_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        book(&store, 3);
        let journal = OpenOptions::new()
            .write(true)
            .open(journal_of(dir.path()))
            .unwrap();
        journal.set_len(65 * 1024 * 1024).unwrap();
        drop(journal);
        assert_eq!(lists_right(&store), 3);
        assert_eq!(journal_lines(dir.path()).len(), 3);
        assert_eq!(lists_right(&store), 0);
    }

    /// Every file of the data dir with its bytes and mtime.
    fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        let mut out = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let meta = fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    dirs.push(path.clone());
                }
                let bytes = if meta.is_file() {
                    fs::read(&path).unwrap()
                } else {
                    Vec::new()
                };
                out.push((path, bytes, meta.modified().unwrap()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_read_only_store_lists_right_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut case = book(&store, 5).remove(0);
        for _ in 0..300 {
            store.save(&case).unwrap();
        }
        case.state = CaseState::Closed;
        Store::read_only(dir.path()).save(&case).unwrap();
        let before = snapshot(dir.path());
        let reader = Store::read_only(dir.path());
        // The journal is long and one file has no line: a writing store would rewrite it.
        assert_eq!(lists_right(&reader), 1);
        assert_eq!(snapshot(dir.path()), before);
        fs::remove_file(journal_of(dir.path())).unwrap();
        let before = snapshot(dir.path());
        assert_eq!(lists_right(&reader), 5);
        assert_eq!(snapshot(dir.path()), before, "no journal made");
    }

    #[test]
    fn stores_saving_different_cases_at_once_leave_every_case_listed_right() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let root = root.clone();
                std::thread::spawn(move || {
                    let store = Store::open(&root).unwrap();
                    let mut case = a_case("2026-11-20T09:30:00+08:00");
                    case.id = CaseId::parse(&format!("20261120-093000-weilidai-t{t}")).unwrap();
                    // As a terminal holds its case (another store's opening sweeps the temp
                    // files of cases nobody holds).
                    let _held = store.lock(&case.id).unwrap();
                    for n in 0..50 {
                        case.customer = Some(format!("客户{t}-{n}"));
                        case.state = CaseState::ALL[n % CaseState::ALL.len()];
                        store.save(&case).unwrap();
                    }
                    case
                })
            })
            .collect();
        let saved: Vec<Case> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(journal_lines(dir.path()).len(), 200, "no line lost or torn");
        let store = Store::read_only(dir.path());
        assert_eq!(lists_right(&store), 0, "every line whole");
        let listed = store.list().0;
        for case in &saved {
            let shown = listed.iter().find(|s| s.id == case.id).unwrap();
            assert_eq!(*shown, case.summary());
        }
    }
}
