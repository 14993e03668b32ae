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

use crate::content::{Content, Lang, Product, Step};
use crate::steps::{Block, Purpose, open_screen};
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
    /// An end's reason (may be left empty: then the start page, as Enter on an end).
    Reason,
    /// Whose case: the customer reference (may be left empty).
    Customer,
    /// A date (the day a request was sent), and what its field holds now.
    Date { current: String },
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
        Screen::Customer { .. } => Ask::Customer,
        Screen::Step(_) => step_ask(model, content),
    }
}

/// What the step's blocks ask for; the phone first (its methods stay listed under it).
fn step_ask(model: &Model, content: &Content) -> Ask {
    let (Some(blocks), Some((_, _, _, view))) =
        (open_screen(model, content), open_step(model, content))
    else {
        return Ask::Nothing;
    };
    let asks = blocks.iter().filter_map(|block| match block {
        Block::Phone(phone) => Some(Ask::Code {
            locked: phone.locked(),
        }),
        Block::Field { purpose, .. } => Some(match purpose {
            Purpose::Word => Ask::Word,
            Purpose::Note { .. } => Ask::Note,
            Purpose::Reason { .. } => Ask::Reason,
            Purpose::Date => Ask::Date {
                current: view
                    .inputs
                    .first()
                    .map(|i| i.value().to_owned())
                    .unwrap_or_default(),
            },
        }),
        Block::Amounts(rows) => Some(Ask::Amount {
            field: view.cursor,
            fields: rows.len(),
            current: view
                .inputs
                .get(view.cursor)
                .map(|i| i.value().to_owned())
                .unwrap_or_default(),
            last: rows.get(view.cursor).and_then(|r| r.last),
        }),
        Block::Checklist { items, escape, .. } => {
            let item = items.iter().position(|(_, ticked)| !ticked)?;
            Some(Ask::Tick {
                item,
                items: items.len(),
                cursor: view.cursor,
                escape: escape.as_ref().map(|_| items.len()),
                last: items.iter().filter(|(_, ticked)| !ticked).count() == 1,
            })
        }
        Block::Choices { labels, cursor } => Some(Ask::Choose {
            rows: labels.len(),
            cursor: *cursor,
        }),
        _ => None,
    });
    asks.min_by_key(|ask| match ask {
        Ask::Code { .. } => 0,
        _ => 1,
    })
    .unwrap_or(Ask::Continue)
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
