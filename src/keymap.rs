//! Every key binding, as one table of data: which keys, where they act, the `Action` they
//! send, and the words the footer and the help overlay show for them. The key handling
//! (`app::keys`), the footer (`ui::footer`), the help overlay's key list (`ui::overlay`), the
//! names a tour script may press (`wizard::tour`) and plain mode's key-like commands
//! (`plain::answer`) are all read off [`TABLE`], so none of them can drift from another.
//!
//! Pure: keys are described by [`Key`], not by the terminal's events (`app::keys` translates
//! those). Where a row acts is a [`When`], a condition on the [`Context`] that [`context`]
//! derives from the model — the one place that looks at the screen to decide.
//!
//! Text fields: a character key (`q`, `j`, `?`, Space …) is a command only where no text
//! field has focus; in a field it is typed. Keys that edit a field (Backspace, ←, Ctrl-U …)
//! act only in one. Everything else means the same with or without a field.

use tui_input::InputRequest;

use crate::content::{Content, Lang, Text, UiStrings};
use crate::steps::{Block, Keys, Purpose, open_screen};
use crate::wizard::update::picker_matches;
use crate::wizard::worklist::archivable;
use crate::wizard::{Action, Model, Screen};

/// A key as the wizard knows it. The declaration order is the order tour scripts list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Up,
    Down,
    Left,
    Right,
    Enter,
    Esc,
    Tab,
    /// Shift-Tab.
    BackTab,
    Space,
    Backspace,
    PageUp,
    PageDown,
    /// F1 … F12.
    F(u8),
    Home,
    End,
    Delete,
    /// Backspace with Ctrl or Alt: a word back.
    WordBackspace,
    /// A character key, Shift included (`q`, `Q`, `?`), without Ctrl or Alt.
    Char(char),
    /// Ctrl and a character key (`Ctrl-C`).
    Ctrl(char),
    /// Alt and a character key: no command, never typed.
    Alt(char),
    /// Any digit typed into a field: the footer's "0-9" (never sent by a keyboard as such).
    Digit,
    /// The number keys 1 to 9 outside a field, each taking the choice of its number: the
    /// footer's "1-9" (a keyboard sends `Char('1')` …; [`sends`] reads them as this row).
    Number,
}

impl Key {
    /// The key as the footer writes it.
    pub fn label(self) -> String {
        match self {
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift-Tab".into(),
            Key::Space => "Space".into(),
            Key::Backspace => "Backspace".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::F(n) => format!("F{n}"),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Delete => "Delete".into(),
            Key::WordBackspace => "Ctrl-Backspace".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt-{c}"),
            Key::Digit => "0-9".into(),
            Key::Number => "1-9".into(),
        }
    }

    /// The key as the help overlay writes it, in `lang` (Space has a Chinese name).
    fn help_label(self, ui: &UiStrings, lang: Lang) -> String {
        match self {
            Key::Space => ui.key_space.get(lang).to_owned(),
            key => key.label(),
        }
    }

    /// The name a tour script writes for this key (`"Enter"`, `"F5"`), if a script may
    /// press it.
    pub fn script_name(self) -> Option<String> {
        Some(match self {
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "BackTab".into(),
            Key::Space => "Space".into(),
            Key::Backspace => "Backspace".into(),
            Key::PageUp => "PageUp".into(),
            Key::PageDown => "PageDown".into(),
            Key::F(n) => format!("F{n}"),
            _ => return None,
        })
    }

    /// A key that is typed into a focused field instead of acting (letters, Space).
    fn is_text(self) -> bool {
        matches!(self, Key::Char(_) | Key::Space | Key::Number)
    }

    fn is_arrow(self) -> bool {
        matches!(self, Key::Up | Key::Down | Key::Left | Key::Right)
    }
}

