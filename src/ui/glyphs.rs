//! The characters the interface draws itself (borders, markers, separators), as one set
//! chosen once for the terminal, and the one function every text on screen passes through.
//!
//! Many terminals used in China draw East Asian *ambiguous-width* characters (─ │ ╭ ▶ • ·
//! — … “ ” → ↑ and the like) two cells wide: PuTTY's and Xshell's "CJK ambiguous characters
//! are wide", GNOME Terminal's "ambiguous-width: wide", xterm `-cjk_width`. ratatui counts
//! them one cell, so there every border runs off the edge and the selection marker covers
//! the first character of the row. In such a terminal (`Glyphs::WIDE`, chosen by
//! `app::ambiguous` at start-up) the chrome is drawn in ASCII, and the ambiguous
//! punctuation of the content is mapped to characters of a width both agree on, before
//! anything is laid out, so the width arithmetic stays true.

use std::borrow::Cow;

use ratatui::symbols::border;
use unicode_width::UnicodeWidthChar;

/// How the terminal draws East Asian ambiguous-width characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ambiguous {
    /// One cell (what ratatui assumes): the default, and what most terminals do.
    Narrow,
    /// Two cells.
    Wide,
}

/// The interface's own characters. Every one in [`Glyphs::WIDE`] is unambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub ambiguous: Ambiguous,
    /// Before the row under the cursor (then a space).
    pub selected: &'static str,
    pub bullet: &'static str,
    pub ticked: &'static str,
    pub unticked: &'static str,
    /// Before a badge (a state shown on an end screen).
    pub badge: &'static str,
    /// One typed digit on the demo phone.
    pub mask: &'static str,
    /// Between a product's name and its provider.
    pub dash: &'static str,
    /// Between the parts of a saved case's row on the start page.
    pub separator: &'static str,
    /// Between the app's name and the product in the header.
    pub bar: &'static str,
    /// Where text was cut.
    pub ellipsis: &'static str,
    /// On the body's border where lines are hidden above or below.
    pub more_above: &'static str,
    pub more_below: &'static str,
    /// The frames: the body and the panes; the help overlay and the tour's caption.
    pub border: border::Set<'static>,
    pub popup_border: border::Set<'static>,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const ASCII_DOUBLE_BORDER: border::Set<'static> = border::Set {
    horizontal_top: "=",
    horizontal_bottom: "=",
    ..ASCII_BORDER
};

impl Glyphs {
    pub const NARROW: Glyphs = Glyphs {
        ambiguous: Ambiguous::Narrow,
        selected: "▶",
        bullet: "•",
        ticked: "[✓]",
        unticked: "[ ]",
        badge: "●",
        mask: "•",
        dash: " — ",
        separator: " · ",
        bar: "│",
        ellipsis: "…",
        more_above: "↑",
        more_below: "↓",
        border: border::ROUNDED,
        popup_border: border::DOUBLE,
    };

    pub const WIDE: Glyphs = Glyphs {
        ambiguous: Ambiguous::Wide,
        selected: ">",
        bullet: "*",
        ticked: "[x]",
        unticked: "[ ]",
        badge: "*",
        mask: "*",
        dash: " - ",
        separator: " / ",
        bar: "|",
        ellipsis: "...",
        more_above: "^",
        more_below: "v",
        border: ASCII_BORDER,
        popup_border: ASCII_DOUBLE_BORDER,
    };

    pub fn for_terminal(ambiguous: Ambiguous) -> Glyphs {
        match ambiguous {
            Ambiguous::Narrow => Glyphs::NARROW,
            Ambiguous::Wide => Glyphs::WIDE,
        }
    }

    /// Text as it goes on screen: what would command the terminal made visible
    /// (`safe_text`, whatever a file held), then, where ambiguous characters are wide, the
    /// ambiguous punctuation mapped ([`unambiguous`]). Line breaks and tabs stay, for the
    /// layout to deal with.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let safe = crate::safe_text::block(text);
        match self.ambiguous {
            Ambiguous::Narrow => safe,
            Ambiguous::Wide => match unambiguous(&safe) {
                Cow::Borrowed(_) => safe,
                Cow::Owned(mapped) => Cow::Owned(mapped),
            },
        }
    }

    /// A key's name in the footer (`↑↓`, `PgUp`): in a wide terminal the arrows are words,
    /// clearer than the one-cell `^`/`v` the padded help columns need.
    pub fn key(&self, label: &str) -> String {
        match self.ambiguous {
            Ambiguous::Narrow => self.line(label).into_owned(),
            Ambiguous::Wide => {
                let safe = crate::safe_text::line(label).into_owned();
                let words = KEY_WORDS
                    .iter()
                    .fold(safe, |l, (from, to)| l.replace(from, to));
                unambiguous(&words).into_owned()
            }
        }
    }

    /// Like [`Glyphs::text`] for text that must stay on one line (a title, a footer entry):
    /// a line break in it is shown as `\n`.
    pub fn line<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.contains(['\n', '\t']) {
            Cow::Owned(self.text(&crate::safe_text::line(text)).into_owned())
        } else {
            self.text(text)
        }
    }
}

/// Arrow keys by name, pairs first (the footer joins ↑ and ↓ as `↑↓`).
const KEY_WORDS: &[(&str, &str)] = &[
    ("↑↓", "Up/Down"),
    ("←→", "Left/Right"),
    ("↑", "Up"),
    ("↓", "Down"),
    ("←", "Left"),
    ("→", "Right"),
];

/// Whether a terminal may draw `c` one cell wide or two: Unicode's East Asian Width "A".
pub fn is_ambiguous(c: char) -> bool {
    c.width() != c.width_cjk()
}

