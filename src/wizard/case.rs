//! A case: one person closing one product. Plain data, saved as TOML after every step.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::money::MAX_CENTS;
use crate::content::{Lang, OutcomeKind, UiStrings, VerifyMethod};
use crate::steps::wait::WaitFor;

/// Bumped when the case file format changes; a newer file is never read as an older one.
pub const CASE_SCHEMA: u32 = 1;

pub type Time = DateTime<FixedOffset>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub schema: u32,
    pub id: CaseId,
    pub product: String,
    /// Fingerprint of the product's content when the case began.
    pub content_fingerprint: String,
    pub lang: Lang,
    pub created: Time,
    pub updated: Time,
    pub state: CaseState,
    /// The step the person is on.
    pub step: String,
    /// The steps walked to get here, oldest first; Esc goes back along it.
    #[serde(default)]
    pub trail: Vec<String>,
    /// Answers by step id; kept when going back, so nothing is typed twice.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Not written when empty, so `without_log` writes the rest alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<LogEntry>,
    /// Whose case: a name or a queue ticket, as the person gave it (never an id number,
    /// full phone number, card or code: the secret guard refuses those). Shown masked on
    /// public screens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Archived by an agent: finished and out of the worklist, still in `sessions --all`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
    /// Who is working the case in this terminal (`--agent`, `--desk`); every log entry is
    /// stamped with it. Not saved as such: it is the terminal's, not the case's.
    #[serde(skip)]
    pub hands: Staff,
    /// Text typed into a step's fields but not yet submitted, kept when the person goes
    /// back so nothing typed is lost. Not saved: it is not an answer yet.
    #[serde(skip)]
    pub drafts: BTreeMap<String, Vec<String>>,
    /// The demo's simulated phones, one per method, as last left: Esc puts a phone away
    /// but its tries, lock-out and countdown stay with the case. Not saved.
    #[serde(skip)]
    pub phones: Vec<crate::wizard::model::Phone>,
}

/// Written as its word (`code`), the same in the case file and in `xiaohu sessions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum CaseState {
    InProgress,
    WaitingRepayment,
    /// On a `wait` step: something is still pending (a refund on its way …).
    Waiting(WaitFor),
    InReview,
    Closed,
    NothingToClose,
    NeedsService,
    Rejected,
}

impl CaseState {
    /// Finished cases are not offered on the start page.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            CaseState::Closed
                | CaseState::NothingToClose
                | CaseState::NeedsService
                | CaseState::Rejected
        )
    }

    /// The stable word for scripts (`xiaohu sessions`), as in the case file.
    pub fn code(self) -> &'static str {
        match self {
            CaseState::InProgress => "in_progress",
            CaseState::WaitingRepayment => "waiting_repayment",
            CaseState::Waiting(WaitFor::Refund) => "waiting_refund",
            CaseState::Waiting(WaitFor::Dispute) => "waiting_dispute",
            CaseState::Waiting(WaitFor::Bill) => "waiting_bill",
            CaseState::InReview => "in_review",
            CaseState::Closed => "closed",
            CaseState::NothingToClose => "nothing_to_close",
            CaseState::NeedsService => "needs_service",
            CaseState::Rejected => "rejected",
        }
    }

    /// The state in words, as the start page and the receipt say it.
    pub fn name(self, ui: &UiStrings, lang: Lang) -> &str {
        match self {
            CaseState::InProgress => ui.state_in_progress.get(lang),
            CaseState::WaitingRepayment => ui.state_waiting_repayment.get(lang),
            CaseState::Waiting(what) => what.words(ui).state.get(lang),
            CaseState::InReview => ui.state_in_review.get(lang),
            CaseState::Closed => ui.state_closed.get(lang),
            CaseState::NothingToClose => ui.state_nothing_to_close.get(lang),
            CaseState::NeedsService => ui.state_needs_service.get(lang),
            CaseState::Rejected => ui.state_rejected.get(lang),
        }
    }

    pub const ALL: [CaseState; 10] = [
        CaseState::InProgress,
        CaseState::WaitingRepayment,
        CaseState::Waiting(WaitFor::Refund),
        CaseState::Waiting(WaitFor::Dispute),
        CaseState::Waiting(WaitFor::Bill),
        CaseState::InReview,
        CaseState::Closed,
        CaseState::NothingToClose,
        CaseState::NeedsService,
        CaseState::Rejected,
    ];

    pub fn from_outcome(result: OutcomeKind) -> CaseState {
        match result {
            OutcomeKind::Closed => CaseState::Closed,
            OutcomeKind::NothingToClose => CaseState::NothingToClose,
            OutcomeKind::NeedsService => CaseState::NeedsService,
            OutcomeKind::Rejected => CaseState::Rejected,
        }
    }
}

