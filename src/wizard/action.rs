//! What can happen to the wizard (actions in) and what it asks the app to do (effects out).

use tui_input::InputRequest;

use super::case::{Case, CaseId};
use super::model::Notice;
use super::worklist::Page;

#[derive(Debug, Clone)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Enter,
    /// Esc: back one step, answers kept.
    Back,
    /// Space outside a text field.
    Tick,
    NextField,
    PrevField,
    Help,
    SwitchLang,
    ToggleLog,
    /// F4 (or `a`): the help-desk agent's panel beside the customer's screen.
    ToggleAgent,
    Quit,
    /// F10 in a case: set it aside, saved, and go back to the start page (the worklist),
    /// for the next person, without quitting the program.
    Home,
    Export,
    /// The note key: a note field opens over the step, for the log.
    Note,
    /// A number key (1–9) outside a text field: take the choice of that number, as moving
    /// to it and pressing Enter would.
    Pick(usize),
    /// Editing the focused text field.
    Edit(InputRequest),
    /// Start a new case for this product (`--product`).
    StartProduct(String),
    /// The terminal's size changed (and once at start).
    Resize(u16, u16),
    /// The app loaded (and locked) a saved case.
    CaseOpened(Box<Case>),
    /// The app could not open a saved case.
    OpenFailed(StoreFault),
    /// The app asked the store for the worklist (`Effect::RefreshSaved`, `Effect::Search`).
    SavedList(Page),
    /// The app reads the saved cases only once the first frame is up (a desk's thousands
    /// take longer than the frame): until `SavedList` comes the start page says so.
    ReadingSaved,
    /// The app could not write this case, and why. The wizard keeps the case and retries.
    SaveFailed {
        case: Box<Case>,
        fault: StoreFault,
    },
    /// The app wrote this case (clears a "could not save" notice).
    Saved {
        id: CaseId,
    },
    /// The app wrote this new case under another id, because `from` was taken by a case
    /// another terminal started in the same second (or by a damaged file): the case is
    /// `to` from now on. Otherwise like `Saved`.
    Renamed {
        from: CaseId,
        to: CaseId,
    },
    /// Time passed (the app sends it a few times a second while no key comes).
    Timer,
    /// SIGTERM or SIGHUP, or the terminal went away: save and leave, whatever happens.
    Terminate,
    /// Kiosk: nobody has pressed a key for a while (`--idle-reset`).
    IdleReset,
    /// F5: the simulated phone sends a new code (demo mode).
    Resend,
    /// F8 on the worklist: archive the finished case selected (pressed twice: the first
    /// press asks).
    Archive,
    /// Something the app wants shown (e.g. where a receipt was written).
    Notice(Notice),
}

impl Action {
    /// Keys that act on the screen (not help, language or log): they clear a notice.
    pub fn moves_on(&self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Enter
                | Action::Back
                | Action::Tick
                | Action::NextField
                | Action::PrevField
                | Action::Export
                | Action::Note
                | Action::Pick(_)
                | Action::Resend
                | Action::Archive
                | Action::Edit(_)
        )
    }
}

/// Why the store could not do what was asked, told apart so the wizard can say which in
/// the person's language. The wizard may not see the store's own error type; the store
/// maps its errors (and the OS's) into this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFault {
    pub kind: FaultKind,
    /// What the store or the OS said (English), shown after the kind's words.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// No space left on the disk, or the quota is used up.
    Full,
    /// The file system is mounted read-only.
    ReadOnly,
    /// Not allowed to write there (the folder's permissions).
    Denied,
    /// The folder, or the case, is not there (removed, unmounted).
    Gone,
    /// Open in another terminal: the case id.
    Locked(String),
    /// Open at another desk the store can name (the shared case book): id and desk.
    LockedAt { id: String, desk: String },
    /// The case file is not a case xiaohu can read.
    Damaged,
    /// Anything else: the detail says what.
    Other,
}

impl StoreFault {
    pub fn new(kind: FaultKind, detail: impl Into<String>) -> StoreFault {
        StoreFault {
            kind,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write this case to disk (taking its lock if not held yet).
    Save(Box<Case>),
    /// Load and lock this saved case, answering with `CaseOpened` or `OpenFailed`.
    Open(CaseId),
    /// The case was closed on screen: release its lock.
    Release,
    /// Delete this case: it was started and left at once, with nothing answered.
    Discard(CaseId),
    /// Ask the store for the worklist again, with the search on screen, answering with
    /// `SavedList`.
    RefreshSaved,
    /// Ask the store for the worklist with this search (as typed), answering with
    /// `SavedList`: the page on screen does not hold every case it could match.
    Search(String),
    /// Write a receipt for the open case, answering with `Notice`.
    ExportReceipt,
}
