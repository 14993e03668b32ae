//! Step kinds: one module per kind. Each holds what a kind is and does — its typed content
//! (read from the flat file table once it is validated), the fields it takes and its checks
//! beyond the flow graph, its ways out, the state its screen starts with, what it does with
//! an action, the answer it records, and what entering it does. `wizard::update` moves
//! between steps and asks the kind of the step on screen; adding a kind is a module here,
//! a variant of [`StepBody`] and a line in [`each_kind!`] (ARCHITECTURE.md has the list).

pub mod checklist;
pub mod confirm;
pub mod contact;
pub mod debt;
pub mod intro;
pub mod outcome;
pub mod review;
pub mod sent;
pub mod status;
pub mod verify;
pub mod wait;

use std::ops::Range;

use toml::Spanned;

use crate::calendar::HolidayCalendar;
use crate::content::schema::{StepFile, StepKind};
use crate::content::{Content, ExitVia, Lang, Product, Text, UiStrings};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, CaseState, Event, Time};
use crate::wizard::model::{Model, Phone, Screen, StepView};

/// A validated step: what every kind has, and its kind's own content.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    /// The word the file used (`navigate`, `followup` … share one module).
    pub kind: StepKind,
    pub title: Text,
    pub body: Option<Text>,
    /// For the help-desk agent beside the customer; the customer's screen never shows it.
    pub agent: Option<Text>,
    pub spec: StepBody,
    /// Each way out and the step it names (`None`: the following step in the file).
    exits: Vec<(ExitVia, Option<String>)>,
}

/// Each kind's own content, typed.
#[derive(Debug, Clone)]
pub enum StepBody {
    Intro(intro::Intro),
    Checklist(checklist::Checklist),
    Status(status::Status),
    Debt(debt::Debt),
    Verify(verify::Verify),
    Confirm(confirm::Confirm),
    Contact(contact::Contact),
    Review(review::Review),
    Outcome(outcome::Outcome),
    Wait(wait::Wait),
    Sent(sent::Sent),
}

/// Runs `$e` with `$b` bound to the kind's content, whichever kind it is: the one list of
/// kinds every call below goes through.
macro_rules! each_kind {
    ($body:expr, $b:ident => $e:expr) => {
        match $body {
            StepBody::Intro($b) => $e,
            StepBody::Checklist($b) => $e,
            StepBody::Status($b) => $e,
            StepBody::Debt($b) => $e,
            StepBody::Verify($b) => $e,
            StepBody::Confirm($b) => $e,
            StepBody::Contact($b) => $e,
            StepBody::Review($b) => $e,
            StepBody::Outcome($b) => $e,
            StepBody::Wait($b) => $e,
            StepBody::Sent($b) => $e,
        }
    };
}

/// What a kind is and does. Every method but `read` has a default for kinds that need none.
pub trait Kind: Sized {
    /// The fields this kind's file table must set (beyond `id`, `kind`, `title`), and may.
    fn fields(kind: StepKind) -> Fields;
    /// The kind's content from a table the validator accepted.
    fn read(file: &StepFile) -> Self;
    /// Checks beyond presence of fields and the flow graph (empty lists, duplicates …).
    fn check(_file: &StepFile, _report: &mut Report) {}
    /// Every way out of a step of this kind, as the file names them.
    fn exits(file: &StepFile) -> Vec<Exit<'_>> {
        vec![Exit::next(file)]
    }
    /// The state its screen starts with, from the case's answers.
    fn view(&self, _step: &Step, _case: &Case, _demo: bool) -> StepView {
        StepView::default()
    }
    /// What it does with an action.
    fn handle(&self, cx: &mut Cx, action: Action) -> Flow;
    /// The answer the step holds once done (or partly done).
    fn answer(&self, _step: &Step, _view: &StepView, _demo: bool) -> Option<AnswerValue> {
        None
    }
    /// What entering a step of this kind does to the case (a submission, an end). By
    /// default: a case that was in review is open again.
    fn enter(&self, cx: &mut EnterCx) {
        if cx.case.state == CaseState::InReview {
            cx.case.state = CaseState::InProgress;
        }
    }
    /// Its screen as neutral blocks, for every front end to lay out.
    fn screen(&self, cx: &ScreenCx) -> Vec<Block>;
    /// The part a step of this kind (as the file names it) plays in the safety rule.
    fn safety(_kind: StepKind) -> Safety {
        Safety::Free
    }
    /// The case's state when it is taken back to a step of this kind.
    fn state_on_return(&self) -> CaseState {
        CaseState::InProgress
    }
}

