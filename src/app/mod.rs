//! The only place with an event loop: terminal events in, `wizard::update`, effects out
//! (disk through the store), draw. Everything it decides is decided by `update`.

mod keys;
mod signals;
mod tty;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};

use crate::content::{Content, Lang};
use crate::report;
use crate::store::{CaseLock, Store, StoreError};
use crate::ui::{self, Theme};
use crate::wizard::{self, Action, Case, Effect, Model, Notice, OpenError, Time};

use signals::Signals;

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
    /// Kiosk: back to the start page after this long without a key.
    pub idle_reset: Option<Duration>,
    /// Demo profile amounts: debt field id → amount (empty: every amount starts at 0).
    pub demo_amounts: BTreeMap<String, String>,
}

struct App {
    model: Model,
    content: Content,
    store: Option<Store>,
    lock: Option<CaseLock>,
    /// Case files this process wrote: later saves replace them; a first save never replaces.
    created: HashSet<String>,
    theme: Theme,
}

/// How long the loop waits for a key before telling the wizard that time passed (retries,
/// signals): short enough that SIGTERM is answered at once to a person's eye.
const TICK: Duration = Duration::from_millis(200);

/// The last case file written, for the panic message: a crash must say where the case is.
static LAST_SAVED: Mutex<Option<PathBuf>> = Mutex::new(None);

fn now() -> Time {
    chrono::Local::now().fixed_offset()
}

/// Runs the wizard until the person quits (`Ok(None)`) or a signal stops it
/// (`Ok(Some(signal number))`, so the shell sees 128 + n as usual).
pub fn run(options: Options) -> Result<Option<i32>> {
    let Options {
        content,
        lang,
        demo,
        store,
        start,
        theme,
        idle_reset,
        demo_amounts,
    } = options;
    let mut model = Model::new(lang, demo);
    model.demo_amounts = demo_amounts;
    let mut app = App {
        model,
        content,
        store,
        lock: None,
        created: HashSet::new(),
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
    let signals = Signals::install();
    // color-eyre's hook first: ratatui::init wraps it with one that restores the terminal,
    // and ours runs last, once the screen is back, to say where the case is.
    color_eyre::install()?;
    let mut terminal = ratatui::init();
    install_crash_note();
    if let Some(list) = app.perform(Effect::RefreshSaved) {
        app.dispatch(list);
    }
    if let Some(first) = first {
        app.dispatch(first);
    }
    let result = app.run_loop(&mut terminal, &signals, idle_reset);
    // Whatever ended the loop (a signal, a terminal that went away), the case is saved
    // before the process leaves.
    if !app.model.quit {
        app.dispatch(Action::Terminate);
    }
    ratatui::restore();
    let signal = signals.received();
    if let Some((_, name)) = signal {
        eprintln!("xiaohu: stopped by {name}.");
    }
    app.farewell();
    result.map(|()| signal.map(|(number, _)| number))
}

/// After the terminal is restored by ratatui's hook (and color-eyre has printed the
/// report), say where the saved case is so nothing feels lost.
fn install_crash_note() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        let saved = LAST_SAVED.lock().ok().and_then(|p| p.clone());
        if let Some(path) = saved {
            eprintln!(
                "xiaohu stopped on an internal error. Your case is saved in {}; \
                 `xiaohu resume` opens it again.",
                path.display()
            );
        }
    }));
}

/// A test-only switch (debug builds only, so never in a release): panic after this many
/// keys, to prove the panic path restores the terminal and names the case file.
fn panic_switch() -> Option<usize> {
    if cfg!(debug_assertions) {
        std::env::var("XIAOHU_TEST_PANIC_AFTER_KEYS")
            .ok()?
            .parse()
            .ok()
    } else {
        None
    }
}

impl App {
    fn run_loop(
        &mut self,
        terminal: &mut DefaultTerminal,
        signals: &Signals,
        idle_reset: Option<Duration>,
    ) -> Result<()> {
        let panic_after = panic_switch();
        let mut keys_seen = 0;
        let mut last_key = Instant::now();
        while !self.model.quit {
            if signals.received().is_some() {
                self.dispatch(Action::Terminate);
                break;
            }
            let size = terminal
                .draw(|frame| ui::render(frame, &self.model, &self.content, &self.theme))?
                .area;
            if self.model.size != (size.width, size.height) {
                self.dispatch(Action::Resize(size.width, size.height));
                continue;
            }
            // Events crossterm already holds, or a resize, come first; never ask it to read
            // a terminal that has hung up (see tty.rs).
            let ready = match tty::wait(Duration::ZERO) {
                tty::Ready::HungUp => tty::Ready::HungUp,
                _ if event::poll(Duration::ZERO)? => tty::Ready::Input,
                _ => tty::wait(TICK),
            };
            let ready = match ready {
                tty::Ready::Input => event::poll(Duration::ZERO)?,
                tty::Ready::Idle => false,
                tty::Ready::HungUp => {
                    self.dispatch(Action::Terminate);
                    break;
                }
            };
            if !ready {
                self.dispatch(Action::Timer);
                if idle_reset.is_some_and(|after| last_key.elapsed() >= after) {
                    self.dispatch(Action::IdleReset);
                    last_key = Instant::now();
                }
                continue;
            }
            match event::read()? {
                Event::Key(key) => {
                    keys_seen += 1;
                    last_key = Instant::now();
                    if panic_after.is_some_and(|n| keys_seen > n) {
                        panic!("test-only panic switch (XIAOHU_TEST_PANIC_AFTER_KEYS)");
                    }
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

    /// The last word on the normal screen: where the case is, or that it could not be saved.
    fn farewell(&self) {
        if let Some(case) = &self.model.unsaved {
            let reason = match &self.model.notice {
                Some(Notice::SaveFailed { reason } | Notice::QuitUnsaved { reason }) => {
                    reason.as_str()
                }
                _ => "see above",
            };
            eprintln!(
                "xiaohu: case {} could not be saved ({reason}); the answers since its last \
                 save are lost.",
                case.id
            );
        } else if let Some(path) = LAST_SAVED.lock().ok().and_then(|p| p.clone()) {
            eprintln!("xiaohu: your case is saved in {}.", path.display());
        }
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
        let failed = |e: StoreError| Action::SaveFailed {
            case: Box::new(case.clone()),
            reason: e.short(),
        };
        if self.lock.as_ref().is_none_or(|l| l.id != case.id) {
            match store.lock(&case.id) {
                Ok(lock) => self.lock = Some(lock),
                Err(e) => return Some(failed(e)),
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
        self.created.insert(case.id.clone());
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