impl From<CaseState> for &'static str {
    fn from(state: CaseState) -> &'static str {
        state.code()
    }
}

impl TryFrom<String> for CaseState {
    type Error = String;

    fn try_from(word: String) -> Result<CaseState, String> {
        CaseState::ALL
            .into_iter()
            .find(|s| s.code() == word)
            .ok_or_else(|| format!("unknown case state `{word}`"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Fingerprint of the step when answered; a changed step is asked again.
    pub step_fingerprint: String,
    pub at: Time,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerValue {
    Seen,
    Checklist {
        ticked: Vec<bool>,
    },
    Choice {
        option: usize,
    },
    Amounts {
        cents: BTreeMap<String, i64>,
    },
    Verified {
        method: VerifyMethod,
        simulated: bool,
    },
    Confirmed,
    Contacted {
        reference: Option<String>,
    },
    Review(Review),
    /// A `wait` step: what was pending is over.
    Awaited,
    /// A `sent` step: the day (in China) the person sent the request outside the wizard.
    Sent {
        date: NaiveDate,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub submitted: Time,
    pub business_days: u32,
    pub expected: NaiveDate,
    /// False when a year the count crossed had no holiday table.
    pub from_tables: bool,
    /// The request was sent before the case reached the review (a `sent` step): the day
    /// it was sent, which the expected date is counted from. `None`: sent on `submitted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<NaiveDate>,
}

impl AnswerValue {
    pub fn total_cents(&self) -> Option<i64> {
        match self {
            AnswerValue::Amounts { cents } => {
                Some(cents.values().fold(0, |sum, c| sum.saturating_add(*c)))
            }
            _ => None,
        }
    }

    /// Every amount is zero (not merely a zero total: a hand-edited -5 and 5 sum to 0).
    pub fn nothing_owed(&self) -> bool {
        matches!(self, AnswerValue::Amounts { cents } if cents.values().all(|c| *c == 0))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub at: Time,
    #[serde(flatten)]
    pub event: Event,
    /// The agent working the case when this happened (`--agent`); none for a customer at
    /// home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// The desk (`--desk`) the case was worked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk: Option<String>,
}

/// A log entry as it is written: its time, the event's tag and fields, and who, in one
/// flat table. Read through this form rather than with `#[serde(flatten)]`, which makes
/// serde buffer every entry into a generic map before reading it: a case's log can hold
/// thousands of entries, and each is read in one pass this way.
#[derive(Deserialize)]
struct RawEntry {
    #[serde(deserialize_with = "time_of")]
    at: Time,
    event: String,
    step: Option<String>,
    item: Option<usize>,
    on: Option<bool>,
    option: Option<usize>,
    total_cents: Option<i64>,
    method: Option<VerifyMethod>,
    simulated: Option<bool>,
    reference: Option<String>,
    expected: Option<NaiveDate>,
    result: Option<String>,
    pending: Option<bool>,
    date: Option<NaiveDate>,
    lang: Option<Lang>,
    steps: Option<Vec<String>>,
    text: Option<String>,
    agent: Option<String>,
    desk: Option<String>,
}

/// A time as `Time`'s own `Deserialize` reads it (RFC 3339, leniently), faster for the
/// form it is written in. chrono's `FromStr` reads through its general format machinery, a
/// sixth of a long log's read; its strict RFC 3339 reader takes what every entry is
/// written as, and reads it to the same time (`strict_rfc3339_reads_as_the_lenient_one`).
fn time_of<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Time;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Time, E> {
            DateTime::parse_from_rfc3339(s)
                .or_else(|_| s.parse())
                .map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Visitor)
}

/// The tags `Event` is written with, for "unknown variant" messages.
const EVENT_TAGS: &[&str] = &[
    "started",
    "entered",
    "back",
    "ticked",
    "status",
    "amounts",
    "blocked",
    "cant_find",
    "verified",
    "acknowledged",
    "confirmed",
    "contacted",
    "submitted",
    "review_result",
    "followup_ok",
    "followup_open",
    "waiting",
    "sent",
    "outcome",
    "resumed",
    "quit",
    "language",
    "content_changed",
    "note",
    "reason",
    "customer",
    "archived",
];

impl<'de> Deserialize<'de> for LogEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IntoDeserializer};
        let RawEntry {
            at,
            event,
            step,
            item,
            on,
            option,
            total_cents,
            method,
            simulated,
            reference,
            expected,
            result,
            pending,
            date,
            lang,
            steps,
            text,
            agent,
            desk,
        } = RawEntry::deserialize(deserializer)?;
        fn need<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
            value.ok_or_else(|| E::missing_field(field))
        }
        fn word<'de, T: Deserialize<'de>, E: Error>(value: Option<String>) -> Result<T, E> {
            let value: String = need(value, "result")?;
            T::deserialize(value.into_deserializer())
        }
        let step = move || need(step, "step");
        let event = match event.as_str() {
            "started" => Event::Started,
            "entered" => Event::Entered { step: step()? },
            "back" => Event::Back { step: step()? },
            "ticked" => Event::Ticked {
                step: step()?,
                item: need(item, "item")?,
                on: need(on, "on")?,
            },
            "status" => Event::Status {
                step: step()?,
                option: need(option, "option")?,
            },
            "amounts" => Event::Amounts {
                step: step()?,
                total_cents: need(total_cents, "total_cents")?,
            },
            "blocked" => Event::Blocked {
                step: step()?,
                total_cents: need(total_cents, "total_cents")?,
            },
            "cant_find" => Event::CantFind { step: step()? },
            "verified" => Event::Verified {
                step: step()?,
                method: need(method, "method")?,
                simulated: need(simulated, "simulated")?,
            },
            "acknowledged" => Event::Acknowledged { step: step()? },
            "confirmed" => Event::Confirmed { step: step()? },
            "contacted" => Event::Contacted {
                step: step()?,
                reference,
            },
            "submitted" => Event::Submitted {
                step: step()?,
                expected: need(expected, "expected")?,
            },
            "review_result" => Event::ReviewResult {
                step: step()?,
                result: word(result)?,
            },
            "followup_ok" => Event::FollowupOk { step: step()? },
            "followup_open" => Event::FollowupOpen { step: step()? },
            "waiting" => Event::Waiting {
                step: step()?,
                pending: need(pending, "pending")?,
            },
            "sent" => Event::Sent {
                step: step()?,
                date: need(date, "date")?,
            },
            "outcome" => Event::Outcome {
                step: step()?,
                result: word(result)?,
            },
            "resumed" => Event::Resumed,
            "quit" => Event::Quit,
            "language" => Event::Language {
                lang: need(lang, "lang")?,
            },
            "content_changed" => Event::ContentChanged {
                steps: need(steps, "steps")?,
            },
            "note" => Event::Note {
                step: step()?,
                text: need(text, "text")?,
            },
            "reason" => Event::Reason {
                step: step()?,
                text: need(text, "text")?,
            },
            "customer" => Event::Customer {
                reference: need(reference, "reference")?,
            },
            "archived" => Event::Archived,
            other => return Err(D::Error::unknown_variant(other, EVENT_TAGS)),
        };
        Ok(LogEntry {
            at,
            event,
            agent,
            desk,
        })
    }
}

/// Who works cases in this terminal: the agent's name and the desk's, each optional (a
/// customer at home has neither).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staff {
    pub agent: Option<String>,
    pub desk: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewResult {
    Closed,
    Rejected,
    Waiting,
    /// Past the expected date with no result: on to customer service.
    Overdue,
}

/// One thing that happened; the words for it come from the UI strings when shown.
/// Written with serde's derive; read only as part of a `LogEntry`, by its own reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Started,
    Entered {
        step: String,
    },
    Back {
        step: String,
    },
    Ticked {
        step: String,
        item: usize,
        on: bool,
    },
    Status {
        step: String,
        option: usize,
    },
    Amounts {
        step: String,
        total_cents: i64,
    },
    Blocked {
        step: String,
        total_cents: i64,
    },
    CantFind {
        step: String,
    },
    Verified {
        step: String,
        method: VerifyMethod,
        simulated: bool,
    },
    Acknowledged {
        step: String,
    },
    Confirmed {
        step: String,
    },
    Contacted {
        step: String,
        reference: Option<String>,
    },
    Submitted {
        step: String,
        expected: NaiveDate,
    },
    ReviewResult {
        step: String,
        result: ReviewResult,
    },
    FollowupOk {
        step: String,
    },
    FollowupOpen {
        step: String,
    },
    /// A `wait` step answered: still pending, or over.
    Waiting {
        step: String,
        pending: bool,
    },
    /// A `sent` step answered: the request went out on `date`, outside the wizard.
    Sent {
        step: String,
        date: NaiveDate,
    },
    Outcome {
        step: String,
        result: OutcomeKind,
    },
    Resumed,
    Quit,
    Language {
        lang: Lang,
    },
    ContentChanged {
        steps: Vec<String>,
    },
    /// A note typed on a step (the note key, on any step): what the agent or the person
    /// wanted on the record. Cleaned and checked by the secret guard before it is kept.
    Note {
        step: String,
        text: String,
    },
    /// Why a case ended refused or needing customer service, as the person gave it on
    /// that end (optional; checked as a note is).
    Reason {
        step: String,
        text: String,
    },
    /// Whose case: the customer reference given when it was started (the desk's record;
    /// screens show it masked).
    Customer {
        reference: String,
    },
    /// An agent archived the finished case: it leaves the worklist.
    Archived,
}

