//! The start page and the product list.

use std::collections::BTreeMap;

use tui_input::Input;

use super::save;
use super::view::view_for;
use crate::content::{Content, Product, StepKind};
use crate::wizard::action::{Action, Effect};
use crate::wizard::case::{CASE_SCHEMA, Case, CaseId, CaseState, Event, Time};
use crate::wizard::model::{Model, Screen};

pub(super) fn welcome(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let rows = 1 + model.resumable().len();
    let Screen::Welcome { selected } = &mut model.screen else {
        return;
    };
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(rows - 1),
        Action::Enter if *selected == 0 => {
            model.notice = None;
            model.screen = Screen::Picker {
                filter: Input::default(),
                selected: 0,
            };
        }
        Action::Enter => {
            let index = *selected - 1;
            if let Some(summary) = model.resumable().get(index) {
                fx.push(Effect::Open(summary.id.clone()));
            }
        }
        _ => {}
    }
}

/// Products whose id, names or platform contain the filter (case-insensitive), in list order.
pub fn picker_matches(content: &Content, filter: &str) -> Vec<usize> {
    let needle = filter.trim().to_lowercase();
    content
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let info = &p.info;
            needle.is_empty()
                || [
                    p.id(),
                    &info.name.zh,
                    &info.name.en,
                    &info.platform.name.zh,
                    &info.platform.name.en,
                    &info.provider.zh,
                    &info.provider.en,
                ]
                .iter()
                .any(|s| s.to_lowercase().contains(&needle))
        })
        .map(|(i, _)| i)
        .collect()
}

pub(super) fn picker(
    model: &mut Model,
    content: &Content,
    action: Action,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    let Screen::Picker { filter, selected } = &mut model.screen else {
        return;
    };
    let matches = picker_matches(content, filter.value());
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(matches.len().saturating_sub(1)),
        Action::Edit(req) => {
            filter.handle(req);
            *selected = 0;
        }
        Action::Back => model.screen = Screen::Welcome { selected: 0 },
        Action::Enter => {
            if let Some(&i) = matches.get(*selected) {
                start_case(model, &content.products[i], now, fx);
            }
        }
        _ => {}
    }
}

pub(super) fn start_case(model: &mut Model, product: &Product, now: Time, fx: &mut Vec<Effect>) {
    let first = product.first_step().id().to_owned();
    let mut case = Case {
        schema: CASE_SCHEMA,
        // The store makes it unique (`-2` …) when it is first written: only the disk
        // knows what other terminals started in the same second.
        id: CaseId::new(now, product.id()),
        product: product.id().to_owned(),
        content_fingerprint: product.fingerprint().to_owned(),
        lang: model.lang,
        created: now,
        updated: now,
        state: CaseState::InProgress,
        step: first.clone(),
        trail: Vec::new(),
        answers: BTreeMap::new(),
        log: Vec::new(),
        drafts: BTreeMap::new(),
        phones: Vec::new(),
        customer: None,
        archived: false,
        hands: model.staff.clone(),
    };
    // A demo profile's amounts are typed in already, as if read off the customer's phone.
    if model.demo && !model.demo_amounts.is_empty() {
        for step in product.steps.iter().filter(|s| s.kind() == StepKind::Debt) {
            let fields = step.debt().map(|d| d.fields.as_slice());
            let typed = fields
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    let amount = model.demo_amounts.get(f.id.get_ref().as_str());
                    amount.cloned().unwrap_or_else(|| "0".to_owned())
                })
                .collect();
            case.drafts.insert(step.id().to_owned(), typed);
        }
    }
    case.log(now, Event::Started);
    case.log(now, Event::Entered { step: first });
    model.notice = None;
    model.screen = Screen::Step(view_for(&case, product.first_step(), model.demo));
    fx.push(save(&case));
    model.case = Some(case);
}
