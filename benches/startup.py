#!/usr/bin/env python3
"""Whole-program figures, side by side in one run (docs/PERFORMANCE.md).

Runs each program in a pseudo-terminal of 100x30 and measures
  - time to first frame: from spawning the process to the moment the last piece of its
    first full frame has arrived on the terminal (a marker, below), and
  - peak resident memory: VmHWM of the process (its own high-water mark, counted from its
    exec) read from /proc while it shows that frame and waits for a key,
then presses a key and waits for it to exit. The programs take turns (interleaved, the
order rotating each round) so a change in machine load hits all of them alike.

Programs:
  xiaohu    target/release/xiaohu --lang zh, the built-in content, first screen; a fresh
            empty XIAOHU_DATA_DIR for every run
  xiaohu+N  the same on a data dir of N saved cases (--cases; 100, a desk's day, and
            10,000 by default), made once by examples/file_book.rs as the wizard saves
            them (summary journal included) in target/startup-books/N and kept there.
            For these the time until the start page shows the saved cases (the frame
            after the first, which xiaohu draws before it reads them) is given too
  floor     target/release/examples/floor: a bare ratatui app drawing one bordered paragraph
            of Chinese text (examples/floor.rs), as cargo builds it: the floor the targets
            name
  floor, linked like xiaohu
            target/release/examples/floor-linked-like-xiaohu, if there: the same app linked
            as build.rs links xiaohu (the unwinder from libgcc_eh.a, no libgcc_s.so.1), so
            what the link earns and what the program earns can be told apart. The build
            makes it; with --no-build it is measured when the file exists
  dialog    dialog --msgbox with the same Chinese text
  whiptail  whiptail --msgbox with the same Chinese text

Usage:
  python3 benches/startup.py              # builds xiaohu and floor (release), 30 rounds
  python3 benches/startup.py --runs 50 --no-build

dialog and whiptail are Debian packages: `apt-get install -y dialog whiptail`. Missing ones
are reported and left out of the table, not failed on.

Only the standard library: pty pairs by os.openpty, processes by os.posix_spawn with a new
session whose controlling terminal is the pty (so the spawner's own memory never counts).
"""

import argparse
import fcntl
import os
import platform
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLS, ROWS = 100, 30
TEXT = "销户助手：本向导不会连接你的银行账户。你在手机上操作，这里记录每一步，并告诉你下一步点哪里。按任意键退出。"
TIMEOUT = 10.0

# The last bytes each program writes for its first frame (see them with --show-frame NAME):
# ratatui ends a draw by resetting the style and hiding the cursor, after the last cell;
# dialog writes the message text last, then parks the cursor on the OK button (row 18);
# whiptail draws the box's shadow last, its bottom row starting at row 21, column 22.
RATATUI_FRAME_END = b"\x1b[59m\x1b[0m\x1b[?25l"
DIALOG_FRAME_END = "退出。".encode() + b"\x1b[18;49H"
WHIPTAIL_FRAME_END = b"\x1b[21;22H" + b" " * 60


class Program:
    def __init__(self, name, argv, marker, key, env=None, fresh_data_dir=False, listed=False):
        self.name = name
        self.argv = argv
        # Bytes that arrive last in the program's first full frame.
        self.marker = marker
        # What to type to make it exit.
        self.key = key
        self.env = env or {}
        self.fresh_data_dir = fresh_data_dir
        # Whether the frame after the first is timed too (the start page with its cases).
        self.listed = listed
        self.times = []
        self.listed_times = []
        self.rss = []


def started(name, argv, cases):
    """xiaohu on a fresh empty data dir, then on data dirs of each number of saved cases."""
    runs = [Program(name, argv, marker=RATATUI_FRAME_END, key=b"q", fresh_data_dir=True, listed=True)]
    for n in cases:
        env = {"XIAOHU_DATA_DIR": book(n)}
        runs.append(Program(f"{name}+{n:,}", argv, marker=RATATUI_FRAME_END, key=b"q", env=env, listed=True))
    return runs


