//! `update`: the whole behaviour of the wizard as one pure function of
//! (model, content, action, time). No terminal, no disk, no clock.
//!
//! - `home`: the start page and the product list.
//! - `resume`: opening a saved case and bringing it up to date with the content.
//! - `safety`: the run-time check that nothing is confirmed unchecked.
//! - `flow`: moving between steps (forward, back, home) and recording answers.
//! - `view`: the transient state a step starts with.

mod flow;
mod home;
mod note;
mod resume;
mod safety;
mod view;

use crate::calendar::china_date;
use crate::content::Content;
use crate::wizard::action::{Action, Effect, FaultKind, StoreFault};
use crate::wizard::case::{Case, CaseState, Event, Time};
use crate::wizard::model::{Leaving, Model, Notice, SAVE_RETRY, Screen, Unsaved};

use flow::on_step;
use home::{archive_opened, customer, picker, saved_list, start_case, welcome};
use resume::open_case;

#[cfg(test)]
pub(crate) use crate::steps::confirm::is_confirmation;
pub(crate) use crate::steps::contact::REFERENCE_MAX;
pub use home::asks_customer;
pub(crate) use home::{CUSTOMER_MAX, picker_matches};
#[cfg(test)]
pub(crate) use {resume::reconcile, safety::missing_prerequisite};

pub fn update(model: &mut Model, content: &Content, action: Action, now: Time) -> Vec<Effect> {
    let mut fx = Vec::new();
    model.clock = Some(now);
    match action {
        // Answers from the app are always taken, whatever is on screen.
        Action::Resize(w, h) => model.size = (w, h),
        Action::SavedList(page) => saved_list(model, content, page, now),
        Action::ReadingSaved => model.reading_saved = true,
        Action::SaveFailed { case, fault } => save_failed(model, case, fault, now),
        Action::Renamed { from, to } => {
            let kept = model.leaving.kept_mut().map(|kept| &mut *kept.case);
            for case in [model.case.as_mut(), kept]
                .into_iter()
                .flatten()
                .filter(|c| c.id == from)
            {
                case.id = to.clone();
            }
            return update(model, content, Action::Saved { id: to }, now);
        }
        Action::Saved { id } => {
            if model.unsaved().is_some_and(|c| c.id == id) {
                model.leaving = match std::mem::take(&mut model.leaving) {
                    Leaving::Staying | Leaving::Unsaved { .. } => Leaving::Staying,
                    Leaving::Quitting { .. } => Leaving::Quitting { kept: None },
                    Leaving::Anyway { .. } => Leaving::Anyway { kept: None },
                };
            }
            if model.unsaved().is_none()
                && matches!(
                    model.notice,
                    Some(Notice::SaveFailed { .. } | Notice::QuitUnsaved { .. })
                )
            {
                model.notice = None;
            }
        }
        Action::Timer => {
            if let Some(kept) = model.leaving.kept_mut()
                && now >= kept.retry_at
            {
                kept.retry_at = now + SAVE_RETRY;
                fx.push(save(&kept.case));
            }
        }
        Action::IdleReset => idle_reset(model, &mut fx),
        Action::Terminate => {
            if let Some(case) = &mut model.case {
                if !case.state.is_finished() {
                    case.log(now, Event::Quit);
                }
                fx.push(save(case));
            } else if let Some(kept) = model.leaving.kept() {
                fx.push(save(&kept.case));
            }
            fx.push(Effect::Release);
            let kept = std::mem::take(&mut model.leaving).into_kept();
            model.leaving = Leaving::Anyway { kept };
        }
        Action::Notice(notice) => model.notice = Some(notice),
        Action::OpenFailed(error) => {
            model.archiving = None;
            model.notice = Some(match error.kind {
                FaultKind::Locked(id) => Notice::Locked { id, desk: None },
                FaultKind::LockedAt { id, desk } => Notice::Locked {
                    id,
                    desk: Some(desk),
                },
                _ => Notice::Error(error.detail),
            });
        }
        // Opened to be archived, not to be worked on.
        Action::CaseOpened(case) if model.archiving.as_ref() == Some(&case.id) => {
            archive_opened(model, content, *case, now, &mut fx);
        }
        Action::CaseOpened(case) => open_case(model, content, *case, now, &mut fx),
        Action::StartProduct(id) => {
            if let Some(product) = content.product(&id) {
                start_case(model, product, now, &mut fx);
            }
        }
        key => on_key(model, content, key, now, &mut fx),
    }
    fx
}

