//! The product list, grouped by platform, filtered as the person types.

use tui_input::Input;

use super::Doc;
use crate::content::{Content, Lang};
use crate::ui::Theme;
use crate::wizard::update::picker_matches;

pub fn build(
    doc: &mut Doc,
    content: &Content,
    theme: &Theme,
    lang: Lang,
    filter: &Input,
    selected: usize,
) {
    let ui = &content.ui;
    doc.field(
        ui.picker_filter.get(lang),
        filter,
        true,
        theme.key,
        theme.field,
    );
    doc.text(ui.picker_hint.get(lang), theme.dim);
    let matches = picker_matches(content, filter.value());
    if matches.is_empty() {
        doc.blank();
        doc.text(ui.picker_none.get(lang), theme.error);
        return;
    }
    let cursor = doc.cursor;
    let mut platform = "";
    for (row, &i) in matches.iter().enumerate() {
        let product = &content.products[i];
        let info = &product.info;
        if info.platform.id != platform {
            if platform.is_empty() {
                doc.blank();
            }
            platform = &info.platform.id;
            doc.text(info.platform.name.get(lang), theme.title);
        }
        let on = row == selected;
        let style = if on { theme.selected } else { theme.text };
        // In English the Chinese name follows: it is what the phone's screen says.
        let dash = theme.glyphs.dash;
        let label = match lang {
            Lang::En => format!(
                "{} {}{dash}{}",
                info.name.en, info.name.zh, info.provider.en
            ),
            Lang::Zh => format!("{}{dash}{}", info.name.zh, info.provider.zh),
        };
        doc.row(&super::marker(&theme.glyphs, on), &label, style, on);
    }
    if let Some(&i) = matches.get(selected) {
        doc.blank();
        doc.text(content.products[i].info.summary.get(lang), theme.dim);
    }
    // The filter's cursor stays where the person types, whatever row is selected.
    doc.cursor = cursor;
}
