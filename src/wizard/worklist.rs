//! The start page's worklist, as rules: which queue a saved case is in, the order of the
//! queues (most urgent first) and of the cases in each, how many business days a review is
//! late, and what a search matches. Pure: worked out once when the list arrives (and when the
//! search changes), never per frame, so 10,000 saved cases cost one sort.
//!
//! A store is asked for a `Page` (`Ask`): the first `PER_QUEUE` cases of each queue and how
//! many each holds, so a shared book with 30,000 open cases sends a screen's worth, not
//! 30,000 rows. `page_of` is the rule, for a store that has every summary at hand; a
//! database store answers the same from its indexes, and the store contract checks the two
//! agree.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::calendar::{HolidayCalendar, china_date};
use crate::content::Content;

use super::case::{CaseState, CaseSummary, Time};

/// A queue of the worklist, declared most urgent first (the order they are shown in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Queue {
    /// A review past its expected date with no result.
    Overdue,
    /// A review whose expected date is today (in China).
    DueToday,
    WaitingRepayment,
    /// A `wait` step: a refund, a dispute, a bill.
    Waiting,
    NeedsService,
    /// A review before its expected date.
    InReview,
    /// Started and not submitted yet.
    InProgress,
    /// Refused by the platform: listed until an agent archives it.
    Refused,
}

impl Queue {
    pub const ALL: [Queue; 8] = [
        Queue::Overdue,
        Queue::DueToday,
        Queue::WaitingRepayment,
        Queue::Waiting,
        Queue::NeedsService,
        Queue::InReview,
        Queue::InProgress,
        Queue::Refused,
    ];
}

/// One case on the worklist: where it is in `Model::saved`, its queue, and for an overdue
/// review the business days it is late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub index: usize,
    pub queue: Queue,
    pub late: Option<u32>,
}

/// The queue `summary` belongs in on `today`; `None`: not on the worklist (archived, or
/// closed and nothing-to-close cases, which need nobody's attention).
pub fn queue_of(summary: &CaseSummary, today: NaiveDate) -> Option<Queue> {
    if !summary.is_active() {
        return None;
    }
    queue_in(summary.state, summary.expected, today)
}

/// The queue of a case not archived, by its state and expected date on `today`.
pub fn queue_in(state: CaseState, expected: Option<NaiveDate>, today: NaiveDate) -> Option<Queue> {
    Some(match state {
        CaseState::InReview => match expected {
            Some(day) if day < today => Queue::Overdue,
            Some(day) if day == today => Queue::DueToday,
            _ => Queue::InReview,
        },
        CaseState::WaitingRepayment => Queue::WaitingRepayment,
        CaseState::Waiting(_) => Queue::Waiting,
        CaseState::NeedsService => Queue::NeedsService,
        CaseState::InProgress => Queue::InProgress,
        CaseState::Rejected => Queue::Refused,
        CaseState::Closed | CaseState::NothingToClose => return None,
    })
}

/// A hostile or mistyped expected date decades back is not counted day by day for each of
/// 10,000 cases: past this many days, the rest is counted as weekdays.
const COUNT_DAYS: u64 = 400;

/// Business days from `expected` to `today` (the days after `expected` up to and including
/// `today` that are business days), by the holiday calendar; 0 while only days off passed.
pub fn business_days_late(
    calendar: &HolidayCalendar,
    expected: NaiveDate,
    today: NaiveDate,
) -> u32 {
    if today <= expected {
        return 0;
    }
    let span = u64::try_from((today - expected).num_days()).unwrap_or(0);
    let counted = span.min(COUNT_DAYS);
    let mut late: u32 = 0;
    let mut day = expected;
    for _ in 0..counted {
        day = match day.checked_add_days(Days::new(1)) {
            Some(d) => d,
            None => break,
        };
        late += u32::from(calendar.is_business_day(day));
    }
    // Beyond what was counted: five of every seven days.
    let rest = span - counted;
    let rest = u32::try_from(rest / 7 * 5 + (rest % 7).min(5)).unwrap_or(u32::MAX);
    late.saturating_add(rest)
}

/// The worklist of `saved` on the day of `now`, in order: by queue, then within it the
/// most urgent first (the latest review, the soonest expected date, otherwise the case
/// touched most recently).
pub fn build(saved: &[CaseSummary], calendar: &HolidayCalendar, now: Time) -> Vec<Item> {
    let today = china_date(now);
    let mut items: Vec<Item> = saved
        .iter()
        .enumerate()
        .filter_map(|(index, s)| {
            let queue = queue_of(s, today)?;
            let late = (queue == Queue::Overdue)
                .then(|| s.expected.map(|e| business_days_late(calendar, e, today)))
                .flatten();
            Some(Item { index, queue, late })
        })
        .collect();
    items.sort_by(|a, b| rank(&saved[a.index], a.queue).cmp(&rank(&saved[b.index], b.queue)));
    items
}

