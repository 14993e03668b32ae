//! The safety rules every product obeys, built-in or added by an author.
//!
//! Each rule reports at the line and column of the offending value, so an author can jump
//! straight to it. The rules work on the parsed file (with spans); the wizard later relies on
//! them: a validated flow has no missing target, no dead end, no choice that falls through
//! to whatever step follows, no loop the person walks without answering anything, cannot
//! reach `confirm` or `contact` without passing a `debt` and a `verify` step, and cannot
//! reach `review`, `followup` or a `closed` outcome without a confirmation after those.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use unicode_width::UnicodeWidthStr;

use super::diagnostic::Diagnostic;
use super::schema::{OutcomeKind, ProductFile, StepFile, StepKind};
use super::text::{Lang, Text, product_text_problems};
use crate::content::ExitVia;
use crate::steps::{self, Report, Safety};

/// The widest title that fits on one line: the full screen draws it on the frame's top
/// border, between the two corners and a space either side, at the smallest window the
/// wizard runs in.
pub const TITLE_COLUMNS: usize = crate::wizard::model::MIN_WIDTH as usize - 4;
/// Paragraphs (`body`, `repay`, `say`, `agent`), in characters: a few screens' worth.
pub const LONG_TEXT: usize = 4000;
/// Every other text (a label, an item, a hint, a channel, a name, the summary, the
/// hotline), in characters: a line or two.
pub const SHORT_TEXT: usize = 200;
/// The longest review a step may announce, in business days (about three months).
pub const MAX_BUSINESS_DAYS: u32 = 60;

/// Where each value of a parsed file is, by its path (`steps.3.title.zh`, array positions
/// from 0), so a rule about one text points at that text, not at its step. Found by
/// parsing the file again on the first question: only a file with a problem asks, so a
/// file that passes, like each of a catalogue of thousands, is parsed once and no table of
/// the places of its thousands of values is made.
#[derive(Debug)]
pub struct Spans<'a> {
    source: &'a str,
    document: std::cell::OnceCell<Option<Spanned<DeTable<'a>>>>,
}

impl<'a> Spans<'a> {
    pub fn of(source: &'a str) -> Spans<'a> {
        Spans {
            source,
            document: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<Range<usize>> {
        let document = self
            .document
            .get_or_init(|| DeTable::parse(self.source).ok());
        let mut parts = key.split('.');
        let mut value = document.as_ref()?.get_ref().get(parts.next()?)?;
        for part in parts {
            value = match value.get_ref() {
                DeValue::Table(table) => table.get(part)?,
                DeValue::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value.span())
    }
}

/// Reads a parsed document once and reports every string holding a character that would
/// command a terminal instead of showing (the same ones `safe_text` escapes on output).
/// Texts are text: a line break is allowed (multi-line bodies; a title must still be one
/// line), a tab is not (its width is the terminal's).
pub fn scan(path: &str, source: &str, root: &DeTable) -> Vec<Diagnostic> {
    let mut scan = Scan {
        path,
        source,
        out: Vec::new(),
    };
    let mut at = Vec::new();
    for (key, value) in root {
        let name = key.get_ref();
        if name == "steps"
            && let DeValue::Array(steps) = value.get_ref()
        {
            for (i, step) in steps.iter().enumerate() {
                at.push(Place::Step(i, step));
                scan.value(step, &mut at);
                at.pop();
            }
        } else {
            at.push(Place::Key(name));
            scan.value(value, &mut at);
            at.pop();
        }
    }
    scan.out
}

/// One level of where a value is in a document, for naming it in a problem.
enum Place<'d> {
    Key(&'d str),
    Item(usize),
    /// A step of `steps`, named after its id, as the other step messages are.
    Step(usize, &'d Spanned<DeValue<'d>>),
}

/// How a value is named in a problem: `step `intro`: `title.zh``, `product.name.en`,
/// `steps[2]`.
fn shown(at: &[Place]) -> String {
    let mut prefix = String::new();
    let mut shown = String::new();
    for place in at {
        match place {
            Place::Step(i, step) => {
                let id = step
                    .get_ref()
                    .as_table()
                    .and_then(|t| t.get("id"))
                    .and_then(|v| v.get_ref().as_str())
                    .map_or_else(|| format!("{}", i + 1), |id| format!("`{id}`"));
                prefix = format!("step {id}: ");
            }
            Place::Key(k) => {
                if !shown.is_empty() {
                    shown.push('.');
                }
                shown.push_str(k);
            }
            Place::Item(i) => shown.push_str(&format!("[{}]", i + 1)),
        }
    }
    format!("{prefix}`{shown}`")
}

struct Scan<'a> {
    path: &'a str,
    source: &'a str,
    out: Vec<Diagnostic>,
}

impl Scan<'_> {
    fn value<'d>(&mut self, value: &'d Spanned<DeValue<'d>>, at: &mut Vec<Place<'d>>) {
        match value.get_ref() {
            DeValue::String(s) => {
                if let Some(c) = refused_char(s) {
                    self.out.push(Diagnostic::at(
                        self.path,
                        self.source,
                        value.span(),
                        format!(
                            "{} holds {}; content texts are plain text (line breaks only in \
                             multi-line texts, no tabs)",
                            shown(at),
                            describe(c)
                        ),
                    ));
                }
            }
            DeValue::Table(table) => {
                for (k, v) in table {
                    at.push(Place::Key(k.get_ref()));
                    self.value(v, at);
                    at.pop();
                }
            }
            DeValue::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Place::Item(i));
                    self.value(v, at);
                    at.pop();
                }
            }
            _ => {}
        }
    }
}

