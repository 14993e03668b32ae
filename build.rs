//! Lays out the code a start runs together in the shipped binary.
//!
//! `link/startup-order.txt` lists the functions the first frame and the start page run
//! (written by `benches/startup_order.py` from a recorded start). The linker puts them first,
//! one after another, so a start faults in about 0.6 MB of code instead of touching pages
//! across the whole 3 MB of text: less resident memory and fewer page faults
//! (docs/PERFORMANCE.md, "Code layout"). A name the build no longer has is skipped, so a
//! stale list only costs speed, never the build.
//!
//! Only for the release profile on x86-64 Linux with rustc's own linker set-up from 1.90
//! on, which is LLD; GNU ld (rustc 1.89, or a linker of one's own) has no such option.
//! `XIAOHU_NO_CODE_ORDER=1` links without it, to measure.

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link/startup-order.txt");
    println!("cargo:rerun-if-env-changed=XIAOHU_NO_CODE_ORDER");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let target = env::var("TARGET").unwrap_or_default();
    let profile = env::var("PROFILE").unwrap_or_default();
    if target != "x86_64-unknown-linux-gnu"
        || profile != "release"
        || env::var_os("XIAOHU_NO_CODE_ORDER").is_some()
        || !links_with_lld()
    {
        return;
    }
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let order = Path::new(&manifest).join("link/startup-order.txt");
    if !order.is_file() {
        return;
    }
    // -Xlinker passes each argument whole: a comma in the path would split a -Wl, list.
    for arg in [
        "--symbol-ordering-file",
        &order.display().to_string(),
        "--no-warn-symbol-ordering",
    ] {
        println!("cargo:rustc-link-arg-bin=xiaohu=-Xlinker");
        println!("cargo:rustc-link-arg-bin=xiaohu={arg}");
    }
}

/// Whether rustc links this build with LLD: its default on x86-64 Linux from 1.90, unless a
/// linker was chosen (cargo's `linker` setting, or a linker flag in RUSTFLAGS).
fn links_with_lld() -> bool {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if env::var_os("RUSTC_LINKER").is_some() || flags.contains("linker") {
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&out.stdout);
    let mut numbers = version
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}
