//! Business days in mainland China: weekends, public holidays, and the weekend days that are
//! working days instead (调休). The tables come from `content/calendar.toml`; a year without a
//! table falls back to plain weekdays, and the result says so.

mod trig;

use std::borrow::Cow;
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
    /// A year whose schedule is not published: the days off the law fixes, and no
    /// make-up working days (they are not known yet).
    fn by_law(year: i32) -> YearTable {
        let mut table = YearTable::default();
        for day in statutory_days_off(year) {
            table.off.insert(day);
        }
        table
    }

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

/// The days off the law fixes in `year` (《全国年节及纪念日放假办法》, 13 days since 2025):
/// 元旦 1, 春节 4 (New Year's Eve and the first three days of the lunar year), 清明 1 (the
/// day of the solar term), 劳动节 2, 端午 1, 中秋 1, 国庆 3. The lunar dates and the solar
/// term come from tyme4rs. What the State Council adds each year (days moved to make a
/// week off, and the weekend days worked instead) is in no law: a year's notice, added to
/// `calendar.toml`, replaces this. Empty outside 1901–2099, which no review reaches.
pub fn statutory_days_off(year: i32) -> Vec<NaiveDate> {
    use tyme4rs::tyme::lunar::LunarDay;
    use tyme4rs::tyme::solar::{SolarDay, SolarTerm};
    use tyme4rs::tyme::{Culture, Tyme};
    if !(1901..=2099).contains(&year) {
        return Vec::new();
    }
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let solar = |s: SolarDay| {
        NaiveDate::from_ymd_opt(
            s.get_year() as i32,
            s.get_month() as u32,
            s.get_day() as u32,
        )
    };
    let y = year as isize;
    let spring = LunarDay::from_ymd(y, 1, 1).get_solar_day();
    let qingming = (0..24)
        .map(|i| SolarTerm::from_index(y, i))
        .find(|t| t.get_name() == "清明")
        .map(|t| t.get_julian_day().get_solar_day());
    let mut days = vec![
        day(1, 1),
        day(5, 1),
        day(5, 2),
        day(10, 1),
        day(10, 2),
        day(10, 3),
    ];
    days.extend((-1..=2).map(|i| solar(spring.next(i))));
    days.push(qingming.and_then(solar));
    days.push(solar(LunarDay::from_ymd(y, 5, 5).get_solar_day()));
    days.push(solar(LunarDay::from_ymd(y, 8, 15).get_solar_day()));
    let mut days: Vec<NaiveDate> = days
        .into_iter()
        .flatten()
        .filter(|d| d.year() == year)
        .collect();
    days.sort();
    days.dedup();
    days
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

/// One year of a calendar as bits (the built-in form, `content::embedded`): the year, its
/// days off and its working weekend days, by day of the year.
pub type YearBits = (i32, [u64; 6], [u64; 6]);

impl HolidayCalendar {
    /// The calendar from its years' bits.
    pub fn from_bits(years: &[YearBits]) -> HolidayCalendar {
        let years = years
            .iter()
            .map(|&(year, off, work)| {
                let table = YearTable {
                    off: DaySet(off),
                    work: DaySet(work),
                };
                (year, table)
            })
            .collect();
        HolidayCalendar { years }
    }

    /// Its years' bits, in year order.
    pub fn to_bits(&self) -> Vec<YearBits> {
        self.years
            .iter()
            .map(|(&year, t)| (year, t.off.0, t.work.0))
            .collect()
    }

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
            None => YearTable::by_law(day.year()).is_business_day(day),
        }
    }

    /// The `n`th business day after `start` (`n = 0`: `start` itself).
    pub fn add_business_days(&self, start: NaiveDate, n: u32) -> BusinessDate {
        let mut day = start;
        let mut year = start.year();
        // The table is looked up (or, for a year without one, made from the law) once a
        // year crossed, not once a day.
        let table_of = |year: i32| match self.years.get(&year) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(YearTable::by_law(year)),
        };
        let mut table = table_of(year);
        let mut from_tables = self.years.contains_key(&year);
        let mut left = n;
        while left > 0 {
            day = match day.checked_add_days(Days::new(1)) {
                Some(d) => d,
                None => break,
            };
            if day.year() != year {
                year = day.year();
                table = table_of(year);
                from_tables &= self.years.contains_key(&year);
            }
            if table.is_business_day(day) {
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
    fn year_without_table_skips_the_days_the_law_fixes_and_says_so() {
        let cal = builtin();
        // 2027 has no table: Thu 2026-12-31 + 1 skips 元旦 (Fri 2027-01-01) and the weekend.
        let r = cal.add_business_days(d("2026-12-31"), 1);
        assert_eq!(r.date, d("2027-01-04"));
        assert!(!r.from_tables);
        // A review submitted Mon 2026-12-28 for 5 business days: Dec 29, 30, 31, Jan 4, 5.
        assert_eq!(
            cal.add_business_days(d("2026-12-28"), 5).date,
            d("2027-01-05")
        );
        // 春节 2027: New Year's Eve Fri Feb 5, then Feb 6–8 (Sat–Mon); Tue Feb 9 works.
        assert!(!cal.is_business_day(d("2027-02-05")));
        assert!(!cal.is_business_day(d("2027-02-08")));
        assert!(cal.is_business_day(d("2027-02-09")));
        // 清明 Mon 2027-04-05, 端午 Wed 2027-06-09, 中秋 Wed 2027-09-15.
        for off in ["2027-04-05", "2027-06-09", "2027-09-15", "2027-10-01"] {
            assert!(!cal.is_business_day(d(off)), "{off}");
        }
        assert!(
            cal.is_business_day(d("2027-05-03")),
            "May 3 is no statutory day off"
        );
        // Crossing from a covered year into an uncovered one is also flagged.
        let r = cal.add_business_days(d("2026-12-30"), 5);
        assert!(!r.from_tables);
    }

    #[test]
    fn the_law_gives_thirteen_days_off_and_the_tables_hold_them_all() {
        let cal = builtin();
        for year in [2025, 2026] {
            let by_law = statutory_days_off(year);
            // 13 days, less any that fall together (none in these years).
            assert_eq!(by_law.len(), 13, "{year}: {by_law:?}");
            // The published notices keep every day the law fixes.
            for day in by_law {
                assert!(
                    !cal.is_business_day(day),
                    "{day} is off by law, and in {year}'s table"
                );
            }
        }
        assert_eq!(statutory_days_off(2027).len(), 13);
        assert!(statutory_days_off(1800).is_empty());
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
