//! The one shell every front end runs in (the full screen, `--plain`, the tour): signals,
//! a hung-up input, the idle reset, the `Timer` that retries saves, and on the way out the
//! `Terminate` a quit did not send and the last word. Written once, here.
//!
//! What varies is plugged in: a `FrontEnd` shows the model and turns its events into
//! actions (the full screen draws with any ratatui `Backend`, plain mode prints pages, the
//! tour also plays its cues); an `Events` source says what came within a wait (the
//! terminal, stdin's lines, or a script in tests); the `Clock` in `App` gives both the wall
//! time `update` is told and the monotonic time idle is counted in. So a whole session runs
//! in a test with `TestBackend`, a scripted source, a clock moved by hand and a store in
//! memory (`tests` below), with no terminal and no sleeping.

use std::io::Write;
use std::time::Duration;

use eyre::Result;

use super::session::App;
use super::signals::Signals;
use crate::wizard::{Action, Effect, Time};

/// How long the shell waits for input before telling the wizard that time passed (save
/// retries, the idle reset) and looking at the signals: short enough that SIGTERM is
/// answered at once to a person's eye.
pub(super) const TICK: Duration = Duration::from_millis(200);

/// Time, passed in: the wall clock for `wizard::update` (log entries, dates), and a
/// monotonic one for idle time and the tour's pace, which must not jump with the wall's.
pub(super) trait Clock {
    fn now(&self) -> Time;
    /// Time since a fixed point of this clock's; never goes back.
    fn elapsed(&self) -> Duration;
}

/// The machine's clocks; the wall one frozen by `XIAOHU_TEST_CLOCK` in debug builds.
pub(super) struct SystemClock {
    origin: std::time::Instant,
}

