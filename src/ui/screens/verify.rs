//! `verify`: the person proves who they are in the real app; here they say which way.

use super::{Doc, StepCtx, choices, step_text};
use crate::content::VerifyMethod;
use crate::report::method_name;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    step_text(doc, ctx);
    // Where an agent checks the person, codes may go to that agent; elsewhere to no one.
    let agent = ctx.step.methods().any(|m| m == VerifyMethod::AgentId);
    let (warning, question) = if agent {
        (&ui.verify_never_type_agent, &ui.verify_question_agent)
    } else {
        (&ui.verify_never_type, &ui.verify_question)
    };
    doc.text(warning.get(ctx.lang), ctx.theme.key);
    doc.blank();
    doc.text(question.get(ctx.lang), ctx.theme.title);
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
