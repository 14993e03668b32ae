//! Colours and emphasis. A theme is a TOML file naming a style for each slot the screens
//! use; three ship in `assets/themes/` (embedded in the binary): `default`, `high-contrast`
//! and `monochrome`. With `NO_COLOR` the monochrome one is used whatever was chosen, so
//! selection and errors still show through bold, reverse and underline alone.
//!
//! Parsing is pure: reading a theme file named on the command line is `main`'s job.

use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

use super::glyphs::{Ambiguous, Glyphs};
use crate::content::Diagnostic;

macro_rules! theme_slots {
    ($($(#[$doc:meta])* $slot:ident),* $(,)?) => {
        /// One style per slot; every theme file sets every slot.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Theme {
            $($(#[$doc])* pub $slot: Style,)*
            /// The interface's own characters, for the terminal's way with ambiguous
            /// widths (not a slot of the file: the terminal decides, not the theme).
            pub glyphs: Glyphs,
        }

        /// A theme file as written: every slot required, nothing else allowed.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ThemeFile {
            $($slot: SlotFile,)*
        }

        impl ThemeFile {
            fn styles(self, errors: &mut Vec<(Range<usize>, String)>) -> Theme {
                Theme {
                    $($slot: self.$slot.style(errors),)*
                    glyphs: Glyphs::NARROW,
                }
            }
        }

        impl Theme {
            /// Every slot with its style, for tests and tools.
            pub fn slots(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($slot), self.$slot)),*]
            }

            /// A theme from its slots as `slots` gives them (the embedded form's rows);
            /// `None` unless they are exactly this theme's slots, in order.
            pub fn from_slots(rows: &[(&str, Style)]) -> Option<Theme> {
                let mut rows = rows.iter();
                let theme = Theme {
                    $($slot: match rows.next() {
                        Some((name, style)) if *name == stringify!($slot) => *style,
                        _ => return None,
                    },)*
                    glyphs: Glyphs::NARROW,
                };
                rows.next().is_none().then_some(theme)
            }
        }
    };
}

