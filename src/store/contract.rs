//! The promises every `CaseStore` keeps, as one test run against each store: the file
//! store and the memory store in the unit tests, PostgreSQL in `tests/postgres.rs` (a real
//! server). Public for that, and hidden: it panics on a broken promise.
#![doc(hidden)]

use super::{CaseStore, StoreError};
use crate::content::{Content, Lang};
use crate::wizard::case::Case;
use crate::wizard::{Action, CaseState, Effect, Model, update};

/// A case as the wizard starts it: 微粒贷 at `at` (RFC 3339).
pub fn a_case(at: &str) -> Case {
    let content = Content::builtin().unwrap();
    let mut model = Model::new(Lang::En, false);
    let now = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    let start = Action::StartProduct("weilidai".into());
    match update(&mut model, &content, start, now).into_iter().next() {
        Some(Effect::Save(case)) => *case,
        other => panic!("expected a save, got {other:?}"),
    }
}

/// The promises of `CaseStore`, for a store and a second terminal on the same cases.
pub fn keeps_its_promises(mut one: Box<dyn CaseStore>, mut two: Box<dyn CaseStore>) {
    let mut case = a_case("2026-12-01T18:42:08+08:00");
    // Two terminals start the same product in the same second: a case each.
    let first = one.save(&case, true).unwrap();
    assert_eq!(first, case.id);
    let second = two.save(&case, true).unwrap();
    assert_eq!(second, format!("{}-2", case.id));
    let (listed, damaged) = one.list();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(damaged.is_empty());

    // A case held by one terminal is refused to the other until released.
    assert!(matches!(
        two.open(&first),
        Err(StoreError::Locked(_) | StoreError::LockedAt { .. })
    ));
    // … but read without holding it (`log`, `export`), as it was last saved.
    assert_eq!(two.read(&first).unwrap(), case_as(&case, &first));
    let unknown = crate::wizard::CaseId::parse("20261201-184208-nothing").unwrap();
    assert!(matches!(two.read(&unknown), Err(StoreError::NotFound(_))));
    one.release();
    two.release();
    let mut theirs = two.open(&first).unwrap();

    // The other terminal writes it: the first may neither save its older copy over
    // that, nor discard it.
    theirs.state = CaseState::WaitingRepayment;
    two.save(&theirs, true).unwrap();
    two.release();
    case.state = CaseState::InReview;
    assert!(matches!(
        one.save(&case, false),
        Err(StoreError::Changed { .. })
    ));
    assert!(matches!(
        one.discard(&first),
        Err(StoreError::Changed { .. })
    ));
    let again = one.open(&first).unwrap();
    assert_eq!(again.state, CaseState::WaitingRepayment, "kept as written");
    one.release();

    // A terminal discards only what it created: the second case is the other's.
    one.discard(&second).unwrap();
    assert_eq!(one.list().0.len(), 2);
    two.discard(&second).unwrap();
    let (listed, _) = one.list();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, first);

    lists_what_it_keeps(one.as_mut(), two.as_mut());
    pages_the_worklist(one.as_mut(), two.as_mut());

    let kept = one
        .write_receipts(&first, &[("txt", "receipt".into())])
        .unwrap();
    assert_eq!(kept.names, [format!("{first}.txt")]);
    assert!(one.location(&first).contains(first.as_str()));
}

/// `case` as a store keeps it under `id`.
fn case_as(case: &Case, id: &crate::wizard::CaseId) -> Case {
    let mut kept = case.clone();
    kept.id = id.clone();
    kept
}

/// What `list` and `list_active` say of each case is its own summary, as a reader of the
/// whole case would make it (a store may list from columns or a head, never from a guess):
/// with an agent, a customer, an expected date and a time in another offset; the active
/// list is the full one less the archived and the closed.
fn lists_what_it_keeps(one: &mut dyn CaseStore, two: &mut dyn CaseStore) {
    use crate::wizard::case::{AnswerValue, Review};
    let mut review = a_case("2026-12-01T20:15:00+09:00");
    review.hands.agent = Some("李娜".into());
    review.hands.desk = Some("柜台A".into());
    review.customer = Some("王先生".into());
    review.state = CaseState::InReview;
    let expected = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let at = review.updated;
    review.record(
        "review",
        "fp",
        at,
        AnswerValue::Review(Review {
            submitted: at,
            business_days: 5,
            expected,
            from_tables: true,
            sent: None,
        }),
    );
    review.log(
        at,
        crate::wizard::Event::Entered {
            step: "review".into(),
        },
    );
    let review = one.save(&review, false).unwrap();
    let mut closed = a_case("2026-12-01T20:16:00+08:00");
    closed.state = CaseState::Closed;
    let closed = one.save(&closed, false).unwrap();
    let mut archived = a_case("2026-12-01T20:17:00+08:00");
    archived.state = CaseState::Rejected;
    archived.archived = true;
    let archived = one.save(&archived, false).unwrap();

    let (all, damaged) = two.list();
    assert!(damaged.is_empty(), "{damaged:?}");
    for summary in &all {
        assert_eq!(*summary, two.read(&summary.id).unwrap().summary());
    }
    let listed = |id| all.iter().find(|s| s.id == id).expect("listed");
    let shown = listed(review.clone());
    assert_eq!(shown.expected, Some(expected));
    assert_eq!(shown.agent.as_deref(), Some("李娜"));
    assert_eq!(shown.customer.as_deref(), Some("王先生"));
    assert_eq!(shown.updated.offset().local_minus_utc(), 9 * 3600);
    assert!(listed(archived.clone()).archived);

    let (mut active, damaged) = two.list_active();
    assert!(damaged.is_empty(), "{damaged:?}");
    active.sort_by(|a, b| a.id.cmp(&b.id));
    let wanted: Vec<_> = all.iter().filter(|s| s.is_active()).cloned().collect();
    assert_eq!(active, wanted);
    assert!(active.iter().any(|s| s.id == review));
    assert!(!active.iter().any(|s| s.id == closed || s.id == archived));
    for id in [review, closed, archived] {
        one.discard(&id).unwrap();
    }
}

