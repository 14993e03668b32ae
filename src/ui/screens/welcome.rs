//! The start page: start a new case, or pick up an unfinished one.

use super::Doc;
use crate::content::Content;
use crate::report::{state_name, step_title};
use crate::ui::Theme;
use crate::wizard::Model;

pub fn build(doc: &mut Doc, model: &Model, content: &Content, theme: &Theme, selected: usize) {
    let ui = &content.ui;
    let lang = model.lang;
    if model.demo {
        doc.text(ui.demo_welcome.get(lang), theme.demo);
    } else if model.kiosk {
        // Not "quit at any time and continue later": neither is possible here.
        let names: Vec<&str> = content
            .products
            .iter()
            .map(|p| p.info.name.get(lang))
            .collect();
        let list = names.join(ui.welcome_products_sep.get(lang));
        let intro = ui.welcome_intro_kiosk.fill(lang, &[("products", &list)]);
        doc.text(&intro, theme.text);
    } else {
        doc.text(&content.welcome_intro(lang), theme.text);
    }
    doc.blank();
    let row = |doc: &mut Doc, i: usize, text: &str| {
        let on = i == selected;
        let style = if on { theme.selected } else { theme.text };
        doc.row(&super::marker(&theme.glyphs, on), text, style, on);
    };
    row(doc, 0, ui.welcome_new.get(lang));
    doc.blank();
    if model.kiosk {
        // A public terminal: not even that there are saved cases, or which files are damaged.
        doc.text(ui.not_the_bank.get(lang), theme.dim);
        return;
    }
    doc.text(ui.welcome_saved.get(lang), theme.title);
    let resumable = model.resumable();
    if resumable.is_empty() {
        doc.text(ui.welcome_no_saved.get(lang), theme.dim);
    }
    for (i, case) in resumable.iter().enumerate() {
        let product = content.product(&case.product);
        // An unknown product's id comes from the file as it is: shown safe, never raw.
        let raw = crate::safe_text::line(&case.product);
        let name = product.map_or(raw.as_ref(), |p| p.info.name.get(lang));
        let sep = theme.glyphs.separator;
        let text = format!(
            "{name}{sep}{}{sep}{}",
            state_name(content, &case.product, case.state, lang),
            step_title(product, &case.step, lang),
        );
        row(doc, i + 1, &text);
        let when = case.updated.format("%Y-%m-%d %H:%M");
        doc.row("    ", &format!("{}{sep}{when}", case.id), theme.dim, false);
    }
    for (path, reason) in &model.damaged {
        doc.text(
            &ui.welcome_damaged
                .fill(lang, &[("path", path), ("error", reason)]),
            theme.error,
        );
    }
    doc.blank();
    doc.text(ui.not_the_bank.get(lang), theme.dim);
}
