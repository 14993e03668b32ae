//! The app's core, shared by every front end (the full-screen wizard and `--plain`): the
//! model, the content and the disk. It runs an action through `wizard::update` and performs
//! the effects that come back (save, open and lock, list, receipt), answering with actions.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::Content;
use crate::report;
use crate::store::{CaseLock, FileStamp, Store, StoreError};
use crate::wizard::{self, Action, Case, Effect, Model, Notice, OpenError, Time};

/// A case file this process wrote or opened: the case's creation time tells it from
/// another case that later took the same id, and the stamp which file it last saw.
struct Owned {
    created: Time,
    stamp: FileStamp,
}

pub(super) struct App {
    pub model: Model,
    pub content: Content,
    store: Option<Store>,
    lock: Option<CaseLock>,
    /// Case files this process wrote or opened, by id: later saves replace them (if no one
    /// else has since); a new case is written under an id of its own, never over a file.
    owned: HashMap<String, Owned>,
}

/// The last case file written, for the panic message: a crash must say where the case is.
pub(super) static LAST_SAVED: Mutex<Option<PathBuf>> = Mutex::new(None);

pub(super) fn now() -> Time {
    test_clock().unwrap_or_else(|| chrono::Local::now().fixed_offset())
}

/// A test-only switch (debug builds only, so never in a release): a frozen clock, so tests
/// can start several processes "in the same second" for certain, not by luck.
fn test_clock() -> Option<Time> {
    if !cfg!(debug_assertions) {
        return None;
    }
    static CLOCK: std::sync::OnceLock<Option<Time>> = std::sync::OnceLock::new();
    *CLOCK.get_or_init(|| {
        let text = std::env::var("XIAOHU_TEST_CLOCK").ok()?;
        chrono::DateTime::parse_from_rfc3339(&text).ok()
    })
}

impl App {
    pub fn new(model: Model, content: Content, store: Option<Store>) -> App {
        App {
            model,
            content,
            store,
            lock: None,
            owned: HashMap::new(),
        }
    }

    /// The last word on the normal screen: where the case is, or that it could not be saved.
    pub fn farewell(&self, signal: Option<&str>) {
        let (ui, lang) = (&self.content.ui, self.model.lang);
        if let Some(signal) = signal {
            eprintln!("{}", ui.farewell_signal.fill(lang, &[("signal", signal)]));
        }
        if let Some(case) = &self.model.unsaved {
            let reason = match &self.model.notice {
                Some(Notice::SaveFailed { reason } | Notice::QuitUnsaved { reason }) => {
                    reason.as_str()
                }
                _ => "?",
            };
            let args = [("id", case.id.as_str()), ("error", reason)];
            eprintln!("{}", ui.farewell_unsaved.fill(lang, &args));
        } else if let Some(path) = LAST_SAVED.lock().ok().and_then(|p| p.clone()) {
            let path = path.display().to_string();
            eprintln!("{}", ui.farewell_saved.fill(lang, &[("path", &path)]));
        }
    }

