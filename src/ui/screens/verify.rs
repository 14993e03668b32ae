//! `verify`: the person proves who they are in the real app; here they say which way.

use super::{Doc, StepCtx, choices, step_text};
use crate::report::method_name;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    step_text(doc, ctx);
    doc.text(ui.verify_never_type.get(ctx.lang), ctx.theme.key);
    doc.blank();
    doc.text(ui.verify_question.get(ctx.lang), ctx.theme.title);
    let labels: Vec<&str> = ctx
        .step
        .methods()
        .map(|m| method_name(ctx.content, m, ctx.lang))
        .collect();
    choices(doc, ctx, &labels, ctx.view.cursor);
    if ctx.demo {
        doc.blank();
        doc.text(ui.verify_demo.get(ctx.lang), ctx.theme.demo);
    }
}
