//! A case's text (a case file's, a case book row's body): read in parts, and written with
//! its log's part kept from one save to the next.
//!
//! A save writes the whole case, and a long case is mostly log: 10,000 entries took 6.7 ms
//! to put into TOML at every save, most of a save's time beyond the disk's. The log only
//! grows while a case is worked, so the text of the entries already written (or just read)
//! is kept with the entries it holds, and a save writes only what came after them. The
//! kept text is used only when the case's log starts with exactly the kept entries.
//!
//! Reading is the other half of a resume: TOML is read at about 50 MB/s, and 10,000
//! entries are 1 MB. A long log is read in pieces, each on its own core, cut only before a
//! line that is exactly `[[log]]`, and each piece's entries from their lines where they are
//! as the writer makes them (`log_lines`); a text that cannot be read that way (a cut
//! inside a multi-line string, a hand-edited file) is read whole, as before, and says why
//! it fails.

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::{StoreError, log_lines};
use crate::wizard::case::{CASE_SCHEMA, Case, LogEntry};

/// The entries last written and their text, each entry's `\n[[log]]…` in turn. One per
/// store (file `Store`s cloned from one another share one); any case may use it.
#[derive(Default)]
pub(super) struct LogText {
    memo: Mutex<Memo>,
}

/// The kept entries' text is `text[from..]`: the whole text they were read from or
/// written in, shared with the save that is writing it, so a long log is never copied to
/// be kept or to be written.
#[derive(Default)]
struct Memo {
    entries: Vec<LogEntry>,
    text: Arc<String>,
    from: usize,
}

impl std::fmt::Debug for LogText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("LogText")
            .field("entries", &memo.entries.len())
            .field("bytes", &(memo.text.len() - memo.from))
            .finish()
    }
}

/// One entry as the case's own `[[log]]` array writes it.
#[derive(Serialize)]
struct OneEntry<'a> {
    log: [&'a LogEntry; 1],
}

/// A case's TOML as a save writes it: the part before its log, then the log's text, which
/// is the memo's (`kept[from..]`).
pub(super) struct CaseText {
    head: String,
    kept: Arc<String>,
    from: usize,
}

impl CaseText {
    /// A text written in one piece.
    fn whole(text: Arc<String>) -> CaseText {
        CaseText {
            head: String::new(),
            kept: text,
            from: 0,
        }
    }

    /// The text, in the order it is written.
    pub(super) fn parts(&self) -> [&str; 2] {
        [&self.head, &self.kept[self.from..]]
    }

    /// The text in one piece (a database row's body).
    pub(super) fn into_string(self) -> String {
        self.parts().concat()
    }
}

/// Room for the entries a session adds after a long log is read, so that neither the
/// kept entries nor their text has to be moved to take the first ones.
fn room_for_more(len: usize) -> usize {
    len / 16 + 64
}

impl LogText {
    /// Keeps a log's entries and the text they were read from (`text[from..]`), for the
    /// next save.
    fn keep(&self, entries: &[LogEntry], text: String, from: usize) {
        let mut kept = Vec::with_capacity(entries.len() + room_for_more(entries.len()));
        kept.extend_from_slice(entries);
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        *memo = Memo {
            entries: kept,
            text: Arc::new(text),
            from,
        };
    }