    /// Runs an action and every action its effects lead to.
    pub fn dispatch(&mut self, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for effect in wizard::update(&mut self.model, &self.content, action, now()) {
                queue.extend(self.perform(effect));
            }
        }
    }

    pub fn perform(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Save(case) => self.save(&case),
            Effect::Open(id) => Some(match self.open(&id) {
                Ok(case) => Action::CaseOpened(Box::new(case)),
                Err(error) => Action::OpenFailed(error),
            }),
            Effect::Release => {
                self.lock = None;
                None
            }
            Effect::Discard(id) => {
                let store = self.store.as_ref()?;
                // Only a file this process created (and nobody replaced since) is removed.
                let owned = self.owned.remove(&id)?;
                // The farewell must not name a file that is gone.
                if let Ok(mut last) = LAST_SAVED.lock()
                    && last
                        .as_ref()
                        .is_some_and(|p| p.file_stem().is_some_and(|s| s == id.as_str()))
                {
                    *last = None;
                }
                store
                    .discard(&id, owned.stamp)
                    .err()
                    .map(|e| Action::Notice(Notice::Error(e.to_string())))
            }
            Effect::RefreshSaved => {
                let (saved, damaged) = match &self.store {
                    Some(store) => store.list(),
                    None => (Vec::new(), Vec::new()),
                };
                Some(Action::SavedList { saved, damaged })
            }
            Effect::ExportReceipt => {
                let case = self.model.case.as_ref()?;
                let receipt = report::Receipt::new(case, &self.content, self.model.lang, now());
                Some(Action::Notice(match &self.store {
                    Some(store) => write_receipts(store, &receipt, &self.content)
                        .unwrap_or_else(|e| Notice::Error(e.to_string())),
                    None => Notice::DemoNotSaved,
                }))
            }
        }
    }

    fn save(&mut self, case: &Case) -> Option<Action> {
        let store = self.store.as_ref()?;
        let failed = |e: StoreError| Action::SaveFailed {
            case: Box::new(case.clone()),
            reason: e.short(),
        };
        let open = self
            .model
            .case
            .as_ref()
            .is_some_and(|c| c.id == case.id && c.created == case.created);
        let ours = self
            .owned
            .get(&case.id)
            .filter(|o| o.created == case.created)
            .map(|o| o.stamp);
        let Some(expected) = ours else {
            // A case started here: written under an id no other file has, with its lock.
            return Some(match store.create_new(case) {
                Ok(created) => {
                    let from = case.id.clone();
                    self.remember(&created.id, case.created, created.stamp, created.path);
                    if open {
                        self.lock = Some(created.lock);
                    }
                    if created.id == from {
                        Action::Saved { id: from }
                    } else {
                        Action::Renamed {
                            from,
                            to: created.id,
                        }
                    }
                }
                Err(e) => failed(e),
            });
        };
        // The open case keeps its lock for as long as it is open. Any other case (an
        // unsaved one retried from the start page or while another is open) holds its lock
        // only while it is written, so the open case is never left unlocked.
        let mut _held = None;
        if self.lock.as_ref().is_none_or(|l| l.id != case.id) {
            let lock = match store.lock(&case.id) {
                Ok(lock) => lock,
                Err(e) => return Some(failed(e)),
            };
            if open {
                self.lock = Some(lock);
            } else {
                _held = Some(lock);
            }
        }
        Some(match store.save_over(case, expected) {
            Ok((path, stamp)) => {
                self.remember(&case.id, case.created, stamp, path);
                Action::Saved {
                    id: case.id.clone(),
                }
            }
            Err(e) => failed(e),
        })
    }

    fn remember(&mut self, id: &str, created: Time, stamp: FileStamp, path: PathBuf) {
        self.owned.insert(id.to_owned(), Owned { created, stamp });
        if let Ok(mut last) = LAST_SAVED.lock() {
            *last = Some(path);
        }
    }

    /// Locks then loads a saved case; the lock is kept while it is open.
    pub fn open(&mut self, id: &str) -> std::result::Result<Case, OpenError> {
        let Some(store) = &self.store else {
            return Err(OpenError::Other(
                "demo mode: saved cases are not opened".into(),
            ));
        };
        // Refuse an unknown id before taking a lock, so no stray lock file is left behind.
        match store.exists(id) {
            Ok(true) => {}
            Ok(false) => {
                return Err(OpenError::Other(
                    StoreError::NotFound(id.into()).to_string(),
                ));
            }
            Err(e) => return Err(OpenError::Other(e.to_string())),
        }
        let lock = store.lock(id).map_err(|e| match e {
            StoreError::Locked(id) => OpenError::Locked(id),
            other => OpenError::Other(other.to_string()),
        })?;
        let (case, stamp) = store
            .load_stamped(id)
            .map_err(|e| OpenError::Other(e.to_string()))?;
        self.lock = Some(lock);
        self.owned.insert(
            case.id.clone(),
            Owned {
                created: case.created,
                stamp,
            },
        );
        Ok(case)
    }
}

/// Before the TUI starts (`xiaohu resume`), errors are printed in English like all CLI errors.
pub(super) fn open_error_text(e: &OpenError) -> String {
    match e {
        OpenError::Locked(id) => StoreError::Locked(id.clone()).to_string(),
        OpenError::Other(text) => text.clone(),
    }
}

/// The receipt as text to keep and as a page to print, side by side in the receipts folder.
fn write_receipts(
    store: &Store,
    receipt: &report::Receipt,
    content: &Content,
) -> Result<Notice, StoreError> {
    let write = |format: report::Format| {
        let text = receipt.render(&content.ui, format);
        store.write_receipt(&receipt.case_id, format.extension(), &text)
    };
    let txt = write(report::Format::Txt)?;
    let html = write(report::Format::Html)?;
    let name = |p: &std::path::Path| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    Ok(Notice::ReceiptSaved {
        dir: txt.parent().unwrap_or(&txt).display().to_string(),
        txt: name(&txt),
        html: name(&html),
    })
}