/// What is on screen, as far as keys care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Below the minimum size: only quitting and the language work.
    TooSmall,
    /// The help overlay is open.
    Help,
    Welcome,
    Picker,
    /// Whose case: the customer reference asked before the first step.
    Customer,
    /// A step to read: Enter goes on.
    Intro,
    /// Items to tick (navigate, consequences, followup).
    Checklist,
    /// One row to choose (status, verify's methods, review).
    Choice,
    /// The debt step's amount fields.
    Amounts,
    /// The confirmation word.
    Word,
    /// The contact note.
    Note,
    /// The demo's simulated phone, waiting for its code.
    Phone,
    /// Money is owed: the blocked screen.
    Blocked,
    Outcome,
    /// A case whose step the content no longer has: only the keys that work everywhere.
    Gone,
    /// The note field is open over a step: Enter keeps the note, Esc drops it.
    Jotting,
}

/// Where the keys are: the screen and what about it changes which keys work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub place: Place,
    /// Letters are typed, not commands.
    pub text_focus: bool,
    pub case_open: bool,
    pub demo: bool,
    /// How many rows ↑/↓ (or fields Tab) move between.
    pub rows: usize,
    /// The simulated phone takes a code (not locked out).
    pub code: bool,
    /// The simulated phone may send a new code now.
    pub resend: bool,
    /// On an end: Esc goes back to the step that led to it (the end was reached in this
    /// session; one that ended before it is a record, and Esc leaves it as it is).
    pub undo: bool,
    /// A public terminal (`--kiosk`): the staff rows (quitting, the agent panel, the
    /// receipt) are gone.
    pub kiosk: bool,
    /// The start page: the row selected is a finished case an agent may archive.
    pub archivable: bool,
    /// The start page: its search holds text (Esc clears it).
    pub searched: bool,
}

/// The context of `model`: the one function that looks at the screen for the keys.
pub fn context(model: &Model, content: &Content) -> Context {
    let (place, rows, undo) = if model.too_small() {
        (Place::TooSmall, 0, false)
    } else if model.help {
        (Place::Help, 0, false)
    } else {
        match &model.screen {
            Screen::Welcome { .. } => (Place::Welcome, 1 + model.listed_len(), false),
            Screen::Customer { .. } => (Place::Customer, 0, false),
            Screen::Picker { filter, .. } => (
                Place::Picker,
                picker_matches(content, filter.value()).len(),
                false,
            ),
            // The note field takes the keys while it is open, whatever the step is.
            Screen::Step(view) if view.note.is_some() => (Place::Jotting, 0, false),
            Screen::Step(_) => step_place(model, content),
        }
    };
    let phone = match &model.screen {
        Screen::Step(view) if place == Place::Phone => view.phone.as_ref(),
        _ => None,
    };
    Context {
        place,
        text_focus: model.text_focus(),
        case_open: model.case.is_some(),
        demo: model.demo,
        rows,
        // A payment password's lapsed lock takes digits again; it is never resent.
        code: phone.is_some_and(|p| p.takes_code(model.clock)),
        resend: phone
            .is_some_and(|p| p.resends() && model.clock.is_some_and(|now| p.resend_in(now) == 0)),
        undo,
        kiosk: model.kiosk,
        archivable: place == Place::Welcome
            && matches!(model.screen, Screen::Welcome { selected }
                if model.listed_at(selected).is_some_and(|(_, s)| archivable(s.state))),
        searched: place == Place::Welcome && !model.search.value().is_empty(),
    }
}

