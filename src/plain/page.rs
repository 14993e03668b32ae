//! What plain mode prints for the model: plain lines, no colour, no box drawing, no
//! symbols a screen reader would spell out; choices numbered.

use super::{Ask, ask, join, open_step};
use crate::content::{Content, Lang, UiStrings, VerifyMethod};
use crate::report::{notice_text, state_name, step_title};
use crate::safe_text;
use crate::steps::{Block, Keys, open_screen};
use crate::wizard::model::{PHONE_TRIES, Phone};
use crate::wizard::money::{format_cents, parse_amount};
use crate::wizard::update::picker_matches;
use crate::wizard::{Model, Screen, Time};

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
        Screen::Customer {
            product, refused, ..
        } => customer(model, content, product, *refused),
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
            ui.demo_welcome.get(lang).to_owned()
        } else {
            content.welcome_intro(lang)
        },
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
                state_name(content, &case.product, case.state, lang),
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

/// Whose case: asked once, before the first step; an empty line skips it.
fn customer(model: &Model, content: &Content, product: &str, refused: bool) -> Page {
    let (ui, lang) = (&content.ui, model.lang);
    let name = content
        .product(product)
        .map_or(product, |p| p.info.name.get(lang));
    let mut alerts = Vec::new();
    if refused {
        alerts.push(ui.customer_looks_secret.get(lang).to_owned());
    }
    Page {
        key: format!("customer/{lang:?}/{product}"),
        heading: heading(model, content, ui.customer_title.get(lang)),
        text: vec![
            ui.customer_product.fill(lang, &[("product", name)]),
            ui.customer_intro.get(lang).to_owned(),
            ui.customer_keys.get(lang).to_owned(),
        ],
        alerts,
        prompt: ui.plain_customer.get(lang).to_owned(),
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
            Lang::Zh => info.name.zh.to_string(),
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
    let Some((case, _, step, view)) = open_step(model, content) else {
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
    let blocks = open_screen(model, content).unwrap_or_default();
    for block in &blocks {
        lay_out(&mut page, block, &content.ui, model.lang);
    }
    // Blank lines inside the body are for the full screen's layout; here they are noise.
    page.text.retain(|l| !l.trim().is_empty());
    question(&mut page, model, content, &blocks);
    page
}

/// One block as plain lines: choices numbered, lists without bullets (a screen reader would
/// read each one aloud), nothing that only the full screen needs (gaps, marks, its keys).
/// What a block asks for is asked by `question`.
fn lay_out(page: &mut Page, block: &Block, ui: &UiStrings, lang: Lang) {
    let text = &mut page.text;
    match block {
        Block::Text(t, _) => text.extend(t.lines().map(str::to_owned)),
        // A sentence in the language's own punctuation (a screen reader pauses on it).
        Block::About { name, provider } => text.push(
            ui.plain_about
                .fill(lang, &[("name", name), ("provider", provider)]),
        ),
        Block::Bullets(points) => text.extend(points.iter().cloned()),
        Block::Indented(t, _) => text.push(t.clone()),
        Block::Choices { labels, .. } => {
            for (i, label) in labels.iter().enumerate() {
                text.push(format!("{}. {label}", i + 1));
            }
        }
        Block::Problem(why) => page.alerts.push(why.clone()),
        Block::Gap
        | Block::Checklist { .. }
        | Block::Amounts(_)
        | Block::Field { .. }
        | Block::Phone(_)
        | Block::Keys(_)
        | Block::Badge(..) => {}
    }
}

/// The question, the prompt and the alerts of a step, from what `ask` says is asked and
/// what the blocks say of it.
fn question(page: &mut Page, model: &Model, content: &Content, blocks: &[Block]) {
    let (ui, lang) = (case_ui(model, content), model.lang);
    let Some((_, _, _, view)) = open_step(model, content) else {
        return;
    };
    let escape = blocks.iter().find_map(|b| match b {
        Block::Checklist { escape, .. } => escape.clone(),
        _ => None,
    });
    for block in blocks {
        if let Block::Keys(Keys::Contacted) = block {
            page.question
                .push(ui.plain_contact_done.get(lang).to_owned());
            page.prompt = ui.plain_contact_note.get(lang).to_owned();
        } else if let Block::Keys(keys) = block {
            page.prompt = match (keys, model.demo) {
                (Keys::Blocked, false) => &ui.plain_blocked,
                (Keys::Blocked, true) => &ui.plain_blocked_demo,
                (Keys::Ended { back: false }, false) => &ui.plain_outcome,
                (Keys::Ended { back: false }, true) => &ui.plain_outcome_demo,
                (Keys::Ended { back: true }, false) => &ui.plain_outcome_back,
                (Keys::Ended { back: true }, true) => &ui.plain_outcome_back_demo,
                (Keys::TypeWord, _) => &ui.plain_confirm,
                (Keys::Contacted, _) => &ui.plain_contact_note,
            }
            .get(lang)
            .to_owned();
        }
    }
    match ask(model, content) {
        Ask::Tick {
            item,
            items,
            escape: row,
            ..
        } => {
            let Some((text, reading)) = blocks.iter().find_map(|b| match b {
                Block::Checklist { items, reading, .. } => {
                    Some((items.get(item)?.0.clone(), *reading))
                }
                _ => None,
            }) else {
                return;
            };
            let (i, n) = ((item + 1).to_string(), items.to_string());
            page.question.push(
                ui.plain_item
                    .fill(lang, &[("i", &i), ("n", &n), ("text", &text)]),
            );
            if let (Some(_), Some(label)) = (row, &escape) {
                page.question
                    .push(ui.plain_tick_escape.fill(lang, &[("label", label)]));
            }
            page.prompt = match reading {
                true => ui.plain_tick_read.get(lang),
                false => ui.plain_tick.get(lang),
            }
            .to_owned();
        }
        Ask::Amount {
            field,
            current,
            last,
            ..
        } => {
            let Some(rows) = blocks.iter().find_map(|b| match b {
                Block::Amounts(rows) => Some(rows),
                _ => None,
            }) else {
                return;
            };
            let Some(row) = rows.get(field) else {
                return;
            };
            if let Some(hint) = &row.hint {
                page.question.push(hint.clone());
            }
            if !current.trim().is_empty() && parse_amount(&current).is_ok() {
                page.question
                    .push(ui.plain_amount_keep.fill(lang, &[("value", &current)]));
            } else if let Some(cents) = last.filter(|_| current.trim().is_empty()) {
                let value = format_cents(cents);
                page.question
                    .push(ui.plain_amount_last.fill(lang, &[("value", &value)]));
            }
            page.prompt = ui.plain_amount.fill(lang, &[("label", &row.label)]);
            // One line per refused amount, naming its field (the full screen marks the
            // fields in red, and says so in one line: that line is not repeated here).
            let colon = match lang {
                Lang::Zh => "：",
                Lang::En => ": ",
            };
            page.alerts.clear();
            for row in rows {
                if let Some(why) = &row.error {
                    page.alerts.push(format!("{}{colon}{why}", row.label));
                }
            }
        }
        Ask::Word | Ask::Note => {}
        Ask::Reason => page.prompt = ui.plain_reason.get(lang).to_owned(),
        // The date in the field is offered as the default only while it is one: after a
        // refusal, Enter alone would send the same refused text again.
        Ask::Date { current } => {
            page.prompt = match crate::steps::sent::read_date(&current) {
                Some(_) => ui.plain_sent_date.fill(lang, &[("value", &current)]),
                None => ui.plain_sent_date_again.get(lang).to_owned(),
            };
        }
        Ask::Code { locked } => {
            if let Some(phone) = &view.phone {
                phone_lines(page, model, content, phone, locked);
            }
        }
        // All ticked: Enter goes on, and the other way out is still there.
        Ask::Continue => {
            if let Some(label) = &escape {
                page.question
                    .push(ui.plain_tick_escape.fill(lang, &[("label", label)]));
            }
        }
        _ => {}
    }
}

/// The simulated phone. The message with the code is a section, read again only when a
/// new code is sent; tries and the countdown are read with each question.
fn phone_lines(page: &mut Page, model: &Model, content: &Content, phone: &Phone, locked: bool) {
    let (ui, lang) = (case_ui(model, content), model.lang);
    let message = match phone.method {
        VerifyMethod::PaymentPassword => &ui.phone_password,
        _ => &ui.phone_sms,
    };
    page.section = vec![
        ui.phone_title.get(lang).to_owned(),
        message.fill(lang, &[("code", &phone.code)]),
    ];
    page.section_key = format!("phone/{}/{lang:?}", phone.sent);
    // A payment password's lock-out ends by itself; only an SMS code is sent again.
    let locked = locked && !phone.takes_code(model.clock);
    if locked && phone.resends() {
        page.alerts.push(ui.plain_code_locked.get(lang).to_owned());
    } else if locked {
        let s = model
            .clock
            .map_or(0, |now| phone.locked_for(now))
            .to_string();
        page.alerts
            .push(ui.phone_locked_password.fill(lang, &[("s", &s)]));
    } else {
        if phone.wrong && !phone.locked() {
            page.alerts.push(ui.phone_wrong.get(lang).to_owned());
        }
        let left = if phone.locked() {
            PHONE_TRIES
        } else {
            phone.tries_left
        };
        let n = left.to_string();
        page.question.push(ui.phone_tries.fill(lang, &[("n", &n)]));
    }
    let wait = model.clock.map_or(0, |now: Time| phone.resend_in(now));
    if phone.resends() {
        let line = match wait {
            0 => ui.plain_code_resend.get(lang).to_owned(),
            _ => ui
                .plain_code_resend_in
                .fill(lang, &[("s", &wait.to_string())]),
        };
        page.question.push(line);
    }
    page.prompt = if locked && phone.resends() {
        ui.plain_code_locked_prompt.get(lang)
    } else if locked {
        ui.plain_code_wait_prompt.get(lang)
    } else {
        ui.plain_code.get(lang)
    }
    .to_owned();
}

/// The agent's notes for the step on screen, for the `agent` command.
pub(super) fn agent_notes(model: &Model, content: &Content) -> String {
    crate::steps::agent_notes(model, content)
        .unwrap_or_else(|| content.ui.agent_none.get(model.lang).to_owned())
}

/// The strings with the open case's product's words for the act (关闭 or 注销).
fn case_ui<'c>(model: &Model, content: &'c Content) -> &'c crate::content::UiStrings {
    model
        .case
        .as_ref()
        .map_or(&content.ui, |c| content.ui_for(&c.product))
}
