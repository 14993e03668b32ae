//! The app's core, shared by every front end (the full-screen wizard and `--plain`): the
//! model, the content and the disk. It runs an action through `wizard::update` and performs
//! the effects that come back (save, open and lock, list, receipt), answering with actions.

use std::collections::VecDeque;
use std::sync::Mutex;

use std::io::Write;

use super::shell::Clock;
use crate::content::Content;
use crate::report;
use crate::store::{CaseStore, StoreError};
use crate::wizard::worklist::{Ask, Page};
use crate::wizard::{
    self, Action, Case, CaseId, Effect, FaultKind, Model, Notice, StoreFault, Time,
};

pub(super) struct App {
    pub model: Model,
    pub content: Content,
    /// `None` in demo mode: nothing is kept.
    store: Option<Box<dyn CaseStore>>,
    /// The time every action is run at, and idle time is counted in.
    pub clock: Box<dyn Clock>,
    /// The last case this app wrote, as (id, where the store keeps it), for the farewell
    /// (`LAST_SAVED` is the process's, for the panic note).
    saved: Option<(CaseId, String)>,
}

/// The last case written, as (id, where the store keeps it), for the farewell and the
/// panic message: a crash must say where the case is.
pub(super) static LAST_SAVED: Mutex<Option<(CaseId, String)>> = Mutex::new(None);

/// Where the last case written is kept, in words for a person.
pub(super) fn last_saved() -> Option<String> {
    LAST_SAVED.lock().ok()?.as_ref().map(|(_, at)| at.clone())
}