theme_slots! {
    /// Frame titles and headings.
    title,
    /// Body text.
    text,
    /// Hints and secondary lines.
    dim,
    /// The row under the cursor.
    selected,
    /// Ticked checklist items.
    ticked,
    /// Inline errors, blocked amounts, failed saves.
    error,
    /// Good news: closed, saved.
    ok,
    /// Key names in the footer and help; the typed confirmation.
    key,
    /// The DEMO mark and demo notes.
    demo,
    /// Frame borders.
    border,
    /// Text fields.
    field,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotFile {
    #[serde(default)]
    fg: Option<Spanned<String>>,
    #[serde(default)]
    bg: Option<Spanned<String>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed-out", Modifier::CROSSED_OUT),
];

impl SlotFile {
    fn style(self, errors: &mut Vec<(Range<usize>, String)>) -> Style {
        let mut style = Style::new();
        let mut colour = |c: &Spanned<String>| match Color::from_str(c.get_ref()) {
            Ok(color) => Some(color),
            Err(_) => {
                errors.push((
                    c.span(),
                    format!(
                        "unknown colour `{}`: use a name (red, light-blue, dark-gray …), \
                         an index 0–255 or #rrggbb",
                        c.get_ref()
                    ),
                ));
                None
            }
        };
        if let Some(fg) = self.fg.as_ref().and_then(&mut colour) {
            style = style.fg(fg);
        }
        if let Some(bg) = self.bg.as_ref().and_then(&mut colour) {
            style = style.bg(bg);
        }
        for m in &self.modifiers {
            match MODIFIERS.iter().find(|(name, _)| name == m.get_ref()) {
                Some((_, modifier)) => style = style.add_modifier(*modifier),
                None => {
                    let names: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                    errors.push((
                        m.span(),
                        format!(
                            "unknown modifier `{}`, expected one of {}",
                            m.get_ref(),
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        style
    }
}

/// The themes that ship with xiaohu: (name, file text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../assets/themes/default.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
    (
        "monochrome",
        include_str!("../../assets/themes/monochrome.toml"),
    ),
];

/// The built-in themes as Rust values, made from `BUILTIN` by this module's own parser
/// (`XIAOHU_BLESS=1 cargo test --test forms`; the test fails on a stale form), so no TOML is
/// read before the first frame. Used only if it was made from exactly these files (the
/// hash, as for the built-in content: `content::embedded`).
#[rustfmt::skip]
mod form;

/// A theme slot's style as the form writes it: its colours, and its modifiers' bits.
const fn style(fg: Option<Color>, bg: Option<Color>, modifiers: u16) -> Style {
    let mut style = Style::new();
    if let Some(fg) = fg {
        style = style.fg(fg);
    }
    if let Some(bg) = bg {
        style = style.bg(bg);
    }
    style.add_modifier(Modifier::from_bits_retain(modifiers))
}

/// A built-in theme's slots as the form holds them: (slot, style), in the slots' order.
type Slots = &'static [(&'static str, Style)];

const fn sources_hash(themes: &[(&str, &str)]) -> u64 {
    use crate::content::embedded::{FNV_OFFSET, file_hash};
    let mut hash = FNV_OFFSET;
    let mut i = 0;
    while i < themes.len() {
        hash = file_hash(hash, themes[i]);
        i += 1;
    }
    hash
}

/// The hash of the theme files this binary embeds.
const SOURCES_HASH: u64 = sources_hash(BUILTIN);

/// The themes from the form, if it was made from theme files of hash `sources`.
fn from_form(sources: u64) -> Option<Vec<(&'static str, Theme)>> {
    if form::SOURCES_HASH != sources {
        return None;
    }
    form::THEMES
        .iter()
        .map(|(name, slots)| Some((*name, Theme::from_slots(slots)?)))
        .collect()
}

/// Where the form is, in the source tree.
pub const FORM_PATH: &str = "src/ui/theme/form.rs";

/// What the form must hold: the built-in theme files parsed and written out as Rust
/// (`tests/forms.rs` compares it with the file). Pure.
#[doc(hidden)]
pub fn form_source() -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "//! @generated by `XIAOHU_BLESS=1 cargo test --test forms` from `assets/themes/`: \
         do not edit.\n//! What it is and why: `src/ui/theme.rs`.\n\n\
         use ratatui::style::Color;\n\nuse super::{Slots, style};\n\n",
    );
    let _ = writeln!(
        out,
        "pub const SOURCES_HASH: u64 = 0x{SOURCES_HASH:016x};\n"
    );
    out.push_str("pub static THEMES: &[(&str, Slots)] = &[\n");
    let colour = |c: Option<Color>| c.map_or("None".to_owned(), |c| format!("Some(Color::{c:?})"));
    for (name, source) in BUILTIN {
        let theme = Theme::parse(name, source).expect("a built-in theme parses");
        let _ = writeln!(out, "    ({name:?}, &[");
        for (slot, s) in theme.slots() {
            assert!(
                s.sub_modifier.is_empty() && s.underline_color.is_none(),
                "{name}.{slot}"
            );
            let _ = writeln!(
                out,
                "        ({slot:?}, style({}, {}, 0x{:04x})),",
                colour(s.fg),
                colour(s.bg),
                s.add_modifier.bits()
            );
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    out
}

/// The built-in themes: from the form, or parsed if it is not of these files.
static PARSED: LazyLock<Vec<(&'static str, Theme)>> = LazyLock::new(|| {
    if let Some(themes) = from_form(SOURCES_HASH) {
        return themes;
    }
    BUILTIN
        .iter()
        .map(|(name, source)| {
            let path = format!("assets/themes/{name}.toml");
            let theme = Theme::parse(&path, source)
                .unwrap_or_else(|e| panic!("built-in theme {name} is broken: {e:?}"));
            (*name, theme)
        })
        .collect()
});

impl Theme {
    /// A theme file's text; `path` is only for the messages, which are
    /// `path:line:col: error: …`, every problem at once.
    pub fn parse(path: &str, source: &str) -> Result<Theme, Vec<Diagnostic>> {
        let file: ThemeFile = toml::from_str(source).map_err(|e| {
            vec![Diagnostic::at(
                path,
                source,
                e.span().unwrap_or(0..0),
                e.message().trim_end(),
            )]
        })?;
        let mut errors = Vec::new();
        let theme = file.styles(&mut errors);
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors
                .into_iter()
                .map(|(span, message)| Diagnostic::at(path, source, span, message))
                .collect())
        }
    }

    /// A theme that ships with xiaohu, by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        PARSED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The default theme.
    pub fn color() -> Theme {
        Theme::builtin("default").expect("the default theme ships")
    }

    pub fn monochrome() -> Theme {
        Theme::builtin("monochrome").expect("the monochrome theme ships")
    }

    /// The same colours, with the glyphs for a terminal that draws ambiguous characters so.
    pub fn for_terminal(self, ambiguous: Ambiguous) -> Theme {
        Theme {
            glyphs: Glyphs::for_terminal(ambiguous),
            ..self
        }
    }

    /// The theme to draw with: `chosen`, unless `NO_COLOR` is set to anything non-empty
    /// (no-color.org), which means monochrome whatever was chosen.
    pub fn for_env(no_color: Option<&str>, chosen: Theme) -> Theme {
        match no_color {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => chosen,
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn the_theme_form_gives_what_parsing_the_files_gives() {
        let themes = from_form(SOURCES_HASH).expect("the form is of these files");
        assert_eq!(themes.len(), BUILTIN.len());
        for ((name, theme), (file, source)) in themes.iter().zip(BUILTIN) {
            assert_eq!(name, file);
            let parsed = Theme::parse(name, source).unwrap();
            assert_eq!(*theme, parsed, "{name}");
            assert_eq!(Theme::builtin(name), Some(parsed), "{name}");
        }
        assert!(
            from_form(SOURCES_HASH ^ 1).is_none(),
            "a form of other files is not used"
        );
        assert_ne!(sources_hash(BUILTIN), sources_hash(&BUILTIN[1..]));
    }

    #[test]
    fn slots_of_another_theme_give_no_theme() {
        let slots = Theme::color().slots();
        assert!(Theme::from_slots(&slots).is_some());
        let mut swapped = slots.clone();
        swapped.swap(0, 1);
        assert!(Theme::from_slots(&swapped).is_none());
        assert!(Theme::from_slots(&slots[1..]).is_none());
        let mut more = slots.clone();
        more.push(slots[0]);
        assert!(Theme::from_slots(&more).is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_parses_and_sets_every_slot() {
        for (name, source) in BUILTIN {
            let theme = Theme::parse(name, source).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(theme.slots().len(), 11);
            // Each slot is required: leaving any one out is an error naming it.
            for (slot, _) in theme.slots() {
                let without: String = source
                    .lines()
                    .filter(|l| !l.starts_with(&format!("{slot} =")))
                    .collect::<Vec<_>>()
                    .join("\n");
                let e = Theme::parse(name, &without).unwrap_err();
                assert!(
                    e[0].message.contains(&format!("missing field `{slot}`")),
                    "{name} without {slot}: {e:?}"
                );
            }
        }
        assert_eq!(
            BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["default", "high-contrast", "monochrome"]
        );
    }

    #[test]
    fn the_default_theme_is_the_colours_xiaohu_always_had() {
        let t = Theme::color();
        let bold = Modifier::BOLD;
        assert_eq!(t.title, Style::new().fg(Color::Cyan).add_modifier(bold));
        assert_eq!(t.text, Style::new());
        assert_eq!(t.dim, Style::new().fg(Color::DarkGray));
        assert_eq!(
            t.selected,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(bold)
        );
        assert_eq!(t.ticked, Style::new().fg(Color::Green));
        assert_eq!(t.error, Style::new().fg(Color::Red).add_modifier(bold));
        assert_eq!(t.ok, Style::new().fg(Color::Green).add_modifier(bold));
        assert_eq!(t.key, Style::new().fg(Color::Yellow).add_modifier(bold));
        assert_eq!(
            t.demo,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(bold)
        );
        assert_eq!(t.border, Style::new().fg(Color::Blue));
        assert_eq!(t.field, Style::new().add_modifier(Modifier::UNDERLINED));
    }

    #[test]
    fn monochrome_has_no_colour_and_still_marks_selection_and_errors() {
        let t = Theme::monochrome();
        for (slot, style) in t.slots() {
            assert_eq!((style.fg, style.bg), (None, None), "{slot} has a colour");
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(t.error.add_modifier.contains(Modifier::BOLD));
        let hc = Theme::builtin("high-contrast").unwrap();
        assert_ne!(hc, Theme::color());
        assert_eq!(hc.dim.fg, None, "high contrast has no grey text");
    }

    #[test]
    fn no_color_wins_over_any_theme() {
        let hc = Theme::builtin("high-contrast").unwrap();
        assert_eq!(Theme::for_env(Some("1"), hc), Theme::monochrome());
        assert_eq!(
            Theme::for_env(Some("1"), Theme::color()),
            Theme::monochrome()
        );
        // Set but empty means nothing (no-color.org).
        assert_eq!(Theme::for_env(Some(""), hc), hc);
        assert_eq!(Theme::for_env(None, hc), hc);
    }

    #[test]
    fn problems_are_reported_at_their_line_and_column() {
        let source = "title = { fg = \"cyan\" }\ntext = {}\ndim = { fg = \"greyish\" }\n\
                      selected = { modifiers = [\"bold\", \"blinking\"] }\n";
        let e = Theme::parse("my.toml", source).unwrap_err();
        // Shape errors stop first: the missing slots.
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("missing field `ticked`"), "{e:?}");

        let mut full = BUILTIN[0].1.to_owned();
        full = full.replace("dim = { fg = \"dark-gray\" }", "dim = { fg = \"greyish\" }");
        full = full.replace(
            "field = { modifiers = [\"underlined\"] }",
            "field = { modifiers = [\"underlined\", \"blinking\"] }",
        );
        let e = Theme::parse("my.toml", &full).unwrap_err();
        let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
        let dim_line = full.lines().position(|l| l.starts_with("dim =")).unwrap() + 1;
        let field_line = full.lines().position(|l| l.starts_with("field =")).unwrap() + 1;
        assert_eq!(
            lines,
            [
                format!(
                    "my.toml:{dim_line}:14: error: unknown colour `greyish`: use a name (red, \
                     light-blue, dark-gray …), an index 0–255 or #rrggbb"
                ),
                format!(
                    "my.toml:{field_line}:38: error: unknown modifier `blinking`, expected one \
                     of bold, dim, italic, underlined, reversed, crossed-out"
                ),
            ]
        );

        let e = Theme::parse("my.toml", &format!("{full}\nsparkle = {{}}\n")).unwrap_err();
        assert!(
            e[0].to_string().contains("unknown field `sparkle`"),
            "{e:?}"
        );
        let e = Theme::parse("my.toml", "title = [").unwrap_err();
        assert!(e[0].to_string().starts_with("my.toml:1:"), "{e:?}");
    }
}