/// The part a kind plays in the safety rule (ARCHITECTURE.md, invariant 2): nothing is
/// confirmed, submitted or checked as closed before the debt is zero and the person's
/// identity was checked, and nothing is awaited, checked or ended as closed before the
/// person confirmed (or an agent was asked to close it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// May be reached at any time.
    Free,
    /// The debt check: passed when left by its normal exit (every amount zero).
    DebtCheck,
    /// The identity check: passed when left by its normal exit (a method recorded).
    IdentityCheck,
    /// The deliberate act that asks for the closure: only after both checks, and passed when
    /// left by its normal exit. `confirm` (the person confirms), `contact` (an agent is asked
    /// to close it), and a request already made outside the wizard play it.
    Confirmation,
    /// Only after both checks and a confirmation (review, followup): they come after a
    /// submission, so a path that skips the act cannot reach them.
    Guarded,
}

impl Safety {
    /// Whether a step playing this part needs the debt and the identity checks behind it.
    pub fn needs_checks(self) -> bool {
        matches!(self, Safety::Confirmation | Safety::Guarded)
    }
}

/// The fields a kind's table must set and may set, by their TOML names.
pub struct Fields {
    pub required: &'static [&'static str],
    pub allowed: &'static [&'static str],
}

/// Where a kind's checks report: `error(span, message)` becomes `path:line:col: error: …`.
pub struct Report<'a> {
    pub error: &'a mut dyn FnMut(Range<usize>, String),
}

impl Report<'_> {
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        (self.error)(span, message.into())
    }
}

/// One way out of a step; `target: None` means the following step in the file.
#[derive(Debug, Clone, Copy)]
pub struct Exit<'a> {
    pub via: ExitVia,
    pub target: Option<&'a Spanned<String>>,
    /// The file must name where it leads: an answer the person chooses (a status option,
    /// a review's result) never falls through to whatever step happens to follow.
    pub named: bool,
}

impl<'a> Exit<'a> {
    /// Completed normally: `next`, or the following step.
    pub fn next(file: &'a StepFile) -> Exit<'a> {
        Exit {
            via: ExitVia::Next,
            target: file.next.as_ref(),
            named: false,
        }
    }

    /// One of the answers a person chooses between: its target must be named.
    pub fn choice(via: ExitVia, target: Option<&'a Spanned<String>>) -> Exit<'a> {
        Exit {
            via,
            target,
            named: true,
        }
    }

    /// Another way out, where the file names one.
    pub fn branch(via: ExitVia, target: &'a Option<Spanned<String>>) -> Option<Exit<'a>> {
        target.as_ref().map(|t| Exit {
            via,
            target: Some(t),
            named: true,
        })
    }
}

/// What every step handler works on.
pub struct Cx<'a> {
    pub case: &'a mut Case,
    pub step: &'a Step,
    pub view: &'a mut StepView,
    pub now: Time,
    pub demo: bool,
}

/// What entering a step works on.
pub struct EnterCx<'a> {
    pub case: &'a mut Case,
    pub step: &'a Step,
    pub content: &'a Content,
    pub product: &'a Product,
    pub now: Time,
}

/// What a step's screen is made of, whatever draws it: the full screen styles, wraps and
/// scrolls these; plain mode prints them as lines and asks for what they ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph (it may hold line breaks), in a tone.
    Text(String, Tone),
    /// Space between parts. The full screen draws a blank line; plain mode none.
    Gap,
    /// The product and who provides it: "name — provider" on screen, a sentence in plain.
    About { name: String, provider: String },
    /// Points of a list: bulleted on screen, bare lines in plain mode.
    Bullets(Vec<String>),
    /// A line set in under what comes before (words to say, a message on the phone).
    Indented(String, Tone),
    /// Numbered choices, one of them selected; Enter takes it.
    Choices { labels: Vec<String>, cursor: usize },
    /// Items to tick (text, ticked), the selected row, and the row under them that leaves
    /// another way. `reading`: ticking means "I have read it".
    Checklist {
        items: Vec<(String, bool)>,
        cursor: usize,
        escape: Option<String>,
        reading: bool,
    },
    /// An amount field per row, in the view's inputs, the cursor's row selected.
    Amounts(Vec<AmountRow>),
    /// The one text field (the view's first input).
    Field { label: String, purpose: Purpose },
    /// The demo's simulated phone, as it stands (each front end words it).
    Phone(Phone),
    /// Why Enter did not go on: in red on screen, an alert in plain mode.
    Problem(String),
    /// What to press here, worded by each front end for its own keys ("Enter: start
    /// page · Esc: change the amounts" on screen, "press Enter …, or type b …" in plain).
    Keys(Keys),
    /// The state the case ended in, as a mark at the top: the full screen only (plain
    /// mode's heading already says it).
    Badge(String, Tone),
}

