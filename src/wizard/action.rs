//! What can happen to the wizard (actions in) and what it asks the app to do (effects out).

use tui_input::InputRequest;

use super::case::{Case, CaseSummary};

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
    Quit,
    Export,
    /// Editing the focused text field.
    Edit(InputRequest),
    /// Start a new case for this product (`--product`).
    StartProduct(String),
    /// The app loaded (and locked) a saved case.
    CaseOpened(Box<Case>),
    /// The app could not open a saved case; the reason, ready to show.
    OpenFailed(String),
    /// The app listed the data dir.
    SavedList {
        saved: Vec<CaseSummary>,
        damaged: Vec<(String, String)>,
    },
    /// The app could not save; the reason.
    SaveFailed(String),
    /// The app saved (clears a "could not save" notice).
    Saved,
    /// Something the app wants shown (e.g. where a receipt was written).
    Notice(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write this case to disk (taking its lock if not held yet).
    Save(Box<Case>),
    /// Load and lock this saved case, answering with `CaseOpened` or `OpenFailed`.
    Open(String),
    /// The case was closed on screen: release its lock.
    Release,
    /// List the data dir again, answering with `SavedList`.
    RefreshSaved,
    /// Write a receipt for the open case, answering with `Notice`.
    ExportReceipt,
    Quit,
}