impl SystemClock {
    pub fn new() -> SystemClock {
        SystemClock {
            origin: std::time::Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Time {
        super::session::now()
    }

    fn elapsed(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// What an input source said within a wait.
pub(super) enum Next<E> {
    Event(E),
    /// Nothing within the timeout (or a signal cut the wait short).
    Idle,
    /// The input is gone: the window closed, the connection dropped, stdin ended.
    HungUp,
}

/// Where a front end's events come from.
pub(super) trait Events {
    type Event;
    /// Whether an event read earlier is waiting (`next` then returns it without waiting).
    fn pending(&mut self) -> std::io::Result<bool>;
    /// The next event, waiting up to `timeout` for one.
    fn next(&mut self, timeout: Duration) -> std::io::Result<Next<Self::Event>>;
    /// The idle reset came: drop what was typed and not yet taken (plain mode's half line).
    fn discard(&mut self) {}
}

/// What showing the model led to.
pub(super) enum Shown {
    Done,
    /// The model changed while being shown (the terminal's size was new): show it again
    /// before waiting.
    Again,
    /// Nobody can see it any more (the output closed): save and leave.
    Gone,
}

/// A way of showing the wizard and of taking a person's input. Only `show` and `event`
/// are its own; the rest defaults to what the full screen does.
pub(super) trait FrontEnd {
    type Event;
    /// Once, after the opening actions. `false`: nobody can see it; save and leave.
    fn start(&mut self, _app: &mut App) -> bool {
        true
    }
    /// Every turn, before showing: what plays by itself (the tour's cues). `true`: idle
    /// time counts from now.
    fn tick(&mut self, _app: &mut App) -> bool {
        false
    }
    /// Whether the first frame is drawn before the saved cases are read (the full screen:
    /// a desk's thousands take longer than the frame), or after (plain mode prints the
    /// start page once, whole).
    fn lists_after_first_frame(&self) -> bool {
        true
    }
    /// Shows the model. `pending`: an event already waits, so the full screen draws once
    /// for all of them rather than once each.
    fn show(&mut self, app: &mut App, pending: bool) -> Result<Shown>;
    /// How long to wait at most this turn (the tour: until its next cue); never past `TICK`.
    fn wait(&self, _app: &App) -> Duration {
        TICK
    }
    /// Whether idle time counts now (not while the tour plays by itself).
    fn idle_counts(&self) -> bool {
        true
    }
    /// Nobody used it for the idle time.
    fn idle_reset(&mut self, app: &mut App) {
        app.dispatch(Action::IdleReset);
    }
    /// One event. `true`: a person made it, so idle time counts from now.
    fn event(&mut self, app: &mut App, event: Self::Event) -> bool;
    /// A signal or a hung-up input is about to end it (plain mode ends the person's line).
    fn stopping(&mut self) {}
    /// After the last `Terminate`: give the terminal back, say goodbye.
    fn finish(&mut self, _app: &App) {}
    /// The last word, once the screen is back.
    fn farewell(&self, app: &App, signal: Option<&str>, out: &mut dyn Write) {
        app.farewell(signal, out);
    }
}

pub(super) struct Shell<F, E> {
    pub app: App,
    pub front: F,
    pub events: E,
    signals: Signals,
    /// Kiosk: start over after this long without a person's input.
    idle: Option<Duration>,
    /// When a person last gave input, on the app's clock (`Clock::elapsed`).
    last_input: Duration,
    /// Where the last word goes (stderr).
    last_word: Box<dyn Write>,
}

impl<F, E> Shell<F, E>
where
    F: FrontEnd,
    E: Events<Event = F::Event>,
{
    pub fn new(
        app: App,
        front: F,
        events: E,
        signals: Signals,
        idle: Option<Duration>,
        last_word: Box<dyn Write>,
    ) -> Self {
        let last_input = app.clock.elapsed();
        Shell {
            app,
            front,
            events,
            signals,
            idle,
            last_input,
            last_word,
        }
    }

    /// Runs until the person quits (`Ok(None)`) or a signal stops it (`Ok(Some(signal
    /// number))`, so the shell sees 128 + n as usual). `first`: what to do before the first
    /// event (start a product, open the case being resumed).
    pub fn run(mut self, first: Option<Action>) -> Result<Option<i32>> {
        self.start(first);
        let result = self.turns();
        self.finish(result)
    }

    /// The saved cases listed (or, on the full screen, to be listed after the first
    /// frame), the first action, the front end started.
    pub fn start(&mut self, first: Option<Action>) {
        if self.front.lists_after_first_frame() {
            self.app.dispatch(Action::ReadingSaved);
        } else {
            self.list_saved();
        }
        if let Some(first) = first {
            self.app.dispatch(first);
        }
        if !self.front.start(&mut self.app) {
            self.app.dispatch(Action::Terminate);
        }
        self.last_input = self.app.clock.elapsed();
    }

    /// The saved cases to the model (always an answer, so `reading_saved` always ends).
    fn list_saved(&mut self) {
        let list = self.app.perform(Effect::RefreshSaved);
        self.app
            .dispatch(list.unwrap_or_else(|| Action::SavedList(Default::default())));
    }

    fn turns(&mut self) -> Result<()> {
        while self.turn()? {}
        Ok(())
    }

    /// One turn: signals, what plays by itself, show, wait for one event (or time) and
    /// take it. `false` once the shell is to leave.
    pub fn turn(&mut self) -> Result<bool> {
        let app = &mut self.app;
        if app.model.quitting() {
            return Ok(false);
        }
        if self.signals.received().is_some() {
            self.front.stopping();
            app.dispatch(Action::Terminate);
            return Ok(false);
        }
        if self.front.tick(app) {
            self.last_input = app.clock.elapsed();
        }
        // Events already read (the rest of a raw paste, keys typed ahead) are all taken
        // before the next frame: one draw for them, not one each.
        let pending = self.events.pending()?;
        match self.front.show(app, pending)? {
            // The first frame is up: now the saved cases, then that frame again with them.
            Shown::Done if app.model.reading_saved => {
                self.list_saved();
                return Ok(true);
            }
            Shown::Done => {}
            Shown::Again => return Ok(true),
            Shown::Gone => {
                app.dispatch(Action::Terminate);
                return Ok(false);
            }
        }
        match self.events.next(self.front.wait(app).min(TICK))? {
            Next::Idle => {
                app.dispatch(Action::Timer);
                let idle_for = app.clock.elapsed().saturating_sub(self.last_input);
                if self.front.idle_counts() && self.idle.is_some_and(|after| idle_for >= after) {
                    self.events.discard();
                    self.front.idle_reset(app);
                    self.last_input = app.clock.elapsed();
                }
            }
            Next::HungUp => {
                self.front.stopping();
                app.dispatch(Action::Terminate);
                return Ok(false);
            }
            Next::Event(event) => {
                if self.front.event(app, event) {
                    self.last_input = app.clock.elapsed();
                }
            }
        }
        Ok(!app.model.quitting())
    }

    /// Whatever ended the turns (a quit, a signal, an input or output gone, an error), the
    /// case is saved before the process leaves; then the terminal is given back and the
    /// last word said.
    pub fn finish(&mut self, result: Result<()>) -> Result<Option<i32>> {
        if !self.app.model.quitting() {
            self.app.dispatch(Action::Terminate);
        }
        self.front.finish(&self.app);
        let signal = self.signals.received();
        let name = signal.as_ref().map(|(_, name)| name.as_str());
        self.front.farewell(&self.app, name, &mut *self.last_word);
        let _ = self.last_word.flush();
        result.map(|()| signal.map(|(number, _)| number))
    }
}

/// A scripted session and a hand-moved clock: the shell's tests and `tour::TourRig`.
pub(super) mod scripted;

#[cfg(test)]
mod tests;
