//! A typed line → the keys a person would have pressed on the full screen. "3" on a list
//! is "move to the third row, Enter"; an amount is "clear the field, type it, next field".
//! Nothing is decided here that `wizard::update` would decide.

use tui_input::InputRequest;

use super::page::agent_notes;
use super::{Ask, ask, open_step};
use crate::content::{Content, StepKind};
use crate::keymap;
use crate::report::describe;
use crate::safe_text;
use crate::wizard::model::NOTE_MAX;
use crate::wizard::money::{parse_amount, typed_amount};
use crate::wizard::secrets;
use crate::wizard::update::{CUSTOMER_MAX, REFERENCE_MAX};
use crate::wizard::{Action, Model, Screen, Time};

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
    // With a Chinese input method on, letters and digits may come full-width (ｙ, １).
    let word = halfwidth(typed).to_lowercase();
    // Commands work at every prompt, as the full screen's keys do; their words are the
    // keymap's, beside the keys.
    if matches!(word.as_str(), "r" | "repeat" | "重读") {
        return Reply::Repeat;
    }
    // `note TEXT` on any step: the note key, the text and Enter, as on the full screen
    // (where the secret guard reads it); a bare `note` says how.
    if let Some(reply) = note(model, content, typed) {
        return reply;
    }
    match keymap::plain_command(&word) {
        Some(Action::Help) => return Reply::Say(ui.plain_help.get(lang).to_owned()),
        Some(Action::Back) => return Reply::Act(back(model, content)),
        Some(Action::Quit) => return Reply::Act(vec![Action::Quit]),
        Some(Action::Home) if model.case.is_some() => return Reply::Act(vec![Action::Home]),
        Some(Action::SwitchLang) => return Reply::Act(vec![Action::SwitchLang]),
        Some(Action::ToggleLog) => return Reply::Say(log_text(model, content)),
        Some(Action::ToggleAgent) => return Reply::Say(agent_notes(model, content)),
        // Export and resend are answers to one question each (below).
        _ => {}
    }
    // What the person typed, when it is said back: its start only (a pasted page, a 20 MB
    // line), with what a terminal would obey made visible.
    let echo = safe_text::preview(typed, ECHO_MAX);
    let unknown = || Reply::Say(ui.plain_unknown.fill(lang, &[("text", &echo)]));
    match ask(model, content) {
        Ask::Choose { rows, cursor } => match number(&word, rows) {
            Some(row) => Reply::Act([moves(cursor, row), vec![Action::Enter]].concat()),
            None if word.is_empty() => Reply::Say(ui.plain_type_number.get(lang).to_owned()),
            None if word.parse::<usize>().is_ok() => {
                Reply::Say(ui.plain_bad_number.fill(lang, &[("n", &rows.to_string())]))
            }
            None => unknown(),
        },
        Ask::Pick { rows, cursor } => match number(&word, rows) {
            Some(row) => Reply::Act([moves(cursor, row), vec![Action::Enter]].concat()),
            // Enter on a narrowed list shows them all again.
            None if word.is_empty() && filtered(model) => Reply::Act(replace("")),
            None if word.is_empty() => Reply::Say(ui.plain_type_number.get(lang).to_owned()),
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
            last,
        } => {
            // Each field is asked in turn; the last one checks them all, as Enter does.
            let next = if field + 1 < fields {
                Action::NextField
            } else {
                Action::Enter
            };
            if typed.is_empty() {
                if !current.trim().is_empty() && parse_amount(&current).is_ok() {
                    return Reply::Act(vec![next]);
                }
                return match last {
                    Some(cents) if current.trim().is_empty() => {
                        Reply::Act([replace(&typed_amount(cents)), vec![next]].concat())
                    }
                    _ => Reply::Say(ui.plain_amount_empty.get(lang).to_owned()),
                };
            }
            // Said at once, about this field, and asked again: the full screen waits for
            // Enter on the last field, but here the person has moved on by then.
            if let Err(err) = parse_amount(typed) {
                let why = crate::steps::debt::amount_error(&content.ui, err).get(lang);
                let args = [("text", echo.as_str()), ("why", why)];
                return Reply::Say(ui.plain_amount_refused.fill(lang, &args));
            }
            Reply::Act([replace(typed), vec![next]].concat())
        }
        Ask::Word => Reply::Act([replace(&halfwidth(typed)), vec![Action::Enter]].concat()),
        // Longer than the field holds: said, not cut short (a cut could keep half an ID
        // number that the whole would have shown to be one).
        // Counted as the field would take it: invisible characters are never kept.
        Ask::Note if typed.chars().filter(|c| !secrets::invisible(*c)).count() > REFERENCE_MAX => {
            let n = REFERENCE_MAX.to_string();
            Reply::Say(ui.plain_note_too_long.fill(lang, &[("n", &n)]))
        }
        Ask::Note => Reply::Act([replace(typed), vec![Action::Enter]].concat()),
        Ask::Reason if matches!(keymap::plain_command(&word), Some(Action::Export)) => {
            Reply::Act(vec![Action::Export])
        }
        Ask::Reason if typed.chars().filter(|c| secrets::takes(*c)).count() > NOTE_MAX => {
            let n = NOTE_MAX.to_string();
            Reply::Say(ui.plain_text_too_long.fill(lang, &[("n", &n)]))
        }
        Ask::Reason => Reply::Act([replace(typed), vec![Action::Enter]].concat()),
        // Said, not cut short, as a note is.
        Ask::Customer
            if typed.chars().filter(|c| !secrets::invisible(*c)).count() > CUSTOMER_MAX =>
        {
            let n = CUSTOMER_MAX.to_string();
            Reply::Say(ui.plain_customer_too_long.fill(lang, &[("n", &n)]))
        }
        Ask::Customer => Reply::Act([replace(typed), vec![Action::Enter]].concat()),
        // An empty line keeps the date filled in (today's), as Enter does on the screen;
        // whether a date typed is one is the step's to say.
        Ask::Date { ref current }
            if typed.is_empty() && crate::steps::sent::read_date(current).is_some() =>
        {
            Reply::Act(vec![Action::Enter])
        }
        Ask::Date { .. } if typed.is_empty() => {
            Reply::Say(ui.plain_sent_date_again.get(lang).to_owned())
        }
        Ask::Date { .. } => Reply::Act([replace(&halfwidth(typed)), vec![Action::Enter]].concat()),
        Ask::Code { locked } => {
            let phone = open_step(model, content).and_then(|(_, _, _, view)| view.phone.clone());
            let is_resend = matches!(keymap::plain_command(&word), Some(Action::Resend));
            if is_resend && phone.as_ref().is_some_and(|p| !p.resends()) {
                return Reply::Say(ui.phone_no_resend.get(lang).to_owned());
            }
            if is_resend {
                let wait = step_phone_wait(model, content, now);
                if wait > 0 {
                    let s = wait.to_string();
                    return Reply::Say(ui.plain_not_yet.fill(lang, &[("s", &s)]));
                }
                return Reply::Act(vec![Action::Resend]);
            }
            // A payment password's lock-out is over once its countdown is.
            match &phone {
                Some(p) if locked && !p.resends() && !p.takes_code(Some(now)) => {
                    let s = p.locked_for(now).to_string();
                    return Reply::Say(ui.phone_locked_password.fill(lang, &[("s", &s)]));
                }
                Some(p) if locked && !p.resends() => {}
                _ if locked => return Reply::Say(ui.plain_code_locked.get(lang).to_owned()),
                _ => {}
            }
            // Only a whole code is a try; a slip of the finger does not use one up.
            if word.len() != 6 || !word.chars().all(|c| c.is_ascii_digit()) {
                return Reply::Say(ui.plain_code_digits.get(lang).to_owned());
            }
            Reply::Act([replace(&word), vec![Action::Enter]].concat())
        }
        Ask::Continue => {
            let outcome = open_step(model, content)
                .is_some_and(|(_, _, step, _)| step.kind() == StepKind::Outcome);
            // A checklist ticked in full still offers its other way out.
            let escape = open_step(model, content).and_then(|(_, _, step, view)| {
                let checklist = step.checklist()?;
                checklist.escape?;
                Some((view.cursor, checklist.items.len()))
            });
            match word.as_str() {
                "" => Reply::Act(vec![Action::Enter]),
                w if outcome && matches!(keymap::plain_command(w), Some(Action::Export)) => {
                    Reply::Act(vec![Action::Export])
                }
                w if is_no(w) && escape.is_some() => {
                    let (cursor, row) = escape.unwrap_or_default();
                    Reply::Act([moves(cursor, row), vec![Action::Enter]].concat())
                }
                _ => unknown(),
            }
        }
        Ask::Nothing => unknown(),
    }
}