/// What a screen's keys do, for each front end to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// The blocked debt screen: on to the start page, or back to the amounts.
    Blocked,
    /// An end: on to the start page (a receipt may be saved, except in the demo); `back`:
    /// Esc goes back to the step that led here (the end was reached in this session).
    Ended { back: bool },
    /// Type the confirmation word and press Enter.
    TypeWord,
    /// Once the provider has been contacted, Enter (a note is optional).
    Contacted,
}

/// How a text stands out; the theme gives each its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Title,
    Dim,
    /// Stands out: a warning, the code on the phone, what to do now.
    Key,
    Error,
    Ok,
    Demo,
}

/// One amount field: its label, and what is said under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountRow {
    pub label: String,
    pub hint: Option<String>,
    /// The amount of the last check, in fen, when the case waits for repayment.
    pub last: Option<i64>,
    /// Why the typed amount was refused.
    pub error: Option<String>,
}

/// What the one text field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The confirmation word.
    Word,
    /// An optional note (a ticket number).
    Note { shown: bool },
    /// A day, written year-month-day (the day a request was sent).
    Date,
    /// Why an end came to this (optional; Enter on nothing skips it). `shown`: typed into
    /// (or refused), so the screen scrolls to it; until then the end is read from its top.
    Reason { shown: bool },
}

/// What a step's screen is described from.
pub struct ScreenCx<'a> {
    pub ui: &'a UiStrings,
    pub lang: Lang,
    pub demo: bool,
    /// A public terminal: the screen names no case id and no staff command.
    pub kiosk: bool,
    pub product: &'a Product,
    pub case: &'a Case,
    pub step: &'a Step,
    pub view: &'a StepView,
    /// The business days a date on screen is counted in.
    pub calendar: &'a HolidayCalendar,
    /// The time of the last action (`Model::clock`), for what a screen says about today: a
    /// review past its expected date. `None` before any action.
    pub now: Option<Time>,
}

/// What a step's handler decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Stay,
    /// Stay, but something worth saving changed (a tick, a block).
    Save,
    /// The step is done; leave it this way.
    Leave(ExitVia),
    /// Back to the start page, case saved.
    Home,
    Export,
}

/// Calls `$f` of the module that reads tables of `kind`.
macro_rules! by_word {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            StepKind::Intro => intro::Intro::$f($($arg),*),
            StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                checklist::Checklist::$f($($arg),*)
            }
            StepKind::Status => status::Status::$f($($arg),*),
            StepKind::Debt => debt::Debt::$f($($arg),*),
            StepKind::Verify => verify::Verify::$f($($arg),*),
            StepKind::Confirm => confirm::Confirm::$f($($arg),*),
            StepKind::Contact => contact::Contact::$f($($arg),*),
            StepKind::Review => review::Review::$f($($arg),*),
            StepKind::Outcome => outcome::Outcome::$f($($arg),*),
            StepKind::Wait => wait::Wait::$f($($arg),*),
            StepKind::Sent => sent::Sent::$f($($arg),*),
        }
    };
}

/// The fields a kind's table must and may set.
pub fn fields(kind: StepKind) -> Fields {
    by_word!(kind, fields(kind))
}

