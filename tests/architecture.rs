//! The dependency rule from ARCHITECTURE.md, checked on the source: the pure layers import
//! neither the terminal nor the disk.

use std::fs;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

fn check(dirs: &[&str], forbidden: &[&str]) {
    let mut files = Vec::new();
    for d in dirs {
        let p = Path::new(d);
        if p.is_dir() {
            sources(p, &mut files);
        } else {
            files.push((d.to_string(), fs::read_to_string(p).unwrap()));
        }
    }
    assert!(!files.is_empty());
    for (path, text) in files {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{path}:{}: `{word}` is not allowed in this layer: {line}",
                    n + 1
                );
            }
        }
    }
}

/// The terminal, the disk, the environment and the clock: what the pure layers never touch.
const IO: &[&str] = &[
    "crossterm",
    "std::fs",
    "std::io",
    "std::env",
    "std::process",
    "std::{",
    "fs::",
    "io::",
    "Local::now",
    "Utc::now",
    "SystemTime",
];

#[test]
fn wizard_and_content_touch_neither_terminal_nor_disk() {
    let mut forbidden = IO.to_vec();
    forbidden.push("ratatui");
    // Plain mode's words and answers too: its loop, like the full screen's, is in app/.
    check(
        &[
            "src/wizard",
            "src/content",
            "src/calendar",
            "src/plain",
            "src/safe_text.rs",
        ],
        &forbidden,
    );
}

#[test]
fn ui_and_report_only_draw() {
    check(&["src/ui", "src/report.rs", "src/report"], IO);
}
