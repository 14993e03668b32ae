//! What plain mode prints for the model: plain lines, no colour, no box drawing, no
//! symbols a screen reader would spell out; choices numbered.

use super::{Ask, amount_error, ask, join, open_step};
use crate::content::{Content, ExitVia, Lang, StepKind, VerifyMethod};
use crate::report::{method_name, notice_text, state_name, step_title};
use crate::safe_text;
use crate::steps::{Block, ScreenCx};
use crate::wizard::case::{AnswerValue, ReviewResult};
use crate::wizard::model::Phone;
use crate::wizard::money::{format_cents, parse_amount};
use crate::wizard::update::{REVIEW_CHOICES, picker_matches};
use crate::wizard::{Hint, Model, Screen, Time};

/// One page of plain output. The loop prints `heading` and `text` when `key` changes (a
/// new page); `alerts` after every answer that was acted on; `question` and `prompt` each
/// time it asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub key: String,
    pub heading: String,
    pub text: Vec<String>,
    /// A part of the page that can change while the page stays (the simulated phone after
    /// a new code): printed again when `section_key` changes, without the rest.
    pub section: Vec<String>,
    pub section_key: String,
    /// Errors, hints and notices: what the last answer led to.
    pub alerts: Vec<String>,
    /// What this question is about (the item to tick, the code on the phone …).
    pub question: Vec<String>,
    /// The last line, after which the person types.
    pub prompt: String,
}

pub fn page(model: &Model, content: &Content) -> Page {
    let lang = model.lang;
    let mut page = match &model.screen {
        Screen::Welcome { .. } => welcome(model, content),
        Screen::Picker { filter, .. } => picker(content, lang, filter.value()),
        Screen::Step(_) => step(model, content),
    };
    if let Some(notice) = &model.notice {
        page.alerts.insert(0, notice_text(notice, content, lang));
    }
    let ui = &content.ui;
    let choose = |rows: usize| match rows {
        1 => ui.plain_choose_one.get(lang).to_owned(),
        _ => ui.plain_choose.fill(lang, &[("n", &rows.to_string())]),
    };
    match ask(model, content) {
        Ask::Choose { rows, .. } => page.prompt = choose(rows),
        Ask::Pick { rows, .. } => {
            page.question.push(ui.plain_filter.get(lang).to_owned());
            page.prompt = if rows == 0 {
                ui.picker_filter.get(lang).trim().to_owned()
            } else {
                choose(rows)
            };
        }
        Ask::Continue | Ask::Nothing if page.prompt.is_empty() => {
            page.prompt = ui.plain_continue.get(lang).to_owned();
        }
        _ => {}
    }
    page
}

fn welcome(model: &Model, content: &Content) -> Page {
    let (ui, lang) = (&content.ui, model.lang);
    let resumable = model.resumable();
    let mut text = vec![
        if model.demo {
            ui.demo_welcome.get(lang)
        } else {
            ui.welcome_intro.get(lang)
        }
        .to_owned(),
        String::new(),
        format!("1. {}", ui.welcome_new.get(lang)),
    ];
    if !resumable.is_empty() {
        text.push(ui.welcome_saved.get(lang).to_owned());
    }
    for (i, case) in resumable.iter().enumerate() {
        let product = content.product(&case.product);
        // An unknown product is named by the id the case file holds: it may hold anything.
        let name =
            safe_text::line(product.map_or(case.product.as_str(), |p| p.info.name.get(lang)));
        // Not the case id: a screen reader would read it digit by digit; the date tells
        // cases apart.
        let when = case.updated.format("%Y-%m-%d %H:%M").to_string();
        let row = join(
            lang,
            &[
                &name,
                state_name(content, case.state, lang),
                &step_title(product, &case.step, lang),
                &when,
            ],
        );
        text.push(format!("{}. {row}", i + 2));
    }
    for (path, reason) in &model.damaged {
        let (path, reason) = (safe_text::line(path), safe_text::line(reason));
        text.push(
            ui.welcome_damaged
                .fill(lang, &[("path", &path), ("error", &reason)]),
        );
    }
    text.push(String::new());
    text.push(ui.not_the_bank.get(lang).to_owned());
    let ids: Vec<&str> = resumable.iter().map(|c| c.id.as_str()).collect();
    Page {
        key: format!("welcome/{lang:?}/{}", ids.join(",")),
        heading: heading(model, content, ui.welcome_title.get(lang)),
        text,
        ..Page::default()
    }
}

