//! Secrets must never reach a case file. The wizard asks for none, but a person may type
//! one into the only free-text field (the contact reference): an ID-card number, a bank card
//! number, or a bare code that looks like an SMS code or a six-digit payment password.

/// What a typed text looks like, if it looks like something that must not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secretish {
    /// 18 characters: 17 digits and a digit or X (a resident identity card number).
    IdNumber,
    /// 13 to 19 digits in a row (a bank card number).
    CardNumber,
    /// Nothing but 4 to 8 digits (an SMS code, a payment password).
    Code,
}

pub fn looks_secret(text: &str) -> Option<Secretish> {
    // People group digits with spaces or dashes; full-width digits count as digits.
    let compact: Vec<char> = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            'ｘ' | 'Ｘ' => 'X',
            c => c,
        })
        .collect();
    let mut run = 0;
    for (i, c) in compact.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
        } else {
            if run == 17 && matches!(c, 'X' | 'x') {
                return Some(Secretish::IdNumber);
            }
            if (13..=19).contains(&run) {
                return Some(Secretish::CardNumber);
            }
            run = 0;
        }
        if i + 1 == compact.len() {
            if run == 18 {
                return Some(Secretish::IdNumber);
            }
            if (13..=19).contains(&run) {
                return Some(Secretish::CardNumber);
            }
        }
    }
    if (4..=8).contains(&compact.len()) && compact.iter().all(char::is_ascii_digit) {
        return Some(Secretish::Code);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_cards_bank_cards_and_bare_codes_are_recognised() {
        let secret = [
            ("110101199003071234", Secretish::IdNumber),
            ("11010119900307123X", Secretish::IdNumber),
            ("身份证 110101 19900307 123x", Secretish::IdNumber),
            ("１１０１０１１９９００３０７１２３４", Secretish::IdNumber),
            ("6222 0212 3456 7890", Secretish::CardNumber),
            ("card 6222021234567890123", Secretish::CardNumber),
            ("482913", Secretish::Code),
            ("4829", Secretish::Code),
            ("48 29 13", Secretish::Code),
        ];
        for (text, kind) in secret {
            assert_eq!(looks_secret(text), Some(kind), "{text}");
        }
    }

    #[test]
    fn ticket_numbers_and_notes_are_kept() {
        for text in [
            "",
            "工单 482913",
            "T-2026-1121-07",
            "客服小王说三个工作日",
            "call back Monday",
            "123",
            "ticket 20261121",
        ] {
            assert_eq!(looks_secret(text), None, "{text}");
        }
    }
}
