//! `xiaohu demo play FILE`: the attract loop. The same core (`App::dispatch`) as the wizard,
//! fed by a `wizard::tour::Player` until a person presses a key; then it is theirs, until
//! nobody has pressed one for `--idle` and the tour starts over on a fresh demo model.
//!
//! It is a public screen, so a kiosk (`Model::kiosk`): no key quits it, staff stop it with
//! SIGTERM. Keys while the tour plays: F2 switches the language and the tour goes on, any
//! other key (`q` and Ctrl-C too) takes over and acts. Once taken over, keys mean what they
//! mean in the wizard on a kiosk.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use eyre::{Result, eyre};
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyEventKind};

use super::screen::Screen;
use super::session::App;
use super::shell::scripted::{Scripted, Step, TestClock};
use super::shell::{FrontEnd, Shell, Shown, SystemClock, TICK};
use super::signals::Signals;
use super::{ambiguous_decided, dumb_terminal, enter_terminal, keys, leave_terminal, tty};
use crate::content::{Content, Lang};
use crate::keymap;
use crate::ui::{Ambiguous, Theme};
use crate::wizard::Action;
use crate::wizard::tour::{Cue, Player, Script};

pub struct TourOptions {
    pub content: Content,
    pub lang: Lang,
    pub theme: Theme,
    pub script: Script,
    /// Divides every wait of the script (2.0: twice as fast).
    pub speed: f64,
    /// Start over when the script ends.
    pub looping: bool,
    /// After this long without a person's key, wipe and start the tour over.
    pub idle: Option<Duration>,
    /// `--ambiguous-wide` / `--ambiguous-narrow`; `None`: the environment, else the probe.
    pub ambiguous: Option<Ambiguous>,
}

/// Plays until quit (`Ok(None)`) or a signal (`Ok(Some(n))`). Never writes to disk: the
/// core has no store.
pub fn play(options: TourOptions) -> Result<Option<i32>> {
    let TourOptions {
        content,
        lang,
        theme,
        script,
        speed,
        looping,
        idle,
        ambiguous,
    } = options;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(eyre!("`demo play` needs a terminal (stdin and stdout)"));
    }
    if dumb_terminal() {
        return Err(eyre!(
            "this terminal (TERM=dumb) cannot show the full-screen tour; `demo play` needs one \
             that can (to walk a case line by line: xiaohu --plain --demo)"
        ));
    }
    let theme = Theme::for_env(std::env::var("NO_COLOR").ok().as_deref(), theme);
    let ambiguous = ambiguous_decided(ambiguous)?;
    let signals = Signals::install();
    let (terminal, widths) = enter_terminal(ambiguous)?;
    let theme = theme.for_terminal(widths);
    let screen = Screen::new(terminal, theme, leave_terminal).purging(super::purge_terminal);
    let (app, tour, first) = Tour::new(
        screen,
        content,
        lang,
        script,
        speed,
        looping,
        SystemClock::new(),
    );
    let shell = Shell::new(
        app,
        tour,
        tty::Input::new(),
        signals,
        idle,
        Box::new(std::io::stderr()),
    );
    shell.run(Some(first))
}

/// The tour as a front end of the shell: the player's cues through `App::dispatch`, its
/// caption over the wizard's screen, the takeover rules, and the idle wipe.
pub(super) struct Tour<B: Backend> {
    pub screen: Screen<B>,
    player: Player,
    /// The language it was started in: the idle wipe goes back to it.
    lang: Lang,
    /// Whether the player played at the last turn (idle counts from when it stopped).
    was_playing: bool,
}

impl<B: Backend> Tour<B> {
    /// The front end, its app (a fresh demo model, no store) and the first action.
    pub fn new(
        screen: Screen<B>,
        content: Content,
        lang: Lang,
        script: Script,
        speed: f64,
        looping: bool,
        clock: impl super::shell::Clock + 'static,
    ) -> (App, Tour<B>, Action) {
        // `demo play` is a public screen: a kiosk (staff stop it with SIGTERM).
        let mut model = script.fresh_model(lang, (80, 24));
        model.kiosk = true;
        let first = Action::StartProduct(script.product.clone());
        let player = Player::new(script, speed, looping, clock.elapsed());
        let app = App::new(model, content, None, Box::new(clock));
        let tour = Tour {
            screen,
            was_playing: player.playing(),
            player,
            lang,
        };
        (app, tour, first)
    }
}

/// A fresh demo model at the script's product: nothing of the last visitor stays.
fn restart(app: &mut App, player: &Player, lang: Lang) {
    let size = app.model.size;
    app.model = player.script().fresh_model(lang, size);
    app.model.kiosk = true;
    app.dispatch(Action::StartProduct(player.script().product.clone()));
}

