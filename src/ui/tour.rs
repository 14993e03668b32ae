//! The attract loop's caption box (`xiaohu demo play`): drawn over the bottom of the body,
//! above the notice and footer, in the language on screen, with a line saying that any key
//! hands the wizard to the person watching.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::{MIN_HEIGHT, MIN_WIDTH, Theme, doc, footer, notice_text};
use crate::content::Content;
use crate::wizard::Model;
use crate::wizard::tour::Caption;

/// Draws `caption` over a frame `render` has drawn. Nothing on the too-small screen or
/// under help: both must stay readable whole.
pub fn caption(
    frame: &mut Frame,
    model: &Model,
    content: &Content,
    theme: &Theme,
    caption: &Caption,
) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT || model.help {
        return;
    }
    let (ui, lang) = (&content.ui, model.lang);
    let (text, style) = match caption {
        Caption::Scene(text) => (text.get(lang).to_owned(), theme.text),
        Caption::OffScript { expected, actual } => (
            ui.tour_off_script
                .fill(lang, &[("expected", expected), ("actual", actual)]),
            theme.error,
        ),
        Caption::NoCode => (ui.tour_no_code.get(lang).to_owned(), theme.error),
    };
    // Inside the body's border and margin, like the body text.
    let width = area.width.saturating_sub(4);
    let room = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = doc::wrap(&text, room, "", "")
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    // The stop messages say themselves what a key does now.
    if matches!(caption, Caption::Scene(_)) {
        lines.push(Line::styled(ui.tour_hint.get(lang).to_owned(), theme.dim));
    }
    // The same heights `render` gave the notice and the footer, so the box sits just above.
    let notice = model
        .notice
        .as_ref()
        .map(|n| {
            doc::wrap(
                &notice_text(n, content, lang),
                usize::from(area.width),
                "",
                "",
            )
        })
        .map_or(1, |l| l.len().clamp(1, 2));
    let footer = footer::lines(model, content, theme, area.width).len();
    let below = u16::try_from(notice + footer + 1).unwrap_or(u16::MAX);
    let body = area.height.saturating_sub(below + 2);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(body);
    let y = area.bottom().saturating_sub(below + height);
    let popup = Rect::new(area.x + 2, y, width, height).intersection(area);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme.demo)
        .title(Span::styled(
            format!(" {} ", ui.tour_title.get(lang)),
            theme.demo,
        ));
    let inner = block.inner(popup).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(lines), inner);
}