def programs(args):
    release = os.path.join(ROOT, "target", "release")
    found = []
    missing = []
    xiaohu = [args.xiaohu or os.path.join(release, "xiaohu"), "--lang", "zh"]
    found += started("xiaohu", xiaohu, args.cases)
    for path in args.before:
        # Another build, e.g. the commit before a change, side by side with this one.
        found += started(f"xiaohu@{os.path.basename(path)}", [path, "--lang", "zh"], args.cases[:1])
    for dir in args.content:
        name = os.path.basename(os.path.normpath(dir))
        argv = xiaohu + ["--content", dir]
        # Its product files checked before (the record in a data dir kept across runs, made
        # by the warm-up round), and checked on every start (a fresh data dir each run).
        found.append(
            Program(
                f"xiaohu --content {name}",
                argv,
                marker=RATATUI_FRAME_END,
                key=b"q",
                env={"XIAOHU_DATA_DIR": records(name)},
                listed=True,
            )
        )
        found.append(
            Program(
                f"xiaohu --content {name}, unchecked",
                argv,
                marker=RATATUI_FRAME_END,
                key=b"q",
                fresh_data_dir=True,
                listed=True,
            )
        )
    found.append(
        Program(
            "floor",
            [os.path.join(release, "examples", "floor")],
            marker=RATATUI_FRAME_END,
            key=b"q",
        )
    )
    if os.path.exists(FLOOR_LINKED):
        found.append(Program("floor, linked like xiaohu", [FLOOR_LINKED], marker=RATATUI_FRAME_END, key=b"q"))
    for tool, end in (("dialog", DIALOG_FRAME_END), ("whiptail", WHIPTAIL_FRAME_END)):
        path = shutil.which(tool)
        if path is None:
            missing.append(tool)
            continue
        found.append(
            Program(
                tool,
                [path, "--msgbox", TEXT, "10", "60"],
                marker=end,
                key=b"\r",
            )
        )
    return found, missing


def records(name):
    """A data dir kept across runs, for the record of a content directory's checked files."""
    path = os.path.join(ROOT, "target", "startup-records", name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, mode=0o700)
    os.chmod(path, 0o700)
    return path


def book(n):
    """A data dir of n saved cases, made once (by the example, as the wizard saves) and kept."""
    path = os.path.join(ROOT, "target", "startup-books", str(n))
    done = os.path.join(path, "made")
    if not os.path.exists(done):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        maker = os.path.join(ROOT, "target", "release", "examples", "file_book")
        if not os.path.exists(maker):
            sys.exit(f"{maker} is missing: run `cargo build --release --example file_book`")
        print(f"making a data dir of {n:,} cases in {path}", file=sys.stderr)
        subprocess.run([maker, os.path.join(path, "data"), str(n)], check=True, stdout=subprocess.DEVNULL)
        open(done, "w").close()
    return os.path.join(path, "data")


FLOOR_LINKED = os.path.join(ROOT, "target", "release", "examples", "floor-linked-like-xiaohu")


