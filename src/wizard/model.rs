//! What the wizard knows at one moment: the screen, the open case, and the transient state
//! of the current step (cursor, text fields, inline errors), which is never saved.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tui_input::Input;

use super::action::StoreFault;
use super::case::{Case, CaseId, CaseSummary, Staff, Time};
use super::money::AmountError;
use super::worklist;
use crate::content::{Lang, VerifyMethod};

#[derive(Debug, Clone)]
pub struct Model {
    pub lang: Lang,
    /// The language the program started in: the idle reset goes back to it, whatever the
    /// last visitor switched to.
    pub start_lang: Lang,
    /// Help-desk demo: nothing is written, verification is simulated.
    pub demo: bool,
    /// A public terminal (`--kiosk`): no saved case is listed or opened, staff keys are gone.
    pub kiosk: bool,
    /// The agent and desk working cases here (`--agent`, `--desk`), stamped on every log
    /// entry of the case open.
    pub staff: Staff,
    /// Demo with a sample profile: debt field id → the amount its field starts with.
    pub demo_amounts: BTreeMap<String, String>,
    pub screen: Screen,
    /// The open case; `Some` exactly while `screen` is `Screen::Step`.
    pub case: Option<Case>,
    pub help: bool,
    /// How far the help is scrolled (PgDn, ↓): its key list is longer than a small window.
    /// The overlay stops at its last line whatever this says.
    pub help_scroll: u16,
    pub show_log: bool,
    /// The agent panel: what to say and ask at this step, and the log so far.
    pub show_agent: bool,
    /// A message under the body: resumed, could not save, receipt saved … Kept as a value,
    /// not text, so F2 translates it; cleared by the next key unless it is an error.
    pub notice: Option<Notice>,
    /// Saved cases for the start page, refreshed by the app.
    pub saved: Vec<CaseSummary>,
    /// Between `ReadingSaved` and the `SavedList` that follows: `saved` is not read yet.
    pub reading_saved: bool,
    /// Case files that could not be read: (file name, reason). Listed, never touched.
    pub damaged: Vec<(String, String)>,
    /// The start page's worklist: `saved` grouped into queues and sorted, once, when the
    /// list arrives (`wizard::worklist`).
    pub worklist: Vec<worklist::Item>,
    /// Where the store sent only the first cases of some queue (`worklist::Page::totals`):
    /// how many each queue holds. `None`: `saved` is every case the worklist has.
    pub totals: Option<BTreeMap<worklist::Queue, usize>>,
    /// The search `saved` answers (`worklist::Search::text`): empty, every case.
    pub saved_for: String,
    /// What the worklist's search matches: positions in `worklist`, in its order. Worked
    /// out when the search or the list changes, not per frame.
    pub shown: Vec<usize>,
    /// The start page's search (customer reference, id, product, agent).
    pub search: Input,
    /// The archive key was pressed once on this case: pressed again, it archives it.
    pub archive_asked: Option<CaseId>,
    /// This case is being opened to be archived, not to be shown.
    pub archiving: Option<CaseId>,
    /// Whether everything reached the store, and whether the app should leave its loop.
    pub leaving: Leaving,
    /// The time of the last action, for countdowns on screen (the renderer has no clock).
    pub clock: Option<Time>,
    /// The terminal's size, as last reported by the app.
    pub size: (u16, u16),
}

/// Where the wizard stands with the store and with leaving, as one value: quitting, a
/// case the store refused, and the warning that held a quit back cannot disagree.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Leaving {
    /// Not leaving, and nothing is kept back: every save asked for was taken (or is on its
    /// way).
    #[default]
    Staying,
    /// Not leaving, with a case the store refused. `warned`: quit was pressed and held back
    /// once for it; the next quit leaves anyway.
    Unsaved { kept: Unsaved, warned: bool },
    /// Quit was pressed: the app leaves, unless the save that quit asked for fails, which
    /// holds it back once (`Unsaved { warned: true }`). `kept`: a case refused earlier.
    Quitting { kept: Option<Unsaved> },
    /// Leaving whatever the store says: a signal (`Terminate`), or quit pressed again after
    /// the warning. `kept`: what could not be written, for the last word.
    Anyway { kept: Option<Unsaved> },
}

/// The newest state of a case the app could not write (disk full, read-only, folder gone):
/// kept in memory and offered to the app again every `SAVE_RETRY` until it lands.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    pub case: Box<Case>,
    pub retry_at: Time,
}

