//! `contact`: how to reach a person at the provider — the routes, what to have at hand,
//! what to say — and an optional note of the ticket number. The only free-text field: what
//! looks like an ID, a card number or a code is refused and cleared.

use tui_input::{Input, InputRequest};

use super::{Cx, Fields, Flow, Kind, Report, Step, StepView};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Text};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};
use crate::wizard::model::Hint;
use crate::wizard::secrets::{clean_note, invisible, looks_secret};

#[derive(Debug, Clone)]
pub struct Contact {
    /// The routes to a person (online chat path, hotline …).
    pub channels: Vec<Text>,
    /// What to have at hand (never typed into the wizard).
    pub prepare: Vec<Text>,
    /// What to say.
    pub say: Option<Text>,
}

/// A ticket number or a short note fits; a paragraph (or a pasted secret) does not.
pub const REFERENCE_MAX: usize = 60;

impl Kind for Contact {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["channels"],
            allowed: &["body", "next", "channels", "prepare", "say"],
        }
    }

    fn read(file: &StepFile) -> Contact {
        Contact {
            channels: file.channels.clone().unwrap_or_default(),
            prepare: file.prepare.clone().unwrap_or_default(),
            say: file.say.clone(),
        }
    }

    fn check(file: &StepFile, report: &mut Report) {
        if file.channels.as_ref().is_some_and(Vec::is_empty) {
            report.error(file.kind.span(), "`channels` must not be empty");
        }
    }

    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let prior = match case.answer(step.id()) {
            Some(AnswerValue::Contacted { reference }) => reference.clone(),
            _ => None,
        };
        StepView {
            inputs: vec![Input::new(prior.unwrap_or_default())],
            ..StepView::default()
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        match action {
            Action::Edit(req) => {
                // An invisible character is not taken into the field: what is seen is kept.
                let unseen =
                    matches!(req, InputRequest::InsertChar(c) if c.is_control() || invisible(c));
                if !unseen
                    && (view.inputs[0].value().chars().count() < REFERENCE_MAX
                        || !matches!(req, InputRequest::InsertChar(_)))
                {
                    view.inputs[0].handle(req);
                }
                Flow::Stay
            }
            Action::Enter => {
                // A draft brought back may still hold what the field would not take.
                let typed = clean_note(view.inputs[0].value());
                // Never written anywhere: cleared from the field too, so it leaves the screen.
                if looks_secret(&typed).is_some() {
                    view.inputs[0] = Input::default();
                    view.hint = Some(Hint::LooksSecret);
                    return Flow::Stay;
                }
                let reference = Some(typed).filter(|r| !r.is_empty());
                case.log(
                    now,
                    Event::Contacted {
                        step: step.id().to_owned(),
                        reference,
                    },
                );
                Flow::Leave(ExitVia::Next)
            }
            _ => Flow::Stay,
        }
    }

    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Contacted {
            reference: Some(view.inputs.first()?.value().trim().to_owned())
                .filter(|r| !r.is_empty()),
        })
    }
}
