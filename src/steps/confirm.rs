//! `confirm`: the person types 确认 (or CONFIRM) to say they mean it.

use tui_input::Input;

use super::{
    Block, Cx, Fields, Flow, Keys, Kind, Purpose, Safety, ScreenCx, Step, StepView, body_text,
};
use crate::content::ExitVia;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};
use crate::wizard::model::Hint;

#[derive(Debug, Clone)]
pub struct Confirm;

/// The word that confirms, in either language, whatever the screen's language.
pub fn is_confirmation(typed: &str) -> bool {
    let typed = typed.trim();
    typed == "确认" || typed.eq_ignore_ascii_case("confirm")
}

impl Kind for Confirm {
    fn safety(_: StepKind) -> Safety {
        Safety::Confirmation
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &[],
            allowed: &["body", "next"],
        }
    }

    fn read(_: &StepFile) -> Confirm {
        Confirm
    }

    fn view(&self, _: &Step, _: &Case, _: bool) -> StepView {
        StepView {
            inputs: vec![Input::default()],
            ..StepView::default()
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        match action {
            Action::Edit(req) => {
                view.inputs[0].handle(req);
                view.hint = None;
                Flow::Stay
            }
            Action::Enter if is_confirmation(view.inputs[0].value()) => {
                case.log(
                    now,
                    Event::Confirmed {
                        step: step.id().to_owned(),
                    },
                );
                Flow::Leave(ExitVia::Next)
            }
            Action::Enter => {
                view.hint = Some(Hint::ConfirmMismatch);
                Flow::Stay
            }
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        blocks.push(Block::Keys(Keys::TypeWord));
        blocks.push(Block::Gap);
        blocks.push(Block::Field {
            label: "> ".to_owned(),
            purpose: Purpose::Word,
        });
        if cx.view.hint == Some(Hint::ConfirmMismatch) {
            blocks.push(Block::Gap);
            blocks.push(Block::Problem(ui.confirm_mismatch.get(lang).to_owned()));
        }
        blocks
    }

    fn answer(&self, _: &Step, _: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Confirmed)
    }
}
