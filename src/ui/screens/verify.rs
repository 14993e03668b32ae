//! `verify`: the person proves who they are in the real app; here they say which way.

use super::{Doc, StepCtx, choices, step_text};
use tui_input::Input;

use crate::content::VerifyMethod;
use crate::report::method_name;
use crate::wizard::model::Phone;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    step_text(doc, ctx);
    // Where an agent checks the person, codes may go to that agent; elsewhere to no one.
    let methods = ctx.step.verify().map(|v| v.methods.as_slice());
    let methods = methods.unwrap_or_default();
    let agent = methods.contains(&VerifyMethod::AgentId);
    let (warning, question) = if agent {
        (&ui.verify_never_type_agent, &ui.verify_question_agent)
    } else {
        (&ui.verify_never_type, &ui.verify_question)
    };
    doc.text(warning.get(ctx.lang), ctx.theme.key);
    doc.blank();
    doc.text(question.get(ctx.lang), ctx.theme.title);
    let labels: Vec<&str> = methods
        .iter()
        .map(|m| method_name(ctx.content, *m, ctx.lang))
        .collect();
    choices(doc, ctx, &labels, ctx.view.cursor);
    if let Some(phone) = &ctx.view.phone {
        phone_panel(doc, ctx, phone);
        return;
    }
    if ctx.demo {
        doc.blank();
        doc.text(ui.verify_demo.get(ctx.lang), ctx.theme.demo);
    }
}

/// The simulated phone: the message with its code, the masked field, tries and countdown.
fn phone_panel(doc: &mut Doc, ctx: &StepCtx, phone: &Phone) {
    let (ui, lang, theme) = (&ctx.content.ui, ctx.lang, ctx.theme);
    doc.blank();
    doc.text(ui.phone_title.get(lang), theme.demo);
    let message = match phone.method {
        VerifyMethod::PaymentPassword => &ui.phone_password,
        _ => &ui.phone_sms,
    };
    doc.row(
        "  ",
        &message.fill(lang, &[("code", &phone.code)]),
        theme.key,
        false,
    );
    doc.blank();
    // What is typed is never drawn: one dot per digit.
    let typed = ctx
        .view
        .inputs
        .first()
        .map_or(0, |i| i.value().chars().count());
    let masked = Input::new("•".repeat(typed));
    doc.field(
        ui.phone_prompt.get(lang),
        &masked,
        !phone.locked(),
        theme.key,
        theme.field,
    );
    if phone.locked() {
        doc.text(ui.phone_locked.get(lang), theme.error);
    } else {
        if phone.wrong {
            doc.text(ui.phone_wrong.get(lang), theme.error);
        }
        let n = phone.tries_left.to_string();
        doc.text(&ui.phone_tries.fill(lang, &[("n", &n)]), theme.dim);
    }
    let wait = ctx.clock.map_or(0, |now| phone.resend_in(now));
    if wait > 0 {
        let s = wait.to_string();
        doc.text(&ui.phone_resend_in.fill(lang, &[("s", &s)]), theme.dim);
    } else {
        doc.text(ui.phone_resend_now.get(lang), theme.dim);
    }
}
