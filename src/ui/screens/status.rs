//! `status`: what the product page shows, each option leading on.

use super::{Doc, StepCtx, choices, step_text};

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    step_text(doc, ctx);
    let options = ctx.step.status().map(|s| s.options.as_slice());
    let labels: Vec<&str> = options
        .unwrap_or_default()
        .iter()
        .map(|o| o.get(ctx.lang))
        .collect();
    choices(doc, ctx, &labels, ctx.view.cursor);
}