/// What the start page and `xiaohu sessions` show of a case without opening it; kept in
/// the file store's summary journal (JSON), so a listing need not read every case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub product: String,
    pub step: String,
    pub state: CaseState,
    pub updated: Time,
    /// The review's expected date, once submitted.
    pub expected: Option<NaiveDate>,
    /// Whose case (`Case::customer`), as given: mask it before a public screen shows it.
    pub customer: Option<String>,
    /// The agent of the newest log entry that names one.
    pub agent: Option<String>,
    pub archived: bool,
}

impl CaseSummary {
    /// Whether the case needs someone's attention, so the start page's worklist lists it:
    /// not archived, and not closed or found to have nothing to close. A store asked for
    /// these alone (`CaseStore::list_active`) need not read the rest of a large case book.
    pub fn is_active(&self) -> bool {
        !self.archived && !matches!(self.state, CaseState::Closed | CaseState::NothingToClose)
    }
}

impl Case {
    pub fn summary(&self) -> CaseSummary {
        CaseSummary {
            id: self.id.clone(),
            product: self.product.clone(),
            step: self.step.clone(),
            state: self.state,
            updated: self.updated,
            expected: self.review().map(|r| r.expected),
            customer: self.customer.clone(),
            agent: self.log.iter().rev().find_map(|e| e.agent.clone()),
            archived: self.archived,
        }
    }

