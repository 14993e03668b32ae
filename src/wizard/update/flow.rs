//! Moving between steps: forward on completion, back with Esc, home; recording answers.

use super::resume::{rewind_to, state_on_return};
use super::safety::missing_prerequisite;
use super::view::view_for;
use super::{go_home, save, waiting_notice};
use crate::content::{Content, Product, Step, StepKind};
use crate::keymap::{self, When};
use crate::steps::outcome::undoable;
use crate::steps::{Cx, EnterCx, Flow};
use crate::wizard::action::{Action, Effect};
use crate::wizard::case::{Case, Event, Time};
use crate::wizard::model::{Model, Screen, StepView};
use crate::wizard::secrets::{Secretish, looks_secret};

pub(super) fn on_step(
    model: &mut Model,
    content: &Content,
    action: Action,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    // The note field, while open, takes the keys; the note key opens it on any step.
    if matches!(&model.screen, Screen::Step(view) if view.note.is_some()) {
        super::note::on_note(model, action, now, fx);
        return;
    }
    if let Action::Note = action {
        super::note::open(model, content);
        return;
    }
    // A number takes the choice it numbers, as moving there and Enter would; only where
    // the keymap says numbers choose (a step's numbered choices, no field, no phone).
    if let Action::Pick(n) = action {
        let keys = keymap::context(model, content);
        if let Screen::Step(view) = &mut model.screen
            && When::Numbered.holds(&keys)
            && (1..=keys.rows).contains(&n)
        {
            view.cursor = n - 1;
            on_step(model, content, Action::Enter, now, fx);
        }
        return;
    }
    let (Some(case), Screen::Step(view)) = (&mut model.case, &mut model.screen) else {
        return;
    };
    let Some(product) = content.product(&case.product) else {
        return;
    };
    let Some(step) = product.step(&case.step) else {
        return;
    };
    let demo = model.demo;

    // Scrolling and Esc work the same on every step.
    match action {
        Action::PageDown => {
            view.scroll = (view.scroll + 5).min(SCROLL_LIMIT);
            return;
        }
        Action::PageUp => {
            view.scroll = (view.scroll - 5).max(-SCROLL_LIMIT);
            return;
        }
        // The demo phone closes first, back to the list of methods; the code is not kept.
        Action::Back if view.phone.is_some() => {
            view.phone = None;
            view.inputs.clear();
            return;
        }
        Action::Back if view.blocked.is_some() => {
            view.blocked = None;
            return;
        }
        // An end reached before this session is a record: Esc goes to the start page and
        // the case stays ended. One reached now is undone like any step (below): back to
        // the choice that led here, the case as that step makes it, the way back logged.
        Action::Back
            if view.finished || (step.kind() == StepKind::Outcome && !undoable(case, view)) =>
        {
            go_home(model, fx);
            return;
        }
        Action::Back => {
            keep_drafts(case, step, view);
            match case.trail.pop() {
                Some(prev) => {
                    case.step = prev.clone();
                    case.log(now, Event::Back { step: prev.clone() });
                    let target = product.step(&prev).unwrap_or(product.first_step());
                    // Going back re-opens the case.
                    case.state = state_on_return(product, target.id());
                    *view = view_for(case, target, demo);
                    fx.push(save(case));
                }
                // Started here and left at once: not worth a saved case. (A resumed case
                // has `Resumed` in its log and is never discarded.)
                None if case.is_untouched() => {
                    fx.push(Effect::Discard(case.id.clone()));
                    fx.push(Effect::Release);
                    model.case = None;
                    model.screen = Screen::Welcome { selected: 0 };
                    fx.push(Effect::RefreshSaved);
                }
                None => go_home(model, fx),
            }
            return;
        }
        // Any other key brings the focus back into view.
        _ => view.scroll = 0,
    }

    let mut cx = Cx {
        case,
        step,
        view,
        now,
        demo,
    };
    let outcome = step.handle(&mut cx, action);
    let Cx { case, view, .. } = cx;
    let fingerprint = product.step_fingerprint(step.id()).unwrap_or_default();
    match outcome {
        Flow::Stay => {}
        Flow::Save => {
            // Partial progress (ticks, checked amounts) is kept too.
            if let Some(value) = step.answer(view, demo) {
                case.record(step.id(), fingerprint, now, value);
            }
            fx.push(save(case));
        }
        Flow::Leave(via) => {
            case.drafts.remove(step.id());
            if let Some(value) = step.answer(view, demo) {
                case.record(step.id(), fingerprint, now, value);
            }
            if let Some(next) = product.target(step, via) {
                enter(case, view, content, product, next, now, demo);
            }
            fx.push(save(case));
        }
        Flow::Home => {
            let notice = waiting_notice(case, now);
            go_home(model, fx);
            model.notice = notice;
        }
        Flow::Export => fx.push(Effect::ExportReceipt),
    }
}

/// What was typed on this step but not yet sent stays with the case in memory (drafts are
/// never written to disk), so Esc and coming back lose none of it — except anything that
/// looks like a secret, which is not even put back on screen, and the demo phone's code.
pub(super) fn keep_drafts(case: &mut Case, step: &Step, view: &StepView) {
    // The blocked screen's amounts are recorded already; resuming asks for them afresh.
    if view.inputs.is_empty() || view.phone.is_some() || view.blocked.is_some() {
        return;
    }
    let typed = view
        .inputs
        .iter()
        .map(|input| {
            let text = input.value();
            // An amount of four to eight digits is an amount, not a code.
            let secret = match looks_secret(text) {
                Some(Secretish::Code) => step.kind() != StepKind::Debt,
                Some(_) => true,
                None => false,
            };
            if secret {
                String::new()
            } else {
                text.to_owned()
            }
        })
        .collect();
    case.drafts.insert(step.id().to_owned(), typed);
}

/// How far PgUp/PgDn can move the view from where the focus puts it, in lines: more than
/// any step's text, little enough that pressing past the end is undone in a few presses.
pub(super) const SCROLL_LIMIT: i32 = 40;

/// Moves forward into `next`, logging it and running what entering that step does.
pub(super) fn enter(
    case: &mut Case,
    view: &mut StepView,
    content: &Content,
    product: &Product,
    next: &Step,
    now: Time,
    demo: bool,
) {
    let from = std::mem::replace(&mut case.step, next.id().to_owned());
    case.trail.push(from);
    if let Some(missing) = missing_prerequisite(case, product) {
        // Unreachable with validated content; a second lock on the safety rule.
        rewind_to(case, product, &missing);
    }
    let next = product.step(&case.step).unwrap_or(next);
    case.log(
        now,
        Event::Entered {
            step: next.id().to_owned(),
        },
    );
    next.enter(&mut EnterCx {
        case,
        step: next,
        content,
        product,
        now,
    });
    *view = view_for(case, next, demo);
}
