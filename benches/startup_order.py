#!/usr/bin/env python3
"""Writes link/startup-order.txt: the functions a start runs, in the order build.rs gives LLD.

A start runs about 0.6 MB of xiaohu's 3 MB of code, spread over all of it; the kernel maps
a program's code in blocks of the page cache (64 KB, or larger folios) around each page
touched, so most of the text became resident. Listed first, the start's functions sit
together (docs/PERFORMANCE.md, "Code layout").

  --map FILE        LLD's map of the release build as it ships:
                    RUSTFLAGS="-C link-arg=-Wl,-Map=FILE" cargo build --release --bin xiaohu
  --callgrind FILE  valgrind --tool=callgrind --callgrind-out-file=FILE target/release/xiaohu …
                    in a terminal, quit on the start page. The binary of that same build gives
                    the addresses where code was entered, read through the map (exact, but
                    only what a call entered). A build with symbols
                    (CARGO_PROFILE_RELEASE_STRIP=false, and --demangle=no) gives names,
                    matched without the crate hashes that keeping symbols changes (`stem`;
                    a generic function whose instances share a path is listed once per
                    instance). Give the first frame's profile first; walks after it.

  --faults DATA…    a refinement round, on a list already made: DATA are `perf record -e
                    page-faults -c 1 -d -o DATA target/release/xiaohu …` of the build --map
                    describes (linked with the list), run natively to the start page.
                    callgrind misses what runs only outside valgrind (its CPU has other
                    features; the terminal answers at other moments), and the kernel then
                    maps a 64 KB block of unordered code around it. The functions that
                    faulted are moved to the front of --out (the list, read and rewritten).
                    Rebuild and repeat until the peak RSS stops falling.

Names the order lists stay the same across builds of the same dependencies, and the linker
skips a name the build no longer has, so an old list costs only memory, never the build.
"""
import argparse
import bisect
import re
import subprocess
import sys

# LLVM puts cold and start-up code in .text.unlikely.NAME, .text.startup.NAME and so on.
SECTION = re.compile(r"\(\.text\.(?:(?:unlikely|hot|startup|exit|split)\.)?([^)]+)\)\s*$")
# What keeping symbols changes in a name: the trailing hash of the legacy scheme, the crate
# disambiguators of the v0 scheme (`Cs4X4tQ0_`), and the `.1234` of a copy LTO made local.
UNSTABLE = [(re.compile(r"17h[0-9a-f]{16}E(\.\d+)?$"), ""), (re.compile(r"Cs[0-9A-Za-z]+_"), "Cs_"),
            (re.compile(r"\.\d+$"), "")]


def stem(name):
    for pattern, by in UNSTABLE:
        name = pattern.sub(by, name)
    return name


def called(paths):
    """Every function a callgrind profile saw run, in first-seen order.

    A build with symbols gives mangled names; a stripped one gives the address where the code
    was entered (the build's own link-time address), for code in the program's own file.
    """
    seen = {}
    for path in paths:
        obj, callee_obj, objs = None, None, {}
        for line in open(path, errors="replace"):
            m = re.match(r"^(c?ob)=\((\d+)\)(?:\s+(\S.*))?$", line)
            if m:
                kind, ident, name = m.groups()
                if name:
                    objs[ident] = name
                if kind == "ob":
                    obj = callee_obj = objs[ident]
                else:
                    callee_obj = objs[ident]
                continue
            if line.startswith("calls="):
                callee_obj = obj  # a cob= holds for one call
                continue
            m = re.match(r"^(c?fn)=\((\d+)\)(?:\s+(\S+))?", line)
            if not m:
                continue
            kind, _, name = m.groups()
            if kind == "fn":
                callee_obj = obj
            where = obj if kind == "fn" else callee_obj
            # A name is looked up in the map anyway; an address means something only in xiaohu.
            if name and (not name.startswith("0x") or (where or "").endswith("xiaohu")):
                seen.setdefault(re.sub(r"'\d+$", "", name), None)  # callgrind's recursion depth
    return list(seen)


def shipped(map_path):
    """Function sections of the shipped build: by name without the hash, and by address."""
    by_stem, by_address = {}, []
    whole = False  # inside an input section that holds several symbols (crt1.o's .text)
    for line in open(map_path, errors="replace"):
        fields = line.split()
        if len(fields) != 5 or not re.fullmatch(r"[0-9a-f]+", fields[0]):
            continue
        address, size, what = int(fields[0], 16), int(fields[2], 16), fields[4]
        m = SECTION.search(line)
        if m:
            by_stem.setdefault(stem(m.group(1)), []).append(m.group(1))
            by_address.append((address, size, m.group(1)))
            whole = False
        elif ":(" in what or what.startswith("."):
            whole = what.endswith("(.text)")
        elif whole:
            # lld writes these as they are; function sections' symbols are written demangled.
            by_address.append((address, size, what))
    by_address.sort()
    return by_stem, by_address


def at(by_address, starts, address):
    i = bisect.bisect_right(starts, address) - 1
    if i >= 0 and by_address[i][0] <= address < by_address[i][0] + max(by_address[i][1], 1):
        return by_address[i][2]
    return None


def faulted(paths, by_address, starts):
    """The functions of xiaohu's text whose first touch took a page fault, in order."""
    found = {}
    for path in paths:
        script = subprocess.run(["perf", "script", "-i", path, "--show-mmap-events", "-F", "ip,addr"],
                                capture_output=True, text=True, check=True).stdout
        base = None
        for line in script.splitlines():
            if base is None and "PERF_RECORD_MMAP2" in line and " @ 0 " in line and "xiaohu" in line:
                base = int(re.search(r"\[0x([0-9a-f]+)\(", line).group(1), 16)
                continue
            fields = line.split()
            if base is None or len(fields) != 2:
                continue
            try:
                ip, addr = int(fields[0], 16), int(fields[1], 16)
            except ValueError:
                continue
            # An instruction fetch: the fault is at the instruction itself.
            if ip == addr and addr >= base:
                symbol = at(by_address, starts, addr - base)
                if symbol:
                    found.setdefault(symbol, None)
    return list(found)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--callgrind", nargs="+")
    ap.add_argument("--faults", nargs="+")
    ap.add_argument("--map", required=True)
    ap.add_argument("--out", default="link/startup-order.txt")
    args = ap.parse_args()
    by_stem, by_address = shipped(args.map)
    starts = [a for a, _, _ in by_address]
    if args.faults:
        first = faulted(args.faults, by_address, starts)
        try:
            old = [line for line in open(args.out).read().splitlines() if line]
        except OSError as e:
            sys.exit(f"--faults refines a list made before: {e}")
        moved = set(first)
        with open(args.out, "w") as f:
            f.write("\n".join(first + [line for line in old if line not in moved]) + "\n")
        print(f"{len(first)} functions that faulted moved to the front of {args.out}", file=sys.stderr)
        return
    if not args.callgrind:
        sys.exit("give --callgrind (a new list) or --faults (a round on the list)")
    out, listed, missed = [], set(), 0
    for name in called(args.callgrind):
        if name.startswith("0x"):
            symbol = at(by_address, starts, int(name, 16))
            found = [symbol] if symbol else []
        else:
            found = by_stem.get(stem(name), [])
        found = [f for f in found if f not in listed]
        if not found and (name.startswith("_ZN") or name.startswith("_R")):
            missed += 1
        out.extend(found)
        listed.update(found)
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"{len(out)} symbols to {args.out}; {missed} run functions not in the map (inlined or std's)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
