//! `review`: the request is with the provider. Entering it is the submission (recorded with
//! the expected date, in business days on the holiday calendar); coming back, the person
//! says how it went: closed, refused, or still waiting.

use super::{
    Block, Cx, EnterCx, Exit, Fields, Flow, Kind, Safety, ScreenCx, Tone, body_text, choose,
};
use crate::calendar::china_date;
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, UiStrings};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Event, Review as Submission, ReviewResult};

#[derive(Debug, Clone)]
pub struct Review {
    /// How many business days the review usually takes at most (0: immediate).
    pub business_days: u32,
}

/// The log's words for the submission (with its expected date) and for how it went.
pub fn log_line(event: &Event, ui: &UiStrings, lang: Lang) -> Option<String> {
    Some(match event {
        Event::Submitted { expected, .. } => ui
            .ev_submitted
            .fill(lang, &[("date", &expected.to_string())]),
        Event::ReviewResult { result, .. } => match result {
            ReviewResult::Closed => ui.ev_review_closed.get(lang).to_owned(),
            ReviewResult::Rejected => ui.ev_review_rejected.get(lang).to_owned(),
            ReviewResult::Waiting => ui.ev_review_waiting.get(lang).to_owned(),
        },
        _ => return None,
    })
}

/// The three answers a review can get, in screen order.
pub const REVIEW_CHOICES: [ReviewResult; 3] = [
    ReviewResult::Closed,
    ReviewResult::Rejected,
    ReviewResult::Waiting,
];

impl Kind for Review {
    fn safety(_: StepKind) -> Safety {
        Safety::Guarded
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["business_days", "rejected"],
            allowed: &["body", "next", "business_days", "rejected"],
        }
    }

    fn read(file: &StepFile) -> Review {
        Review {
            business_days: file.business_days.unwrap_or(0),
        }
    }

    fn exits(file: &StepFile) -> Vec<Exit<'_>> {
        // "It is closed" is an answer like the others: it names its step.
        std::iter::once(Exit::choice(ExitVia::Next, file.next.as_ref()))
            .chain(Exit::branch(ExitVia::Rejected, &file.rejected))
            .collect()
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        let Some(&result) = choose(view, &action, &REVIEW_CHOICES) else {
            return Flow::Stay;
        };
        case.log(
            now,
            Event::ReviewResult {
                step: step.id().to_owned(),
                result,
            },
        );
        match result {
            ReviewResult::Closed => Flow::Leave(ExitVia::Next),
            ReviewResult::Rejected => Flow::Leave(ExitVia::Rejected),
            ReviewResult::Waiting => Flow::Home,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        if let Some(AnswerValue::Review(r)) = cx.case.answer(cx.step.id()) {
            let submitted = r.submitted.format("%Y-%m-%d %H:%M").to_string();
            blocks.push(Block::Text(
                ui.review_submitted.fill(lang, &[("date", &submitted)]),
                Tone::Plain,
            ));
            let expected = match r.business_days {
                0 => ui.review_immediate.get(lang).to_owned(),
                // Without a table for that year only the days the law fixes were skipped:
                // the text must not claim the make-up working days were counted.
                n if r.from_tables => ui.review_expected.fill(
                    lang,
                    &[
                        ("date", &r.expected.format("%Y-%m-%d").to_string()),
                        ("n", &n.to_string()),
                    ],
                ),
                n => ui.review_expected_by_law.fill(
                    lang,
                    &[
                        ("date", &r.expected.format("%Y-%m-%d").to_string()),
                        ("n", &n.to_string()),
                    ],
                ),
            };
            blocks.push(Block::Text(expected, Tone::Title));
            if !r.from_tables {
                let year = r.expected.format("%Y").to_string();
                blocks.push(Block::Text(
                    ui.review_no_table.fill(lang, &[("year", &year)]),
                    Tone::Key,
                ));
            }
            blocks.push(Block::Gap);
        }
        blocks.push(Block::Text(
            ui.review_question.get(lang).to_owned(),
            Tone::Title,
        ));
        blocks.push(Block::Choices {
            labels: REVIEW_CHOICES
                .iter()
                .map(|choice| match choice {
                    ReviewResult::Closed => ui.review_closed.get(lang),
                    ReviewResult::Rejected => ui.review_rejected.get(lang),
                    ReviewResult::Waiting => ui.review_waiting.get(lang),
                })
                .map(str::to_owned)
                .collect(),
            cursor: cx.view.cursor,
        });
        blocks
    }

    /// Entering review is the submission: recorded once, with its expected date.
    fn enter(&self, cx: &mut EnterCx) {
        let (case, step, now) = (&mut *cx.case, cx.step, cx.now);
        if !matches!(case.answer(step.id()), Some(AnswerValue::Review(_))) {
            let days = self.business_days;
            let due = cx.content.calendar.add_business_days(china_date(now), days);
            let review = AnswerValue::Review(Submission {
                submitted: now,
                business_days: days,
                expected: due.date,
                from_tables: due.from_tables,
            });
            let fingerprint = cx.product.step_fingerprint(step.id()).unwrap_or_default();
            case.record(step.id(), fingerprint, now, review);
            case.log(
                now,
                Event::Submitted {
                    step: step.id().to_owned(),
                    expected: due.date,
                },
            );
        }
        case.state = CaseState::InReview;
    }

    fn state_on_return(&self) -> CaseState {
        CaseState::InReview
    }
}
