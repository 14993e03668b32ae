//! `xiaohu check` as an author runs it, on a copy of the worked example broken one way.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

const EXAMPLE: &str = include_str!("fixtures/author/products/douyin-yuefu.toml");

fn xiaohu(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("xiaohu").unwrap();
    cmd.env("XIAOHU_DATA_DIR", data)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("XIAOHU_THEME");
    cmd
}

/// A content directory holding the example with `from` replaced by `to`; `check`'s stdout
/// and exit code.
fn check_with(from: &str, to: &str) -> (String, Option<i32>, String) {
    assert!(EXAMPLE.contains(from), "{from}");
    let text = EXAMPLE.replacen(from, to, 1);
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("products")).unwrap();
    fs::write(dir.path().join("products/douyin-yuefu.toml"), &text).unwrap();
    let out = xiaohu(dir.path())
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (stdout, out.status.code(), text)
}

/// `:line:col:` of the first `needle` in `text`, columns in characters.
fn place(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("douyin-yuefu.toml:{line}:{col}: error: ")
}

#[test]
fn the_example_itself_passes() {
    let (out, code, _) = check_with("order = 1", "order = 1");
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_terminal_command_in_a_title_is_refused_at_its_string_and_not_echoed() {
    let (out, code, text) = check_with(
        r#"en = "Find Yuefu in Douyin" }"#,
        r#"en = "Find Yuefu\u001b]0;pwned\u0007\u001b[2J" }"#,
    );
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(&place(&text, "\"Find Yuefu\\u001b")), "{out}");
    assert!(
        out.contains("`title.en` holds an escape character"),
        "{out}"
    );
    // The message names the character; it never carries it to the terminal.
    assert!(!out.contains(['\u{1b}', '\u{7}']), "{out:?}");
}

#[test]
fn a_status_option_straight_to_the_closed_outcome_is_refused() {
    let (out, code, text) = check_with(r#"next = "nothing-to-close" },"#, r#"next = "closed" },"#);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains(&place(&text, "\"closed\"\ntitle"))
                && l.contains("unsafe flow: step `closed` (outcome, result `closed`)")),
        "{out}"
    );
}

#[test]
fn an_unclosed_string_is_reported_at_its_opening_quote() {
    let (out, code, text) = check_with(
        r#"{ label = { zh = "没有开通，或已关闭", en"#,
        r#"{ label = { zh = "没有开通，或已关闭, en"#,
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&place(&text, "\"没有开通，或已关闭, en")),
        "{out}"
    );
    assert!(out.contains("unclosed string"), "{out}");
}

#[test]
fn an_added_product_is_named_on_the_start_page() {
    let (_, _, text) = check_with("order = 1", "order = 1");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("products")).unwrap();
    fs::write(dir.path().join("products/douyin-yuefu.toml"), text).unwrap();
    for (lang, name) in [
        ("zh", "（抖音月付）"),
        ("en", "(Douyin Yuefu (monthly pay))"),
    ] {
        let out = xiaohu(dir.path())
            .args(["--plain", "--lang", lang, "--content"])
            .arg(dir.path())
            .write_stdin("q\n")
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains(name), "{lang}: {stdout}");
    }
}
