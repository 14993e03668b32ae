//! Words for the record: a log entry as one line, and the receipt a customer keeps
//! (`receipt`: txt, md and html). Pure functions of (case, content, language, time).

pub mod receipt;

pub use receipt::{Format, Receipt, receipt};

use crate::content::{Content, Lang, Product, VerifyMethod};
use crate::safe_text;
use crate::steps;
use crate::wizard::case::{CaseState, Event, LogEntry};
use crate::wizard::{FaultKind, Notice, StoreFault};

/// A notice in words, in the language on screen now (both front ends show it). What it
/// names from a file or the OS (an id, a product, a reason) is made safe to print.
pub fn notice_text(notice: &Notice, content: &Content, lang: Lang) -> String {
    let ui = &content.ui;
    let date = |d: &chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let safe = |s: &str| safe_text::line(s).into_owned();
    match notice {
        Notice::Resumed => ui.notice_resumed.get(lang).to_owned(),
        Notice::ContentChanged => ui.notice_content_changed.get(lang).to_owned(),
        Notice::StepGone => ui.notice_step_gone.get(lang).to_owned(),
        Notice::WaitingOverdue { expected } => ui
            .notice_waiting_overdue
            .fill(lang, &[("date", &date(expected))]),
        Notice::WaitingReview { id, expected } => ui
            .notice_waiting_review
            .fill(lang, &[("date", &date(expected)), ("id", &safe(id))]),
        Notice::Waiting { id, what } => what.words(ui).notice.fill(lang, &[("id", id)]),
        Notice::WaitingRepayment { id } => {
            ui.notice_waiting_repayment.fill(lang, &[("id", &safe(id))])
        }
        Notice::ReceiptSaved { dir, txt, html } => ui.receipt_saved.fill(
            lang,
            &[
                ("dir", &safe(dir)),
                ("txt", &safe(txt)),
                ("html", &safe(html)),
            ],
        ),
        Notice::DemoNotSaved => ui.demo_not_saved.get(lang).to_owned(),
        Notice::Locked { id } => ui.welcome_locked.fill(lang, &[("id", &safe(id))]),
        Notice::SaveFailed { fault } => ui
            .notice_save_failed
            .fill(lang, &[("error", &fault_text(fault, content, lang))]),
        Notice::ProductGone { id, product } => ui
            .notice_product_gone
            .fill(lang, &[("id", &safe(id)), ("product", &safe(product))]),
        Notice::QuitUnsaved { fault } => ui
            .notice_quit_unsaved
            .fill(lang, &[("error", &fault_text(fault, content, lang))]),
        Notice::Error(text) => safe_text::block(text).into_owned(),
    }
}

/// What the store said, in words: which trouble it is (a full disk, a read-only one …) in
/// the language on screen, then the OS's own words; made safe to print.
pub fn fault_text(fault: &StoreFault, content: &Content, lang: Lang) -> String {
    let ui = &content.ui;
    let detail = safe_text::line(&fault.detail).into_owned();
    let words = match &fault.kind {
        FaultKind::Full => &ui.fault_full,
        FaultKind::ReadOnly => &ui.fault_read_only,
        FaultKind::Denied => &ui.fault_denied,
        FaultKind::Gone => &ui.fault_gone,
        FaultKind::Damaged => &ui.fault_damaged,
        FaultKind::Locked(id) => {
            let id = safe_text::line(id).into_owned();
            // The id first: a detail holding "{id}" stays as it is.
            return ui
                .fault_locked
                .fill(lang, &[("id", &id), ("detail", &detail)]);
        }
        FaultKind::Other => return detail,
    };
    words.fill(lang, &[("detail", &detail)])
}

pub fn method_name(content: &Content, method: VerifyMethod, lang: Lang) -> &str {
    crate::steps::verify::method_name(&content.ui, method).get(lang)
}

/// A case's state in words, with its product's word for the act (已关闭 or 已注销).
pub fn state_name<'c>(
    content: &'c Content,
    product: &str,
    state: CaseState,
    lang: Lang,
) -> &'c str {
    state.name(content.ui_for(product), lang)
}

/// A step's title, or its id if the content no longer has it; made safe to print either
/// way (the id comes from the case file, the title from a content file).
pub fn step_title(product: Option<&Product>, step: &str, lang: Lang) -> String {
    let title = product
        .and_then(|p| p.step(step))
        .map_or(step, |s| s.title.get(lang));
    safe_text::line(title).into_owned()
}

/// What happened, in words (without the time), as one line safe to print: the words
/// hold step ids and a reference from the case file, and titles from the content.
pub fn describe(
    entry: &LogEntry,
    content: &Content,
    product: Option<&Product>,
    lang: Lang,
) -> String {
    let text = describe_raw(entry, content, product, lang);
    match safe_text::line(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(safe) => safe,
    }
}

