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
