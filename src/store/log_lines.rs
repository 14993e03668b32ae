//! A log's entries read from the lines xiaohu writes them as, without building a TOML
//! document first.
//!
//! `toml` reads a table into a tree of spanned keys and values and only then hands it to
//! serde: 18 ms for the megabyte a 10,000-entry log takes, most of a resume. Every entry
//! the writer makes is a `[[log]]` header and lines `key = value`, each value a one-line
//! string, an integer, a boolean or an array of one-line strings. Such lines are read here
//! straight into the entry's own `Deserialize`, which types and checks them as it does
//! for `toml`.
//!
//! Only that narrow form is read here, and only where TOML reads it the same way: a key
//! written twice, a space more or less, a comment, a multi-line string, an escape outside
//! TOML 1.0's, a number with a sign or an underscore, anything at all that is not exactly
//! what the writer makes, and the entry is read by `toml` instead, as before. So a
//! hand-edited entry reads as it always did, and `toml` words every error.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::value::{CowStrDeserializer, Error, MapDeserializer, SeqDeserializer};
use serde::de::{IntoDeserializer, Visitor};

use super::case_text::ENTRY;
use crate::wizard::case::LogEntry;

/// More keys than an entry has fields: such an entry is not the writer's. Also what keeps
/// the check for a key written twice (each key against those before it) short, whatever
/// a hostile file holds.
const MOST_KEYS: usize = 24;

/// The entries of `log` (the text from the line break before an entry's `[[log]]` to the
/// end of one), in order, each read from its lines where they are in the writer's form and
/// by `read_by_toml` otherwise; `None` when any is not an entry.
pub(super) fn read_entries(
    log: &str,
    read_by_toml: impl Fn(&str) -> Option<Vec<LogEntry>>,
) -> Option<Vec<LogEntry>> {
    let mut entries = Vec::with_capacity(log.len() / 128);
    let mut pairs = Vec::new();
    let mut rest = log;
    while !rest.is_empty() {
        pairs.clear();
        let read = lines_of(rest, &mut pairs).and_then(|end| {
            let entry = LogEntry::deserialize(MapDeserializer::<_, Error>::new(pairs.drain(..)));
            Some((entry.ok()?, end))
        });
        rest = match read {
            Some((entry, end)) => {
                entries.push(entry);
                &rest[end..]
            }
            None => {
                // To the next entry's header, or the end: as much as this entry can be.
                let first = rest.chars().next().map_or(0, char::len_utf8);
                let end = rest[first..]
                    .find(ENTRY)
                    .map_or(rest.len(), |at| first + at);
                entries.extend(read_by_toml(&rest[..end])?);
                &rest[end..]
            }
        };
    }
    Some(entries)
}

/// The keys and values of the entry `text` starts with, into `pairs`, and where it ends
/// (the line break before the next entry's header, or the text's end); `None`, with
/// `pairs` left to be cleared, unless the entry is its header and lines `key = value` as
/// the writer makes them, each key once.
fn lines_of<'a>(text: &'a str, pairs: &mut Vec<(&'a str, Scalar<'a>)>) -> Option<usize> {
    let bare = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
    let mut at = text.strip_prefix(ENTRY).map(|_| ENTRY.len())?;
    loop {
        // `at` starts a line.
        if at == text.len() {
            return Some(at);
        }
        if text[at..].starts_with(&ENTRY[1..]) {
            return Some(at - 1);
        }
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let line = &text[at..end];
        at = (end + 1).min(text.len());
        if line.is_empty() {
            continue;
        }
        let key_end = line.bytes().position(|b| !bare(&b)).unwrap_or(line.len());
        let (key, value) = line.split_at(key_end);
        let value = value.strip_prefix(" = ")?;
        if key.is_empty() || pairs.len() == MOST_KEYS || pairs.iter().any(|(k, _)| *k == key) {
            return None;
        }
        pairs.push((key, value_of(value)?));
    }
}

