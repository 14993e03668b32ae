//! `contact`: the route to a person, what to have ready, what to say; the reference is noted.

use super::{Doc, StepCtx, step_text};
use crate::content::Lang;
use crate::wizard::Hint;

pub fn build(doc: &mut Doc, ctx: &StepCtx) {
    let ui = &ctx.content.ui;
    let (theme, lang) = (ctx.theme, ctx.lang);
    let Some(step) = ctx.step.contact() else {
        return;
    };
    step_text(doc, ctx);
    doc.text(ui.contact_channels.get(lang), theme.title);
    for channel in &step.channels {
        doc.row("• ", channel.get(lang), theme.text, false);
    }
    doc.row(
        "• ",
        &ui.contact_hotline.fill(
            lang,
            &[("hotline", &ctx.product.info.hotline_text(ui, lang))],
        ),
        theme.text,
        false,
    );
    if !step.prepare.is_empty() {
        doc.blank();
        doc.text(ui.contact_prepare.get(lang), theme.title);
        for item in &step.prepare {
            doc.row("• ", item.get(lang), theme.text, false);
        }
    }
    if let Some(say) = &step.say {
        doc.blank();
        doc.text(ui.contact_say.get(lang), theme.title);
        doc.row("  ", &format!("“{}”", say.get(lang)), theme.text, false);
        // The agent speaks Chinese: in English, show the words to say too.
        if lang == Lang::En {
            doc.row("  ", &format!("“{}”", say.zh), theme.text, false);
        }
    }
    doc.blank();
    // Above the field, so it is in view when the field is: a refused secret must be seen.
    let refused = ctx.view.hint == Some(Hint::LooksSecret);
    if refused {
        doc.text(ui.contact_looks_secret.get(lang), theme.error);
    }
    if let Some(input) = ctx.view.inputs.first() {
        // The note is optional: the screen opens at the top, where the route is; once the
        // person types (or a secret was refused), the field scrolls into view.
        let focused = !input.value().is_empty() || refused;
        doc.field(
            ui.contact_reference.get(lang),
            input,
            focused,
            theme.key,
            theme.field,
        );
    }
    doc.text(ui.contact_done.get(lang), theme.dim);
}
