//! A typed line → the keys a person would have pressed on the full screen. "3" on a list
//! is "move to the third row, Enter"; an amount is "clear the field, type it, next field".
//! Nothing is decided here that `wizard::update` would decide.

use tui_input::InputRequest;

use super::page::agent_notes;
use super::{Ask, ask, open_step};
use crate::content::{Content, StepKind};
use crate::report::log_line;
use crate::wizard::{Action, Model, Time};

#[derive(Debug, Clone)]
pub enum Reply {
    /// Send these actions in order, then show what they led to.
    Act(Vec<Action>),
    /// Nothing to send: print this, then ask again.
    Say(String),
    /// Print the whole page again.
    Repeat,
}

/// The reply to `line`, typed at the question `page` printed for this model. `now` is only
/// for the demo phone's countdown.
pub fn answer(model: &Model, content: &Content, line: &str, now: Time) -> Reply {
    let (ui, lang) = (&content.ui, model.lang);
    let typed = line.trim();
    let word = typed.to_lowercase();
    // Commands work at every prompt, as the full screen's keys do.
    match word.as_str() {
        "?" | "h" | "help" | "帮助" => return Reply::Say(ui.plain_help.get(lang).to_owned()),
        "r" | "repeat" | "重读" => return Reply::Repeat,
        "b" | "back" | "返回" => return Reply::Act(vec![Action::Back]),
        "q" | "quit" | "exit" | "退出" => return Reply::Act(vec![Action::Quit]),
        "lang" | "language" | "语言" | "english" | "中文" => {
            return Reply::Act(vec![Action::SwitchLang]);
        }
        "log" | "记录" => return Reply::Say(log_text(model, content)),
        "agent" | "坐席" => return Reply::Say(agent_notes(model, content)),
        _ => {}
    }
    let unknown = || Reply::Say(ui.plain_unknown.fill(lang, &[("text", typed)]));
    match ask(model, content) {
        Ask::Choose { rows, cursor } => match number(typed, rows) {
            Some(row) => Reply::Act([moves(cursor, row), vec![Action::Enter]].concat()),
            None if typed.is_empty() || typed.parse::<usize>().is_ok() => {
                Reply::Say(ui.plain_bad_number.fill(lang, &[("n", &rows.to_string())]))
            }
            None => unknown(),
        },
        Ask::Pick { rows, cursor } => match number(typed, rows) {
            Some(row) => Reply::Act([moves(cursor, row), vec![Action::Enter]].concat()),
            None if typed.is_empty() => Reply::Say(ui.plain_filter.get(lang).to_owned()),
            // Anything else narrows the list, as typing does on the full screen.
            None => Reply::Act(replace(typed)),
        },
        Ask::Tick {
            item,
            cursor,
            escape,
            last,
            ..
        } => {
            if is_yes(&word) {
                let mut keys = moves(cursor, item);
                keys.push(Action::Tick);
                if last {
                    keys.push(Action::Enter);
                }
                Reply::Act(keys)
            } else if let (Some(row), true) = (escape, is_no(&word)) {
                Reply::Act([moves(cursor, row), vec![Action::Enter]].concat())
            } else {
                Reply::Say(ui.plain_tick_again.get(lang).to_owned())
            }
        }
        Ask::Amount {
            field,
            fields,
            current,
        } => {
            // Each field is asked in turn; the last one checks them all, as Enter does.
            let next = if field + 1 < fields {
                Action::NextField
            } else {
                Action::Enter
            };
            if typed.is_empty() {
                if current.trim().is_empty() {
                    return Reply::Say(ui.plain_amount_empty.get(lang).to_owned());
                }
                return Reply::Act(vec![next]);
            }
            Reply::Act([replace(typed), vec![next]].concat())
        }
        Ask::Word | Ask::Note => Reply::Act([replace(typed), vec![Action::Enter]].concat()),
        Ask::Code { locked } => {
            if word == "resend" || word == "重发" {
                let wait = step_phone_wait(model, content, now);
                if wait > 0 {
                    let s = wait.to_string();
                    return Reply::Say(ui.plain_not_yet.fill(lang, &[("s", &s)]));
                }
                return Reply::Act(vec![Action::Resend]);
            }
            if locked {
                return Reply::Say(ui.plain_code_locked.get(lang).to_owned());
            }
            let digits = typed.chars().all(|c| c.is_ascii_digit());
            if !digits || typed.is_empty() || typed.len() > 6 {
                return Reply::Say(ui.plain_code_digits.get(lang).to_owned());
            }
            Reply::Act([replace(typed), vec![Action::Enter]].concat())
        }
        Ask::Continue => {
            let outcome = open_step(model, content)
                .is_some_and(|(_, _, step, _)| step.kind() == StepKind::Outcome);
            match word.as_str() {
                "" => Reply::Act(vec![Action::Enter]),
                "e" | "export" | "回执" if outcome => Reply::Act(vec![Action::Export]),
                _ => unknown(),
            }
        }
        Ask::Nothing => unknown(),
    }
}

/// A row number typed by the person (1-based), as an index, if there is such a row.
fn number(typed: &str, rows: usize) -> Option<usize> {
    // Full-width digits (１２３) are what a Chinese input method may send.
    let ascii: String = typed
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let n: usize = ascii.trim_end_matches('.').parse().ok()?;
    (1..=rows).contains(&n).then(|| n - 1)
}

/// The arrow keys that move the selection from `from` to `to`.
fn moves(from: usize, to: usize) -> Vec<Action> {
    if to < from {
        vec![Action::Up; from - to]
    } else {
        vec![Action::Down; to - from]
    }
}

/// Clear the focused field and type `text` into it.
fn replace(text: &str) -> Vec<Action> {
    std::iter::once(Action::Edit(InputRequest::DeleteLine))
        .chain(
            text.chars()
                .map(|c| Action::Edit(InputRequest::InsertChar(c))),
        )
        .collect()
}

fn is_yes(word: &str) -> bool {
    matches!(
        word,
        "y" | "yes" | "ok" | "done" | "是" | "好" | "对" | "完成" | "做完了"
    )
}

fn is_no(word: &str) -> bool {
    matches!(word, "n" | "no" | "否" | "不" | "不能" | "找不到")
}

fn step_phone_wait(model: &Model, content: &Content, now: Time) -> i64 {
    open_step(model, content)
        .and_then(|(_, _, _, view)| view.phone.as_ref())
        .map_or(0, |phone| phone.resend_in(now))
}

/// The whole log so far, one line per event, as `xiaohu log` prints it.
fn log_text(model: &Model, content: &Content) -> String {
    let lang = model.lang;
    let Some(case) = &model.case else {
        return content.ui.log_empty.get(lang).to_owned();
    };
    let product = content.product(&case.product);
    let lines: Vec<String> = case
        .log
        .iter()
        .map(|e| log_line(e, content, product, lang))
        .collect();
    lines.join("\n")
}
