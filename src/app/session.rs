//! The app's core, shared by every front end (the full-screen wizard and `--plain`): the
//! model, the content and the disk. It runs an action through `wizard::update` and performs
//! the effects that come back (save, open and lock, list, receipt), answering with actions.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::Content;
use crate::report;
use crate::store::{CaseLock, Store, StoreError};
use crate::wizard::{self, Action, Case, Effect, Model, Notice, OpenError, Time};

pub(super) struct App {
    pub model: Model,
    pub content: Content,
    store: Option<Store>,
    lock: Option<CaseLock>,
    /// Case files this process wrote: later saves replace them; a first save never replaces.
    created: HashSet<String>,
}

/// The last case file written, for the panic message: a crash must say where the case is.
pub(super) static LAST_SAVED: Mutex<Option<PathBuf>> = Mutex::new(None);

pub(super) fn now() -> Time {
    chrono::Local::now().fixed_offset()
}

impl App {
    pub fn new(model: Model, content: Content, store: Option<Store>) -> App {
        App {
            model,
            content,
            store,
            lock: None,
            created: HashSet::new(),
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
                // The farewell must not name a file that is gone.
                if let Ok(mut last) = LAST_SAVED.lock()
                    && last
                        .as_ref()
                        .is_some_and(|p| p.file_stem().is_some_and(|s| s == id.as_str()))
                {
                    *last = None;
                }
                store
                    .discard(&id)
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
        // The open case keeps its lock for as long as it is open. Any other case (an
        // unsaved one retried from the start page or while another is open) holds its lock
        // only while it is written, so the open case is never left unlocked.
        let mut _held = None;
        if self.lock.as_ref().is_none_or(|l| l.id != case.id) {
            let lock = match store.lock(&case.id) {
                Ok(lock) => lock,
                Err(e) => return Some(failed(e)),
            };
            let open = self.model.case.as_ref().is_some_and(|c| c.id == case.id);
            if open {
                self.lock = Some(lock);
            } else {
                _held = Some(lock);
            }
        }
        // A case opened from disk, or written here before, is replaced; a case started here
        // refuses to replace a file that already has its name.
        let ours = self.created.contains(&case.id);
        let written = if ours {
            store.save(case)
        } else {
            store.create(case)
        };
        Some(match written {
            Ok(path) => {
                self.created.insert(case.id.clone());
                if let Ok(mut last) = LAST_SAVED.lock() {
                    *last = Some(path);
                }
                Action::Saved {
                    id: case.id.clone(),
                }
            }
            Err(e) => failed(e),
        })
    }

    /// Locks then loads a saved case; the lock is kept while it is open.
    pub fn open(&mut self, id: &str) -> std::result::Result<Case, OpenError> {
        let Some(store) = &self.store else {
            return Err(OpenError::Other(
                "demo mode: saved cases are not opened".into(),
            ));
        };
        // Refuse an unknown id before taking a lock, so no stray lock file is left behind.
        let exists = store.case_path(id).map(|p| p.exists());
        match exists {
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
        let case = store
            .load(id)
            .map_err(|e| OpenError::Other(e.to_string()))?;
        self.lock = Some(lock);
        self.created.insert(case.id.clone());
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
