//! Case files on disk: one TOML file per case, replaced atomically after every step, private
//! to the user, locked while open in a terminal. A damaged file is reported, never touched.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::wizard::case::{CASE_SCHEMA, Case, CaseSummary, is_valid_case_id};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("`{0}` is not a case id (letters, digits and `-` only)")]
    BadId(String),
    #[error("no saved case `{0}` (see `xiaohu sessions`)")]
    NotFound(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error(
        "{path}: damaged case file: {message}. It is left untouched: restore it from a backup, \
         or move it out of the cases folder"
    )]
    Damaged { path: String, message: String },
    #[error(
        "{path}: written by a newer xiaohu (case schema {found}; this one reads {CASE_SCHEMA}). \
         Update xiaohu; the file is left untouched"
    )]
    Newer { path: String, found: i64 },
    #[error("case {0} is open in another terminal; quit it there first")]
    Locked(String),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The data dir: `cases/` holds `ID.toml` (and `ID.lock`), `receipts/` the saved receipts.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Writes a file's bytes; a seam so tests can inject a full or failing disk.
    write: WriteFn,
}

type WriteFn = fn(&mut File, &[u8]) -> io::Result<()>;

fn write_all(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)
}

/// Held while a case is open in this process; the OS releases it if the process dies.
#[derive(Debug)]
pub struct CaseLock {
    pub id: String,
    _file: File,
}

impl Store {
    /// The platform's data dir for xiaohu (e.g. `~/.local/share/xiaohu`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "xiaohu").map(|d| d.data_dir().to_path_buf())
    }

    /// Opens (creating if needed) the data dir, private to the user.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let store = Store {
            root: root.to_path_buf(),
            write: write_all,
        };
        if !root.exists() {
            private_dir(root)?;
        }
        private_dir(&store.cases_dir())?;
        store.sweep_orphaned_temp_files();
        Ok(store)
    }

    /// A store over a data dir that is only read (`sessions`, `log`, `export`): creates nothing.
    pub fn read_only(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            write: write_all,
        }
    }

    fn cases_dir(&self) -> PathBuf {
        self.root.join("cases")
    }

    pub fn case_path(&self, id: &str) -> Result<PathBuf, StoreError> {
        if !is_valid_case_id(id) {
            return Err(StoreError::BadId(id.to_owned()));
        }
        Ok(self.cases_dir().join(format!("{id}.toml")))
    }

    /// Replaces the case file atomically: a temp file in the same folder, fsync, rename,
    /// fsync the folder. A crash leaves either the old file or the new one, never half.
    pub fn save(&self, case: &Case) -> Result<PathBuf, StoreError> {
        self.write_case(case, Write::Replace)
    }

    /// Writes a new case's first file, refusing to replace one that has its name.
    pub fn create(&self, case: &Case) -> Result<PathBuf, StoreError> {
        self.write_case(case, Write::New)
    }

    fn write_case(&self, case: &Case, mode: Write) -> Result<PathBuf, StoreError> {
        let path = self.case_path(&case.id)?;
        let text = toml::to_string(case).map_err(|e| StoreError::Io {
            path: path.display().to_string(),
            source: io::Error::other(e),
        })?;
        // The folder may have been deleted while the wizard ran: make it again, private.
        if !self.root.exists() {
            private_dir(&self.root)?;
        }
        let dir = self.cases_dir();
        private_dir(&dir)?;
        self.write_atomic(&dir, &path, &text, mode)?;
        Ok(path)
    }

    pub fn load(&self, id: &str) -> Result<Case, StoreError> {
        let path = self.case_path(id)?;
        if !path.exists() {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        read_case(&path)
    }

    /// Takes the case's lock, or says it is open elsewhere.
    pub fn lock(&self, id: &str) -> Result<CaseLock, StoreError> {
        if !is_valid_case_id(id) {
            return Err(StoreError::BadId(id.to_owned()));
        }
        let dir = self.cases_dir();
        private_dir(&dir)?;
        let path = dir.join(format!("{id}.lock"));
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(io_err(&path))?;
        match file.try_lock() {
            Ok(()) => {
                // Only the lock holder writes this case, so any temp file of it is left over
                // from a process that was killed mid-write.
                self.sweep_temp_files(id);
                Ok(CaseLock {
                    id: id.to_owned(),
                    _file: file,
                })
            }
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked(id.to_owned())),
            Err(fs::TryLockError::Error(e)) => Err(io_err(&path)(e)),
        }
    }

    /// Temp files of cases nobody holds: a process killed mid-write left them. A case that
    /// is open elsewhere keeps its temp files (its writer may be between write and rename).
    fn sweep_orphaned_temp_files(&self) {
        let Ok(entries) = fs::read_dir(self.cases_dir()) else {
            return;
        };
        let ids: BTreeSet<String> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let (id, _) = name.strip_prefix('.')?.split_once(".tmp-")?;
                is_valid_case_id(id).then(|| id.to_owned())
            })
            .collect();
        for id in ids {
            // Taking the lock sweeps; dropping it at once lets the owner come back.
            let _ = self.lock(&id);
        }
    }

    fn sweep_temp_files(&self, id: &str) {
        let prefix = temp_prefix(id);
        for dir in [self.cases_dir(), self.root.join("receipts")] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }

    /// Every case file: summaries of the readable ones, (file, reason) for the others.
    pub fn list(&self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        let mut cases = Vec::new();
        let mut damaged = Vec::new();
        let dir = self.cases_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (cases, damaged),
            Err(e) => {
                damaged.push((dir.display().to_string(), e.to_string()));
                return (cases, damaged);
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            // Dot files are temp files of a write in progress (or killed mid-way).
            .filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        for path in paths {
            match read_case(&path) {
                Ok(case) => cases.push(case.summary()),
                Err(e) => damaged.push((path.display().to_string(), listing_reason(&e))),
            }
        }
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        (cases, damaged)
    }

    /// Removes a case that was started and left with nothing answered.
    pub fn discard(&self, id: &str) -> Result<(), StoreError> {
        let path = self.case_path(id)?;
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err(&path)(e)),
            _ => {}
        }
        let _ = fs::remove_file(self.cases_dir().join(format!("{id}.lock")));
        Ok(())
    }

    /// Writes a receipt next to the cases, private like them: `receipts/ID.EXT`.
    pub fn write_receipt(&self, id: &str, ext: &str, text: &str) -> Result<PathBuf, StoreError> {
        if !is_valid_case_id(id) {
            return Err(StoreError::BadId(id.to_owned()));
        }
        let dir = self.root.join("receipts");
        private_dir(&dir)?;
        let path = dir.join(format!("{id}.{ext}"));
        self.write_atomic(&dir, &path, text, Write::Replace)?;
        Ok(path)
    }

    /// Temp file in `dir` (created 0600 whatever the umask), fsync, rename onto `path`,
    /// fsync `dir`: the rename is durable only once the folder is synced. On any error the
    /// temp file is removed and `path` is as it was.
    fn write_atomic(
        &self,
        dir: &Path,
        path: &Path,
        text: &str,
        mode: Write,
    ) -> Result<(), StoreError> {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let mut tmp = tempfile::Builder::new()
            .prefix(&temp_prefix(&stem))
            .tempfile_in(dir)
            .map_err(io_err(dir))?;
        (self.write)(tmp.as_file_mut(), text.as_bytes()).map_err(io_err(path))?;
        tmp.as_file().sync_all().map_err(io_err(path))?;
        let persisted = match mode {
            Write::Replace => tmp.persist(path).map(drop),
            Write::New => tmp.persist_noclobber(path).map(drop),
        };
        persisted.map_err(|e| io_err(path)(e.error))?;
        sync_dir(dir)
    }
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

