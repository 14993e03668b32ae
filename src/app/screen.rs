//! The full screen as a front end of the shell: `Screen` draws `ui::render` on any ratatui
//! `Backend` (the real terminal, or `TestBackend` in tests) and notices a new size;
//! `Wizard` is the wizard's own front end on it: keys and pastes through `app::keys`, the
//! OSC swallowing, the test-only panic switch. The tour (`app/tour.rs`) uses the same
//! `Screen` with its caption.

use eyre::Result;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, KeyEvent};

use super::keys;
use super::session::App;
use super::shell::{FrontEnd, Shown};
use crate::ui::{self, Theme};
use crate::wizard::Action;
use crate::wizard::tour::Caption;

pub(super) struct Screen<B: Backend> {
    pub terminal: Terminal<B>,
    theme: Theme,
    osc: keys::Osc,
    /// Gives the terminal back (the real one: `app::leave_terminal`; a test's: nothing).
    leave: fn(),
    /// Clears the terminal's screen and its scrollback (the real one: `app::purge_terminal`,
    /// `CSI 2 J` and `CSI 3 J`); ratatui's backends know no scrollback. Nothing by default.
    purge: fn(),
}

impl<B: Backend> Screen<B>
where
    B::Error: Send + Sync + 'static,
{
    pub fn new(terminal: Terminal<B>, theme: Theme, leave: fn()) -> Screen<B> {
        Screen {
            terminal,
            theme,
            osc: keys::Osc::default(),
            leave,
            purge: || {},
        }
    }

    /// With `purge` as the way to clear the screen and its scrollback (see `wipe`).
    pub fn purging(mut self, purge: fn()) -> Screen<B> {
        self.purge = purge;
        self
    }

    /// Nothing of what was shown stays anywhere the next person can scroll to: the screen
    /// and the scrollback cleared, and ratatui told, so the next frame is drawn whole (a
    /// frame drawn only where it changed would leave the last visit's cells where the new
    /// one has none, or skip the cells the two share on a screen now blank).
    ///
    /// Not `Terminal::clear`: it asks the terminal where the cursor is (`ESC [6n`) and
    /// waits for the answer, which the input reader takes as keys; `resize` to the same
    /// area clears and forgets the last frame without asking anything.
    pub fn wipe(&mut self) {
        (self.purge)();
        // A failed write or size: the terminal is gone, and the next draw says so.
        if let Ok(size) = self.terminal.size() {
            let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            let _ = self.terminal.resize(area);
        }
    }

    /// On the normal screen, once the terminal is given back: its screen and scrollback
    /// cleared too (a terminal without an alternate screen drew the visit there).
    pub fn purge(&self) {
        (self.purge)();
    }

    /// Draws the model, unless an event already waits (then the next turn draws once for
    /// all of them). A size the model does not know yet is told to it, to draw again.
    pub fn show(
        &mut self,
        app: &mut App,
        pending: bool,
        caption: Option<&Caption<'_>>,
    ) -> Result<Shown> {
        if pending {
            return Ok(Shown::Done);
        }
        self.osc.input_ended();
        let theme = &self.theme;
        // Held to how far the help can scroll in this window, so a key up after many
        // down moves it at once (`update` cannot know the layout).
        if app.model.help {
            let furthest =
                ui::overlay::help_furthest(app.model.size, &app.model, &app.content, theme);
            app.model.help_scroll = app.model.help_scroll.min(furthest);
        }
        let size = self
            .terminal
            .draw(|frame| ui::render_with(frame, &app.model, &app.content, theme, caption))?
            .area;
        if app.model.size != (size.width, size.height) {
            app.dispatch(Action::Resize(size.width, size.height));
            return Ok(Shown::Again);
        }
        Ok(Shown::Done)
    }

    /// The keys of a terminal's OSC reply that arrived as keys (see `keys::Osc`).
    pub fn swallows(&mut self, key: &KeyEvent) -> bool {
        self.osc.swallows(key)
    }

    pub fn leave(&self) {
        (self.leave)();
    }

    /// What a paste and a resize do on every full screen: the text into the field that
    /// has focus, every character and then one draw (the shell's), not a frame per
    /// character; the new size to the wizard. Whether the event was a person's.
    pub fn paste_or_resize(app: &mut App, event: Event) -> bool {
        match event {
            Event::Paste(text) => {
                for action in keys::paste(&text, app.model.text_focus()) {
                    app.dispatch(action);
                }
                true
            }
            Event::Resize(w, h) => {
                app.dispatch(Action::Resize(w, h));
                false
            }
            _ => false,
        }
    }
}

/// The wizard on the full screen.
pub(super) struct Wizard<B: Backend> {
    pub screen: Screen<B>,
    /// The test-only panic switch (`XIAOHU_TEST_PANIC_AFTER_KEYS`): panic after this many.
    panic_after: Option<usize>,
    keys_seen: usize,
}

impl<B: Backend> Wizard<B> {
    pub fn new(screen: Screen<B>, panic_after: Option<usize>) -> Wizard<B> {
        Wizard {
            screen,
            panic_after,
            keys_seen: 0,
        }
    }
}

impl<B: Backend> FrontEnd for Wizard<B>
where
    B::Error: Send + Sync + 'static,
{
    type Event = Event;

    /// The model learns the terminal's size before the first frame, so that frame is not
    /// drawn twice (once to find the size out).
    fn start(&mut self, app: &mut App) -> bool {
        if let Ok(size) = self.screen.terminal.size() {
            app.dispatch(Action::Resize(size.width, size.height));
        }
        true
    }

    fn show(&mut self, app: &mut App, pending: bool) -> Result<Shown> {
        self.screen.show(app, pending, None)
    }

    fn event(&mut self, app: &mut App, event: Event) -> bool {
        match event {
            Event::Key(key) if self.screen.swallows(&key) => false,
            Event::Key(key) => {
                self.keys_seen += 1;
                if self.panic_after.is_some_and(|n| self.keys_seen > n) {
                    panic!("test-only panic switch (XIAOHU_TEST_PANIC_AFTER_KEYS)");
                }
                if let Some(action) = keys::action(key, app.model.text_focus(), app.model.kiosk) {
                    app.dispatch(action);
                }
                true
            }
            other => Screen::<B>::paste_or_resize(app, other),
        }
    }

    /// A kiosk's idle reset: the next visitor finds nothing of this one, not even by
    /// scrolling back.
    fn idle_reset(&mut self, app: &mut App) {
        app.dispatch(Action::IdleReset);
        self.screen.wipe();
    }

    /// A kiosk leaves nothing of the last visit behind, on either screen.
    fn finish(&mut self, app: &App) {
        if app.model.kiosk {
            self.screen.wipe();
        }
        self.screen.leave();
        if app.model.kiosk {
            self.screen.purge();
        }
    }
}
