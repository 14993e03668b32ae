//! `confirm`: a deliberate act — the person types the word.

use super::{Doc, StepCtx, step_text};
use crate::wizard::Hint;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    step_text(doc, ctx);
    doc.text(ui.confirm_prompt.get(ctx.lang), ctx.theme.title);
    doc.blank();
    if let Some(input) = ctx.view.inputs.first() {
        doc.field("> ", input, true, ctx.theme.key, ctx.theme.field);
    }
    if ctx.view.hint == Some(Hint::ConfirmMismatch) {
        doc.blank();
        doc.text(ui.confirm_mismatch.get(ctx.lang), ctx.theme.error);
    }
}