/// `note TEXT` (a word of the note key's row, a space, the text) as the note key, the
/// text typed and Enter; a bare note word, how to write one. `None`: not a note.
fn note(model: &Model, content: &Content, typed: &str) -> Option<Reply> {
    let (ui, lang) = (&content.ui, model.lang);
    // The text as typed (not lower-cased), after the word and its spaces.
    let (head, text) = typed.split_once(char::is_whitespace).unwrap_or((typed, ""));
    let (head, text) = (halfwidth(head).to_lowercase(), text.trim());
    if !matches!(keymap::plain_command(&head), Some(Action::Note)) {
        return None;
    }
    if !matches!(model.screen, Screen::Step(_)) {
        return None;
    }
    if text.is_empty() {
        return Some(Reply::Say(ui.plain_note_usage.get(lang).to_owned()));
    }
    if text.chars().filter(|c| secrets::takes(*c)).count() > NOTE_MAX {
        let n = NOTE_MAX.to_string();
        return Some(Reply::Say(ui.plain_text_too_long.fill(lang, &[("n", &n)])));
    }
    // Refused by the wizard as on the screen, and said here: the field is dropped again.
    if secrets::keep_note(text, NOTE_MAX).is_err() {
        return Some(Reply::Say(ui.contact_looks_secret.get(lang).to_owned()));
    }
    let typing = text
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| Action::Edit(InputRequest::InsertChar(c)));
    Some(Reply::Act(
        std::iter::once(Action::Note)
            .chain(typing)
            .chain([Action::Enter])
            .collect(),
    ))
}

