//! Drawing: a pure function of (model, content, theme) onto a ratatui frame. No IO.
//!
//! Every screen is a header (product, "n/m", DEMO, language), a bordered body built as a
//! [`doc::Doc`] by the screen's module, a notice line and a footer with the keys that work.

pub mod doc;
pub mod footer;
pub mod glyphs;
pub mod kiosk;
pub mod overlay;
pub mod screens;
pub mod theme;
pub mod tour;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::content::Content;
use crate::report::notice_text;
use crate::wizard::{Model, Screen};
pub use glyphs::{Ambiguous, Glyphs};
pub use theme::Theme;

pub use crate::wizard::model::{MIN_HEIGHT, MIN_WIDTH};

pub fn render(frame: &mut Frame, model: &Model, content: &Content, theme: &Theme) {
    render_with(frame, model, content, theme, None);
}

/// `render`, with the caption of a tour (`demo play`) in a band above the notice.
pub fn render_with(
    frame: &mut Frame,
    model: &Model,
    content: &Content,
    theme: &Theme,
    caption: Option<&crate::wizard::tour::Caption>,
) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, model, content, theme);
        return;
    }
    // The agent panel includes the log, so it takes the log pane's place.
    let show_agent = model.show_agent && model.case.is_some();
    let show_log = (model.show_log || show_agent) && model.case.is_some();
    let log_below = show_log && area.width < 120;
    let log_beside = show_log && !log_below;
    // The notice takes the lines it needs (at most two), so it is never cut off.
    let notice_lines: Vec<String> = model
        .notice
        .as_ref()
        .map(|n| match model.kiosk {
            true => kiosk::notice_text(n, content, model.lang),
            false => notice_text(n, content, model.lang),
        })
        .map(|t| doc::wrap(&theme.glyphs.text(&t), usize::from(area.width), "", ""))
        .unwrap_or_default();
    let notice_height = u16::try_from(notice_lines.len().clamp(1, 2)).unwrap_or(1);
    let footer_lines = footer::lines(model, content, theme, area.width);
    let footer_height = u16::try_from(footer_lines.len()).unwrap_or(1);
    let caption_lines = caption
        .map(|c| tour::lines(c, model, content, theme, area.width))
        .unwrap_or_default();
    let caption_height = match caption_lines.len() {
        0 => 0,
        n => u16::try_from(n + 2).unwrap_or(u16::MAX),
    };
    let [header, middle, caption_area, notice, footer_area] =
        bands(area, caption_height, notice_height, footer_height);
    let (main, log_area) = if log_below {
        // The agent's notes need more lines than the log's newest entries.
        let pane = if show_agent { middle.height / 2 } else { 7 };
        let [m, l] = Layout::vertical([Constraint::Min(6), Constraint::Length(pane)]).areas(middle);
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
        .border_set(theme.glyphs.border)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", theme.glyphs.line(&body.title)),
            theme.title,
        ));
    let inner = block.inner(main).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(&block, main);
    let scroll = match &model.screen {
        Screen::Step(view) => view.scroll,
        _ => 0,
    };
    let (above, below) = body.doc.render(frame, inner, scroll);
    let pages = matches!(model.screen, Screen::Step(_));
    scroll_marks(frame, main, above, below, pages, theme);
    // The note field lies over the bottom of the body, the step still readable above it.
    overlay::note(frame, main, model, content, theme);
    if let Some(log_area) = log_area {
        if show_agent {
            overlay::agent_pane(frame, log_area, model, content, theme);
        } else {
            overlay::log_pane(frame, log_area, model, content, theme);
        }
    }
    if let Some(n) = &model.notice {
        let style = if n.is_error() { theme.error } else { theme.ok };
        let lines: Vec<Line> = notice_lines
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
        doc::put_lines(frame, notice, &lines);
    }
    // Both cut to the width already: written straight in, as a `Paragraph` would draw them.
    doc::put_lines(frame, footer_area, &footer_lines);
    if !caption_lines.is_empty() {
        tour::draw(frame, caption_area, caption_lines, model, content, theme);
    }
    if model.help {
        overlay::help(frame, area, model, content, theme);
    }
}