    /// The case's TOML: the text of `toml::to_string(case)`, with the log's kept part as
    /// it was read or last written.
    pub(super) fn case_text(&self, case: &Case) -> Result<CaseText, toml::ser::Error> {
        if case.log.is_empty() {
            return Ok(CaseText::whole(Arc::new(toml::to_string(case)?)));
        }
        // Everything but the log: TOML writes a table's plain values, then its tables, so
        // the log (an array of tables, the case's last field) comes last, after `answers`.
        let head = toml::to_string(&case.without_log())?;
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = memo.entries.len();
        if kept == 0 || case.log.len() < kept || case.log[..kept] != memo.entries[..] {
            // Nothing to reuse (a store just opened, another case): the case is written in
            // one piece, faster than entry by entry, and the log's part of it kept.
            let text = Arc::new(toml::to_string(case)?);
            *memo = if text.starts_with(head.as_str()) {
                Memo {
                    entries: case.log.clone(),
                    text: Arc::clone(&text),
                    from: head.len(),
                }
            } else {
                Memo::default()
            };
            return Ok(CaseText::whole(text));
        }
        let new = &case.log[kept..];
        // Made whole before the memo takes it, so a failure leaves the memo as it was.
        let mut more = String::new();
        for entry in new {
            more.push('\n');
            more.push_str(&toml::to_string(&OneEntry { log: [entry] })?);
        }
        if !more.is_empty() {
            // The last save's text is no longer shared once it is written: extended in place.
            let text = Arc::make_mut(&mut memo.text);
            text.reserve(more.len() + room_for_more(text.len()));
            text.push_str(&more);
            memo.entries.reserve(new.len() + room_for_more(kept));
            memo.entries.extend_from_slice(new);
        }
        Ok(CaseText {
            head,
            kept: Arc::clone(&memo.text),
            from: memo.from,
        })
    }
}

/// A case from its saved text (a file's, or a database row's body), checked as a case file
/// is: its schema (a newer one is `Newer`, never guessed at), then its own rules. `shown`
/// names where it was read, for the message. Whether it is kept under its own id is the
/// caller's to check. `memo`, for a case opened to be worked on, keeps its log's text for
/// the save that will soon be asked for.
pub(super) fn parse_case(
    text: String,
    shown: &str,
    memo: Option<&LogText>,
) -> Result<Case, StoreError> {
    let damaged = |message: String| StoreError::Damaged {
        path: shown.to_owned(),
        message,
    };
    if text.trim().is_empty() {
        return Err(damaged("the file is empty".into()));
    }
    let schema = |found: i64| match found {
        found if found > i64::from(CASE_SCHEMA) => Err(StoreError::Newer {
            path: shown.to_owned(),
            found,
        }),
        found if found < i64::from(CASE_SCHEMA) => Err(damaged(format!(
            "case schema {found} is older than this xiaohu reads ({CASE_SCHEMA})"
        ))),
        _ => Ok(()),
    };
    let case = if let Some((case, log_from)) = read_in_parts(&text) {
        schema(i64::from(case.schema))?;
        if let Some(memo) = memo {
            memo.keep(&case.log, text, log_from);
        }
        case
    } else {
        // One parse when the file is sound; the text is read again as a plain table only
        // to explain a failure by its schema.
        match toml::from_str::<Case>(&text) {
            Ok(case) => {
                schema(i64::from(case.schema))?;
                case
            }
            Err(error) => {
                let value: toml::Table =
                    toml::from_str(&text).map_err(|e| damaged(one_line(e.message())))?;
                match value.get("schema").and_then(toml::Value::as_integer) {
                    Some(found) => schema(found)?,
                    None => {
                        return Err(damaged("no `schema` number: not a xiaohu case file".into()));
                    }
                }
                return Err(damaged(one_line(error.message())));
            }
        }
    };
    case.check().map_err(damaged)?;
    Ok(case)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a case's text may be cut: before a line that is exactly `[[log]]`, which is how
/// the writer starts every entry. Such a line is either an entry's header or inside a
/// multi-line string; a piece cut inside a string never closes it and fails to parse.
pub(super) const ENTRY: &str = "\n[[log]]\n";

/// The least log text worth a core of its own: below it, a thread costs more than it saves.
const PIECE_BYTES: usize = 128 * 1024;

/// What the part before the log must not hold.
#[derive(Deserialize)]
struct HeadKeys {
    log: Option<serde::de::IgnoredAny>,
}

/// A piece of a log: entries, and nothing else (any other key means the cut was wrong).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogPiece {
    log: Vec<LogEntry>,
}

