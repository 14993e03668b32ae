//! The safety rule, at run time: a second lock behind the validator's.

use crate::content::Product;
use crate::steps::{Safety, safety};
use crate::wizard::case::{AnswerValue, Case};

/// The safety rule, checked at run time too: before `confirm`, `contact` or `review`, the
/// trail must hold a `debt` step answered with zero and a `verify` step answered.
/// Returns the first step that must be answered (again).
pub fn missing_prerequisite(case: &Case, product: &Product) -> Option<String> {
    let current = product.step(&case.step)?;
    if !safety(current.kind()).needs_checks() {
        return None;
    }
    let walked = || case.trail.iter().filter_map(|s| product.step(s));
    let debt_ok = walked().any(|s| {
        safety(s.kind()) == Safety::DebtCheck
            && case.answer(s.id()).is_some_and(AnswerValue::nothing_owed)
    });
    let verify_ok = walked().any(|s| {
        safety(s.kind()) == Safety::IdentityCheck
            && matches!(case.answer(s.id()), Some(AnswerValue::Verified { .. }))
    });
    let first_of = |role: Safety| {
        walked()
            .find(|s| safety(s.kind()) == role)
            .or_else(|| product.steps().iter().find(|s| safety(s.kind()) == role))
            .map(|s| s.id().to_owned())
    };
    if !debt_ok {
        return first_of(Safety::DebtCheck).or_else(|| Some(product.first_step().id().to_owned()));
    }
    if !verify_ok {
        return first_of(Safety::IdentityCheck)
            .or_else(|| Some(product.first_step().id().to_owned()));
    }
    None
}
