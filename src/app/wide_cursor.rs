//! The full screen's backend: crossterm's, told where a wide character leaves the cursor.
//!
//! ratatui's crossterm backend moves the cursor before every cell that does not follow the
//! one it drew last. A wide character fills two cells and the buffer's diff skips the
//! second, so in Chinese text every character after the first was preceded by a cursor
//! move: the start page's first frame held 201 moves, 1,449 of its 2,980 bytes. Here each
//! such character is followed by the cell it covers, with its style and nothing to print,
//! so the backend sees the cursor where the terminal has it and writes no move.
//!
//! Only for characters every terminal draws two cells wide (CJK ideographs, kana, Hangul
//! syllables, full-width forms): where a terminal might disagree (emoji, ambiguous
//! characters), the explicit move stays and puts the next character where ratatui laid it.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

pub struct WideCursor<W: Write> {
    inner: CrosstermBackend<W>,
}

impl<W: Write> WideCursor<W> {
    pub fn new(out: W) -> WideCursor<W> {
        WideCursor {
            inner: CrosstermBackend::new(out),
        }
    }
}

/// Whether every terminal draws `symbol` in two cells: one character of the East Asian
/// Wide or Fullwidth blocks that have no emoji and no ambiguous width among them.
fn two_cells_everywhere(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(c,
        '\u{1100}'..='\u{115F}'     // Hangul Jamo, leading consonants
        | '\u{2E80}'..='\u{303E}'   // CJK radicals, symbols and punctuation (not U+303F)
        | '\u{3041}'..='\u{33FF}'   // kana, bopomofo, CJK compatibility
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{A000}'..='\u{A4CF}'   // Yi
        | '\u{AC00}'..='\u{D7A3}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'   // CJK compatibility forms
        | '\u{FF01}'..='\u{FF60}'   // full-width forms
        | '\u{FFE0}'..='\u{FFE6}') // full-width signs
}

/// `cells` with the cell each wide character covers after it, where the next cell drawn
/// is the one just past it on the same row.
fn with_covers(cells: &[(u16, u16, &Cell)]) -> Vec<(u16, u16, Cell)> {
    cells
        .windows(2)
        .filter_map(|pair| {
            let ((x, y, cell), (next_x, next_y, _)) = (pair[0], pair[1]);
            let covers = next_y == y && Some(next_x) == x.checked_add(2);
            (covers && two_cells_everywhere(cell.symbol())).then(|| {
                let mut cover = cell.clone();
                cover.set_symbol("");
                (x + 1, y, cover)
            })
        })
        .collect()
}

impl<W: Write> Backend for WideCursor<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<_> = content.collect();
        let covers = with_covers(&cells);
        let mut covers = covers.iter().peekable();
        let all = cells.iter().flat_map(|&(x, y, cell)| {
            let cover = covers
                .next_if(|(cx, cy, _)| (*cx, *cy) == (x.wrapping_add(1), y))
                .map(|(cx, cy, c)| (*cx, *cy, c));
            std::iter::once((x, y, cell)).chain(cover)
        });
        self.inner.draw(all)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier, Style};

    /// What a terminal shows after `frames` are drawn in turn through `draw`, each as the
    /// diff from the one before, as ratatui's `Terminal` sends them; and the bytes sent.
    fn shown(
        frames: &[Buffer],
        draw: impl Fn(&mut Vec<u8>, &Buffer, &Buffer),
    ) -> (String, Vec<u8>) {
        let area = frames[0].area;
        let mut bytes = Vec::new();
        let mut before = Buffer::empty(area);
        for frame in frames {
            draw(&mut bytes, &before, frame);
            before = frame.clone();
        }
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut term = vt100::Parser::new(nz(area.height), nz(area.width), 0);
        term.process(&bytes);
        let screen = term.screen();
        let mut cells = String::new();
        for row in 0..area.height {
            for col in 0..area.width {
                let cell = screen.cell(row, col).unwrap();
                cells += &format!(
                    "{}|{:?}|{:?}|{};",
                    cell.contents(),
                    cell.fgcolor(),
                    cell.bgcolor(),
                    cell.bold()
                );
            }
            cells.push('\n');
        }
        (cells, bytes)
    }

    fn plain(out: &mut Vec<u8>, before: &Buffer, frame: &Buffer) {
        CrosstermBackend::new(out)
            .draw(before.diff(frame).into_iter())
            .unwrap();
    }

    fn wide(out: &mut Vec<u8>, before: &Buffer, frame: &Buffer) {
        WideCursor::new(out)
            .draw(before.diff(frame).into_iter())
            .unwrap();
    }

    /// The cursor moves in `bytes`: `ESC [ row ; col H`.
    fn moves(bytes: &[u8]) -> usize {
        bytes
            .split(|&b| b == 0x1b)
            .filter_map(|seq| seq.strip_prefix(b"["))
            .filter(|body| {
                let end = body
                    .iter()
                    .position(|b| !(b.is_ascii_digit() || *b == b';'));
                end.is_some_and(|end| body[end] == b'H')
            })
            .count()
    }

    /// Chinese and English, full-width punctuation, a wide character at the row's end and
    /// before a gap, styles that change inside a run, and the characters a terminal may
    /// draw otherwise (emoji, ambiguous ones, a combining mark), in two frames.
    fn frames() -> Vec<Buffer> {
        let area = Rect::new(0, 0, 24, 6);
        let mut first = Buffer::empty(area);
        first.set_string(
            0,
            0,
            "关闭微粒贷，先还清欠款。",
            Style::new().fg(Color::Yellow),
        );
        first.set_string(0, 1, "Huabei 花呗 — 「已关闭」", Style::new());
        first.set_string(0, 2, "红", Style::new().bg(Color::Blue));
        first.set_string(1, 2, "", Style::new());
        first.set_string(2, 2, "色字", Style::new().add_modifier(Modifier::BOLD));
        first.set_string(6, 2, "间 隔", Style::new());
        first.set_string(0, 3, "🙂✓ ①·é 한국어 ｶﾅ", Style::new());
        first.set_string(14, 4, "末尾的字", Style::new());
        let mut second = first.clone();
        second.set_string(2, 0, "已经", Style::new().fg(Color::Green));
        second.set_string(0, 5, "第二帧：借呗", Style::new());
        vec![first, second]
    }

    #[test]
    fn the_screen_is_what_crossterms_own_backend_draws() {
        let frames = frames();
        let (theirs, their_bytes) = shown(&frames, plain);
        let (ours, our_bytes) = shown(&frames, wide);
        assert_eq!(ours, theirs);
        assert!(
            moves(&our_bytes) * 2 < moves(&their_bytes),
            "{} moves against {}",
            moves(&our_bytes),
            moves(&their_bytes)
        );
    }

    #[test]
    fn only_characters_every_terminal_draws_wide_are_trusted() {
        for wide in ["关", "，", "「", "한", "カ", "Ａ"] {
            assert!(two_cells_everywhere(wide), "{wide}");
        }
        for other in ["a", "🙂", "①", "·", "é", "ｶ", "〿", "", "关闭"] {
            assert!(!two_cells_everywhere(other), "{other}");
        }
    }
}
