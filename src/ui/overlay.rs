//! What lies over or beside the screen: the help overlay and the progress-log pane.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use super::doc::{Doc, truncate};
use crate::content::Content;
use crate::keymap;
use crate::report::{describe, handled_by, stamp_format};
use crate::wizard::model::NOTE_MAX;
use crate::wizard::{LogEntry, Model, Screen};

pub fn help(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let (ui, lang) = (&content.ui, model.lang);
    let (popup, inner) = help_areas(area);
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
    frame.render_widget(block, popup);
    let doc = help_doc(inner.width, model, content, theme);
    // Scrolled no further than its last line at the bottom.
    let furthest = doc.lines.len().saturating_sub(usize::from(inner.height));
    let offset = usize::from(model.help_scroll).min(furthest);
    let (above, below) = doc.render(frame, inner, i32::try_from(offset).unwrap_or(0));
    super::scroll_marks(frame, popup, above, below, true, theme);
}

/// How far the help can scroll in a window of `size`: the front end holds
/// `Model::help_scroll` to it, so a key up after many down moves at once.
pub fn help_furthest(size: (u16, u16), model: &Model, content: &Content, theme: &Theme) -> u16 {
    let (_, inner) = help_areas(Rect::new(0, 0, size.0, size.1));
    let lines = help_doc(inner.width, model, content, theme).lines.len();
    u16::try_from(lines.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// The help's popup in the middle of `area`, and the text's place inside its border.
fn help_areas(area: Rect) -> (Rect, Rect) {
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2).min(32);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    let inner = popup.inner(ratatui::layout::Margin::new(2, 1));
    (popup, inner)
}

/// Every key and what it does, then how text fields take letters and that all is saved.
fn help_doc(width: u16, model: &Model, content: &Content, theme: &Theme) -> Doc {
    let (ui, lang) = (&content.ui, model.lang);
    let mut doc = Doc::new(width, theme.glyphs);
    for (keys, text) in keymap::help_rows(ui, lang, model.kiosk, model.demo) {
        doc.row(&keys, text, theme.text, false);
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
    doc
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
    let height = usize::from(inner.height);
    // The pane has always dated its lines; across a new year it gives the year too.
    let stamp = Stamp::new(match stamp_format(&case.log) {
        "%H:%M" => "%m-%d %H:%M",
        wider => wider,
    });
    let lines: Vec<Line> = case
        .log
        .iter()
        .rev()
        .take(height)
        .rev()
        .map(|e| entry_line(e, &stamp, usize::from(inner.width), model, content, theme))
        .collect();
    super::doc::put_lines(frame, inner, &lines);
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
    let width = usize::from(inner.width);
    // On a review past its date, the words for that day (`steps::agent_notes`).
    let notes = crate::steps::agent_notes(model, content)
        .unwrap_or_else(|| ui.agent_none.get(lang).to_owned());
    let notes = theme.glyphs.text(&notes);
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
        let stamp = Stamp::new(stamp_format(&case.log));
        for e in &case.log[start..] {
            lines.push(entry_line(e, &stamp, width, model, content, theme));
        }
    }
    super::doc::put_lines(frame, inner, &lines);
}

/// How the entries of a pane give their time: the format read once per frame, not once
/// per entry.
struct Stamp(Vec<chrono::format::Item<'static>>);

impl Stamp {
    fn new(format: &'static str) -> Stamp {
        Stamp(chrono::format::StrftimeItems::new(format).collect())
    }
}

/// One entry of the log pane or the agent panel: its time (`stamp`), what happened, and
/// who handled it where the entry says, cut to `width`.
fn entry_line(
    e: &LogEntry,
    stamp: &Stamp,
    width: usize,
    model: &Model,
    content: &Content,
    theme: &Theme,
) -> Line<'static> {
    let lang = model.lang;
    let product = model
        .case
        .as_ref()
        .and_then(|c| content.product(&c.product));
    let time = format!("{} ", e.at.format_with_items(stamp.0.iter()));
    let room = width.saturating_sub(time.len());
    let mut words = describe(e, content, product, lang);
    if let Some(by) = handled_by(e, content, lang) {
        words.push_str(&by);
    }
    Line::from(vec![
        Span::styled(time, theme.dim),
        Span::styled(truncate(&words, room, &theme.glyphs), theme.text),
    ])
}

/// The note field (the note key), over the bottom of the body: the field, a refused
/// secret's message, and what Enter and Esc do.
pub fn note(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let Screen::Step(view) = &model.screen else {
        return;
    };
    let Some(note) = &view.note else {
        return;
    };
    let (ui, lang) = (&content.ui, model.lang);
    // Inside the body's border, so the step's frame stays whole around it.
    let area = area.inner(ratatui::layout::Margin::new(1, 1));
    let width = area.width;
    let mut doc = Doc::new(width.saturating_sub(4), theme.glyphs);
    if note.refused {
        doc.text(ui.contact_looks_secret.get(lang), theme.error);
    }
    doc.field(
        ui.note_label.get(lang),
        &note.input,
        true,
        theme.key,
        theme.field,
    );
    doc.text(
        &ui.note_hint.fill(lang, &[("n", &NOTE_MAX.to_string())]),
        theme.dim,
    );
    let height = u16::try_from(doc.lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup =
        Rect::new(area.x, area.bottom().saturating_sub(height), width, height).intersection(area);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.glyphs.popup_border)
        .border_style(theme.title)
        .title(Span::styled(
            format!(" {} ", theme.glyphs.line(ui.note_title.get(lang))),
            theme.title,
        ));
    let inner = block.inner(popup).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, popup);
    doc.render(frame, inner, 0);
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
