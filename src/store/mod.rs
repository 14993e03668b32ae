//! Where cases are kept, behind one seam. `CaseStore` is what the app asks of a store — list,
//! open and hold, save, release, discard, keep a receipt, and name where a case is — so
//! nothing outside a store knows how it keeps cases. `FileCases` (the data dir, `file.rs`)
//! is the one the wizard uses; `MemoryStore` keeps cases in memory, with the same promises,
//! for tests. Both are checked against one contract (`tests` below).

mod case_text;
pub mod contract;
mod file;
mod log_lines;
mod memory;
mod postgres;

use std::io;

use thiserror::Error;

use crate::wizard::case::{CASE_SCHEMA, Case, CaseId, CaseSummary};
use crate::wizard::worklist::{self, Ask, Page};
use crate::wizard::{FaultKind, StoreFault};

pub use file::{CaseLock, Created, FileCases, FileStamp, MAX_CASE_BYTES, Store};
pub use memory::MemoryStore;
pub use postgres::{PgCases, is_postgres};

/// The operations one terminal needs of a case store. A store promises: a save is whole or
/// not at all; a case new to it is written under an id no other case has (`ID`, `ID-2` …);
/// a case held by one terminal is refused to another until it is released (or that
/// terminal dies); a terminal replaces or removes only what it wrote or opened itself; a
/// case it cannot read is listed with the reason and never changed.
pub trait CaseStore {
    /// Summaries of the readable cases, and (where, why) for each one that is not.
    fn list(&mut self) -> (Vec<CaseSummary>, Vec<(String, String)>);
    /// As `list`, but only the cases the start page's worklist shows
    /// (`CaseSummary::is_active`), in no particular order: a shared book of 100,000 cases,
    /// most of them long closed, is then read through an index of the few that are open.
    fn list_active(&mut self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        let (mut cases, damaged) = self.list();
        cases.retain(CaseSummary::is_active);
        (cases, damaged)
    }
    /// The start page's worklist as `ask` wants it: the first cases of each queue that
    /// match its search, and how many each holds (`wizard::worklist::page_of` is the rule).
    /// A store that can sort and count where it keeps cases should, rather than send them
    /// all.
    fn worklist(&mut self, ask: &Ask) -> Page {
        let (cases, damaged) = self.list_active();
        worklist::page_of(cases, damaged, ask)
    }
    /// A saved case as it is kept now, without holding it (`log`, `export`, `store copy`):
    /// read while another terminal has it open, too.
    fn read(&mut self, id: &CaseId) -> Result<Case, StoreError>;
    /// Which desk holds the case open, where the store can tell (none: free, or not known).
    fn held_elsewhere(&mut self, _id: &CaseId) -> Option<String> {
        None
    }
    /// Opens a saved case for this terminal, held for it until `release`.
    fn open(&mut self, id: &CaseId) -> Result<Case, StoreError>;
    /// Writes the case; `hold`: it is the case open on screen, so it stays held after. A
    /// case new to the store may be written under another id than its own (the one it
    /// asked for was taken): the id it was written under is returned.
    fn save(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError>;
    /// Lets go of the case held for this terminal.
    fn release(&mut self);
    /// Removes a case this terminal created, unless someone else has written it since.
    fn discard(&mut self, id: &CaseId) -> Result<(), StoreError>;
    /// Keeps receipts for a case, one per (extension, text); says where, for a person.
    fn write_receipts(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError>;
    /// Where a case is kept, in words for a person (a file's path).
    fn location(&self, id: &CaseId) -> String;
}

/// Where receipts were kept: the place, and each one's name in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptPlace {
    pub place: String,
    pub names: Vec<String>,
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "`{}` is not a case id (letters, digits, `-` and `_`, at most 100; see `xiaohu sessions`)",
        shown_id(.0)
    )]
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
    /// Open at another desk that the store can name (the shared case book).
    #[error("case {id} is open at desk {desk}; quit it there first")]
    LockedAt { id: String, desk: String },
    /// The case book's database refused or could not be reached (down, restarted, the
    /// connection lost, a newer schema): `place` names it without a password.
    #[error("the case book at {place}: {message}")]
    Database { place: String, message: String },
    /// A folder of the data dir that xiaohu will not use: a link, not a folder, another
    /// user's, or writable by others. The message says what to fix.
    #[error("{path}: {problem}")]
    UnsafeFolder { path: String, problem: String },
    /// The case file is no longer the one this process last wrote or read: another
    /// terminal replaced it. Saving over it would lose their steps.
    #[error("{path}: changed by another terminal since it was opened here; open it again")]
    Changed { path: String },
}

