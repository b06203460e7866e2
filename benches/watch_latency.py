#!/usr/bin/env python3
"""Save-to-rebuilt latency of `mou watch` (issue #17): how long from a file saved to its
agreement's Markdown and PDF rebuilt, as `mou watch` reports it done.

    benches/watch_latency.py [--mou target/release/mou] [--runs 30] [--work DIR]
                             [--profile tacoma-2021.toml] [--debounce MS]

A project of its own in WORK (default /tmp/mou-watch-bench): the repository's `clauses/`
and every example profile. `mou watch -f md,pdf` runs there; each run saves the profile
(a comment line toggled, so its bytes change every time) or a clause it uses, notes the
time just before the write, and waits for the `built 1, …` line. The figure includes the
debounce wait (default 30 ms: the time without events that marks a save as done). Prints
min / median / p90 / max in ms for each kind of save.
"""
import argparse
import pathlib
import shutil
import statistics
import subprocess
import sys
import threading
import queue
import time

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mou", default=str(REPO / "target/release/mou"))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--work", default="/tmp/mou-watch-bench")
    ap.add_argument("--profile", default="tacoma-2021.toml")
    ap.add_argument("--debounce", type=int, default=None)
    a = ap.parse_args()

    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(REPO / "clauses", work / "clauses")
    shutil.copytree(REPO / "profiles", work / "profiles")
    profile = work / "profiles" / a.profile
    used = subprocess.run([a.mou, "clauses", "used-by", "termination", str(profile)],
                          cwd=work, capture_output=True, text=True).stdout.split("\t")
    clause = work / "clauses" / "termination" / (used[1].split("@")[1] + ".md")
    # A profile saved, all examples watched; a clause saved, this profile watched (the
    # examples share the clause: the figure is for one agreement).
    sessions = (("profile", profile, "profiles"), ("clause", clause, str(profile)))
    for kind, path, watched in sessions:
        times = session(a, work, watched, path, kind)
        times.sort()
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"{kind} save -> {profile.stem} md+pdf rebuilt (watching {watched}): "
              f"min {times[0]:.1f} ms, median {statistics.median(times):.1f} ms, "
              f"p90 {p90:.1f} ms, max {times[-1]:.1f} ms ({len(times)} runs)")


def session(a, work, watched, path, kind):
    """Saves `path` a.runs times under `mou watch WATCHED`; each save's latency in ms."""
    args = [a.mou, "watch", watched, "-f", "md,pdf", "-o", "out"]
    if a.debounce is not None:
        args += ["--debounce", str(a.debounce)]
    p = subprocess.Popen(args, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, bufsize=1)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l.rstrip("\n")) for l in p.stdout],
                     daemon=True).start()

    def wait(prefix, timeout=120):
        end = time.monotonic() + timeout
        while True:
            line = lines.get(timeout=max(0.0, end - time.monotonic()))
            if line.startswith(prefix):
                return line, time.monotonic()

    base = path.read_text()
    try:
        first, _ = wait("built ")
        wait("watching")
        print(f"{kind}: initial {first}", file=sys.stderr)
        times = []
        for i in range(a.runs):
            extra = "\n# bench\n" if kind == "profile" else "\nA bench sentence.\n"
            start = time.monotonic()
            path.write_text(base + extra if i % 2 == 0 else base)
            line, done = wait("built ")
            if not line.startswith("built 1,"):
                sys.exit(f"{kind} save {i}: expected one agreement rebuilt, got: {line}")
            times.append((done - start) * 1000)
        return times
    finally:
        path.write_text(base)
        p.terminate()
        p.wait()

if __name__ == "__main__":
    main()