/// The wall clock every command reads: the machine's, frozen by `XIAOHU_TEST_CLOCK` in
/// debug builds (so a test can ask what is overdue "on" a given day).
pub fn now() -> Time {
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
    pub fn new(
        model: Model,
        content: Content,
        store: Option<Box<dyn CaseStore>>,
        clock: Box<dyn Clock>,
    ) -> App {
        App {
            model,
            content,
            store,
            clock,
            saved: None,
        }
    }

    /// The last word on the normal screen: where the case is, or that it could not be saved;
    /// on a kiosk, neither.
    pub fn farewell(&self, signal: Option<&str>, out: &mut dyn Write) {
        let (ui, lang) = (&self.content.ui, self.model.lang);
        if let Some(signal) = signal {
            // "After saving" only if it was: with a case unsaved, the next line says so.
            let words = match self.model.unsaved() {
                Some(_) => &ui.farewell_signal_unsaved,
                None => &ui.farewell_signal,
            };
            let _ = writeln!(out, "{}", words.fill(lang, &[("signal", signal)]));
        }
        // A public screen: the next visitor reads this, so no case id and no file. Staff
        // find the case in the store (`xiaohu sessions` at a staff desk).
        if self.model.kiosk {
            let words = match self.model.unsaved() {
                Some(_) => &ui.farewell_kiosk_unsaved,
                None => &ui.farewell_kiosk,
            };
            let _ = writeln!(out, "{}", words.get(lang));
            return;
        }
        if let Some(case) = self.model.unsaved() {
            let reason = match &self.model.notice {
                Some(Notice::SaveFailed { fault } | Notice::QuitUnsaved { fault }) => {
                    report::fault_text(fault, &self.content, lang)
                }
                _ => "?".to_owned(),
            };
            let args = [("id", case.id.as_str()), ("error", reason.as_str())];
            let _ = writeln!(out, "{}", ui.farewell_unsaved.fill(lang, &args));
        } else if let Some((_, place)) = &self.saved {
            let _ = writeln!(out, "{}", ui.farewell_saved.fill(lang, &[("path", place)]));
        }
    }

    /// Runs an action and every action its effects lead to.
    pub fn dispatch(&mut self, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            let now = self.clock.now();
            for effect in wizard::update(&mut self.model, &self.content, action, now) {
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
                if let Some(store) = &mut self.store {
                    store.release();
                }
                None
            }
            Effect::Discard(id) => {
                let store = self.store.as_mut()?;
                // The farewell must not name a case that is gone.
                if let Ok(mut last) = LAST_SAVED.lock()
                    && last.as_ref().is_some_and(|(saved, _)| *saved == id)
                {
                    *last = None;
                }
                if self.saved.as_ref().is_some_and(|(saved, _)| *saved == id) {
                    self.saved = None;
                }
                store
                    .discard(&id)
                    .err()
                    .map(|e| Action::Notice(Notice::Error(e.to_string())))
            }
            Effect::RefreshSaved => {
                let typed = self.model.search.value().to_owned();
                Some(self.worklist(&typed))
            }
            Effect::Search(typed) => Some(self.worklist(&typed)),
            Effect::ExportReceipt => {
                let case = self.model.case.as_ref()?;
                let now = self.clock.now();
                let receipt = report::Receipt::new(case, &self.content, self.model.lang, now);
                Some(Action::Notice(match &mut self.store {
                    Some(store) => write_receipts(store.as_mut(), &receipt, &self.content)
                        .unwrap_or_else(|e| Notice::Error(e.to_string())),
                    None => Notice::DemoNotSaved,
                }))
            }
        }
    }

    /// The store's page of the worklist for a search (the start page lists only what needs
    /// someone).
    fn worklist(&mut self, typed: &str) -> Action {
        let ask = Ask::new(&self.content, typed, self.clock.now());
        Action::SavedList(match &mut self.store {
            Some(store) => store.worklist(&ask),
            None => Page::default(),
        })
    }

    fn save(&mut self, case: &Case) -> Option<Action> {
        // The case on screen stays held; any other (an unsaved one retried from the start
        // page) is held only while it is written.
        let hold = self
            .model
            .case
            .as_ref()
            .is_some_and(|c| c.id == case.id && c.created == case.created);
        let store = self.store.as_mut()?;
        Some(match store.save(case, hold) {
            Ok(id) => {
                let place = (id.clone(), store.location(&id));
                if let Ok(mut last) = LAST_SAVED.lock() {
                    *last = Some(place.clone());
                }
                self.saved = Some(place);
                if id == case.id {
                    Action::Saved { id }
                } else {
                    // Its id was taken (another terminal in the same second): it has a new one.
                    Action::Renamed {
                        from: case.id.clone(),
                        to: id,
                    }
                }
            }
            Err(e) => Action::SaveFailed {
                case: Box::new(case.clone()),
                fault: e.fault(),
            },
        })
    }

    /// Opens (and holds) a saved case for as long as it is on screen.
    /// Refused: the kind, and the store's whole message (with the path); `xiaohu resume`
    /// words the kind in the person's language before the screen starts.
    pub fn open(&mut self, id: &CaseId) -> std::result::Result<Case, StoreFault> {
        let Some(store) = &mut self.store else {
            return Err(StoreFault::new(
                FaultKind::Other,
                "demo mode: saved cases are not opened",
            ));
        };
        store
            .open(id)
            .map_err(|e| StoreFault::new(e.fault_kind(), e.to_string()))
    }
}

/// The receipt as text to keep and as a page to print, side by side where the store keeps
/// receipts.
fn write_receipts(
    store: &mut dyn CaseStore,
    receipt: &report::Receipt,
    content: &Content,
) -> Result<Notice, StoreError> {
    let formats = [report::Format::Txt, report::Format::Html];
    let texts: Vec<(&str, String)> = formats
        .iter()
        .map(|f| (f.extension(), receipt.render_in(content, *f)))
        .collect();
    let kept = store.write_receipts(&receipt.case_id, &texts)?;
    let mut names = kept.names.into_iter();
    Ok(Notice::ReceiptSaved {
        dir: kept.place,
        txt: names.next().unwrap_or_default(),
        html: names.next().unwrap_or_default(),
    })
}
