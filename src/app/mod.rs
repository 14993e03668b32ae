//! The only place with an event loop: terminal events in, `wizard::update`, effects out
//! (disk through the store), draw. Everything it decides is decided by `update`.

mod keys;
mod plain;
mod session;
mod signals;
mod tour;
mod tty;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::Event;

use crate::content::{Content, Lang};
use crate::store::CaseStore;
use crate::ui::{self, Theme};
use crate::wizard::{Action, Effect, Model};

use session::App;
use signals::Signals;
pub use tour::{TourOptions, play};

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
    pub store: Option<Box<dyn CaseStore>>,
    pub start: Start,
    /// The chosen theme; `NO_COLOR` still turns it monochrome.
    pub theme: Theme,
    /// Kiosk: back to the start page after this long without a key.
    pub idle_reset: Option<Duration>,
    /// Demo profile amounts: debt field id → amount (empty: every amount starts at 0).
    pub demo_amounts: BTreeMap<String, String>,
    /// `--plain`: line-by-line questions on the normal screen instead of the full screen.
    pub plain: bool,
}

/// How long the loop waits for a key before telling the wizard that time passed (retries,
/// signals): short enough that SIGTERM is answered at once to a person's eye.
const TICK: Duration = Duration::from_millis(200);

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
        plain,
    } = options;
    let mut model = Model::new(lang, demo);
    model.demo_amounts = demo_amounts;
    let theme = Theme::for_env(std::env::var("NO_COLOR").ok().as_deref(), theme);
    let mut app = App::new(model, content, store);
    // Resuming: lock and load before the screen changes, so a refusal is a plain message.
    let first = match start {
        Start::Welcome => None,
        Start::Product(id) => Some(Action::StartProduct(id)),
        Start::Resume(id) => {
            let case = app.open(&id).map_err(|e| eyre!(e.detail))?;
            Some(Action::CaseOpened(Box::new(case)))
        }
    };
    if plain {
        return run_plain(app, first, idle_reset);
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "the wizard needs a terminal (stdin and stdout); `xiaohu sessions`, `log` and \
             `export` work without one"
        ));
    }
    if dumb_terminal() {
        return Err(eyre!(
            "this terminal (TERM=dumb) cannot show the full-screen wizard; use `xiaohu --plain`"
        ));
    }
    let signals = Signals::install();
    let mut terminal = enter_terminal()?;
    if let Some(list) = app.perform(Effect::RefreshSaved) {
        app.dispatch(list);
    }
    if let Some(first) = first {
        app.dispatch(first);
    }
    let result = run_loop(&mut app, &mut terminal, &signals, idle_reset, &theme);
    // Whatever ended the loop (a signal, a terminal that went away), the case is saved
    // before the process leaves.
    if !app.model.quitting() {
        app.dispatch(Action::Terminate);
    }
    leave_terminal();
    let signal = signals.received();
    app.farewell(signal.as_ref().map(|(_, name)| name.as_str()));
    result.map(|()| signal.map(|(number, _)| number))
}

/// `TERM=dumb` says the terminal cannot move the cursor or switch screens (an editor's
/// shell buffer, some IDE consoles), so the full screen would be a stream of escape codes.
/// An unset TERM says nothing either way and is let through: crossterm does not look TERM
/// up, and the consoles where it goes missing (`sudo env -i`, a service's tty, a serial
/// console) all understand the few codes used; refusing them would strand a working screen.
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// Raw mode, the alternate screen, the cursor hidden and bracketed paste on (a paste then
/// arrives as one event, never as keys). Hooks first: color-eyre's, which ratatui::init
/// wraps with one that restores the terminal; ours runs last, once the screen is back.
fn enter_terminal() -> Result<DefaultTerminal> {
    use ratatui::crossterm::{event::EnableBracketedPaste, execute};
    color_eyre::install()?;
    let terminal = ratatui::init();
    install_crash_note();
    execute!(std::io::stdout(), EnableBracketedPaste)?;
    Ok(terminal)
}

