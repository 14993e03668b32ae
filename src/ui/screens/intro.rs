//! `intro`: what the product is, who provides it, why people close it.

use super::{Doc, StepCtx, step_text};

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let info = &ctx.product.info;
    doc.text(
        &format!(
            "{} — {}",
            info.name.get(ctx.lang),
            info.provider.get(ctx.lang)
        ),
        ctx.theme.title,
    );
    doc.text(info.summary.get(ctx.lang), ctx.theme.dim);
    doc.blank();
    step_text(doc, ctx);
}