    /// Records `event` at `at`, stamped with who is working the case here.
    /// The case with an empty log, everything else as it is, without copying the log: the
    /// file store writes the log's text apart (`store/case_text.rs`).
    pub fn without_log(&self) -> Case {
        // Named field by field, so a field added to `Case` must be decided on here.
        let Case {
            schema,
            id,
            product,
            content_fingerprint,
            lang,
            created,
            updated,
            state,
            step,
            trail,
            answers,
            log: _,
            customer,
            archived,
            hands,
            drafts,
            phones,
        } = self;
        Case {
            schema: *schema,
            id: id.clone(),
            product: product.clone(),
            content_fingerprint: content_fingerprint.clone(),
            lang: *lang,
            created: *created,
            updated: *updated,
            state: *state,
            step: step.clone(),
            trail: trail.clone(),
            answers: answers.clone(),
            log: Vec::new(),
            customer: customer.clone(),
            archived: *archived,
            hands: hands.clone(),
            drafts: drafts.clone(),
            phones: phones.clone(),
        }
    }

    pub fn log(&mut self, at: Time, event: Event) {
        self.updated = at;
        self.log.push(LogEntry {
            at,
            event,
            agent: self.hands.agent.clone(),
            desk: self.hands.desk.clone(),
        });
    }