/// Undoes `enter_terminal` on every way out: quit, a signal, a hung-up terminal (the writes
/// then fail, harmlessly), and a panic (`install_crash_note`).
fn leave_terminal() {
    disable_bracketed_paste();
    ratatui::restore();
}

/// ratatui's restore does not know about bracketed paste: left on, the shell after us would
/// get every paste wrapped in `ESC[200~ … ESC[201~`.
fn disable_bracketed_paste() {
    use ratatui::crossterm::{event::DisableBracketedPaste, execute};
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
}

/// `--plain`: the same wizard on the normal screen, a question per line. Needs no terminal
/// (a screen reader's console, a pipe); Ctrl-C saves and leaves like SIGTERM.
fn run_plain(
    mut app: App,
    first: Option<Action>,
    idle_reset: Option<Duration>,
) -> Result<Option<i32>> {
    let signals = Signals::install_with_interrupt();
    color_eyre::install()?;
    install_crash_note();
    if let Some(list) = app.perform(Effect::RefreshSaved) {
        app.dispatch(list);
    }
    if let Some(first) = first {
        app.dispatch(first);
    }
    let result = plain::run(&mut app, &signals, idle_reset);
    if !app.model.quitting() {
        app.dispatch(Action::Terminate);
    }
    let signal = signals.received();
    app.farewell(signal.as_ref().map(|(_, name)| name.as_str()));
    result.map(|()| signal.map(|(number, _)| number))
}

/// After the terminal is restored by ratatui's hook (and color-eyre has printed the
/// report), say where the saved case is so nothing feels lost.
fn install_crash_note() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Before ratatui's hook gives the screen back (a no-op in plain mode's terminal).
        disable_bracketed_paste();
        previous(info);
        if let Some(place) = session::last_saved() {
            eprintln!(
                "xiaohu stopped on an internal error. Your case is saved in {}; \
                 `xiaohu resume` opens it again.",
                place
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

fn run_loop(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    signals: &Signals,
    idle_reset: Option<Duration>,
    theme: &Theme,
) -> Result<()> {
    let panic_after = panic_switch();
    let mut keys_seen = 0;
    let mut last_key = Instant::now();
    let mut input = tty::Input::new();
    let mut osc = keys::Osc::default();
    while !app.model.quitting() {
        if signals.received().is_some() {
            app.dispatch(Action::Terminate);
            break;
        }
        // Events already read (the rest of a raw paste, keys typed ahead) are all taken
        // before the next frame: one draw for them, not one each.
        if !input.pending()? {
            osc.input_ended();
            let size = terminal
                .draw(|frame| ui::render(frame, &app.model, &app.content, theme))?
                .area;
            if app.model.size != (size.width, size.height) {
                app.dispatch(Action::Resize(size.width, size.height));
                continue;
            }
        }
        let event = match input.next(TICK)? {
            tty::Next::Event(event) => event,
            tty::Next::Idle => {
                app.dispatch(Action::Timer);
                if idle_reset.is_some_and(|after| last_key.elapsed() >= after) {
                    app.dispatch(Action::IdleReset);
                    last_key = Instant::now();
                }
                continue;
            }
            tty::Next::HungUp => {
                app.dispatch(Action::Terminate);
                break;
            }
        };
        match event {
            Event::Key(key) if osc.swallows(&key) => {}
            Event::Key(key) => {
                keys_seen += 1;
                last_key = Instant::now();
                if panic_after.is_some_and(|n| keys_seen > n) {
                    panic!("test-only panic switch (XIAOHU_TEST_PANIC_AFTER_KEYS)");
                }
                if let Some(action) = keys::action(key, app.model.text_focus()) {
                    app.dispatch(action);
                }
            }
            Event::Paste(text) => {
                last_key = Instant::now();
                // Every character, then one draw (the loop's), not a frame per character.
                for action in keys::paste(&text, app.model.text_focus()) {
                    app.dispatch(action);
                }
            }
            Event::Resize(w, h) => app.dispatch(Action::Resize(w, h)),
            _ => {}
        }
    }
    Ok(())
}
