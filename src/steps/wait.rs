//! `wait`: something the person must wait for that is not a debt — a refund still on its
//! way, a dispute, a bill not yet posted. It asks whether it is still pending. Pending: the
//! case is saved as waiting for it (its own state word, `waiting_refund` …) and goes to the
//! start page; resumed, it asks the same question again. Done: on to the next step. Nothing
//! here is money owed, so nothing reads "still owed".

use serde::{Deserialize, Serialize};

use super::{Block, Cx, Fields, Flow, Kind, ScreenCx, Step, StepView, Tone, body_text, choose};
use crate::content::schema::{StepFile, StepKind};
use crate::content::{ExitVia, Lang, Text, UiStrings};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Event};

#[derive(Debug, Clone)]
pub struct Wait {
    pub waiting_for: WaitFor,
}

/// What is awaited; each has its state word in `xiaohu sessions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitFor {
    /// Money on its way back to the person (a return, a cancelled order).
    Refund,
    /// A disputed charge the provider is still looking into.
    Dispute,
    /// A purchase not yet on a bill.
    Bill,
}

/// The words for one thing awaited.
pub struct Words<'a> {
    /// The question the step asks.
    pub question: &'a Text,
    pub pending: &'a Text,
    pub done: &'a Text,
    /// The state word as people read it (the start page, `sessions`' neighbours).
    pub state: &'a Text,
    /// What the receipt says comes next; at a desk, come back to it (no command).
    pub next: &'a Text,
    pub next_desk: &'a Text,
    /// Said on the start page when the case was saved waiting.
    pub notice: &'a Text,
    /// The log's words for "still pending" and "over".
    pub logged_pending: &'a Text,
    pub logged_done: &'a Text,
}

impl WaitFor {
    pub fn words(self, ui: &UiStrings) -> Words<'_> {
        match self {
            WaitFor::Refund => Words {
                question: &ui.wait_refund_question,
                pending: &ui.wait_refund_pending,
                done: &ui.wait_refund_done,
                state: &ui.state_waiting_refund,
                next: &ui.receipt_next_refund,
                next_desk: &ui.receipt_next_refund_desk,
                notice: &ui.notice_waiting_refund,
                logged_pending: &ui.ev_refund_pending,
                logged_done: &ui.ev_refund_done,
            },
            WaitFor::Dispute => Words {
                question: &ui.wait_dispute_question,
                pending: &ui.wait_dispute_pending,
                done: &ui.wait_dispute_done,
                state: &ui.state_waiting_dispute,
                next: &ui.receipt_next_dispute,
                next_desk: &ui.receipt_next_dispute_desk,
                notice: &ui.notice_waiting_dispute,
                logged_pending: &ui.ev_dispute_pending,
                logged_done: &ui.ev_dispute_done,
            },
            WaitFor::Bill => Words {
                question: &ui.wait_bill_question,
                pending: &ui.wait_bill_pending,
                done: &ui.wait_bill_done,
                state: &ui.state_waiting_bill,
                next: &ui.receipt_next_bill,
                next_desk: &ui.receipt_next_bill_desk,
                notice: &ui.notice_waiting_bill,
                logged_pending: &ui.ev_bill_pending,
                logged_done: &ui.ev_bill_done,
            },
        }
    }
}

/// The log's words for an answer to a wait step, in the words of what it waits for when
/// the content still has the step (`what`), generic otherwise.
pub fn log_line(ui: &UiStrings, lang: Lang, pending: bool, what: Option<WaitFor>) -> String {
    let words = what.map(|w| w.words(ui));
    match (pending, words) {
        (true, Some(w)) => w.logged_pending,
        (false, Some(w)) => w.logged_done,
        (true, None) => &ui.ev_wait_pending,
        (false, None) => &ui.ev_wait_done,
    }
    .get(lang)
    .to_owned()
}

/// The two answers as "still pending?", in screen order: over first, as a review's
/// "closed" comes first: the way on is the first choice.
pub const WAIT_CHOICES: [bool; 2] = [false, true];

impl Kind for Wait {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["waiting_for"],
            allowed: &["body", "next", "waiting_for"],
        }
    }

    fn read(file: &StepFile) -> Wait {
        Wait {
            waiting_for: file
                .waiting_for
                .as_ref()
                .map_or(WaitFor::Refund, |w| *w.get_ref()),
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
        let (step, now) = (cx.step, cx.now);
        let Cx { case, view, .. } = cx;
        let Some(&pending) = choose(view, &action, &WAIT_CHOICES) else {
            return Flow::Stay;
        };
        case.log(
            now,
            Event::Waiting {
                step: step.id().to_owned(),
                pending,
            },
        );
        if pending {
            case.state = CaseState::Waiting(self.waiting_for);
            Flow::Home
        } else {
            case.state = CaseState::InProgress;
            Flow::Leave(ExitVia::Next)
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang) = (cx.ui, cx.lang);
        let words = self.waiting_for.words(ui);
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        blocks.push(Block::Text(
            words.question.get(lang).to_owned(),
            Tone::Title,
        ));
        blocks.push(Block::Choices {
            labels: WAIT_CHOICES
                .iter()
                .map(|&pending| match pending {
                    false => words.done.get(lang).to_owned(),
                    true => words.pending.get(lang).to_owned(),
                })
                .collect(),
            cursor: cx.view.cursor,
        });
        // Back after saying it was still pending: when that was.
        if cx.case.state == CaseState::Waiting(self.waiting_for)
            && let Some(at) = cx.case.log.iter().rev().find_map(|e| match &e.event {
                Event::Waiting {
                    step,
                    pending: true,
                } if step == cx.step.id() => Some(e.at),
                _ => None,
            })
        {
            let date = at.format("%Y-%m-%d").to_string();
            let last = ui.wait_last_time.fill(lang, &[("date", &date)]);
            blocks.push(Block::Gap);
            blocks.push(Block::Text(last, Tone::Dim));
        }
        blocks
    }

    /// Recorded once it is over; while pending, the case's state says so.
    fn answer(&self, _: &Step, _: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Awaited)
    }
}
