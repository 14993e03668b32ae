//! A case's text (a case file's, a case book row's body), with its log's part kept from one save to the next.
//!
//! A save writes the whole case, and a long case is mostly log: 10,000 entries took 6.7 ms
//! to put into TOML at every save, most of a save's time beyond the disk's. The log only
//! grows while a case is worked, so the text of the entries already written is kept with
//! the entries it was made from, and a save writes only what came after them. It is a memo
//! of the serializer, not of the disk: the kept text is used only when the case's log
//! starts with exactly the kept entries, so it says what `toml::to_string` would.

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::wizard::case::{Case, LogEntry};

/// The entries last written and their text, each entry's `\n[[log]]…` in turn. One per
/// store (file `Store`s cloned from one another share one); any case may use it.
#[derive(Default)]
pub(super) struct LogText {
    memo: Mutex<Memo>,
}

#[derive(Default)]
struct Memo {
    entries: Vec<LogEntry>,
    text: String,
}

impl std::fmt::Debug for LogText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("LogText")
            .field("entries", &memo.entries.len())
            .field("bytes", &memo.text.len())
            .finish()
    }
}

/// One entry as the case's own `[[log]]` array writes it.
#[derive(Serialize)]
struct OneEntry<'a> {
    log: [&'a LogEntry; 1],
}

impl LogText {
    /// The case's TOML: the same text as `toml::to_string(case)`.
    pub(super) fn case_text(&self, case: &Case) -> Result<String, toml::ser::Error> {
        if case.log.is_empty() {
            return toml::to_string(case);
        }
        // Everything but the log: TOML writes a table's plain values, then its tables, so
        // the log (an array of tables, the case's last field) comes last, after `answers`.
        let head = toml::to_string(&case.without_log())?;
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = memo.entries.len();
        if kept == 0 || case.log.len() < kept || case.log[..kept] != memo.entries[..] {
            // Nothing to reuse (a store just opened, another case): the case is written in
            // one piece, faster than entry by entry, and the log's part of it kept.
            let whole = toml::to_string(case)?;
            *memo = match whole.strip_prefix(head.as_str()) {
                Some(log) => Memo {
                    entries: case.log.clone(),
                    text: log.to_owned(),
                },
                None => Memo::default(),
            };
            return Ok(whole);
        }
        let new = &case.log[kept..];
        // Made whole before the memo takes it, so a failure leaves the memo as it was.
        let mut more = String::new();
        for entry in new {
            more.push('\n');
            more.push_str(&toml::to_string(&OneEntry { log: [entry] })?);
        }
        memo.text.push_str(&more);
        memo.entries.extend_from_slice(new);
        let mut text = String::with_capacity(head.len() + memo.text.len());
        text.push_str(&head);
        text.push_str(&memo.text);
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Content, Lang, OutcomeKind, VerifyMethod};
    use crate::wizard::case::{Event, ReviewResult};
    use crate::wizard::{Action, Effect, Model, Time, update};
    use chrono::{DateTime, Duration, NaiveDate};

    fn at(minutes: i64) -> Time {
        DateTime::parse_from_rfc3339("2026-12-28T10:00:00+08:00").unwrap()
            + Duration::minutes(minutes)
    }

    /// A case started by `update` on a real product, with answers and a customer.
    fn started(product: &str) -> Case {
        let content = Content::builtin().unwrap();
        let mut model = Model::new(Lang::Zh, false);
        let fx = update(
            &mut model,
            &content,
            Action::StartProduct(product.into()),
            at(0),
        );
        let Some(Effect::Save(case)) = fx.into_iter().next() else {
            panic!("starting a case asks for a save");
        };
        *case
    }

    /// Every kind of event, strings that TOML must quote each way (quotes, newlines,
    /// apostrophes, `[[log]]` inside a note), and who.
    fn event(i: usize) -> Event {
        let step = || format!("step-{}", i % 3);
        match i % 8 {
            0 => Event::Entered { step: step() },
            1 => Event::Ticked {
                step: step(),
                item: i,
                on: i.is_multiple_of(2),
            },
            2 => Event::Note {
                step: step(),
                text: format!("第 {i} 条 \"quoted\" it's\n[[log]]\nat = \"x\"\n'''"),
            },
            3 => Event::Verified {
                step: step(),
                method: VerifyMethod::Sms,
                simulated: true,
            },
            4 => Event::Contacted {
                step: step(),
                reference: i.is_multiple_of(3).then(|| "工单 A-1029".to_owned()),
            },
            5 => Event::Submitted {
                step: step(),
                expected: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            },
            6 => Event::ReviewResult {
                step: step(),
                result: ReviewResult::Overdue,
            },
            _ => Event::Outcome {
                step: step(),
                result: OutcomeKind::Closed,
            },
        }
    }

    fn grow(case: &mut Case, from: usize, to: usize) {
        for i in from..to {
            case.hands.agent = i.is_multiple_of(5).then(|| format!("agent {i}"));
            case.log(at(i64::try_from(i).unwrap()), event(i));
        }
    }

    #[test]
    fn every_save_writes_what_the_serializer_would() {
        let memo = LogText::default();
        let mut case = started("huabei");
        case.customer = Some("王 \"小\" 'x'".into());
        for (step, round) in [(0, 3), (3, 4), (4, 20), (20, 21)] {
            grow(&mut case, step, round);
            case.archived = round == 21;
            assert_eq!(
                memo.case_text(&case).unwrap(),
                toml::to_string(&case).unwrap()
            );
        }
        // Another case in between, then the first again: each is written whole and right.
        let other = started("weilidai");
        assert_eq!(
            memo.case_text(&other).unwrap(),
            toml::to_string(&other).unwrap()
        );
        assert_eq!(
            memo.case_text(&case).unwrap(),
            toml::to_string(&case).unwrap()
        );
    }

    #[test]
    fn a_log_that_changed_before_its_end_is_written_anew() {
        let memo = LogText::default();
        let mut case = started("jiebei");
        grow(&mut case, 0, 12);
        memo.case_text(&case).unwrap();
        // An entry in the middle edited, then the log cut short and grown again.
        case.log[5].event = Event::Note {
            step: "x".into(),
            text: "changed".into(),
        };
        assert_eq!(
            memo.case_text(&case).unwrap(),
            toml::to_string(&case).unwrap()
        );
        case.log.truncate(4);
        assert_eq!(
            memo.case_text(&case).unwrap(),
            toml::to_string(&case).unwrap()
        );
        grow(&mut case, 4, 9);
        assert_eq!(
            memo.case_text(&case).unwrap(),
            toml::to_string(&case).unwrap()
        );
        case.log.clear();
        assert_eq!(
            memo.case_text(&case).unwrap(),
            toml::to_string(&case).unwrap()
        );
    }
}
