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
    args = [a.mou, "watch", "-f", "md,pdf", "-o", "out"]
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

    try:
        first, _ = wait("built ")
        wait("watching")
        print(f"initial: {first}", file=sys.stderr)
        profile = work / "profiles" / a.profile
        text = profile.read_text()
        agreement = profile.stem
        used = subprocess.run([a.mou, "clauses", "used-by", "termination", str(profile)],
                              cwd=work, capture_output=True, text=True).stdout.split("\t")
        clause = work / "clauses" / "termination" / (used[1].split("@")[1] + ".md")
        clause_text = clause.read_text()
        results = {}
        for kind, path, base in (("profile", profile, text), ("clause", clause, clause_text)):
            times = []
            for i in range(a.runs):
                edit = base + ("\n# bench\n" if kind == "profile" else "\nA bench sentence.\n") \
                    if i % 2 == 0 else base
                start = time.monotonic()
                path.write_text(edit)
                line, done = wait("built ")
                if not line.startswith("built 1,"):
                    sys.exit(f"{kind} save {i}: expected one agreement rebuilt, got: {line}")
                times.append((done - start) * 1000)
            results[kind] = times
        for kind, times in results.items():
            times.sort()
            p90 = times[int(0.9 * (len(times) - 1))]
            print(f"{kind} save -> {agreement} md+pdf rebuilt: min {times[0]:.1f} ms, "
                  f"median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, "
                  f"max {times[-1]:.1f} ms ({len(times)} runs)")
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