fn picker(content: &Content, lang: Lang, filter: &str) -> Page {
    let ui = &content.ui;
    let matches = picker_matches(content, filter);
    let mut text = Vec::new();
    let mut alerts = Vec::new();
    if matches.is_empty() {
        alerts.push(ui.plain_no_match.get(lang).to_owned());
    }
    let (colon, stop) = match lang {
        Lang::Zh => ("：", "。"),
        Lang::En => (":", ". "),
    };
    let mut platform = "";
    for (row, &i) in matches.iter().enumerate() {
        let info = &content.products[i].info;
        if info.platform.id != platform {
            platform = &info.platform.id;
            text.push(format!("{}{colon}", info.platform.name.get(lang)));
        }
        // In English the Chinese name follows: it is what the phone's screen says.
        let name = match lang {
            Lang::En => format!("{} ({})", info.name.en, info.name.zh),
            Lang::Zh => info.name.zh.clone(),
        };
        let who = join(lang, &[&name, info.provider.get(lang)]);
        text.push(format!(
            "{}. {who}{stop}{}",
            row + 1,
            info.summary.get(lang)
        ));
    }
    Page {
        key: format!("picker/{lang:?}/{filter}"),
        heading: ui.picker_title.get(lang).to_owned(),
        text,
        alerts,
        ..Page::default()
    }
}

