//! `xiaohu sessions`: which saved cases to list and how to write them (pure). The binary
//! reads the summaries from the store and the day from the clock; this module only filters
//! and formats, so every rule here is a unit test with plain values.
//!
//! Tab-separated rows keep the contract's columns in order (id, product, step, last update,
//! state), then the expected date and the customer reference. JSON is one array with one
//! object per case, each on its own line, for a branch's own reporting.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::HolidayCalendar;
use crate::safe_text;
use crate::wizard::{CaseState, CaseSummary};

/// How `sessions` writes its list (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// Tab-separated rows: id, product, step, last update, state, expected date, customer.
    #[default]
    Tsv,
    /// One JSON array, one object per case (a line each), with named fields.
    Json,
}

/// A state word for `--state`, as `sessions` prints it: the words are `CaseState::ALL`'s
/// codes, so a new state is accepted (and completed by the shell) as soon as it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateWord(pub CaseState);

/// Every state, as the values clap offers, checks and lists in its error.
const WORDS: [StateWord; CaseState::ALL.len()] = {
    let mut out = [StateWord(CaseState::InProgress); CaseState::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = StateWord(CaseState::ALL[i]);
        i += 1;
    }
    out
};

impl clap::ValueEnum for StateWord {
    fn value_variants<'a>() -> &'a [Self] {
        &WORDS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.code()))
    }
}

/// Which cases to list. Every filter given must hold; none given lists every case that is
/// not archived.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub state: Option<CaseState>,
    /// In review with its expected date before today (in China).
    pub overdue: bool,
    /// A part of the customer reference, in any case (upper or lower).
    pub customer: Option<String>,
    pub product: Option<String>,
    /// The agent who last worked the case (the newest log entry naming one), in any case.
    pub agent: Option<String>,
    /// Archived cases too.
    pub all: bool,
}

impl Filter {
    /// Whether `case` is listed on `today` (the date in China).
    pub fn keeps(&self, case: &CaseSummary, today: NaiveDate) -> bool {
        (self.all || !case.archived)
            && self.state.is_none_or(|s| s == case.state)
            && (!self.overdue || is_overdue(case, today))
            && self.product.as_deref().is_none_or(|p| p == case.product)
            && self.customer.as_deref().is_none_or(|part| {
                let customer = case.customer.as_deref().unwrap_or("");
                folded(customer).contains(&folded(part))
            })
            && self.agent.as_deref().is_none_or(|name| {
                case.agent
                    .as_deref()
                    .is_some_and(|a| folded(a.trim()) == folded(name.trim()))
            })
    }
}

/// Text compared without regard to case (Unicode lower case: `Wang` finds `WANG`).
fn folded(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// In review and past its expected date on `today` (in China), as the review screen sees
/// it: the day after the expected date is already late.
pub fn is_overdue(case: &CaseSummary, today: NaiveDate) -> bool {
    case.state == CaseState::InReview && case.expected.is_some_and(|e| e < today)
}

/// How many business days an overdue case is late on `today` (0 while only days off have
/// passed since its expected date); `None` for a case that is not overdue.
pub fn days_late(case: &CaseSummary, calendar: &HolidayCalendar, today: NaiveDate) -> Option<u32> {
    if !is_overdue(case, today) {
        return None;
    }
    let expected = case.expected?;
    let late = expected
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= today)
        .filter(|d| calendar.is_business_day(*d))
        .count();
    Some(u32::try_from(late).unwrap_or(u32::MAX))
}

/// The cases `filter` keeps, written as `format`: the whole output of `sessions`.
pub fn listing(
    cases: &[CaseSummary],
    filter: &Filter,
    format: ListFormat,
    today: NaiveDate,
    calendar: &HolidayCalendar,
) -> String {
    let kept = cases.iter().filter(|c| filter.keeps(c, today));
    match format {
        ListFormat::Tsv => {
            let mut out = String::new();
            for c in kept {
                tsv_row(&mut out, c);
            }
            out
        }
        ListFormat::Json => {
            let mut out = String::from("[");
            for (i, c) in kept.enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&json_object(c, calendar, today));
            }
            out.push_str(if out.len() > 1 { "\n]\n" } else { "]\n" });
            out
        }
    }
}