/// A key from the person.
fn on_key(model: &mut Model, content: &Content, action: Action, now: Time, fx: &mut Vec<Effect>) {
    // A window too small to read: only quitting and the language work.
    if model.too_small() && !matches!(action, Action::Quit | Action::SwitchLang) {
        return;
    }
    // Control characters are never text: an escape sequence in a note would be replayed by
    // any terminal that shows the log. (The keyboard never sends them; a typed line might.)
    if let Action::Edit(tui_input::InputRequest::InsertChar(c)) = action
        && c.is_control()
    {
        return;
    }
    // A field full to the brim takes no more (each key would cost more than the last).
    if let Action::Edit(tui_input::InputRequest::InsertChar(_)) = action
        && model
            .focused_input()
            .is_some_and(|i| i.value().chars().count() >= model.field_max())
    {
        return;
    }
    // The archive key's second press must come next: any other key, help and Esc
    // included, forgets the first (the start page says "any other key cancels").
    if !matches!(action, Action::Archive) {
        model.archive_asked = None;
    }
    // A message stays until the next key; a failed save, until a save succeeds.
    if action.moves_on() && model.unsaved().is_none() {
        model.notice = None;
    }
    match action {
        Action::Help => {
            model.help = !model.help;
            model.help_scroll = 0;
        }
        Action::SwitchLang => {
            model.lang = model.lang.other();
            if let Some(case) = &mut model.case {
                case.lang = model.lang;
                case.log(now, Event::Language { lang: model.lang });
                fx.push(save(case));
            }
        }
        Action::Home if !model.help => home_from_case(model, now, fx),
        // The log belongs to a case; there is none to show on the start page.
        Action::ToggleLog => model.show_log = model.case.is_some() && !model.show_log,
        // Agent notes belong to a step, so like the log it needs an open case.
        Action::ToggleAgent => model.show_agent = model.case.is_some() && !model.show_agent,
        Action::Quit => {
            // Warned once already (or leaving anyway): this quit does not wait for the disk.
            let anyway = matches!(
                model.leaving,
                Leaving::Unsaved { warned: true, .. } | Leaving::Anyway { .. }
            );
            if let Some(case) = &mut model.case {
                // Quit twice (the warning, then again) logs once.
                if !case.state.is_finished() && !anyway {
                    case.log(now, Event::Quit);
                }
                fx.push(save(case));
                fx.push(Effect::Release);
            } else if let Some(kept) = model.leaving.kept() {
                fx.push(save(&kept.case));
            }
            let kept = std::mem::take(&mut model.leaving).into_kept();
            model.leaving = if anyway {
                Leaving::Anyway { kept }
            } else {
                Leaving::Quitting { kept }
            };
        }
        // While help is open, only closing and scrolling it do anything.
        _ if model.help => match action {
            Action::Back | Action::Enter => model.help = false,
            Action::Down => {
                model.help_scroll = model.help_scroll.saturating_add(1).min(HELP_SCROLL_MAX)
            }
            Action::PageDown => {
                model.help_scroll = model.help_scroll.saturating_add(5).min(HELP_SCROLL_MAX)
            }
            Action::Up => model.help_scroll = model.help_scroll.saturating_sub(1),
            Action::PageUp => model.help_scroll = model.help_scroll.saturating_sub(5),
            _ => {}
        },
        action => match model.screen {
            Screen::Welcome { .. } => welcome(model, content, action, fx),
            Screen::Picker { .. } => picker(model, content, action, now, fx),
            Screen::Customer { .. } => customer(model, content, action, now, fx),
            Screen::Step(_) => on_step(model, content, action, now, fx),
        },
    }
}

