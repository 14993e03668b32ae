//! `contact`: how to reach a person at the provider — the routes, what to have at hand,
//! what to say — and an optional note of the ticket number. The only free-text field: what
//! looks like an ID, a card number or a code is refused and cleared.

use tui_input::{Input, InputRequest};

use super::{
    Block, Cx, Fields, Flow, Keys, Kind, Purpose, Report, Safety, ScreenCx, Step, StepView, Tone,
    body_text,
};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, Text, UiStrings};
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

/// The log's words for the provider contacted, with the note if one was kept.
pub fn log_line(reference: Option<&str>, ui: &UiStrings, lang: Lang) -> String {
    let r = reference.map_or_else(String::new, |r| format!(" ({r})"));
    ui.ev_contacted.fill(lang, &[("reference", &r)])
}

/// A ticket number or a short note fits; a paragraph (or a pasted secret) does not.
pub const REFERENCE_MAX: usize = 60;

impl Kind for Contact {
    fn safety(_: StepKind) -> Safety {
        Safety::Confirmation
    }

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

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang, view) = (cx.ui, cx.lang, cx.view);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        blocks.push(Block::Text(
            ui.contact_channels.get(lang).to_owned(),
            Tone::Title,
        ));
        let hotline = cx.product.info.hotline_text(ui, lang);
        let mut routes: Vec<String> = self
            .channels
            .iter()
            .map(|c| c.get(lang).to_owned())
            .collect();
        routes.push(ui.contact_hotline.fill(lang, &[("hotline", &hotline)]));
        blocks.push(Block::Bullets(routes));
        if !self.prepare.is_empty() {
            blocks.push(Block::Gap);
            blocks.push(Block::Text(
                ui.contact_prepare.get(lang).to_owned(),
                Tone::Title,
            ));
            blocks.push(Block::Bullets(
                self.prepare
                    .iter()
                    .map(|p| p.get(lang).to_owned())
                    .collect(),
            ));
        }
        if let Some(say) = &self.say {
            blocks.push(Block::Gap);
            blocks.push(Block::Text(
                ui.contact_say.get(lang).to_owned(),
                Tone::Title,
            ));
            blocks.push(Block::Indented(format!("“{}”", say.get(lang)), Tone::Plain));
            // The agent speaks Chinese: in English, show the words to say too.
            if lang == Lang::En {
                blocks.push(Block::Indented(format!("“{}”", say.zh), Tone::Plain));
            }
        }
        blocks.push(Block::Gap);
        // Above the field, so it is in view when the field is: a refused secret must be seen.
        let refused = view.hint == Some(Hint::LooksSecret);
        if refused {
            blocks.push(Block::Problem(ui.contact_looks_secret.get(lang).to_owned()));
        }
        // The note is optional: the screen opens at the top, where the route is; once the
        // person types (or a secret was refused), the field scrolls into view.
        let typed = view.inputs.first().is_some_and(|i| !i.value().is_empty());
        blocks.push(Block::Field {
            label: ui.contact_reference.get(lang).to_owned(),
            purpose: Purpose::Note {
                shown: typed || refused,
            },
        });
        blocks.push(Block::Keys(Keys::Contacted));
        blocks
    }

    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Contacted {
            reference: Some(view.inputs.first()?.value().trim().to_owned())
                .filter(|r| !r.is_empty()),
        })
    }
}
