//! Amounts of money as whole fen (分), parsed from what a person types.

use std::fmt::Write;

/// Anything above this is a typo, not a consumer-credit balance (one hundred million yuan).
pub const MAX_CENTS: i64 = 100_000_000 * 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    Negative,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// Accepts `0`, `1234.5`, `1,234.56`, `¥88`, `88元`, full-width digits; refuses the rest.
pub fn parse_amount(input: &str) -> Result<i64, AmountError> {
    // Full-width forms come from Chinese input methods; fold them to ASCII first.
    let folded: String = input
        .chars()
        .map(|c| match c {
            // Full-width forms sit 0xFEE0 above their ASCII twins.
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '，' => ',',
            '．' | '。' => '.',
            '－' | '−' => '-',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut s = folded.as_str();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    if let Some(rest) = s.strip_prefix('-') {
        return if parse_amount(rest).is_ok() {
            Err(AmountError::Negative)
        } else {
            Err(AmountError::NotANumber)
        };
    }
    for prefix in ["¥", "￥", "CNY", "RMB"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    if let Some(rest) = s.strip_suffix('元') {
        s = rest;
    }
    if s.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(AmountError::NotANumber);
    }
    if !valid_grouping(whole) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    if frac.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let digits = digits.trim_start_matches('0');
    if digits.len() > 12 {
        return Err(AmountError::TooLarge);
    }
    let yuan: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| AmountError::NotANumber)?
    };
    let fen: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| AmountError::NotANumber)? * 10,
        _ => frac.parse().map_err(|_| AmountError::NotANumber)?,
    };
    let cents = yuan * 100 + fen;
    if cents > MAX_CENTS {
        return Err(AmountError::TooLarge);
    }
    Ok(cents)
}

/// Digits, optionally grouped by commas in threes (`1,234,567`); `""` is allowed (`.5`).
fn valid_grouping(whole: &str) -> bool {
    if !whole.contains(',') {
        return whole.bytes().all(|b| b.is_ascii_digit());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first = groups[0];
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// An amount as a person types it into a field: `1200`, `1200.5` → "1200.50"; no ¥, no commas.
pub fn typed_amount(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

/// `¥1,234.56`.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = String::new();
    let _ = write!(out, "{sign}¥{grouped}.{:02}", abs % 100);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_forms_people_type() {
        assert_eq!(parse_amount("0"), Ok(0));
        assert_eq!(parse_amount("1234.5"), Ok(123_450));
        assert_eq!(parse_amount("1,234.56"), Ok(123_456));
        assert_eq!(parse_amount("¥88"), Ok(8_800));
        assert_eq!(parse_amount("￥88.00"), Ok(8_800));
        assert_eq!(parse_amount("88元"), Ok(8_800));
        assert_eq!(parse_amount(" 12 "), Ok(1_200));
        assert_eq!(parse_amount("１２３．４"), Ok(12_340));
        assert_eq!(parse_amount(".5"), Ok(50));
        assert_eq!(parse_amount("0.00"), Ok(0));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert_eq!(parse_amount("   "), Err(AmountError::Empty));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("¥-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("12a"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1,23"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(","), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("."), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("100000001"), Err(AmountError::TooLarge));
        assert_eq!(
            parse_amount("99999999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(format_cents(0), "¥0.00");
        assert_eq!(format_cents(123_456), "¥1,234.56");
        assert_eq!(format_cents(100_000_000), "¥1,000,000.00");
        assert_eq!(format_cents(5), "¥0.05");
    }

    proptest! {
        #[test]
        fn never_panics_and_never_negative(s in "\\PC{0,40}") {
            if let Ok(c) = parse_amount(&s) {
                prop_assert!((0..=MAX_CENTS).contains(&c));
            }
        }

        #[test]
        fn formatted_amounts_parse_back(c in 0..=MAX_CENTS) {
            prop_assert_eq!(parse_amount(&format_cents(c)), Ok(c));
        }
    }
}