def build():
    # xiaohu on its own, as `cargo build --release` and `cargo install` make it: built in one
    # command with the examples, cargo unifies the dev-dependencies' features into the shared
    # crates, every crate's symbol hashes change, the code layout (link/startup-order.txt)
    # finds almost none of its names, and the first frame holds 1.2 MiB more.
    def run(cmd):
        print("$ " + " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, cwd=ROOT, check=True)

    examples = ["cargo", "build", "--release", "--example", "floor", "--example", "file_book"]
    run(examples)
    # The floor linked as xiaohu is: with the folder build.rs gives xiaohu's link (made by
    # the build script, which the build above ran), if it gives one. Copied aside, then the
    # floor linked again as cargo builds it.
    folder = unwinder_folder()
    if folder:
        run(["cargo", "rustc", "--release", "--example", "floor", "--", "-C", f"link-arg=-L{folder}"])
        shutil.copy2(os.path.join(ROOT, "target", "release", "examples", "floor"), FLOOR_LINKED)
        run(examples)
    run(["cargo", "build", "--release", "--bin", "xiaohu"])


def unwinder_folder():
    """The folder whose libgcc_s.so names libgcc_eh.a (build.rs, static_unwinder), newest first."""
    import glob
    found = glob.glob(os.path.join(ROOT, "target", "release", "build", "xiaohu-*", "out", "static-unwinder"))
    found = [f for f in found if os.path.exists(os.path.join(f, "libgcc_s.so"))]
    return max(found, key=os.path.getmtime) if found else None


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def read_until(fd, pred, deadline):
    """Reads from fd into a buffer until pred(buffer) or the deadline; returns the buffer."""
    buf = bytearray()
    answered = 0
    while not pred(buf):
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(bytes(buf[-300:]))
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            # A real terminal answers a cursor-position query (xiaohu asks once at start-up,
            # to learn how wide it draws ambiguous characters); answer as a narrow one does,
            # or every run would wait out the probe's timeout, which no real terminal makes.
            while buf.count(b"\x1b[6n") > answered:
                answered += 1
                os.write(fd, b"\x1b[2;2R")
    return buf


def drain(fd, seconds):
    """Reads whatever arrives for `seconds` (or until EOF)."""
    deadline = time.perf_counter() + seconds
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def run_once(prog, capture=False):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    slave_name = os.ttyname(slave)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "COLUMNS": str(COLS),
        "LINES": str(ROWS),
    }
    env.update(prog.env)
    data_dir = None
    if prog.fresh_data_dir:
        data_dir = tempfile.mkdtemp(prefix="xiaohu-startup-")
        env["XIAOHU_DATA_DIR"] = os.path.join(data_dir, "data")
    # setsid, then open the pty by name: it becomes the controlling terminal.
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, slave_name, os.O_RDWR, 0),
        (os.POSIX_SPAWN_DUP2, 0, 1),
        (os.POSIX_SPAWN_DUP2, 0, 2),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(prog.argv[0], prog.argv, env, file_actions=actions, setsid=True)
    os.close(slave)
    try:
        buf = read_until(master, lambda b: prog.marker in b, start + TIMEOUT)
        elapsed = time.perf_counter() - start
        if prog.marker not in buf:
            raise RuntimeError(f"{prog.name} ended before its first frame: {bytes(buf[-300:])!r}")
        listed = None
        if prog.listed:
            # Both frames may have come in one read already.
            if buf.count(prog.marker) < 2:
                buf += read_until(master, lambda b: (buf + b).count(prog.marker) >= 2, start + TIMEOUT)
            listed = time.perf_counter() - start
            if buf.count(prog.marker) < 2:
                raise RuntimeError(f"{prog.name} drew no second frame: {bytes(buf[-300:])!r}")
        # Let it finish the frame and settle into waiting for the key, then read its peak.
        drain(master, 0.05)
        rss = vm_hwm_kib(pid)
        os.write(master, prog.key)
        drain_deadline = time.perf_counter() + TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > drain_deadline:
                raise TimeoutError(f"{prog.name} did not exit after a key")
            drain(master, 0.01)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{prog.name} exited with {os.waitstatus_to_exitcode(status)}")
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        raise
    finally:
        os.close(master)
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    if capture:
        return buf
    return elapsed, listed, rss


def fmt_ms(seconds):
    return f"{seconds * 1000:.2f}"


def fmt_mib(kib):
    return f"{kib / 1024:.1f}"


