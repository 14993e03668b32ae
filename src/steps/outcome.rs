//! `outcome`: an end — closed, nothing to close, needs customer service, refused. Entering
//! it ends the case; Enter goes to the start page, `e` writes the receipt.

use super::{Cx, EnterCx, Exit, Fields, Flow, Kind, Step, StepView};
use crate::content::OutcomeKind;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{Case, Event};

#[derive(Debug, Clone)]
pub struct Outcome {
    pub result: OutcomeKind,
}

impl Kind for Outcome {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["result"],
            allowed: &["body", "result"],
        }
    }

    fn read(file: &StepFile) -> Outcome {
        Outcome {
            result: file
                .result
                .as_ref()
                .map_or(OutcomeKind::NeedsService, |r| *r.get_ref()),
        }
    }

    /// An end has no way out.
    fn exits(_: &StepFile) -> Vec<Exit<'_>> {
        Vec::new()
    }

    fn view(&self, _: &Step, _: &Case, _: bool) -> StepView {
        StepView::default()
    }

    fn handle(&self, _: &mut Cx, action: Action) -> Flow {
        match action {
            Action::Enter => Flow::Home,
            Action::Export => Flow::Export,
            _ => Flow::Stay,
        }
    }

    fn enter(&self, cx: &mut EnterCx) {
        cx.case.state = CaseState::from_outcome(self.result);
        cx.case.log(
            cx.now,
            Event::Outcome {
                step: cx.step.id().to_owned(),
                result: self.result,
            },
        );
    }
}