fn describe_raw(
    entry: &LogEntry,
    content: &Content,
    product: Option<&Product>,
    lang: Lang,
) -> String {
    // The product's own words for the act (关闭 or 注销).
    let ui = product.map_or(&content.ui, |p| content.ui_for(p.id()));
    // A step's own events are worded by its kind.
    if let Some(words) = steps::log_line(&entry.event, ui, lang, product) {
        return words;
    }
    let title = |step: &str| step_title(product, step, lang);
    match &entry.event {
        Event::Started => ui.ev_started.fill(
            lang,
            &[("product", product.map_or("?", |p| p.info.name.get(lang)))],
        ),
        Event::Entered { step } => ui.ev_entered.fill(lang, &[("step", &title(step))]),
        Event::Back { step } => ui.ev_back.fill(lang, &[("step", &title(step))]),
        Event::Outcome { step, .. } => ui.ev_outcome.fill(lang, &[("title", &title(step))]),
        Event::Resumed => ui.ev_resumed.get(lang).to_owned(),
        Event::Quit => ui.ev_quit.get(lang).to_owned(),
        // The language's own name, which reads the same in either language's log.
        Event::Language { lang: l } => ui.ev_language.fill(
            lang,
            &[(
                "lang",
                match l {
                    Lang::Zh => "中文",
                    Lang::En => "English",
                },
            )],
        ),
        Event::ContentChanged { steps } => {
            let names: Vec<String> = steps.iter().map(|s| title(s)).collect();
            ui.ev_content_changed
                .fill(lang, &[("steps", &names.join(", "))])
        }
        // Masked: the log pane is on a screen the customer (or the next one) may read.
        Event::Customer { reference } => ui.ev_customer.fill(
            lang,
            &[("who", &crate::wizard::customer::masked(reference, ui, lang))],
        ),
        Event::Archived => ui.ev_archived.get(lang).to_owned(),
        // Worded by the kind, above.
        _ => String::new(),
    }
}

/// `2026-11-21T14:44:26+08:00  entered: …` — the format of `xiaohu log`.
pub fn log_line(
    entry: &LogEntry,
    content: &Content,
    product: Option<&Product>,
    lang: Lang,
) -> String {
    format!(
        "{}  {}",
        entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        describe(entry, content, product, lang)
    )
}

/// The log as the path that counts: what was recorded on a step and then undone with Esc
/// (a status chosen, an end reached, amounts checked) is left out. The log itself keeps
/// everything; the receipt tells what stands.
pub fn final_path(log: &[LogEntry]) -> Vec<&LogEntry> {
    // One frame per step entered, holding what happened there.
    let mut frames: Vec<(Option<&str>, Vec<&LogEntry>)> = vec![(None, Vec::new())];
    for entry in log {
        match &entry.event {
            Event::Entered { step } => frames.push((Some(step), vec![entry])),
            Event::Back { step } => {
                while frames.len() > 1 && frames.last().and_then(|f| f.0) != Some(step) {
                    frames.pop();
                }
                // The step gone back to will be answered again: keep only its arrival.
                if let Some(frame) = frames.last_mut()
                    && frame.0.is_some()
                {
                    frame.1.truncate(1);
                }
            }
            _ => frames.last_mut().expect("a root frame").1.push(entry),
        }
    }
    frames
        .into_iter()
        .flat_map(|(_, entries)| entries)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(event: Event) -> LogEntry {
        LogEntry {
            at: DateTime::parse_from_rfc3339("2026-11-21T10:00:00+08:00").unwrap(),
            event,
            agent: None,
            desk: None,
        }
    }

    #[test]
    fn what_was_undone_with_esc_is_not_on_the_path() {
        let status = |option| Event::Status {
            step: "status".into(),
            option,
        };
        let entered = |step: &str| Event::Entered { step: step.into() };
        let log: Vec<LogEntry> = [
            Event::Started,
            entered("status"),
            status(1),
            entered("already-closed"),
            Event::Outcome {
                step: "already-closed".into(),
                result: crate::content::OutcomeKind::NothingToClose,
            },
            Event::Back {
                step: "status".into(),
            },
            status(0),
            entered("debt"),
            Event::Amounts {
                step: "debt".into(),
                total_cents: 0,
            },
        ]
        .into_iter()
        .map(entry)
        .collect();
        let path: Vec<&Event> = final_path(&log).into_iter().map(|e| &e.event).collect();
        assert_eq!(
            path,
            [
                &Event::Started,
                &entered("status"),
                &status(0),
                &entered("debt"),
                &Event::Amounts {
                    step: "debt".into(),
                    total_cents: 0
                },
            ]
        );
    }
}