/// A step's place and its rows: by its kind and the view's state.
/// Where on a step: read off the screen the step's kind describes (`steps::Block`), so a
/// new kind needs nothing here. The demo phone and the blocked screen come first: they
/// take the keys while they are up.
fn step_place(model: &Model, content: &Content) -> (Place, usize, bool) {
    let Some(blocks) = open_screen(model, content) else {
        return (Place::Gone, 0, false);
    };
    let undo = blocks
        .iter()
        .any(|b| matches!(b, Block::Keys(Keys::Ended { back: true })));
    let place = |block: &Block| match block {
        Block::Phone(_) => Some((0, (Place::Phone, 0))),
        Block::Keys(Keys::Blocked) => Some((0, (Place::Blocked, 0))),
        Block::Keys(Keys::Ended { .. }) => Some((1, (Place::Outcome, 0))),
        Block::Checklist { items, escape, .. } => Some((
            1,
            (
                Place::Checklist,
                items.len() + usize::from(escape.is_some()),
            ),
        )),
        Block::Amounts(rows) => Some((1, (Place::Amounts, rows.len()))),
        // A date is typed and taken with Enter, as the word is.
        Block::Field {
            purpose: Purpose::Word | Purpose::Date,
            ..
        } => Some((1, (Place::Word, 0))),
        Block::Field {
            purpose: Purpose::Note { .. },
            ..
        } => Some((1, (Place::Note, 0))),
        Block::Choices { labels, .. } => Some((2, (Place::Choice, labels.len()))),
        _ => None,
    };
    blocks
        .iter()
        .filter_map(place)
        .min_by_key(|(rank, _)| *rank)
        .map_or((Place::Intro, 0, false), |(_, (place, rows))| {
            (place, rows, undo && place == Place::Outcome)
        })
}

/// Where a row acts (and, if it has a hint, where the footer shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Everywhere, the too-small screen included.
    Always,
    /// Everywhere but the help overlay.
    NotHelp,
    /// Every screen (not help, not too small).
    Screens,
    /// The help overlay.
    HelpOpen,
    /// A list with more than one row to move between.
    Moving,
    Checklist,
    /// Amount fields, more than one.
    Fields,
    /// The phone takes a code.
    Code,
    /// Enter chooses the row under the cursor.
    Choosing,
    /// A step's numbered choices: a number key takes the choice of its number.
    Numbered,
    /// Enter goes on from this step (or checks what it holds).
    Continuing,
    /// Enter leaves for the start page: an outcome, the blocked screen.
    Ending,
    /// The phone may send a new code.
    Resend,
    /// An outcome, where a receipt can be saved (not in demo mode).
    Receipt,
    /// Esc goes back: the product list, every step, and an end reached in this session
    /// (a mis-pressed choice is undone).
    Back,
    /// Esc on an end that was reached before this session: to the start page, as Enter
    /// (the case stays ended).
    EndBack,
    /// Any step (scrolling).
    Steps,
    /// A case is open, on a screen.
    Case,
    /// A text field has focus, on a screen.
    Typing,
    /// The note field is open.
    Noting,
    /// The start page's selected row is a finished case to archive.
    Archivable,
}

impl When {
    pub fn holds(self, cx: &Context) -> bool {
        use Place::*;
        let p = cx.place;
        let screen = !matches!(p, TooSmall | Help);
        // With the note field open, the step's own keys wait (only its Enter and Esc act).
        let step = screen && !matches!(p, Welcome | Picker | Customer | Gone | Jotting);
        match self {
            When::Always => true,
            When::NotHelp => p != Help,
            When::Screens => screen,
            When::HelpOpen => p == Help,
            When::Moving => {
                matches!(p, Welcome | Picker | Checklist | Choice | Amounts) && cx.rows > 1
            }
            When::Checklist => p == Checklist,
            When::Fields => p == Amounts && cx.rows > 1,
            When::Code => p == Phone && cx.code,
            When::Choosing => matches!(p, Welcome | Choice) || (p == Picker && cx.rows > 0),
            When::Numbered => p == Choice && cx.rows > 0,
            When::Continuing => {
                matches!(p, Intro | Checklist | Amounts | Word | Note | Customer)
                    || (p == Phone && cx.code)
            }
            When::Ending => matches!(p, Outcome | Blocked),
            When::Resend => p == Phone && cx.resend,
            When::Receipt => p == Outcome && !cx.demo,
            When::Back => {
                matches!(p, Picker | Customer)
                    || (p == Welcome && cx.searched)
                    || (step && (p != Outcome || cx.undo))
            }
            When::EndBack => p == Outcome && !cx.undo,
            When::Steps => step,
            When::Case => screen && cx.case_open,
            When::Typing => screen && cx.text_focus,
            When::Noting => p == Jotting,
            When::Archivable => p == Welcome && cx.archivable,
        }
    }
}

