//! Business days (docs/PERFORMANCE.md, issue 5 item 5): the expected date 1, 5 and 250
//! business days out, from a start inside the 2025 table, inside the 2026 table (across the
//! National Day week), and late in 2026 so the count runs into 2027, which has no table.
//!
//! `cargo bench --bench calendar`

use std::fmt;
use std::hint::black_box;

use chrono::NaiveDate;

use xiaohu::content::Content;

fn main() {
    divan::main();
}

#[derive(Clone, Copy)]
struct Case {
    start: &'static str,
    days: u32,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} +{}", self.start, self.days)
    }
}

const fn case(start: &'static str, days: u32) -> Case {
    Case { start, days }
}

const CASES: &[Case] = &[
    // Spring Festival 2025 inside the table.
    case("2025-01-24", 1),
    case("2025-01-24", 5),
    case("2025-01-24", 250),
    // National Day week 2026 (the README's example).
    case("2026-09-28", 1),
    case("2026-09-28", 5),
    case("2026-09-28", 250),
    // From the last table into a year without one.
    case("2026-12-28", 1),
    case("2026-12-28", 5),
    case("2026-12-28", 250),
];

#[divan::bench(args = CASES)]
fn add_business_days(bencher: divan::Bencher, case: &Case) {
    let calendar = Content::builtin().unwrap().calendar;
    let start = NaiveDate::parse_from_str(case.start, "%Y-%m-%d").unwrap();
    bencher.bench_local(|| calendar.add_business_days(black_box(start), black_box(case.days)));
}
