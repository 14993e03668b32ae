//! Walking the pure wizard like a person: what to press next on the screen in front of you.

use tui_input::InputRequest;

use xiaohu::content::{Content, StepKind};
use xiaohu::wizard::{Action, Model, Screen};

/// The action that moves this screen on, read from the model like a person reads the screen.
/// `branch` is the storm's temperament: where a step offers several ways on (status
/// options, review answers, "I can't find it"), it picks one from the step id and `branch`,
/// the same each time, so that across storms every branch is walked.
pub fn progress(model: &Model, content: &Content, branch: u64) -> Action {
    let Some(case) = &model.case else {
        return Action::Enter;
    };
    let Screen::Step(view) = &model.screen else {
        return Action::Enter;
    };
    let Some(step) = content
        .product(&case.product)
        .and_then(|p| p.step(&case.step))
    else {
        return Action::Enter;
    };
    let pick = |ways: usize| {
        let mut h = step.id().bytes().fold(branch, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        // splitmix64's finaliser, so that small `ways` see well-mixed bits.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((h ^ (h >> 31)) % ways as u64) as usize
    };
    let towards = |target: usize| match view.cursor.cmp(&target) {
        std::cmp::Ordering::Less => Action::Down,
        std::cmp::Ordering::Greater => Action::Up,
        std::cmp::Ordering::Equal => Action::Enter,
    };
    match step.kind() {
        StepKind::Status => towards(pick(step.status().map_or(1, |s| s.options.len()))),
        StepKind::Review => towards(pick(REVIEW_WAYS)),
        StepKind::Verify => towards(pick(step.verify().map_or(1, |v| v.methods.len()))),
        StepKind::Wait => towards(pick(2)),
        // One storm in three takes the way out under the checklist, if there is one.
        StepKind::Navigate | StepKind::Followup
            if step.checklist().is_some_and(|c| c.escape.is_some()) && pick(3) == 0 =>
        {
            towards(step.checklist().map_or(0, |c| c.items.len()))
        }
        StepKind::Debt if view.blocked.is_none() => match view.inputs.get(view.cursor) {
            Some(input) if input.value().is_empty() => Action::Edit(InputRequest::InsertChar('0')),
            _ => Action::Enter,
        },
        StepKind::Confirm => {
            let typed = view.inputs[0].value();
            match "CONFIRM"
                .strip_prefix(typed)
                .and_then(|rest| rest.chars().next())
            {
                Some(c) => Action::Edit(InputRequest::InsertChar(c)),
                None if typed == "CONFIRM" => Action::Enter,
                None => Action::Edit(InputRequest::DeleteLine),
            }
        }
        _ => Action::Enter,
    }
}

/// Closed, refused, still waiting.
const REVIEW_WAYS: usize = 3;
