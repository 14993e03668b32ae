//! The state machine: a pure `update(model, content, action, now)`.
//!
//! Imports neither the terminal nor the disk: every rule is testable with plain values.

pub mod action;
pub mod case;
pub mod customer;
pub mod demo;
pub mod model;
pub mod money;
pub mod secrets;
pub mod tour;
pub mod update;
pub mod worklist;

pub use action::{Action, Effect, FaultKind, StoreFault};
pub use case::{Case, CaseId, CaseState, CaseSummary, Event, LogEntry, Staff, Time};
pub use model::{Hint, Leaving, Model, Notice, SAVE_RETRY, Screen, StepView, Unsaved};
pub use update::update;

#[cfg(test)]
mod tests;
