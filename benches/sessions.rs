//! `xiaohu sessions`' own work (issue 14): filtering and writing 10,000 and 100,000 case
//! summaries as rows and as JSON, without the store (the store's reading is benched in
//! `benches/store.rs`). A third of the cases are reviews, some of them overdue, so the
//! JSON's `days_late` walks the calendar.
//!
//! `cargo bench --bench sessions`

use std::hint::black_box;

use chrono::{DateTime, Days, NaiveDate};

use xiaohu::content::Content;
use xiaohu::sessions::{Filter, ListFormat, listing};
use xiaohu::wizard::{CaseId, CaseState, CaseSummary};

fn main() {
    divan::main();
}

fn book(n: usize) -> Vec<CaseSummary> {
    let updated = DateTime::parse_from_rfc3339("2026-11-20T09:30:00+08:00").unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    (0..n)
        .map(|i| {
            let review = i % 3 == 0;
            CaseSummary {
                id: CaseId::parse(&format!("20261120-093000-huabei-{i}")).unwrap(),
                product: "huabei".into(),
                step: if review { "review" } else { "debt" }.into(),
                state: if review {
                    CaseState::InReview
                } else {
                    CaseState::InProgress
                },
                updated,
                expected: review.then(|| start + Days::new((i % 90) as u64)),
                customer: Some(format!("王先生{i}")),
                agent: Some(["李娜", "Zhao", "Wang Qiang"][i % 3].into()),
                archived: i % 10 == 0,
            }
        })
        .collect()
}

const SIZES: &[usize] = &[10_000, 100_000];

#[divan::bench(args = SIZES)]
fn rows(bencher: divan::Bencher, n: usize) {
    let cases = book(n);
    let calendar = Content::builtin().unwrap().calendar;
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    bencher.bench_local(|| {
        listing(
            black_box(&cases),
            &Filter::default(),
            ListFormat::Tsv,
            today,
            &calendar,
        )
    });
}

#[divan::bench(args = SIZES)]
fn json(bencher: divan::Bencher, n: usize) {
    let cases = book(n);
    let calendar = Content::builtin().unwrap().calendar;
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    bencher.bench_local(|| {
        listing(
            black_box(&cases),
            &Filter::default(),
            ListFormat::Json,
            today,
            &calendar,
        )
    });
}

#[divan::bench(args = SIZES)]
fn overdue_for_a_customer(bencher: divan::Bencher, n: usize) {
    let cases = book(n);
    let calendar = Content::builtin().unwrap().calendar;
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let filter = Filter {
        overdue: true,
        customer: Some("先生9".into()),
        ..Filter::default()
    };
    bencher.bench_local(|| {
        listing(
            black_box(&cases),
            &filter,
            ListFormat::Tsv,
            today,
            &calendar,
        )
    });
}
