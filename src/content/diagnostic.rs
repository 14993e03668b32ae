//! `path:line:col: error: message` — the one shape every content problem is reported in.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    /// A problem at byte offset `span.start` of `source`.
    pub fn at(path: &str, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, col) = line_col(source, span.start);
        Diagnostic {
            path: path.to_owned(),
            line,
            col,
            message: message.into(),
        }
    }

    /// A problem with a file as a whole (missing, unreadable).
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_owned(),
            line: 1,
            col: 1,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// 1-based line and column (in characters, so a Chinese character counts once).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a = 1\n名 = \"x\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        // `=` after one three-byte character is column 3.
        let eq = src.find(" =").unwrap();
        assert_eq!(line_col(src, src[eq..].find('=').unwrap() + eq), (1, 3));
        let eq2 = src.rfind('=').unwrap();
        assert_eq!(line_col(src, eq2), (2, 3));
    }

    #[test]
    fn line_col_survives_offsets_past_the_end_and_inside_a_character() {
        let src = "名";
        assert_eq!(line_col(src, 99), (1, 2));
        assert_eq!(line_col(src, 1), (1, 1));
    }

    #[test]
    fn display_is_path_line_col_error() {
        let d = Diagnostic::at("p.toml", "x\ny", 2..3, "bad");
        assert_eq!(d.to_string(), "p.toml:2:1: error: bad");
    }
}
