//! The attract loop's script and player (`xiaohu demo play FILE`): a TOML walk-through of one
//! product (`assets/demo/*.toml`), pressed key by key at a human pace with a caption per
//! scene. Parsed and checked against the content without IO; the player is a state machine
//! that is told the time and never sleeps, so every timing is a unit test with fixed values.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use tui_input::InputRequest;

use super::action::Action;
use super::demo::Profile;
use super::model::{Model, Screen};
use crate::content::{Content, Diagnostic, Lang, Text};
use crate::keymap;
use crate::steps::{self, Block};

/// Between two key presses, unless the script says otherwise: slow enough to follow.
pub const DEFAULT_PACE: Duration = Duration::from_millis(600);
/// The least a scene's caption stays after its keys, unless the scene says otherwise.
pub const DEFAULT_PAUSE: Duration = Duration::from_secs(3);
/// Reading pace for Chinese, in characters a second. Silent reading of plain Chinese runs
/// at about 4.5–6 characters a second for adults; a stranger's screen in a waiting area,
/// read from a few steps away while glancing at the caption, sits at the slow end.
pub const ZH_CHARS_PER_SEC: f64 = 5.0;
/// Reading pace for English, in words a second: about 180 words a minute, the pace
/// broadcast captions are held to (silent reading of easy prose runs at 200–250).
pub const EN_WORDS_PER_SEC: f64 = 3.0;

#[derive(Debug, Clone)]
pub struct Script {
    pub path: String,
    pub product: String,
    pub lang: Lang,
    /// The demo profile's debt amounts (empty: every amount starts at 0).
    pub amounts: BTreeMap<String, String>,
    pub pace: Duration,
    pub scenes: Vec<Scene>,
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub caption: Text,
    pub keys: Vec<Key>,
    /// The least its caption stays once its keys are pressed (the reading time may be more).
    pub pause: Duration,
    /// The step the wizard must be on once the keys are pressed.
    pub expect: Option<String>,
}