/// The part a step of `kind` plays in the safety rule.
pub fn safety(kind: StepKind) -> Safety {
    by_word!(kind, safety(kind))
}

/// Every way out of a step as its file table names them (the graph the validator checks).
pub fn file_exits(file: &StepFile) -> Vec<Exit<'_>> {
    by_word!(file.kind(), exits(file))
}

/// The kind's own checks on a table.
pub fn check(file: &StepFile, report: &mut Report) {
    by_word!(file.kind(), check(file, report))
}

fn read(file: &StepFile) -> StepBody {
    match file.kind() {
        StepKind::Intro => StepBody::Intro(Kind::read(file)),
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            StepBody::Checklist(Kind::read(file))
        }
        StepKind::Status => StepBody::Status(Kind::read(file)),
        StepKind::Debt => StepBody::Debt(Kind::read(file)),
        StepKind::Verify => StepBody::Verify(Kind::read(file)),
        StepKind::Confirm => StepBody::Confirm(Kind::read(file)),
        StepKind::Contact => StepBody::Contact(Kind::read(file)),
        StepKind::Review => StepBody::Review(Kind::read(file)),
        StepKind::Outcome => StepBody::Outcome(Kind::read(file)),
        StepKind::Wait => StepBody::Wait(Kind::read(file)),
        StepKind::Sent => StepBody::Sent(Kind::read(file)),
    }
}

impl Step {
    /// The typed step of a table the validator accepted.
    pub fn from_file(file: &StepFile) -> Step {
        let exits = file_exits(file)
            .into_iter()
            .map(|e| (e.via, e.target.map(|t| t.get_ref().clone())))
            .collect();
        Step {
            id: file.id.get_ref().clone(),
            kind: file.kind(),
            title: file.title.clone(),
            body: file.body.clone(),
            agent: file.agent.clone(),
            spec: read(file),
            exits,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn kind(&self) -> StepKind {
        self.kind
    }

    /// Every way out, with the step it names (`None`: the following one).
    pub fn exits(&self) -> impl Iterator<Item = (ExitVia, Option<&str>)> {
        self.exits.iter().map(|(via, to)| (*via, to.as_deref()))
    }

    pub fn view(&self, case: &Case, demo: bool) -> StepView {
        each_kind!(&self.spec, b => b.view(self, case, demo))
    }

    pub fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        each_kind!(&self.spec, b => b.handle(cx, action))
    }

    pub fn answer(&self, view: &StepView, demo: bool) -> Option<AnswerValue> {
        each_kind!(&self.spec, b => b.answer(self, view, demo))
    }

    pub fn enter(&self, cx: &mut EnterCx) {
        each_kind!(&self.spec, b => b.enter(cx))
    }

    pub fn state_on_return(&self) -> CaseState {
        each_kind!(&self.spec, b => b.state_on_return())
    }

    /// The screen, as blocks.
    pub fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        each_kind!(&self.spec, b => b.screen(cx))
    }
}

/// What a step's event in a case's log says, in words: each kind words its own events.
/// `product` is the content the case is read with (it may no longer have the step, or be
/// gone: the words then do without it). `None` for the case's own events (started,
/// entered, resumed …), which `report` words.
pub fn log_line(
    event: &Event,
    ui: &UiStrings,
    lang: Lang,
    product: Option<&Product>,
) -> Option<String> {
    let step = |id: &str| product.and_then(|p| p.step(id));
    Some(match event {
        Event::Ticked { .. }
        | Event::CantFind { .. }
        | Event::Acknowledged { .. }
        | Event::FollowupOk { .. }
        | Event::FollowupOpen { .. } => checklist::log_line(event, ui, lang, step)?,
        Event::Status { step: id, option } => status::log_line(*option, step(id), ui, lang),
        Event::Amounts { total_cents, .. } => debt::log_line(*total_cents, false, ui, lang),
        Event::Blocked { total_cents, .. } => debt::log_line(*total_cents, true, ui, lang),
        Event::Verified {
            method, simulated, ..
        } => verify::log_line(*method, *simulated, ui, lang),
        Event::Confirmed { .. } => ui.ev_confirmed.get(lang).to_owned(),
        Event::Contacted { reference, .. } => contact::log_line(reference.as_deref(), ui, lang),
        Event::Submitted { .. } | Event::ReviewResult { .. } => review::log_line(event, ui, lang)?,
        Event::Waiting { step: id, pending } => {
            let what = step(id).and_then(Step::wait).map(|w| w.waiting_for);
            wait::log_line(ui, lang, *pending, what)
        }
        Event::Sent { date, .. } => sent::log_line(*date, ui, lang),
        Event::Outcome { .. }
        | Event::Started
        | Event::Entered { .. }
        | Event::Back { .. }
        | Event::Resumed
        | Event::Quit
        | Event::Language { .. }
        | Event::ContentChanged { .. }
        | Event::Note { .. }
        | Event::Reason { .. } => return None,
        Event::Customer { .. } | Event::Archived => return None,
    })
}