/// The ambiguous characters the content, `ui.toml` and the keymap use, each as characters
/// that every terminal draws at the width ratatui counts: (the character, in Chinese text,
/// in Latin text). In Chinese, what a terminal that draws them wide shows, where a
/// full-width form exists (· as ・, — as －); in an English sentence, ASCII. Arrows and the
/// multiplication sign keep their one cell, so columns padded with them (the help's key
/// list) stay aligned.
const MAP: &[(char, &str, &str)] = &[
    ('·', "・", "-"),
    ('—', "－", "-"),
    ('–', "-", "-"),
    ('…', "...", "..."),
    ('“', "\"", "\""),
    ('”', "\"", "\""),
    ('‘', "'", "'"),
    ('’', "'", "'"),
    ('×', "x", "x"),
    ('→', ">", ">"),
    ('←', "<", "<"),
    ('↑', "^", "^"),
    ('↓', "v", "v"),
    ('•', "*", "*"),
    ('●', "*", "*"),
    ('○', "o", "o"),
    ('▶', ">", ">"),
    ('─', "-", "-"),
    ('│', "|", "|"),
];

/// Text written in a Latin script, wide characters in it (a Chinese name in an English
/// sentence) rather than the other way round: more ASCII letters than wide characters.
pub fn is_latin(text: &str) -> bool {
    let letters = text.chars().filter(char::is_ascii_alphabetic).count();
    letters > text.chars().filter(|&c| c.width() == Some(2)).count()
}

/// `text` with every ambiguous character [`MAP`] knows replaced; others are left as they
/// are (and a test says which screens still have one).
pub fn unambiguous(text: &str) -> Cow<'_, str> {
    let known = |c: char| MAP.iter().find(|(from, ..)| *from == c);
    if !text.chars().any(|c| known(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let latin = is_latin(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match known(c) {
            Some((_, _, to)) if latin => out.push_str(to),
            Some((_, to, _)) => out.push_str(to),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn chars_of(g: &Glyphs) -> String {
        let b = |s: border::Set<'static>| {
            [
                s.top_left,
                s.top_right,
                s.bottom_left,
                s.bottom_right,
                s.vertical_left,
                s.vertical_right,
                s.horizontal_top,
                s.horizontal_bottom,
            ]
            .concat()
        };
        [
            g.selected,
            g.bullet,
            g.ticked,
            g.unticked,
            g.badge,
            g.mask,
            g.dash,
            g.separator,
            g.bar,
            g.ellipsis,
            g.more_above,
            g.more_below,
            &b(g.border),
            &b(g.popup_border),
        ]
        .concat()
    }

    #[test]
    fn the_wide_set_has_no_ambiguous_character_and_the_narrow_one_needs_it() {
        let wide = chars_of(&Glyphs::WIDE);
        assert!(!wide.chars().any(is_ambiguous), "{wide}");
        // The test tells the two apart: the narrow set is what breaks in a wide terminal.
        assert!(chars_of(&Glyphs::NARROW).chars().any(is_ambiguous));
    }

    #[test]
    fn every_mapped_character_is_ambiguous_and_maps_to_unambiguous_text() {
        for (from, zh, en) in MAP {
            assert!(
                is_ambiguous(*from),
                "{from:?} is not ambiguous: no need to map it"
            );
            for to in [zh, en] {
                assert!(!to.chars().any(is_ambiguous), "{from:?} → {to:?}");
                assert!(!to.is_empty());
            }
        }
        // Arrows keep their cell: the help's columns are padded with them.
        for c in ['→', '←', '↑', '↓', '×'] {
            assert_eq!(unambiguous(&c.to_string()).width(), 1, "{c}");
        }
    }

    #[test]
    fn the_punctuation_the_content_uses_is_mapped() {
        assert_eq!(
            unambiguous("小米分期……“{text}”不能用 — 我 → 设置 · 80×24"),
            "小米分期......\"{text}\"不能用 － 我 > 设置 ・ 80x24"
        );
        // In an English sentence, ASCII.
        assert_eq!(
            unambiguous("xiaohu · close — “{text}” Me (我的) → Help…"),
            "xiaohu - close - \"{text}\" Me (我的) > Help..."
        );
        assert!(matches!(unambiguous("微粒贷，花呗。"), Cow::Borrowed(_)));
        // Only wide terminals get the mapping; control characters are visible in both.
        assert_eq!(Glyphs::NARROW.text("a — b"), "a — b");
        assert_eq!(Glyphs::WIDE.text("花呗 — 蚂蚁"), "花呗 － 蚂蚁");
        assert_eq!(
            Glyphs::WIDE.text("花呗销户\u{1b}[2J—"),
            "花呗销户\\u{1b}[2J－"
        );
        assert_eq!(Glyphs::NARROW.text("one\ntwo"), "one\ntwo");
        assert_eq!(Glyphs::NARROW.line("one\ntwo\u{7}"), "one\\ntwo\\u{7}");
        assert_eq!(Glyphs::WIDE.key("↑↓"), "Up/Down");
        assert_eq!(Glyphs::WIDE.key("PgUp"), "PgUp");
        assert_eq!(Glyphs::NARROW.key("↑↓"), "↑↓");
    }

    #[test]
    fn the_content_uses_no_ambiguous_character_the_map_does_not_know() {
        let content = crate::content::Content::builtin().unwrap();
        let mut texts: Vec<String> = Vec::new();
        for product in &content.products {
            texts.push(format!("{product:?}"));
        }
        texts.push(format!("{:?}", content.ui));
        let unknown: std::collections::BTreeSet<char> = texts
            .iter()
            .flat_map(|t| t.chars())
            .filter(|&c| is_ambiguous(c) && !MAP.iter().any(|(f, ..)| *f == c))
            .collect();
        assert!(
            unknown.is_empty(),
            "ambiguous characters to map: {unknown:?}"
        );
    }
}