/// One press. Most are an `Action` already; two depend on the screen at the moment they
/// are pressed, as they do for a person.
#[derive(Debug, Clone)]
pub enum Key {
    Press(Action),
    /// Ticks outside a text field, types a space inside one.
    Space,
    /// `{code}`: types the code the simulated phone shows now, digit by digit.
    Code,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    product: Spanned<String>,
    #[serde(default)]
    lang: Option<Lang>,
    #[serde(default)]
    profile: Option<Spanned<String>>,
    #[serde(default)]
    pace_ms: Option<u64>,
    #[serde(default)]
    scene: Vec<Spanned<RawScene>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScene {
    caption: Spanned<Text>,
    #[serde(default)]
    keys: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    pause: Option<Spanned<f64>>,
    #[serde(default)]
    expect: Option<Spanned<String>>,
}

/// The key names a script may use, as a person reads them on a keyboard: the keymap's
/// (`crate::keymap`), and `{code}`.
pub fn key_names() -> Vec<String> {
    let mut names = keymap::script_names();
    names.push("{code}".into());
    names
}

/// The key a script names: what the keymap says it sends in a text field (Left, Backspace
/// edit it); Space, which depends on the field, and `{code}` are decided when pressed.
fn key_named(name: &str) -> Option<Key> {
    if name == "{code}" {
        return Some(Key::Code);
    }
    match keymap::script_key(name)? {
        keymap::Key::Space => Some(Key::Space),
        key => keymap::sends(key, true).map(Key::Press),
    }
}

/// The script in `text`, checked against the content and the demo profiles: a known
/// product and profile (of that product), known key names, `expect` naming a step of the
/// product, captions in both languages. Every problem is reported with its place.
pub fn parse(
    path: &str,
    text: &str,
    content: &Content,
    profiles: &[Profile],
) -> Result<Script, Vec<Diagnostic>> {
    let at = |span: Range<usize>, message: String| Diagnostic::at(path, text, span, message);
    let raw: RawScript =
        toml::from_str(text).map_err(|e| vec![at(e.span().unwrap_or(0..0), e.message().into())])?;
    let mut errors = Vec::new();
    let product = content.product(raw.product.get_ref());
    if product.is_none() {
        let ids: Vec<&str> = content.products.iter().map(|p| p.id()).collect();
        errors.push(at(
            raw.product.span(),
            format!(
                "unknown product `{}`; known products: {}",
                raw.product.get_ref(),
                ids.join(", ")
            ),
        ));
    }
    let mut amounts = BTreeMap::new();
    if let Some(id) = &raw.profile {
        match profiles.iter().find(|p| &p.id == id.get_ref()) {
            Some(p) if &p.product != raw.product.get_ref() => errors.push(at(
                id.span(),
                format!(
                    "profile `{}` is for {}, not {}",
                    p.id,
                    p.product,
                    raw.product.get_ref()
                ),
            )),
            Some(p) => amounts = p.amounts.clone(),
            None => errors.push(at(
                id.span(),
                format!("unknown demo profile `{}`", id.get_ref()),
            )),
        }
    }
    if raw.scene.is_empty() {
        errors.push(at(0..0, "a script needs at least one [[scene]]".into()));
    }
    let mut scenes = Vec::new();
    for raw_scene in &raw.scene {
        let scene = raw_scene.get_ref();
        if scene.caption.get_ref().is_blank() {
            errors.push(at(
                scene.caption.span(),
                "the caption needs non-empty `zh` and `en`".into(),
            ));
        }
        let mut keys = Vec::new();
        for key in &scene.keys {
            match key.get_ref() {
                toml::Value::String(name) => match key_named(name) {
                    Some(k) => keys.push(k),
                    None => errors.push(at(
                        key.span(),
                        format!(
                            "unknown key `{name}`; keys are {}, or {{ text = \"…\" }} to type",
                            key_names().join(" ")
                        ),
                    )),
                },
                toml::Value::Table(t)
                    if t.len() == 1 && t.get("text").is_some_and(|v| v.is_str()) =>
                {
                    let typed = t["text"].as_str().unwrap_or_default();
                    keys.extend(
                        typed
                            .chars()
                            .map(|c| Key::Press(Action::Edit(InputRequest::InsertChar(c)))),
                    );
                }
                _ => errors.push(at(
                    key.span(),
                    "a key is a name such as \"Enter\", or { text = \"…\" } to type".into(),
                )),
            }
        }
        if let (Some(product), Some(expect)) = (product, &scene.expect)
            && product.step(expect.get_ref()).is_none()
        {
            errors.push(at(
                expect.span(),
                format!(
                    "`expect`: {} has no step `{}`",
                    product.id(),
                    expect.get_ref()
                ),
            ));
        }
        let pause = match &scene.pause {
            Some(p) if !(0.0..=600.0).contains(p.get_ref()) => {
                errors.push(at(p.span(), "`pause` is in seconds, from 0 to 600".into()));
                DEFAULT_PAUSE
            }
            Some(p) => Duration::from_secs_f64(*p.get_ref()),
            None => DEFAULT_PAUSE,
        };
        scenes.push(Scene {
            caption: scene.caption.get_ref().clone(),
            keys,
            pause,
            expect: scene.expect.as_ref().map(|e| e.get_ref().clone()),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Script {
        path: path.to_owned(),
        product: raw.product.into_inner(),
        lang: raw.lang.unwrap_or(Lang::Zh),
        amounts,
        pace: raw.pace_ms.map_or(DEFAULT_PACE, Duration::from_millis),
        scenes,
    })
}

impl Script {
    /// A clean demo model for the start of a play: nothing from the last visitor.
    pub fn fresh_model(&self, lang: Lang, size: (u16, u16)) -> Model {
        let mut model = Model::new(lang, true);
        model.demo_amounts = self.amounts.clone();
        model.size = size;
        model
    }
}

/// How much there is to read in `text`: each Han, kana or hangul character is one, and so
/// is each word of letters or digits ("Enter", "20,000", "143.80", "A-1029", "don't").
/// So Chinese is counted in characters and English in words, and a Latin word in Chinese
/// text or a Chinese word in English text counts as a reader meets it. Punctuation and
/// spaces are free.
pub fn reading_units(text: &str) -> usize {
    let mut units = 0;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_cjk(c) {
            units += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            units += usize::from(!in_word);
            in_word = true;
        } else {
            // A joiner between two letters or digits keeps one word.
            let joins = matches!(c, '\'' | '’' | '.' | ',' | '-')
                && chars
                    .peek()
                    .is_some_and(|n| n.is_alphanumeric() && !is_cjk(*n));
            in_word = in_word && joins;
        }
    }
    units
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // kana
        | '\u{3400}'..='\u{4dbf}' // Han, extension A
        | '\u{4e00}'..='\u{9fff}' // Han
        | '\u{ac00}'..='\u{d7af}' // hangul
        | '\u{f900}'..='\u{faff}' // Han compatibility
        | '\u{20000}'..='\u{2ffff}')
}

/// How long `text` takes to read in `lang` at its pace (`ZH_CHARS_PER_SEC`,
/// `EN_WORDS_PER_SEC`).
pub fn reading_time(lang: Lang, text: &str) -> Duration {
    let pace = match lang {
        Lang::Zh => ZH_CHARS_PER_SEC,
        Lang::En => EN_WORDS_PER_SEC,
    };
    Duration::from_secs_f64(reading_units(text) as f64 / pace)
}

/// How long a scene stays once its keys are pressed: long enough to read its caption and
/// the screen under it (`screen`: what of `screen_text` was not on screen at the last
/// scene's hold) in `lang`, never less than the script's `pause`, and all of it divided by
/// `speed`.
pub fn stay(lang: Lang, caption: &str, screen: &str, pause: Duration, speed: f64) -> Duration {
    let read = reading_time(lang, caption) + reading_time(lang, screen);
    read.max(pause).div_f64(speed)
}

/// The words a person reads on a step's screen, a piece per paragraph, item or label, from
/// its blocks (the keys' line and the phone are worded by each front end and left out;
/// they are short).
pub fn screen_text(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Text(t, _) | Block::Indented(t, _) | Block::Problem(t) | Block::Badge(t, _) => {
                out.push(t.clone())
            }
            Block::About { name, provider } => {
                out.push(name.clone());
                out.push(provider.clone());
            }
            Block::Bullets(items) => out.extend(items.iter().cloned()),
            Block::Choices { labels, .. } => out.extend(labels.iter().cloned()),
            Block::Checklist { items, escape, .. } => {
                out.extend(items.iter().map(|(t, _)| t.clone()));
                out.extend(escape.iter().cloned());
            }
            Block::Amounts(rows) => {
                for row in rows {
                    out.push(row.label.clone());
                    out.extend(row.hint.iter().cloned());
                    out.extend(row.error.iter().cloned());
                }
            }
            Block::Field { label, .. } => out.push(label.clone()),
            Block::Gap | Block::Phone(_) | Block::Keys(_) => {}
        }
    }
    out
}

