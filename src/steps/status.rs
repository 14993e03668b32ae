//! `status`: what the product page shows, as options that each lead somewhere.

use super::{
    Block, Cx, Exit, Fields, Flow, Kind, Report, ScreenCx, Step, StepView, body_text, move_cursor,
};
use crate::content::schema::{StatusOption, StepFile, StepKind};
use crate::content::{ExitVia, Lang, Text, UiStrings};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};

#[derive(Debug, Clone)]
pub struct Status {
    /// Each option's label, in screen order.
    pub options: Vec<Text>,
}

/// The log's words for the option chosen: its label while the content has it.
pub fn log_line(option: usize, step: Option<&Step>, ui: &UiStrings, lang: Lang) -> String {
    let label = step
        .and_then(|s| s.status()?.options.get(option))
        .map_or_else(|| format!("#{}", option + 1), |o| o.get(lang).to_owned());
    ui.ev_status.fill(lang, &[("option", &label)])
}

impl Kind for Status {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["options"],
            allowed: &["body", "options"],
        }
    }

    fn read(file: &StepFile) -> Status {
        Status {
            options: options(file).iter().map(|o| o.label.clone()).collect(),
        }
    }

    fn check(file: &StepFile, report: &mut Report) {
        if file.options.as_ref().is_some_and(Vec::is_empty) {
            report.error(file.kind.span(), "`options` must not be empty");
        }
    }

    /// A status step leaves only by its options.
    fn exits(file: &StepFile) -> Vec<Exit<'_>> {
        options(file)
            .iter()
            .enumerate()
            .map(|(i, o)| Exit::choice(ExitVia::Option(i), o.next.as_ref()))
            .collect()
    }

    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let mut view = StepView::default();
        if let Some(AnswerValue::Choice { option }) = case.answer(step.id()) {
            view.cursor = *option;
        }
        view
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        match action {
            Action::Up | Action::Down => {
                move_cursor(view, &action, self.options.len());
                Flow::Stay
            }
            Action::Enter => {
                case.log(
                    now,
                    Event::Status {
                        step: step.id().to_owned(),
                        option: view.cursor,
                    },
                );
                Flow::Leave(ExitVia::Option(view.cursor))
            }
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        blocks.push(Block::Choices {
            labels: self
                .options
                .iter()
                .map(|o| o.get(cx.lang).to_owned())
                .collect(),
            cursor: cx.view.cursor,
        });
        blocks
    }

    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Choice {
            option: view.cursor,
        })
    }
}

fn options(file: &StepFile) -> &[StatusOption] {
    file.options.as_deref().unwrap_or_default()
}
