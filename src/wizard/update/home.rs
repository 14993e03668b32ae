//! The start page (the worklist at a staffed desk, its search and archive key), the
//! product list and its filter, whose case it is, and starting a case.

use std::collections::BTreeMap;

use tui_input::{Input, InputRequest};

use super::save;
use super::view::view_for;
use crate::content::{Content, Product, StepKind};
use crate::wizard::action::{Action, Effect};
use crate::wizard::case::{CASE_SCHEMA, Case, CaseId, CaseState, Event, Time};
use crate::wizard::model::{Model, Notice, Screen};
use crate::wizard::secrets::{clean_note, invisible, looks_secret};
use crate::wizard::worklist::{self, Page};

/// The longest customer reference kept: a name or a queue ticket, never a paragraph.
pub const CUSTOMER_MAX: usize = 40;

/// The store's page of the worklist arrived: grouped and sorted once, here, not per frame.
pub(super) fn saved_list(model: &mut Model, content: &Content, page: Page, now: Time) {
    model.saved = page.cases;
    model.reading_saved = false;
    model.damaged = page.damaged;
    model.totals = page.totals;
    model.saved_for = page.search;
    model.worklist = worklist::build(&model.saved, &content.calendar, now);
    refresh_shown(model, content);
}

/// The search changed: narrowed here when the page on screen holds every case the new
/// search can match (it is whole, and was fetched unsearched or for text the new search
/// contains); otherwise the store is asked, and the page narrowed meanwhile.
fn search_changed(model: &mut Model, content: &Content, fx: &mut Vec<Effect>) {
    let typed = model.search.value();
    let text = worklist::Search::new(content, typed).text;
    let covered = model.totals.is_none() && text.contains(model.saved_for.as_str());
    if !covered {
        fx.push(Effect::Search(typed.to_owned()));
    }
    refresh_shown(model, content);
}

/// What the search matches, worked out again (the search or the list changed).
fn refresh_shown(model: &mut Model, content: &Content) {
    model.shown = worklist::search(&model.worklist, &model.saved, content, model.search.value());
    let rows = model.listed_len();
    if let Screen::Welcome { selected } = &mut model.screen {
        *selected = (*selected).min(rows);
    }
}

/// Typing into a short field: what is invisible or a control is never taken, and it holds
/// at most `max` characters.
fn type_into(input: &mut Input, req: InputRequest, max: usize) {
    let unseen = matches!(req, InputRequest::InsertChar(c) if c.is_control() || invisible(c));
    let full = input.value().chars().count() >= max;
    let blocked = unseen || (full && matches!(req, InputRequest::InsertChar(_)));
    if !blocked {
        input.handle(req);
    }
}