/// Where a case of `queue` stands in the worklist's order: by queue; a review by its
/// expected date (the earliest first: an earlier date is never fewer business days late,
/// so an overdue queue is also the latest first, without the calendar, as a database can
/// sort it), a review without one first; then the case touched most recently; then by id,
/// bytewise.
pub fn rank(
    summary: &CaseSummary,
    queue: Queue,
) -> (Queue, Option<NaiveDate>, Reverse<Time>, &str) {
    let review = matches!(queue, Queue::Overdue | Queue::DueToday | Queue::InReview);
    (
        queue,
        summary.expected.filter(|_| review),
        Reverse(summary.updated),
        summary.id.as_str(),
    )
}

/// How many cases of each queue the start page is sent at most: more than a screen shows
/// (`ui::screens::welcome` lays out 40 rows), few enough that a book of 100,000 cases
/// sends hundreds of rows, not tens of thousands. The rest of a queue is reached by search.
pub const PER_QUEUE: usize = 100;

/// What the start page asks of a store: the worklist on `today`, narrowed by a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub today: NaiveDate,
    pub search: Search,
    pub per_queue: usize,
}

impl Ask {
    pub fn new(content: &Content, typed: &str, now: Time) -> Ask {
        Ask {
            today: china_date(now),
            search: Search::new(content, typed),
            per_queue: PER_QUEUE,
        }
    }
}

/// A worklist search: a case matches when its customer reference, id, product id or name
/// (in either language), or agent contains the text, case-insensitively. Empty matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// As typed, trimmed and lowercased.
    pub text: String,
    /// Products whose name contains the text: a search for 借呗 finds cases by their
    /// product id, which is what a store keeps.
    pub named: Vec<String>,
}

impl Search {
    pub fn new(content: &Content, typed: &str) -> Search {
        let text = typed.trim().to_lowercase();
        let named = if text.is_empty() {
            Vec::new()
        } else {
            let has = |n: &str| n.to_lowercase().contains(&text);
            let products = content.products.iter();
            products
                .filter(|p| has(&p.info.name.zh) || has(&p.info.name.en))
                .map(|p| p.id().to_owned())
                .collect()
        };
        Search { text, named }
    }

    pub fn matches(&self, summary: &CaseSummary) -> bool {
        let needle = self.text.as_str();
        if needle.is_empty() {
            return true;
        }
        let has = |s: &str| s.to_lowercase().contains(needle);
        summary.customer.as_deref().is_some_and(has)
            || has(summary.id.as_str())
            || has(&summary.product)
            || self.named.contains(&summary.product)
            || summary.agent.as_deref().is_some_and(has)
    }
}

/// What a store answers an `Ask` with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The worklist's cases that match, at least the first `per_queue` of each queue (in
    /// `rank` order), in no particular order.
    pub cases: Vec<CaseSummary>,
    /// Cases that could not be read: (where, why). Listed, never touched.
    pub damaged: Vec<(String, String)>,
    /// How many cases of each queue match, where the store sent only the first of some
    /// queue; `None`: `cases` holds every one.
    pub totals: Option<BTreeMap<Queue, usize>>,
    /// The search this page answers (`Search::text`).
    pub search: String,
}

impl Page {
    /// Every case there is, unsearched (a test's list, or a store that holds few).
    pub fn all(cases: Vec<CaseSummary>, damaged: Vec<(String, String)>) -> Page {
        Page {
            cases,
            damaged,
            totals: None,
            search: String::new(),
        }
    }

    /// Whether the page holds every case of the worklist that matched its search.
    pub fn is_whole(&self) -> bool {
        self.totals.is_none()
    }
}

/// The page a store answers `ask` with, from every summary it keeps (and what it could not
/// read): the worklist's cases that match, the first `per_queue` of each queue.
pub fn page_of(summaries: Vec<CaseSummary>, damaged: Vec<(String, String)>, ask: &Ask) -> Page {
    let mut ranked: Vec<(Queue, CaseSummary)> = summaries
        .into_iter()
        .filter(|s| ask.search.matches(s))
        .filter_map(|s| Some((queue_of(&s, ask.today)?, s)))
        .collect();
    ranked.sort_by(|(qa, a), (qb, b)| rank(a, *qa).cmp(&rank(b, *qb)));
    let mut totals: BTreeMap<Queue, usize> = BTreeMap::new();
    let mut cases = Vec::new();
    for (queue, summary) in ranked {
        let n = totals.entry(queue).or_insert(0);
        *n += 1;
        if *n <= ask.per_queue {
            cases.push(summary);
        }
    }
    let held_back = totals.values().any(|&n| n > ask.per_queue);
    Page {
        cases,
        damaged,
        totals: held_back.then_some(totals),
        search: ask.search.text.clone(),
    }
}

