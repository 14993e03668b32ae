//! What each step kind does with a key. Each handler returns a [`Flow`]; `flow` acts on it.

use tui_input::{Input, InputRequest};

use super::flow::{Cx, Flow};
use crate::content::{ExitVia, StepKind, VerifyMethod};
use crate::wizard::action::Action;
use crate::wizard::case::Time;
use crate::wizard::case::{Case, CaseState, Event, ReviewResult};
use crate::wizard::model::{Hint, PHONE_TRIES, Phone, StepView};
use crate::wizard::money::parse_amount;
use crate::wizard::secrets::{clean_note, invisible, looks_secret};

pub(super) fn move_cursor(view: &mut StepView, action: &Action, rows: usize) {
    match action {
        Action::Up | Action::PrevField => view.cursor = view.cursor.saturating_sub(1),
        Action::Down | Action::NextField => {
            view.cursor = (view.cursor + 1).min(rows.saturating_sub(1))
        }
        _ => {}
    }
}

pub(super) fn on_intro(action: Action) -> Flow {
    match action {
        Action::Enter => Flow::Leave(ExitVia::Next),
        _ => Flow::Stay,
    }
}

pub(super) fn on_checklist(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    let items = step.items().len();
    let extra = step.escape_row();
    let rows = items + usize::from(extra.is_some());
    let id = step.id().to_owned();
    let toggle = |case: &mut Case, view: &mut StepView, item: usize| {
        view.ticked[item] = !view.ticked[item];
        view.hint = None;
        case.log(
            now,
            Event::Ticked {
                step: id.clone(),
                item,
                on: view.ticked[item],
            },
        );
    };
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, &action, rows);
            Flow::Stay
        }
        Action::Tick if view.cursor < items => {
            toggle(case, view, view.cursor);
            Flow::Save
        }
        Action::Enter if view.cursor >= items => {
            let event = match extra {
                Some(ExitVia::CantFind) => Event::CantFind {
                    step: step.id().to_owned(),
                },
                _ => Event::FollowupOpen {
                    step: step.id().to_owned(),
                },
            };
            case.log(now, event);
            Flow::Leave(extra.unwrap_or(ExitVia::Next))
        }
        Action::Enter if view.ticked.iter().all(|t| *t) => {
            match step.kind() {
                StepKind::Consequences => case.log(
                    now,
                    Event::Acknowledged {
                        step: step.id().to_owned(),
                    },
                ),
                StepKind::Followup => case.log(
                    now,
                    Event::FollowupOk {
                        step: step.id().to_owned(),
                    },
                ),
                _ => {}
            }
            Flow::Leave(ExitVia::Next)
        }
        Action::Enter if !view.ticked[view.cursor] => {
            // Enter on an unticked item ticks it and moves on: the fast path for keyboards.
            toggle(case, view, view.cursor);
            if let Some(next) = view.ticked.iter().position(|t| !t) {
                view.cursor = next;
            }
            Flow::Save
        }
        Action::Enter => {
            view.hint = Some(Hint::TickAll);
            if let Some(next) = view.ticked.iter().position(|t| !t) {
                view.cursor = next;
            }
            Flow::Stay
        }
        _ => Flow::Stay,
    }
}

pub(super) fn on_status(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, &action, step.options().len());
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

pub(super) fn on_debt(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    if view.blocked.is_some() {
        return match action {
            Action::Enter => Flow::Home,
            _ => Flow::Stay,
        };
    }
    let fields = view.inputs.len();
    match action {
        Action::Up | Action::Down | Action::NextField | Action::PrevField => {
            move_cursor(view, &action, fields);
            Flow::Stay
        }
        Action::Edit(req) => {
            if let Some(input) = view.inputs.get_mut(view.cursor) {
                input.handle(req);
                view.errors[view.cursor] = None;
                view.hint = None;
            }
            Flow::Stay
        }
        Action::Enter => {
            // Enter walks to the next empty field; once all are filled it checks them.
            if let Some(empty) = view.inputs.iter().position(|i| i.value().trim().is_empty())
                && empty != view.cursor
            {
                view.cursor = empty;
                return Flow::Stay;
            }
            let parsed: Vec<_> = view
                .inputs
                .iter()
                .map(|i| parse_amount(i.value()))
                .collect();
            view.errors = parsed.iter().map(|r| r.err()).collect();
            if let Some(bad) = view.errors.iter().position(Option::is_some) {
                view.cursor = bad;
                view.hint = Some(Hint::AmountsInvalid);
                return Flow::Stay;
            }
            let total: i64 = parsed.iter().flatten().sum();
            let id = step.id().to_owned();
            case.log(
                now,
                Event::Amounts {
                    step: id.clone(),
                    total_cents: total,
                },
            );
            if total > 0 {
                view.blocked = Some(total);
                case.state = CaseState::WaitingRepayment;
                case.log(
                    now,
                    Event::Blocked {
                        step: id,
                        total_cents: total,
                    },
                );
                Flow::Save
            } else {
                case.state = CaseState::InProgress;
                Flow::Leave(ExitVia::Next)
            }
        }
        _ => Flow::Stay,
    }
}