/// Arrows on the body's border where lines are out of sight; on step screens with the key
/// that scrolls (the footer has no room for it at 80×24). Elsewhere the selection scrolls.
pub(super) fn scroll_marks(
    frame: &mut Frame,
    area: Rect,
    above: bool,
    below: bool,
    pages: bool,
    theme: &Theme,
) {
    let g = &theme.glyphs;
    let (up, down) = if pages {
        (
            format!(" {} PgUp ", g.more_above),
            format!(" {} PgDn ", g.more_below),
        )
    } else {
        (format!(" {} ", g.more_above), format!(" {} ", g.more_below))
    };
    let x = area.right().saturating_sub(11);
    if above {
        let mark = Rect::new(x, area.y, 8, 1).intersection(area);
        frame.render_widget(Span::styled(up, theme.key), mark);
    }
    if below {
        let mark = Rect::new(x, area.bottom().saturating_sub(1), 8, 1).intersection(area);
        frame.render_widget(Span::styled(down, theme.key), mark);
    }
}

fn too_small(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    // A kiosk's visitor cannot quit (Ctrl-C does nothing there): sent to the desk instead.
    let words = match model.kiosk {
        true => &content.ui.enlarge_kiosk,
        false => &content.ui.enlarge,
    };
    let text = words.fill(
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
    let text = theme.glyphs.text(&text);
    let lines: Vec<Line> = doc::wrap(&text, usize::from(area.width), "", "")
        .into_iter()
        .filter(|l| l.width() <= usize::from(area.width))
        .map(|l| Line::styled(l, theme.text))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The screen's bands, top to bottom: the header's line, the middle (at least 6 lines),
/// the caption, the notice and the footer. They are `Layout::vertical` of those
/// constraints, worked out by hand while they fit (a test compares the two at every
/// height): ratatui's constraint solver spends more on its first layout than the rest of
/// the first frame's drawing, and a start has nothing laid out before. A window too short
/// for them is the solver's, as always.
fn bands(area: Rect, caption: u16, notice: u16, footer: u16) -> [Rect; 5] {
    let fixed = 1 + u32::from(caption) + u32::from(notice) + u32::from(footer);
    if u32::from(area.height) < fixed + u32::from(MIDDLE) {
        return Layout::vertical(band_constraints(caption, notice, footer)).areas(area);
    }
    let mut y = area.y;
    let mut band = |height: u16| {
        let band = Rect::new(area.x, y, area.width, height);
        y += height;
        band
    };
    let middle = area.height - (1 + caption + notice + footer);
    [
        band(1),
        band(middle),
        band(caption),
        band(notice),
        band(footer),
    ]
}

/// The middle band's least height.
const MIDDLE: u16 = 6;

/// What `bands` lays out, as the solver's constraints.
fn band_constraints(caption: u16, notice: u16, footer: u16) -> [Constraint; 5] {
    [
        Constraint::Length(1),
        Constraint::Min(MIDDLE),
        Constraint::Length(caption),
        Constraint::Length(notice),
        Constraint::Length(footer),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bands_are_the_layout_of_their_constraints_at_every_size() {
        let mut compared = 0;
        for (x, y) in [(0, 0), (3, 2)] {
            for width in [0, 1, 40, 80, 200] {
                for height in 0..=70 {
                    for caption in [0, 3, 5, 9] {
                        for notice in [1, 2] {
                            for footer in [1, 2, 3, 5] {
                                let area = Rect::new(x, y, width, height);
                                let solved =
                                    Layout::vertical(band_constraints(caption, notice, footer))
                                        .areas::<5>(area);
                                assert_eq!(
                                    bands(area, caption, notice, footer),
                                    solved,
                                    "{area:?}, caption {caption}, notice {notice}, footer {footer}"
                                );
                                compared += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 2 * 5 * 71 * 4 * 2 * 4);
    }
}
