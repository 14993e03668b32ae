//! `review`: the request is with the provider. Entering it is the submission (recorded with
//! the expected date, in business days on the holiday calendar, from the day a `sent` step
//! before it says the request went out, else from today); coming back, the person says how
//! it went: closed, refused, or still waiting. Past the expected date the screen says so,
//! by how many business days, and offers the customer-service route (`overdue`).

use super::{
    Block, Cx, EnterCx, Exit, Fields, Flow, Kind, Safety, ScreenCx, Tone, body_text, choose,
};
use chrono::{Days, NaiveDate};

use crate::calendar::{HolidayCalendar, china_date};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, UiStrings};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event, Review as Submission, ReviewResult, Time};

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
            ReviewResult::Overdue => ui.ev_review_service.get(lang).to_owned(),
        },
        _ => return None,
    })
}

/// The three answers a review can always get, in screen order; past the expected date a
/// fourth, the customer-service route, follows them.
pub const REVIEW_CHOICES: [ReviewResult; 3] = [
    ReviewResult::Closed,
    ReviewResult::Rejected,
    ReviewResult::Waiting,
];

/// How late a submission is on `today` (in China): `None` up to its expected date, then the
/// business days since it (0 while only days off have passed).
pub fn days_late(review: &Submission, calendar: &HolidayCalendar, today: NaiveDate) -> Option<u32> {
    if today <= review.expected {
        return None;
    }
    let mut late = 0;
    let mut day = review.expected;
    while day < today {
        day = day.checked_add_days(Days::new(1))?;
        late += u32::from(calendar.is_business_day(day));
    }
    Some(late)
}

/// What the agent panel says on a review past its expected date, instead of the step's
/// own `agent` text (written for the day of the request: "write down today's date" reads
/// wrong on day nine): how late it is, and to contact customer service with the customer
/// now, with what to say. `None` while the date has not passed.
pub fn overdue_agent_text(
    case: &Case,
    step: &str,
    product: &crate::content::Product,
    ui: &UiStrings,
    lang: Lang,
    calendar: &HolidayCalendar,
    now: Time,
) -> Option<String> {
    let Some(AnswerValue::Review(r)) = case.answer(step) else {
        return None;
    };
    let late = days_late(r, calendar, china_date(now))?;
    let passed = match late {
        0 => ui.review_overdue_days_off.get(lang).to_owned(),
        1 => ui.review_overdue_one.get(lang).to_owned(),
        n => ui.review_overdue.fill(lang, &[("n", &n.to_string())]),
    };
    let sent = r.sent.unwrap_or_else(|| china_date(r.submitted));
    let advice = ui.agent_review_overdue.fill(
        lang,
        &[
            ("hotline", &product.info.hotline_text(ui, lang)),
            ("sent", &sent.format("%Y-%m-%d").to_string()),
            ("date", &r.expected.format("%Y-%m-%d").to_string()),
        ],
    );
    Some(format!("{passed}\n{advice}"))
}

/// The day a `sent` step on the way here says the request went out (the latest, if the
/// person walked more than one).
fn sent_on(case: &Case) -> Option<NaiveDate> {
    case.trail.iter().rev().find_map(|s| match case.answer(s) {
        Some(AnswerValue::Sent { date }) => Some(*date),
        _ => None,
    })
}

/// The case's submission at this step, if it is past its expected date at `now`.
fn overdue(case: &Case, step: &str, now: Time) -> bool {
    matches!(case.answer(step), Some(AnswerValue::Review(r)) if china_date(now) > r.expected)
}

/// The answers offered at `now`, in screen order.
fn choices(case: &Case, step: &str, now: Time) -> Vec<ReviewResult> {
    let mut all = REVIEW_CHOICES.to_vec();
    if overdue(case, step, now) {
        all.push(ReviewResult::Overdue);
    }
    all
}