/// "Step 3 of 9, Huabei, Is anything still owed?, DEMO": where the person is, as one
/// sentence a screen reader reads without slashes or dots.
fn heading(model: &Model, content: &Content, title: &str) -> String {
    let (ui, lang) = (&content.ui, model.lang);
    let mut parts = Vec::new();
    if let Some((case, product, step, _)) = open_step(model, content) {
        let (n, m) = product.progress(step, case.trail.len());
        let (n, m) = (n.to_string(), m.to_string());
        parts.push(ui.plain_step_of.fill(lang, &[("n", &n), ("m", &m)]));
        parts.push(product.info.name.get(lang).to_owned());
    }
    parts.push(title.to_owned());
    if model.demo {
        parts.push(ui.demo_mark.get(lang).trim().to_owned());
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    join(lang, &parts)
}

fn step(model: &Model, content: &Content) -> Page {
    let (ui, lang) = (&content.ui, model.lang);
    let Some((case, product, step, view)) = open_step(model, content) else {
        return Page {
            key: "nothing".into(),
            heading: ui.app_title.get(lang).to_owned(),
            ..Page::default()
        };
    };
    let mut page = Page {
        key: format!(
            "step/{}/{}/{lang:?}/{}",
            case.id,
            step.id(),
            view.blocked.is_some(),
        ),
        heading: heading(model, content, step.title.get(lang)),
        ..Page::default()
    };
    let text = &mut page.text;
    let body = |text: &mut Vec<String>| {
        if let Some(body) = &step.body {
            text.extend(body.get(lang).lines().map(str::to_owned));
        }
    };
    let numbered = |text: &mut Vec<String>, labels: Vec<&str>| {
        for (i, label) in labels.iter().enumerate() {
            text.push(format!("{}. {label}", i + 1));
        }
    };
    let screen = ScreenCx {
        ui,
        lang,
        demo: model.demo,
        product,
        case,
        step,
        view,
    };
    let blocks = step.screen(&screen);
    if let Some(blocks) = &blocks {
        lay_out(text, blocks);
    }
    match step.kind() {
        _ if blocks.is_some() => {}
        StepKind::Intro => {
            let info = &product.info;
            text.push(format!(
                "{}, {}.",
                info.name.get(lang),
                info.provider.get(lang)
            ));
            text.push(info.summary.get(lang).to_owned());
            body(text);
        }
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => body(text),
        StepKind::Status => {
            body(text);
            let options = step.status().map(|s| s.options.as_slice());
            let options = options.unwrap_or_default();
            numbered(text, options.iter().map(|o| o.get(lang)).collect());
        }
        StepKind::Debt => match view.blocked {
            Some(total) => {
                let amount = format_cents(total);
                text.push(ui.debt_blocked_title.fill(lang, &[("amount", &amount)]));
                if let Some(debt) = step.debt() {
                    text.push(debt.repay.get(lang).to_owned());
                }
                text.push(if model.demo {
                    ui.debt_blocked_body_demo.get(lang).to_owned()
                } else {
                    ui.debt_blocked_body.fill(lang, &[("id", &case.id)])
                });
                page.prompt = if model.demo {
                    ui.plain_blocked_demo.get(lang)
                } else {
                    ui.plain_blocked.get(lang)
                }
                .to_owned();
            }
            None => body(text),
        },
        StepKind::Verify => {
            body(text);
            let methods = step.verify().map(|v| v.methods.as_slice());
            let methods = methods.unwrap_or_default();
            let agent = methods.contains(&VerifyMethod::AgentId);
            let (warning, question) = if agent {
                (&ui.verify_never_type_agent, &ui.verify_question_agent)
            } else {
                (&ui.verify_never_type, &ui.verify_question)
            };
            text.push(warning.get(lang).to_owned());
            if view.phone.is_none() {
                text.push(question.get(lang).to_owned());
                numbered(
                    text,
                    methods
                        .iter()
                        .map(|m| method_name(content, *m, lang))
                        .collect(),
                );
                if model.demo {
                    text.push(ui.verify_demo.get(lang).to_owned());
                }
            }
        }
        StepKind::Confirm => body(text),
        StepKind::Contact => {
            body(text);
            let Some(step) = step.contact() else {
                return page;
            };
            // Lists without bullets: a screen reader would read each dash aloud.
            text.push(ui.contact_channels.get(lang).to_owned());
            for channel in &step.channels {
                text.push(channel.get(lang).to_owned());
            }
            let hotline = &product.info.hotline_text(ui, lang);
            text.push(ui.contact_hotline.fill(lang, &[("hotline", hotline)]));
            if !step.prepare.is_empty() {
                text.push(ui.contact_prepare.get(lang).to_owned());
                for item in &step.prepare {
                    text.push(item.get(lang).to_owned());
                }
            }
            if let Some(say) = &step.say {
                text.push(ui.contact_say.get(lang).to_owned());
                text.push(format!("“{}”", say.get(lang)));
                if lang == Lang::En {
                    text.push(format!("“{}”", say.zh));
                }
            }
        }
        StepKind::Review => {
            body(text);
            if let Some(AnswerValue::Review(r)) = case.answer(step.id()) {
                let submitted = r.submitted.format("%Y-%m-%d %H:%M").to_string();
                text.push(ui.review_submitted.fill(lang, &[("date", &submitted)]));
                if r.business_days == 0 {
                    text.push(ui.review_immediate.get(lang).to_owned());
                } else {
                    let date = r.expected.format("%Y-%m-%d").to_string();
                    let n = r.business_days.to_string();
                    text.push(ui.review_expected.fill(lang, &[("date", &date), ("n", &n)]));
                }
                if !r.from_tables {
                    let year = r.expected.format("%Y").to_string();
                    text.push(ui.review_no_table.fill(lang, &[("year", &year)]));
                }
            }
            text.push(ui.review_question.get(lang).to_owned());
            numbered(
                text,
                REVIEW_CHOICES
                    .iter()
                    .map(|c| match c {
                        ReviewResult::Closed => ui.review_closed.get(lang),
                        ReviewResult::Rejected => ui.review_rejected.get(lang),
                        ReviewResult::Waiting => ui.review_waiting.get(lang),
                    })
                    .collect(),
            );
        }
        // The heading already says how it ended (the step's title).
        StepKind::Outcome => {
            body(text);
            let hotline = &product.info.hotline_text(ui, lang);
            text.push(ui.contact_hotline.fill(lang, &[("hotline", hotline)]));
            page.prompt = if model.demo {
                ui.plain_outcome_demo.get(lang)
            } else {
                ui.plain_outcome.get(lang)
            }
            .to_owned();
        }
        // Every other kind describes its screen in blocks (above).
        _ => {}
    }
    // Blank lines inside the body are for the full screen's layout; here they are noise.
    page.text.retain(|l| !l.trim().is_empty());
    question(&mut page, model, content);
    page
}

/// A screen described in blocks, as plain lines: choices numbered, nothing decorated.
fn lay_out(text: &mut Vec<String>, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Text(t) => text.extend(t.lines().map(str::to_owned)),
            Block::Heading(t) | Block::Aside(t) => text.push(t.clone()),
            Block::Choices { labels, .. } => {
                for (i, label) in labels.iter().enumerate() {
                    text.push(format!("{}. {label}", i + 1));
                }
            }
        }
    }
}