/// The positions in `items` whose case matches what was typed (`Search`).
pub fn search(items: &[Item], saved: &[CaseSummary], content: &Content, typed: &str) -> Vec<usize> {
    let search = Search::new(content, typed);
    if search.text.is_empty() {
        return (0..items.len()).collect();
    }
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| saved.get(item.index).is_some_and(|s| search.matches(s)))
        .map(|(i, _)| i)
        .collect()
}

/// Finished cases an agent may archive (so they leave the worklist): closed, nothing to
/// close, refused, needs customer service.
pub fn archivable(state: CaseState) -> bool {
    state.is_finished()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::wait::WaitFor;
    use crate::wizard::case::CaseId;
    use chrono::DateTime;

    fn at(text: &str) -> Time {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn case(id: &str, state: CaseState, expected: Option<&str>, updated: &str) -> CaseSummary {
        CaseSummary {
            id: CaseId::parse(id).unwrap(),
            product: "huabei".into(),
            step: "review".into(),
            state,
            updated: at(updated),
            expected: expected.map(day),
            customer: None,
            agent: None,
            archived: false,
        }
    }

    #[test]
    fn a_review_three_business_days_late_over_a_holiday_comes_first_then_due_today() {
        let content = Content::builtin().unwrap();
        // Expected on Wednesday 2026-09-30, then the National Day week (10-01…10-07) is
        // off; counted on Saturday 10-10, a working Saturday: 10-08, 10-09 and 10-10.
        let now = at("2026-10-10T10:00:00+08:00");
        let saved = vec![
            case(
                "20260901-090000-huabei",
                CaseState::InReview,
                Some("2026-10-20"),
                "2026-09-01T09:00:00+08:00",
            ),
            case(
                "20260902-090000-huabei",
                CaseState::Rejected,
                None,
                "2026-10-12T09:00:00+08:00",
            ),
            case(
                "20260903-090000-huabei",
                CaseState::InReview,
                Some("2026-10-10"),
                "2026-09-03T09:00:00+08:00",
            ),
            case(
                "20260904-090000-huabei",
                CaseState::WaitingRepayment,
                None,
                "2026-09-04T09:00:00+08:00",
            ),
            case(
                "20260905-090000-huabei",
                CaseState::InReview,
                Some("2026-09-30"),
                "2026-09-05T09:00:00+08:00",
            ),
            case(
                "20260906-090000-huabei",
                CaseState::Waiting(WaitFor::Refund),
                None,
                "2026-09-06T09:00:00+08:00",
            ),
            case(
                "20260907-090000-huabei",
                CaseState::NeedsService,
                None,
                "2026-09-07T09:00:00+08:00",
            ),
            case(
                "20260908-090000-huabei",
                CaseState::Closed,
                None,
                "2026-09-08T09:00:00+08:00",
            ),
            case(
                "20260909-090000-huabei",
                CaseState::InProgress,
                None,
                "2026-09-09T09:00:00+08:00",
            ),
        ];
        let list = build(&saved, &content.calendar, now);
        let order: Vec<(usize, Queue, Option<u32>)> =
            list.iter().map(|i| (i.index, i.queue, i.late)).collect();
        assert_eq!(
            order,
            [
                (4, Queue::Overdue, Some(3)),
                (2, Queue::DueToday, None),
                (3, Queue::WaitingRepayment, None),
                (5, Queue::Waiting, None),
                (6, Queue::NeedsService, None),
                (0, Queue::InReview, None),
                (8, Queue::InProgress, None),
                (1, Queue::Refused, None),
            ]
        );
        // The closed case needs nobody: not listed.
        assert!(list.iter().all(|i| i.index != 7));
    }

    #[test]
    fn late_days_count_business_days_only_and_a_date_decades_back_stays_cheap() {
        let content = Content::builtin().unwrap();
        let cal = &content.calendar;
        // Friday to Monday: one business day.
        assert_eq!(
            business_days_late(cal, day("2026-11-20"), day("2026-11-23")),
            1
        );
        // Friday to Sunday: only days off.
        assert_eq!(
            business_days_late(cal, day("2026-11-20"), day("2026-11-22")),
            0
        );
        assert_eq!(
            business_days_late(cal, day("2026-11-23"), day("2026-11-20")),
            0
        );
        let far = business_days_late(cal, day("1900-01-01"), day("2026-11-23"));
        assert!(far > 30_000, "{far}");
    }

    #[test]
    fn the_more_late_review_comes_first_and_an_archived_refusal_leaves() {
        let content = Content::builtin().unwrap();
        let now = at("2026-11-25T10:00:00+08:00");
        let mut saved = vec![
            case(
                "20261101-090000-huabei",
                CaseState::InReview,
                Some("2026-11-20"),
                "2026-11-01T09:00:00+08:00",
            ),
            case(
                "20261102-090000-huabei",
                CaseState::InReview,
                Some("2026-11-10"),
                "2026-11-02T09:00:00+08:00",
            ),
            case(
                "20261103-090000-huabei",
                CaseState::Rejected,
                None,
                "2026-11-03T09:00:00+08:00",
            ),
        ];
        let list = build(&saved, &content.calendar, now);
        assert_eq!(list[0].index, 1);
        assert_eq!(list[1].index, 0);
        assert!(list[0].late > list[1].late);
        assert_eq!(list[2].queue, Queue::Refused);
        saved[2].archived = true;
        let list = build(&saved, &content.calendar, now);
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn search_matches_customer_id_product_and_agent() {
        let content = Content::builtin().unwrap();
        let now = at("2026-11-25T10:00:00+08:00");
        let mut a = case(
            "20261101-090000-huabei",
            CaseState::InProgress,
            None,
            "2026-11-01T09:00:00+08:00",
        );
        a.customer = Some("王先生".into());
        a.agent = Some("Li Na".into());
        let mut b = case(
            "20261102-090000-jiebei",
            CaseState::InProgress,
            None,
            "2026-11-02T09:00:00+08:00",
        );
        b.product = "jiebei".into();
        b.customer = Some("A023".into());
        let saved = vec![a, b];
        let items = build(&saved, &content.calendar, now);
        let found = |needle: &str| -> Vec<usize> {
            search(&items, &saved, &content, needle)
                .into_iter()
                .map(|i| items[i].index)
                .collect()
        };
        assert_eq!(found("王"), [0]);
        assert_eq!(found("a02"), [1]);
        assert_eq!(found("li na"), [0]);
        assert_eq!(found("20261102"), [1]);
        assert_eq!(found("借呗"), [1]);
        assert_eq!(found("JIEBEI"), [1]);
        assert_eq!(found("  "), [1, 0]);
        assert!(found("nobody").is_empty());
    }

    #[test]
    fn a_page_holds_the_first_of_each_queue_and_says_how_many_each_has() {
        let content = Content::builtin().unwrap();
        let now = at("2026-11-25T10:00:00+08:00");
        let saved: Vec<CaseSummary> = (1..=5)
            .map(|d| {
                let mut s = case(
                    &format!("2026110{d}-090000-huabei"),
                    CaseState::InReview,
                    Some(&format!("2026-11-1{d}")),
                    "2026-11-01T09:00:00+08:00",
                );
                s.customer = Some(if d % 2 == 0 { "王先生" } else { "A023" }.into());
                s
            })
            .chain([case(
                "20261106-090000-huabei",
                CaseState::Rejected,
                None,
                "2026-11-06T09:00:00+08:00",
            )])
            .collect();
        let ask = |typed: &str, per_queue: usize| Ask {
            per_queue,
            ..Ask::new(&content, typed, now)
        };
        let page = page_of(saved.clone(), Vec::new(), &ask("", 2));
        let ids: Vec<&str> = page.cases.iter().map(|s| s.id.as_str()).collect();
        // The two most overdue (the earliest dates), and the one refusal.
        assert_eq!(
            ids,
            [
                "20261101-090000-huabei",
                "20261102-090000-huabei",
                "20261106-090000-huabei"
            ]
        );
        let totals = page.totals.expect("a queue was cut");
        assert_eq!(totals[&Queue::Overdue], 5);
        assert_eq!(totals[&Queue::Refused], 1);
        // Searched, both of 王先生's fit: the page is whole.
        let page = page_of(saved.clone(), Vec::new(), &ask(" 王 ", 2));
        assert!(page.is_whole());
        assert_eq!(page.cases.len(), 2);
        assert_eq!(page.search, "王");
        // Nothing cut: whole, every case in it.
        assert!(page_of(saved, Vec::new(), &ask("", 100)).is_whole());
    }
}
