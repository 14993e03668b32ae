//! Case files on disk: one TOML file per case, replaced atomically after every step, private
//! to the user, locked while open in a terminal. A damaged file is reported, never touched.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
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
    #[error("{path}: damaged case file, left untouched: {message}")]
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
        };
        if !root.exists() {
            private_dir(root)?;
        }
        private_dir(&store.cases_dir())?;
        Ok(store)
    }

    /// A store over a data dir that is only read (`sessions`, `log`, `export`): creates nothing.
    pub fn read_only(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
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

    /// Replaces the case file atomically: a temp file in the same folder, fsync, rename.
    /// A crash leaves either the old file or the new one, never half of one.
    pub fn save(&self, case: &Case) -> Result<PathBuf, StoreError> {
        let path = self.case_path(&case.id)?;
        let dir = self.cases_dir();
        private_dir(&dir)?;
        let text = toml::to_string(case).map_err(|e| StoreError::Damaged {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        // NamedTempFile is created 0600, whatever the umask.
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(".toml")
            .tempfile_in(&dir)
            .map_err(io_err(&dir))?;
        tmp.write_all(text.as_bytes()).map_err(io_err(&path))?;
        tmp.as_file().sync_all().map_err(io_err(&path))?;
        tmp.persist(&path).map_err(|e| StoreError::Io {
            path: path.display().to_string(),
            source: e.error,
        })?;
        // The rename is durable only once the folder itself is synced.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
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
            Ok(()) => Ok(CaseLock {
                id: id.to_owned(),
                _file: file,
            }),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked(id.to_owned())),
            Err(fs::TryLockError::Error(e)) => Err(io_err(&path)(e)),
        }
    }

    /// Every case file: summaries of the readable ones, (file, reason) for the others.
    pub fn list(&self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        let mut cases = Vec::new();
        let mut damaged = Vec::new();
        let Ok(entries) = fs::read_dir(self.cases_dir()) else {
            return (cases, damaged);
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(".tmp-"))
            })
            .collect();
        paths.sort();
        for path in paths {
            match read_case(&path) {
                Ok(case) => cases.push(case.summary()),
                Err(e) => damaged.push((path.display().to_string(), short_reason(&e))),
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

    /// Writes a receipt next to the cases, private like them.
    pub fn write_receipt(&self, id: &str, text: &str) -> Result<PathBuf, StoreError> {
        if !is_valid_case_id(id) {
            return Err(StoreError::BadId(id.to_owned()));
        }
        let dir = self.root.join("receipts");
        private_dir(&dir)?;
        let path = dir.join(format!("{id}.txt"));
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io_err(&dir))?;
        tmp.write_all(text.as_bytes()).map_err(io_err(&path))?;
        tmp.as_file().sync_all().map_err(io_err(&path))?;
        tmp.persist(&path).map_err(|e| io_err(&path)(e.error))?;
        Ok(path)
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
    let value: toml::Table = toml::from_str(&text).map_err(|e| damaged(one_line(e.message())))?;
    match value.get("schema").and_then(toml::Value::as_integer) {
        Some(found) if found > i64::from(CASE_SCHEMA) => {
            return Err(StoreError::Newer { path: shown, found });
        }
        Some(found) if found < i64::from(CASE_SCHEMA) => {
            return Err(damaged(format!(
                "case schema {found} is older than this xiaohu reads ({CASE_SCHEMA})"
            )));
        }
        Some(_) => {}
        None => return Err(damaged("no `schema` number: not a xiaohu case file".into())),
    }
    toml::from_str::<Case>(&text).map_err(|e| damaged(one_line(e.message())))
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
