//! The app: the only IO besides the store. One event loop, `shell`, for every front end
//! (the full screen, `--plain`, the tour): events in, `wizard::update`, effects out (disk
//! through the store), shown. Everything it decides is decided by `update`. Here: start-up,
//! the terminal given and taken back, the panic note.

mod ambiguous;
mod keys;
mod plain;
mod screen;
mod session;
mod shell;
mod signals;
mod tour;
mod tty;
mod wide_cursor;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use eyre::{Result, eyre};

use crate::content::{Content, Lang};
use crate::store::CaseStore;
use crate::ui::{Ambiguous, Theme};
use crate::wizard::{Action, CaseId, Model, Staff, StoreFault};

use screen::{Screen, Wizard};
use session::App;
pub use session::now;
use shell::{Shell, SystemClock};
use signals::Signals;
pub use tour::{TourOptions, TourRig, play};

/// How long a kiosk waits without a key before starting over for the next visitor, unless
/// `--idle-reset` says otherwise: long enough to read a step, short enough that a person who
/// walked away leaves nothing for long.
const KIOSK_IDLE_RESET: Duration = Duration::from_secs(60);

/// A kiosk always starts over for the next visitor; `--idle-reset` says after how long.
fn idle_after(kiosk: bool, flag: Option<Duration>) -> Option<Duration> {
    flag.or(kiosk.then_some(KIOSK_IDLE_RESET))
}

pub enum Start {
    Welcome,
    Product(String),
    Resume(CaseId),
}

/// `resume ID` refused before the screen changes (the case is open in another terminal,
/// or gone): the store's fault as the wizard knows it, for `main` to say in the person's
/// language.
#[derive(Debug)]
pub struct ResumeRefused(pub StoreFault);

impl std::fmt::Display for ResumeRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.detail)
    }
}

impl std::error::Error for ResumeRefused {}

pub struct Options {
    pub content: Content,
    pub lang: Lang,
    pub demo: bool,
    /// `--kiosk`: a public terminal (see `Model::kiosk`).
    pub kiosk: bool,
    /// `--agent`, `--desk`: who works cases here, on every log entry.
    pub staff: Staff,
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
    /// `--ambiguous-wide` / `--ambiguous-narrow`; `None`: the environment, else the probe.
    pub ambiguous: Option<Ambiguous>,
}

