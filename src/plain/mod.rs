//! Plain mode (`--plain`): the same wizard as line-by-line text on the normal screen, for
//! screen readers and for anyone who cannot use a full-screen program. Like `ui`, it is
//! pure: [`page`] says what to print for the model, and [`answer`] turns a typed line into
//! the `Action`s a keyboard would have sent. So every rule still lives in `wizard::update`,
//! and plain mode cannot drift from the full screen. The loop that reads and prints is
//! `app/plain.rs`.

mod answer;
mod page;

pub use answer::{Reply, answer};
pub use page::{Page, page};

use crate::content::{Content, Lang, Product, Step, StepKind};
use crate::steps::{Block, ScreenCx};
use crate::wizard::case::{AnswerValue, CaseState};
use crate::wizard::money::AmountError;
use crate::wizard::update::picker_matches;
use crate::wizard::{Case, Model, Screen, StepView};

/// The one question the model asks now; `page` words it, `answer` reads the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// The start page, a status step, the verify methods, the review: a number picks a row.
    Choose { rows: usize, cursor: usize },
    /// The product list: a number picks; words filter the list.
    Pick { rows: usize, cursor: usize },
    /// The first checklist item not ticked yet; `escape` is the row of "I can't find it".
    Tick {
        item: usize,
        items: usize,
        cursor: usize,
        escape: Option<usize>,
        last: bool,
    },
    /// The debt field the cursor is on, what it holds now, and (resuming a case that was
    /// waiting for repayment) what was entered last time, in fen.
    Amount {
        field: usize,
        fields: usize,
        current: String,
        last: Option<i64>,
    },
    /// The confirmation word.
    Word,
    /// The contact note (may be left empty).
    Note,
    /// The simulated phone's code (demo mode).
    Code { locked: bool },
    /// Enter goes on: an intro, a checklist all ticked, the blocked screen, an outcome.
    Continue,
    /// Nothing on screen takes an answer (a case whose step is gone): commands only.
    Nothing,
}

/// The open step: (case, product, step, view).
fn open_step<'a>(
    model: &'a Model,
    content: &'a Content,
) -> Option<(&'a Case, &'a Product, &'a Step, &'a StepView)> {
    let Screen::Step(view) = &model.screen else {
        return None;
    };
    let case = model.case.as_ref()?;
    let product = content.product(&case.product)?;
    let step = product.step(&case.step)?;
    Some((case, product, step, view))
}

fn ask(model: &Model, content: &Content) -> Ask {
    match &model.screen {
        Screen::Welcome { selected } => Ask::Choose {
            rows: 1 + model.resumable().len(),
            cursor: *selected,
        },
        Screen::Picker { filter, selected } => Ask::Pick {
            rows: picker_matches(content, filter.value()).len(),
            cursor: *selected,
        },
        Screen::Step(_) => step_ask(model, content),
    }
}

fn step_ask(model: &Model, content: &Content) -> Ask {
    let Some((case, product, step, view)) = open_step(model, content) else {
        return Ask::Nothing;
    };
    // A screen described in blocks asks for its choice, if it has one.
    let screen = ScreenCx {
        ui: &content.ui,
        lang: model.lang,
        demo: model.demo,
        product,
        case,
        step,
        view,
    };
    if let Some(blocks) = step.screen(&screen) {
        return blocks
            .iter()
            .find_map(|b| match b {
                Block::Choices { labels, cursor } => Some(Ask::Choose {
                    rows: labels.len(),
                    cursor: *cursor,
                }),
                _ => None,
            })
            .unwrap_or(Ask::Continue);
    }
    match step.kind() {
        StepKind::Intro | StepKind::Outcome => Ask::Continue,
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            let checklist = step.checklist();
            let items = checklist.map_or(0, |c| c.items.len());
            match view.ticked.iter().position(|t| !t) {
                Some(item) => Ask::Tick {
                    item,
                    items,
                    cursor: view.cursor,
                    escape: checklist.and_then(|c| c.escape).map(|_| items),
                    last: view.ticked.iter().filter(|t| !**t).count() == 1,
                },
                None => Ask::Continue,
            }
        }
        StepKind::Status => Ask::Choose {
            rows: step.status().map_or(0, |s| s.options.len()),
            cursor: view.cursor,
        },
        StepKind::Debt if view.blocked.is_some() => Ask::Continue,
        StepKind::Debt => Ask::Amount {
            field: view.cursor,
            fields: view.inputs.len(),
            current: view
                .inputs
                .get(view.cursor)
                .map(|i| i.value().to_owned())
                .unwrap_or_default(),
            last: last_amount(case, step, view.cursor),
        },
        StepKind::Verify => match &view.phone {
            Some(phone) => Ask::Code {
                locked: phone.locked(),
            },
            None => Ask::Choose {
                rows: step.verify().map_or(0, |v| v.methods.len()),
                cursor: view.cursor,
            },
        },
        StepKind::Confirm => Ask::Word,
        StepKind::Contact => Ask::Note,
        StepKind::Review => Ask::Choose {
            rows: crate::wizard::update::REVIEW_CHOICES.len(),
            cursor: view.cursor,
        },
        // Every other kind describes its screen in blocks (above).
        _ => Ask::Continue,
    }
}

/// The amount a debt field held when the case stopped, waiting for repayment.
fn last_amount(case: &Case, step: &Step, field: usize) -> Option<i64> {
    if case.state != CaseState::WaitingRepayment {
        return None;
    }
    let Some(AnswerValue::Amounts { cents }) = case.answer(step.id()) else {
        return None;
    };
    cents
        .get(step.debt()?.fields.get(field)?.id.get_ref())
        .copied()
}

/// Why an amount was refused, in words.
fn amount_error(content: &Content, lang: Lang, err: AmountError) -> &str {
    let ui = &content.ui;
    match err {
        AmountError::Empty => &ui.err_amount_empty,
        AmountError::Negative => &ui.err_amount_negative,
        AmountError::NotANumber => &ui.err_amount_not_number,
        AmountError::TooManyDecimals => &ui.err_amount_decimals,
        AmountError::TooLarge => &ui.err_amount_too_large,
    }
    .get(lang)
}

/// Parts of a sentence joined as each language punctuates a list.
fn join(lang: Lang, parts: &[&str]) -> String {
    parts.join(match lang {
        Lang::Zh => "，",
        Lang::En => ", ",
    })
}

#[cfg(test)]
mod tests;