impl StoreError {
    /// The reason without the path, for a notice on a screen that already says which case.
    pub fn short(&self) -> String {
        short_reason(self)
    }
}

/// Why a file is not listed, and what to do about it.
fn listing_reason(e: &StoreError) -> String {
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

fn short_reason(e: &StoreError) -> String {
    match e {
        StoreError::Damaged { message, .. } => message.clone(),
        StoreError::Newer { found, .. } => {
            format!("written by a newer xiaohu (schema {found}); update xiaohu")
        }
        StoreError::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

fn read_case(path: &Path) -> Result<Case, StoreError> {
    let shown = path.display().to_string();
    let damaged = |message: String| StoreError::Damaged {
        path: shown.clone(),
        message,
    };
    let bytes = fs::read(path).map_err(io_err(path))?;
    let text = String::from_utf8(bytes).map_err(|_| damaged("not UTF-8 text".into()))?;
    if text.trim().is_empty() {
        return Err(damaged("the file is empty".into()));
    }
    let schema = |found: i64| match found {
        found if found > i64::from(CASE_SCHEMA) => Err(StoreError::Newer {
            path: shown.clone(),
            found,
        }),
        found if found < i64::from(CASE_SCHEMA) => Err(damaged(format!(
            "case schema {found} is older than this xiaohu reads ({CASE_SCHEMA})"
        ))),
        _ => Ok(()),
    };
    // One parse when the file is sound (a case's log can run to thousands of entries); the
    // text is read again as a plain table only to explain a failure by its schema.
    let case = match toml::from_str::<Case>(&text) {
        Ok(case) => {
            schema(i64::from(case.schema))?;
            case
        }
        Err(error) => {
            let value: toml::Table =
                toml::from_str(&text).map_err(|e| damaged(one_line(e.message())))?;
            match value.get("schema").and_then(toml::Value::as_integer) {
                Some(found) => schema(found)?,
                None => return Err(damaged("no `schema` number: not a xiaohu case file".into())),
            }
            return Err(damaged(one_line(error.message())));
        }
    };
    // A copied or renamed file would otherwise be saved over the case it names.
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    if stem.as_deref() != Some(case.id.as_str()) {
        return Err(damaged(format!(
            "the file's name does not match its case id `{}`",
            case.id
        )));
    }
    case.check().map_err(damaged)?;
    Ok(case)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Creates `dir` if needed and makes it 0700, whatever the umask. Used on the data dir only
/// when xiaohu creates it (never chmod a folder the user pointed at, like `/tmp`), and
/// always on the folders inside it.
fn private_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_err(dir))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Content, Lang};
    use crate::wizard::{Action, Effect, Model, update};

    fn a_case(id_time: &str) -> Case {
        let content = Content::builtin().unwrap();
        let mut model = Model::new(Lang::En, false);
        let now = chrono::DateTime::parse_from_rfc3339(id_time).unwrap();
        let fx = update(
            &mut model,
            &content,
            Action::StartProduct("weilidai".into()),
            now,
        );
        match fx.into_iter().next() {
            Some(Effect::Save(case)) => *case,
            other => panic!("expected a save, got {other:?}"),
        }
    }

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
            error.contains(&case.id),
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
    fn opening_the_store_sweeps_temp_files_of_cases_nobody_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cases = dir.path().join("cases");
        let held = "20261120-093000-weilidai";
        let orphan = "20261120-093000-huabei";
        let _lock = store.lock(held).unwrap();
        fs::write(cases.join(format!(".{held}.tmp-a")), "half").unwrap();
        fs::write(cases.join(format!(".{orphan}.tmp-b")), "half").unwrap();
        Store::open(dir.path()).unwrap();
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
}
