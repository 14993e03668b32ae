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
        Notice::Locked { id, desk: None } => ui.welcome_locked.fill(lang, &[("id", &safe(id))]),
        Notice::Locked {
            id,
            desk: Some(desk),
        } => ui
            .welcome_locked_at
            .fill(lang, &[("id", &safe(id)), ("desk", &safe(desk))]),
        Notice::SaveFailed { fault } => ui
            .notice_save_failed
            .fill(lang, &[("error", &fault_text(fault, content, lang))]),
        Notice::ProductGone { id, product } => ui
            .notice_product_gone
            .fill(lang, &[("id", &safe(id)), ("product", &safe(product))]),
        Notice::ProductBroken {
            case: None,
            product,
        } => {
            // Its name as the list shows it (from the heading read at the start).
            let name = content
                .product(product)
                .map_or(product.as_str(), |p| p.info.name.get(lang));
            ui.notice_product_broken
                .fill(lang, &[("product", &safe(name))])
        }
        // The id and the product's name would not both fit a notice's two lines at 80
        // columns; the case's id names its product.
        Notice::ProductBroken { case: Some(id), .. } => ui
            .notice_product_broken_case
            .fill(lang, &[("id", &safe(id))]),
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
        FaultKind::Locked(id) | FaultKind::LockedAt { id, .. } => {
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
    let ui = product.map_or(&*content.ui, |p| content.ui_for(p.id()));
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
        Event::Note { text, .. } => ui.ev_note.fill(lang, &[("text", text)]),
        Event::Reason { text, .. } => ui.ev_reason.fill(lang, &[("text", text)]),
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

/// `2026-11-21T14:44:26+08:00  entered: … (by 王芳 · desk 3)` — the format of `xiaohu
/// log`: who handled it follows, where the entry records an agent or a desk.
pub fn log_line(
    entry: &LogEntry,
    content: &Content,
    product: Option<&Product>,
    lang: Lang,
) -> String {
    format!(
        "{}  {}{}",
        entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        describe(entry, content, product, lang),
        handled_by(entry, content, lang).unwrap_or_default()
    )
}

/// Who handled an entry, as it follows its words (`（经办：王芳 · 3号窗口）`, ` (by 王芳 ·
/// desk 3)`): the agent and the desk it records, made safe to print; `None` for an entry
/// with neither (a customer at home).
pub fn handled_by(entry: &LogEntry, content: &Content, lang: Lang) -> Option<String> {
    let names: Vec<String> = [&entry.agent, &entry.desk]
        .into_iter()
        .flatten()
        .map(|n| safe_text::line(n.trim()).into_owned())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| content.ui.log_by.fill(lang, &[("who", &names.join(" · "))]))
}