/// One row: what the case file holds is escaped, so a tab or a newline in it cannot make
/// another column or row.
fn tsv_row(out: &mut String, c: &CaseSummary) {
    let updated = c
        .updated
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let expected = c
        .expected
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{updated}\t{}\t{expected}\t{}",
        safe_text::tsv(&c.id),
        safe_text::tsv(&c.product),
        safe_text::tsv(&c.step),
        c.state.code(),
        safe_text::tsv(c.customer.as_deref().unwrap_or("")),
    );
}

/// A case as JSON: the same facts as a row, named, plus how late an overdue review is.
#[derive(Serialize)]
struct JsonCase<'a> {
    id: &'a str,
    product: &'a str,
    step: &'a str,
    updated: String,
    state: &'static str,
    expected: Option<String>,
    customer: Option<&'a str>,
    agent: Option<&'a str>,
    archived: bool,
    /// Business days past the expected date, for a review that is overdue; else null.
    days_late: Option<u32>,
}

fn json_object(c: &CaseSummary, calendar: &HolidayCalendar, today: NaiveDate) -> String {
    let case = JsonCase {
        id: &c.id,
        product: &c.product,
        step: &c.step,
        updated: c
            .updated
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        state: c.state.code(),
        expected: c.expected.map(|d| d.format("%Y-%m-%d").to_string()),
        customer: c.customer.as_deref(),
        agent: c.agent.as_deref(),
        archived: c.archived,
        days_late: days_late(c, calendar, today),
    };
    // serde_json escapes C0 controls itself; the others `safe_text` guards against (DEL,
    // C1 such as U+009B CSI, bidi controls) it writes raw, and those can only be inside
    // strings (names and numbers are ASCII), where `\uXXXX` reads back as the same text.
    match serde_json::to_string(&case) {
        Ok(json) => terminal_safe(&json),
        Err(_) => String::from("{}"),
    }
}

