//! Secrets must never reach a case file. The wizard asks for none, but a person may type
//! one into the only free-text field (the contact reference): an ID-card number, a bank card
//! number, a mobile number, or a code (an SMS code, a six-digit payment password). What is
//! refused is what is a secret by its structure or by the words around it — not every run
//! of digits: a ticket number of 8, 10 or 12 digits is what the field is for.
//!
//! How a note is read:
//! 1. **Normalised.** Invisible characters (format characters such as U+200B, U+202E, U+FEFF,
//!    variation selectors) are dropped, control characters become spaces, then NFKC folds
//!    full-width digits and letters, no-break spaces and look-alike dashes into plain ones;
//!    the decimal digits of other scripts count as digits.
//! 2. **Cut into groups.** A group is a run of digits (with an X after it, for an ID number).
//!    Groups follow each other in a chain when only separators (spaces, punctuation,
//!    symbols, however many) stand between them; a letter or a Chinese character ends the
//!    chain. So `110101.19900307.1234`, `6222 0212 3456 7890`, `110101 - 19900307` and
//!    `110101／19900307／1234` are chains.
//! 3. **Every candidate on its own.** Each run of consecutive groups in a chain (one group, two,
//!    …) is checked by itself: `110101199003071234 482913` holds an ID number (the first
//!    group), however many digits follow it.
//! 4. **Codes.** In a note without words, a number of four to six digits (the length of SMS
//!    codes and payment passwords), or a run of six beside other numbers, is a code; digits in
//!    a note that names a secret (密码, 验证码, code, PIN, …) are a code whatever their length.

use unicode_normalization::UnicodeNormalization;

/// What a typed text looks like, if it looks like something that must not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secretish {
    /// 18 characters: 17 digits and a digit or X (a resident identity card number), whatever
    /// its check digit — a mistyped ID number still names the person; or the 15-digit
    /// first-generation number (a region, then a birth date YYMMDD).
    IdNumber,
    /// 16 to 19 digits (a bank card number, Luhn-valid or mistyped), 13 to 15 digits that pass
    /// the Luhn check, or an unbroken run longer than any card, which may hold one.
    CardNumber,
    /// A full mainland mobile number, `1[3-9]` and nine digits (the agent asks for it; it is
    /// never kept here).
    MobileNumber,
    /// In a note with no words, 4 to 6 digits (an SMS code, a payment password), or a run of
    /// exactly six beside other numbers; or four digits or more in a note that names a
    /// password or a code.
    Code,
}

/// Words that say the digits beside them are a secret. Chinese (simplified and traditional)
/// are matched anywhere in the note's letters; so are the long English words (so `SMS code`,
/// `SMScode` and `c o d e` all count).
const SECRET_WORDS: &[&str] = &[
    "密码",
    "密碼",
    "验证码",
    "驗證碼",
    "口令",
    "校验码",
    "校驗碼",
    "动态码",
    "動態碼",
    "短信码",
    "簡訊碼",
    "安全码",
    "安全碼",
    "授权码",
    "授權碼",
    "code",
    "password",
    "passwd",
];

/// Short English words matched only as whole words (`pin` is in `shopping`).
const SECRET_SHORT_WORDS: &[&str] = &["pin", "pins", "pwd", "cvv", "cvc", "cvn", "otp", "tan"];

/// The note as it is kept: without invisible characters (zero-width spaces, direction
/// overrides, byte-order marks, variation selectors) and without control characters (a
/// tab or a line break becomes a space), trimmed. What the person can see is what is kept.
pub fn clean_note(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if invisible(c) {
            continue;
        }
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            if c.is_whitespace() {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// A note (or a reason) as it is kept: cleaned ([`clean_note`]), at most `max`
/// characters; `Ok(None)` when nothing is left of it, `Err` with what it looks like when
/// it holds a secret (checked on the whole text, before any cut, so half an ID number is
/// never kept).
pub fn keep_note(text: &str, max: usize) -> Result<Option<String>, Secretish> {
    let clean = clean_note(text);
    if let Some(secret) = looks_secret(&clean) {
        return Err(secret);
    }
    let kept: String = clean.chars().take(max).collect();
    let kept = kept.trim_end().to_owned();
    Ok(Some(kept).filter(|k| !k.is_empty()))
}

/// Whether a typed character is taken into a note: what is seen is what is kept, so no
/// control character, no direction override, nothing invisible.
pub fn takes(c: char) -> bool {
    !c.is_control() && !invisible(c)
}

pub use crate::safe_text::is_invisible as invisible;

/// The first code point of the ten decimal digits of scripts NFKC leaves alone (Arabic-Indic,
/// Devanagari, Bengali, Thai, Myanmar, …), so `٤٨٢٩١٣` is digits too.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0x104A0, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
    0x11730, 0x118E0, 0x16A60, 0x16B50, 0x1E950,
];

fn digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let n = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&n))
        .map(|zero| (n - zero) as u8)
}

