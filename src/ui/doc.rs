//! A screen's body as pre-wrapped lines. Wrapping here (textwrap, UAX #14 line breaking with
//! display widths) rather than in the Paragraph widget means every line's height is known,
//! lists scroll to keep the selection visible, text fields get an exact cursor position, and
//! a double-width character is never split across the edge.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Default)]
pub struct Doc {
    pub lines: Vec<Line<'static>>,
    /// The lines to keep visible (the selected row).
    pub focus: Option<(usize, usize)>,
    /// Where the terminal cursor goes: (line, column).
    pub cursor: Option<(usize, u16)>,
    width: usize,
}

impl Doc {
    pub fn new(width: u16) -> Doc {
        Doc {
            width: usize::from(width.max(1)),
            ..Doc::default()
        }
    }

    /// Paragraphs (split on newlines), wrapped to the width.
    pub fn text(&mut self, text: &str, style: Style) {
        for paragraph in text.split('\n') {
            if paragraph.trim().is_empty() {
                self.blank();
                continue;
            }
            for line in wrap(paragraph, self.width, "", "") {
                self.lines.push(Line::styled(line, style));
            }
        }
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// A row of a list: `prefix` then the text, continuation lines indented under the text.
    pub fn row(&mut self, prefix: &str, text: &str, style: Style, selected: bool) {
        let indent = " ".repeat(prefix.width());
        let start = self.lines.len();
        for line in wrap(text, self.width, prefix, &indent) {
            self.lines.push(Line::styled(line, style));
        }
        if selected {
            self.focus = Some((start, self.lines.len() - 1));
        }
    }

    /// A one-line text field: `label` then the value, scrolled so the cursor is visible.
    pub fn field(
        &mut self,
        label: &str,
        input: &Input,
        focused: bool,
        style: Style,
        field_style: Style,
    ) {
        let label_width = label.width();
        let room = self.width.saturating_sub(label_width + 1).max(1);
        let scroll = input.visual_scroll(room);
        let shown = skip_columns(input.value(), scroll, room);
        let pad = room.saturating_sub(shown.width());
        let line = self.lines.len();
        self.lines.push(Line::from(vec![
            Span::styled(label.to_owned(), style),
            Span::styled(format!("{shown}{}", " ".repeat(pad)), field_style),
        ]));
        if focused {
            let column = label_width + input.visual_cursor().saturating_sub(scroll);
            self.cursor = Some((line, u16::try_from(column).unwrap_or(u16::MAX)));
            self.focus = Some((line, line));
        }
    }

    /// Draws the lines into `area`. The view starts at the top, moved down just enough to
    /// show the focus, then by `offset` lines (PgUp/PgDn), so every line can be reached.
    /// Returns whether lines are hidden above and below.
    pub fn render(self, frame: &mut Frame, area: Rect, offset: i32) -> (bool, bool) {
        let height = usize::from(area.height);
        let total = self.lines.len();
        let max_start = total.saturating_sub(height);
        let mut start = 0;
        if let Some((first, last)) = self.focus
            && last >= height
        {
            start = (last + 1).saturating_sub(height).min(first);
        }
        let offset = isize::try_from(offset).unwrap_or(0);
        let start = start.saturating_add_signed(offset).min(max_start);
        // Straight into the buffer: the lines are wrapped already, and a Paragraph would
        // restyle every cell of the area twice more per frame (benches/screens.rs).
        let buf = frame.buffer_mut();
        for (y, line) in (area.y..area.bottom()).zip(self.lines.iter().skip(start)) {
            buf.set_line(area.x, y, line, area.width);
        }
        if let Some((line, column)) = self.cursor
            && line >= start
            && line < start + height
        {
            let x = area
                .x
                .saturating_add(column)
                .min(area.right().saturating_sub(1));
            let y = area.y + u16::try_from(line - start).unwrap_or(0);
            frame.set_cursor_position(Position { x, y });
        }
        (start > 0, start + height < total)
    }
}

/// Wraps by display width with Unicode line breaking; never returns a line wider than
/// `width` (a single over-wide character is the only exception, and cannot be split).
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    // No breaks at hyphens: case ids (`20261121-144426-huabei`) and commands stay whole.
    let options = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|c| c.into_owned())
        .collect()
}

/// `text` cut to `room` columns, with `…` when cut; never splits a wide character.
pub fn truncate(text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The part of `text` from display column `skip`, at most `room` columns wide.
fn skip_columns(text: &str, skip: usize, room: usize) -> String {
    let mut out = String::new();
    let (mut col, mut used) = (0, 0);
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if col < skip {
            col += w;
            continue;
        }
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn chinese_wraps_between_characters() {
        let lines = wrap("微粒贷是微众银行放在微信钱包里的借款服务", 10, "", "");
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.width() <= 10, "{l:?} is wider than 10");
        }
        assert_eq!(lines.concat(), "微粒贷是微众银行放在微信钱包里的借款服务");
    }

    #[test]
    fn hanging_indent_lines_up_under_the_text() {
        let lines = wrap("one two three four five six", 12, "[x] ", "    ");
        assert_eq!(lines[0], "[x] one two");
        assert!(lines[1].starts_with("    "));
    }

    #[test]
    fn truncate_marks_the_cut_and_never_splits_a_wide_character() {
        assert_eq!(truncate("微粒贷已关闭", 20), "微粒贷已关闭");
        assert_eq!(truncate("微粒贷已关闭", 6), "微粒…");
        assert_eq!(truncate("微粒贷已关闭", 5), "微粒…");
        assert!(truncate("微粒贷已关闭", 5).width() <= 5);
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_the_width(text in "[a-z 微粒贷销户,。]{0,80}", width in 2usize..40) {
            for line in wrap(&text, width, "", "") {
                prop_assert!(line.width() <= width, "{:?} wider than {}", line, width);
            }
        }
    }
}
