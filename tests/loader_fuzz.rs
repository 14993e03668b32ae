//! The content loader on hostile input: arbitrary bytes and mutated real content files
//! never panic, and every rejection points at a real place (`path:line:col` inside the
//! file). `fuzz/` runs the same property under libFuzzer by hand.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use xiaohu::content::{Content, Diagnostic, SourceFile, Sources, builtin};

/// Fixed seed for CI; `PROPTEST_CASES` / `PROPTEST_RNG_SEED` explore further by hand.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(20_261_121);
    }
    config
}

/// Where a file goes in a content dir.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Ui,
    Calendar,
    Product,
}

/// Loads `bytes` in `role`, the rest built in, and checks every diagnostic it produces.
fn load_checked(role: Role, path: &str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let text_for_positions = String::from_utf8_lossy(&bytes).into_owned();
    let source = match SourceFile::from_bytes(path, bytes) {
        Ok(source) => source,
        Err(d) => return check(&[d], path, &text_for_positions),
    };
    let mut sources = Sources::default();
    match role {
        Role::Ui => sources.ui = Some(source),
        Role::Calendar => sources.calendar = Some(source),
        Role::Product => sources.products.push(source),
    }
    if role != Role::Product {
        sources.products = builtin::sources().products[..1].to_vec();
    }
    match Content::load(sources) {
        Ok(_) => Ok(()),
        Err(diagnostics) => check(&diagnostics, path, &text_for_positions),
    }
}

/// Every rejection names a file and a line:col that exists in it (the column counts
/// characters, so it may run one past the end of the line).
fn check(diagnostics: &[Diagnostic], path: &str, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!diagnostics.is_empty(), "rejected without a reason");
    for d in diagnostics {
        prop_assert!(!d.message.trim().is_empty(), "an empty message: {d}");
        let shown = d.to_string();
        prop_assert!(
            shown.starts_with(&format!("{}:{}:{}: error: ", d.path, d.line, d.col)),
            "{shown}"
        );
        if d.path != path {
            // About a built-in file this input clashes with (e.g. a duplicate id).
            continue;
        }
        let lines: Vec<&str> = text.split('\n').collect();
        prop_assert!(
            d.line >= 1 && d.line <= lines.len(),
            "line out of the file: {shown}"
        );
        let width = lines[d.line - 1].chars().count();
        prop_assert!(
            d.col >= 1 && d.col <= width + 1,
            "column out of the line: {shown}"
        );
    }
    Ok(())
}

/// Edits that break TOML and content rules in the ways people do.
fn a_mutation() -> impl Strategy<Value = Mutation> {
    let snippet = prop::sample::select(vec![
        "\"",
        "'",
        "[",
        "]",
        "[[steps]]\n",
        "=",
        "\n",
        "{",
        "}",
        ",",
        "\\",
        "\"\"\"",
        "kind = \"debt\"\n",
        "kind = \"nonsense\"\n",
        "next = \"nowhere\"\n",
        "id = \"intro\"\n",
        "zh = \"中文\"",
        "en = 1",
        "business_days = -3\n",
        "result = \"closed\"\n",
        "title = {}\n",
        "\u{feff}",
        "\0",
        "中",
        "¥",
        "\r\n",
        "items = []\n",
        "methods = [\"face\", \"face\"]\n",
        "9999999999999999999999",
    ]);
    prop_oneof![
        (any::<prop::sample::Index>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<prop::sample::Index>(), snippet).prop_map(|(at, s)| Mutation::Insert(at, s)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, b)| Mutation::Byte(at, b)),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, &'static str),
    SwapLines(prop::sample::Index, prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    Truncate(prop::sample::Index),
    Byte(prop::sample::Index, u8),
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Delete(at, len) => {
                let start = at.index(n).min(bytes.len());
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert(at, s) => {
                let at = at.index(n).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
            Mutation::SwapLines(a, b) | Mutation::DuplicateLine(a @ b) => {
                let mut lines: Vec<Vec<u8>> =
                    bytes.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                let (i, j) = (a.index(lines.len()), b.index(lines.len()));
                if matches!(m, Mutation::DuplicateLine(_)) {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                } else {
                    lines.swap(i, j);
                }
                bytes = lines.join(&b'\n');
            }
            Mutation::Truncate(at) => bytes.truncate(at.index(n)),
            Mutation::Byte(at, b) => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] = *b;
                }
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn mutated_real_content_never_panics_and_points_at_the_problem(
        file in 0usize..9,
        mutations in prop::collection::vec(a_mutation(), 1..6),
    ) {
        let all = builtin::sources();
        let (role, source) = match file {
            0 => (Role::Ui, all.ui.unwrap()),
            1 => (Role::Calendar, all.calendar.unwrap()),
            n => (Role::Product, all.products[n - 2].clone()),
        };
        let bytes = mutate(source.text.into_bytes(), &mutations);
        load_checked(role, "mutated.toml", bytes)?;
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn arbitrary_bytes_never_panic_and_point_at_the_problem(
        role in prop_oneof![Just(Role::Ui), Just(Role::Calendar), Just(Role::Product)],
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        load_checked(role, "random.toml", bytes)?;
    }

    #[test]
    fn toml_shaped_noise_never_panics_and_points_at_the_problem(
        role in prop_oneof![Just(Role::Ui), Just(Role::Calendar), Just(Role::Product)],
        text in "(\\[\\[steps\\]\\]\n|\\[product\\]\n|[a-z_]{1,8} = (\"[^\"\\\\]{0,12}\"|[0-9]{1,3}|\\{ zh = \"中\", en = \"x\" \\}|\\[\\])\n){0,30}",
    ) {
        load_checked(role, "noise.toml", text.into_bytes())?;
    }
}