/// A one-line value, exactly: nothing before or after it.
fn value_of(text: &str) -> Option<Scalar<'_>> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => match string(text)? {
            (value, "") => Some(Scalar::Str(value)),
            _ => None,
        },
        b'[' => {
            let mut rest = &text[1..];
            let mut items = Vec::new();
            if let Some(after) = rest.strip_prefix(']') {
                return after.is_empty().then_some(Scalar::Strs(items));
            }
            loop {
                let (item, after) = string(rest)?;
                items.push(item);
                if after == "]" {
                    return Some(Scalar::Strs(items));
                }
                rest = after.strip_prefix(", ")?;
            }
        }
        b't' if text == "true" => Some(Scalar::Bool(true)),
        b'f' if text == "false" => Some(Scalar::Bool(false)),
        _ => integer(text).map(Scalar::Int),
    }
}

/// A decimal integer as TOML writes one: an optional minus, no leading zero, no `+` or
/// `_`, within `i64`.
fn integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if plain { text.parse().ok() } else { None }
}

/// A one-line basic (`"…"`) or literal (`'…'`) string at the start of `text`, and what
/// follows it. `None` for anything TOML would read otherwise or refuse: a multi-line
/// string, a control character (TOML allows a tab, and no other, DEL included), an escape
/// outside TOML 1.0's.
fn string(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let control = |b: u8| (b < 0x20 && b != b'\t') || b == 0x7f;
    let quote = *text.as_bytes().first()?;
    // Any other first character may be several bytes long: nothing to slice after it.
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let body = &text[1..];
    let bytes = body.as_bytes();
    if quote == b'\'' {
        let end = bytes.iter().position(|&b| b == b'\'' || control(b))?;
        let (value, rest) = (&body[..end], &body[end + 1..]);
        // `''` followed by a quote opens a multi-line string.
        return (bytes[end] == b'\'' && !rest.starts_with('\''))
            .then_some((Cow::Borrowed(value), rest));
    }
    let end = bytes
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || control(b))?;
    match bytes[end] {
        b'"' => {
            let (value, rest) = (&body[..end], &body[end + 1..]);
            (!(value.is_empty() && rest.starts_with('"'))).then_some((Cow::Borrowed(value), rest))
        }
        b'\\' => escaped(body, end),
        _ => None,
    }
}

/// The rest of a basic string whose first escape is at `from` in its `body`.
fn escaped(body: &str, from: usize) -> Option<(Cow<'_, str>, &str)> {
    let allowed = |c: char| c == '\t' || !c.is_ascii_control();
    let mut value = String::with_capacity(body.len());
    value.push_str(&body[..from]);
    let mut chars = body[from..].char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(value), &body[from + at + 1..])),
            '\\' => {
                let (_, escape) = chars.next()?;
                let hex = |n: usize, chars: &mut std::str::CharIndices<'_>| {
                    let digits: String = chars.by_ref().take(n).map(|(_, c)| c).collect();
                    (digits.len() == n && digits.bytes().all(|b| b.is_ascii_hexdigit()))
                        .then(|| u32::from_str_radix(&digits, 16).ok())
                        .flatten()
                        .and_then(char::from_u32)
                };
                value.push(match escape {
                    'b' => '\u{8}',
                    't' => '\t',
                    'n' => '\n',
                    'f' => '\u{c}',
                    'r' => '\r',
                    '"' => '"',
                    '\\' => '\\',
                    'u' => hex(4, &mut chars)?,
                    'U' => hex(8, &mut chars)?,
                    _ => return None,
                });
            }
            c if allowed(c) => value.push(c),
            _ => return None,
        }
    }
    None
}

/// One value, handed to the entry's `Deserialize` as `toml` would hand it.
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Strs(Vec<Cow<'a, str>>),
}

