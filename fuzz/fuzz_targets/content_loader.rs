//! Arbitrary bytes as a content file (the first byte picks ui, calendar or product): the
//! loader must never panic, and every rejection must point inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiaohu::content::{Content, SourceFile, Sources, builtin};

fuzz_target!(|data: &[u8]| {
    let Some((&role, bytes)) = data.split_first() else {
        return;
    };
    let path = "fuzz.toml";
    let text = String::from_utf8_lossy(bytes).into_owned();
    let diagnostics = match SourceFile::from_bytes(path, bytes.to_vec()) {
        Err(d) => vec![d],
        Ok(source) => {
            let mut sources = Sources::default();
            match role % 3 {
                0 => sources.ui = Some(source),
                1 => sources.calendar = Some(source),
                _ => sources.products.push(source),
            }
            if role % 3 != 2 {
                sources.products = builtin::sources().products[..1].to_vec();
            }
            match Content::load(sources) {
                Ok(_) => return,
                Err(diagnostics) => diagnostics,
            }
        }
    };
    assert!(!diagnostics.is_empty());
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics.iter().filter(|d| d.path == path) {
        assert!(d.line >= 1 && d.line <= lines.len(), "{d}");
        assert!(d.col >= 1 && d.col <= lines[d.line - 1].chars().count() + 1, "{d}");
    }
});
