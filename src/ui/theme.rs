//! Colours and emphasis. With `NO_COLOR` every style keeps only bold, reverse and underline,
//! so selection and errors still show on a monochrome terminal.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub text: Style,
    pub dim: Style,
    pub selected: Style,
    pub ticked: Style,
    pub error: Style,
    pub ok: Style,
    pub key: Style,
    pub demo: Style,
    pub border: Style,
    pub field: Style,
}

impl Theme {
    pub fn color() -> Theme {
        Theme {
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            ticked: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            demo: Style::new()
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::Blue),
            field: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn monochrome() -> Theme {
        Theme {
            title: Style::new().add_modifier(Modifier::BOLD),
            text: Style::new(),
            dim: Style::new(),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ticked: Style::new(),
            error: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new().add_modifier(Modifier::BOLD),
            key: Style::new().add_modifier(Modifier::BOLD),
            demo: Style::new().add_modifier(Modifier::REVERSED),
            border: Style::new(),
            field: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    /// `NO_COLOR` set to anything non-empty means monochrome (no-color.org).
    pub fn for_env(no_color: Option<&str>) -> Theme {
        match no_color {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::color(),
        }
    }
}
