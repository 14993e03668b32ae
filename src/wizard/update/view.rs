//! The transient state a step starts with, pre-filled from the case.

use tui_input::Input;

use crate::content::{Step, StepKind};
use crate::wizard::case::{AnswerValue, Case, CaseState};
use crate::wizard::model::StepView;
use crate::wizard::money::typed_amount;

/// A fresh view of `step`, pre-filled from the case's answers.
pub fn view_for(case: &Case, step: &Step, demo: bool) -> StepView {
    let answer = case.answer(step.id());
    let mut view = StepView::default();
    match step.kind() {
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            view.ticked = match answer {
                Some(AnswerValue::Checklist { ticked }) if ticked.len() == step.items().len() => {
                    ticked.clone()
                }
                _ => vec![false; step.items().len()],
            };
        }
        StepKind::Debt => {
            // Waiting for repayment: ask again from empty fields ("last time" is shown).
            let fresh = case.state == CaseState::WaitingRepayment;
            view.inputs = step
                .fields()
                .iter()
                .map(|f| {
                    let prior = match answer {
                        Some(AnswerValue::Amounts { cents }) if !fresh => {
                            cents.get(f.id.get_ref()).map(|c| typed_amount(*c))
                        }
                        _ => None,
                    };
                    let demo_default = demo.then(|| "0".to_owned());
                    Input::new(prior.or(demo_default).unwrap_or_default())
                })
                .collect();
            view.errors = vec![None; view.inputs.len()];
        }
        StepKind::Confirm => view.inputs = vec![Input::default()],
        StepKind::Contact => {
            let prior = match answer {
                Some(AnswerValue::Contacted { reference }) => reference.clone(),
                _ => None,
            };
            view.inputs = vec![Input::new(prior.unwrap_or_default())];
        }
        StepKind::Status => {
            if let Some(AnswerValue::Choice { option }) = answer {
                view.cursor = *option;
            }
        }
        StepKind::Verify => {
            if let Some(AnswerValue::Verified { method, .. }) = answer {
                view.cursor = step.methods().position(|m| m == *method).unwrap_or(0);
            }
        }
        _ => {}
    }
    // What was typed before going back beats the last answer.
    if let Some(draft) = case.drafts.get(step.id())
        && draft.len() == view.inputs.len()
    {
        view.inputs = draft.iter().map(|t| Input::new(t.clone())).collect();
    }
    view
}