impl Kind for Review {
    fn safety(_: StepKind) -> Safety {
        Safety::Guarded
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["business_days", "rejected", "overdue"],
            allowed: &["body", "next", "business_days", "rejected", "overdue"],
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
            .chain(Exit::branch(ExitVia::Overdue, &file.overdue))
            .collect()
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        let offered = choices(case, step.id(), now);
        let Some(&result) = choose(view, &action, &offered) else {
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
            ReviewResult::Overdue => Flow::Leave(ExitVia::Overdue),
            // Past the date too: the case stays in review, and the notice on the way home
            // says the date has passed and what to do (`wizard::update::waiting_notice`).
            ReviewResult::Waiting => Flow::Home,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        let offered = cx.now.map_or_else(
            || REVIEW_CHOICES.to_vec(),
            |now| choices(cx.case, cx.step.id(), now),
        );
        if let Some(AnswerValue::Review(r)) = cx.case.answer(cx.step.id()) {
            let when = match r.sent {
                Some(day) => ui
                    .review_sent
                    .fill(lang, &[("date", &day.format("%Y-%m-%d").to_string())]),
                None => {
                    // In China's time, as the expected date below is counted: on a machine
                    // set to another zone the two lines would otherwise disagree on the day.
                    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
                    let mut submitted = r
                        .submitted
                        .with_timezone(&china)
                        .format("%Y-%m-%d %H:%M")
                        .to_string();
                    if *r.submitted.offset() != china {
                        submitted.push_str(ui.review_china_time.get(lang));
                    }
                    ui.review_submitted.fill(lang, &[("date", &submitted)])
                }
            };
            blocks.push(Block::Text(when, Tone::Plain));
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
            let late = cx
                .now
                .and_then(|now| days_late(r, cx.calendar, china_date(now)));
            match late {
                // A date already gone is not promised again as if it were ahead.
                Some(n) => {
                    let passed = match n {
                        0 => ui.review_overdue_days_off.get(lang).to_owned(),
                        1 => ui.review_overdue_one.get(lang).to_owned(),
                        n => ui.review_overdue.fill(lang, &[("n", &n.to_string())]),
                    };
                    blocks.push(Block::Text(passed, Tone::Key));
                    let hotline = cx.product.info.hotline_text(ui, lang);
                    blocks.push(Block::Text(
                        ui.review_overdue_advice
                            .fill(lang, &[("hotline", &hotline)]),
                        Tone::Plain,
                    ));
                    let sent = r.sent.unwrap_or_else(|| china_date(r.submitted));
                    let say = ui.review_overdue_say.fill(
                        lang,
                        &[
                            ("sent", &sent.format("%Y-%m-%d").to_string()),
                            ("date", &r.expected.format("%Y-%m-%d").to_string()),
                        ],
                    );
                    blocks.push(Block::Indented(say, Tone::Key));
                }
                None if !r.from_tables => {
                    let year = r.expected.format("%Y").to_string();
                    blocks.push(Block::Text(
                        ui.review_no_table.fill(lang, &[("year", &year)]),
                        Tone::Key,
                    ));
                }
                None => {}
            }
            blocks.push(Block::Gap);
        }
        blocks.push(Block::Text(
            ui.review_question.get(lang).to_owned(),
            Tone::Title,
        ));
        blocks.push(Block::Choices {
            labels: offered
                .iter()
                .map(|choice| match choice {
                    ReviewResult::Closed => ui.review_closed.get(lang),
                    ReviewResult::Rejected => ui.review_rejected.get(lang),
                    ReviewResult::Waiting => ui.review_waiting.get(lang),
                    ReviewResult::Overdue => ui.review_service.get(lang),
                })
                .map(str::to_owned)
                .collect(),
            cursor: cx.view.cursor,
        });
        blocks
    }

    /// Entering review is the submission: recorded once, with its expected date, counted
    /// from the day a `sent` step says the request went out, else from today. Recorded
    /// again only when that day was changed (back to the `sent` step, another date).
    fn enter(&self, cx: &mut EnterCx) {
        let (case, step, now) = (&mut *cx.case, cx.step, cx.now);
        let sent = sent_on(case);
        let recorded = match case.answer(step.id()) {
            Some(AnswerValue::Review(r)) => r.sent == sent,
            _ => false,
        };
        if !recorded {
            let days = self.business_days;
            let from = sent.unwrap_or_else(|| china_date(now));
            let due = cx.content.calendar.add_business_days(from, days);
            let review = AnswerValue::Review(Submission {
                submitted: now,
                business_days: days,
                expected: due.date,
                from_tables: due.from_tables,
                sent,
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