    pub fn answer(&self, step: &str) -> Option<&AnswerValue> {
        self.answers.get(step).map(|a| &a.value)
    }

    /// The submission, once the case has reached a review step.
    pub fn review(&self) -> Option<&Review> {
        self.answers.values().find_map(|a| match &a.value {
            AnswerValue::Review(r) => Some(r),
            _ => None,
        })
    }

    /// Records `value` as the answer to `step`, as it stood (`fingerprint`) at `at`.
    pub fn record(&mut self, step: &str, fingerprint: &str, at: Time, value: AnswerValue) {
        self.answers.insert(
            step.to_owned(),
            Answer {
                step_fingerprint: fingerprint.to_owned(),
                at,
                value,
            },
        );
    }

    /// Started here and left at once: nothing but the start, the first screen and language
    /// switches in its log. Only such a case may be discarded.
    pub fn is_untouched(&self) -> bool {
        self.log.iter().all(|e| {
            matches!(
                e.event,
                Event::Started | Event::Entered { .. } | Event::Language { .. }
            )
        })
    }

    /// What a loaded file must hold beyond its shape: a plain id and amounts a person could
    /// have typed. A file that fails is reported as damaged, never used.
    pub fn check(&self) -> Result<(), String> {
        use crate::steps::contact::REFERENCE_MAX;
        use crate::wizard::model::NOTE_MAX;
        use crate::wizard::update::CUSTOMER_MAX;
        // No longer than the wizard lets them be typed (agent and desk names are cut to 40
        // at the command line): a file with more was written by hand, and a 300 KB name
        // would fill the worklist.
        let too_long = |what: &str, text: &str, max: usize| {
            let n = text.chars().count();
            (n > max).then(|| format!("{what} is {n} characters long; xiaohu keeps at most {max}"))
        };
        let texts = self
            .customer
            .iter()
            .map(|c| ("the customer reference", c.as_str(), CUSTOMER_MAX))
            .chain(self.log.iter().flat_map(|e| {
                let who = [("an agent's name", &e.agent), ("a desk's name", &e.desk)]
                    .into_iter()
                    .filter_map(|(what, v)| v.as_deref().map(|v| (what, v, 40)));
                let said = match &e.event {
                    Event::Note { text, .. } => Some(("a note", text.as_str(), NOTE_MAX)),
                    Event::Reason { text, .. } => Some(("a reason", text.as_str(), NOTE_MAX)),
                    Event::Customer { reference } => {
                        Some(("the customer reference", reference.as_str(), CUSTOMER_MAX))
                    }
                    Event::Contacted {
                        reference: Some(r), ..
                    } => Some(("a ticket reference", r.as_str(), REFERENCE_MAX)),
                    _ => None,
                };
                who.chain(said)
            }));
        for (what, text, max) in texts {
            if let Some(problem) = too_long(what, text, max) {
                return Err(problem);
            }
        }
        for (step, answer) in &self.answers {
            if let AnswerValue::Amounts { cents } = &answer.value
                && let Some(bad) = cents.values().find(|c| !(0..=MAX_CENTS).contains(*c))
            {
                return Err(format!(
                    "amount {bad} (fen) in step `{step}` is out of range"
                ));
            }
        }
        Ok(())
    }
}