impl Leaving {
    /// The case kept back, whatever else is going on.
    pub fn kept(&self) -> Option<&Unsaved> {
        match self {
            Leaving::Staying => None,
            Leaving::Unsaved { kept, .. } => Some(kept),
            Leaving::Quitting { kept } | Leaving::Anyway { kept } => kept.as_ref(),
        }
    }

    pub fn into_kept(self) -> Option<Unsaved> {
        match self {
            Leaving::Staying => None,
            Leaving::Unsaved { kept, .. } => Some(kept),
            Leaving::Quitting { kept } | Leaving::Anyway { kept } => kept,
        }
    }

    pub fn kept_mut(&mut self) -> Option<&mut Unsaved> {
        match self {
            Leaving::Staying => None,
            Leaving::Unsaved { kept, .. } => Some(kept),
            Leaving::Quitting { kept } | Leaving::Anyway { kept } => kept.as_mut(),
        }
    }
}

/// Below this the wizard asks for a larger window and takes no keys but quit and F2: a person
/// must see what they are confirming.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// How long the wizard waits before offering an unsaved case to the app again.
pub const SAVE_RETRY: chrono::TimeDelta = chrono::TimeDelta::seconds(3);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Resumed,
    ContentChanged,
    StepGone,
    /// Back on the start page with a case waiting: for the review, or for repayment.
    WaitingReview {
        id: String,
        expected: NaiveDate,
    },
    /// Back on the start page with a review still waiting past its expected date: contact
    /// customer service (the review's screen has the number and what to say; a notice has
    /// two lines).
    WaitingOverdue {
        expected: NaiveDate,
    },
    WaitingRepayment {
        id: String,
    },
    /// Saved on a `wait` step: something is still pending.
    Waiting {
        id: String,
        what: crate::steps::wait::WaitFor,
    },
    /// Where the receipts went: a folder and the file names in it (text, and HTML to print).
    ReceiptSaved {
        dir: String,
        txt: String,
        html: String,
    },
    DemoNotSaved,
    Locked {
        id: String,
        /// The desk that holds it, where the store can name it (the shared case book).
        desk: Option<String>,
    },
    SaveFailed {
        fault: StoreFault,
    },
    /// A saved case names a product the content in use does not have.
    ProductGone {
        id: String,
        product: String,
    },
    /// A product whose file changed since it was checked and no longer passes (it would
    /// open on its placeholder end screen): a new case is not started on it (`case: None`),
    /// a saved one is not opened.
    ProductBroken {
        case: Option<String>,
        product: String,
    },
    /// Quit was pressed with a case that could not be saved: press it again to leave.
    QuitUnsaved {
        fault: StoreFault,
    },
    /// Anything else, as the store or loader described it (English).
    Error(String),
}

impl Notice {
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Notice::Locked { .. }
                | Notice::ProductGone { .. }
                | Notice::ProductBroken { .. }
                | Notice::SaveFailed { .. }
                | Notice::QuitUnsaved { .. }
                | Notice::Error(_)
        )
    }
}

#[derive(Debug, Clone)]
pub enum Screen {
    Welcome {
        selected: usize,
    },
    Picker {
        filter: Input,
        selected: usize,
    },
    /// Whose case: the customer reference asked after the product is chosen, before the
    /// first step (staff desks only). `refused`: what was typed looked like a secret.
    Customer {
        product: String,
        input: Input,
        refused: bool,
    },
    Step(StepView),
}

/// Transient state of the step on screen.
#[derive(Debug, Clone, Default)]
pub struct StepView {
    /// Selected row (options, checklist items, fields).
    pub cursor: usize,
    /// Text fields: the debt amounts, the confirmation word, the contact reference.
    pub inputs: Vec<Input>,
    /// One per debt field, after "check amounts".
    pub errors: Vec<Option<AmountError>>,
    /// The checklist while it is being ticked.
    pub ticked: Vec<bool>,
    /// An inline hint about why Enter did not continue.
    pub hint: Option<Hint>,
    /// Debt above zero: the blocked screen is shown, with the total.
    pub blocked: Option<i64>,
    /// The case had already ended when it was opened: Esc goes to the start page instead of
    /// re-opening it.
    pub finished: bool,
    /// Scroll offset of the body text.
    pub scroll: i32,
    /// Demo mode, verify step: the simulated phone that received a code.
    pub phone: Option<Phone>,
    /// The note field (the note key), open over the step: it takes the keys until Enter
    /// keeps the note or Esc drops it.
    pub note: Option<NoteField>,
    /// An end that asks why (refused, needs customer service): its one input is the
    /// reason, until Enter keeps it.
    pub reason: bool,
}

