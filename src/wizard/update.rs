//! `update`: the whole behaviour of the wizard as one pure function of
//! (model, content, action, time). No terminal, no disk, no clock.

use std::collections::BTreeMap;

use tui_input::{Input, InputRequest};

use super::action::{Action, Effect, OpenError};
use super::case::{
    Answer, AnswerValue, CASE_SCHEMA, Case, CaseState, Event, Review, ReviewResult, Time,
    new_case_id,
};
use super::model::{Hint, Model, Notice, Screen, StepView};
use super::money::{format_cents, parse_amount};
use crate::content::{Content, ExitVia, Product, Step, StepKind};

pub fn update(model: &mut Model, content: &Content, action: Action, now: Time) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        // Keys that work everywhere.
        Action::Help => model.help = !model.help,
        Action::SwitchLang => {
            model.lang = model.lang.other();
            if let Some(case) = &mut model.case {
                case.lang = model.lang;
                case.log(now, Event::Language { lang: model.lang });
                fx.push(save(case));
            }
        }
        // The log belongs to a case; there is none to show on the start page.
        Action::ToggleLog if model.case.is_some() => model.show_log = !model.show_log,
        Action::ToggleLog => {}
        Action::Resize(w, h) => model.size = (w, h),
        // A message stays until the next key (a failed save, until a save succeeds).
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Enter
        | Action::Back
        | Action::Tick
        | Action::NextField
        | Action::PrevField
        | Action::Export
        | Action::Edit(_)
            if model.notice.is_some()
                && !matches!(model.notice, Some(Notice::SaveFailed { .. })) =>
        {
            model.notice = None;
            return update(model, content, action, now);
        }
        // A window too small to read: only quitting and the language work.
        _ if model.too_small() && !matches!(action, Action::Quit | Action::SwitchLang) => {}
        Action::Quit => {
            if let Some(case) = &mut model.case {
                if !case.state.is_finished() {
                    case.log(now, Event::Quit);
                }
                fx.push(save(case));
                fx.push(Effect::Release);
            }
            model.quit = true;
            fx.push(Effect::Quit);
        }
        // Answers from the app.
        Action::SavedList { saved, damaged } => {
            model.saved = saved;
            model.damaged = damaged;
            let rows = model.resumable().len();
            if let Screen::Welcome { selected } = &mut model.screen {
                *selected = (*selected).min(rows);
            }
        }
        Action::SaveFailed(reason) => model.notice = Some(Notice::SaveFailed { reason }),
        Action::Saved => {
            if matches!(model.notice, Some(Notice::SaveFailed { .. })) {
                model.notice = None;
            }
        }
        Action::Notice(notice) => model.notice = Some(notice),
        Action::OpenFailed(error) => {
            model.notice = Some(match error {
                OpenError::Locked(id) => Notice::Locked { id },
                OpenError::Other(text) => Notice::Error(text),
            });
        }
        Action::CaseOpened(case) => open_case(model, content, *case, now, &mut fx),
        Action::StartProduct(id) => {
            if let Some(product) = content.product(&id) {
                start_case(model, product, now, &mut fx);
            }
        }
        // While help is open, only closing it does anything.
        _ if model.help => {
            if matches!(action, Action::Back | Action::Enter) {
                model.help = false;
            }
        }
        action => match model.screen {
            Screen::Welcome { .. } => welcome(model, action, &mut fx),
            Screen::Picker { .. } => picker(model, content, action, now, &mut fx),
            Screen::Step(_) => step(model, content, action, now, &mut fx),
        },
    }
    fx
}