impl<B: Backend> FrontEnd for Tour<B>
where
    B::Error: Send + Sync + 'static,
{
    type Event = Event;

    /// Scripted keys that are due go through the same dispatch as a person's.
    fn tick(&mut self, app: &mut App) -> bool {
        let now = app.clock.elapsed();
        while let Some(cue) = self.player.poll(now, &app.model, &app.content) {
            match cue {
                Cue::Press(action) => app.dispatch(action),
                Cue::Restart => {
                    // Looping: the next round keeps the language someone chose with F2.
                    let current = app.model.lang;
                    restart(app, &self.player, current);
                    self.player.restart(now);
                }
            }
        }
        // Idle is time nobody used the screen since the tour stopped (at its end, off
        // script, or taken over), not time the tour spent playing by itself.
        let stopped = self.was_playing && !self.player.playing();
        self.was_playing = self.player.playing();
        stopped
    }

    fn show(&mut self, app: &mut App, pending: bool) -> Result<Shown> {
        let caption = self.player.caption();
        self.screen.show(app, pending, caption.as_ref())
    }

    /// Wake for the next scripted key, or the usual tick.
    fn wait(&self, app: &App) -> Duration {
        let due = self.player.due_in(app.clock.elapsed());
        due.map_or(TICK, |d| d.min(TICK))
    }

    /// Idle counts only once the tour is not playing by itself.
    fn idle_counts(&self) -> bool {
        !self.player.playing()
    }

    fn idle_reset(&mut self, app: &mut App) {
        restart(app, &self.player, self.lang);
        self.player.restart(app.clock.elapsed());
        // Painted afresh, not as a diff over the visit's last frame: the next visitor's
        // screen owes nothing to the last one's, whatever the terminal does with the cell
        // under a wide character's right half (ratatui's diff trusts the terminal to blank
        // it; `TestBackend` does not, so the soak test's wiped screen kept a visitor's
        // letters there until this repaint). The scrollback is cleared with it, as a
        // kiosk's wizard does (`Screen::wipe`).
        self.screen.wipe();
    }

    fn event(&mut self, app: &mut App, event: Event) -> bool {
        match event {
            Event::Key(key) if self.screen.swallows(&key) => false,
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                // While it plays, the keymap's tour keys (quit, language) act and it plays on.
                if self.player.playing()
                    && let Some(action) =
                        keys::translate(key).and_then(|k| keymap::tour_key(k, app.model.kiosk))
                {
                    app.dispatch(action);
                    return true;
                }
                // Any other key is a person: the tour stops and the key acts.
                self.player.take_over();
                if let Some(action) = keys::action(key, app.model.text_focus(), app.model.kiosk) {
                    app.dispatch(action);
                }
                true
            }
            Event::Paste(text) => {
                // A paste is a person too: the tour stops, and the text goes into the field
                // if one has focus (never a quit: not even a pasted "q").
                self.player.take_over();
                Screen::<B>::paste_or_resize(app, Event::Paste(text))
            }
            other => Screen::<B>::paste_or_resize(app, other),
        }
    }

    /// A tour is always a kiosk: nothing of the last visitor stays on either screen.
    fn finish(&mut self, _app: &App) {
        self.screen.wipe();
        self.screen.leave();
        self.screen.purge();
    }

    /// Nothing was saved, so no word of a case: only what stopped it.
    fn farewell(&self, _app: &App, signal: Option<&str>, out: &mut dyn Write) {
        if let Some(name) = signal {
            let _ = writeln!(out, "xiaohu: stopped by {name}.");
        }
    }
}

/// `demo play` in-process, for tests outside the crate (`tests/soak.rs`): the real `Tour`
/// and `Shell` on ratatui's `TestBackend`, scripted input and a clock moved by hand (the
/// shell's own test machinery, `shell::scripted`). Nothing here sleeps or touches a
/// terminal.
#[doc(hidden)]
pub struct TourRig {
    shell: Shell<Tour<TestBackend>, Scripted>,
}

impl TourRig {
    /// Started as `demo play SCRIPT --lang LANG --speed SPEED [--loop] --idle IDLE` is, on a
    /// `width`×`height` screen.
    pub fn new(
        content: Content,
        script: Script,
        lang: Lang,
        speed: f64,
        looping: bool,
        idle: Duration,
        (width, height): (u16, u16),
    ) -> Result<TourRig> {
        let clock = TestClock::new();
        let terminal = Terminal::new(TestBackend::new(width, height))?;
        let screen = Screen::new(terminal, Theme::monochrome(), || {});
        let (app, tour, first) =
            Tour::new(screen, content, lang, script, speed, looping, clock.clone());
        let mut shell = Shell::new(
            app,
            tour,
            Scripted::new(&clock),
            Signals::unregistered(),
            Some(idle),
            Box::new(std::io::sink()),
        );
        shell.start(Some(first));
        Ok(TourRig { shell })
    }

    /// One event (a key, a paste), taken in one turn. `false`: the shell left.
    pub fn input(&mut self, event: Event) -> Result<bool> {
        self.shell.events.steps.push_back(Step::Input(event));
        self.shell.turn()
    }

    /// Nobody touches it for `time`, turn by turn as the shell waits, stopping early at an
    /// idle wipe. `Ok(true)`: it was wiped.
    pub fn wait(&mut self, time: Duration) -> Result<bool> {
        let wiped = self.shell.events.discarded;
        self.shell.events.steps.push_back(Step::Wait(time));
        // A zero wait is one turn: what plays by itself is played and shown.
        let mut once = true;
        while once || !self.shell.events.steps.is_empty() {
            once = false;
            if !self.shell.turn()? {
                break;
            }
            if self.shell.events.discarded != wiped {
                self.shell.events.steps.clear();
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The screen as the last turn drew it.
    pub fn buffer(&self) -> &Buffer {
        self.shell.front.screen.terminal.backend().buffer()
    }

    /// Still playing by itself (not taken over, not stopped).
    pub fn playing(&self) -> bool {
        !self.shell.front.idle_counts()
    }

    /// Time on the rig's clock since it started.
    pub fn elapsed(&self) -> Duration {
        self.shell.app.clock.elapsed()
    }
}
