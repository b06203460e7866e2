#!/usr/bin/env python3
"""Incremental rebuild time (issue #17): N generated agreements built to md+pdf, then one
clause used by about a tenth of them edited; the rebuild's time against a full build's.

    benches/incremental.py [--mou target/release/mou] [--n 1000] [--runs 3] [--work DIR]

In WORK (default /tmp/mou-incr-bench): a copy of `clauses/` and `gen_profiles.py N`
profiles. No clause version need be used by exactly a tenth, so two are edited: the one
with the most users below N/10 and the one with the fewest at or above it (standard text,
project layer, as `mou lock` records them). Each run: a full build (`--force`, outputs
already there, as a rebuild has them), a build with nothing edited, then each clause
edited in turn (a sentence toggled, so its bytes change every run) and a plain `mou
build`, which must report `built K, …, up to date N-K`. Prints the medians, each as a
share of the full build, and the share interpolated at exactly N/10.
"""
import argparse
import collections
import pathlib
import shutil
import statistics
import subprocess
import sys
import time
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent


def run(args, cwd):
    start = time.monotonic()
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    took = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{p.stderr[-2000:]}")
    summary = [l for l in p.stderr.splitlines() if l.startswith("built ")][-1]
    return took, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mou", default=str(REPO / "target/release/mou"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/mou-incr-bench")
    a = ap.parse_args()

    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(REPO / "clauses", work / "clauses")
    subprocess.run([sys.executable, str(HERE / "gen_profiles.py"), str(a.n),
                    str(work / "profiles")], check=True, stdout=subprocess.DEVNULL)
    build = [a.mou, "build", "profiles", "-f", "md,pdf", "-o", "out", "--warnings", "none"]

    # The clause version nearest a tenth of the agreements (from mou.lock's view).
    subprocess.run([a.mou, "lock", "profiles", "-o", "bench.lock", "-q"], cwd=work, check=True)
    counts = collections.Counter()
    lock = tomllib.loads((work / "bench.lock").read_text())
    for agreement in lock["agreements"].values():
        for c in agreement["clauses"]:
            if c.get("layer") == "project" and "variant" not in c and ":" not in c["id"]:
                counts[(c["id"], c["version"])] += 1
    target = a.n / 10
    # No clause version need have exactly a tenth: the one with the most users below a
    # tenth and the one with the fewest at or above it, and the ratio at a tenth
    # interpolated between them.
    below = max((kv for kv in counts.items() if kv[1] < target), key=lambda kv: kv[1])
    above = min((kv for kv in counts.items() if kv[1] >= target), key=lambda kv: kv[1])
    picks = [below, above]
    for (cid, version), users in picks:
        print(f"clause {cid}@{version}: used by {users} of {a.n} agreements", file=sys.stderr)
    bases = {kv[0]: (work / "clauses" / kv[0][0] / f"{kv[0][1]}.md").read_text() for kv in picks}

    run(build, work)  # outputs in place, as in the runs
    fulls, none = [], []
    edits = {kv[0]: [] for kv in picks}
    for i in range(a.runs):
        took, summary = run(build + ["--force"], work)
        fulls.append(took)
        print(f"full build: {took:.2f} s ({summary})", file=sys.stderr)
        took, summary = run(build, work)
        none.append(took)
        print(f"nothing edited: {took:.2f} s ({summary})", file=sys.stderr)
        for (cid, version), users in picks:
            clause = work / "clauses" / cid / f"{version}.md"
            extra = "\nA bench sentence.\n" if i % 2 == 0 else "\nAnother one.\n"
            clause.write_text(bases[(cid, version)] + extra)
            took, summary = run(build, work)
            edits[(cid, version)].append(took)
            print(f"{cid}@{version} edited: {took:.2f} s ({summary})", file=sys.stderr)
            if not summary.startswith(f"built {users}, failed 0, up to date {a.n - users} "):
                sys.exit(f"expected {users} rebuilt: {summary}")
    for key, base in bases.items():
        (work / "clauses" / key[0] / f"{key[1]}.md").write_text(base)
    full = statistics.median(fulls)
    print(f"N = {a.n}, md+pdf, medians of {a.runs} runs: full build {full:.2f} s; "
          f"nothing edited {statistics.median(none):.2f} s "
          f"({100 * statistics.median(none) / full:.1f}%)")
    ratios = []
    for (cid, version), users in picks:
        t = statistics.median(edits[(cid, version)])
        ratios.append((users, t / full))
        print(f"  {cid}@{version} (used by {users}) edited: {t:.2f} s = {100 * t / full:.1f}%")
    (u0, r0), (u1, r1) = ratios
    at = r0 + (r1 - r0) * (target - u0) / (u1 - u0)
    print(f"  a clause used by {target:.0f} (interpolated): {100 * at:.1f}% of a full build "
          f"(target <= 15%)")

if __name__ == "__main__":
    main()
