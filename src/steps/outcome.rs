//! `outcome`: an end — closed, nothing to close, needs customer service, refused. Entering
//! it ends the case; Enter goes to the start page, `e` writes the receipt, and Esc goes back
//! to the step that led here when the end was reached in this session (a mis-pressed "I
//! can't find it" is undone; going back re-opens the case as that step makes it).

//!
//! An end that is refused or needs customer service asks why, once, as it is reached: an
//! optional reason in a field on the end's screen. Enter keeps what was typed
//! (`Event::Reason`, read by the secret guard first) and the end's keys are back; Enter
//! on an empty field skips it and goes to the start page, as on any end.

use tui_input::{Input, InputRequest};

use super::{
    Block, Cx, EnterCx, Exit, Fields, Flow, Keys, Kind, Purpose, ScreenCx, Step, StepView, Tone,
    body_text,
};
use crate::content::OutcomeKind;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{Case, Event};
use crate::wizard::model::{Hint, NOTE_MAX};
use crate::wizard::secrets::{keep_note, takes};

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

    /// Reached just now (the end is the newest entry of the log), an end that asks why
    /// opens with the reason's field; resumed or looked at later, it does not.
    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let just_reached = matches!(
            case.log.last().map(|e| &e.event),
            Some(Event::Outcome { step: id, .. }) if id == step.id()
        );
        if asks_reason(self.result) && just_reached {
            StepView {
                inputs: vec![Input::default()],
                reason: true,
                ..StepView::default()
            }
        } else {
            StepView::default()
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        if cx.view.reason {
            return reason(cx, action);
        }
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
        if let Some(text) = kept_reason(cx.case, cx.step.id()).filter(|_| !cx.view.reason) {
            blocks.push(Block::Text(
                ui.reason_kept.fill(lang, &[("text", text)]),
                Tone::Plain,
            ));
            blocks.push(Block::Gap);
        }
        blocks.push(Block::Keys(Keys::Ended {
            back: undoable(cx.case, cx.view),
        }));
        // The reason last, under the keys (worded for it while it is asked): the field is
        // where the screen scrolls to, with what Enter and Esc do in view above it.
        if cx.view.reason {
            blocks.push(Block::Gap);
            if cx.view.hint == Some(Hint::LooksSecret) {
                blocks.push(Block::Problem(ui.contact_looks_secret.get(lang).to_owned()));
            }
            let label = match self.result {
                OutcomeKind::Rejected => &ui.reason_rejected,
                _ => &ui.reason_service,
            };
            let refused = cx.view.hint == Some(Hint::LooksSecret);
            let typed = cx
                .view
                .inputs
                .first()
                .is_some_and(|i| !i.value().is_empty());
            blocks.push(Block::Field {
                label: label.get(lang).to_owned(),
                purpose: Purpose::Reason {
                    shown: typed || refused,
                },
            });
        }
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

/// Whether an end of this kind asks why it came to this.
pub fn asks_reason(result: OutcomeKind) -> bool {
    matches!(result, OutcomeKind::Rejected | OutcomeKind::NeedsService)
}

/// The reason's field: typed into (what is seen is what is kept, at most `NOTE_MAX`), kept
/// with Enter, or skipped with Enter on nothing (the start page, as Enter on an end).
fn reason(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Edit(req) => {
            let Some(input) = view.inputs.first_mut() else {
                return Flow::Stay;
            };
            if let InputRequest::InsertChar(c) = req {
                if !takes(c) || input.value().chars().count() >= NOTE_MAX {
                    return Flow::Stay;
                }
                view.hint = None;
            }
            input.handle(req);
            Flow::Stay
        }
        Action::Enter => {
            let typed = view.inputs.first().map_or("", Input::value);
            match keep_note(typed, NOTE_MAX) {
                // Never written anywhere: cleared from the field too.
                Err(_) => {
                    view.inputs = vec![Input::default()];
                    view.hint = Some(Hint::LooksSecret);
                    Flow::Stay
                }
                Ok(None) => Flow::Home,
                Ok(Some(text)) => {
                    case.log(
                        now,
                        Event::Reason {
                            step: step.id().to_owned(),
                            text,
                        },
                    );
                    view.inputs.clear();
                    view.reason = false;
                    view.hint = None;
                    Flow::Save
                }
            }
        }
        // Plain mode's `e` (on the full screen a letter is typed into the field).
        Action::Export => Flow::Export,
        _ => Flow::Stay,
    }
}

/// The reason kept on this end since it was last reached, if one was.
fn kept_reason<'c>(case: &'c Case, step: &str) -> Option<&'c str> {
    case.log
        .iter()
        .rev()
        .take_while(|e| !matches!(&e.event, Event::Outcome { step: id, .. } if id == step))
        .find_map(|e| match &e.event {
            Event::Reason { step: id, text } if id == step => Some(text.as_str()),
            _ => None,
        })
}
