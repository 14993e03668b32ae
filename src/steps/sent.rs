//! `sent`: the person already sent the closure request, in the app or to an agent, before
//! this case got there. It asks on what day (a date field, today's date in China filled
//! in), records it, and the `review` after it counts its expected date from that day. It
//! plays the confirmation's part on this path: the request is already made, so nobody is
//! asked to confirm it again.

use chrono::{Months, NaiveDate};
use tui_input::Input;

use super::body_text;
use super::{Block, Cx, Fields, Flow, Kind, Purpose, Safety, ScreenCx, Step, StepView, Tone};
use crate::calendar::china_date;
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, UiStrings};
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};
use crate::wizard::model::{DateProblem, Hint};

#[derive(Debug, Clone)]
pub struct Sent;

/// The log's words for the day the request was sent.
pub fn log_line(date: NaiveDate, ui: &UiStrings, lang: Lang) -> String {
    ui.ev_sent.fill(lang, &[("date", &date.to_string())])
}

/// The day typed, if it is one a request could have been sent on, seen from `today`: a
/// date (see [`read_date`]), not after today and not more than a year before it.
pub fn parse_sent(typed: &str, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let date = read_date(typed).ok_or(DateProblem::NotADate)?;
    if date > today {
        return Err(DateProblem::Future);
    }
    if today
        .checked_sub_months(Months::new(12))
        .is_some_and(|year_ago| date < year_ago)
    {
        return Err(DateProblem::TooOld);
    }
    Ok(date)
}

/// A date written year-month-day; full-width digits and dashes, `/` and `.` are taken as
/// a Chinese input method or habit types them.
pub fn read_date(typed: &str) -> Option<NaiveDate> {
    let text: String = typed
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '.' | '－' | '／' | '．' => '-',
            c => c,
        })
        .collect();
    // chrono would also take a sign or spaces inside; only digits and dashes are a date.
    if !text.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
}

impl Kind for Sent {
    /// A request made outside still needs the debt check and the identity record first.
    fn safety(_: StepKind) -> Safety {
        Safety::Confirmation
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &[],
            allowed: &["body", "next"],
        }
    }

    fn read(_: &StepFile) -> Sent {
        Sent
    }

    /// The date given before, else today's in China. Every way onto a step (entering it,
    /// going back to it, resuming) logs its moment first, so the case's last update is the
    /// time the step is shown.
    fn view(&self, step: &Step, case: &Case, _: bool) -> StepView {
        let date = match case.answer(step.id()) {
            Some(AnswerValue::Sent { date }) => *date,
            _ => china_date(case.updated),
        };
        StepView {
            inputs: vec![Input::new(date.format("%Y-%m-%d").to_string())],
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
            Action::Enter => match parse_sent(view.inputs[0].value(), china_date(now)) {
                Ok(date) => {
                    case.log(
                        now,
                        Event::Sent {
                            step: step.id().to_owned(),
                            date,
                        },
                    );
                    Flow::Leave(ExitVia::Next)
                }
                Err(problem) => {
                    view.hint = Some(Hint::SentDate(problem));
                    Flow::Stay
                }
            },
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        blocks.push(Block::Text(
            ui.sent_question.get(lang).to_owned(),
            Tone::Title,
        ));
        blocks.push(Block::Text(ui.sent_format.get(lang).to_owned(), Tone::Dim));
        blocks.push(Block::Gap);
        blocks.push(Block::Field {
            label: "> ".to_owned(),
            purpose: Purpose::Date,
        });
        if let Some(Hint::SentDate(problem)) = cx.view.hint {
            let why = match problem {
                DateProblem::NotADate => ui.sent_not_a_date.get(lang).to_owned(),
                DateProblem::TooOld => ui.sent_too_old.get(lang).to_owned(),
                DateProblem::Future => {
                    let today = cx.now.map(china_date).unwrap_or_default();
                    ui.sent_future
                        .fill(lang, &[("today", &today.format("%Y-%m-%d").to_string())])
                }
            };
            blocks.push(Block::Gap);
            blocks.push(Block::Problem(why));
        }
        blocks
    }

    /// The date, once Enter took it (only a valid one leaves the step).
    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        let date = read_date(view.inputs.first()?.value())?;
        Some(AnswerValue::Sent { date })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_sent_date_is_a_past_day_within_a_year() {
        let today = day("2026-12-01");
        assert_eq!(parse_sent("2026-11-27", today), Ok(day("2026-11-27")));
        assert_eq!(parse_sent(" 2026-12-01 ", today), Ok(today));
        assert_eq!(
            parse_sent("２０２６－１１－２７", today),
            Ok(day("2026-11-27"))
        );
        assert_eq!(parse_sent("2026/11/27", today), Ok(day("2026-11-27")));
        assert_eq!(parse_sent("2025-12-01", today), Ok(day("2025-12-01")));
        assert_eq!(parse_sent("2026-12-02", today), Err(DateProblem::Future));
        assert_eq!(parse_sent("2025-11-30", today), Err(DateProblem::TooOld));
        for nonsense in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "+2026-11-27",
            "27.11.",
        ] {
            assert_eq!(
                parse_sent(nonsense, today),
                Err(DateProblem::NotADate),
                "{nonsense:?}"
            );
        }
    }
}