impl<'de, 'a> IntoDeserializer<'de, Error> for Scalar<'a> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, 'a> serde::Deserializer<'de> for Scalar<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Scalar::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Scalar::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Scalar::Int(n) => visitor.visit_i64(n),
            Scalar::Bool(b) => visitor.visit_bool(b),
            Scalar::Strs(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(Scalar::Str));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
        }
    }

    // A key that is there is a value that is there, as in TOML.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Scalar::Str(s) => {
                let s: CowStrDeserializer<'_, Error> = s.into_deserializer();
                serde::Deserializer::deserialize_enum(s, name, variants, visitor)
            }
            other => other.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::case::{Event, every_event};
    use chrono::{DateTime, Duration};
    use proptest::prelude::*;
    use serde::Serialize;

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Log {
        log: Vec<LogEntry>,
    }

    /// The reference: the text read whole by `toml`, as nothing but entries.
    fn by_toml(text: &str) -> Option<Vec<LogEntry>> {
        toml::from_str::<Log>(text).ok().map(|l| l.log)
    }

    /// A log's text as it stands in a case file, from the line break before its first
    /// entry.
    fn written(log: Vec<LogEntry>) -> String {
        format!("\n{}", toml::to_string(&Log { log }).unwrap())
    }

    /// Every event, by an agent at a desk or not, a minute apart.
    fn every_entry() -> Vec<LogEntry> {
        let start = DateTime::parse_from_rfc3339("2026-12-28T09:30:00+08:00").unwrap();
        every_event()
            .into_iter()
            .enumerate()
            .map(|(i, event)| LogEntry {
                at: start + Duration::minutes(i64::try_from(i).unwrap()),
                event,
                agent: (i % 2 == 0).then(|| "李娜".to_owned()),
                desk: (i % 3 == 0).then(|| "柜台 A".to_owned()),
            })
            .collect()
    }

    #[test]
    fn every_entry_as_the_writer_makes_it_is_read_without_toml() {
        let entries = every_entry();
        let text = written(entries.clone());
        let read = read_entries(&text, |chunk| panic!("read by toml: {chunk}"));
        assert_eq!(read, Some(entries));
    }

    #[test]
    fn an_entry_not_in_the_writers_form_is_read_by_toml_and_the_rest_without() {
        let mut entries = every_entry();
        entries[3].event = Event::Note {
            step: "check-debt".into(),
            // Written as a multi-line string.
            text: "第一行\n第二行".into(),
        };
        let text = written(entries.clone());
        let by_toml_alone = std::cell::Cell::new(0);
        let read = read_entries(&text, |chunk| {
            by_toml_alone.set(by_toml_alone.get() + 1);
            by_toml(chunk)
        });
        assert_eq!(read, Some(entries));
        assert_eq!(by_toml_alone.get(), 1);
    }

    /// Lines a hand may write that TOML reads otherwise than they look, or refuses: each
    /// is read as `toml` reads it, or left to be read whole (`None`).
    #[test]
    fn lines_the_writer_does_not_make_read_as_toml_reads_them() {
        let head =
            "\n[[log]]\nat = \"2026-12-28T09:30:00+08:00\"\nevent = \"note\"\nstep = \"s\"\n";
        let lines = [
            "text = \"plain\"",
            "text = ''",
            "text = \"\"",
            "text = \"\"\"one line\"\"\"",
            "text = '''one line'''",
            "text = \"a\\e\"",
            "text = \"a\\x41\"",
            "text = \"a\\u0041\\U0001F600\\t\\\\\\\"\"",
            "text = \"\\uD800\"",
            "text = \"\\U00110000\"",
            "text = \"\\u00\"",
            "text = \"a\tb\"",
            "text = \"a\u{1}b\"",
            "text = \"a\\t\u{1}b\"",
            "text = \"a\\t\u{7f}b\"",
            "text = \"a\u{7f}b\"",
            "text = 'a\u{7f}b'",
            "text = 'it''s'",
            "text = \"x\" # a comment",
            "text = \"x\" y",
            "text = \"x\"\"",
            "text = \"x\" ",
            "text=\"x\"",
            "text  = \"x\"",
            "\"text\" = \"x\"",
            "text.more = \"x\"",
            "text = \"x\"\r",
            "text = \"x\"\ntext = \"y\"",
            "extra = 1\nextra = 2",
            "extra = 01",
            "extra = +1",
            "extra = 1_000",
            "extra = -0",
            "extra = 9223372036854775808",
            "extra = -9223372036854775808",
            "extra = 0x1f",
            "extra = 1.5",
            "extra = inf",
            "extra = True",
            "extra = true",
            "extra = 2026-12-28",
            "extra = [\"a\", 'b']",
            "extra = [\"a\",]",
            "extra = [销]",
            "extra = [\"a\", 销]",
            "extra = [\"a\"\"b\"]",
            "extra = [\"a\",\"b\"]",
            "extra = [ \"a\" ]",
            "extra = []",
            "extra = [1, 2]",
            "extra = {a = 1}",
            "# only a comment",
            "   ",
            "[log.more]\nx = 1",
            "[other]\nx = 1",
            "[[log]]",
            "[[log]]\n[[log]]",
            "log = 1",
        ];
        let entered =
            "\n[[log]]\nat = \"2026-12-28T09:31:00+08:00\"\nevent = \"entered\"\nstep = \"s\"\n";
        let mut in_pieces = 0;
        for line in lines {
            // After a sound entry: as the text of a note (which needs one), and as more
            // lines of an entry that is whole without them.
            for second in [head, entered] {
                let text = format!("{head}text = \"first\"\n\n{second}{line}\n");
                if let Some(read) = read_entries(&text, by_toml) {
                    assert_eq!(Some(read), by_toml(&text), "{line:?}");
                    in_pieces += 1;
                }
            }
        }
        assert!(
            in_pieces > lines.len() / 2,
            "only {in_pieces} read in pieces"
        );
    }

    #[test]
    fn an_entry_of_more_keys_than_fields_is_left_to_toml() {
        let keys = |n: usize| -> String {
            let mut text =
                "\n[[log]]\nat = \"2026-12-28T09:30:00+08:00\"\nevent = \"started\"\n".to_owned();
            for k in 2..n {
                text.push_str(&format!("k{k} = {k}\n"));
            }
            text
        };
        let (most, more) = (keys(MOST_KEYS), keys(MOST_KEYS + 1));
        assert!(lines_of(&most, &mut Vec::new()).is_some());
        assert_eq!(lines_of(&more, &mut Vec::new()), None);
        // 100,000 keys: read (by toml) in one pass, not a comparison of each with each.
        let text = keys(100_000);
        assert_eq!(read_entries(&text, by_toml), by_toml(&text));
    }

    /// Strings TOML writes each way: quotes of both kinds, backslashes, control
    /// characters, line breaks, `[[log]]` and `key = value` inside.
    fn tricky() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_owned()),
            Just("'".to_owned()),
            Just("\\".to_owned()),
            Just("\n".to_owned()),
            Just("\n[[log]]\n".to_owned()),
            Just(" = ".to_owned()),
            Just("\t".to_owned()),
            Just("\u{1}".to_owned()),
            Just("\u{7f}".to_owned()),
            Just("'''".to_owned()),
            Just("\"\"\"".to_owned()),
            "[a-z0-9 ]{0,4}",
            "[微粒贷销户]{1,3}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
    }

    fn entry() -> impl Strategy<Value = LogEntry> {
        let events = every_event();
        (
            0..events.len(),
            tricky(),
            proptest::option::of(tricky()),
            0i64..5_000_000,
        )
            .prop_map(move |(i, s, who, minutes)| {
                let mut event = events[i].clone();
                match &mut event {
                    Event::Note { text, .. } | Event::Reason { text, .. } => *text = s.clone(),
                    Event::Customer { reference } => *reference = s.clone(),
                    Event::ContentChanged { steps } => steps.push(s.clone()),
                    _ => {}
                }
                let start = DateTime::parse_from_rfc3339("2026-12-28T09:30:00+08:00").unwrap();
                LogEntry {
                    at: start + Duration::minutes(minutes),
                    event,
                    agent: who.clone(),
                    desk: who.map(|w| format!("{w}!")),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn any_log_reads_back_as_written(log in prop::collection::vec(entry(), 0..12)) {
            let text = written(log.clone());
            let read = read_entries(&text, by_toml);
            // Only a string holding a line `[[log]]` stops a read in pieces (it is cut
            // there); the text is then read whole.
            if text.matches(ENTRY).count() == log.len() {
                prop_assert_eq!(read, Some(log));
            } else {
                prop_assert_eq!(read.or_else(|| by_toml(&text)), Some(log));
            }
        }

        /// A log edited by hand: whatever is read in pieces is what `toml` reads whole.
        #[test]
        fn an_edited_log_reads_as_toml_reads_it_or_not_at_all(
            log in prop::collection::vec(entry(), 1..5),
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, tricky()), 1..4),
        ) {
            let mut text = written(log);
            for (at, removed, inserted) in edits {
                let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                let from = bounds[at.index(bounds.len())];
                let to = bounds.iter().copied().find(|&b| b >= from).map_or(from, |_| {
                    bounds[(bounds.iter().position(|&b| b == from).unwrap() + removed).min(bounds.len() - 1)]
                });
                text.replace_range(from..to, &inserted);
            }
            if let Some(read) = read_entries(&text, by_toml) {
                prop_assert_eq!(Some(read), by_toml(&text), "{:?}", text);
            }
        }
    }
}
