//! The full screen as a front end of the shell: `Screen` draws `ui::render` on any ratatui
//! `Backend` (the real terminal, or `TestBackend` in tests) and notices a new size;
//! `Wizard` is the wizard's own front end on it: keys and pastes through `app::keys`, the
//! OSC swallowing, the test-only panic switch. The tour (`app/tour.rs`) uses the same
//! `Screen` with its caption.

use color_eyre::eyre::Result;
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
        }
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

    fn finish(&mut self, _app: &App) {
        self.screen.leave();
    }
}