pub(super) fn on_verify(cx: &mut Cx, action: Action) -> Flow {
    let (step, now, demo) = (cx.step, cx.now, cx.demo);
    let Cx { case, view, .. } = cx;
    if view.phone.is_some() {
        return on_phone(case, view, step.id(), action, now);
    }
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, &action, step.methods().count());
            Flow::Stay
        }
        Action::Enter => match step.methods().nth(view.cursor) {
            // The demo shows what the phone does: a code arrives, and is typed, masked.
            Some(method @ (VerifyMethod::PaymentPassword | VerifyMethod::Sms)) if demo => {
                view.phone = Some(Phone {
                    method,
                    code: demo_code(&case.id, now, 0),
                    tries_left: PHONE_TRIES,
                    sent_at: now,
                    sent: 1,
                    wrong: false,
                });
                view.inputs = vec![Input::default()];
                Flow::Stay
            }
            Some(method) => {
                case.log(
                    now,
                    Event::Verified {
                        step: step.id().to_owned(),
                        method,
                        simulated: demo,
                    },
                );
                Flow::Leave(ExitVia::Next)
            }
            None => Flow::Stay,
        },
        _ => Flow::Stay,
    }
}

/// Keys while the simulated phone is up: digits into the masked field, Enter to check,
/// F5 for a new code once the countdown allows, Esc back to the list of methods.
fn on_phone(case: &mut Case, view: &mut StepView, step: &str, action: Action, now: Time) -> Flow {
    let Some(phone) = view.phone.as_mut() else {
        return Flow::Stay;
    };
    match action {
        Action::Edit(InputRequest::InsertChar(c)) if !c.is_ascii_digit() => Flow::Stay,
        Action::Edit(req) if !phone.locked() => {
            let full = view.inputs[0].value().len() >= 6;
            if !(full && matches!(req, InputRequest::InsertChar(_))) {
                view.inputs[0].handle(req);
            }
            phone.wrong = false;
            Flow::Stay
        }
        Action::Enter if !phone.locked() => {
            if view.inputs[0].value() == phone.code {
                let method = phone.method;
                view.phone = None;
                view.inputs.clear();
                case.log(
                    now,
                    Event::Verified {
                        step: step.to_owned(),
                        method,
                        simulated: true,
                    },
                );
                return Flow::Leave(ExitVia::Next);
            }
            phone.tries_left -= 1;
            phone.wrong = true;
            view.inputs[0] = Input::default();
            Flow::Stay
        }
        Action::Resend if phone.resend_in(now) == 0 => {
            phone.code = demo_code(&case.id, now, phone.sent);
            phone.sent += 1;
            phone.sent_at = now;
            phone.tries_left = PHONE_TRIES;
            phone.wrong = false;
            view.inputs[0] = Input::default();
            Flow::Stay
        }
        _ => Flow::Stay,
    }
}

/// The demo's six-digit code: made from the case, the time and how many were sent, so a
/// test can predict it and a person sees a new one on each resend. Not a secret: nothing
/// real is protected by it, and it is never saved.
pub fn demo_code(case_id: &str, now: Time, sent: u32) -> String {
    let seed = format!("{case_id}/{}/{sent}", now.timestamp_millis());
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{:06}", hash % 1_000_000)
}

/// The word that confirms, in either language, whatever the screen's language.
pub fn is_confirmation(typed: &str) -> bool {
    let typed = typed.trim();
    typed == "确认" || typed.eq_ignore_ascii_case("confirm")
}

pub(super) fn on_confirm(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Edit(req) => {
            view.inputs[0].handle(req);
            view.hint = None;
            Flow::Stay
        }
        Action::Enter if is_confirmation(view.inputs[0].value()) => {
            case.log(
                now,
                Event::Confirmed {
                    step: step.id().to_owned(),
                },
            );
            Flow::Leave(ExitVia::Next)
        }
        Action::Enter => {
            view.hint = Some(Hint::ConfirmMismatch);
            Flow::Stay
        }
        _ => Flow::Stay,
    }
}

/// A ticket number or a short note fits; a paragraph (or a pasted secret) does not.
pub const REFERENCE_MAX: usize = 60;

pub(super) fn on_contact(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Edit(req) => {
            // An invisible character is not taken into the field: what is seen is what is kept.
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

/// The three answers a review can get, in screen order.
pub const REVIEW_CHOICES: [ReviewResult; 3] = [
    ReviewResult::Closed,
    ReviewResult::Rejected,
    ReviewResult::Waiting,
];

pub(super) fn on_review(cx: &mut Cx, action: Action) -> Flow {
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

pub(super) fn on_outcome(action: Action) -> Flow {
    match action {
        Action::Enter => Flow::Home,
        Action::Export => Flow::Export,
        _ => Flow::Stay,
    }
}