/// A Chinese numeral read digit by digit, as a number is dictated (`一三八`, `幺`, `洞` for
/// one and zero on the phone) or written on a form (`壹贰叁`). 十, 百 and the like are
/// not digits: they give a number's size, not its digits.
fn chinese_digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '零' | '○' | '洞' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '贰' | '貳' | '两' | '兩' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// English digit words, read as digits when they stand as whole words (`one three eight`).
const DIGIT_WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// The note as the checks read it: invisible characters gone, controls as spaces, NFKC,
/// every decimal digit as an ASCII one, lower case, and numbers spelt out in Chinese
/// numerals or English words as digits.
fn normalise(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|&c| !invisible(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let folded: String = visible
        .nfkc()
        .map(|c| {
            digit(c)
                .or_else(|| chinese_digit(c))
                .map_or(c, |d| char::from(b'0' + d))
        })
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = String::with_capacity(folded.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match DIGIT_WORDS.iter().position(|w| w == word) {
            Some(d) => out.push(char::from(b'0' + d as u8)),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in folded.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A run of digits, and whether an X closed it (`123x`).
struct Group {
    digits: String,
    x: bool,
}

/// What the note holds: its chains of digit groups, whether it has a letter anywhere, and
/// how many digits it has in all.
struct Reading {
    chains: Vec<Vec<Group>>,
    letters: bool,
    digits: usize,
}

fn read(norm: &str) -> Reading {
    let chars: Vec<char> = norm.chars().collect();
    let mut reading = Reading {
        chains: Vec::new(),
        letters: false,
        digits: 0,
    };
    let mut chain: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            reading.digits += digits.len();
            // An X right after the digits, not the start of a word, ends an ID number.
            let x = chars.get(i) == Some(&'x')
                && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
            if x {
                i += 1;
            }
            chain.push(Group { digits, x });
            // Nothing follows an ID number's X in the same number.
            if x {
                reading.chains.push(std::mem::take(&mut chain));
            }
            continue;
        }
        // Separators join; a letter (or a Chinese character) ends the number.
        if c.is_alphanumeric() {
            reading.letters = true;
            if !chain.is_empty() {
                reading.chains.push(std::mem::take(&mut chain));
            }
        }
        i += 1;
    }
    if !chain.is_empty() {
        reading.chains.push(chain);
    }
    reading
}

/// The Luhn check every bank card number passes.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A 15-digit first-generation ID number: a region (first digit 1 to 8), then YYMMDD.
fn old_id(digits: &str) -> bool {
    let b = digits.as_bytes();
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    b.len() == 15 && (b'1'..=b'8').contains(&b[0]) && (1..=12).contains(&two(8)) && {
        (1..=31).contains(&two(10))
    }
}

/// One candidate: the digits of consecutive groups of a chain, joined.
fn candidate(digits: &str, x: bool, single: bool) -> Option<Secretish> {
    let n = digits.len();
    if (n == 18 && !x) || (n == 17 && x) || (n == 15 && !x && old_id(digits)) {
        return Some(Secretish::IdNumber);
    }
    if (16..=19).contains(&n) || ((13..=15).contains(&n) && luhn(digits)) || (single && n > 19) {
        return Some(Secretish::CardNumber);
    }
    if mobile(digits) && !x {
        return Some(Secretish::MobileNumber);
    }
    None
}

/// A mainland mobile number: 11 digits, `1` and then `3` to `9`.
fn mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

fn names_a_secret(norm: &str) -> bool {
    // Letters only (separators, digits and marks between them dropped): `验 证 码`, `c-o-d-e`.
    let letters: String = norm.chars().filter(|c| c.is_alphabetic()).collect();
    if SECRET_WORDS.iter().any(|w| letters.contains(w)) {
        return true;
    }
    norm.split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| SECRET_SHORT_WORDS.contains(&word))
}

pub fn looks_secret(text: &str) -> Option<Secretish> {
    let norm = normalise(text);
    let reading = read(&norm);
    let mut code = false;
    for chain in &reading.chains {
        for start in 0..chain.len() {
            let mut joined = String::new();
            for (end, group) in chain.iter().enumerate().skip(start) {
                joined.push_str(&group.digits);
                if let Some(kind) = candidate(&joined, group.x, start == end) {
                    return Some(kind);
                }
                // With no words around them: a run of six (`482913 20261121`), or a whole
                // number of four to six digits (`4829`, `48 29 13`), is a code; longer
                // numbers (`12345678`, `1234-5678`) are what tickets look like.
                let whole = start == 0 && end == chain.len() - 1;
                let six = start == end && joined.len() == 6;
                if !reading.letters && (six || (whole && (4..=6).contains(&joined.len()))) {
                    code = true;
                }
                if joined.len() > 19 {
                    break;
                }
            }
        }
    }
    let bare = !reading.letters && (4..=6).contains(&reading.digits);
    let named = reading.digits >= 4 && names_a_secret(&norm);
    (code || bare || named || password_given(&norm)).then_some(Secretish::Code)
}

/// Words after which a password itself may follow, as a word of letters and digits.
const PASSWORD_WORDS: &[&str] = &[
    "密码", "密碼", "口令", "password", "passwd", "passcode", "pwd",
];

/// A password written out: a password word, then (after `是`, `为`, `:`, `is` …) a word of
/// four keyboard characters or more with a digit in it (`密码是 Pa55w0rd!`, `password
/// hunter2`). A password word followed by other words (`客户忘记密码，已重置`, `密码错误3次`)
/// is a note.
fn password_given(norm: &str) -> bool {
    PASSWORD_WORDS.iter().any(|w| {
        norm.match_indices(w).any(|(at, _)| {
            let rest = norm[at + w.len()..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ':' | '=' | '是' | '为' | '為' | '：')
            });
            let rest = rest.strip_prefix("is ").unwrap_or(rest).trim_start();
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '，' | '。' | '；' | ',' | ';'))
                .collect();
            // Typed on a keyboard's letters, digits and signs: `错误3次` after 密码 is a note.
            token.chars().count() >= 4
                && token.chars().all(|c| c.is_ascii_graphic())
                && token.chars().any(|c| c.is_ascii_digit())
        })
    })
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

    /// Every note the issue found stored, and the ways round the guard found since: each
    /// must be refused, as what it is.
    #[test]
    fn the_ways_round_the_guard_are_closed() {
        use Secretish::*;
        let secret = [
            // An ID number and a code: two candidates, not one 24-digit run.
            ("110101199003071234 482913", IdNumber),
            ("验证码 482913", Code),
            ("密码482913", Code),
            ("SMS code: 482913", Code),
            ("110101.19900307.1234", IdNumber),
            ("110101/19900307/1234", IdNumber),
            ("110101\u{a0}19900307\u{a0}1234", IdNumber),
            ("110101\u{200b}19900307\u{200b}1234", IdNumber),
            ("110101\u{ff0d}19900307\u{ff0d}1234", IdNumber),
            ("１１０１０１．１９９００３０７．１２３４", IdNumber),
            ("6222.0212.3456.7890", CardNumber),
            ("6222 0212 3456 7890 482913", CardNumber),
            // More of the same.
            ("110101199003071234482913", CardNumber),
            ("工单 110101199003071234", IdNumber),
            ("ID 110101-19900307-123Ｘ", IdNumber),
            ("110101\u{202e}19900307\u{2066}1234", IdNumber),
            ("110101\u{feff}19900307\u{2060}1234", IdNumber),
            ("110101\u{3000}19900307\u{3000}1234", IdNumber),
            ("110101\u{2011}19900307\u{2013}1234", IdNumber),
            ("110101 - 19900307 - 1234", IdNumber),
            ("ID 110101     19900307     1234", IdNumber),
            ("身份证 110101....19900307....1234", IdNumber),
            ("٤٨٢٩١٣", Code),
            ("𝟒𝟖𝟐𝟗𝟏𝟑", Code),
            ("4\u{200b}8\u{200b}2\u{200b}9\u{200b}1\u{200b}3", Code),
            ("6222-0212-3456-7890", CardNumber),
            ("6222021234567890", CardNumber),
            ("3782 822463 10005", CardNumber), // 15 digits, Luhn-valid
            ("430104850307123", IdNumber),     // 15-digit first-generation ID
            ("验证码是482913", Code),
            ("驗證碼 482913", Code),
            ("口令 4829-13", Code),
            ("校验码：4829", Code),
            ("动态码 48 29 13", Code),
            ("验 证 码 482913", Code),
            ("Password 482913", Code),
            ("ＰＡＳＳＷＯＲＤ ４８２９１３", Code),
            ("pin 4829", Code),
            ("PIN:4829", Code),
            ("CVV 123 4", Code),
            ("my OTP is 4829 13", Code),
            ("passcode=48291300", Code),
            ("482913 is the code", Code),
            ("SMScode482913", Code),
            ("#482913#", Code),
            ("482913 20261121", Code),
            ("482913\t", Code),
        ];
        let secret: Vec<_> = secret
            .into_iter()
            .chain(STILL_REFUSED.iter().copied())
            .collect();
        let missed: Vec<_> = secret
            .iter()
            .filter(|(text, kind)| looks_secret(text) != Some(*kind))
            .map(|(text, kind)| format!("{text:?}: {:?}, not {kind:?}", looks_secret(text)))
            .collect();
        assert!(
            missed.is_empty(),
            "{} of {}: {missed:#?}",
            missed.len(),
            secret.len()
        );
    }

    #[test]
    fn ticket_numbers_and_notes_are_kept() {
        let kept = [
            "",
            "工单 482913",
            "工单号 482913",
            "482913 工单号 20261201",
            "T-2026-1121-07",
            "工单 20261201-0032",
            "工单 1234567",
            "ticket 123456789012",
            "T-1234567",
            "123456789",
            "123456789012",
            "ticket 12345678901", // 11 digits
            "工单 2026112110301", // 13 digits, not Luhn-valid
            "2026-11-21 10:30:01 回电",
            "call back on the 12th",
            "客服小王说三个工作日",
            "call back Monday",
            "123",
            "ticket 20261121",
            "2026-12-01 工单 0032",
            "shopping 2026-11-21",
            "客服说不要说出密码",
            "password 12",
            "客户忘记密码，已引导重置",
            "客户密码错误3次，已锁定",
            "password reset done",
            "一会儿再打一次，客服说三到五个工作日",
            "someone will call back in one or two days",
            "第一步已完成，第二步明天",
        ];
        let refused: Vec<_> = kept
            .iter()
            .filter_map(|text| looks_secret(text).map(|kind| format!("{text:?}: {kind:?}")))
            .collect();
        assert!(
            refused.is_empty(),
            "{} of {}: {refused:#?}",
            refused.len(),
            kept.len()
        );
    }

    /// Secrets by structure or by label, each refused as what it is.
    const STILL_REFUSED: &[(&str, Secretish)] = &[
        // A six-digit code alone, however it is set out.
        ("482913", Secretish::Code),
        ("482 913", Secretish::Code),
        ("4829", Secretish::Code),
        // Labelled as a code or a password: any length from four.
        ("验证码 12345678", Secretish::Code),
        ("code 1234567890", Secretish::Code),
        ("OTP: 123456789012", Secretish::Code),
        ("密码 48291300", Secretish::Code),
        ("password 12345678", Secretish::Code),
        // A card number that passes the Luhn check.
        ("4111 1111 1111 1111", Secretish::CardNumber),
        ("工单 4111111111111111", Secretish::CardNumber),
        // An ID number with a valid check digit.
        ("11010519491231002X", Secretish::IdNumber),
        ("工单 11010519491231002X", Secretish::IdNumber),
        // A full mobile number.
        ("13812345678", Secretish::MobileNumber),
        ("回电 13812345678", Secretish::MobileNumber),
        ("call 138-1234-5678", Secretish::MobileNumber),
        ("+86 139 1234 5678", Secretish::MobileNumber),
        ("ticket 19912345678", Secretish::MobileNumber),
        // Spelt out in Chinese numerals or English words, as an agent takes it down.
        (
            "身份证一一零一零一一九九零零三零七一二三四",
            Secretish::IdNumber,
        ),
        ("验证码四八二九一三", Secretish::Code),
        ("回电 幺三八 一二三四 五六七八", Secretish::MobileNumber),
        ("phone one three eight 1234 5678", Secretish::MobileNumber),
        (
            "卡号 陆贰贰贰 零贰壹贰 叁肆伍陆 柒捌玖零",
            Secretish::CardNumber,
        ),
        // A password itself, letters and digits.
        ("密码是 Pa55w0rd!", Secretish::Code),
        ("password hunter2", Secretish::Code),
        ("pwd: abc123", Secretish::Code),
    ];

    /// What the field is for: ticket numbers of digits alone, with or without a label.
    pub(super) const TICKETS: &[&str] = &[
        "12345678",
        "1234567890",
        "123456789012",
        "1234-5678",
        "工单 12345678",
        "工单号：1234567890",
        "工单号 123456789012",
        "ticket 12345678",
        "Ticket 1234567890",
        "ticket #123456789012",
        "No. 12345678",
        "No.1234567890",
        "No. 123456789012",
        "20261201",
    ];

    #[test]
    fn ticket_numbers_of_digits_alone_are_kept_labelled_or_not() {
        let refused: Vec<_> = TICKETS
            .iter()
            .filter_map(|text| looks_secret(text).map(|kind| format!("{text:?}: {kind:?}")))
            .collect();
        assert!(refused.is_empty(), "{refused:#?}");
    }

    #[test]
    fn checks_are_what_they_say() {
        assert!(mobile("13812345678") && mobile("19912345678"));
        assert!(!mobile("12812345678") && !mobile("1381234567") && !mobile("138123456789"));
        assert!(luhn("4111111111111111"));
        assert!(luhn("6222021234567890") == luhn_ref("6222021234567890"));
        assert!(!luhn("4111111111111112"));
        assert!(old_id("430104850307123"));
        assert!(!old_id("930104850307123"));
        assert!(!old_id("430104851307123"));
    }

    /// Luhn written the other way round, to check the one above.
    fn luhn_ref(digits: &str) -> bool {
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let mut sum = 0;
        for (i, v) in d.iter().enumerate() {
            let from_right = d.len() - 1 - i;
            sum += if from_right % 2 == 1 {
                (v * 2) / 10 + (v * 2) % 10
            } else {
                *v
            };
        }
        sum.is_multiple_of(10)
    }

    #[test]
    fn invisible_and_control_characters_are_not_kept() {
        assert_eq!(clean_note("工单\u{200b} 12\u{202e}34\u{feff}"), "工单 1234");
        assert_eq!(clean_note("a\u{2066}b\u{2069}c\u{200d}d"), "abcd");
        assert_eq!(
            clean_note("T-1\tline\nbreak\u{1b}[31m"),
            "T-1 line break[31m"
        );
        assert_eq!(clean_note("  \u{200b} "), "");
        assert_eq!(clean_note("工单　２０２６"), "工单　２０２６");
        for c in [
            '\u{200b}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2060}', '\u{2064}',
        ] {
            assert!(invisible(c), "{c:?}");
        }
        for c in ['\u{2066}', '\u{2069}', '\u{feff}', '\u{ad}', '\u{fe0f}'] {
            assert!(invisible(c), "{c:?}");
        }
        for c in ['a', '工', ' ', '\u{3000}', '1', '-'] {
            assert!(!invisible(c), "{c:?}");
        }
    }
}