/// A note being typed: the text, and whether the last one was refused as a secret.
#[derive(Debug, Clone, Default)]
pub struct NoteField {
    pub input: Input,
    pub refused: bool,
}

/// The longest note (or reason) kept: a few sentences, not a document.
pub const NOTE_MAX: usize = 500;

/// A simulated phone for the demo: a six-digit code to type (masked), three tries, then a
/// lock-out. An SMS code is locked until a new one is sent, allowed once `RESEND_AFTER`
/// has passed since the last; a payment password is never resent, its lock lifts once
/// `RESEND_AFTER` has passed since the third wrong try. The case keeps a copy
/// (`Case::phones`) so putting the phone away and choosing the method again brings back
/// the same phone, lock and countdown included.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone {
    pub method: VerifyMethod,
    pub code: String,
    pub tries_left: u8,
    pub sent_at: Time,
    pub sent: u32,
    pub wrong: bool,
    /// Enter was pressed with fewer than six digits: said, and not counted as a try.
    pub short: bool,
    /// F5 was pressed while it could not act: the phone says how long is left.
    pub wait: bool,
    /// When the third wrong try locked the phone.
    pub locked_at: Option<Time>,
}

// The code stays out of debug output (a case is printed in logs and test failures): it is
// only ever shown on the simulated phone.
impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Phone")
            .field("method", &self.method)
            .field("code", &"******")
            .field("tries_left", &self.tries_left)
            .field("sent_at", &self.sent_at)
            .field("sent", &self.sent)
            .field("wrong", &self.wrong)
            .field("short", &self.short)
            .field("wait", &self.wait)
            .field("locked_at", &self.locked_at)
            .finish()
    }
}

/// The longest any text field gets: far more than an amount, the confirmation word, a
/// product name or a note needs, and short enough that a 100 KB paste typed key by key
/// (a terminal without bracketed paste) stays cheap to edit and draw.
pub const FIELD_MAX: usize = 200;

pub const PHONE_TRIES: u8 = 3;
pub const RESEND_AFTER: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

impl Phone {
    pub fn locked(&self) -> bool {
        self.tries_left == 0
    }

    /// Seconds until a new code may be sent (0: now). A payment password is never resent.
    pub fn resend_in(&self, now: Time) -> i64 {
        (self.sent_at + RESEND_AFTER - now).num_seconds().max(0)
    }

    /// Whether F5 has anything to do with this phone: only an SMS code is sent again.
    pub fn resends(&self) -> bool {
        self.method == VerifyMethod::Sms
    }

    /// Seconds until the lock-out ends (0: not locked, or over): for an SMS code, until a
    /// new code may be sent; for a payment password, from the third wrong try.
    pub fn locked_for(&self, now: Time) -> i64 {
        if !self.locked() {
            return 0;
        }
        match (self.resends(), self.locked_at) {
            (true, _) => self.resend_in(now),
            (false, Some(at)) => (at + RESEND_AFTER - now).num_seconds().max(0),
            (false, None) => 0,
        }
    }

    /// Whether the phone takes a code at `now`: not locked, or a payment password whose
    /// lock-out is over (the next key gives its tries back).
    pub fn takes_code(&self, now: Option<Time>) -> bool {
        !self.locked() || (!self.resends() && now.is_some_and(|now| self.locked_for(now) == 0))
    }
}

/// Why Enter did not go on; the UI turns it into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    TickAll,
    AmountsInvalid,
    ConfirmMismatch,
    /// The contact note looked like an ID number, a card number or a code: not kept.
    LooksSecret,
    /// The date a request was sent was refused.
    SentDate(DateProblem),
}

/// Why a typed sent date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not a date written YYYY-MM-DD.
    NotADate,
    /// After today (in China).
    Future,
    /// More than a year before today: not the request this case is about.
    TooOld,
}

