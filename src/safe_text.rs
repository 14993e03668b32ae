//! Text that came from a file, made safe to print. A case file, a content file or a file
//! name can hold anything, and a terminal obeys what it is sent: `ESC ]0;…BEL` retitles the
//! window, `ESC ]52;c;…` writes to the clipboard, `ESC [2J` clears the screen, a bidi
//! override makes text read in another order than it is stored, and a tab or a newline in
//! a field forges a row of tab-separated output.
//!
//! So every text from a file goes through one of these before it is printed, on every
//! command and front end. A character that controls instead of showing is made visible as
//! an escape (`\u{1b}`, `\t`, `\n`), never dropped silently: the person sees that the file
//! holds something odd, and two different names never print alike.
//!
//! Pure and dependency-free, at the top of the crate so that `report`, `plain`, `ui` and
//! the binary can all reach it without crossing the dependency rule.

use std::borrow::Cow;

/// One line of text from a file (a product id, a step, a reference, a file name, a reason):
/// every control character — C0 (tab and newline too), DEL, C1 (U+009B CSI among them) —
/// and every bidi control is shown as an escape, so the text stays on its line and
/// cannot command the terminal.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, Mode::Line)
}

/// Text laid out in lines already (a page, the help, a receipt): like [`line`], but line
/// breaks (`\n`) and tabs stay as they are.
pub fn block(text: &str) -> Cow<'_, str> {
    escape(text, Mode::Block)
}

/// A field of tab-separated output: like [`line`], and a backslash is doubled, so `\t`,
/// `\n`, `\r` and `\\` in the output always mean the escapes (and the field reads back
/// exactly). A field never holds a raw tab or newline, so a row is always one line with
/// the same number of fields.
pub fn tsv(text: &str) -> Cow<'_, str> {
    escape(text, Mode::Tsv)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Line,
    Block,
    Tsv,
}

/// Characters that act instead of showing (the content validator refuses the same ones).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL, C1
        || matches!(
            c,
            // Bidi embeddings, overrides and isolates (the "Trojan Source" characters) and
            // the marks; the line and paragraph separators, which some readers split on.
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Characters that take no room on screen (typed into a note, they are not taken; in
/// content, the validator refuses them): Unicode format characters (category Cf),
/// variation selectors, the combining grapheme joiner and the Hangul fillers.
pub fn is_invisible(c: char) -> bool {
    let n = c as u32;
    // Checked for every character of a catalogue: ASCII, Latin-1 and the CJK blocks (none
    // of them invisible) answer at once. The list below has nothing in 0x3165..0xFE00.
    if n < 0xAD || (0x3165..0xFE00).contains(&n) {
        return false;
    }
    matches!(n,
        0x00AD | 0x034F | 0x061C | 0x070F | 0x115F | 0x1160 | 0x180E | 0x3164 | 0xFEFF
        | 0xFFA0 | 0x110BD | 0x110CD | 0xE0001
        | 0x0600..=0x0605 | 0x06DD | 0x0890..=0x0891 | 0x08E2 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFE00..=0xFE0F | 0xFFF9..=0xFFFB | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0020..=0xE007F | 0xE0100..=0xE01EF)
}

fn needs_escape(c: char, mode: Mode) -> bool {
    match mode {
        Mode::Block => is_unsafe(c) && c != '\n' && c != '\t',
        Mode::Line => is_unsafe(c),
        Mode::Tsv => is_unsafe(c) || c == '\\',
    }
}

fn escape(text: &str, mode: Mode) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c, mode)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c, mode) {
            out.push(c);
            continue;
        }
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `text`, made safe as a [`line`], with "…" when cut: for
/// echoing back what someone typed or a file held, which may be of any length.
pub fn preview(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    let mut out = line(&head).into_owned();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone_and_not_copied() {
        for s in ["花呗 — ¥0.00", "20261121-144426-huabei", "a b", ""] {
            assert!(matches!(line(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(tsv(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(block(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn terminal_commands_are_made_visible() {
        assert_eq!(line("\x1b]0;pwned\x07"), "\\u{1b}]0;pwned\\u{7}");
        assert_eq!(line("\x1b]52;c;aGk=\x07"), "\\u{1b}]52;c;aGk=\\u{7}");
        assert_eq!(line("\x1b[2J"), "\\u{1b}[2J");
        assert_eq!(line("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(line("a\u{7f}b"), "a\\u{7f}b");
        assert_eq!(line("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(line("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(line("a\tb\nc\rd"), "a\\tb\\nc\\rd");
        // A backslash is only doubled where the text must read back exactly.
        assert_eq!(line("a\\b"), "a\\b");
    }

    #[test]
    fn a_tsv_field_never_holds_a_tab_or_a_line_break() {
        assert_eq!(tsv("a\tb\nc\r\\d"), "a\\tb\\nc\\r\\\\d");
        assert_eq!(tsv("\x1b[2J"), "\\u{1b}[2J");
        for s in ["x\ty", "x\ny", "x\u{85}y", "x\u{2028}y", "x\u{b}y"] {
            let out = tsv(s);
            assert!(
                !out.contains(['\t', '\n', '\r', '\u{85}', '\u{2028}', '\u{b}']),
                "{out:?}"
            );
        }
    }

    #[test]
    fn a_block_keeps_its_lines_and_loses_its_escapes() {
        assert_eq!(block("one\n\ttwo\x1b[2J"), "one\n\ttwo\\u{1b}[2J");
        assert_eq!(block("a\r\nb"), "a\\r\nb");
    }

    #[test]
    fn a_preview_is_short_and_safe() {
        let long = "1".repeat(1000);
        assert_eq!(preview(&long, 40), format!("{}…", "1".repeat(40)));
        assert_eq!(preview("12.345", 40), "12.345");
        assert_eq!(preview("\x1b[2Jabc", 2), "\\u{1b}[…");
        assert_eq!(preview("花呗花呗", 2), "花呗…");
    }
}