/// What the footer says a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Move,
    Choose,
    Continue,
    Back,
    Tick,
    NextField,
    Code,
    Resend,
    Export,
    Home,
    Close,
    Help,
    Lang,
    Quit,
    Log,
    Agent,
    Note,
    KeepNote,
    DropNote,
    Archive,
}

impl Hint {
    pub fn text(self, ui: &UiStrings) -> &Text {
        match self {
            Hint::Move => &ui.act_move,
            Hint::Choose => &ui.act_choose,
            Hint::Continue => &ui.act_continue,
            Hint::Back => &ui.act_back,
            Hint::Tick => &ui.act_tick,
            Hint::NextField => &ui.act_next_field,
            Hint::Code => &ui.act_code,
            Hint::Resend => &ui.act_resend,
            Hint::Export => &ui.act_export,
            Hint::Home => &ui.act_home,
            Hint::Close => &ui.act_close,
            Hint::Help => &ui.act_help,
            Hint::Lang => &ui.act_lang,
            Hint::Quit => &ui.act_quit,
            Hint::Log => &ui.act_log,
            Hint::Agent => &ui.act_agent,
            Hint::Note => &ui.act_note,
            Hint::KeepNote => &ui.act_keep_note,
            Hint::DropNote => &ui.act_drop_note,
            Hint::Archive => &ui.act_archive,
        }
    }
}

/// A line of the help overlay. Declared in the order the overlay lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLine {
    Move,
    Enter,
    Number,
    Back,
    Tick,
    NextField,
    Scroll,
    Export,
    Help,
    Lang,
    Log,
    Agent,
    Resend,
    Note,
    Archive,
    Home,
    Quit,
}

impl HelpLine {
    pub const ALL: [HelpLine; 17] = [
        HelpLine::Move,
        HelpLine::Enter,
        HelpLine::Number,
        HelpLine::Back,
        HelpLine::Tick,
        HelpLine::NextField,
        HelpLine::Scroll,
        HelpLine::Export,
        HelpLine::Help,
        HelpLine::Lang,
        HelpLine::Log,
        HelpLine::Agent,
        HelpLine::Resend,
        HelpLine::Note,
        HelpLine::Archive,
        HelpLine::Home,
        HelpLine::Quit,
    ];

    pub fn text(self, ui: &UiStrings) -> &Text {
        match self {
            HelpLine::Move => &ui.help_move,
            HelpLine::Enter => &ui.help_enter,
            HelpLine::Number => &ui.help_number,
            HelpLine::Back => &ui.help_back,
            HelpLine::Tick => &ui.help_tick,
            HelpLine::NextField => &ui.help_next_field,
            HelpLine::Scroll => &ui.help_scroll,
            HelpLine::Export => &ui.help_export,
            HelpLine::Help => &ui.help_help,
            HelpLine::Lang => &ui.help_lang,
            HelpLine::Log => &ui.help_log,
            HelpLine::Agent => &ui.help_agent,
            HelpLine::Note => &ui.help_note,
            HelpLine::Resend => &ui.help_resend,
            HelpLine::Archive => &ui.help_archive,
            HelpLine::Home => &ui.help_home,
            HelpLine::Quit => &ui.help_quit,
        }
    }
}

