//! Opening a saved case: locking is the app's; bringing it up to date is here.

use super::safety::missing_prerequisite;
use super::save;
use super::view::view_for;
use crate::content::{Content, Product, Step};
use crate::wizard::action::Effect;
use crate::wizard::case::{AnswerValue, Case, CaseState, Event, Time};
use crate::wizard::model::{Model, Notice, Screen};

/// Brings a saved case up to date with the content and puts it on screen.
pub(super) fn open_case(
    model: &mut Model,
    content: &Content,
    mut case: Case,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    // Gone, or its file no longer passes: the case is left as saved, and the notice says
    // which, since what to do differs (other content, or fixing the file).
    let product = match content.product(&case.product) {
        Some(product) if product.usable() => product,
        found => {
            model.notice = Some(match found {
                None => Notice::ProductGone {
                    id: case.id.to_string(),
                    product: case.product,
                },
                Some(_) => Notice::ProductBroken {
                    case: Some(case.id.to_string()),
                    product: case.product,
                },
            });
            fx.push(Effect::Release);
            return;
        }
    };
    // From here on, what happens to it is this terminal's agent's doing.
    case.hands = model.staff.clone();
    let mut notice = Notice::Resumed;
    case.log(now, Event::Resumed);
    let changed = reconcile(&mut case, product);
    if !changed.is_empty() || case.content_fingerprint != product.fingerprint() {
        notice = Notice::ContentChanged;
        if !changed.is_empty() {
            case.log(now, Event::ContentChanged { steps: changed });
        }
        case.content_fingerprint = product.fingerprint().to_owned();
    }
    if product.step(&case.step).is_none() {
        notice = Notice::StepGone;
        case.trail.clear();
        let first = product.first_step().id().to_owned();
        rewind_to(&mut case, product, &first);
    }
    // A case that reached a later step without its prerequisites (edited by hand, or a
    // step that changed) goes back to the first one missing.
    if let Some(missing) = missing_prerequisite(&case, product) {
        rewind_to(&mut case, product, &missing);
    }
    // The language on screen (F2 on the start page, --lang, LANG) wins over the saved one:
    // the person at the keyboard now may not be the one who started.
    case.lang = model.lang;
    let step = product.step(&case.step).unwrap_or(product.first_step());
    // Saved waiting on a step that is no longer a wait (the content changed): it is what
    // that step makes it now.
    if matches!(case.state, CaseState::Waiting(_)) && step.wait().is_none() {
        case.state = step.state_on_return();
    }
    let mut view = view_for(&case, step, model.demo);
    // A case that ended before this session: Esc leaves it as it is.
    view.finished = case.state.is_finished();
    // A review past its date says so on its own screen (steps/review.rs), hotline and
    // all; a notice repeating it would only be cut short under it.
    model.screen = Screen::Step(view);
    // An ended case opened to look at it: no "picked up where you left off".
    model.notice = Some(notice).filter(|n| *n != Notice::Resumed || !case.state.is_finished());
    fx.push(save(&case));
    model.case = Some(case);
}

/// Drops answers to steps that changed or vanished, and goes back to the earliest of them
/// on the trail. Returns the ids of the steps that will be asked again.
pub fn reconcile(case: &mut Case, product: &Product) -> Vec<String> {
    case.trail.retain(|s| product.step(s).is_some());
    let changed: Vec<String> = case
        .answers
        .iter()
        .filter(|(step, answer)| {
            product.step_fingerprint(step) != Some(answer.step_fingerprint.as_str())
        })
        .map(|(step, _)| step.clone())
        .collect();
    // Once submitted (or ended), the answers are what happened: asking again would tell a
    // person who already applied to apply again. Only the notice says the content changed.
    let submitted = case
        .answers
        .values()
        .any(|a| matches!(a.value, AnswerValue::Review(_)));
    if submitted || case.state.is_finished() {
        case.answers.retain(|step, _| product.step(step).is_some());
        return changed;
    }
    case.answers.retain(|step, _| !changed.contains(step));
    if let Some(first) = case.trail.iter().find(|s| changed.contains(s)).cloned() {
        rewind_to(case, product, &first);
    }
    changed
}

/// Moves the case back to `step`: along the trail if it was walked, otherwise straight to it
/// (a step that was never answered, such as a skipped debt check).
pub(super) fn rewind_to(case: &mut Case, product: &Product, step: &str) {
    if let Some(pos) = case.trail.iter().position(|s| s == step) {
        case.trail.truncate(pos);
    }
    case.step = step.to_owned();
    case.state = state_on_return(product, step);
}

/// The state of a case taken back to `step`: waiting for a review only on the review step;
/// otherwise open again (a debt is "waiting for repayment" only once checked again).
pub(super) fn state_on_return(product: &Product, step: &str) -> CaseState {
    product
        .step(step)
        .map_or(CaseState::InProgress, Step::state_on_return)
}