/// The screen of the step open in `model`, as its kind describes it; `None` off a step
/// (or when the content no longer has it).
pub fn open_screen(model: &Model, content: &Content) -> Option<Vec<Block>> {
    let Screen::Step(view) = &model.screen else {
        return None;
    };
    let case = model.case.as_ref()?;
    let product = content.product(&case.product)?;
    let step = product.step(&case.step)?;
    Some(step.screen(&ScreenCx {
        // The product's own words for the act (关闭 or 注销).
        ui: content.ui_for(&case.product),
        lang: model.lang,
        demo: model.demo,
        kiosk: model.kiosk,
        product,
        case,
        step,
        view,
        calendar: &content.calendar,
        now: model.clock,
    }))
}

/// What the agent panel says at the step open in `model`: the step's `agent` text, or on a
/// review past its expected date the words for that day (`review::overdue_agent_text`);
/// `None` off a step, or where the step has no words for the agent.
pub fn agent_notes(model: &Model, content: &Content) -> Option<String> {
    let case = model.case.as_ref()?;
    let product = content.product(&case.product)?;
    let step = product.step(&case.step)?;
    let ui = content.ui_for(&case.product);
    if step.kind() == StepKind::Review
        && let Some(now) = model.clock
        && let Some(text) = review::overdue_agent_text(
            case,
            step.id(),
            product,
            ui,
            model.lang,
            &content.calendar,
            now,
        )
    {
        return Some(text);
    }
    step.agent.as_ref().map(|t| t.get(model.lang).to_owned())
}

/// The step's own text, if it has one, followed by a gap.
pub(crate) fn body_text(cx: &ScreenCx, blocks: &mut Vec<Block>) {
    if let Some(body) = &cx.step.body {
        blocks.push(Block::Text(body.get(cx.lang).to_owned(), Tone::Plain));
        blocks.push(Block::Gap);
    }
}

/// A list of choices: Up and Down move over them, Enter picks the one under the cursor.
pub(crate) fn choose<'c, T>(
    view: &mut StepView,
    action: &Action,
    choices: &'c [T],
) -> Option<&'c T> {
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, action, choices.len());
            None
        }
        Action::Enter => choices.get(view.cursor),
        _ => None,
    }
}

/// Up and Down (and Tab) move the cursor over `rows` rows.
pub(crate) fn move_cursor(view: &mut StepView, action: &Action, rows: usize) {
    match action {
        Action::Up | Action::PrevField => view.cursor = view.cursor.saturating_sub(1),
        Action::Down | Action::NextField => {
            view.cursor = (view.cursor + 1).min(rows.saturating_sub(1))
        }
        _ => {}
    }
}

/// `step.debt()` and the like: the kind's content when the step is of that kind.
macro_rules! as_kind {
    ($($name:ident: $variant:ident($ty:ty)),* $(,)?) => {
        impl Step {
            $(
                pub fn $name(&self) -> Option<&$ty> {
                    match &self.spec {
                        StepBody::$variant(b) => Some(b),
                        _ => None,
                    }
                }
            )*
        }
    };
}

as_kind! {
    checklist: Checklist(checklist::Checklist),
    status: Status(status::Status),
    debt: Debt(debt::Debt),
    verify: Verify(verify::Verify),
    contact: Contact(contact::Contact),
    review: Review(review::Review),
    outcome: Outcome(outcome::Outcome),
    wait: Wait(wait::Wait),
}
