//! A file-store case book for measuring `xiaohu sessions` by hand (docs/PERFORMANCE.md):
//! N cases like `benches/casebook.rs`'s year mix (a 24-entry log, about 4 KB of TOML each),
//! each saved through `Store::save` as the wizard saves, so the summary journal has their
//! lines too.
//!
//! `cargo run --example file_book -- DATA_DIR [N]` (N: 10,000 unless given), then e.g.
//! `hyperfine 'target/debug/xiaohu --data-dir DATA_DIR sessions'`.

use chrono::Duration;

use xiaohu::store::Store;
use xiaohu::store::contract::a_case;
use xiaohu::wizard::{CaseId, CaseState, Event, Staff};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: file_book DATA_DIR [N]");
        std::process::exit(2);
    };
    let n: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("N is a number"));
    let store = Store::open(std::path::Path::new(&dir)).expect("a data dir");
    let mut template = a_case("2026-11-02T09:30:00+08:00");
    template.hands = Staff {
        agent: Some("李娜".into()),
        desk: Some("柜台A".into()),
    };
    let mut at = template.updated;
    while template.log.len() < 24 {
        at += Duration::minutes(3);
        let event = match template.log.len() % 3 {
            0 => Event::Entered {
                step: "check-debt".into(),
            },
            1 => Event::Note {
                step: "check-debt".into(),
                text: "客户说已还清，核对账单后继续".into(),
            },
            _ => Event::Back {
                step: "check-debt".into(),
            },
        };
        template.log(at, event);
    }
    for i in 0..n {
        let mut case = template.clone();
        case.id = CaseId::parse(&format!("20261102-093000-weilidai-{i}")).unwrap();
        case.customer = Some(format!("王先生{i}"));
        case.state = match i % 20 {
            0..=2 => CaseState::InReview,
            3 => CaseState::WaitingRepayment,
            4 => CaseState::InProgress,
            _ => CaseState::Closed,
        };
        case.log(at + Duration::minutes(i as i64), Event::Resumed);
        store.save(&case).expect("saved");
    }
    println!("{n} cases in {dir}");
}
