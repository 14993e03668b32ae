//! The only place with an event loop: terminal events in, `wizard::update`, effects out
//! (disk through the store), draw. Everything it decides is decided by `update`.

mod keys;

use std::collections::VecDeque;
use std::io::IsTerminal;

use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};

use crate::content::{Content, Lang};
use crate::report;
use crate::store::{CaseLock, Store, StoreError};
use crate::ui::{self, Theme};
use crate::wizard::{self, Action, Case, Effect, Model, Notice, OpenError, Time};

pub enum Start {
    Welcome,
    Product(String),
    Resume(String),
}

pub struct Options {
    pub content: Content,
    pub lang: Lang,
    pub demo: bool,
    /// `None` in demo mode: nothing is written.
    pub store: Option<Store>,
    pub start: Start,
    /// The chosen theme; `NO_COLOR` still turns it monochrome.
    pub theme: Theme,
}

struct App {
    model: Model,
    content: Content,
    store: Option<Store>,
    lock: Option<CaseLock>,
    theme: Theme,
}

fn now() -> Time {
    chrono::Local::now().fixed_offset()
}

pub fn run(options: Options) -> Result<()> {
    let Options {
        content,
        lang,
        demo,
        store,
        start,
        theme,
    } = options;
    let mut app = App {
        model: Model::new(lang, demo),
        content,
        store,
        lock: None,
        theme: Theme::for_env(std::env::var("NO_COLOR").ok().as_deref(), theme),
    };
    // Resuming: lock and load before the screen changes, so a refusal is a plain message.
    let first = match start {
        Start::Welcome => None,
        Start::Product(id) => Some(Action::StartProduct(id)),
        Start::Resume(id) => {
            let case = app.open(&id).map_err(|e| eyre!(open_error_text(&e)))?;
            Some(Action::CaseOpened(Box::new(case)))
        }
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "the wizard needs a terminal (stdin and stdout); `xiaohu sessions`, `log` and \
             `export` work without one"
        ));
    }
    // color-eyre's hook first: ratatui::init wraps it with one that restores the terminal.
    color_eyre::install()?;
    let mut terminal = ratatui::init();
    if let Some(list) = app.perform(Effect::RefreshSaved) {
        app.dispatch(list);
    }
    if let Some(first) = first {
        app.dispatch(first);
    }
    let result = app.run_loop(&mut terminal);
    ratatui::restore();
    result
}

impl App {
    fn run_loop(&mut self, terminal: &mut DefaultTerminal) -> Result<()> {
        while !self.model.quit {
            let size = terminal
                .draw(|frame| ui::render(frame, &self.model, &self.content, &self.theme))?
                .area;
            if self.model.size != (size.width, size.height) {
                self.dispatch(Action::Resize(size.width, size.height));
                continue;
            }
            match event::read()? {
                Event::Key(key) => {
                    if let Some(action) = keys::action(key, self.model.text_focus()) {
                        self.dispatch(action);
                    }
                }
                Event::Resize(w, h) => self.dispatch(Action::Resize(w, h)),
                _ => {}
            }
        }
        Ok(())
    }

    /// Runs an action and every action its effects lead to.
    fn dispatch(&mut self, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            for effect in wizard::update(&mut self.model, &self.content, action, now()) {
                queue.extend(self.perform(effect));
            }
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<Action> {
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
        // Not holding its lock means the case was just started here: lock it, and refuse to
        // replace a file that already has its name.
        let new = self.lock.as_ref().is_none_or(|l| l.id != case.id);
        if new {
            match store.lock(&case.id) {
                Ok(lock) => self.lock = Some(lock),
                Err(e) => return Some(Action::SaveFailed(e.to_string())),
            }
        }
        let written = if new {
            store.create(case)
        } else {
            store.save(case)
        };
        Some(match written {
            Ok(_) => Action::Saved,
            Err(e) => Action::SaveFailed(e.to_string()),
        })
    }

    /// Locks then loads a saved case; the lock is kept while it is open.
    fn open(&mut self, id: &str) -> std::result::Result<Case, OpenError> {
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
        Ok(case)
    }
}

/// Before the TUI starts (`xiaohu resume`), errors are printed in English like all CLI errors.
fn open_error_text(e: &OpenError) -> String {
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