/// Back to a clean start page for the next person: the case saved (or, in demo mode,
/// dropped), and nothing of it left on screen — no overlay, no pane, no notice, no filter,
/// no half-typed field (the step's view goes with the screen) — in the language the program
/// started in.
fn idle_reset(model: &mut Model, fx: &mut Vec<Effect>) {
    model.lang = model.start_lang;
    if model.demo {
        model.case = None;
        model.screen = Screen::Welcome { selected: 0 };
        fx.push(Effect::Release);
    } else if model.case.is_some() {
        go_home(model, fx);
    } else {
        model.screen = Screen::Welcome { selected: 0 };
    }
    model.help = false;
    model.show_log = false;
    model.show_agent = false;
    model.archive_asked = None;
    if model.unsaved().is_none() {
        model.notice = None;
    }
}

/// The app could not write `case`: keep it (the newest state wins), say why, retry later,
/// and do not let a single quit throw it away.
fn save_failed(model: &mut Model, case: Box<Case>, fault: StoreFault, now: Time) {
    let leaving = std::mem::take(&mut model.leaving);
    let newest = match leaving.kept() {
        Some(kept) if kept.case.id == case.id && kept.case.updated > case.updated => {
            kept.case.clone()
        }
        _ => case,
    };
    let kept = Unsaved {
        case: newest,
        retry_at: now + SAVE_RETRY,
    };
    let notice;
    (model.leaving, notice) = match leaving {
        Leaving::Quitting { .. } => (
            Leaving::Unsaved { kept, warned: true },
            Notice::QuitUnsaved { fault },
        ),
        // Also when leaving anyway (a signal, a second quit): the last word names the reason.
        Leaving::Anyway { .. } => (
            Leaving::Anyway { kept: Some(kept) },
            Notice::SaveFailed { fault },
        ),
        Leaving::Unsaved { warned, .. } => (
            Leaving::Unsaved { kept, warned },
            Notice::SaveFailed { fault },
        ),
        Leaving::Staying => (
            Leaving::Unsaved {
                kept,
                warned: false,
            },
            Notice::SaveFailed { fault },
        ),
    };
    model.notice = Some(notice);
}

/// What to tell a person leaving a case that waits for something, at `now`.
pub(super) fn waiting_notice(case: &Case, now: Time) -> Option<Notice> {
    match case.state {
        CaseState::WaitingRepayment => Some(Notice::WaitingRepayment {
            id: case.id.to_string(),
        }),
        CaseState::Waiting(what) => Some(Notice::Waiting {
            id: case.id.to_string(),
            what,
        }),
        // Still waiting past the expected date: not "expect a result by" a day gone.
        CaseState::InReview => case.review().map(|r| {
            if china_date(now) > r.expected {
                Notice::WaitingOverdue {
                    expected: r.expected,
                }
            } else {
                Notice::WaitingReview {
                    id: case.id.to_string(),
                    expected: r.expected,
                }
            }
        }),
        _ => None,
    }
}

pub(super) fn save(case: &Case) -> Effect {
    Effect::Save(Box::new(case.clone()))
}

/// As far as the help can scroll: its longest form (the narrowest window) has fewer lines
/// beyond its first page; the overlay stops at its last line whatever is asked.
const HELP_SCROLL_MAX: u16 = 24;

/// The home key: the case set aside as quitting leaves it (saved, `quit` logged if it goes
/// on, its lock let go), the start page with the notice a case waiting gets there. A demo
/// case is dropped, as the idle reset drops it.
fn home_from_case(model: &mut Model, now: Time, fx: &mut Vec<Effect>) {
    let Some(case) = &mut model.case else {
        return;
    };
    if model.demo {
        model.case = None;
        model.screen = Screen::Welcome { selected: 0 };
        fx.push(Effect::Release);
        return;
    }
    if !case.state.is_finished() {
        case.log(now, Event::Quit);
    }
    let notice = waiting_notice(case, now);
    go_home(model, fx);
    model.show_log = false;
    model.show_agent = false;
    model.notice = notice;
}

pub(super) fn go_home(model: &mut Model, fx: &mut Vec<Effect>) {
    if let Some(case) = model.case.take() {
        fx.push(Effect::Save(Box::new(case)));
    }
    model.screen = Screen::Welcome { selected: 0 };
    fx.push(Effect::Release);
    fx.push(Effect::RefreshSaved);
}
