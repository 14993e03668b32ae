//! A notice's words on a public terminal (`--kiosk`). The next visitor reads what this one
//! leaves on screen, and a visitor can neither reopen a case nor take a file: so no case
//! id, no path, no store message (which names files) and no command — staff at the desk
//! carry a case on. Notices that name none of those keep their usual words.

use crate::content::{Content, Lang};
use crate::report;
use crate::wizard::Notice;

/// `notice` in words, as a kiosk shows it.
pub fn notice_text(notice: &Notice, content: &Content, lang: Lang) -> String {
    let ui = &content.ui;
    let date = |d: &chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match notice {
        Notice::WaitingReview { expected, .. } => ui
            .notice_kiosk_waiting_review
            .fill(lang, &[("date", &date(expected))]),
        Notice::WaitingOverdue { expected } => ui
            .notice_kiosk_overdue
            .fill(lang, &[("date", &date(expected))]),
        Notice::WaitingRepayment { .. } | Notice::Waiting { .. } | Notice::ReceiptSaved { .. } => {
            ui.notice_kiosk_kept.get(lang).to_owned()
        }
        Notice::SaveFailed { .. } | Notice::QuitUnsaved { .. } => {
            ui.notice_kiosk_save_failed.get(lang).to_owned()
        }
        Notice::Locked { .. }
        | Notice::ProductGone { .. }
        | Notice::ProductBroken { .. }
        | Notice::Error(_) => ui.notice_kiosk_trouble.get(lang).to_owned(),
        Notice::Resumed | Notice::ContentChanged | Notice::StepGone | Notice::DemoNotSaved => {
            report::notice_text(notice, content, lang)
        }
    }
}
