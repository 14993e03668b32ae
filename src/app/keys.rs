//! Keys to actions: crossterm's key events as `keymap::Key`s, then the keymap's table
//! (`crate::keymap`) says what each sends. Letters are commands only outside text fields;
//! there they are text, and F1/F3/Esc/Ctrl-C do the work.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::InputRequest;

use crate::keymap::{self, Key};
use crate::wizard::Action;

/// What `key` sends: letters are text in a focused field; on a kiosk the staff keys send
/// nothing (the keymap's staff rows).
pub fn action(key: KeyEvent, text_focus: bool, kiosk: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    keymap::sends_in(translate(key)?, text_focus, kiosk)
}

/// The key crossterm read, as the keymap names it. Shift is part of the character (`?`,
/// `Q`); other modifiers on named keys are ignored, as terminals differ in sending them.
pub fn translate(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace if ctrl || alt => Key::WordBackspace,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::F(n) => Key::F(n),
        KeyCode::Char(c) if ctrl => Key::Ctrl(c),
        KeyCode::Char(c) if alt => Key::Alt(c),
        KeyCode::Char(' ') => Key::Space,
        KeyCode::Char(c) => Key::Char(c),
        _ => return None,
    })
}

/// Most characters one paste types: more than any field takes (the fields keep their own
/// limits), few enough that one paste cannot keep the loop busy.
pub const PASTE_MAX: usize = 4096;

/// A paste (bracketed, so never mistaken for keys) as the characters it types. Only into a
/// text field: anywhere else a paste does nothing (a pasted "q" must not quit, a pasted
/// newline must not choose). Control characters are dropped (a newline must not send the
/// field), and so are whole escape sequences inside the text (`ESC [ … final`, `ESC ] …
/// BEL`), so no tail of one is typed.
pub fn paste(text: &str, text_focus: bool) -> Vec<Action> {
    if !text_focus {
        return Vec::new();
    }
    let mut chars = text.chars().peekable();
    let mut actions = Vec::new();
    while let Some(c) = chars.next() {
        if actions.len() >= PASTE_MAX {
            break;
        }
        if c == '\x1b' {
            skip_escape(&mut chars);
        } else if !c.is_control() {
            actions.push(Action::Edit(InputRequest::InsertChar(c)));
        }
    }
    actions
}

