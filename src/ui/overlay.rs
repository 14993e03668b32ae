//! What lies over or beside the screen: the help overlay and the progress-log pane.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use super::doc::{Doc, truncate};
use crate::content::Content;
use crate::keymap;
use crate::report::describe;
use crate::wizard::Model;

pub fn help(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let ui = &content.ui;
    let lang = model.lang;
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2).min(18);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.glyphs.popup_border)
        .border_style(theme.title)
        .title(Span::styled(
            format!(" {} ", theme.glyphs.line(ui.help_title.get(lang))),
            theme.title,
        ))
        .title_bottom(Span::styled(" Esc ", theme.key));
    let inner = block.inner(popup).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, popup);
    let mut doc = Doc::new(inner.width, theme.glyphs);
    for line in keymap::help_lines(ui, lang, model.kiosk) {
        doc.row("", &line, theme.text, false);
    }
    doc.blank();
    // On a kiosk F4 and Ctrl-C do nothing, so they are not offered.
    let fields = if model.kiosk {
        &ui.help_text_fields_kiosk
    } else {
        &ui.help_text_fields
    };
    doc.text(fields.get(lang), theme.dim);
    doc.text(ui.help_saved.get(lang), theme.ok);
    doc.render(frame, inner, 0);
}

/// The case's log, newest at the bottom, in the screen's language.
pub fn log_pane(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let lang = model.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.glyphs.border)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", theme.glyphs.line(&log_title(model, content, area))),
            theme.title,
        ));
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, area);
    let Some(case) = &model.case else {
        let empty = theme
            .glyphs
            .line(content.ui.log_empty.get(lang))
            .into_owned();
        frame.render_widget(Paragraph::new(empty), inner);
        return;
    };
    let product = content.product(&case.product);
    let height = usize::from(inner.height);
    let lines: Vec<Line> = case
        .log
        .iter()
        .rev()
        .take(height)
        .rev()
        .map(|e| {
            let time = format!("{} ", e.at.format("%m-%d %H:%M"));
            let room = usize::from(inner.width).saturating_sub(time.len());
            Line::from(vec![
                Span::styled(time, theme.dim),
                Span::styled(
                    truncate(&describe(e, content, product, lang), room, &theme.glyphs),
                    theme.text,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The agent panel: the step's `agent` notes, then as much of the log as fits, newest last.
pub fn agent_pane(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let (ui, lang) = (&content.ui, model.lang);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.glyphs.border)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", theme.glyphs.line(ui.agent_title.get(lang))),
            theme.title,
        ));
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, area);
    let Some(case) = &model.case else {
        return;
    };
    let product = content.product(&case.product);
    let step = product.and_then(|p| p.step(&case.step));
    let width = usize::from(inner.width);
    let notes = step
        .and_then(|s| s.agent.as_ref())
        .map_or(ui.agent_none.get(lang), |t| t.get(lang));
    let notes = theme.glyphs.text(notes);
    let mut lines: Vec<Line> = super::doc::wrap(&notes, width, "", "")
        .into_iter()
        .map(|l| Line::styled(l, theme.text))
        .collect();
    let room = usize::from(inner.height).saturating_sub(lines.len() + 2);
    if room > 0 {
        lines.push(Line::raw(""));
        let heading = theme.glyphs.line(ui.agent_log.get(lang)).into_owned();
        lines.push(Line::styled(heading, theme.title));
        let start = case.log.len().saturating_sub(room);
        for e in &case.log[start..] {
            let time = format!("{} ", e.at.format("%H:%M"));
            let rest = width.saturating_sub(time.len());
            lines.push(Line::from(vec![
                Span::styled(time, theme.dim),
                Span::styled(
                    truncate(&describe(e, content, product, lang), rest, &theme.glyphs),
                    theme.text,
                ),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Progress log (5 of 23)": how much of the log the pane shows; `xiaohu log` prints it all.
fn log_title(model: &Model, content: &Content, area: Rect) -> String {
    let total = model.case.as_ref().map_or(0, |c| c.log.len());
    let shown = total.min(usize::from(area.height.saturating_sub(2)));
    content.ui.log_title.fill(
        model.lang,
        &[("shown", &shown.to_string()), ("total", &total.to_string())],
    )
}