/// The question, the prompt and the alerts of a step, from what `ask` says is asked.
fn question(page: &mut Page, model: &Model, content: &Content) {
    let (ui, lang) = (&content.ui, model.lang);
    let Some((_, _, step, view)) = open_step(model, content) else {
        return;
    };
    match ask(model, content) {
        Ask::Tick {
            item,
            items,
            escape,
            ..
        } => {
            let Some(checklist) = step.checklist() else {
                return;
            };
            let text = checklist.items[item].get(lang);
            let (i, n) = ((item + 1).to_string(), items.to_string());
            page.question.push(
                ui.plain_item
                    .fill(lang, &[("i", &i), ("n", &n), ("text", text)]),
            );
            if escape.is_some() {
                let label = match checklist.escape {
                    Some(ExitVia::CantFind) => &ui.nav_cant_find,
                    _ => &ui.follow_still_open,
                };
                page.question.push(
                    ui.plain_tick_escape
                        .fill(lang, &[("label", label.get(lang))]),
                );
            }
            page.prompt = match step.kind() {
                StepKind::Consequences => ui.plain_tick_read.get(lang),
                _ => ui.plain_tick.get(lang),
            }
            .to_owned();
        }
        Ask::Amount {
            field,
            current,
            last,
            ..
        } => {
            let Some(debt) = step.debt() else {
                return;
            };
            let Some(f) = debt.fields.get(field) else {
                return;
            };
            if let Some(hint) = &f.hint {
                page.question.push(hint.get(lang).to_owned());
            }
            if !current.trim().is_empty() && parse_amount(&current).is_ok() {
                page.question
                    .push(ui.plain_amount_keep.fill(lang, &[("value", &current)]));
            } else if let Some(cents) = last.filter(|_| current.trim().is_empty()) {
                let value = format_cents(cents);
                page.question
                    .push(ui.plain_amount_last.fill(lang, &[("value", &value)]));
            }
            page.prompt = ui.plain_amount.fill(lang, &[("label", f.label.get(lang))]);
            // One line per refused amount, naming its field (the full screen marks the
            // fields in red instead, and says so).
            let colon = match lang {
                Lang::Zh => "：",
                Lang::En => ": ",
            };
            for (f, err) in debt.fields.iter().zip(&view.errors) {
                if let Some(err) = err {
                    let why = amount_error(content, lang, *err);
                    page.alerts
                        .push(format!("{}{colon}{why}", f.label.get(lang)));
                }
            }
        }
        Ask::Word => {
            if view.hint == Some(Hint::ConfirmMismatch) {
                page.alerts.push(ui.confirm_mismatch.get(lang).to_owned());
            }
            page.prompt = ui.plain_confirm.get(lang).to_owned();
        }
        Ask::Note => {
            if view.hint == Some(Hint::LooksSecret) {
                page.alerts
                    .push(ui.contact_looks_secret.get(lang).to_owned());
            }
            page.question
                .push(ui.plain_contact_done.get(lang).to_owned());
            page.prompt = ui.plain_contact_note.get(lang).to_owned();
        }
        Ask::Code { locked } => {
            if let Some(phone) = &view.phone {
                phone_lines(page, model, content, phone, locked);
            }
        }
        // All ticked: Enter goes on, and the other way out is still there.
        Ask::Continue if !view.ticked.is_empty() && view.ticked.iter().all(|t| *t) => {
            if let Some(via) = step.checklist().and_then(|c| c.escape) {
                let label = match via {
                    ExitVia::CantFind => &ui.nav_cant_find,
                    _ => &ui.follow_still_open,
                };
                page.question.push(
                    ui.plain_tick_escape
                        .fill(lang, &[("label", label.get(lang))]),
                );
            }
        }
        _ => {}
    }
}

/// The simulated phone. The message with the code is a section, read again only when a
/// new code is sent; tries and the countdown are read with each question.
fn phone_lines(page: &mut Page, model: &Model, content: &Content, phone: &Phone, locked: bool) {
    let (ui, lang) = (&content.ui, model.lang);
    let message = match phone.method {
        VerifyMethod::PaymentPassword => &ui.phone_password,
        _ => &ui.phone_sms,
    };
    page.section = vec![
        ui.phone_title.get(lang).to_owned(),
        message.fill(lang, &[("code", &phone.code)]),
    ];
    page.section_key = format!("phone/{}/{lang:?}", phone.sent);
    if locked {
        page.alerts.push(ui.plain_code_locked.get(lang).to_owned());
    } else {
        if phone.wrong {
            page.alerts.push(ui.phone_wrong.get(lang).to_owned());
        }
        let n = phone.tries_left.to_string();
        page.question.push(ui.phone_tries.fill(lang, &[("n", &n)]));
    }
    let wait = model.clock.map_or(0, |now: Time| phone.resend_in(now));
    if wait > 0 {
        let s = wait.to_string();
        page.question
            .push(ui.plain_code_resend_in.fill(lang, &[("s", &s)]));
    } else {
        page.question
            .push(ui.plain_code_resend.get(lang).to_owned());
    }
    page.prompt = if locked {
        ui.plain_code_locked_prompt.get(lang)
    } else {
        ui.plain_code.get(lang)
    }
    .to_owned();
}

/// The agent's notes for the step on screen, for the `agent` command.
pub(super) fn agent_notes(model: &Model, content: &Content) -> String {
    let (ui, lang) = (&content.ui, model.lang);
    match open_step(model, content).and_then(|(_, _, step, _)| step.agent.as_ref()) {
        Some(notes) => notes.get(lang).to_owned(),
        None => ui.agent_none.get(lang).to_owned(),
    }
}
