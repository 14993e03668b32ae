//! Business days in mainland China: weekends, public holidays, and the weekend days that are
//! working days instead (调休). The tables come from `content/calendar.toml`; a year without a
//! table falls back to plain weekdays, and the result says so.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;

use crate::content::diagnostic::Diagnostic;

#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, YearTable>,
}

#[derive(Debug, Clone, Default)]
struct YearTable {
    off: DaySet,
    work: DaySet,
}

/// Days of one year as bits by day of the year: a lookup is a shift, not a tree search, so
/// counting 250 business days stays within microseconds (benches/calendar.rs).
#[derive(Debug, Clone, Default)]
struct DaySet([u64; 6]);

impl DaySet {
    fn insert(&mut self, day: NaiveDate) {
        let i = day.ordinal0() as usize;
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn contains(&self, day: NaiveDate) -> bool {
        let i = day.ordinal0() as usize;
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

impl YearTable {
    fn is_business_day(&self, day: NaiveDate) -> bool {
        if self.work.contains(day) {
            true
        } else if self.off.contains(day) {
            false
        } else {
            !is_weekend(day)
        }
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date in mainland China (UTC+8) at `now`, wherever the machine's clock is set: the
/// day a review is submitted on and counted from, and the day it is overdue after.
pub fn china_date<Tz: chrono::TimeZone>(now: chrono::DateTime<Tz>) -> NaiveDate {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
    now.with_timezone(&china).date_naive()
}

/// A date counted in business days, and whether every year it crossed had a holiday table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusinessDate {
    pub date: NaiveDate,
    pub from_tables: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    year: Vec<YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: Spanned<i32>,
    #[allow(dead_code)] // Kept in the file for people; the code does not need it.
    source: String,
    /// Days off: `"2026-01-01"` or a range `"2026-02-15..2026-02-23"`.
    off: Vec<Spanned<String>>,
    /// Weekend days that are working days.
    #[serde(default)]
    work: Vec<Spanned<String>>,
}

impl HolidayCalendar {
    /// Parses `calendar.toml`; every problem is reported with its line and column.
    pub fn parse(path: &str, source: &str) -> Result<Self, Vec<Diagnostic>> {
        let file: CalendarFile = toml::from_str(source).map_err(|e| {
            vec![Diagnostic::at(
                path,
                source,
                e.span().unwrap_or(0..0),
                e.message(),
            )]
        })?;
        let mut errors = Vec::new();
        let mut years = BTreeMap::new();
        for y in file.year {
            let year = *y.year.get_ref();
            let mut table = YearTable::default();
            let lists = [(&y.off, &mut table.off), (&y.work, &mut table.work)];
            for (entries, set) in lists {
                for entry in entries {
                    match parse_days(entry.get_ref()) {
                        Some(days) if days.iter().all(|d| d.year() == year) => {
                            days.into_iter().for_each(|d| set.insert(d));
                        }
                        Some(_) => errors.push(Diagnostic::at(
                            path,
                            source,
                            entry.span(),
                            format!("`{}` is not in {year}", entry.get_ref()),
                        )),
                        None => errors.push(Diagnostic::at(
                            path,
                            source,
                            entry.span(),
                            format!(
                                "`{}` is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD, first date first, at most a year)",
                                entry.get_ref()
                            ),
                        )),
                    }
                }
            }
            if years.insert(year, table).is_some() {
                errors.push(Diagnostic::at(
                    path,
                    source,
                    y.year.span(),
                    format!("{year} is listed twice"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(HolidayCalendar { years })
        } else {
            Err(errors)
        }
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        match self.years.get(&day.year()) {
            Some(t) => t.is_business_day(day),
            None => !is_weekend(day),
        }
    }

    /// The `n`th business day after `start` (`n = 0`: `start` itself).
    pub fn add_business_days(&self, start: NaiveDate, n: u32) -> BusinessDate {
        let mut day = start;
        let mut year = start.year();
        // The table is looked up once a year crossed, not once a day.
        let mut table = self.years.get(&year);
        let mut from_tables = table.is_some();
        let mut left = n;
        while left > 0 {
            day = match day.checked_add_days(Days::new(1)) {
                Some(d) => d,
                None => break,
            };
            if day.year() != year {
                year = day.year();
                table = self.years.get(&year);
                from_tables &= table.is_some();
            }
            let business = match table {
                Some(t) => t.is_business_day(day),
                None => !is_weekend(day),
            };
            if business {
                left -= 1;
            }
        }
        BusinessDate {
            date: day,
            from_tables,
        }
    }
}

fn parse_days(entry: &str) -> Option<Vec<NaiveDate>> {
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match entry.split_once("..") {
        None => Some(vec![date(entry)?]),
        Some((a, b)) => {
            let (from, to) = (date(a)?, date(b)?);
            if to < from || (to - from).num_days() > 366 {
                return None;
            }
            Some(from.iter_days().take_while(|d| *d <= to).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn builtin() -> HolidayCalendar {
        HolidayCalendar::parse("calendar.toml", include_str!("../../content/calendar.toml"))
            .expect("built-in calendar parses")
    }

    #[test]
    fn national_day_week_is_skipped_and_the_make_up_saturday_counts() {
        let cal = builtin();
        // Mon 2026-09-28 + 3 business days: Tue 29, Wed 30, then Oct 1–7 are off,
        // Oct 8 (Thu) is the third.
        let r = cal.add_business_days(d("2026-09-28"), 3);
        assert_eq!(r.date, d("2026-10-08"));
        assert!(r.from_tables);
        // Sat 2026-10-10 is a working day (调休).
        assert!(cal.is_business_day(d("2026-10-10")));
        assert!(!cal.is_business_day(d("2026-10-05")));
    }

    #[test]
    fn spring_festival_2026() {
        let cal = builtin();
        // Fri 2026-02-13 + 1: Sat Feb 14 is a working day.
        assert_eq!(
            cal.add_business_days(d("2026-02-13"), 1).date,
            d("2026-02-14")
        );
        // Sat Feb 14 + 1: Feb 15–23 off, Tue Feb 24 next.
        assert_eq!(
            cal.add_business_days(d("2026-02-14"), 1).date,
            d("2026-02-24")
        );
    }

    #[test]
    fn year_without_table_counts_weekdays_and_says_so() {
        let cal = builtin();
        // 2027 has no table: Fri 2027-01-01 + 1 = Mon 2027-01-04, not from tables.
        let r = cal.add_business_days(d("2027-01-01"), 1);
        assert_eq!(r.date, d("2027-01-04"));
        assert!(!r.from_tables);
        // Crossing from a covered year into an uncovered one is also flagged.
        let r = cal.add_business_days(d("2026-12-30"), 5);
        assert!(!r.from_tables);
    }

    #[test]
    fn zero_days_is_the_same_day() {
        let cal = builtin();
        let r = cal.add_business_days(d("2026-11-21"), 0);
        assert_eq!(r.date, d("2026-11-21"));
        assert!(r.from_tables);
    }

    #[test]
    fn bad_dates_are_reported_with_line_and_column() {
        let src = "[[year]]\nyear = 2026\nsource = \"x\"\noff = [\"2026-13-01\", \"2025-01-01\"]\n";
        let errs = HolidayCalendar::parse("cal.toml", src).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].line, errs[0].col), (4, 8));
        assert!(errs[1].message.contains("not in 2026"));
    }

    #[test]
    fn the_date_is_the_date_in_china() {
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(china_date(at("2026-09-28T20:00:00+00:00")), day(9, 29));
        assert_eq!(china_date(at("2026-09-28T15:59:59+00:00")), day(9, 28));
        assert_eq!(china_date(at("2026-09-28T10:00:00-05:00")), day(9, 28));
        assert_eq!(china_date(at("2026-09-28T23:30:00+08:00")), day(9, 28));
    }
}
