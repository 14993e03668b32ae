//! `debt`: an amount field per thing the product can owe; above zero, the blocked screen.

use super::{Doc, StepCtx, step_text};
use crate::wizard::Hint;
use crate::wizard::money::{AmountError, format_cents};

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    let (theme, lang, view) = (ctx.theme, ctx.lang, ctx.view);
    let Some(debt) = ctx.step.debt() else {
        return;
    };
    if let Some(total) = view.blocked {
        doc.text(
            &ui.debt_blocked_title
                .fill(lang, &[("amount", &format_cents(total))]),
            theme.error,
        );
        doc.blank();
        doc.text(debt.repay.get(lang), theme.text);
        doc.blank();
        let body = if ctx.demo {
            ui.debt_blocked_body_demo.get(lang).to_owned()
        } else {
            ui.debt_blocked_body.fill(lang, &[("id", &ctx.case.id)])
        };
        doc.text(&body, theme.text);
        doc.blank();
        doc.text(ui.debt_blocked_action.get(lang), theme.key);
        return;
    }
    step_text(doc, ctx);
    let last = debt.last(ctx.step, ctx.case);
    let label_width = debt
        .fields
        .iter()
        .map(|f| unicode_width::UnicodeWidthStr::width(f.label.get(lang)))
        .max()
        .unwrap_or(0);
    for (i, field) in debt.fields.iter().enumerate() {
        let on = i == view.cursor;
        let label = field.label.get(lang);
        let pad = label_width - unicode_width::UnicodeWidthStr::width(label);
        let label = format!(
            "{}{label}{} ¥ ",
            if on { "▶ " } else { "  " },
            " ".repeat(pad)
        );
        let style = if on { theme.key } else { theme.text };
        if let Some(input) = view.inputs.get(i) {
            doc.field(&label, input, on, style, theme.field);
        }
        let mut notes = Vec::new();
        if let Some(hint) = &field.hint {
            notes.push((hint.get(lang).to_owned(), theme.dim));
        }
        if let Some(c) = last.and_then(|l| l.get(field.id.get_ref())) {
            notes.push((
                ui.debt_last_time
                    .fill(lang, &[("amount", &format_cents(*c))]),
                theme.dim,
            ));
        }
        if let Some(Some(err)) = view.errors.get(i) {
            notes.push((error_text(ctx, *err).to_owned(), theme.error));
        }
        for (text, style) in notes {
            doc.row("    ", &text, style, false);
        }
    }
    doc.blank();
    if view.hint == Some(Hint::AmountsInvalid) {
        doc.text(ui.err_amounts_invalid.get(lang), theme.error);
    }
}

fn error_text<'a>(ctx: &'a StepCtx, err: AmountError) -> &'a str {
    let ui = &ctx.content.ui;
    let text = match err {
        AmountError::Empty => &ui.err_amount_empty,
        AmountError::Negative => &ui.err_amount_negative,
        AmountError::NotANumber => &ui.err_amount_not_number,
        AmountError::TooManyDecimals => &ui.err_amount_decimals,
        AmountError::TooLarge => &ui.err_amount_too_large,
    };
    text.get(ctx.lang)
}