/// `worklist` answers what `worklist::page_of` makes of the whole active list: the same
/// cases (the first of each queue, in the worklist's order), the same counts, whatever the
/// search, with queues cut at one, two and none. A store that pages on its own (a
/// database) is held to the rule; one that uses the default is held to it trivially.
/// A case of `pages_the_worklist`'s book: state, expected day, customer, agent, product,
/// archived.
type Entry = (
    CaseState,
    Option<u32>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    bool,
);

fn pages_the_worklist(one: &mut dyn CaseStore, two: &mut dyn CaseStore) {
    use crate::steps::wait::WaitFor;
    use crate::wizard::worklist::{Ask, Search, page_of};
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let book: &[Entry] = &[
        (
            CaseState::InReview,
            Some(3),
            Some("王先生"),
            Some("李娜"),
            "weilidai",
            false,
        ),
        (CaseState::InReview, Some(8), None, None, "jiebei", false),
        (
            CaseState::InReview,
            Some(3),
            Some("A023"),
            None,
            "huabei",
            false,
        ),
        (
            CaseState::InReview,
            Some(10),
            Some("王女士"),
            None,
            "weilidai",
            false,
        ),
        (
            CaseState::InReview,
            Some(10),
            None,
            Some("Li Na"),
            "baitiao",
            false,
        ),
        (CaseState::InReview, Some(15), None, None, "weilidai", false),
        (
            CaseState::InReview,
            None,
            Some("50%_off"),
            None,
            "weilidai",
            false,
        ),
        (CaseState::InReview, Some(20), None, None, "jiebei", false),
        (
            CaseState::WaitingRepayment,
            None,
            Some("王五"),
            None,
            "weilidai",
            false,
        ),
        (
            CaseState::WaitingRepayment,
            Some(9),
            None,
            None,
            "jiebei",
            false,
        ),
        (
            CaseState::Waiting(WaitFor::Refund),
            None,
            None,
            None,
            "huabei",
            false,
        ),
        (
            CaseState::Waiting(WaitFor::Bill),
            None,
            None,
            Some("李娜"),
            "weilidai",
            false,
        ),
        (CaseState::NeedsService, None, None, None, "weilidai", false),
        (CaseState::InProgress, None, None, None, "jiebei", false),
        (
            CaseState::InProgress,
            None,
            Some("王先生"),
            None,
            "weilidai",
            false,
        ),
        (CaseState::Rejected, None, None, None, "weilidai", false),
        (CaseState::Rejected, None, None, None, "weilidai", true),
        (
            CaseState::Closed,
            None,
            Some("王先生"),
            None,
            "weilidai",
            false,
        ),
        (CaseState::NothingToClose, None, None, None, "huabei", false),
    ];
    let mut ids = Vec::new();
    for (i, &(state, expected, customer, agent, product, archived)) in book.iter().enumerate() {
        // Pairs at one instant written in two offsets: tied on time, then in id order.
        let (minute, zone) = (i / 2, if i % 2 == 0 { 8 } else { 9 });
        let at = format!("2026-12-01T{:02}:{minute:02}:00+0{zone}:00", 10 + zone);
        let mut case = a_case(&at);
        case.state = state;
        case.product = product.into();
        case.customer = customer.map(Into::into);
        case.hands.agent = agent.map(Into::into);
        case.archived = archived;
        if let Some(d) = expected {
            let at = case.updated;
            case.record(
                "review",
                "fp",
                at,
                crate::wizard::case::AnswerValue::Review(crate::wizard::case::Review {
                    submitted: at,
                    business_days: 5,
                    expected: day(d),
                    from_tables: true,
                    sent: None,
                }),
            );
        }
        case.log(
            case.updated,
            crate::wizard::Event::Entered {
                step: "review".into(),
            },
        );
        ids.push(one.save(&case, false).unwrap());
    }
    let content = Content::builtin().unwrap();
    let (active, damaged) = two.list_active();
    assert!(damaged.is_empty(), "{damaged:?}");
    for typed in [
        "", "王", "李娜", "li na", "借呗", "HUABEI", "50%", "%", "_", "a0", "nobody",
    ] {
        for per_queue in [1, 2, 100] {
            let ask = Ask {
                today: day(10),
                search: Search::new(&content, typed),
                per_queue,
            };
            let mut got = two.worklist(&ask);
            let mut wanted = page_of(active.clone(), Vec::new(), &ask);
            for page in [&mut got, &mut wanted] {
                page.cases.sort_by(|a, b| a.id.cmp(&b.id));
            }
            assert_eq!(got, wanted, "{typed:?}, {per_queue} a queue");
        }
    }
    // The search is not a pattern: `%` matches only a `%`.
    let ask = Ask {
        today: day(10),
        search: Search::new(&content, "%"),
        per_queue: 100,
    };
    assert_eq!(two.worklist(&ask).cases.len(), 1);
    for id in ids {
        one.discard(&id).unwrap();
    }
}