/// One binding: these keys send this action; where, and what is said about it.
#[derive(Debug)]
pub struct Row {
    /// In the order the help overlay names them; the footer shows the shortest that works.
    pub keys: &'static [Key],
    pub when: When,
    pub action: Action,
    /// What the footer says, where `when` holds; `None`: not in the footer.
    pub hint: Option<Hint>,
    pub help: Option<HelpLine>,
    /// Plain mode's words for the same thing (`?`, `help`, `帮助` …), lower case.
    pub words: &'static [&'static str],
    /// For staff only: on a public terminal (`--kiosk`) the row neither acts nor is shown.
    pub staff: bool,
    /// Whether the row's keys can act in a demo, outside one, or in both (`when` says so
    /// too, screen by screen); the help names a row only where it can act.
    pub demo: InDemo,
}

/// Where a row can act at all: the demo phone's keys only in a demo, a receipt only
/// outside one (a demo keeps nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InDemo {
    Either,
    Only,
    Never,
}

impl Row {
    /// Whether `key` of this row sends its action with or without a focused text field.
    fn live(&self, key: Key, text_focus: bool) -> bool {
        let edits = matches!(self.action, Action::Edit(_));
        if edits {
            text_focus
        } else {
            !(text_focus && key.is_text())
        }
    }

    /// Whether the row exists for this audience: a staff row is gone on a kiosk.
    pub fn offered(&self, kiosk: bool) -> bool {
        !(self.staff && kiosk)
    }

    /// Whether the help names the row in a session that is (or is not) a demo.
    fn shown(&self, kiosk: bool, demo: bool) -> bool {
        self.offered(kiosk)
            && match self.demo {
                InDemo::Either => true,
                InDemo::Only => demo,
                InDemo::Never => !demo,
            }
    }

    /// The keys of this row that work with (or without) a focused field.
    pub fn live_keys(&self, text_focus: bool) -> impl Iterator<Item = Key> + '_ {
        self.keys
            .iter()
            .copied()
            .filter(move |k| self.live(*k, text_focus))
    }
}

const fn row(keys: &'static [Key], when: When, action: Action) -> Row {
    Row {
        keys,
        when,
        action,
        hint: None,
        help: None,
        words: &[],
        staff: false,
        demo: InDemo::Either,
    }
}

impl Row {
    const fn hint(mut self, hint: Hint) -> Row {
        self.hint = Some(hint);
        self
    }

    const fn help(mut self, line: HelpLine) -> Row {
        self.help = Some(line);
        self
    }

    const fn words(mut self, words: &'static [&'static str]) -> Row {
        self.words = words;
        self
    }

    const fn staff(mut self) -> Row {
        self.staff = true;
        self
    }

    const fn demo(mut self, demo: InDemo) -> Row {
        self.demo = demo;
        self
    }
}

const fn edit(keys: &'static [Key], request: InputRequest) -> Row {
    row(keys, When::Typing, Action::Edit(request))
}

use Key::Tab;
use Key::{BackTab, Char, Ctrl, Delete, Digit, End, Enter, Esc, Home, Number, PageDown, PageUp};
use Key::{Backspace, Down, F, Left, Right, Space, Up, WordBackspace};

const HELP_KEYS: &[Key] = &[Char('?'), F(1)];
const QUIT_KEYS: &[Key] = &[Ctrl('c'), Char('q')];

