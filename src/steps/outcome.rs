//! `outcome`: an end — closed, nothing to close, needs customer service, refused. Entering
//! it ends the case; Enter goes to the start page, `e` writes the receipt, and Esc goes back
//! to the step that led here when the end was reached in this session (a mis-pressed "I
//! can't find it" is undone; going back re-opens the case as that step makes it).

use super::{Block, Cx, EnterCx, Exit, Fields, Flow, Keys, Kind, ScreenCx, Tone, body_text};
use crate::content::OutcomeKind;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::Event;

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

    fn handle(&self, _: &mut Cx, action: Action) -> Flow {
        match action {
            Action::Enter => Flow::Home,
            Action::Export => Flow::Export,
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let tone = match self.result {
            OutcomeKind::Closed | OutcomeKind::NothingToClose => Tone::Ok,
            _ => Tone::Key,
        };
        let state = cx.case.state.name(ui, lang);
        let mut blocks = vec![Block::Badge(state.to_owned(), tone), Block::Gap];
        body_text(cx, &mut blocks);
        let hotline = cx.product.info.hotline_text(ui, lang);
        let hotline = ui.contact_hotline.fill(lang, &[("hotline", &hotline)]);
        blocks.push(Block::Text(hotline, Tone::Plain));
        blocks.push(Block::Gap);
        blocks.push(Block::Keys(Keys::Ended {
            back: undoable(cx.case, cx.view),
        }));
        blocks
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

/// Whether Esc on this end goes back to the step before it: an end reached in this session,
/// with a step to go back to. A case that ended before this session was opened to look at
/// (or to save its receipt): it is a record, and Esc leaves it as it is.
pub fn undoable(case: &crate::wizard::Case, view: &super::StepView) -> bool {
    !view.finished && !case.trail.is_empty()
}