fn welcome(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
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

fn picker(model: &mut Model, content: &Content, action: Action, now: Time, fx: &mut Vec<Effect>) {
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

fn start_case(model: &mut Model, product: &Product, now: Time, fx: &mut Vec<Effect>) {
    let first = product.first_step().id().to_owned();
    let mut case = Case {
        schema: CASE_SCHEMA,
        id: new_case_id(now, product.id(), |id| {
            model.saved.iter().any(|s| s.id == id)
        }),
        product: product.id().to_owned(),
        content_fingerprint: product.fingerprint.clone(),
        lang: model.lang,
        created: now,
        updated: now,
        state: CaseState::InProgress,
        step: first.clone(),
        trail: Vec::new(),
        answers: BTreeMap::new(),
        log: Vec::new(),
        drafts: BTreeMap::new(),
    };
    case.log(now, Event::Started);
    case.log(now, Event::Entered { step: first });
    model.notice = None;
    model.screen = Screen::Step(view_for(&case, product.first_step(), model.demo));
    fx.push(save(&case));
    model.case = Some(case);
}

/// Brings a saved case up to date with the content and puts it on screen.
fn open_case(
    model: &mut Model,
    content: &Content,
    mut case: Case,
    now: Time,
    fx: &mut Vec<Effect>,
) {
    let Some(product) = content.product(&case.product) else {
        model.notice = Some(Notice::Error(format!(
            "{}: unknown product `{}`",
            case.id, case.product
        )));
        fx.push(Effect::Release);
        return;
    };
    let mut notice = Notice::Resumed;
    case.log(now, Event::Resumed);
    let changed = reconcile(&mut case, product);
    if !changed.is_empty() || case.content_fingerprint != product.fingerprint {
        notice = Notice::ContentChanged;
        if !changed.is_empty() {
            case.log(now, Event::ContentChanged { steps: changed });
        }
        case.content_fingerprint = product.fingerprint.clone();
    }
    if product.step(&case.step).is_none() {
        notice = Notice::StepGone;
        case.step = product.first_step().id().to_owned();
        case.trail.clear();
    }
    // A case that reached a later step without its prerequisites (edited by hand, or a
    // step that changed) goes back to the first one missing.
    if let Some(missing) = missing_prerequisite(&case, product) {
        rewind_to(&mut case, &missing);
    }
    // The language on screen (F2 on the start page, --lang, LANG) wins over the saved one:
    // the person at the keyboard now may not be the one who started.
    case.lang = model.lang;
    let step = product.step(&case.step).unwrap_or(product.first_step());
    let mut view = view_for(&case, step, model.demo);
    // A case that ended before this session: Esc leaves it as it is.
    view.finished = case.state.is_finished();
    model.screen = Screen::Step(view);
    if let (Some(AnswerValue::Review(r)), Some(StepKind::Review)) = (
        case.answer(&case.step),
        product.step(&case.step).map(Step::kind),
    ) && now.date_naive() > r.expected
    {
        notice = Notice::ReviewOverdue {
            expected: r.expected,
            hotline: product.info.hotline.clone(),
        };
    }
    model.notice = Some(notice);
    fx.push(save(&case));
    model.case = Some(case);
}

/// Drops answers to steps that changed or vanished, and goes back to the earliest of them
/// on the trail. Returns the ids of the steps that will be asked again.
pub fn reconcile(case: &mut Case, product: &Product) -> Vec<String> {
    case.trail.retain(|s| product.step(s).is_some());
    let changed: Vec<String> = case
        .answers
        .iter()
        .filter(|(step, answer)| {
            product.step_fingerprint(step) != Some(answer.step_fingerprint.as_str())
        })
        .map(|(step, _)| step.clone())
        .collect();
    // Once submitted, the answers are what was submitted: asking again would tell a person
    // who already applied to apply again. Only the notice says the content changed.
    let submitted = case
        .answers
        .values()
        .any(|a| matches!(a.value, AnswerValue::Review(_)));
    if submitted {
        case.answers.retain(|step, _| product.step(step).is_some());
        return changed;
    }
    case.answers.retain(|step, _| !changed.contains(step));
    if let Some(first) = case.trail.iter().find(|s| changed.contains(s)).cloned() {
        rewind_to(case, &first);
    }
    changed
}

/// Moves the case back to `step`: along the trail if it was walked, otherwise straight to it
/// (a step that was never answered, such as a skipped debt check).
fn rewind_to(case: &mut Case, step: &str) {
    if let Some(pos) = case.trail.iter().position(|s| s == step) {
        case.trail.truncate(pos);
    }
    case.step = step.to_owned();
}

/// The safety rule, checked at run time too: before `confirm`, `contact` or `review`, the
/// trail must hold a `debt` step answered with zero and a `verify` step answered.
/// Returns the first step that must be answered (again).
pub fn missing_prerequisite(case: &Case, product: &Product) -> Option<String> {
    let current = product.step(&case.step)?;
    if !matches!(
        current.kind(),
        StepKind::Confirm | StepKind::Contact | StepKind::Review | StepKind::Followup
    ) {
        return None;
    }
    let walked = || case.trail.iter().filter_map(|s| product.step(s));
    let debt_ok = walked().any(|s| {
        s.kind() == StepKind::Debt
            && case.answer(s.id()).and_then(AnswerValue::total_cents) == Some(0)
    });
    let verify_ok = walked().any(|s| {
        s.kind() == StepKind::Verify
            && matches!(case.answer(s.id()), Some(AnswerValue::Verified { .. }))
    });
    let first_of = |kind: StepKind| {
        walked()
            .find(|s| s.kind() == kind)
            .or_else(|| product.steps.iter().find(|s| s.kind() == kind))
            .map(|s| s.id().to_owned())
    };
    if !debt_ok {
        return first_of(StepKind::Debt).or_else(|| Some(product.first_step().id().to_owned()));
    }
    if !verify_ok {
        return first_of(StepKind::Verify).or_else(|| Some(product.first_step().id().to_owned()));
    }
    None
}

/// A fresh view of `step`, pre-filled from the case's answers.
pub fn view_for(case: &Case, step: &Step, demo: bool) -> StepView {
    let answer = case.answer(step.id());
    let mut view = StepView::default();
    match step.kind() {
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            view.ticked = match answer {
                Some(AnswerValue::Checklist { ticked }) if ticked.len() == step.items().len() => {
                    ticked.clone()
                }
                _ => vec![false; step.items().len()],
            };
        }
        StepKind::Debt => {
            // Waiting for repayment: ask again from empty fields ("last time" is shown).
            let fresh = case.state == CaseState::WaitingRepayment;
            view.inputs = step
                .fields()
                .iter()
                .map(|f| {
                    let prior = match answer {
                        Some(AnswerValue::Amounts { cents }) if !fresh => {
                            cents.get(f.id.get_ref()).map(|c| plain_amount(*c))
                        }
                        _ => None,
                    };
                    let demo_default = demo.then(|| "0".to_owned());
                    Input::new(prior.or(demo_default).unwrap_or_default())
                })
                .collect();
            view.errors = vec![None; view.inputs.len()];
        }
        StepKind::Confirm => view.inputs = vec![Input::default()],
        StepKind::Contact => {
            let prior = match answer {
                Some(AnswerValue::Contacted { reference }) => reference.clone(),
                _ => None,
            };
            view.inputs = vec![Input::new(prior.unwrap_or_default())];
        }
        StepKind::Status => {
            if let Some(AnswerValue::Choice { option }) = answer {
                view.cursor = *option;
            }
        }
        StepKind::Verify => {
            if let Some(AnswerValue::Verified { method, .. }) = answer {
                view.cursor = step.methods().position(|m| m == *method).unwrap_or(0);
            }
        }
        _ => {}
    }
    // What was typed before going back beats the last answer.
    if let Some(draft) = case.drafts.get(step.id())
        && draft.len() == view.inputs.len()
    {
        view.inputs = draft.iter().map(|t| Input::new(t.clone())).collect();
    }
    view
}

fn plain_amount(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

fn step(model: &mut Model, content: &Content, action: Action, now: Time, fx: &mut Vec<Effect>) {
    let (Some(case), Screen::Step(view)) = (&mut model.case, &mut model.screen) else {
        return;
    };
    let Some(product) = content.product(&case.product) else {
        return;
    };
    let Some(step) = product.step(&case.step) else {
        return;
    };
    let demo = model.demo;

    // Scrolling and Esc work the same on every step.
    match action {
        Action::PageDown => {
            view.scroll = (view.scroll + 5).min(SCROLL_LIMIT);
            return;
        }
        Action::PageUp => {
            view.scroll = (view.scroll - 5).max(-SCROLL_LIMIT);
            return;
        }
        Action::Back if view.blocked.is_some() => {
            view.blocked = None;
            return;
        }
        Action::Back if view.finished => {
            go_home(model, fx);
            return;
        }
        Action::Back => {
            if !view.inputs.is_empty() {
                let typed = view.inputs.iter().map(|i| i.value().to_owned()).collect();
                case.drafts.insert(step.id().to_owned(), typed);
            }
            match case.trail.pop() {
                Some(prev) => {
                    case.step = prev.clone();
                    case.log(now, Event::Back { step: prev.clone() });
                    let target = product.step(&prev).unwrap_or(product.first_step());
                    // Going back re-opens the case: it waits for a review only on the review
                    // step, and for repayment only after the amounts are checked again.
                    case.state = if target.kind() == StepKind::Review {
                        CaseState::InReview
                    } else {
                        CaseState::InProgress
                    };
                    *view = view_for(case, target, demo);
                    fx.push(save(case));
                }
                // Left at the first step with nothing answered: not worth a saved case.
                None if case.answers.is_empty() => {
                    fx.push(Effect::Discard(case.id.clone()));
                    fx.push(Effect::Release);
                    model.case = None;
                    model.screen = Screen::Welcome { selected: 0 };
                    fx.push(Effect::RefreshSaved);
                }
                None => go_home(model, fx),
            }
            return;
        }
        // Any other key brings the focus back into view.
        _ => view.scroll = 0,
    }

    let mut cx = Cx {
        case,
        step,
        view,
        now,
        demo,
    };
    let outcome = match step.kind() {
        StepKind::Intro => on_intro(action),
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            on_checklist(&mut cx, action)
        }
        StepKind::Status => on_status(&mut cx, action),
        StepKind::Debt => on_debt(&mut cx, action),
        StepKind::Verify => on_verify(&mut cx, action),
        StepKind::Confirm => on_confirm(&mut cx, action),
        StepKind::Contact => on_contact(&mut cx, action),
        StepKind::Review => on_review(&mut cx, action),
        StepKind::Outcome => on_outcome(action),
    };
    let Cx { case, view, .. } = cx;
    match outcome {
        Flow::Stay => {}
        Flow::Save => {
            // Partial progress (ticks, checked amounts) is kept too.
            if let Some(value) = completed_answer(step, view, case, demo) {
                let fingerprint = product.step_fingerprint(step.id()).unwrap_or_default();
                case.answers.insert(
                    step.id().to_owned(),
                    Answer {
                        step_fingerprint: fingerprint.to_owned(),
                        at: now,
                        value,
                    },
                );
            }
            fx.push(save(case));
        }
        Flow::Leave(via) => {
            case.drafts.remove(step.id());
            let fingerprint = product.step_fingerprint(step.id()).unwrap_or_default();
            if let Some(value) = completed_answer(step, view, case, demo) {
                case.answers.insert(
                    step.id().to_owned(),
                    Answer {
                        step_fingerprint: fingerprint.to_owned(),
                        at: now,
                        value,
                    },
                );
            }
            if let Some(next) = product.target(step, via) {
                enter(case, view, content, product, next, now, demo);
            }
            fx.push(save(case));
        }
        Flow::Home => {
            let notice = waiting_notice(case);
            go_home(model, fx);
            model.notice = notice;
        }
        Flow::Export => fx.push(Effect::ExportReceipt),
    }
}

/// What to tell a person leaving a case that waits for something.
fn waiting_notice(case: &Case) -> Option<Notice> {
    match case.state {
        CaseState::WaitingRepayment => Some(Notice::WaitingRepayment {
            id: case.id.clone(),
        }),
        CaseState::InReview => case.answers.values().find_map(|a| match &a.value {
            AnswerValue::Review(r) => Some(Notice::WaitingReview {
                id: case.id.clone(),
                expected: r.expected,
            }),
            _ => None,
        }),
        _ => None,
    }
}

fn save(case: &Case) -> Effect {
    Effect::Save(Box::new(case.clone()))
}

/// How far PgUp/PgDn can move the view from where the focus puts it, in lines.
const SCROLL_LIMIT: i32 = 200;

/// What every step handler works on.
struct Cx<'a> {
    case: &'a mut Case,
    step: &'a Step,
    view: &'a mut StepView,
    now: Time,
    demo: bool,
}