/// Every binding. The footer lists the rows that act on the screen, in this order.
#[rustfmt::skip]
pub static TABLE: &[Row] = &[
    row(&[Up, Char('k')],   When::Moving,     Action::Up)        .hint(Hint::Move)     .help(HelpLine::Move),
    row(&[Down, Char('j')], When::Moving,     Action::Down)      .hint(Hint::Move)     .help(HelpLine::Move),
    row(&[Space],           When::Checklist,  Action::Tick)      .hint(Hint::Tick)     .help(HelpLine::Tick),
    row(&[Tab],             When::Fields,     Action::NextField) .hint(Hint::NextField).help(HelpLine::NextField),
    row(&[BackTab],         When::Fields,     Action::PrevField),
    // Typing the code: any digit (this row stands for them in the footer).
    row(&[Digit],           When::Code,       Action::Edit(InputRequest::InsertChar('0'))).hint(Hint::Code),
    row(&[Enter],           When::Choosing,   Action::Enter)     .hint(Hint::Choose)   .help(HelpLine::Enter),
    // The numbers the choices show: 1 takes the first and goes on (the row stands for 1–9).
    row(&[Number],          When::Numbered,   Action::Pick(1))   .hint(Hint::Choose)   .help(HelpLine::Number),
    row(&[Enter],           When::Continuing, Action::Enter)     .hint(Hint::Continue) .help(HelpLine::Enter),
    row(&[Enter],           When::Ending,     Action::Enter)     .hint(Hint::Home)     .help(HelpLine::Enter),
    // The note field's own two keys: keep it, or drop it.
    row(&[Enter],           When::Noting,     Action::Enter)      .hint(Hint::KeepNote).help(HelpLine::Enter),
    row(&[Esc],             When::Noting,     Action::Back)       .hint(Hint::DropNote).help(HelpLine::Back),
    row(&[F(5)],            When::Resend,     Action::Resend)    .hint(Hint::Resend)   .help(HelpLine::Resend)
        .words(&["resend", "重发"]).demo(InDemo::Only),
    // Staff's: a visitor cannot take a file from the data dir, and its notice names a path.
    row(&[Char('e')],       When::Receipt,    Action::Export)    .hint(Hint::Export)   .help(HelpLine::Export)
        .words(&["e", "export", "回执"]).staff().demo(InDemo::Never),
    // On the worklist: a finished case leaves it (pressed twice; the first press asks).
    row(&[F(8)],            When::Archivable, Action::Archive)   .hint(Hint::Archive)  .help(HelpLine::Archive)
        .words(&["archive", "归档"]).staff(),
    row(&[Esc],             When::Back,       Action::Back)      .hint(Hint::Back)     .help(HelpLine::Back)
        .words(&["b", "back", "返回"]),
    row(&[Esc],             When::EndBack,    Action::Back)      .hint(Hint::Home)     .help(HelpLine::Back),
    row(&[Esc],             When::HelpOpen,   Action::Back)      .hint(Hint::Close)    .help(HelpLine::Back),
    row(HELP_KEYS,          When::HelpOpen,   Action::Help)      .hint(Hint::Close)    .help(HelpLine::Help),
    row(HELP_KEYS,          When::Screens,    Action::Help)      .hint(Hint::Help)     .help(HelpLine::Help)
        .words(&["?", "h", "help", "帮助"]),
    row(&[F(2)],            When::Always,     Action::SwitchLang).hint(Hint::Lang)     .help(HelpLine::Lang)
        .words(&["lang", "language", "语言", "english", "中文"]),
    // Out of a case to the start page, saved: a desk's next customer, no restart.
    row(&[F(10)],           When::Case,       Action::Home)                            .help(HelpLine::Home)
        .words(&["home", "首页"]),
    row(QUIT_KEYS,          When::NotHelp,    Action::Quit)      .hint(Hint::Quit)     .help(HelpLine::Quit)
        .words(&["q", "quit", "exit", "退出"]).staff(),
    // Quitting works under the help overlay too; its footer is only about closing it.
    row(QUIT_KEYS,          When::HelpOpen,   Action::Quit).staff(),
    row(&[F(3), Char('l')], When::Case,       Action::ToggleLog)  .hint(Hint::Log)     .help(HelpLine::Log)
        .words(&["log", "记录"]),
    row(&[F(4), Char('a')], When::Case,       Action::ToggleAgent).hint(Hint::Agent)   .help(HelpLine::Agent)
        .words(&["agent", "坐席"]).staff(),
    // A note on any step, for the log: an F-key, so it works in a text field too.
    row(&[F(6)],            When::Steps,      Action::Note)       .hint(Hint::Note)    .help(HelpLine::Note)
        .words(&["note", "备注"]).staff(),
    row(&[PageUp],          When::Steps,      Action::PageUp)                          .help(HelpLine::Scroll),
    row(&[PageDown],        When::Steps,      Action::PageDown)                        .help(HelpLine::Scroll),
    // Editing the focused field (typing itself is any other character key, see `sends`).
    edit(&[Backspace],                 InputRequest::DeletePrevChar),
    edit(&[WordBackspace, Ctrl('w')],  InputRequest::DeletePrevWord),
    edit(&[Delete],                    InputRequest::DeleteNextChar),
    edit(&[Left],                      InputRequest::GoToPrevChar),
    edit(&[Right],                     InputRequest::GoToNextChar),
    edit(&[Home, Ctrl('a')],           InputRequest::GoToStart),
    edit(&[End, Ctrl('e')],            InputRequest::GoToEnd),
    edit(&[Ctrl('u')],                 InputRequest::DeleteLine),
];

