//! `debt`: an amount field per thing the product can owe. All zero goes on; anything above
//! zero blocks the closure, shows how to repay, and the case waits for repayment.

use std::collections::{BTreeMap, HashSet};

use tui_input::Input;

use super::{
    AmountRow, Block, Cx, Fields, Flow, Keys, Kind, Report, Safety, ScreenCx, Step, StepView, Tone,
    body_text, move_cursor,
};
use crate::content::schema::{DebtField, StepFile, StepKind};
use crate::content::validate::is_valid_id;
use crate::content::{ExitVia, Lang, Text, UiStrings};
use crate::wizard::CaseState;
use crate::wizard::action::Action;
use crate::wizard::case::{AnswerValue, Case, Event};
use crate::wizard::model::Hint;
use crate::wizard::money::{AmountError, format_cents, parse_amount, typed_amount};

#[derive(Debug, Clone)]
pub struct Debt {
    pub fields: Vec<DebtField>,
    /// How to repay, shown when an amount blocks the closure.
    pub repay: Text,
}

impl Debt {
    /// The amounts of the last check, shown beside the fields when the case waits for them.
    pub fn last<'c>(&self, step: &Step, case: &'c Case) -> Option<&'c BTreeMap<String, i64>> {
        match case.answer(step.id()) {
            Some(AnswerValue::Amounts { cents }) if case.state == CaseState::WaitingRepayment => {
                Some(cents)
            }
            _ => None,
        }
    }
}

/// The log's words for amounts checked (their total), or for a total that blocks.
pub fn log_line(total_cents: i64, blocked: bool, ui: &UiStrings, lang: Lang) -> String {
    let words = if blocked {
        &ui.ev_blocked
    } else {
        &ui.ev_amounts
    };
    words.fill(lang, &[("amount", &format_cents(total_cents))])
}

/// Why an amount was refused, in words.
pub fn amount_error(ui: &UiStrings, err: AmountError) -> &Text {
    match err {
        AmountError::Empty => &ui.err_amount_empty,
        AmountError::Negative => &ui.err_amount_negative,
        AmountError::NotANumber => &ui.err_amount_not_number,
        AmountError::TooManyDecimals => &ui.err_amount_decimals,
        AmountError::TooLarge => &ui.err_amount_too_large,
    }
}

impl Kind for Debt {
    fn safety(_: StepKind) -> Safety {
        Safety::DebtCheck
    }

    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &["fields", "repay"],
            allowed: &["body", "next", "fields", "repay"],
        }
    }

    fn read(file: &StepFile) -> Debt {
        Debt {
            fields: file.fields.clone().unwrap_or_default(),
            repay: file.repay.clone().unwrap_or_default(),
        }
    }

    fn check(file: &StepFile, report: &mut Report) {
        if file.fields.as_ref().is_some_and(Vec::is_empty) {
            report.error(file.kind.span(), "`fields` must not be empty");
        }
        let mut seen = HashSet::new();
        for field in file.fields.iter().flatten() {
            let id = field.id.get_ref();
            if !is_valid_id(id) {
                report.error(
                    field.id.span(),
                    format!("amount id `{id}` must be lowercase letters, digits and `-`"),
                );
            }
            if !seen.insert(id.as_str()) {
                report.error(field.id.span(), format!("duplicate amount id `{id}`"));
            }
        }
    }

    fn view(&self, step: &Step, case: &Case, demo: bool) -> StepView {
        let answer = case.answer(step.id());
        // Waiting for repayment: ask again from empty fields ("last time" is shown).
        let fresh = case.state == CaseState::WaitingRepayment;
        let inputs: Vec<Input> = self
            .fields
            .iter()
            .map(|f| {
                let prior = match answer {
                    Some(AnswerValue::Amounts { cents }) if !fresh => {
                        cents.get(f.id.get_ref()).map(|c| typed_amount(*c))
                    }
                    _ => None,
                };
                let demo_default = demo.then(|| "0".to_owned());
                Input::new(prior.or(demo_default).unwrap_or_default())
            })
            .collect();
        StepView {
            errors: vec![None; inputs.len()],
            inputs,
            ..StepView::default()
        }
    }

    fn handle(&self, cx: &mut Cx, action: Action) -> Flow {
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

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (ui, lang, view) = (cx.ui, cx.lang, cx.view);
        if let Some(total) = view.blocked {
            let title = ui
                .debt_blocked_title
                .fill(lang, &[("amount", &format_cents(total))]);
            // A public terminal names no case id and no command: the next visitor reads it.
            let body = if cx.demo {
                ui.debt_blocked_body_demo.get(lang).to_owned()
            } else if cx.kiosk {
                ui.debt_blocked_body_kiosk.get(lang).to_owned()
            } else {
                ui.debt_blocked_body.fill(lang, &[("id", &cx.case.id)])
            };
            return vec![
                Block::Text(title, Tone::Error),
                Block::Gap,
                Block::Text(self.repay.get(lang).to_owned(), Tone::Plain),
                Block::Gap,
                Block::Text(body, Tone::Plain),
                Block::Gap,
                Block::Keys(Keys::Blocked),
            ];
        }
        let mut blocks = Vec::new();
        body_text(cx, &mut blocks);
        let last = self.last(cx.step, cx.case);
        let rows = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| AmountRow {
                label: field.label.get(lang).to_owned(),
                hint: field.hint.as_ref().map(|h| h.get(lang).to_owned()),
                last: last.and_then(|l| l.get(field.id.get_ref())).copied(),
                error: view
                    .errors
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|e| amount_error(ui, e).get(lang).to_owned()),
            })
            .collect();
        blocks.push(Block::Amounts(rows));
        blocks.push(Block::Gap);
        if view.hint == Some(Hint::AmountsInvalid) {
            blocks.push(Block::Problem(ui.err_amounts_invalid.get(lang).to_owned()));
        }
        blocks
    }

    fn answer(&self, _: &Step, view: &StepView, _: bool) -> Option<AnswerValue> {
        let cents = self
            .fields
            .iter()
            .zip(&view.inputs)
            .map(|(f, input)| Some((f.id.get_ref().clone(), parse_amount(input.value()).ok()?)))
            .collect::<Option<BTreeMap<_, _>>>()?;
        Some(AnswerValue::Amounts { cents })
    }
}
