//! The safety rule, at run time: a second lock behind the validator's.

use crate::content::{Product, StepKind};
use crate::wizard::case::{AnswerValue, Case};

/// The safety rule, checked at run time too: before `confirm`, `contact` or `review`, the
/// trail must hold a `debt` step answered with zero and a `verify` step answered.
/// Returns the first step that must be answered (again).
pub fn missing_prerequisite(case: &Case, product: &Product) -> Option<String> {
    let current = product.step(&case.step)?;
    if !matches!(
        current.kind(),
        StepKind::Confirm | StepKind::Contact | StepKind::Review | StepKind::Followup
    ) {
        return None;
    }
    let walked = || case.trail.iter().filter_map(|s| product.step(s));
    let debt_ok = walked().any(|s| {
        s.kind() == StepKind::Debt && case.answer(s.id()).is_some_and(AnswerValue::nothing_owed)
    });
    let verify_ok = walked().any(|s| {
        s.kind() == StepKind::Verify
            && matches!(case.answer(s.id()), Some(AnswerValue::Verified { .. }))
    });
    let first_of = |kind: StepKind| {
        walked()
            .find(|s| s.kind() == kind)
            .or_else(|| product.steps.iter().find(|s| s.kind() == kind))
            .map(|s| s.id().to_owned())
    };
    if !debt_ok {
        return first_of(StepKind::Debt).or_else(|| Some(product.first_step().id().to_owned()));
    }
    if !verify_ok {
        return first_of(StepKind::Verify).or_else(|| Some(product.first_step().id().to_owned()));
    }
    None
}