/// What `key` sends, with or without a focused text field, at a staffed terminal.
pub fn sends(key: Key, text_focus: bool) -> Option<Action> {
    sends_in(key, text_focus, false)
}

/// What `key` sends, with or without a focused text field, on a kiosk or not. Where it acts
/// is `update`'s business: a key means the same on every screen (only a field changes what
/// letters do). On a kiosk a staff row's keys send nothing (`q` and Ctrl-C do not quit).
pub fn sends_in(key: Key, text_focus: bool, kiosk: bool) -> Option<Action> {
    // A number key outside a field is the numbers' row, with its own number.
    if let Key::Char(c @ '1'..='9') = key
        && !text_focus
        && TABLE.iter().any(|r| r.keys.contains(&Key::Number))
    {
        return Some(Action::Pick(usize::from(c as u8 - b'0')));
    }
    if let Some(row) = TABLE
        .iter()
        .find(|r| r.keys.contains(&key) && r.offered(kiosk) && r.live(key, text_focus))
    {
        return Some(row.action.clone());
    }
    // In a field, every other character is typed.
    match key {
        Key::Char(c) if text_focus && !c.is_control() => {
            Some(Action::Edit(InputRequest::InsertChar(c)))
        }
        Key::Space if text_focus => Some(Action::Edit(InputRequest::InsertChar(' '))),
        _ => None,
    }
}

/// While a tour plays by itself, the keys that act without taking it over: quitting (so
/// staff can stop the screen) and the language (the tour goes on in the other one). Any
/// other key is a person taking over. No text is the person's yet, so `q` quits (not on a
/// kiosk, where it is a person's key like any other).
pub fn tour_key(key: Key, kiosk: bool) -> Option<Action> {
    sends_in(key, false, kiosk).filter(|a| matches!(a, Action::Quit | Action::SwitchLang))
}

/// One entry of the footer: the keys, what they do, and the rows behind it.
#[derive(Debug)]
pub struct Entry {
    pub keys: Vec<Key>,
    pub hint: Hint,
    pub rows: Vec<&'static Row>,
}

impl Entry {
    /// The keys as the footer writes them: `Enter`, `Esc ?`, and arrows together (`↑↓`).
    pub fn label(&self) -> String {
        let mut label = String::new();
        for (i, key) in self.keys.iter().enumerate() {
            let together = i > 0 && key.is_arrow() && self.keys[i - 1].is_arrow();
            if i > 0 && !together {
                label.push(' ');
            }
            label.push_str(&key.label());
        }
        label
    }
}

/// The footer: every row that acts here and has a hint, in table order; neighbours with
/// the same hint are one entry (↑ and ↓ are "↑↓ move").
pub fn footer(cx: &Context) -> Vec<Entry> {
    footer_of(TABLE, cx)
}