/// How many characters of a refused answer are said back.
const ECHO_MAX: usize = 40;

/// A row number typed by the person (1-based), as an index, if there is such a row.
fn number(word: &str, rows: usize) -> Option<usize> {
    let n: usize = word.trim_end_matches('.').parse().ok()?;
    (1..=rows).contains(&n).then(|| n - 1)
}

/// Full-width ASCII (ｙ, １, ＣＯＮＦＩＲＭ) as plain ASCII.
fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// `b`: back to the previous question. Inside the amounts that is the previous field; on
/// the blocked screen, the amounts again from the first; elsewhere the previous step.
fn back(model: &Model, content: &Content) -> Vec<Action> {
    match ask(model, content) {
        Ask::Amount { field, .. } if field > 0 => vec![Action::PrevField],
        Ask::Continue => match open_step(model, content) {
            Some((_, _, _, view)) if view.blocked.is_some() => {
                [vec![Action::Back], moves(view.cursor, 0)].concat()
            }
            _ => vec![Action::Back],
        },
        _ => vec![Action::Back],
    }
}

/// Whether the product list is narrowed by a filter.
fn filtered(model: &Model) -> bool {
    matches!(&model.screen, Screen::Picker { filter, .. } if !filter.value().is_empty())
}

/// The arrow keys that move the selection from `from` to `to`.
fn moves(from: usize, to: usize) -> Vec<Action> {
    if to < from {
        vec![Action::Up; from - to]
    } else {
        vec![Action::Down; to - from]
    }
}

/// Clear the focused field and type `text` into it (control characters are not typing).
fn replace(text: &str) -> Vec<Action> {
    std::iter::once(Action::Edit(InputRequest::DeleteLine))
        .chain(
            text.chars()
                .filter(|c| !c.is_control())
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
    // Month, day and minute: a screen reader reads an RFC 3339 stamp symbol by symbol.
    let lines: Vec<String> = case
        .log
        .iter()
        .map(|e| {
            let when = e.at.format("%m-%d %H:%M");
            format!("{when} {}", describe(e, content, product, lang))
        })
        .collect();
    lines.join("\n")
}