/// The first character of `s` that a content text may not hold: one that commands a
/// terminal, as `safe_text` classifies them, but for a line break (and the carriage return
/// of a CRLF file's line break, which `Text` reads as a line break), or one that takes no
/// room on screen, which hides text from a reviewer and puts the screen's columns out of
/// line (a terminal may give it a column the layout did not count).
pub fn refused_char(s: &str) -> Option<char> {
    let bytes = s.as_bytes();
    let mut i = 0;
    // Every string of every file of a catalogue comes here: printable ASCII, a byte at a
    // time, without decoding it.
    while let Some(&b) = bytes.get(i) {
        match b {
            b' '..=b'~' | b'\n' => i += 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            ..0x80 => return Some(char::from(b)),
            // U+4000..U+EFFF (most of the CJK ideographs): none is refused.
            0xE4..=0xEE => i += 3,
            // Chinese punctuation (、。「」 at U+3000, ，：！ at U+FF00) and the other
            // three-byte blocks with none refused, told by their second byte.
            0xE2 | 0xE3 | 0xEF if bytes.get(i + 1).is_some_and(|&b1| none_refused(b, b1)) => i += 3,
            _ => {
                let c = s[i..].chars().next()?;
                if crate::safe_text::is_unsafe(c) || crate::safe_text::is_invisible(c) {
                    return Some(c);
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// Whether no character of the 64 that begin with these two bytes of UTF-8 is refused:
/// U+2080..U+2FFF; U+3000..U+3FFF but for U+3140..U+317F (U+3164 is a Hangul filler);
/// U+F000..U+FDFF, U+FE40..U+FEBF and U+FF00..U+FF7F (the fullwidth forms).
fn none_refused(lead: u8, second: u8) -> bool {
    match lead {
        0xE2 => second >= 0x82,
        0xE3 => second != 0x85,
        0xEF => second < 0xB8 || matches!(second, 0xB9 | 0xBA | 0xBC | 0xBD),
        _ => false,
    }
}

/// A control character, named so an author can find it in their editor.
fn describe(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    match c {
        '\u{1b}' => format!("an escape character ({code}), the start of a terminal command"),
        '\t' => format!("a tab ({code})"),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => {
            format!("a bidi control ({code}), which shows text in another order than written")
        }
        c if crate::safe_text::is_invisible(c) => format!(
            "an invisible character ({code}), which takes no room on screen and hides what is \
             around it"
        ),
        _ => format!("the control character {code}"),
    }
}

/// Checks one parsed product file. `source` is its text, for line and column numbers;
/// `spans` says where each of its values is (from [`scan`]).
pub fn validate_product(
    path: &str,
    source: &str,
    spans: &Spans<'_>,
    file: &ProductFile,
) -> Vec<Diagnostic> {
    let mut v = Validator {
        path,
        source,
        spans,
        out: Vec::new(),
    };
    v.product(file);
    v.out
}

struct Validator<'a, 's> {
    path: &'a str,
    source: &'a str,
    spans: &'a Spans<'s>,
    out: Vec<Diagnostic>,
}

/// One way out of a step, resolved: the step it leads to and why.
type Edge = (usize, ExitVia);

impl Validator<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.out
            .push(Diagnostic::at(self.path, self.source, span, message));
    }

    /// Where the value at `key` is, or `fallback` where the file did not say (it always
    /// does for a file read by `Content::load`).
    fn at(&self, key: &str, fallback: Range<usize>) -> Range<usize> {
        self.spans.get(key).unwrap_or(fallback)
    }

    fn product(&mut self, file: &ProductFile) {
        let info = &file.product;
        let id = info.id.get_ref();
        if !is_valid_id(id) {
            self.error(
                info.id.span(),
                format!("product id `{id}` must be lowercase letters, digits and `-`"),
            );
        }
        if info.hotline.trim().is_empty() {
            self.error(
                info.id.span(),
                "`product.hotline` must not be empty: it is the fallback on every end screen",
            );
        }
        // Shown after a label on one line of every end screen: a second line would stand
        // on its own there, as if the wizard had said it.
        if info.hotline.contains(['\n', '\r']) {
            let at = self.at("product.hotline", info.id.span());
            self.error(
                at,
                "`product.hotline` has a line break; the hotline is one line (a number, or a \
                 number and a few words)",
            );
        }
        let hotline_len = info.hotline.chars().count();
        if hotline_len > SHORT_TEXT {
            let at = self.at("product.hotline", info.id.span());
            self.error(
                at,
                format!("`product.hotline` is {hotline_len} characters long; at most {SHORT_TEXT}"),
            );
        }
        if !is_valid_id(&info.platform.id) {
            self.error(
                info.id.span(),
                format!(
                    "platform id `{}` must be lowercase letters, digits and `-`",
                    info.platform.id
                ),
            );
        }
        let texts = [
            ("name", &info.name),
            ("provider", &info.provider),
            ("summary", &info.summary),
            ("platform.name", &info.platform.name),
        ];
        for (field, text) in texts {
            if text.is_blank() {
                self.error(
                    info.id.span(),
                    format!("`product.{field}` needs non-empty `zh` and `en`"),
                );
            }
            let key = format!("product.{field}");
            for (lang, problem) in product_text_problems(text) {
                let at = self.at(&format!("{key}.{}", lang.code()), info.id.span());
                self.error(at, format!("`product.{field}`: {problem}"));
            }
            self.size(
                "",
                &format!("product.{field}"),
                &key,
                text,
                SHORT_TEXT,
                info.id.span(),
            );
        }
        if file.steps.is_empty() {
            self.error(info.id.span(), "the product has no `[[steps]]`");
            return;
        }
        let index = self.step_index(&file.steps);
        for (i, step) in file.steps.iter().enumerate() {
            self.step_fields(i, step);
        }
        let Some(graph) = self.graph(&file.steps, &index) else {
            return;
        };
        self.reachability(&file.steps, &graph);
        self.cycles(&file.steps, &graph);
        self.safety(&file.steps, &graph);
    }

    /// A text longer than `max` characters in either language is an error at that language's
    /// string.
    fn size(
        &mut self,
        prefix: &str,
        shown: &str,
        key: &str,
        text: &Text,
        max: usize,
        fallback: Range<usize>,
    ) {
        for lang in [Lang::Zh, Lang::En] {
            let len = text.get(lang).chars().count();
            if len > max {
                let at = self.at(&format!("{key}.{}", lang.code()), fallback.clone());
                self.error(
                    at,
                    format!(
                        "{prefix}`{shown}` is {len} characters long in {}; at most {max}",
                        lang.code()
                    ),
                );
            }
        }
    }

    /// Step ids must be unique; returns id → position.
    fn step_index<'s>(&mut self, steps: &'s [Spanned<StepFile>]) -> HashMap<&'s str, usize> {
        let mut index = HashMap::new();
        for (i, step) in steps.iter().enumerate() {
            let step = step.get_ref();
            let id = step.id();
            if !is_valid_id(id) {
                self.error(
                    step.id.span(),
                    format!("step id `{id}` must be lowercase letters, digits and `-`"),
                );
            }
            if index.insert(id, i).is_some() {
                self.error(step.id.span(), format!("duplicate step id `{id}`"));
            }
        }
        index
    }

    fn step_fields(&mut self, i: usize, spanned: &Spanned<StepFile>) {
        let step = spanned.get_ref();
        let kind = step.kind();
        let at = step.kind.span();
        let present = step.fields_present();
        let rules = steps::fields(kind);
        let article = if kind.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        for field in rules.required {
            if !present.contains(field) {
                self.error(
                    at.clone(),
                    format!("{article} `{}` step needs `{field}`", kind.name()),
                );
            }
        }
        for field in &present {
            if !rules.allowed.contains(field) {
                self.error(
                    at.clone(),
                    format!("`{field}` is not used by {article} `{}` step", kind.name()),
                );
            }
        }
        let texts = step_texts(step);
        for &(field, text) in &texts {
            if text.is_blank() {
                self.error(
                    step.id.span(),
                    format!(
                        "step `{}`: `{}` needs non-empty `zh` and `en`",
                        step.id(),
                        field.shown()
                    ),
                );
            }
        }
        let agent = step.agent.iter().map(|t| (TextAt::field("agent"), t));
        let prefix = || format!("step `{}`: ", step.id());
        for (field, text) in texts.into_iter().chain(agent) {
            let key = || format!("steps.{i}.{}", field.key());
            for (lang, problem) in product_text_problems(text) {
                let at = self.at(&format!("{}.{}", key(), lang.code()), step.id.span());
                self.error(at, format!("{}`{}`: {problem}", prefix(), field.shown()));
            }
            let max = match field {
                TextAt {
                    field: "body" | "repay" | "say" | "agent",
                    item: None,
                } => LONG_TEXT,
                _ => SHORT_TEXT,
            };
            if text.zh.chars().count().max(text.en.chars().count()) > max {
                self.size(&prefix(), &field.shown(), &key(), text, max, step.id.span());
            }
        }
        self.title(i, step);
        if let Some(days) = step.business_days
            && days > MAX_BUSINESS_DAYS
        {
            let at = self.at(&format!("steps.{i}.business_days"), at.clone());
            self.error(
                at,
                format!(
                    "step `{}`: `business_days = {days}` is more than {MAX_BUSINESS_DAYS} \
                     business days; a review that long is not one to wait for here",
                    step.id()
                ),
            );
        }
        let path_source = (self.path, self.source);
        let out = &mut self.out;
        let mut error = |span: Range<usize>, message: String| {
            out.push(Diagnostic::at(path_source.0, path_source.1, span, message));
        };
        steps::check(step, &mut Report { error: &mut error });
    }

    /// A title is one line on the frame's border, in either language.
    fn title(&mut self, i: usize, step: &StepFile) {
        for lang in [Lang::Zh, Lang::En] {
            let title = step.title.get(lang);
            let at = |v: &Self| v.at(&format!("steps.{i}.title.{}", lang.code()), step.id.span());
            if title.contains('\n') {
                self.error(
                    at(self),
                    format!(
                        "step `{}`: the {} title has a line break; a title is one line",
                        step.id(),
                        lang.code()
                    ),
                );
            } else if title.width() > TITLE_COLUMNS {
                self.error(
                    at(self),
                    format!(
                        "step `{}`: the {} title is {} columns wide; at most {TITLE_COLUMNS} fit \
                         on one line (a Chinese character takes two)",
                        step.id(),
                        lang.code(),
                        title.width()
                    ),
                );
            }
        }
    }

    /// Resolves every exit to a step position; `None` if a target is missing (or a choice
    /// names none, or a step leads back to itself).
    fn graph(
        &mut self,
        steps: &[Spanned<StepFile>],
        index: &HashMap<&str, usize>,
    ) -> Option<Vec<Vec<Edge>>> {
        let mut ok = true;
        let mut graph = Vec::with_capacity(steps.len());
        for (i, spanned) in steps.iter().enumerate() {
            let step = spanned.get_ref();
            let mut targets = Vec::new();
            let mut reported_dead_end = false;
            for exit in steps::file_exits(step) {
                match exit.target {
                    Some(name) => match index.get(name.get_ref().as_str()) {
                        Some(&t) if t == i => {
                            ok = false;
                            self.error(
                                name.span(),
                                format!(
                                    "step `{}` leads back to itself; name another step",
                                    step.id()
                                ),
                            );
                        }
                        Some(&t) => targets.push((t, exit.via)),
                        None => {
                            ok = false;
                            self.error(
                                name.span(),
                                format!("no step with id `{}` in this product", name.get_ref()),
                            );
                        }
                    },
                    None if exit.named => {
                        ok = false;
                        let (at, message) = match exit.via {
                            ExitVia::Option(n) => (
                                self.at(&format!("steps.{i}.options.{n}"), step.id.span()),
                                format!(
                                    "step `{}`: option {} has no `next`; name the step it \
                                     leads to (an option never falls through to the following \
                                     step)",
                                    step.id(),
                                    n + 1
                                ),
                            ),
                            _ => (
                                step.kind.span(),
                                format!(
                                    "step `{}`: a `{}` step needs `next`, the step its answer \
                                     \"it is closed\" leads to (an answer never falls through \
                                     to the following step)",
                                    step.id(),
                                    step.kind().name()
                                ),
                            ),
                        };
                        self.error(at, message);
                    }
                    None if i + 1 < steps.len() => targets.push((i + 1, exit.via)),
                    None if !reported_dead_end => {
                        ok = false;
                        reported_dead_end = true;
                        self.error(
                            step.id.span(),
                            format!(
                                "dead end: step `{}` is the last one and is not an `outcome`; \
                                 give it a `next`",
                                step.id()
                            ),
                        );
                    }
                    None => {}
                }
            }
            graph.push(targets);
        }
        ok.then_some(graph)
    }

    fn reachability(&mut self, steps: &[Spanned<StepFile>], graph: &[Vec<Edge>]) {
        let reachable = reach(graph, [0]);
        for (i, step) in steps.iter().enumerate() {
            if !reachable[i] {
                let step = step.get_ref();
                self.error(
                    step.id.span(),
                    format!(
                        "step `{}` can never be reached from the first step",
                        step.id()
                    ),
                );
            }
        }
        // From every reachable step some outcome must still be reachable (no endless loop).
        let mut reverse = vec![Vec::new(); graph.len()];
        for (from, targets) in graph.iter().enumerate() {
            for &(to, via) in targets {
                reverse[to].push((from, via));
            }
        }
        let outcomes = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.get_ref().kind() == StepKind::Outcome)
            .map(|(i, _)| i);
        let ends = reach(&reverse, outcomes);
        for (i, step) in steps.iter().enumerate() {
            if reachable[i] && !ends[i] {
                let step = step.get_ref();
                self.error(
                    step.id.span(),
                    format!(
                        "dead end: no `outcome` step can be reached from `{}`",
                        step.id()
                    ),
                );
            }
        }
    }

    /// Every loop must pass a step the person answers ([`answers`]): a loop of steps that
    /// are only read, ticked or typed through would walk them round for ever, each time
    /// the same. Reported once per loop, at its first step in the file.
    fn cycles(&mut self, steps: &[Spanned<StepFile>], graph: &[Vec<Edge>]) {
        let silent: Vec<bool> = steps.iter().map(|s| !answers(s.get_ref())).collect();
        let only_silent: Vec<Vec<Edge>> = graph
            .iter()
            .enumerate()
            .map(|(i, edges)| {
                if silent[i] {
                    edges.iter().copied().filter(|&(t, _)| silent[t]).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        for component in loops(&only_silent) {
            let ids: Vec<String> = component
                .iter()
                .map(|&i| format!("`{}`", steps[i].get_ref().id()))
                .collect();
            let first = steps[component[0]].get_ref();
            self.error(
                first.id.span(),
                format!(
                    "endless loop: {} lead round to each other without a step the person \
                     answers (a `status`, `debt`, `wait` or `review`)",
                    ids.join(", ")
                ),
            );
        }
    }

    /// Walks every path from the first step with what it has passed, by the exit it took:
    /// a `debt` or `verify` step counts when left by its normal exit; a confirmation (a
    /// `confirm`, a `contact`) likewise, and an exit that says it did not work (refused,
    /// still open, overdue) takes the confirmation away again. `confirm` and `contact`
    /// need both checks; `review`, `followup` and a `closed` outcome need the checks and a
    /// confirmation since.
    fn safety(&mut self, steps: &[Spanned<StepFile>], graph: &[Vec<Edge>]) {
        let n = steps.len();
        // State on arrival: passed debt, passed verify, confirmed, a confirmation undone.
        let mut seen = vec![[false; 32]; n];
        let mut queue = VecDeque::from([(0usize, Passed::default())]);
        seen[0][0] = true;
        let mut reported = vec![false; n];
        while let Some((i, passed)) = queue.pop_front() {
            let step = steps[i].get_ref();
            let kind = step.kind();
            let role = steps::safety(kind);
            let closes = step
                .result
                .as_ref()
                .is_some_and(|r| *r.get_ref() == OutcomeKind::Closed);
            let needs_confirmation = role == Safety::Guarded || closes;
            if !reported[i] && (role.needs_checks() || closes) {
                let mut missing = Vec::new();
                if !passed.debt {
                    missing.push("a `debt`");
                }
                if !passed.verify {
                    missing.push("a `verify`");
                }
                if needs_confirmation && !passed.confirmed {
                    missing.push("a `confirm` or `contact`");
                }
                // A request sent outside closes nothing by itself: the provider's answer,
                // recorded by a review, must come between it and a closed end.
                if closes && passed.confirmed && passed.unanswered {
                    missing.push("a `review`");
                }
                if !missing.is_empty() {
                    reported[i] = true;
                    let what = if closes {
                        "outcome, result `closed`".to_owned()
                    } else {
                        kind.name().to_owned()
                    };
                    let last = missing.pop().unwrap_or_default();
                    let list = if missing.is_empty() {
                        format!("{last} step")
                    } else {
                        format!("{} and {last} step", missing.join(", "))
                    };
                    let since = if closes && passed.confirmed && passed.unanswered {
                        " after its `sent` step (a request made outside is closed only once a \
                         review records the provider's answer)"
                    } else if passed.undone && needs_confirmation && !passed.confirmed {
                        " since a way out that says it did not work (refused, still open, \
                         overdue)"
                    } else {
                        ""
                    };
                    let at = if closes {
                        step.result.as_ref().map_or(step.kind.span(), Spanned::span)
                    } else {
                        step.kind.span()
                    };
                    self.error(
                        at,
                        format!(
                            "unsafe flow: step `{}` ({what}) can be reached without passing \
                             {list}{since}",
                            step.id()
                        ),
                    );
                }
            }
            for &(t, via) in &graph[i] {
                let next = passed.leaving(kind, role, via);
                if !std::mem::replace(&mut seen[t][next.index()], true) {
                    queue.push_back((t, next));
                }
            }
        }
    }
}

/// What a path has passed, for the safety rule.
#[derive(Debug, Clone, Copy, Default)]
struct Passed {
    debt: bool,
    verify: bool,
    confirmed: bool,
    /// A confirmation was taken away by an exit that says it did not work (for the message).
    undone: bool,
    /// The confirmation is a `sent` step's (a request made outside) and no review has
    /// recorded the provider's answer since.
    unanswered: bool,
}

impl Passed {
    fn index(self) -> usize {
        usize::from(self.debt)
            | usize::from(self.verify) << 1
            | usize::from(self.confirmed) << 2
            | usize::from(self.undone) << 3
            | usize::from(self.unanswered) << 4
    }

    /// What is passed after leaving a step playing `role` by `via`.
    fn leaving(mut self, kind: StepKind, role: Safety, via: ExitVia) -> Passed {
        if via == ExitVia::Next {
            match role {
                Safety::DebtCheck => self.debt = true,
                Safety::IdentityCheck => self.verify = true,
                Safety::Confirmation => {
                    self.confirmed = true;
                    self.undone = false;
                    self.unanswered = kind == StepKind::Sent;
                }
                Safety::Free | Safety::Guarded => {}
            }
            if kind == StepKind::Review {
                self.unanswered = false;
            }
        }
        if failed(via) && self.confirmed {
            self.confirmed = false;
            self.undone = true;
        }
        self
    }
}

/// An exit that says the request did not work: what was confirmed no longer holds, and
/// closing needs a fresh confirmation (or an agent).
fn failed(via: ExitVia) -> bool {
    matches!(
        via,
        ExitVia::Rejected | ExitVia::StillOpen | ExitVia::Overdue
    )
}

/// Whether the person answers a step: it asks a question and records the answer, which
/// can differ from one walk to the next and decides where they go or whether they stop for
/// now: a `status` (which option), a `debt` (zero, or blocked), a `wait` (over, or still
/// pending), a `review` (closed, refused, still waiting). Every other kind is read, ticked
/// or typed through; its way out ("I can't find it", "still open") is taken, not answered,
/// so a loop through it alone would send the person round the same steps again.
pub fn answers(step: &StepFile) -> bool {
    matches!(
        step.kind(),
        StepKind::Status | StepKind::Debt | StepKind::Wait | StepKind::Review
    )
}

/// The loops of `graph`: each strongly connected set of two steps or more, its positions
/// in file order, the sets in the order of their first step. (Tarjan's algorithm, without
/// recursion: a file may have many steps.)
fn loops(graph: &[Vec<Edge>]) -> Vec<Vec<usize>> {
    let n = graph.len();
    let mut order = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut found = Vec::new();
    let mut counter = 0;
    for start in 0..n {
        if order[start] != usize::MAX {
            continue;
        }
        // (step, next edge to look at)
        let mut work = vec![(start, 0usize)];
        order[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if let Some(&(w, _)) = graph[v].get(*e) {
                *e += 1;
                if order[w] == usize::MAX {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    found.push(component);
                }
            }
        }
    }
    found.sort();
    found
}

/// Positions reachable from `starts` along `graph`.
fn reach(graph: &[Vec<Edge>], starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut stack: Vec<usize> = starts.into_iter().collect();
    for &s in &stack {
        seen[s] = true;
    }
    while let Some(i) = stack.pop() {
        for &(t, _) in &graph[i] {
            if !seen[t] {
                seen[t] = true;
                stack.push(t);
            }
        }
    }
    seen
}

/// Where a text is in its step: a field (`body`), an item of a list (`items`, 0), or a
/// field of an item (`options`, 0, `label`). Named only for a problem: a catalogue's
/// hundreds of thousands of texts that pass need no names.
#[derive(Clone, Copy)]
struct TextAt {
    field: &'static str,
    item: Option<(usize, Option<&'static str>)>,
}

impl TextAt {
    const fn field(field: &'static str) -> TextAt {
        TextAt { field, item: None }
    }

    /// Its name in messages (lists numbered from 1).
    fn shown(self) -> String {
        match self.item {
            None => self.field.to_owned(),
            Some((i, None)) => format!("{}[{}]", self.field, i + 1),
            Some((i, Some(sub))) => format!("{}[{}].{sub}", self.field, i + 1),
        }
    }

    /// Its path in the step's table, for [`Spans`] (from 0).
    fn key(self) -> String {
        match self.item {
            None => self.field.to_owned(),
            Some((i, None)) => format!("{}.{i}", self.field),
            Some((i, Some(sub))) => format!("{}.{i}.{sub}", self.field),
        }
    }
}

/// Every text of a step, and where it is.
fn step_texts(step: &StepFile) -> Vec<(TextAt, &Text)> {
    let mut texts = vec![(TextAt::field("title"), &step.title)];
    let single = [
        ("body", &step.body),
        ("repay", &step.repay),
        ("say", &step.say),
    ];
    for (name, text) in single {
        if let Some(t) = text {
            texts.push((TextAt::field(name), t));
        }
    }
    let lists = [
        ("items", step.items.as_deref().unwrap_or_default()),
        ("channels", step.channels.as_deref().unwrap_or_default()),
        ("prepare", step.prepare.as_deref().unwrap_or_default()),
    ];
    let at = |field, i, sub| TextAt {
        field,
        item: Some((i, sub)),
    };
    for (name, list) in lists {
        for (i, t) in list.iter().enumerate() {
            texts.push((at(name, i, None), t));
        }
    }
    for (i, o) in step.options.iter().flatten().enumerate() {
        texts.push((at("options", i, Some("label")), &o.label));
    }
    for (i, f) in step.fields.iter().flatten().enumerate() {
        texts.push((at("fields", i, Some("label")), &f.label));
        if let Some(h) = &f.hint {
            texts.push((at("fields", i, Some("hint")), h));
        }
    }
    texts
}

/// Ids appear in file names, case files and the command line: keep them plain.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}