pub(super) fn welcome(model: &mut Model, content: &Content, action: Action, fx: &mut Vec<Effect>) {
    let rows = 1 + model.listed_len();
    // A second press of the archive key must follow the first at once: anything else
    // between them (a move, a letter) means the slip is forgotten.
    let asked = model.archive_asked.take();
    match action {
        Action::Edit(req) if model.searching() => {
            type_into(&mut model.search, req, CUSTOMER_MAX);
            search_changed(model, content, fx);
            // The first match is selected, so typing a name and Enter opens the case.
            let first = usize::from(model.listed_len() > 0);
            if let Screen::Welcome { selected } = &mut model.screen {
                *selected = first;
            }
        }
        Action::Back if !model.search.value().is_empty() => {
            model.search = Input::default();
            search_changed(model, content, fx);
            if let Screen::Welcome { selected } = &mut model.screen {
                *selected = 0;
            }
        }
        Action::Archive => {
            let Screen::Welcome { selected } = model.screen else {
                return;
            };
            let Some((_, summary)) = model.listed_at(selected) else {
                return;
            };
            if !worklist::archivable(summary.state) {
                return;
            }
            let id = summary.id.clone();
            if asked.as_ref() == Some(&id) {
                model.archiving = Some(id.clone());
                fx.push(Effect::Open(id));
            } else {
                model.archive_asked = Some(id);
            }
        }
        action => {
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
                    let row = *selected;
                    if let Some((_, summary)) = model.listed_at(row) {
                        fx.push(Effect::Open(summary.id.clone()));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The case opened to be archived: marked, logged, saved and let go — never shown. It
/// leaves the worklist at once; the list is read again from the store.
pub(super) fn archive_opened(
    model: &mut Model,
    content: &Content,
    mut case: Case,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    model.archiving = None;
    case.hands = model.staff.clone();
    case.archived = true;
    case.log(now, Event::Archived);
    fx.push(save(&case));
    fx.push(Effect::Release);
    if let Some(summary) = model.saved.iter_mut().find(|s| s.id == case.id) {
        summary.archived = true;
    }
    model.worklist = worklist::build(&model.saved, &content.calendar, now);
    refresh_shown(model, content);
    fx.push(Effect::RefreshSaved);
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
                let product = &content.products[i];
                if asks_customer(model) {
                    model.screen = Screen::Customer {
                        product: product.id().to_owned(),
                        input: Input::default(),
                        refused: false,
                    };
                } else {
                    start_case(model, product, now, fx);
                }
            }
        }
        _ => {}
    }
}

/// Whether starting a case asks whose it is: at a staffed desk (`--agent` or `--desk`), not
/// on a kiosk (a visitor at a public screen is nobody's customer there, and the next one
/// would read it), not in demo mode (nothing is kept to tie it to).
pub fn asks_customer(model: &Model) -> bool {
    model.staffed() && !model.demo
}

/// The customer reference: typed, skipped with Enter on an empty field, refused (and
/// cleared) when it looks like a secret; Esc goes back to the product list.
pub(super) fn customer(
    model: &mut Model,
    content: &Content,
    action: Action,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    let Screen::Customer {
        product,
        input,
        refused,
    } = &mut model.screen
    else {
        return;
    };
    match action {
        Action::Edit(req) => type_into(input, req, CUSTOMER_MAX),
        Action::Back => {
            model.screen = Screen::Picker {
                filter: Input::default(),
                selected: 0,
            };
        }
        Action::Enter => {
            let typed = clean_note(input.value());
            // Never kept, and off the screen too.
            if looks_secret(&typed).is_some() {
                *input = Input::default();
                *refused = true;
                return;
            }
            let typed: String = typed.chars().take(CUSTOMER_MAX).collect();
            let reference = Some(typed).filter(|t| !t.is_empty());
            if let Some(product) = content.product(product) {
                start_case_for(model, product, reference, now, fx);
            }
        }
        _ => {}
    }
}

pub(super) fn start_case(model: &mut Model, product: &Product, now: Time, fx: &mut Vec<Effect>) {
    start_case_for(model, product, None, now, fx);
}

fn start_case_for(
    model: &mut Model,
    product: &Product,
    customer: Option<String>,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    // Its placeholder end screen would be saved as a case needing service: a desk's
    // worklist would show a case nobody started for a reason.
    if !product.usable() {
        model.notice = Some(Notice::ProductBroken {
            case: None,
            product: product.id().to_owned(),
        });
        return;
    }
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
        customer: customer.clone(),
        archived: false,
        hands: model.staff.clone(),
    };
    // A demo profile's amounts are typed in already, as if read off the customer's phone.
    if model.demo && !model.demo_amounts.is_empty() {
        for step in product
            .steps()
            .iter()
            .filter(|s| s.kind() == StepKind::Debt)
        {
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
    if let Some(reference) = customer {
        case.log(now, Event::Customer { reference });
    }
    case.log(now, Event::Entered { step: first });
    model.notice = None;
    model.screen = Screen::Step(view_for(&case, product.first_step(), model.demo));
    fx.push(save(&case));
    model.case = Some(case);
}