/// How the log pane and the agent panel stamp each entry of `log`: the time alone while
/// the whole log is one day, the date with it once the case spans days (a review resumed
/// on day nine must not read as this morning), and the year too across a new year. A day
/// is China's day, or the entry's own where that differs, so no change of day is hidden.
pub fn stamp_format(log: &[LogEntry]) -> &'static str {
    let days = |f: &dyn Fn(&LogEntry) -> chrono::NaiveDate| {
        let mut days: Vec<chrono::NaiveDate> = log.iter().map(f).collect();
        days.sort();
        days.dedup();
        days
    };
    let china = days(&|e| crate::calendar::china_date(e.at));
    let own = days(&|e| e.at.date_naive());
    let years = |d: &[chrono::NaiveDate]| {
        d.first().map(chrono::Datelike::year) != d.last().map(chrono::Datelike::year)
    };
    if years(&china) || years(&own) {
        "%Y-%m-%d %H:%M"
    } else if china.len() > 1 || own.len() > 1 {
        "%m-%d %H:%M"
    } else {
        "%H:%M"
    }
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
                // What was said (a note, a reason) is not undone by going back: it stays.
                let said =
                    |e: &&LogEntry| matches!(e.event, Event::Note { .. } | Event::Reason { .. });
                let mut undone = Vec::new();
                while frames.len() > 1 && frames.last().and_then(|f| f.0) != Some(step) {
                    undone.extend(frames.pop());
                }
                let Some(frame) = frames.last_mut() else {
                    continue;
                };
                // The step gone back to will be answered again: keep only its arrival.
                if frame.0.is_some() {
                    let rest = frame.1.split_off(frame.1.len().min(1));
                    frame.1.extend(rest.into_iter().filter(said));
                }
                for (_, entries) in undone.into_iter().rev() {
                    frame.1.extend(entries.into_iter().filter(said));
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

    fn content() -> Content {
        Content::builtin().unwrap()
    }

    fn staffed(event: Event, agent: Option<&str>, desk: Option<&str>) -> LogEntry {
        LogEntry {
            agent: agent.map(str::to_owned),
            desk: desk.map(str::to_owned),
            ..entry(event)
        }
    }

    #[test]
    fn a_log_line_names_who_handled_it_where_the_entry_says() {
        let content = content();
        let product = content.product("weilidai");
        let note = || Event::Note {
            step: "debt".into(),
            text: "客户明天再来".into(),
        };
        let line = |e: &LogEntry, lang| log_line(e, &content, product, lang);
        let both = staffed(note(), Some("王芳"), Some("desk 3"));
        assert_eq!(
            line(&both, Lang::En),
            "2026-11-21T10:00:00+08:00  note: 客户明天再来 (by 王芳 · desk 3)"
        );
        assert_eq!(
            line(&both, Lang::Zh),
            "2026-11-21T10:00:00+08:00  备注：客户明天再来（经办：王芳 · desk 3）"
        );
        let desk = staffed(Event::Resumed, None, Some("3号窗口"));
        assert!(
            line(&desk, Lang::Zh).ends_with("（经办：3号窗口）"),
            "{}",
            line(&desk, Lang::Zh)
        );
        // A customer at home: nothing extra.
        let home = staffed(Event::Resumed, None, None);
        assert_eq!(
            line(&home, Lang::En),
            format!("2026-11-21T10:00:00+08:00  {}", content.ui.ev_resumed.en)
        );
        // A name from a file never reaches the terminal raw.
        let hostile = staffed(Event::Quit, Some("x\u{1b}[2Jy"), None);
        assert!(!line(&hostile, Lang::En).contains('\u{1b}'));
        // A reason is worded as one.
        let reason = entry(Event::Reason {
            step: "needs-service".into(),
            text: "额度冻结".into(),
        });
        assert!(line(&reason, Lang::En).ends_with("reason: 额度冻结"));
    }

    #[test]
    fn the_panes_give_dates_once_a_case_spans_china_days() {
        let at = |s: &str| LogEntry {
            at: DateTime::parse_from_rfc3339(s).unwrap(),
            ..entry(Event::Resumed)
        };
        let one_day = [
            at("2026-11-21T08:00:00+08:00"),
            at("2026-11-21T23:59:00+08:00"),
        ];
        assert_eq!(stamp_format(&one_day), "%H:%M");
        let two_days = [
            at("2026-11-21T08:00:00+08:00"),
            at("2026-11-30T09:00:00+08:00"),
        ];
        assert_eq!(stamp_format(&two_days), "%m-%d %H:%M");
        // Saved in UTC: 20:00 and 23:00 on one UTC day are two days in China.
        let utc = [
            at("2026-11-21T15:00:00+00:00"),
            at("2026-11-21T17:00:00+00:00"),
        ];
        assert_eq!(stamp_format(&utc), "%m-%d %H:%M");
        let new_year = [
            at("2026-12-31T10:00:00+08:00"),
            at("2027-01-04T10:00:00+08:00"),
        ];
        assert_eq!(stamp_format(&new_year), "%Y-%m-%d %H:%M");
    }

    #[test]
    fn a_note_made_on_a_step_later_undone_stays_on_the_path() {
        let note = Event::Note {
            step: "already-closed".into(),
            text: "客户说页面显示已关闭".into(),
        };
        let log: Vec<LogEntry> = [
            Event::Started,
            Event::Entered {
                step: "status".into(),
            },
            Event::Entered {
                step: "already-closed".into(),
            },
            note.clone(),
            Event::Back {
                step: "status".into(),
            },
        ]
        .into_iter()
        .map(entry)
        .collect();
        let path: Vec<&Event> = final_path(&log).into_iter().map(|e| &e.event).collect();
        assert!(path.contains(&&note), "{path:?}");
        assert!(
            !path
                .iter()
                .any(|e| matches!(e, Event::Entered { step } if step == "already-closed"))
        );
    }
}
