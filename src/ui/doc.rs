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

use super::Glyphs;

#[derive(Debug)]
pub struct Doc {
    pub lines: Vec<Line<'static>>,
    /// The lines to keep visible (the selected row).
    pub focus: Option<(usize, usize)>,
    /// Where the terminal cursor goes: (line, column).
    pub cursor: Option<(usize, u16)>,
    width: usize,
    glyphs: Glyphs,
}

impl Doc {
    /// Every text laid out here goes through `glyphs.text` first (made safe to show, and
    /// mapped for the terminal's ambiguous widths): this is where blocks become lines.
    pub fn new(width: u16, glyphs: Glyphs) -> Doc {
        Doc {
            lines: Vec::new(),
            focus: None,
            cursor: None,
            width: usize::from(width.max(1)),
            glyphs,
        }
    }

    /// Paragraphs (split on newlines), wrapped to the width.
    pub fn text(&mut self, text: &str, style: Style) {
        let text = self.glyphs.text(text);
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

    /// The width lines are wrapped to.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// A row of a list: `prefix` then the text, continuation lines indented under the text.
    pub fn row(&mut self, prefix: &str, text: &str, style: Style, selected: bool) {
        let (prefix, text) = (self.glyphs.line(prefix), self.glyphs.line(text));
        let indent = " ".repeat(prefix.width());
        let start = self.lines.len();
        for line in wrap(&text, self.width, &prefix, &indent) {
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
        let label = self.glyphs.line(label);
        let label_width = label.width();
        let room = self.width.saturating_sub(label_width + 1).max(1);
        let scroll = input.visual_scroll(room);
        let shown = skip_columns(input.value(), scroll, room);
        let pad = room.saturating_sub(shown.width());
        let line = self.lines.len();
        self.lines.push(Line::from(vec![
            Span::styled(label.into_owned(), style),
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
        put_lines(frame, area, self.lines.iter().skip(start));
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
///
/// Two departures from textwrap's defaults, both for Chinese. Its optimal-fit algorithm
/// balances line lengths, which in Chinese (where a break may fall after almost any
/// character) leaves holes at the end of a full line ("就关␣␣␣␣ / 不了。"): text with
/// wide characters is filled line by line instead. And UAX #14 allows a break between any
/// two ideographs, which in an English sentence splits a Chinese name ("search 微 / 粒贷"):
/// in English, a run of them is kept as one word ([`latin_words`]) and is only broken if
/// it alone is wider than the line.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    if let Some(line) = fits(text, width, first) {
        return vec![line];
    }
    wrap_words(text, width, first, rest)
}

/// A text that fits on its first line as it stands is that line: most rows of a screen
/// (a choice, a key of the help, a title) are, and textwrap would split them into words
/// only to join them again. Only text it would leave as it is: one line, no whitespace at
/// either end, as wide as textwrap counts it (each character's width, as
/// `textwrap::core::display_width` sums them).
fn fits(text: &str, width: usize, first: &str) -> Option<String> {
    let plain = !text.contains(['\n', '\r', '\u{1b}'])
        && !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace);
    let columns = |s: &str| -> usize {
        s.chars()
            .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
            .sum()
    };
    (plain && !text.is_empty() && columns(first) + columns(text) <= width.max(1))
        .then(|| format!("{first}{text}"))
}

/// `wrap` by textwrap, word by word.
fn wrap_words(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let wide = text.chars().any(is_wide);
    // No breaks at hyphens: case ids (`20261121-144426-huabei`) and commands stay whole.
    let mut options = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    if wide {
        options = options.wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        if super::glyphs::is_latin(text) {
            options = options.word_separator(textwrap::WordSeparator::Custom(latin_words));
        }
    }
    textwrap::wrap(text, options)
        .into_iter()
        .map(|c| c.into_owned())
        .collect()
}

/// A character two cells wide: CJK ideographs, kana, hangul, full-width punctuation.
fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// UAX #14's words, with the breaks between two wide characters taken out again: each run
/// of Chinese is one word, as an English reader takes a name.
fn latin_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::core::Word;
    let offset = |s: &str| s.as_ptr() as usize - line.as_ptr() as usize;
    let mut words: Vec<Word> = Vec::new();
    let mut start = 0;
    for word in textwrap::WordSeparator::UnicodeBreakProperties.find_words(line) {
        let joins = words.last().is_some_and(|last| {
            last.whitespace.is_empty()
                && last.word.chars().next_back().is_some_and(is_wide)
                && word.word.chars().next().is_some_and(is_wide)
        });
        if joins {
            words.pop();
        } else {
            start = offset(word.word);
        }
        let end = offset(word.whitespace) + word.whitespace.len();
        words.push(Word::from(&line[start..end]));
    }
    Box::new(words.into_iter())
}

/// One line of `text` as it goes on screen (`Glyphs::line`), cut to `room` columns with
/// the glyphs' ellipsis when cut; never splits a wide character.
pub fn truncate(text: &str, room: usize, glyphs: &Glyphs) -> String {
    let text = glyphs.line(text);
    if text.width() <= room {
        return text.into_owned();
    }
    let mark = glyphs.ellipsis;
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + mark.width() > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push_str(mark);
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

/// Lines written straight into the buffer, one a row from the top of `area`, each cut at
/// its width: what a `Paragraph` without wrapping draws, without the two passes that
/// restyle every cell of its area first (benches/screens.rs).
pub fn put_lines<'a>(frame: &mut Frame, area: Rect, lines: impl IntoIterator<Item = &'a Line<'a>>) {
    let buf = frame.buffer_mut();
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        buf.set_line(area.x, y, line, area.width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The short cut for a text that fits gives what textwrap gives.
        #[test]
        fn a_text_that_fits_is_wrapped_as_textwrap_wraps_it(
            text in "[a-z 微粒贷，。—…·()\\-]{0,24}",
            first in "(|  |> |\\[x\\] |▶ )",
            width in 0usize..40,
        ) {
            let rest = " ".repeat(first.width());
            if fits(&text, width, &first).is_some() {
                prop_assert_eq!(
                    wrap(&text, width, &first, &rest),
                    wrap_words(&text, width, &first, &rest)
                );
            }
        }
    }

    #[test]
    fn chinese_wraps_between_characters() {
        let lines = wrap("微粒贷是微众银行放在微信钱包里的借款服务", 10, "", "");
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.width() <= 10, "{l:?} is wider than 10");
        }
        assert_eq!(lines.concat(), "微粒贷是微众银行放在微信钱包里的借款服务");
    }

    /// The trials' reproductions, with the built-in content's sentences at the widths
    /// where they broke: the body of an 80×24 screen is 76 columns, a checklist item's text
    /// 70 (after `▶ [ ] `), a step at the minimum size 56.
    #[test]
    fn a_chinese_name_in_english_text_is_not_split() {
        let weilidai = "Tap through these on your phone and tick each one here. Menu names \
                        can differ slightly between versions. If the wallet does not show \
                        it, search 微粒贷 in WeChat's search box at the top before you \
                        conclude there is none.";
        for width in [76, 56, 40] {
            let lines = wrap(weilidai, width, "", "");
            assert!(
                lines.iter().any(|l| l.contains("微粒贷")),
                "at {width}: {lines:#?}"
            );
            assert!(lines.iter().all(|l| l.width() <= width));
        }
        assert_eq!(
            wrap(weilidai, 76, "", "")[1],
            "differ slightly between versions. If the wallet does not show it, search"
        );
        let settings = "On the Huabei page, open Settings (设置)";
        for width in 36..=settings.width() {
            let lines = wrap(settings, width, "  [ ] ", "      ");
            assert!(
                lines.iter().any(|l| l.contains("(设置)")),
                "at {width}: {lines:#?}"
            );
        }
        // A run wider than the line still breaks, rather than run off the edge.
        let long = wrap("see 微粒贷微粒贷微粒贷微粒贷 here", 10, "", "");
        assert!(long.iter().all(|l| l.width() <= 10), "{long:#?}");
        assert_eq!(
            long.concat().replace(' ', ""),
            "see微粒贷微粒贷微粒贷微粒贷here"
        );
    }

    #[test]
    fn a_chinese_line_is_filled_before_it_breaks() {
        for (text, width) in [
            (
                "在借呗页面查看待还金额，把每一项填在这里，没有就填 0。有借款没还完，就关不了。",
                76,
            ),
            (
                "在微粒贷页面查看「待还」金额，把每一项填在这里；没有就填 0。只要还有欠款，就关不了。",
                40,
            ),
        ] {
            let lines = wrap(text, width, "", "");
            // Every line but the last is full: what starts the next (a character, with the
            // punctuation that may not begin a line) would not have fit.
            for pair in lines.windows(2) {
                let mut chars = pair[1].chars();
                let mut next: String = chars.next().into_iter().collect();
                next.extend(chars.take_while(|c| "，。；：！？」）".contains(*c)));
                let room = width - pair[0].width();
                assert!(
                    room < next.width(),
                    "a gap of {room} at the end of {:?} (then {next:?}): {lines:#?}",
                    pair[0]
                );
            }
            assert_eq!(lines.concat(), text);
        }
        assert_eq!(
            wrap(
                "在借呗页面查看待还金额，把每一项填在这里，没有就填 0。有借款没还完，就关不了。",
                76,
                "",
                ""
            ),
            [
                "在借呗页面查看待还金额，把每一项填在这里，没有就填 0。有借款没还完，就关不",
                "了。",
            ]
        );
    }

    #[test]
    fn hanging_indent_lines_up_under_the_text() {
        let lines = wrap("one two three four five six", 12, "[x] ", "    ");
        assert_eq!(lines[0], "[x] one two");
        assert!(lines[1].starts_with("    "));
    }

    #[test]
    fn truncate_marks_the_cut_and_never_splits_a_wide_character() {
        let g = &Glyphs::NARROW;
        assert_eq!(truncate("微粒贷已关闭", 20, g), "微粒贷已关闭");
        assert_eq!(truncate("微粒贷已关闭", 6, g), "微粒…");
        assert_eq!(truncate("微粒贷已关闭", 5, g), "微粒…");
        assert!(truncate("微粒贷已关闭", 5, g).width() <= 5);
        // Where ambiguous characters are wide, the mark is one they agree on.
        assert_eq!(truncate("微粒贷已关闭", 7, &Glyphs::WIDE), "微粒...");
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
