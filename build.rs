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
//!
//! Links the unwinder into the program (`static_unwinder`), on Linux with glibc: the
//! program then loads no `libgcc_s.so.1`, whose load and CPU-feature probe cost a start
//! 0.1 ms on a virtual machine (docs/PERFORMANCE.md). `XIAOHU_SHARED_UNWINDER=1` keeps the
//! shared one, to measure.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    static_unwinder();
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

/// The program's unwinder linked in from GCC's static `libgcc_eh.a`, as `-static-libgcc`
/// does for C++, instead of the shared `libgcc_s.so.1`.
///
/// rustc links `-lgcc_s` for the standard library's unwinder on `*-linux-gnu`. Loading it
/// costs a start an `open`, four `mmap`s, its relocations and page faults, and its
/// constructor, which asks the CPU for its features with a dozen `cpuid` instructions; on
/// a virtual machine each of those traps to the hypervisor (4 µs apiece on the machine of
/// docs/PERFORMANCE.md). So the program's link (only `xiaohu` itself: the floor it is
/// measured against stays as cargo builds it) searches first a folder whose `libgcc_s.so`
/// is a linker script naming `libgcc_eh.a`. Panics still unwind (the fault tests check the
/// exit status 101 and the terminal given back, on this binary).
///
/// Skipped, leaving the shared unwinder, where GCC has no `libgcc_eh.a` to offer.
fn static_unwinder() {
    println!("cargo:rerun-if-env-changed=XIAOHU_SHARED_UNWINDER");
    println!("cargo:rerun-if-env-changed=CC");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || target_env != "gnu" || env::var_os("XIAOHU_SHARED_UNWINDER").is_some() {
        return;
    }
    let Some(archive) = gcc_file("libgcc_eh.a") else {
        return;
    };
    let Some(out) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let folder = out.join("static-unwinder");
    // A path with a quote or a space would not read back in the script; GCC's own never has.
    let Some(archive) = archive.to_str().filter(|p| !p.contains(['"', ' ', ')'])) else {
        return;
    };
    if std::fs::create_dir_all(&folder).is_err()
        || std::fs::write(folder.join("libgcc_s.so"), format!("INPUT({archive})\n")).is_err()
    {
        return;
    }
    // Both GNU ld and LLD apply every -L to every -l wherever it stands, and a folder named
    // on the command line is searched before the compiler's own (where the real
    // `libgcc_s.so` is).
    println!("cargo:rustc-link-arg-bin=xiaohu=-L{}", folder.display());
}

/// Where the C compiler that links the program keeps one of its own files, if it has it
/// (`cc -print-file-name` echoes the bare name back when it does not).
fn gcc_file(name: &str) -> Option<PathBuf> {
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let out = Command::new(cc)
        .arg(format!("-print-file-name={name}"))
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (path.is_absolute() && path.is_file()).then_some(path)
}