pub fn footer_of(table: &'static [Row], cx: &Context) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for row in table
        .iter()
        .filter(|r| r.when.holds(cx) && r.offered(cx.kiosk))
    {
        let Some(hint) = row.hint else { continue };
        // The shortest key that works here: `q` rather than Ctrl-C outside a field.
        let Some(key) = row
            .live_keys(cx.text_focus)
            .min_by_key(|k| k.label().chars().count())
        else {
            continue;
        };
        match entries.last_mut() {
            Some(last) if last.hint == hint => {
                if !last.keys.contains(&key) {
                    last.keys.push(key);
                }
                last.rows.push(row);
            }
            _ => entries.push(Entry {
                keys: vec![key],
                hint,
                rows: vec![row],
            }),
        }
    }
    entries
}

/// The help overlay's key list: one line per [`HelpLine`], its keys (`↑/↓ or k/j`) in a
/// column, then what they do. On a kiosk the staff rows' lines are not there, and a row
/// that cannot act in this session (the demo phone outside a demo) is not either.
pub fn help_lines(ui: &UiStrings, lang: Lang, kiosk: bool, demo: bool) -> Vec<String> {
    help_rows(ui, lang, kiosk, demo)
        .into_iter()
        .map(|(keys, text)| format!("{keys}{text}"))
        .collect()
}

/// `help_lines` in two parts: the keys padded to one column, and what they do, so that a
/// line too long for the screen goes on under what it does, not under the keys.
pub fn help_rows(ui: &UiStrings, lang: Lang, kiosk: bool, demo: bool) -> Vec<(String, &str)> {
    let labelled: Vec<(String, &str)> = HelpLine::ALL
        .iter()
        .filter_map(|line| {
            let rows: Vec<&Row> = TABLE
                .iter()
                .filter(|r| r.help == Some(*line) && r.shown(kiosk, demo))
                .collect();
            (!rows.is_empty()).then(|| (help_label(&rows, ui, lang), line.text(ui).get(lang)))
        })
        .collect();
    let width = labelled
        .iter()
        .map(|(label, _)| unicode_width::UnicodeWidthStr::width(label.as_str()))
        .max()
        .unwrap_or(0);
    labelled
        .into_iter()
        .map(|(label, text)| {
            let pad = width + 2 - unicode_width::UnicodeWidthStr::width(label.as_str());
            (format!("{label}{}", " ".repeat(pad)), text)
        })
        .collect()
}

/// The keys of `rows` for the help overlay: the rows' first keys, then their second keys …,
/// each group joined by `/`, groups by "or" (`↑/↓ or k/j`, `? or F1`).
fn help_label(rows: &[&Row], ui: &UiStrings, lang: Lang) -> String {
    let longest = rows.iter().map(|r| r.keys.len()).max().unwrap_or(0);
    let groups: Vec<String> = (0..longest)
        .map(|i| {
            let mut names: Vec<String> = Vec::new();
            for key in rows.iter().filter_map(|r| r.keys.get(i)) {
                let name = key.help_label(ui, lang);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            names.join("/")
        })
        .collect();
    groups.join(&format!(" {} ", ui.help_or.get(lang)))
}

/// The names a tour script may write, in `Key` order.
pub fn script_names() -> Vec<String> {
    let mut keys: Vec<Key> = TABLE
        .iter()
        .flat_map(|r| r.keys.iter().copied())
        .filter(|k| k.script_name().is_some())
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter_map(Key::script_name).collect()
}

/// The key a tour script names (`"Enter"`, `"F5"`), if it is one of [`script_names`].
pub fn script_key(name: &str) -> Option<Key> {
    TABLE
        .iter()
        .flat_map(|r| r.keys.iter().copied())
        .find(|k| k.script_name().as_deref() == Some(name))
}

/// The action plain mode's word stands for (`q`, `help`, `返回` …), lower case.
pub fn plain_command(word: &str) -> Option<&'static Action> {
    TABLE
        .iter()
        .find(|r| r.words.contains(&word))
        .map(|r| &r.action)
}

#[cfg(test)]
mod tests;
