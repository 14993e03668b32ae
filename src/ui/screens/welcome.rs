//! The start page: start a new case, or pick up an unfinished one.

use super::Doc;
use crate::content::Content;
use crate::report::state_name;
use crate::ui::Theme;
use crate::wizard::Model;
use crate::wizard::worklist::{Item, Queue};
use tui_input::Input;

pub fn build(doc: &mut Doc, model: &Model, content: &Content, theme: &Theme, selected: usize) {
    let ui = &content.ui;
    let lang = model.lang;
    if model.demo {
        doc.text(ui.demo_welcome.get(lang), theme.demo);
    } else if model.kiosk {
        // Not "quit at any time and continue later": neither is possible here.
        let names: Vec<&str> = content
            .products
            .iter()
            .map(|p| p.info.name.get(lang))
            .collect();
        let list = names.join(ui.welcome_products_sep.get(lang));
        let intro = ui.welcome_intro_kiosk.fill(lang, &[("products", &list)]);
        doc.text(&intro, theme.text);
    } else {
        doc.text(&content.welcome_intro(lang), theme.text);
    }
    doc.blank();
    let row = |doc: &mut Doc, i: usize, text: &str| {
        let on = i == selected;
        let style = if on { theme.selected } else { theme.text };
        doc.row(&super::marker(&theme.glyphs, on), text, style, on);
    };
    row(doc, 0, ui.welcome_new.get(lang));
    doc.blank();
    if model.kiosk {
        // A public terminal: not even that there are saved cases, or which files are damaged.
        doc.text(ui.not_the_bank.get(lang), theme.dim);
        return;
    }
    if model.searching() {
        doc.field(
            ui.work_search.get(lang),
            &model.search,
            true,
            theme.key,
            theme.field,
        );
        doc.text(ui.work_search_hint.get(lang), theme.dim);
    } else {
        doc.text(ui.welcome_saved.get(lang), theme.title);
    }
    let cursor = doc.cursor;
    if model.reading_saved {
        doc.text(ui.welcome_reading_saved.get(lang), theme.dim);
    } else if model.worklist.is_empty() && model.search.value().trim().is_empty() {
        doc.text(ui.welcome_no_saved.get(lang), theme.dim);
    } else if model.listed_len() == 0 {
        doc.text(ui.work_none_found.get(lang), theme.error);
    }
    worklist(doc, model, content, theme, selected);
    doc.cursor = cursor;
    for (path, reason) in &model.damaged {
        doc.text(
            &ui.welcome_damaged
                .fill(lang, &[("path", path), ("error", reason)]),
            theme.error,
        );
    }
    doc.blank();
    doc.text(ui.not_the_bank.get(lang), theme.dim);
}

/// How many cases are laid out around the selected one: a screen's worth and more, so
/// 10,000 saved cases cost a page of rows per frame, not 10,000.
const WINDOW: usize = 40;