/// What identifies a screen to someone watching: which step, and whether it is blocked or
/// shows the phone (ticks, cursor moves and typing change it less than that).
#[derive(Debug, Clone, PartialEq)]
struct Look {
    step: Option<String>,
    on_step: bool,
    blocked: bool,
    phone: bool,
}

impl Look {
    fn of(model: &Model) -> Look {
        let view = match &model.screen {
            Screen::Step(view) => Some(view),
            _ => None,
        };
        Look {
            step: model.case.as_ref().map(|c| c.step.clone()),
            on_step: view.is_some(),
            blocked: view.is_some_and(|v| v.blocked.is_some()),
            phone: view.is_some_and(|v| v.phone.is_some()),
        }
    }
}

/// What the player wants done now.
#[derive(Debug, Clone)]
pub enum Cue {
    /// Dispatch this, as if a person had pressed the key.
    Press(Action),
    /// The script ended and loops: start again from a fresh model.
    Restart,
}

/// What the caption box says.
#[derive(Debug, Clone, PartialEq)]
pub enum Caption<'a> {
    Scene(&'a Text),
    /// The wizard is not where the script expected (the content changed under it): the
    /// player stopped rather than press keys blindly.
    OffScript {
        expected: String,
        actual: String,
    },
    /// `{code}` came where no simulated phone was showing a code.
    NoCode,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Pressing the current scene's keys.
    Keys,
    /// Holding the scene's caption after its keys.
    Hold,
    /// Played to the end without `--loop`, or a person took over: nothing more to do.
    Done,
    OffScript {
        expected: String,
        actual: String,
    },
    NoCode,
}

