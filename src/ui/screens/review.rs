//! `review`: submitted; when to expect the result (business days); what happened since.

use super::{Doc, StepCtx, choices, step_text};
use crate::wizard::case::{AnswerValue, ReviewResult};
use crate::wizard::update::REVIEW_CHOICES;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    let (theme, lang) = (ctx.theme, ctx.lang);
    step_text(doc, ctx);
    if let Some(AnswerValue::Review(r)) = ctx.case.answer(ctx.step.id()) {
        doc.text(
            &ui.review_submitted.fill(
                lang,
                &[("date", &r.submitted.format("%Y-%m-%d %H:%M").to_string())],
            ),
            theme.text,
        );
        if r.business_days == 0 {
            doc.text(ui.review_immediate.get(lang), theme.title);
        } else {
            doc.text(
                &ui.review_expected.fill(
                    lang,
                    &[
                        ("date", &r.expected.format("%Y-%m-%d").to_string()),
                        ("n", &r.business_days.to_string()),
                    ],
                ),
                theme.title,
            );
        }
        if !r.from_tables {
            doc.text(
                &ui.review_no_table
                    .fill(lang, &[("year", &r.expected.format("%Y").to_string())]),
                theme.key,
            );
        }
        doc.blank();
    }
    doc.text(ui.review_question.get(lang), theme.title);
    let labels: Vec<&str> = REVIEW_CHOICES
        .iter()
        .map(|choice| match choice {
            ReviewResult::Closed => ui.review_closed.get(lang),
            ReviewResult::Rejected => ui.review_rejected.get(lang),
            ReviewResult::Waiting => ui.review_waiting.get(lang),
        })
        .collect();
    choices(doc, ctx, &labels, ctx.view.cursor);
}
