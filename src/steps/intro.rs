//! `intro`: what the product is and who provides it; Enter goes on.

use super::{Cx, Fields, Flow, Kind, Step, StepView};
use crate::content::ExitVia;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case};

#[derive(Debug, Clone)]
pub struct Intro;

impl Kind for Intro {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &[],
            allowed: &["body", "next"],
        }
    }

    fn read(_: &StepFile) -> Intro {
        Intro
    }

    fn view(&self, _: &Step, _: &Case, _: bool) -> StepView {
        StepView::default()
    }

    fn handle(&self, _: &mut Cx, action: Action) -> Flow {
        match action {
            Action::Enter => Flow::Leave(ExitVia::Next),
            _ => Flow::Stay,
        }
    }

    fn answer(&self, _: &Step, _: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Seen)
    }
}