/// JSON text with every character a terminal would obey written as a `\uXXXX` escape.
fn terminal_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if safe_text::is_unsafe(c) {
            // Every such character is in the Basic Multilingual Plane: one escape.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::CaseId;
    use crate::wizard::Time;

    fn at(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn calendar() -> HolidayCalendar {
        crate::content::Content::builtin().unwrap().calendar
    }

    fn case(id: &str, product: &str, state: CaseState) -> CaseSummary {
        CaseSummary {
            id: CaseId::parse(id).unwrap(),
            product: product.into(),
            step: "debt".into(),
            state,
            updated: at("2026-11-20T09:30:00+08:00"),
            expected: None,
            customer: None,
            agent: None,
            archived: false,
        }
    }

    /// A small case book: two reviews (one past its date), a refused case, an archived
    /// one, one with nothing but its id.
    fn book() -> Vec<CaseSummary> {
        let mut late = case("20261101-090000-aaaa", "huabei", CaseState::InReview);
        late.expected = Some(day("2026-11-20"));
        late.customer = Some("王先生".into());
        late.agent = Some("Li Na".into());
        let mut due = case("20261101-090000-bbbb", "huabei", CaseState::InReview);
        due.expected = Some(day("2026-12-02"));
        due.customer = Some("A023".into());
        due.agent = Some("Zhao".into());
        let mut refused = case("20261101-090000-cccc", "weilidai", CaseState::Rejected);
        refused.customer = Some("WANG Xiaoming".into());
        refused.agent = Some("li na".into());
        let mut archived = case("20261101-090000-dddd", "weilidai", CaseState::Closed);
        archived.archived = true;
        archived.customer = Some("王五".into());
        let bare = case("20261101-090000-eeee", "baitiao", CaseState::InProgress);
        vec![late, due, refused, archived, bare]
    }

    fn ids(filter: &Filter, today: NaiveDate) -> Vec<String> {
        book()
            .iter()
            .filter(|c| filter.keeps(c, today))
            .map(|c| c.id.as_str()[16..].to_owned())
            .collect()
    }

    #[test]
    fn archived_cases_are_left_out_unless_all_is_asked() {
        let today = day("2026-12-02");
        assert_eq!(
            ids(&Filter::default(), today),
            ["aaaa", "bbbb", "cccc", "eeee"]
        );
        let all = Filter {
            all: true,
            ..Filter::default()
        };
        assert_eq!(ids(&all, today), ["aaaa", "bbbb", "cccc", "dddd", "eeee"]);
    }

    #[test]
    fn each_filter_narrows_the_list_and_they_combine() {
        let today = day("2026-12-02");
        let f = |f: Filter| ids(&f, today);
        let state = |s| Filter {
            state: Some(s),
            ..Filter::default()
        };
        assert_eq!(f(state(CaseState::InReview)), ["aaaa", "bbbb"]);
        assert_eq!(f(state(CaseState::Rejected)), ["cccc"]);
        // An archived closed case is found by its state only with --all.
        assert!(f(state(CaseState::Closed)).is_empty());
        let customer = |t: &str| Filter {
            customer: Some(t.into()),
            ..Filter::default()
        };
        assert_eq!(f(customer("王")), ["aaaa"]);
        assert_eq!(f(customer("wang")), ["cccc"]);
        assert_eq!(f(customer("a02")), ["bbbb"]);
        assert!(f(customer("nobody")).is_empty());
        let product = Filter {
            product: Some("huabei".into()),
            ..Filter::default()
        };
        assert_eq!(f(product), ["aaaa", "bbbb"]);
        let agent = |n: &str| Filter {
            agent: Some(n.into()),
            ..Filter::default()
        };
        assert_eq!(f(agent("LI NA")), ["aaaa", "cccc"]);
        // A whole name, not a part of one.
        assert!(f(agent("Li")).is_empty());
        let both = Filter {
            agent: Some("li na".into()),
            state: Some(CaseState::InReview),
            ..Filter::default()
        };
        assert_eq!(f(both), ["aaaa"]);
        let archived_customer = Filter {
            customer: Some("王".into()),
            all: true,
            ..Filter::default()
        };
        assert_eq!(f(archived_customer), ["aaaa", "dddd"]);
    }

    #[test]
    fn overdue_is_a_review_past_its_expected_date_in_china() {
        let overdue = Filter {
            overdue: true,
            ..Filter::default()
        };
        // On the expected date itself it is not late yet; the day after it is.
        assert!(ids(&overdue, day("2026-11-20")).is_empty());
        assert_eq!(ids(&overdue, day("2026-11-21")), ["aaaa"]);
        assert_eq!(ids(&overdue, day("2026-12-03")), ["aaaa", "bbbb"]);
        // A refused case with an old expected date is finished, not overdue.
        let mut refused = case("20261101-090000-ffff", "huabei", CaseState::Rejected);
        refused.expected = Some(day("2026-11-01"));
        assert!(!is_overdue(&refused, day("2026-12-02")));
    }

    #[test]
    fn days_late_counts_business_days_after_the_expected_date() {
        let cal = calendar();
        let book = book();
        let late = &book[0]; // expected Friday 2026-11-20
        assert_eq!(days_late(late, &cal, day("2026-11-20")), None);
        // Saturday and Sunday are days off: late, but no business day yet.
        assert_eq!(days_late(late, &cal, day("2026-11-22")), Some(0));
        assert_eq!(days_late(late, &cal, day("2026-11-23")), Some(1));
        assert_eq!(days_late(late, &cal, day("2026-12-02")), Some(8));
        assert_eq!(days_late(&book[2], &cal, day("2026-12-02")), None);
    }

    #[test]
    fn rows_keep_the_contract_columns_then_expected_and_customer() {
        let today = day("2026-12-02");
        let out = listing(
            &book(),
            &Filter::default(),
            ListFormat::Tsv,
            today,
            &calendar(),
        );
        let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 4, "{out}");
        assert_eq!(
            rows[0],
            [
                "20261101-090000-aaaa",
                "huabei",
                "debt",
                "2026-11-20T09:30:00+08:00",
                "in_review",
                "2026-11-20",
                "王先生"
            ]
        );
        // Nothing known is an empty column, never a missing one.
        assert_eq!(rows[3][5..], ["", ""]);
        assert!(rows.iter().all(|r| r.len() == 7), "{out}");
    }

    #[test]
    fn hostile_text_cannot_forge_a_row_or_reach_the_terminal_raw() {
        let mut c = case("20261101-090000-aaaa", "huabei\tx", CaseState::InProgress);
        c.customer = Some("王\n先生\u{1b}]0;x\u{7}\u{202e}\u{9b}".into());
        c.step = "a\\tb".into();
        let today = day("2026-12-02");
        let cal = calendar();
        let tsv = listing(
            std::slice::from_ref(&c),
            &Filter::default(),
            ListFormat::Tsv,
            today,
            &cal,
        );
        assert_eq!(tsv.lines().count(), 1, "{tsv}");
        assert_eq!(tsv.trim_end().split('\t').count(), 7, "{tsv}");
        assert!(
            !tsv.chars()
                .any(|ch| safe_text::is_unsafe(ch) && ch != '\t' && ch != '\n')
        );
        let json = listing(
            &[c.clone()],
            &Filter::default(),
            ListFormat::Json,
            today,
            &cal,
        );
        assert!(!json.chars().any(safe_unsafe), "{json:?}");
        // And reads back exactly.
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["customer"], c.customer.unwrap().as_str());
        assert_eq!(back[0]["product"], "huabei\tx");
        assert_eq!(back[0]["step"], "a\\tb");
    }

    /// An unsafe character other than the line break that ends each JSON line.
    fn safe_unsafe(ch: char) -> bool {
        safe_text::is_unsafe(ch) && ch != '\n'
    }

    #[test]
    fn json_is_one_array_of_named_objects_one_a_line() {
        let today = day("2026-12-02");
        let cal = calendar();
        let all = Filter {
            all: true,
            ..Filter::default()
        };
        let out = listing(&book(), &all, ListFormat::Json, today, &cal);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.first(), Some(&"["));
        assert_eq!(lines.last(), Some(&"]"));
        assert_eq!(lines.len(), 2 + book().len(), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let cases = v.as_array().unwrap();
        assert_eq!(cases.len(), 5);
        let late = &cases[0];
        assert_eq!(late["id"], "20261101-090000-aaaa");
        assert_eq!(late["product"], "huabei");
        assert_eq!(late["step"], "debt");
        assert_eq!(late["updated"], "2026-11-20T09:30:00+08:00");
        assert_eq!(late["state"], "in_review");
        assert_eq!(late["expected"], "2026-11-20");
        assert_eq!(late["customer"], "王先生");
        assert_eq!(late["agent"], "Li Na");
        assert_eq!(late["archived"], false);
        assert_eq!(late["days_late"], 8);
        let bare = &cases[4];
        for key in ["expected", "customer", "agent", "days_late"] {
            assert!(bare[key].is_null(), "{key}: {bare}");
        }
        assert_eq!(cases[3]["archived"], true);
        // Nothing listed is an empty array, still JSON.
        let none = Filter {
            product: Some("nope".into()),
            ..Filter::default()
        };
        let out = listing(&book(), &none, ListFormat::Json, today, &cal);
        assert_eq!(out, "[]\n");
    }

    #[test]
    fn the_state_words_are_the_case_states_codes() {
        use clap::ValueEnum;
        let words: Vec<String> = StateWord::value_variants()
            .iter()
            .map(|w| w.to_possible_value().unwrap().get_name().to_owned())
            .collect();
        let codes: Vec<&str> = CaseState::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(words, codes);
        assert_eq!(
            StateWord::from_str("waiting_refund", false)
                .unwrap()
                .0
                .code(),
            "waiting_refund"
        );
        assert!(StateWord::from_str("open", false).is_err());
    }
}
