//! `navigate`, `consequences`, `followup`: items to tick, plus an escape row where the step
//! has one ("I can't find it", "it still shows open").

use super::{Doc, StepCtx, step_text};
use crate::content::ExitVia;
use crate::steps::checklist::Role;
use crate::wizard::Hint;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    let (theme, lang, view) = (ctx.theme, ctx.lang, ctx.view);
    let Some(step) = ctx.step.checklist() else {
        return;
    };
    step_text(doc, ctx);
    for (i, item) in step.items.iter().enumerate() {
        let on = i == view.cursor;
        let ticked = view.ticked.get(i).copied().unwrap_or(false);
        let mark = if ticked { "[✓] " } else { "[ ] " };
        let prefix = format!("{}{mark}", if on { "▶ " } else { "  " });
        let style = match (on, ticked) {
            (true, _) => theme.selected,
            (false, true) => theme.ticked,
            _ => theme.text,
        };
        doc.row(&prefix, item.get(lang), style, on);
    }
    let extra = step.escape.map(|via| match via {
        ExitVia::CantFind => &ui.nav_cant_find,
        _ => &ui.follow_still_open,
    });
    if let Some(label) = extra {
        let i = step.items.len();
        let on = view.cursor == i;
        doc.blank();
        let style = if on { theme.selected } else { theme.dim };
        doc.row(if on { "▶ " } else { "  " }, label.get(lang), style, on);
    }
    if view.hint == Some(Hint::TickAll) {
        doc.blank();
        let hint = match step.role {
            Role::Consequences => &ui.cons_tick_all,
            Role::Followup => &ui.follow_tick_all,
            Role::Navigate => &ui.nav_tick_all,
        };
        doc.text(hint.get(lang), theme.error);
    }
}