/// Plays a script against a model it is shown at every `poll`. Times are offsets from any
/// fixed origin the caller picks.
///
/// A scene's caption is about the screen its keys lead to, so it shows once that screen
/// is up: the wizard is on the scene's `expect` step and one of the scene's keys changed
/// what is on screen (another step, the blocked screen, the phone), or every key of the
/// scene is pressed. Until then the last scene's caption stays, still true of what is
/// being left.
#[derive(Debug, Clone)]
pub struct Player {
    script: Script,
    speed: f64,
    looping: bool,
    scene: usize,
    key: usize,
    typing: VecDeque<char>,
    next_at: Duration,
    phase: Phase,
    /// The scene whose caption is up (`None`: none yet since the start).
    shown: Option<usize>,
    /// What was on screen before the scene's first key.
    before: Option<Look>,
    /// The screen's text when the last scene was held: read already, so not counted again
    /// when the next scene stays on the same step.
    read: Vec<String>,
}

impl Player {
    /// `speed` divides every wait (2.0 plays twice as fast); `looping` starts over at the end.
    pub fn new(script: Script, speed: f64, looping: bool, now: Duration) -> Player {
        let mut player = Player {
            script,
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
            looping,
            scene: 0,
            key: 0,
            typing: VecDeque::new(),
            next_at: now,
            phase: Phase::Done,
            shown: None,
            before: None,
            read: Vec::new(),
        };
        player.restart(now);
        player
    }

    pub fn script(&self) -> &Script {
        &self.script
    }

    /// From the first scene again (after a `Restart` cue, or when the kiosk was idle).
    pub fn restart(&mut self, now: Duration) {
        self.shown = None;
        self.read.clear();
        self.begin_scene(0, now);
    }

    /// A person pressed a key: from here on the screen is theirs.
    pub fn take_over(&mut self) {
        self.phase = Phase::Done;
        self.typing.clear();
    }

    /// Still pressing keys or showing captions on its own.
    pub fn playing(&self) -> bool {
        matches!(self.phase, Phase::Keys | Phase::Hold)
    }