/// A case's id: a readable, sortable `20261121-144426-weilidai`, or one the store chose
/// (`…-2`). Made only from the characters ids are made of, so one can never name a path
/// outside the data dir: a string from the command line or a file becomes one through
/// [`CaseId::parse`], and a case file holding anything else does not load.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseId(String);

impl CaseId {
    /// A new case's id. Two cases of one product started in the same second (in two
    /// terminals) share it until the store writes the second one as `…-2`.
    pub fn new(now: Time, product: &str) -> CaseId {
        CaseId::parse(&format!("{}-{product}", now.format("%Y%m%d-%H%M%S")))
            .unwrap_or_else(|_| CaseId(now.format("%Y%m%d-%H%M%S").to_string()))
    }

    /// An id typed or read somewhere, if it is one.
    pub fn parse(text: &str) -> Result<CaseId, String> {
        if is_valid_case_id(text) {
            Ok(CaseId(text.to_owned()))
        } else {
            Err(format!("`{text}` is not a case id"))
        }
    }

    /// The same id with `-n` after it: the store's next try when this one is taken.
    pub fn suffixed(&self, n: u32) -> Option<CaseId> {
        CaseId::parse(&format!("{}-{n}", self.0)).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for CaseId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseId {
    type Error = String;

    fn try_from(text: String) -> Result<CaseId, String> {
        CaseId::parse(&text)
    }
}

impl From<CaseId> for String {
    fn from(id: CaseId) -> String {
        id.0
    }
}

impl PartialEq<str> for CaseId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for CaseId {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl PartialEq<&str> for CaseId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// The characters ids are made of, at most 100 of them, not starting with `-`.
fn is_valid_case_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !id.starts_with('-')
}

#[cfg(test)]
/// One of every event, with every field set (and an optional one left out).
pub(crate) fn every_event() -> Vec<Event> {
    let step = || "check-debt".to_owned();
    let day = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    vec![
        Event::Started,
        Event::Entered { step: step() },
        Event::Back { step: step() },
        Event::Ticked {
            step: step(),
            item: 3,
            on: true,
        },
        Event::Status {
            step: step(),
            option: 2,
        },
        Event::Amounts {
            step: step(),
            total_cents: 12_345,
        },
        Event::Blocked {
            step: step(),
            total_cents: 1,
        },
        Event::CantFind { step: step() },
        Event::Verified {
            step: step(),
            method: VerifyMethod::Face,
            simulated: true,
        },
        Event::Acknowledged { step: step() },
        Event::Confirmed { step: step() },
        Event::Contacted {
            step: step(),
            reference: Some("工单 A-1".into()),
        },
        Event::Contacted {
            step: step(),
            reference: None,
        },
        Event::Submitted {
            step: step(),
            expected: day,
        },
        Event::ReviewResult {
            step: step(),
            result: ReviewResult::Overdue,
        },
        Event::FollowupOk { step: step() },
        Event::FollowupOpen { step: step() },
        Event::Waiting {
            step: step(),
            pending: false,
        },
        Event::Sent {
            step: step(),
            date: day,
        },
        Event::Outcome {
            step: step(),
            result: OutcomeKind::NeedsService,
        },
        Event::Resumed,
        Event::Quit,
        Event::Language { lang: Lang::En },
        Event::ContentChanged {
            steps: vec![step(), "review".into()],
        },
        Event::Note {
            step: step(),
            text: "客户说已还清".into(),
        },
        Event::Reason {
            step: step(),
            text: "额度未结清".into(),
        },
        Event::Customer {
            reference: "王先生".into(),
        },
        Event::Archived,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_log_entry_reads_back_as_it_was_written_in_toml_and_json() {
        let at = DateTime::parse_from_rfc3339("2026-12-28T09:30:00+08:00").unwrap();
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Log {
            log: Vec<LogEntry>,
        }
        let mut tags = Vec::new();
        for (i, event) in every_event().into_iter().enumerate() {
            let entry = LogEntry {
                at,
                event,
                agent: (i % 2 == 0).then(|| "李娜".to_owned()),
                desk: (i % 3 == 0).then(|| "柜台A".to_owned()),
            };
            let log = Log { log: vec![entry] };
            let toml_text = toml::to_string(&log).unwrap();
            assert_eq!(
                toml::from_str::<Log>(&toml_text).unwrap(),
                log,
                "{toml_text}"
            );
            let json = serde_json::to_string(&log).unwrap();
            assert_eq!(serde_json::from_str::<Log>(&json).unwrap(), log, "{json}");
            let value = serde_json::to_value(&log.log[0]).unwrap();
            tags.push(value["event"].as_str().unwrap().to_owned());
        }
        tags.dedup();
        assert_eq!(
            tags, EVENT_TAGS,
            "every tag is read, and named when unknown"
        );
    }

    #[test]
    fn a_log_entry_missing_a_field_or_of_an_unknown_event_is_refused_by_name() {
        let read = |text: &str| {
            #[derive(Deserialize, Debug)]
            #[allow(dead_code)]
            struct Log {
                log: Vec<LogEntry>,
            }
            toml::from_str::<Log>(text)
                .unwrap_err()
                .message()
                .to_owned()
        };
        let at = "at = \"2026-12-28T09:30:00+08:00\"";
        let e = read(&format!(
            "[[log]]\n{at}\nevent = \"ticked\"\nstep = \"a\"\non = true\n"
        ));
        assert!(e.contains("missing field `item`"), "{e}");
        let e = read(&format!("[[log]]\n{at}\nevent = \"entered\"\n"));
        assert!(e.contains("missing field `step`"), "{e}");
        let e = read(&format!("[[log]]\n{at}\nevent = \"exploded\"\n"));
        assert!(e.contains("unknown variant `exploded`"), "{e}");
        let e = read(&format!(
            "[[log]]\n{at}\nevent = \"outcome\"\nstep = \"a\"\nresult = \"maybe\"\n"
        ));
        assert!(e.contains("unknown variant `maybe`"), "{e}");
        let e = read("[[log]]\nevent = \"quit\"\n");
        assert!(e.contains("missing field `at`"), "{e}");
    }

    #[test]
    fn case_ids_cannot_escape_the_data_dir() {
        assert!(is_valid_case_id("20261121-144426-weilidai"));
        assert!(CaseId::parse("../x").is_err());
        assert!(toml::from_str::<Case>("id = \"../x\"").is_err());
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/b",
            "a\0b",
            "-rf",
            "a.toml",
            &"x".repeat(101),
        ] {
            assert!(!is_valid_case_id(bad), "{bad:?} must be refused");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// `time_of` reads a time with chrono's strict RFC 3339 reader before its lenient
        /// one: whatever the strict one takes, it must read as the lenient one does.
        #[test]
        fn strict_rfc3339_reads_as_the_lenient_one(
            text in "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,12})?([Zz]|[+-][0-2][0-9]:[0-6][0-9])",
        ) {
            if let Ok(strict) = DateTime::parse_from_rfc3339(&text) {
                let lenient: Result<Time, _> = text.parse();
                proptest::prop_assert_eq!(Ok(strict), lenient, "{}", text);
            }
        }
    }
}