/// What a step's handler decided.
enum Flow {
    Stay,
    /// Stay, but something worth saving changed (a tick, a block).
    Save,
    /// The step is done; leave it this way.
    Leave(ExitVia),
    /// Back to the start page, case saved.
    Home,
    Export,
}

fn go_home(model: &mut Model, fx: &mut Vec<Effect>) {
    if let Some(case) = model.case.take() {
        fx.push(Effect::Save(Box::new(case)));
    }
    model.screen = Screen::Welcome { selected: 0 };
    fx.push(Effect::Release);
    fx.push(Effect::RefreshSaved);
}

/// Moves forward into `next`, logging it and running what entering that step does.
fn enter(
    case: &mut Case,
    view: &mut StepView,
    content: &Content,
    product: &Product,
    next: &Step,
    now: Time,
    demo: bool,
) {
    let from = std::mem::replace(&mut case.step, next.id().to_owned());
    case.trail.push(from);
    case.log(
        now,
        Event::Entered {
            step: next.id().to_owned(),
        },
    );
    if let Some(missing) = missing_prerequisite(case, product) {
        // Unreachable with validated content; a second lock on the safety rule.
        rewind_to(case, &missing);
    }
    let next = product.step(&case.step).unwrap_or(next);
    match next.kind() {
        StepKind::Review => {
            if !matches!(case.answer(next.id()), Some(AnswerValue::Review(_))) {
                // Entering review is the submission: record it with its expected date.
                let days = next.business_days.unwrap_or(0);
                let due = content.calendar.add_business_days(now.date_naive(), days);
                case.answers.insert(
                    next.id().to_owned(),
                    Answer {
                        step_fingerprint: product
                            .step_fingerprint(next.id())
                            .unwrap_or_default()
                            .to_owned(),
                        at: now,
                        value: AnswerValue::Review(Review {
                            submitted: now,
                            business_days: days,
                            expected: due.date,
                            from_tables: due.from_tables,
                        }),
                    },
                );
                case.log(
                    now,
                    Event::Submitted {
                        step: next.id().to_owned(),
                        expected: due.date,
                    },
                );
            }
            case.state = CaseState::InReview;
        }
        StepKind::Outcome => {
            if let Some(result) = next.result() {
                case.state = CaseState::from_outcome(result);
                case.log(
                    now,
                    Event::Outcome {
                        step: next.id().to_owned(),
                        result,
                    },
                );
            }
        }
        _ => {
            if case.state == CaseState::InReview {
                case.state = CaseState::InProgress;
            }
        }
    }
    *view = view_for(case, next, demo);
}