impl Model {
    pub fn new(lang: Lang, demo: bool) -> Model {
        Model {
            lang,
            start_lang: lang,
            demo,
            kiosk: false,
            staff: Staff::default(),
            demo_amounts: BTreeMap::new(),
            screen: Screen::Welcome { selected: 0 },
            case: None,
            help: false,
            help_scroll: 0,
            show_log: false,
            show_agent: false,
            notice: None,
            saved: Vec::new(),
            reading_saved: false,
            damaged: Vec::new(),
            worklist: Vec::new(),
            totals: None,
            saved_for: String::new(),
            shown: Vec::new(),
            search: Input::default(),
            archive_asked: None,
            archiving: None,
            leaving: Leaving::Staying,
            clock: None,
            size: (80, 24),
        }
    }

    /// Set when the app should leave its loop.
    pub fn quitting(&self) -> bool {
        matches!(
            self.leaving,
            Leaving::Quitting { .. } | Leaving::Anyway { .. }
        )
    }

    /// A case the store refused, kept in memory until a retry lands.
    pub fn unsaved(&self) -> Option<&Case> {
        self.leaving.kept().map(|kept| &*kept.case)
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Whether typed letters go into a text field (then `q`, `j`, `k` are just letters).
    pub fn text_focus(&self) -> bool {
        if self.help {
            return false;
        }
        match &self.screen {
            Screen::Picker { .. } | Screen::Customer { .. } => true,
            Screen::Step(view) if view.note.is_some() => true,
            Screen::Step(view) => view.blocked.is_none() && !view.inputs.is_empty(),
            Screen::Welcome { .. } => self.searching(),
        }
    }

    /// The text field keys go to, if one has focus (a step's field under the cursor, or
    /// its only one).
    pub fn focused_input(&self) -> Option<&Input> {
        if !self.text_focus() {
            return None;
        }
        match &self.screen {
            Screen::Picker { filter, .. } => Some(filter),
            Screen::Customer { input, .. } => Some(input),
            Screen::Step(view) => match &view.note {
                Some(note) => Some(&note.input),
                None => view.inputs.get(view.cursor).or(view.inputs.first()),
            },
            Screen::Welcome { .. } => self.searching().then_some(&self.search),
        }
    }

    /// The most characters the focused field takes: a note holds more than the other
    /// fields, whose limit is [`FIELD_MAX`].
    pub fn field_max(&self) -> usize {
        match &self.screen {
            Screen::Step(view) if view.note.is_some() => NOTE_MAX,
            Screen::Step(view) if view.reason => NOTE_MAX,
            _ => FIELD_MAX,
        }
    }

    /// A desk that named its agent or desk (`--agent`, `--desk`): a customer at home has
    /// neither. Staff are asked whose case it is, and type to search their worklist.
    pub fn staffed(&self) -> bool {
        !self.kiosk && (self.staff.agent.is_some() || self.staff.desk.is_some())
    }

    /// Whether the start page's search field takes what is typed: at a staffed desk with
    /// cases on its worklist (elsewhere letters stay commands: `q` quits).
    pub fn searching(&self) -> bool {
        self.staffed() && (!self.worklist.is_empty() || !self.search.value().is_empty())
    }

    /// The worklist as shown (searched), in queue order, with each case's summary. None on
    /// a kiosk: one visitor's case is never listed to, nor opened by, the next.
    pub fn listed(&self) -> impl Iterator<Item = (&worklist::Item, &CaseSummary)> {
        let shown = if self.kiosk { &[][..] } else { &self.shown[..] };
        shown.iter().filter_map(|&i| {
            let item = self.worklist.get(i)?;
            Some((item, self.saved.get(item.index)?))
        })
    }

    /// How many cases the start page lists after "new".
    pub fn listed_len(&self) -> usize {
        if self.kiosk { 0 } else { self.shown.len() }
    }

    /// The case on row `row` of the start page's list (row 0 is "new"), if any.
    pub fn listed_at(&self, row: usize) -> Option<(&worklist::Item, &CaseSummary)> {
        if self.kiosk {
            return None;
        }
        let item = self.worklist.get(*self.shown.get(row.checked_sub(1)?)?)?;
        Some((item, self.saved.get(item.index)?))
    }

    /// The saved cases the start page lists, in its order: open ones, refused and
    /// needs-service ones until archived (`wizard::worklist`). None on a kiosk.
    pub fn resumable(&self) -> Vec<&CaseSummary> {
        self.listed().map(|(_, s)| s).collect()
    }
}
