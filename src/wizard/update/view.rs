//! The transient state a step starts with: its kind's (pre-filled from the case's answers),
//! then any draft typed before going back.

use tui_input::Input;

use crate::content::Step;
use crate::wizard::case::Case;
use crate::wizard::model::StepView;

/// A fresh view of `step`, pre-filled from the case's answers.
pub fn view_for(case: &Case, step: &Step, demo: bool) -> StepView {
    let mut view = step.view(case, demo);
    // What was typed before going back beats the last answer.
    if let Some(draft) = case.drafts.get(step.id())
        && draft.len() == view.inputs.len()
    {
        view.inputs = draft.iter().map(|t| Input::new(t.clone())).collect();
    }
    view
}
