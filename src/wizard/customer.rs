//! Whose case it is, as a public screen may show it. A customer reference is a name or a
//! queue ticket; a screen others can read shows a name with its middle hidden (张*明) and a
//! reference with digits by its last three characters only (尾号 023).

use crate::content::{Lang, UiStrings};

/// The reference as a public screen shows it, in `lang`.
pub fn masked(reference: &str, ui: &UiStrings, lang: Lang) -> String {
    let reference = reference.trim();
    let chars: Vec<char> = reference.chars().collect();
    if chars.iter().any(char::is_ascii_digit) {
        let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
        return ui.customer_tail.fill(lang, &[("tail", &tail)]);
    }
    match chars.as_slice() {
        [] => String::new(),
        [_] => "*".to_owned(),
        [first, _] => format!("{first}*"),
        // At most three stars: the mask hides the middle, and how long it is.
        [first, middle @ .., last] => {
            format!("{first}{}{last}", "*".repeat(middle.len().min(3)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Content;

    #[test]
    fn public_screens_show_a_name_with_its_middle_hidden_and_a_ticket_by_its_tail() {
        let content = Content::builtin().unwrap();
        let ui = &content.ui;
        let m = |r: &str, lang| masked(r, ui, lang);
        assert_eq!(m("张三明", Lang::Zh), "张*明");
        assert_eq!(m("王先生", Lang::Zh), "王*生");
        assert_eq!(m("张明", Lang::Zh), "张*");
        assert_eq!(m("王", Lang::Zh), "*");
        assert_eq!(m("  欧阳修远之  ", Lang::Zh), "欧***之");
        assert_eq!(m("Wang Xiaoming", Lang::En), "W***g");
        assert_eq!(m("A023", Lang::Zh), "尾号 023");
        assert_eq!(m("A023", Lang::En), "ending 023");
        assert_eq!(m("7", Lang::En), "ending 7");
        assert_eq!(m("", Lang::En), "");
    }
}
