//! The demo's simulated phone, as the verify step describes it (`steps::Block::Phone`):
//! drawn as a handset of its own, framed apart from the wizard's text, so what it asks for
//! is plainly the phone's page and not this program's.

use ratatui::text::{Line, Span};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

use super::{Doc, StepCtx};
use crate::content::VerifyMethod;
use crate::wizard::model::{PHONE_TRIES, Phone};

/// Widest the handset gets: a phone, not a second screen.
const PHONE_WIDTH: usize = 44;

/// The simulated phone: its message with the code, the masked digits, tries and (for an
/// SMS code) the resend countdown, inside a frame; under it, what the keyboard stands for.
pub fn panel(doc: &mut Doc, ctx: &StepCtx, phone: &Phone) {
    let (ui, lang, theme) = (ctx.ui, ctx.lang, ctx.theme);
    let outer = PHONE_WIDTH.min(doc.width());
    let margin = usize::from(doc.width() >= outer + 2) * 2;
    let inner_width = outer.saturating_sub(4).max(1);
    let mut inner = Doc::new(u16::try_from(inner_width).unwrap_or(u16::MAX), theme.glyphs);
    inner.text(ui.phone_title.get(lang), theme.demo);
    let message = match phone.method {
        VerifyMethod::PaymentPassword => &ui.phone_password,
        _ => &ui.phone_sms,
    };
    inner.text(&message.fill(lang, &[("code", &phone.code)]), theme.key);
    // What is typed is never drawn: one dot per digit.
    let typed = ctx
        .view
        .inputs
        .first()
        .map_or(0, |i| i.value().chars().count());
    let masked = Input::new(ctx.theme.glyphs.mask.repeat(typed));
    let takes = phone.takes_code(ctx.clock);
    inner.field(
        ui.phone_prompt.get(lang),
        &masked,
        takes,
        theme.key,
        theme.field,
    );
    let locked_for = ctx.clock.map_or(0, |now| phone.locked_for(now));
    let resend_in = ctx.clock.map_or(0, |now| phone.resend_in(now));
    if !takes {
        match phone.resends() {
            true => inner.text(ui.phone_locked.get(lang), theme.error),
            false => {
                let s = locked_for.to_string();
                inner.text(
                    &ui.phone_locked_password.fill(lang, &[("s", &s)]),
                    theme.error,
                );
            }
        }
    } else {
        if phone.wrong && !phone.locked() {
            inner.text(ui.phone_wrong.get(lang), theme.error);
        }
        if phone.short {
            inner.text(ui.phone_short.get(lang), theme.error);
        }
        // A lapsed password lock gives its tries back with the next key.
        let left = if phone.locked() {
            PHONE_TRIES
        } else {
            phone.tries_left
        };
        let n = left.to_string();
        inner.text(&ui.phone_tries.fill(lang, &[("n", &n)]), theme.dim);
    }
    if phone.wait {
        match phone.resends() {
            true if resend_in > 0 => {
                let s = resend_in.to_string();
                inner.text(&ui.phone_wait.fill(lang, &[("s", &s)]), theme.error);
            }
            true => {}
            false => inner.text(ui.phone_no_resend.get(lang), theme.error),
        }
    }
    // Only an SMS code is sent again; a password has no countdown to show.
    if phone.resends() {
        if resend_in > 0 {
            let s = resend_in.to_string();
            inner.text(&ui.phone_resend_in.fill(lang, &[("s", &s)]), theme.dim);
        } else {
            inner.text(ui.phone_resend_now.get(lang), theme.dim);
        }
    }
    frame(doc, inner, ctx, margin, inner_width);
    doc.text(ui.phone_caption.get(lang), theme.dim);
}

/// `inner`'s lines in a handset's outline: the earpiece at the top, the home button at the
/// bottom, `margin` columns in from the left. Its cursor and focus move with it.
fn frame(doc: &mut Doc, inner: Doc, ctx: &StepCtx, margin: usize, inner_width: usize) {
    let (set, style) = (ctx.theme.glyphs.border, ctx.theme.demo);
    let pad = " ".repeat(margin);
    let edge = |left: &str, middle: &str, right: &str| {
        let run = inner_width + 2 - middle.width();
        let before = run / 2;
        Line::styled(
            format!(
                "{pad}{left}{}{middle}{}{right}",
                set.horizontal_top.repeat(before),
                set.horizontal_top.repeat(run - before),
            ),
            style,
        )
    };
    doc.blank();
    doc.lines.push(edge(set.top_left, "    ", set.top_right));
    let start = doc.lines.len();
    for line in inner.lines {
        let used: usize = line.spans.iter().map(|s| s.content.width()).sum();
        let mut spans = vec![Span::styled(format!("{pad}{} ", set.vertical_left), style)];
        spans.extend(
            line.spans
                .into_iter()
                .map(|s| Span::styled(s.content, line.style.patch(s.style))),
        );
        spans.push(Span::raw(" ".repeat(inner_width.saturating_sub(used))));
        spans.push(Span::styled(format!(" {}", set.vertical_right), style));
        doc.lines.push(Line::from(spans));
    }
    doc.lines
        .push(edge(set.bottom_left, " o ", set.bottom_right));
    if let Some((line, column)) = inner.cursor {
        let shift = u16::try_from(margin + 2).unwrap_or(0);
        doc.cursor = Some((start + line, column + shift));
    }
    // From the field to the bottom edge: the tries and the countdown stay in view with it.
    if let Some((a, _)) = inner.focus {
        doc.focus = Some((start + a, doc.lines.len() - 1));
    }
}