/// The answer a step holds once done (or partly done, for checklists and amounts).
fn completed_answer(step: &Step, view: &StepView, case: &Case, demo: bool) -> Option<AnswerValue> {
    Some(match step.kind() {
        StepKind::Intro => AnswerValue::Seen,
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            AnswerValue::Checklist {
                ticked: view.ticked.clone(),
            }
        }
        StepKind::Status => AnswerValue::Choice {
            option: view.cursor,
        },
        StepKind::Debt => {
            let cents = step
                .fields()
                .iter()
                .zip(&view.inputs)
                .map(|(f, input)| Some((f.id.get_ref().clone(), parse_amount(input.value()).ok()?)))
                .collect::<Option<BTreeMap<_, _>>>()?;
            AnswerValue::Amounts { cents }
        }
        StepKind::Verify => AnswerValue::Verified {
            method: step.methods().nth(view.cursor)?,
            simulated: demo,
        },
        StepKind::Confirm => AnswerValue::Confirmed,
        StepKind::Contact => AnswerValue::Contacted {
            reference: Some(view.inputs.first()?.value().trim().to_owned())
                .filter(|r| !r.is_empty()),
        },
        StepKind::Review | StepKind::Outcome => {
            let _ = case;
            return None;
        }
    })
}

fn move_cursor(view: &mut StepView, action: &Action, rows: usize) {
    match action {
        Action::Up | Action::PrevField => view.cursor = view.cursor.saturating_sub(1),
        Action::Down | Action::NextField => {
            view.cursor = (view.cursor + 1).min(rows.saturating_sub(1))
        }
        _ => {}
    }
}