/// The case, and where its log's text starts (the line break before its first entry), if the text
/// reads in parts to what it says read whole: the part before the first entry holds no
/// `log`, and every piece of the log only entries. Otherwise `None`. A long log is read in
/// as many pieces as there are cores for it.
fn read_in_parts(text: &str) -> Option<(Case, usize)> {
    let (head, log) = text.split_at(text.find(ENTRY)?);
    // Only the part before the log may say anything but entries: a `log` in it would be
    // defined twice in the whole text, which a whole read refuses.
    if toml::from_str::<HeadKeys>(head).ok()?.log.is_some() {
        return None;
    }
    let mut case: Case = toml::from_str(head).ok()?;
    let wanted = log.len() / PIECE_BYTES;
    let pieces = if wanted < 2 {
        vec![log]
    } else {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        cut(log, wanted.min(cores))
    };
    case.log = read_pieces(&pieces)?;
    Some((case, head.len()))
}

/// The entries of a log's pieces, in order, each piece read on its own thread but the
/// first (read on this one); `None` if any piece is not entries alone.
fn read_pieces(pieces: &[&str]) -> Option<Vec<LogEntry>> {
    let by_toml = |text: &str| toml::from_str::<LogPiece>(text).ok().map(|p| p.log);
    let read = |piece: &str| log_lines::read_entries(piece, by_toml);
    let Some((first, rest)) = pieces.split_first() else {
        return Some(Vec::new());
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = rest
            .iter()
            .map(|&piece| {
                let thread = std::thread::Builder::new().spawn_scoped(scope, move || read(piece));
                (piece, thread)
            })
            .collect();
        let mut entries = read(first);
        for (piece, thread) in others {
            // A thread that could not be started leaves its piece to this one.
            let part = match thread {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => read(piece),
            };
            match (&mut entries, part) {
                (Some(entries), Some(part)) => entries.extend(part),
                _ => entries = None,
            }
        }
        entries
    })
}

