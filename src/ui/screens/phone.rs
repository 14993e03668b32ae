//! The demo's simulated phone, as the verify step describes it (`steps::Block::Phone`).

use tui_input::Input;

use super::{Doc, StepCtx};
use crate::content::VerifyMethod;
use crate::wizard::model::Phone;

/// The simulated phone: the message with its code, the masked field, tries and countdown.
pub fn panel(doc: &mut Doc, ctx: &StepCtx, phone: &Phone) {
    let (ui, lang, theme) = (ctx.ui, ctx.lang, ctx.theme);
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
    let masked = Input::new(ctx.theme.glyphs.mask.repeat(typed));
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