fn on_intro(action: Action) -> Flow {
    match action {
        Action::Enter => Flow::Leave(ExitVia::Next),
        _ => Flow::Stay,
    }
}

fn on_checklist(cx: &mut Cx, action: Action) -> Flow {
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

fn on_status(cx: &mut Cx, action: Action) -> Flow {
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

fn on_debt(cx: &mut Cx, action: Action) -> Flow {
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

fn on_verify(cx: &mut Cx, action: Action) -> Flow {
    let (step, now, demo) = (cx.step, cx.now, cx.demo);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, &action, step.methods().count());
            Flow::Stay
        }
        Action::Enter => match step.methods().nth(view.cursor) {
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

/// The word that confirms, in either language, whatever the screen's language.
pub fn is_confirmation(typed: &str) -> bool {
    let typed = typed.trim();
    typed == "确认" || typed.eq_ignore_ascii_case("confirm")
}

fn on_confirm(cx: &mut Cx, action: Action) -> Flow {
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

fn on_contact(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Edit(req) => {
            // A reference number, not a secret; still, keep it short.
            if view.inputs[0].value().chars().count() < 60
                || !matches!(req, InputRequest::InsertChar(_))
            {
                view.inputs[0].handle(req);
            }
            Flow::Stay
        }
        Action::Enter => {
            let reference =
                Some(view.inputs[0].value().trim().to_owned()).filter(|r| !r.is_empty());
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

fn on_review(cx: &mut Cx, action: Action) -> Flow {
    let (step, now) = (cx.step, cx.now);
    let Cx { case, view, .. } = cx;
    match action {
        Action::Up | Action::Down => {
            move_cursor(view, &action, REVIEW_CHOICES.len());
            Flow::Stay
        }
        Action::Enter => {
            let result = REVIEW_CHOICES[view.cursor.min(2)];
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

fn on_outcome(action: Action) -> Flow {
    match action {
        Action::Enter => Flow::Home,
        Action::Export => Flow::Export,
        _ => Flow::Stay,
    }
}

/// Total owed as money, for messages.
pub fn owed(cents: i64) -> String {
    format_cents(cents)
}