/// Runs the wizard until the person quits (`Ok(None)`) or a signal stops it
/// (`Ok(Some(signal number))`, so the shell sees 128 + n as usual).
pub fn run(options: Options) -> Result<Option<i32>> {
    let Options {
        content,
        lang,
        demo,
        kiosk,
        staff,
        store,
        start,
        theme,
        idle_reset,
        demo_amounts,
        plain,
        ambiguous,
    } = options;
    let idle_reset = idle_after(kiosk, idle_reset);
    let mut model = Model::new(lang, demo);
    model.kiosk = kiosk;
    model.staff = staff;
    model.demo_amounts = demo_amounts;
    let theme = Theme::for_env(std::env::var("NO_COLOR").ok().as_deref(), theme);
    let mut app = App::new(model, content, store, Box::new(SystemClock::new()));
    // Resuming: lock and load before the screen changes, so a refusal is a plain message.
    let first = match start {
        Start::Welcome => None,
        Start::Product(id) => Some(Action::StartProduct(id)),
        Start::Resume(id) => {
            let case = app.open(&id).map_err(ResumeRefused)?;
            Some(Action::CaseOpened(Box::new(case)))
        }
    };
    if plain {
        // The same wizard on the normal screen, a question per line. Needs no terminal (a
        // screen reader's console, a pipe); Ctrl-C saves and leaves like SIGTERM.
        let signals = Signals::install_with_interrupt();
        install_crash_note();
        let front = plain::Plain::new(std::io::stdout());
        let shell = Shell::new(
            app,
            front,
            plain::StdinLines::default(),
            signals,
            idle_reset,
            Box::new(std::io::stderr()),
        );
        return shell.run(first);
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
    let ambiguous = ambiguous_decided(ambiguous)?;
    KIOSK.store(kiosk, std::sync::atomic::Ordering::Relaxed);
    let signals = Signals::install();
    let (terminal, widths) = enter_terminal(ambiguous)?;
    let theme = theme.for_terminal(widths);
    let screen = Screen::new(terminal, theme, leave_terminal).purging(purge_terminal);
    let shell = Shell::new(
        app,
        Wizard::new(screen, panic_switch()),
        tty::Input::new(),
        signals,
        idle_reset,
        Box::new(std::io::stderr()),
    );
    shell.run(first)
}

/// `TERM=dumb` says the terminal cannot move the cursor or switch screens (an editor's
/// shell buffer, some IDE consoles), so the full screen would be a stream of escape codes.
/// An unset TERM says nothing either way and is let through: crossterm does not look TERM
/// up, and the consoles where it goes missing (`sudo env -i`, a service's tty, a serial
/// console) all understand the few codes used; refusing them would strand a working screen.
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// How ambiguous-width characters are drawn, if the flag or `XIAOHU_AMBIGUOUS` says; read
/// before the screen changes, so a bad value is a plain message.
fn ambiguous_decided(flag: Option<Ambiguous>) -> Result<Option<Ambiguous>> {
    let env = std::env::var(ambiguous::ENV).ok();
    ambiguous::decided(flag, env.as_deref()).map_err(|e| eyre!(e))
}

/// The real terminal as the full screen's backend writes to it: through a buffer that
/// holds a whole frame, so a frame goes out in one write. The standard output's own
/// buffer is a line's, 1 KB: a first frame took three writes, and every piece of it went
/// through the output's lock and a search for a line break it never has. ratatui flushes
/// at the end of every draw and after every other command, so nothing waits in it while
/// anything else writes to the terminal.
///
/// Its backend is crossterm's, which `WideCursor` tells where wide characters leave the
/// cursor.
type FullScreen = ratatui::Terminal<wide_cursor::WideCursor<std::io::BufWriter<std::io::Stdout>>>;

/// The start page at 100×30 in Chinese is about 3 KB; a frame bigger than this buffer is
/// written in pieces of its size.
const FRAME_BYTES: usize = 32 * 1024;

/// Raw mode, the alternate screen, the cursor hidden and bracketed paste on (a paste then
/// arrives as one event, never as keys), and how ambiguous-width characters are drawn:
/// `decided`, or asked of the terminal before crossterm reads a key. This is
/// `ratatui::init` with the question sent before the `Terminal` is made, so the reply
/// travels while its two buffers are (about a tenth of a millisecond together). Hooks
/// first: one that restores the terminal wraps the standard panic hook, as ratatui's does;
/// ours runs last, once the screen is back. If any of it fails the terminal is given back
/// first.
fn enter_terminal(decided: Option<Ambiguous>) -> Result<(FullScreen, Ambiguous)> {
    use ratatui::crossterm::{
        event::EnableBracketedPaste,
        execute,
        terminal::{EnterAlternateScreen, enable_raw_mode},
    };
    install_restoring_hook();
    let entered = (|| {
        enable_raw_mode()?;
        execute!(
            std::io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste
        )?;
        let asked = match decided {
            None => ambiguous::ask(&mut std::io::stdout()),
            Some(_) => None,
        };
        let out = std::io::BufWriter::with_capacity(FRAME_BYTES, std::io::stdout());
        let terminal = ratatui::Terminal::new(wide_cursor::WideCursor::new(out));
        // Read even if the Terminal failed: an answer left unread would be typed into the
        // shell after us.
        let widths = decided.unwrap_or_else(|| ambiguous::answer(asked, &mut std::io::stdout()));
        Ok::<_, std::io::Error>((terminal?, widths))
    })();
    install_crash_note();
    entered.map_err(|e| {
        leave_terminal();
        eyre!("cannot set up the terminal: {e}")
    })
}

/// What `ratatui::init` installs: the terminal restored before the panic's message.
fn install_restoring_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        previous(info);
    }));
}

/// Undoes `enter_terminal` on every way out: quit, a signal, a hung-up terminal (the writes
/// then fail, harmlessly), and a panic (`install_crash_note`).
fn leave_terminal() {
    disable_bracketed_paste();
    ratatui::restore();
}

/// The screen and the terminal's scrollback cleared (`CSI 2 J`, `CSI 3 J`, the cursor
/// home): what a visitor saw cannot be scrolled back to. Terminals without `CSI 3 J`
/// ignore it.
fn purge_terminal() {
    use ratatui::crossterm::{
        cursor::MoveTo,
        execute,
        terminal::{Clear, ClearType},
    };
    let _ = execute!(
        std::io::stdout(),
        Clear(ClearType::All),
        Clear(ClearType::Purge),
        MoveTo(0, 0)
    );
}

/// ratatui's restore does not know about bracketed paste: left on, the shell after us would
/// get every paste wrapped in `ESC[200~ … ESC[201~`.
fn disable_bracketed_paste() {
    use ratatui::crossterm::{event::DisableBracketedPaste, execute};
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
}

/// A kiosk's full screen is up: a crash, too, leaves the next visitor nothing to read.
static KIOSK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After the terminal is restored by ratatui's hook (and the panic's message is
/// printed), say where the saved case is so nothing feels lost — but on a kiosk, whose
/// screen the next visitor reads, wipe the visit first and name no file and no command.
fn install_crash_note() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Before ratatui's hook gives the screen back (a no-op in plain mode's terminal).
        disable_bracketed_paste();
        let kiosk = KIOSK.load(std::sync::atomic::Ordering::Relaxed);
        if kiosk {
            purge_terminal();
        }
        previous(info);
        if kiosk {
            eprintln!("xiaohu stopped on an internal error; the case is kept for staff.");
        } else if let Some(place) = session::last_saved() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiosk_starts_over_after_a_minute_unless_told_otherwise() {
        let two = Duration::from_secs(2);
        assert_eq!(idle_after(true, None), Some(Duration::from_secs(60)));
        assert_eq!(idle_after(true, Some(two)), Some(two));
        assert_eq!(idle_after(false, None), None);
        assert_eq!(idle_after(false, Some(two)), Some(two));
    }
}
