//! `status`: what the product page shows, each option leading on.

use super::{Doc, StepCtx, choices, step_text};

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    step_text(doc, ctx);
    let labels: Vec<&str> = ctx
        .step
        .options()
        .iter()
        .map(|o| o.label.get(ctx.lang))
        .collect();
    choices(doc, ctx, &labels, ctx.view.cursor);
}
