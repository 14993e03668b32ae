//! Outcome: the end of the road — closed, nothing to close, or who to ask next.

use super::{Doc, StepCtx, step_text};
use crate::content::OutcomeKind;
use crate::report::state_name;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    let (theme, lang) = (ctx.theme, ctx.lang);
    let style = match ctx.step.outcome().map(|o| o.result) {
        Some(OutcomeKind::Closed | OutcomeKind::NothingToClose) => theme.ok,
        _ => theme.key,
    };
    doc.text(
        &format!("● {}", state_name(ctx.content, ctx.case.state, lang)),
        style,
    );
    doc.blank();
    step_text(doc, ctx);
    doc.text(
        &ui.contact_hotline.fill(
            lang,
            &[("hotline", &ctx.product.info.hotline_text(ui, lang))],
        ),
        theme.text,
    );
    doc.blank();
    let hint = if ctx.demo {
        &ui.outcome_home_demo
    } else {
        &ui.outcome_home
    };
    doc.text(hint.get(lang), theme.dim);
}
