#!/usr/bin/env python3
"""Incremental rebuild time (issue #17): N generated agreements built to md+pdf, then one
clause used by about a tenth of them edited; the rebuild's time against a full build's.

    benches/incremental.py [--mou target/release/mou] [--n 1000] [--runs 3] [--work DIR]

In WORK (default /tmp/mou-incr-bench): a copy of `clauses/` and `gen_profiles.py N`
profiles. The clause is the one whose `mou clauses used-by` count is nearest N/10 (the
standard text of an id, at the version most agreements use). Each run: a full build
(`--force`, outputs already there, as the rebuild has them), then the clause edited (a
sentence toggled, so its bytes change every run) and a plain `mou build`, which must
report `built K, …, up to date N-K`. Prints each time and the median ratio.
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
    build = [a.mou, "build", "profiles", "-f", "md,pdf", "-o", "out", "-q"]

    # The clause version nearest a tenth of the agreements (from mou.lock's view).
    subprocess.run([a.mou, "lock", "profiles", "-o", "bench.lock", "-q"], cwd=work, check=True)
    counts = collections.Counter()
    lock = tomllib.loads((work / "bench.lock").read_text())
    for agreement in lock["agreements"].values():
        for c in agreement["clauses"]:
            if c.get("layer") == "project" and "variant" not in c and ":" not in c["id"]:
                counts[(c["id"], c["version"])] += 1
    target = a.n / 10
    (cid, version), users = min(counts.items(), key=lambda kv: abs(kv[1] - target))
    clause = work / "clauses" / cid / f"{version}.md"
    print(f"clause {cid}@{version}: used by {users} of {a.n} agreements", file=sys.stderr)
    base = clause.read_text()

    run(build, work)  # outputs in place, as in the runs
    fulls, incrs = [], []
    for i in range(a.runs):
        took, summary = run(build + ["--force"], work)
        fulls.append(took)
        print(f"full build: {took:.2f} s ({summary})", file=sys.stderr)
        clause.write_text(base + ("\nA bench sentence.\n" if i % 2 == 0 else "\nAnother one.\n"))
        took, summary = run(build, work)
        incrs.append(took)
        print(f"after the edit: {took:.2f} s ({summary})", file=sys.stderr)
        if not summary.startswith(f"built {users}, failed 0, up to date {a.n - users} "):
            sys.exit(f"expected {users} rebuilt: {summary}")
    full, incr = statistics.median(fulls), statistics.median(incrs)
    print(f"N = {a.n}, md+pdf, {cid}@{version} used by {users}: full build median {full:.2f} s, "
          f"rebuild after the edit median {incr:.2f} s = {100 * incr / full:.1f}% of a full build "
          f"(target <= 15%)")


if __name__ == "__main__":
    main()
