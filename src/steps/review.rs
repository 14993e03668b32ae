//! `review`: the request is with the provider. Entering it is the submission (recorded with
//! the expected date, in business days on the holiday calendar); coming back, the person
//! says how it went: closed, refused, or still waiting.

use super::{Cx, EnterCx, Exit, Fields, Flow, Kind, Step, StepView, move_cursor};
use crate::content::ExitVia;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event, Review as Submission, ReviewResult};

#[derive(Debug, Clone)]
pub struct Review {
    /// How many business days the review usually takes at most (0: immediate).
    pub business_days: u32,
}

/// The three answers a review can get, in screen order.
pub const REVIEW_CHOICES: [ReviewResult; 3] = [
    ReviewResult::Closed,
    ReviewResult::Rejected,
    ReviewResult::Waiting,
];

impl Kind for Review {
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
        std::iter::once(Exit::next(file))
            .chain(Exit::branch(ExitVia::Rejected, &file.rejected))
            .collect()
    }

    fn view(&self, _: &Step, _: &Case, _: bool) -> StepView {
        StepView::default()
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        match action {
            Action::Up | Action::Down => {
                move_cursor(view, &action, REVIEW_CHOICES.len());
                Flow::Stay
            }
            Action::Enter => {
                let Some(&result) = REVIEW_CHOICES.get(view.cursor) else {
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
            _ => Flow::Stay,
        }
    }

    /// Entering review is the submission: recorded once, with its expected date.
    fn enter(&self, cx: &mut EnterCx) {
        let (case, step, now) = (&mut *cx.case, cx.step, cx.now);
        if !matches!(case.answer(step.id()), Some(AnswerValue::Review(_))) {
            let days = self.business_days;
            let due = cx
                .content
                .calendar
                .add_business_days(now.date_naive(), days);
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