/// An id as shown in a message: at most 40 characters, control characters escaped, so a
/// pasted 10,000-character argument or an escape sequence is not echoed back whole.
fn shown_id(id: &str) -> String {
    let mut shown: String = id.chars().take(40).flat_map(char::escape_default).collect();
    if id.chars().count() > 40 {
        shown.push('…');
    }
    shown
}

impl StoreError {
    /// The reason without the path, for a notice on a screen that already says which case.
    pub fn short(&self) -> String {
        short_reason(self)
    }

    /// What kind of trouble this is, for the wizard, which cannot see this type: a full
    /// disk, a read-only one, a folder gone, a lock held elsewhere …
    pub fn fault_kind(&self) -> FaultKind {
        match self {
            StoreError::Io { source, .. } => io_fault(source),
            StoreError::NotFound(_) => FaultKind::Gone,
            StoreError::LockedAt { id, desk } => FaultKind::LockedAt {
                id: id.clone(),
                desk: desk.clone(),
            },
            StoreError::Locked(id) => {
                FaultKind::Locked(id.clone())
            }
            StoreError::Damaged { .. } => FaultKind::Damaged,
            StoreError::BadId(_)
            | StoreError::Newer { .. }
            | StoreError::UnsafeFolder { .. }
            | StoreError::Changed { .. }
            // A server down or restarting is kept and retried, as a full disk is.
            | StoreError::Database { .. } => FaultKind::Other,
        }
    }

    /// The kind, with the reason without the path: what a failed save tells the wizard.
    pub fn fault(&self) -> StoreFault {
        StoreFault::new(self.fault_kind(), self.short())
    }
}

/// The OS's reason, by its kind and, where std has no kind for it, its number.
fn io_fault(e: &io::Error) -> FaultKind {
    use io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => return FaultKind::Full,
        K::ReadOnlyFilesystem => return FaultKind::ReadOnly,
        K::PermissionDenied => return FaultKind::Denied,
        K::NotFound | K::NotADirectory => return FaultKind::Gone,
        _ => {}
    }
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG) => return FaultKind::Full,
        Some(libc::EROFS) => return FaultKind::ReadOnly,
        Some(libc::EACCES | libc::EPERM) => return FaultKind::Denied,
        Some(libc::ENOENT | libc::ENOTDIR) => return FaultKind::Gone,
        _ => {}
    }
    FaultKind::Other
}

pub(crate) fn short_reason(e: &StoreError) -> String {
    match e {
        StoreError::Damaged { message, .. } => message.clone(),
        StoreError::Newer { found, .. } => {
            format!("written by a newer xiaohu (schema {found}); update xiaohu")
        }
        StoreError::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::contract::keeps_its_promises;
    use super::*;

    pub(super) use super::contract::a_case;

    #[test]
    fn the_file_store_keeps_the_promises() {
        let dir = tempfile::tempdir().unwrap();
        let store = || Box::new(FileCases::new(Store::open(dir.path()).unwrap()));
        keeps_its_promises(store(), store());
    }

    #[test]
    fn store_errors_reach_the_wizard_by_kind() {
        let io = |raw: i32| StoreError::Io {
            path: "/data/cases/x.toml".into(),
            source: io::Error::from_raw_os_error(raw),
        };
        assert_eq!(io(libc::ENOSPC).fault_kind(), FaultKind::Full);
        assert_eq!(io(libc::EDQUOT).fault_kind(), FaultKind::Full);
        assert_eq!(io(libc::EROFS).fault_kind(), FaultKind::ReadOnly);
        assert_eq!(io(libc::EACCES).fault_kind(), FaultKind::Denied);
        assert_eq!(io(libc::ENOENT).fault_kind(), FaultKind::Gone);
        assert_eq!(io(libc::EIO).fault_kind(), FaultKind::Other);
        let locked = StoreError::Locked("abc".into());
        assert_eq!(locked.fault_kind(), FaultKind::Locked("abc".into()));
        // A save's detail is the reason without the path (the screen says which case).
        let fault = io(libc::ENOSPC).fault();
        assert!(fault.detail.contains("No space left"), "{fault:?}");
        assert!(!fault.detail.contains("/data"), "{fault:?}");
    }

    #[test]
    fn the_memory_store_keeps_the_same_promises() {
        let one = MemoryStore::new();
        let two = one.another_terminal();
        keeps_its_promises(Box::new(one), Box::new(two));
    }
}