/// `log` in about `n` pieces of equal length, each starting at an `ENTRY`.
fn cut(log: &str, n: usize) -> Vec<&str> {
    let mut starts = vec![0];
    for k in 1..n {
        let from = (log.len() * k / n).max(starts[starts.len() - 1] + 1);
        // Searched as bytes: `from` may fall inside a character, an `ENTRY` never does.
        let found = log.as_bytes()[from.min(log.len())..]
            .windows(ENTRY.len())
            .position(|w| w == ENTRY.as_bytes());
        match found {
            Some(at) => starts.push(from + at),
            None => break,
        }
    }
    starts.push(log.len());
    starts.windows(2).map(|w| &log[w[0]..w[1]]).collect()
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
                memo.case_text(&case).unwrap().into_string(),
                toml::to_string(&case).unwrap()
            );
        }
        // Another case in between, then the first again: each is written whole and right.
        let other = started("weilidai");
        assert_eq!(
            memo.case_text(&other).unwrap().into_string(),
            toml::to_string(&other).unwrap()
        );
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
    }

    #[test]
    fn a_log_that_changed_before_its_end_is_written_anew() {
        let memo = LogText::default();
        let mut case = started("jiebei");
        grow(&mut case, 0, 12);
        memo.case_text(&case).unwrap().into_string();
        // An entry in the middle edited, then the log cut short and grown again.
        case.log[5].event = Event::Note {
            step: "x".into(),
            text: "changed".into(),
        };
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
        case.log.truncate(4);
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
        grow(&mut case, 4, 9);
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
        case.log.clear();
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
    }

    /// A case of `n` entries whose strings quote every way but never hold a line that is
    /// exactly `[[log]]`.
    fn plain_case(n: usize) -> Case {
        let mut case = started("baitiao");
        for i in 0..n {
            case.hands.agent = i.is_multiple_of(5).then(|| format!("agent {i}"));
            let e = match event(i) {
                Event::Note { step, .. } => Event::Note {
                    step,
                    text: format!("第 {i} 条 \"quoted\" it's\n'''\n[[log]] x"),
                },
                other => other,
            };
            case.log(at(i64::try_from(i).unwrap()), e);
        }
        case
    }

    /// The pieces of a log cut before every `ENTRY` it holds.
    fn every_entry(log: &str) -> Vec<&str> {
        let mut starts: Vec<usize> = log.match_indices(ENTRY).map(|(i, _)| i).collect();
        starts.push(log.len());
        starts.windows(2).map(|w| &log[w[0]..w[1]]).collect()
    }

    fn whole(text: &str) -> Case {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_log_read_in_pieces_is_the_log_read_whole() {
        let case = plain_case(240);
        let text = toml::to_string(&case).unwrap();
        let (parts, from) = read_in_parts(&text).unwrap();
        let log = &text[from..];
        assert_eq!(parts, whole(&text));
        assert_eq!(parts, case);
        assert!(log.starts_with(ENTRY) && text.ends_with(log));
        for n in [1, 2, 3, 7, 64, 240, 1000] {
            let pieces = cut(log, n);
            assert_eq!(pieces.concat(), log, "{n} pieces");
            // Equal lengths: as many as asked while entries are many more than pieces.
            assert!(pieces.len() <= n, "{n} pieces");
            assert!(n > 7 || pieces.len() == n, "{n} pieces");
            assert!(pieces.iter().all(|p| p.starts_with(ENTRY)), "{n} pieces");
            assert_eq!(read_pieces(&pieces).unwrap(), case.log, "{n} pieces");
        }
        assert_eq!(read_pieces(&every_entry(log)).unwrap(), case.log);
    }

    #[test]
    fn a_cut_inside_a_string_is_never_read_as_entries() {
        // `event` writes notes that hold a line `[[log]]`, inside a multi-line string.
        let mut case = started("huabei");
        grow(&mut case, 0, 40);
        let text = toml::to_string(&case).unwrap();
        let log = &text[text.find(ENTRY).unwrap()..];
        assert!(
            every_entry(log).len() > case.log.len(),
            "the test cuts inside a note"
        );
        assert_eq!(read_pieces(&every_entry(log)), None);
        // Read whole instead, and still right.
        assert_eq!(parse_case(text.clone(), "x", None).unwrap(), case);
    }

    #[test]
    fn a_text_that_says_more_than_entries_after_the_head_is_read_whole() {
        let case = plain_case(30);
        let text = toml::to_string(&case).unwrap();
        let at = text.find(ENTRY).unwrap();
        // A `log` before the first exact `[[log]]`: defined twice, which TOML refuses.
        let twice = format!("{}log = []\n{}", &text[..at + 1], &text[at + 1..]);
        assert!(toml::from_str::<Case>(&twice).is_err());
        assert!(matches!(
            parse_case(twice.clone(), "x", None),
            Err(StoreError::Damaged { .. })
        ));
        // An entry written `[[ log ]]` before it: part of the log, read whole.
        let spaced = format!("{}[[ log ]]{}", &text[..at + 1], &text[at + 8..]);
        assert_eq!(
            parse_case(spaced.clone(), "x", None).unwrap(),
            whole(&spaced)
        );
        assert_eq!(whole(&spaced).log, case.log);
        // A table after the log, which a case ignores: read whole, and ignored.
        let more = format!("{text}\n[later]\nnote = 1\n");
        assert_eq!(read_in_parts(&more), None);
        assert_eq!(parse_case(more.clone(), "x", None).unwrap(), case);
    }

    #[test]
    fn a_case_read_to_be_worked_on_is_saved_from_the_text_it_was_read_from() {
        let memo = LogText::default();
        let mut case = plain_case(50);
        let text = toml::to_string(&case).unwrap();
        assert_eq!(parse_case(text.clone(), "x", Some(&memo)).unwrap(), case);
        assert_eq!(memo.memo.lock().unwrap().entries, case.log);
        grow(&mut case, 50, 53);
        assert_eq!(
            memo.case_text(&case).unwrap().into_string(),
            toml::to_string(&case).unwrap()
        );
        // Written by hand in its log: the next save keeps that text, and reads back as
        // the case.
        let memo = LogText::default();
        let mut case = plain_case(20);
        let text = toml::to_string(&case)
            .unwrap()
            .replace("\n[[log]]\n", "\n# by hand\n\n[[log]]\n");
        assert_eq!(parse_case(text.clone(), "x", Some(&memo)).unwrap(), case);
        grow(&mut case, 20, 22);
        let saved = memo.case_text(&case).unwrap().into_string();
        assert!(saved.contains("# by hand"));
        assert_eq!(whole(&saved), case);
    }
}