/// Skips the rest of an escape sequence whose ESC was just read.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.next() {
        // CSI: parameters and intermediates, up to a final byte @ … ~.
        Some('[') => {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
        // OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \).
        Some(']' | 'P' | 'X' | '^' | '_') => {
            while let Some(c) = chars.next() {
                if c == '\x07' {
                    break;
                }
                if c == '\x1b' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // ESC and one more character (SS3 O x takes one after the O).
        Some('O') => {
            chars.next();
        }
        _ => {}
    }
}

/// Most keys one OSC string swallows (a title or a colour reply is far shorter); past it,
/// keys are keys again.
const OSC_MAX: usize = 4096;

/// An OSC string (`ESC ] … BEL` or `ESC ] … ESC \`: a terminal's reply, a title) that arrives
/// raw, outside a bracketed paste, reaches crossterm's parser as keys: Alt+']', its text, then
/// Ctrl+G (BEL) or Alt+'\\' (ST). None of it is typing, so from the Alt+']' to the terminator
/// every key is swallowed; the tail (`0;x`) is not typed into a field. The string also ends
/// where the input ends (`input_ended`: nothing more was read at once), so an Alt+] pressed by
/// hand swallows nothing after it, and after `OSC_MAX` keys.
#[derive(Debug, Default)]
pub struct Osc {
    /// Keys swallowed so far of the string under way; `None` outside one.
    inside: Option<usize>,
}

impl Osc {
    /// Whether `key` belongs to an OSC string (and so is not a key).
    pub fn swallows(&mut self, key: &KeyEvent) -> bool {
        let Some(count) = self.inside else {
            if key.code == KeyCode::Char(']') && key.modifiers == KeyModifiers::ALT {
                self.inside = Some(0);
                return true;
            }
            return false;
        };
        let bel = key.code == KeyCode::Char('g') && key.modifiers == KeyModifiers::CONTROL;
        let st = key.code == KeyCode::Char('\\') && key.modifiers == KeyModifiers::ALT;
        self.inside = if bel || st || count + 1 >= OSC_MAX {
            None
        } else {
            Some(count + 1)
        };
        true
    }

    /// Nothing more was read at once: a string still open was cut off, and what follows is
    /// typed again.
    pub fn input_ended(&mut self) {
        self.inside = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_are_commands_only_outside_text_fields() {
        assert!(matches!(
            action(key(KeyCode::Char('q')), false, false),
            Some(Action::Quit)
        ));
        assert!(matches!(
            action(key(KeyCode::Char('q')), true, false),
            Some(Action::Edit(InputRequest::InsertChar('q')))
        ));
        assert!(matches!(
            action(key(KeyCode::Char('j')), false, false),
            Some(Action::Down)
        ));
        assert!(matches!(
            action(key(KeyCode::Char(' ')), false, false),
            Some(Action::Tick)
        ));
    }

    #[test]
    fn ctrl_c_and_function_keys_work_everywhere() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for focus in [false, true] {
            assert!(matches!(action(ctrl_c, focus, false), Some(Action::Quit)));
            assert!(matches!(
                action(key(KeyCode::F(1)), focus, false),
                Some(Action::Help)
            ));
            assert!(matches!(
                action(key(KeyCode::F(2)), focus, false),
                Some(Action::SwitchLang)
            ));
            assert!(matches!(
                action(key(KeyCode::Esc), focus, false),
                Some(Action::Back)
            ));
        }
    }

    #[test]
    fn editing_keys_edit_a_field_and_nothing_else() {
        use InputRequest::*;
        let with = |code, modifiers| KeyEvent::new(code, modifiers);
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        let none = KeyModifiers::NONE;
        for (event, request) in [
            (with(KeyCode::Backspace, none), DeletePrevChar),
            (with(KeyCode::Backspace, ctrl), DeletePrevWord),
            (with(KeyCode::Backspace, alt), DeletePrevWord),
            (with(KeyCode::Delete, none), DeleteNextChar),
            (with(KeyCode::Left, none), GoToPrevChar),
            (with(KeyCode::Right, none), GoToNextChar),
            (with(KeyCode::Home, none), GoToStart),
            (with(KeyCode::End, none), GoToEnd),
            (with(KeyCode::Char('u'), ctrl), DeleteLine),
            (with(KeyCode::Char('w'), ctrl), DeletePrevWord),
            (with(KeyCode::Char('a'), ctrl), GoToStart),
            (with(KeyCode::Char('e'), ctrl), GoToEnd),
            (
                with(KeyCode::Char('Q'), KeyModifiers::SHIFT),
                InsertChar('Q'),
            ),
        ] {
            let sent = action(event, true, false).map(|a| format!("{a:?}"));
            assert_eq!(
                sent,
                Some(format!("{:?}", Action::Edit(request))),
                "{event:?}"
            );
            assert!(
                action(event, false, false).is_none() || event.code == KeyCode::Char('Q'),
                "{event:?} outside a field"
            );
        }
        // Alt and a letter is not typed; Ctrl and another letter neither.
        assert!(action(with(KeyCode::Char('x'), alt), true, false).is_none());
        assert!(action(with(KeyCode::Char('x'), ctrl), true, false).is_none());
        // Shift is part of the character: `?` is help outside a field.
        let question = with(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(matches!(action(question, false, false), Some(Action::Help)));
    }

    fn typed(actions: &[Action]) -> String {
        actions
            .iter()
            .map(|a| match a {
                Action::Edit(InputRequest::InsertChar(c)) => *c,
                other => panic!("a paste made {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_paste_types_its_characters_into_a_text_field_only() {
        assert_eq!(typed(&paste("12 34.50", true)), "12 34.50");
        assert_eq!(typed(&paste("花呗 huabei", true)), "花呗 huabei");
        // Outside a text field nothing happens: not a quit, not a tick, not a choice.
        assert!(paste("q", false).is_empty());
        assert!(paste(" \r\n", false).is_empty());
    }

    #[test]
    fn a_paste_drops_control_characters_and_escape_sequences() {
        assert_eq!(typed(&paste("1\t2\r\n3\x07\x7f4", true)), "1234");
        // Esc and the character after it (Alt+x) are one key, not text.
        assert_eq!(typed(&paste("a\x1bxb", true)), "ab");
        assert_eq!(typed(&paste("a\x1b]0;x\x07b", true)), "ab");
        assert_eq!(typed(&paste("a\x1b]0;x\x1b\\b", true)), "ab");
        assert_eq!(typed(&paste("a\x1b[1;31mb\x1b[0mc", true)), "abc");
        assert_eq!(typed(&paste("a\x1bOAb", true)), "ab");
        // An escape sequence cut off at the end of the paste leaves nothing behind.
        assert_eq!(typed(&paste("a\x1b]0;x", true)), "a");
    }

    #[test]
    fn a_huge_paste_is_cut_at_the_limit() {
        let text = "9".repeat(PASTE_MAX * 3);
        assert_eq!(paste(&text, true).len(), PASTE_MAX);
    }

    /// The keys crossterm's parser makes of `bytes` when they arrive raw.
    fn raw_keys(bytes: &str) -> Vec<KeyEvent> {
        let mut keys = Vec::new();
        let mut chars = bytes.chars();
        while let Some(c) = chars.next() {
            keys.push(match c {
                '\x1b' => {
                    let next = chars.next().expect("ESC and one more");
                    KeyEvent::new(KeyCode::Char(next), KeyModifiers::ALT)
                }
                // 0x01 … 0x1A as crossterm has them: Ctrl+A … Ctrl+Z (BEL is Ctrl+G).
                '\x01'..='\x1a' => {
                    let letter = char::from(b'a' + (c as u8 - 1));
                    KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL)
                }
                c => key(KeyCode::Char(c)),
            });
        }
        keys
    }

    /// What gets through `osc` of `bytes`, as text.
    fn through(osc: &mut Osc, bytes: &str) -> String {
        raw_keys(bytes)
            .into_iter()
            .filter(|k| !osc.swallows(k))
            .map(|k| match k.code {
                KeyCode::Char(c) if k.modifiers == KeyModifiers::ALT => format!("<M-{c}>"),
                KeyCode::Char(c) if k.modifiers == KeyModifiers::CONTROL => format!("<C-{c}>"),
                KeyCode::Char(c) => c.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_raw_osc_string_is_swallowed_up_to_bel_or_st() {
        let mut osc = Osc::default();
        assert_eq!(through(&mut osc, "a\x1b]0;x\x07b"), "ab");
        assert_eq!(through(&mut osc, "a\x1b]11;rgb:0/0/0\x1b\\c"), "ac");
        // Two in a row, and keys that are not Alt+] are left alone.
        assert_eq!(
            through(&mut osc, "\x1b]0;x\x07\x1b]2;y\x07\x1bxq\x07"),
            "<M-x>q<C-g>"
        );
        // Inside a string, other Alt keys and control keys are part of it.
        assert_eq!(through(&mut osc, "\x1b]8;;\x1bx\x03\x1b\\ok"), "ok");
    }

    #[test]
    fn an_unterminated_osc_string_ends_with_the_input() {
        let mut osc = Osc::default();
        assert_eq!(through(&mut osc, "a\x1b]0;x"), "a");
        osc.input_ended();
        // An Alt+] pressed by hand, then typing later: only the Alt+] is gone.
        assert_eq!(through(&mut osc, "\x1b]"), "");
        osc.input_ended();
        assert_eq!(through(&mut osc, "0;x"), "0;x");
    }

    #[test]
    fn a_huge_osc_string_is_cut_at_the_limit() {
        let mut osc = Osc::default();
        let text = format!("\x1b]{}", "9".repeat(OSC_MAX + 2));
        assert_eq!(through(&mut osc, &text), "99");
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut k = key(KeyCode::Enter);
        k.kind = KeyEventKind::Release;
        assert!(action(k, false, false).is_none());
    }
}
