//! The attract loop's caption box (`xiaohu demo play`): a band of its own between the body
//! and the notice, so the body shrinks (keeping its selection in sight and its scroll marks)
//! rather than being covered. In the language on screen, with a line saying that any key
//! hands the wizard to the person watching.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, doc};
use crate::content::Content;
use crate::wizard::Model;
use crate::wizard::tour::Caption;

/// The caption's lines, wrapped to fit inside a box `width` columns wide.
pub fn lines(
    caption: &Caption,
    model: &Model,
    content: &Content,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let (ui, lang) = (&content.ui, model.lang);
    let (text, style) = match caption {
        Caption::Scene(text) => (text.get(lang).to_owned(), theme.text),
        Caption::OffScript { expected, actual } => {
            let (expected, actual) = (
                step_name(expected, model, content),
                step_name(actual, model, content),
            );
            (
                ui.tour_off_script
                    .fill(lang, &[("expected", &expected), ("actual", &actual)]),
                theme.error,
            )
        }
        Caption::NoCode => (ui.tour_no_code.get(lang).to_owned(), theme.error),
    };
    let room = usize::from(width.saturating_sub(4));
    let text = theme.glyphs.text(&text);
    let mut lines: Vec<Line> = doc::wrap(&text, room, "", "")
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    // The stop messages say themselves what a key does now.
    if matches!(caption, Caption::Scene(_)) {
        for l in doc::wrap(&theme.glyphs.text(ui.tour_hint.get(lang)), room, "", "") {
            lines.push(Line::styled(l, theme.dim));
        }
    }
    lines
}

/// A step as a person knows it, by its title, with the id a script author looks for.
fn step_name(id: &str, model: &Model, content: &Content) -> String {
    let title = model
        .case
        .as_ref()
        .and_then(|c| content.product(&c.product))
        .and_then(|p| p.step(id))
        .map(|s| s.title.get(model.lang));
    match title {
        Some(title) => format!("{title} ({id})"),
        None => id.to_owned(),
    }
}

/// Draws the box `lines` were made for into `area` (their count plus two rows).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    model: &Model,
    content: &Content,
    theme: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.glyphs.popup_border)
        .border_style(theme.demo)
        .title(Span::styled(
            format!(
                " {} ",
                theme.glyphs.line(content.ui.tour_title.get(model.lang))
            ),
            theme.demo,
        ));
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}
