//! Drawing: a pure function of (model, content, theme) onto a ratatui frame. No IO.
//!
//! Every screen is a header (product, "n/m", DEMO, language), a bordered body built as a
//! [`doc::Doc`] by the screen's module, a notice line and a footer with the keys that work.

pub mod doc;
pub mod footer;
pub mod overlay;
pub mod screens;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::content::Content;
use crate::wizard::{Model, Screen};
pub use theme::Theme;

pub use crate::wizard::model::{MIN_HEIGHT, MIN_WIDTH};

pub fn render(frame: &mut Frame, model: &Model, content: &Content, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, model, content, theme);
        return;
    }
    let log_below = model.show_log && area.width < 120;
    let log_beside = model.show_log && !log_below;
    let [header, middle, notice, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (main, log_area) = if log_below {
        let [m, l] = Layout::vertical([Constraint::Min(6), Constraint::Length(7)]).areas(middle);
        (m, Some(l))
    } else if log_beside {
        let [m, l] =
            Layout::horizontal([Constraint::Min(60), Constraint::Percentage(38)]).areas(middle);
        (m, Some(l))
    } else {
        (middle, None)
    };

    screens::header(frame, header, model, content, theme);
    let body = screens::body(model, content, theme, main.width.saturating_sub(4));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", body.title), theme.title));
    let inner = block.inner(main).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(&block, main);
    let scroll = match &model.screen {
        Screen::Step(view) => view.scroll,
        _ => 0,
    };
    let (above, below) = body.doc.render(frame, inner, scroll);
    scroll_marks(frame, main, above, below, theme);
    if let Some(log_area) = log_area {
        overlay::log_pane(frame, log_area, model, content, theme);
    }
    if let Some(n) = &model.notice {
        let style = if n.is_error { theme.error } else { theme.ok };
        frame.render_widget(Paragraph::new(Line::styled(n.text.clone(), style)), notice);
    }
    footer::render(frame, footer_area, model, content, theme);
    if model.help {
        overlay::help(frame, area, model, content, theme);
    }
}

/// Arrows on the body's border when text is scrolled out of sight.
fn scroll_marks(frame: &mut Frame, area: Rect, above: bool, below: bool, theme: &Theme) {
    let x = area.right().saturating_sub(6);
    if above {
        frame.render_widget(Span::styled(" ↑ ", theme.key), Rect::new(x, area.y, 3, 1));
    }
    if below {
        frame.render_widget(
            Span::styled(" ↓ ", theme.key),
            Rect::new(x, area.bottom().saturating_sub(1), 3, 1),
        );
    }
}

fn too_small(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let text = content.ui.enlarge.fill(
        model.lang,
        &[
            ("w", &MIN_WIDTH.to_string()),
            ("h", &MIN_HEIGHT.to_string()),
            ("cw", &area.width.to_string()),
            ("ch", &area.height.to_string()),
        ],
    );
    // Wrapped by textwrap, not the Paragraph widget: at a width of one or two columns its
    // wrapping of double-width characters indexes past the buffer's edge.
    let lines: Vec<Line> = doc::wrap(&text, usize::from(area.width), "", "")
        .into_iter()
        .filter(|l| l.width() <= usize::from(area.width))
        .map(|l| Line::styled(l, theme.text))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