    pub fn caption(&self) -> Option<Caption<'_>> {
        match &self.phase {
            Phase::Keys | Phase::Hold => self
                .shown
                .map(|scene| Caption::Scene(&self.script.scenes[scene].caption)),
            Phase::Done => None,
            Phase::OffScript { expected, actual } => Some(Caption::OffScript {
                expected: expected.clone(),
                actual: actual.clone(),
            }),
            Phase::NoCode => Some(Caption::NoCode),
        }
    }

    /// How long until `poll` may have something to do (`None`: never, until restarted).
    pub fn due_in(&self, now: Duration) -> Option<Duration> {
        self.playing().then(|| self.next_at.saturating_sub(now))
    }

    /// The next cue, if one is due at `now`. Call it every turn, before showing the model,
    /// and again after dispatching a `Press` (the next check reads the model it led to)
    /// until it answers `None`: each call also decides whether the scene's screen is up,
    /// and so which caption shows.
    pub fn poll(&mut self, now: Duration, model: &Model, content: &Content) -> Option<Cue> {
        if self.phase == Phase::Keys {
            self.reveal(model);
        }
        if !self.playing() || now < self.next_at {
            return None;
        }
        // A window too small to read takes no keys: wait for it rather than run off-script.
        if model.too_small() {
            self.next_at = now + self.scaled(self.script.pace);
            return None;
        }
        match self.phase {
            Phase::Keys => self.press(now, model, content),
            Phase::Hold if self.scene + 1 < self.script.scenes.len() => {
                self.begin_scene(self.scene + 1, now);
                None
            }
            Phase::Hold if self.looping => {
                self.phase = Phase::Done;
                Some(Cue::Restart)
            }
            _ => {
                self.phase = Phase::Done;
                None
            }
        }
    }

    /// Shows the scene's caption once the screen it is about is up.
    fn reveal(&mut self, model: &Model) {
        if self.shown == Some(self.scene) {
            return;
        }
        let scene = &self.script.scenes[self.scene];
        let look = Look::of(model);
        let there = scene
            .expect
            .as_ref()
            .is_none_or(|e| look.on_step && look.step.as_ref() == Some(e));
        let pressed = self.key >= scene.keys.len() && self.typing.is_empty();
        let moved = self.before.as_ref().is_some_and(|b| *b != look);
        if there && (moved || pressed) {
            self.shown = Some(self.scene);
        }
    }

    fn press(&mut self, now: Duration, model: &Model, content: &Content) -> Option<Cue> {
        let pace = self.scaled(self.script.pace);
        if let Some(c) = self.typing.pop_front() {
            self.next_at = now + pace;
            return Some(Cue::Press(Action::Edit(InputRequest::InsertChar(c))));
        }
        let scene = &self.script.scenes[self.scene];
        let Some(key) = scene.keys.get(self.key) else {
            // Every key pressed: is the wizard where the script says it should be?
            if let Some(expected) = &scene.expect {
                let actual = model.case.as_ref().map(|c| c.step.clone());
                if actual.as_ref() != Some(expected) || !matches!(model.screen, Screen::Step(_)) {
                    self.phase = Phase::OffScript {
                        expected: expected.clone(),
                        actual: actual.unwrap_or_else(|| "—".into()),
                    };
                    return None;
                }
            }
            let screen = steps::open_screen(model, content)
                .map(|blocks| screen_text(&blocks))
                .unwrap_or_default();
            let unread: Vec<&str> = screen
                .iter()
                .filter(|piece| !self.read.contains(piece))
                .map(String::as_str)
                .collect();
            let stay = stay(
                model.lang,
                scene.caption.get(model.lang),
                &unread.join("\n"),
                scene.pause,
                self.speed,
            );
            self.read = screen;
            self.shown = Some(self.scene);
            self.phase = Phase::Hold;
            self.next_at = now + stay;
            return None;
        };
        if self.key == 0 {
            self.before = Some(Look::of(model));
        }
        self.key += 1;
        self.next_at = now + pace;
        let action = match key {
            Key::Press(action) => action.clone(),
            Key::Space if model.text_focus() => Action::Edit(InputRequest::InsertChar(' ')),
            Key::Space => Action::Tick,
            Key::Code => {
                let code = match &model.screen {
                    Screen::Step(view) => view.phone.as_ref().map(|p| p.code.clone()),
                    _ => None,
                };
                let Some(code) = code else {
                    self.phase = Phase::NoCode;
                    return None;
                };
                self.typing = code.chars().collect();
                let first = self.typing.pop_front()?;
                Action::Edit(InputRequest::InsertChar(first))
            }
        };
        Some(Cue::Press(action))
    }

    fn begin_scene(&mut self, scene: usize, now: Duration) {
        self.scene = scene;
        self.key = 0;
        self.typing.clear();
        self.before = None;
        self.phase = Phase::Keys;
        // A beat before the first key, so the last caption is read before things move.
        self.next_at = now + self.scaled(self.script.pace);
    }

    fn scaled(&self, d: Duration) -> Duration {
        d.div_f64(self.speed)
    }
}

#[cfg(test)]
mod tests;
