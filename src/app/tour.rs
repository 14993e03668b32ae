//! `xiaohu demo play FILE`: the attract loop. The same core (`App::dispatch`) as the wizard,
//! fed by a `wizard::tour::Player` until a person presses a key; then it is theirs, until
//! nobody has pressed one for `--idle` and the tour starts over on a fresh demo model.
//!
//! Keys while the tour plays: Ctrl-C and `q` quit (so staff can stop the screen; no text is
//! the person's yet), F2 switches the language and the tour goes on, any other key takes
//! over and acts. Once taken over, keys mean what they mean in the wizard.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use super::session::App;
use super::signals::Signals;
use super::{TICK, dumb_terminal, enter_terminal, keys, leave_terminal, tty};
use crate::content::{Content, Lang};
use crate::ui::{self, Theme};
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
    let model = script.fresh_model(lang, (80, 24));
    let mut app = App::new(model, content, None);
    let signals = Signals::install();
    let mut terminal = enter_terminal()?;
    let origin = Instant::now();
    let mut player = Player::new(script, speed, looping, Duration::ZERO);
    restart(&mut app, &player, lang);
    let result = run_loop(
        &mut app,
        &mut terminal,
        &signals,
        &mut player,
        origin,
        idle,
        lang,
        &theme,
    );
    if !app.model.quitting() {
        app.dispatch(Action::Terminate);
    }
    leave_terminal();
    let signal = signals.received();
    if let Some((_, name)) = &signal {
        eprintln!("xiaohu: stopped by {name}.");
    }
    result.map(|()| signal.map(|(number, _)| number))
}

/// A fresh demo model at the script's product: nothing of the last visitor stays.
fn restart(app: &mut App, player: &Player, lang: Lang) {
    let size = app.model.size;
    app.model = player.script().fresh_model(lang, size);
    app.dispatch(Action::StartProduct(player.script().product.clone()));
}

#[allow(clippy::too_many_arguments)]
fn run_loop(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    signals: &Signals,
    player: &mut Player,
    origin: Instant,
    idle: Option<Duration>,
    lang: Lang,
    theme: &Theme,
) -> Result<()> {
    let mut last_key = Instant::now();
    let mut was_playing = player.playing();
    let mut input = tty::Input::new();
    let mut osc = keys::Osc::default();
    while !app.model.quitting() {
        if signals.received().is_some() {
            app.dispatch(Action::Terminate);
            break;
        }
        // Scripted keys that are due go through the same dispatch as a person's.
        let now = origin.elapsed();
        while let Some(cue) = player.poll(now, &app.model) {
            match cue {
                Cue::Press(action) => app.dispatch(action),
                Cue::Restart => {
                    // Looping: the next round keeps the language someone chose with F2.
                    let current = app.model.lang;
                    restart(app, player, current);
                    player.restart(now);
                }
            }
        }
        // Idle is time nobody used the screen since the tour stopped (at its end, off
        // script, or taken over), not time the tour spent playing by itself.
        if was_playing && !player.playing() {
            last_key = Instant::now();
        }
        was_playing = player.playing();
        // Events already read are all taken before the next frame (see app::run_loop).
        if !input.pending()? {
            osc.input_ended();
            let caption = player.caption();
            let size = terminal
                .draw(|frame| {
                    ui::render_with(frame, &app.model, &app.content, theme, caption.as_ref());
                })?
                .area;
            if app.model.size != (size.width, size.height) {
                app.dispatch(Action::Resize(size.width, size.height));
                continue;
            }
        }
        // Wake for the next scripted key, or the usual tick.
        let wait = player
            .due_in(origin.elapsed())
            .map_or(TICK, |d| d.min(TICK));
        let event = match input.next(wait)? {
            tty::Next::Event(event) => event,
            tty::Next::Idle => {
                app.dispatch(Action::Timer);
                // Idle counts only once the tour is not playing by itself.
                if !player.playing() && idle.is_some_and(|after| last_key.elapsed() >= after) {
                    restart(app, player, lang);
                    player.restart(origin.elapsed());
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
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                last_key = Instant::now();
                let plain = !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                if player.playing() {
                    match key.code {
                        KeyCode::Char('q') if plain => {
                            app.dispatch(Action::Quit);
                            continue;
                        }
                        KeyCode::F(2) => {
                            app.dispatch(Action::SwitchLang);
                            continue;
                        }
                        _ => {}
                    }
                }
                // Any other key is a person: the tour stops and the key acts.
                player.take_over();
                if let Some(action) = keys::action(key, app.model.text_focus()) {
                    app.dispatch(action);
                }
            }
            Event::Paste(text) => {
                // A paste is a person too: the tour stops, and the text goes into the field
                // if one has focus (never a quit: not even a pasted "q").
                last_key = Instant::now();
                player.take_over();
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
