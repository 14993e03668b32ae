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

/// A TOML syntax error, at the spot its cause is where that can be known: the parser
/// reports an unclosed `"` where it gave up (often the next line, as a missing comma), so
/// the line it names and the one before are read again for a string left open.
pub fn syntax_error(path: &str, source: &str, error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim_end();
    let mut offset = span.start.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let previous_start = line_start
        .checked_sub(1)
        .map(|end| source[..end].rfind('\n').map_or(0, |i| i + 1));
    for start in std::iter::once(line_start).chain(previous_start) {
        let end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        if let Some(quote) = unclosed_quote(&source[start..end]) {
            return Diagnostic::at(
                path,
                source,
                start + quote..start + quote,
                format!(
                    "unclosed string: the `\"` here has no closing `\"` on its line \
                     (the TOML parser said: {message})"
                ),
            );
        }
    }
    Diagnostic::at(path, source, span, message)
}

/// In one line of TOML, the byte offset of the opening `"` of a basic string left open:
/// the line ends inside a string, and the string that swallowed the rest is the first one
/// whose closing quote is followed by more words (`zh = "开始, en = "Start" }`), else the
/// last one. `None` for a line whose strings all close, or that holds a multi-line string
/// (it cannot be read alone).
fn unclosed_quote(line: &str) -> Option<usize> {
    if line.contains("\"\"\"") || line.contains("'''") {
        return None;
    }
    let bytes = line.as_bytes();
    let mut closed = Vec::new();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match (open, bytes[i]) {
            (Some(_), b'\\') => i += 1,
            (Some(at), b'"') => {
                closed.push((at, i));
                open = None;
            }
            (Some(_), _) => {}
            (None, b'#') => break,
            (None, b'"') => open = Some(i),
            (None, b'\'') => match line[i + 1..].find('\'') {
                Some(j) => i += j + 1,
                None => return None,
            },
            (None, _) => {}
        }
        i += 1;
    }
    let last = open?;
    let swallowed = closed
        .iter()
        .find(|&&(_, close)| !follows_well(&line[close + 1..]))
        .map(|&(at, _)| at);
    Some(swallowed.unwrap_or(last))
}

/// What may follow a string that closed where it was meant to: a separator, a comment, the
/// end of the line.
fn follows_well(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with([',', '}', ']', '#', '='])
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