/// The worklist's rows by queue, a heading over each, the selected one in view.
fn worklist(doc: &mut Doc, model: &Model, content: &Content, theme: &Theme, selected: usize) {
    let (ui, lang) = (&content.ui, model.lang);
    let total = model.listed_len();
    let at = selected.saturating_sub(1).min(total.saturating_sub(1));
    let start = at.saturating_sub(WINDOW / 2);
    let end = (start + WINDOW).min(total);
    let mut listed = std::collections::BTreeMap::new();
    for (item, _) in model.listed() {
        *listed.entry(item.queue).or_insert(0usize) += 1;
    }
    // A store that sent only the first cases of a queue said how many it holds.
    let counts = model.totals.as_ref().unwrap_or(&listed);
    let held_back = |queue: Queue| -> Option<String> {
        let all = counts.get(&queue).copied().unwrap_or(0);
        let here = listed.get(&queue).copied().unwrap_or(0);
        (all > here).then(|| {
            ui.work_held_back
                .fill(lang, &[("n", &(all - here).to_string())])
        })
    };
    if start > 0 {
        let n = start.to_string();
        doc.text(&ui.work_more_above.fill(lang, &[("n", &n)]), theme.dim);
    }
    let sep = theme.glyphs.separator;
    let mut queue = None;
    for (i, (item, case)) in model.listed().enumerate().skip(start).take(end - start) {
        if queue != Some(item.queue) {
            if let Some(line) = queue.and_then(held_back) {
                doc.text(&line, theme.dim);
            }
            queue = Some(item.queue);
            let n = counts.get(&item.queue).copied().unwrap_or(0).to_string();
            let name = queue_name(ui, item.queue).get(lang);
            doc.text(
                &ui.work_heading.fill(lang, &[("name", name), ("n", &n)]),
                theme.title,
            );
        }
        let product = content.product(&case.product);
        // An unknown product's id comes from the file as it is: shown safe, never raw.
        let raw = crate::safe_text::line(&case.product);
        let name = product.map_or(raw.as_ref(), |p| p.info.name.get(lang));
        // A staff desk shows the reference in clear (a kiosk lists nothing); without one,
        // the id tells two cases of a product apart.
        let who = case.customer.as_deref().map_or_else(
            || case.id.to_string(),
            |c| crate::safe_text::line(c).into_owned(),
        );
        let mut parts = vec![
            who,
            name.to_owned(),
            state_name(content, &case.product, case.state, lang).to_owned(),
            when(ui, lang, item, case),
        ];
        if let Some(agent) = &case.agent {
            let agent = crate::safe_text::line(agent);
            parts.push(ui.work_agent.fill(lang, &[("agent", &agent)]));
        }
        let on = i + 1 == selected;
        let style = if on { theme.selected } else { theme.text };
        doc.row(
            &super::marker(&theme.glyphs, on),
            &parts.join(sep),
            style,
            on,
        );
        if on && model.archive_asked.as_ref() == Some(&case.id) {
            let id = case.id.to_string();
            doc.row(
                "    ",
                &ui.work_archive_ask.fill(lang, &[("id", &id)]),
                theme.error,
                true,
            );
        }
    }
    // The last queue laid out ends here when nothing of it is left below.
    let next = model.listed().nth(end).map(|(item, _)| item.queue);
    if let Some(line) = queue.filter(|q| next != Some(*q)).and_then(held_back) {
        doc.text(&line, theme.dim);
    }
    if end < total {
        let n = (total - end).to_string();
        doc.text(&ui.work_more_below.fill(lang, &[("n", &n)]), theme.dim);
    }
}

fn queue_name(ui: &crate::content::UiStrings, queue: Queue) -> &crate::content::Text {
    match queue {
        Queue::Overdue => &ui.queue_overdue,
        Queue::DueToday => &ui.queue_due_today,
        Queue::WaitingRepayment => &ui.queue_waiting_repayment,
        Queue::Waiting => &ui.queue_waiting,
        Queue::NeedsService => &ui.queue_needs_service,
        Queue::InReview => &ui.queue_in_review,
        Queue::InProgress => &ui.queue_in_progress,
        Queue::Refused => &ui.queue_refused,
    }
}

/// The date that matters for the row: how late, due today, expected, or last touched.
fn when(
    ui: &crate::content::UiStrings,
    lang: crate::content::Lang,
    item: &Item,
    case: &crate::wizard::CaseSummary,
) -> String {
    match (item.queue, item.late, case.expected) {
        (Queue::Overdue, Some(0), _) => ui.work_late_days_off.get(lang).to_owned(),
        (Queue::Overdue, Some(1), _) => ui.work_late_one.get(lang).to_owned(),
        (Queue::Overdue, Some(n), _) => ui.work_late.fill(lang, &[("n", &n.to_string())]),
        (Queue::DueToday, ..) => ui.work_due_today.get(lang).to_owned(),
        (_, _, Some(day)) => {
            let date = day.format("%Y-%m-%d").to_string();
            ui.work_expected.fill(lang, &[("date", &date)])
        }
        _ => {
            let date = case.updated.format("%Y-%m-%d").to_string();
            ui.work_updated.fill(lang, &[("date", &date)])
        }
    }
}

/// Whose case: the product chosen, the optional field, and what it must never hold.
pub fn customer(
    doc: &mut Doc,
    model: &Model,
    content: &Content,
    theme: &Theme,
    product: &str,
    input: &Input,
    refused: bool,
) {
    let (ui, lang) = (&content.ui, model.lang);
    let name = content
        .product(product)
        .map_or(product, |p| p.info.name.get(lang));
    doc.text(
        &ui.customer_product.fill(lang, &[("product", name)]),
        theme.title,
    );
    doc.blank();
    doc.text(ui.customer_intro.get(lang), theme.text);
    doc.text(ui.customer_keys.get(lang), theme.dim);
    doc.blank();
    if refused {
        doc.text(ui.customer_looks_secret.get(lang), theme.error);
    }
    doc.field(
        ui.customer_field.get(lang),
        input,
        true,
        theme.key,
        theme.field,
    );
}