def size_of(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds (each program once a round)")
    parser.add_argument("--no-build", action="store_true", help="use the binaries as they are")
    parser.add_argument(
        "--cases",
        type=lambda v: [int(n) for n in v.split(",") if n],
        default=[100, 10_000],
        metavar="N,N…",
        help="also run xiaohu on data dirs of this many saved cases (default 100,10000; '' for none)",
    )
    parser.add_argument(
        "--content",
        type=lambda v: [d for d in v.split(",") if d],
        default=[],
        metavar="DIR,DIR…",
        help="also run xiaohu on these content directories, with and without the record of "
        "their checked files (e.g. catalogues made by `cargo run --release --example catalogue`)",
    )
    parser.add_argument(
        "--xiaohu",
        metavar="PATH",
        help="measure this xiaohu binary (e.g. one built with another profile); implies --no-build",
    )
    parser.add_argument(
        "--before",
        action="append",
        default=[],
        metavar="PATH",
        help="also run this other xiaohu binary (e.g. the build before a change), as xiaohu "
        "and on the first of --cases; may be given more than once",
    )
    parser.add_argument(
        "--show-frame",
        metavar="NAME",
        help="print the bytes of NAME's first frame (to check its marker) and stop",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.no_build and not args.xiaohu:
        build()
    progs, missing = programs(args)
    for p in progs:
        if not os.path.exists(p.argv[0]):
            sys.exit(f"{p.argv[0]} is missing: run `cargo build --release --bin xiaohu --example floor`")
    for tool in missing:
        print(
            f"note: `{tool}` is not installed, so it is left out; "
            f"install it with `apt-get install -y {tool}` (Debian) to compare",
            file=sys.stderr,
        )
    if args.show_frame:
        prog = next(p for p in progs if p.name == args.show_frame)
        sys.stdout.write(repr(run_once(prog, capture=True)) + "\n")
        return

    load_before = os.getloadavg()
    # One warm-up round (page cache, dynamic loader), not counted.
    for p in progs:
        run_once(p)
    for r in range(args.runs):
        k = r % len(progs)
        for p in progs[k:] + progs[:k]:
            elapsed, listed, rss = run_once(p)
            p.times.append(elapsed)
            if listed is not None:
                p.listed_times.append(listed)
            p.rss.append(rss)
    load_after = os.getloadavg()

    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"machine: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}")
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )
    print(f"pty {COLS}x{ROWS}, {args.runs} runs each, interleaved, after one warm-up round")
    print()
    print("| program | first frame median (ms) | min | max | peak RSS median (MiB) | min | max |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    med = {}
    for p in progs:
        t = statistics.median(p.times)
        m = statistics.median(p.rss)
        med[p.name] = (t, m)
        print(
            f"| {p.name} | {fmt_ms(t)} | {fmt_ms(min(p.times))} | {fmt_ms(max(p.times))} "
            f"| {fmt_mib(m)} | {fmt_mib(min(p.rss))} | {fmt_mib(max(p.rss))} |"
        )
    print()
    print("| program | start page with its saved cases, median (ms) | min | max |")
    print("|---|---:|---:|---:|")
    for p in progs:
        if p.listed_times:
            t = p.listed_times
            print(f"| {p.name} | {fmt_ms(statistics.median(t))} | {fmt_ms(min(t))} | {fmt_ms(max(t))} |")
    print()
    x_t, x_m = med["xiaohu"]
    print("| ratio (medians) | first frame | peak RSS | target |")
    print("|---|---:|---:|---|")
    targets = {"floor": "frame ≤ 1.3×, RSS ≤ 2×", "dialog": "frame ≤ 1.0×"}
    for name in ("floor", "floor, linked like xiaohu", "dialog", "whiptail"):
        if name in med:
            t, m = med[name]
            print(f"| xiaohu / {name} | {x_t / t:.2f}× | {x_m / m:.2f}× | {targets.get(name, '')} |")
    for n in args.cases:
        name = f"xiaohu+{n:,}"
        if "floor" in med:
            t, m = med[name]
            f_t, f_m = med["floor"]
            target = "frame ≤ 1.3×" if n <= 100 else "frame ≤ 1.5×"
            print(f"| {name} / floor | {t / f_t:.2f}× | {m / f_m:.2f}× | {target} |")
    print()
    for name, path in (
        ("xiaohu", progs[0].argv[0]),
        ("floor", os.path.join(ROOT, "target", "release", "examples", "floor")),
    ):
        size = size_of(path)
        if size is not None:
            print(f"{name} binary: {size / 1e6:.2f} MB ({size} bytes)")


if __name__ == "__main__":
    main()
