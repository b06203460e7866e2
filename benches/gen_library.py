#!/usr/bin/env python3
"""Write a large clause library, for timing how `mou` loads one (issue #19, #17).

    benches/gen_library.py OUTDIR [--clauses N] [--versions K] [--base DIR] [--outline]

OUTDIR gets a copy of the real library (`clauses/`, or --base), so its outlines and rules
still work and `mou check profiles` still passes, plus N generated clauses `gen-0001` ...
each with K versions `1.0.0.md` ... `1.{K-1}.0.md` (default 1,000 x 10 = 10,000 versions).
Every body is template text like the real clauses': profile variables, SPEC §3 filters,
an `{% if %}`, a `{% for %}` and a `ref()`. With --outline, `outlines/big.toml` lists every
generated clause (optional articles), for the outline checks.

Deterministic: the same arguments give byte-identical files. Measure with a release build:

    cargo build --release
    benches/gen_library.py /tmp/biglib --outline
    /usr/bin/time -f "%es %Us user %MKB" target/release/mou clauses list --library /tmp/biglib > /dev/null
    /usr/bin/time -f "%es %Us user %MKB" target/release/mou check profiles --library /tmp/biglib

Figures (2-core machine shared with other builds; wall, user time, peak RSS):

    versions (--outline)    before (f7aa9ea)               after (one Tera batch)
    1,000   clauses list    0.47 s   0.42 s user   31 MB   0.21 s  0.06 s user   33 MB
    2,500   clauses list    3.96 s   3.88 s user   58 MB   0.43 s  0.11 s user   64 MB
    5,000   clauses list   16.1 s   15.9 s user   103 MB   0.90 s  0.24 s user  111 MB
    10,000  clauses list    141 s    131 s user   193 MB   0.56 s  0.38 s user  209 MB
    10,000  check profiles  181 s    115 s user   202 MB   0.52 s  0.39 s user  218 MB

Before, every clause was added to Tera alone, and Tera links all the templates it
holds each time one is added: quadratic. 10,000 one-version clauses with a 10,000-article
outline (`--clauses 10000 --versions 1 --outline`) also spent 0.2 s user counting
repeated outline entries pair by pair (0.59 s -> 0.39 s user).
"""
import argparse
import pathlib
import shutil
import sys

BODY = """\
+++
title = "Generated Clause {n}"
summary = "Clause {n}, version {v}, generated for a load benchmark."
tags = ["generated", "gen-{n}"]
states = ["*"]
changes = "Version {v}."
+++
{school} and {agency} agree to the terms of this clause ({n}, version {v}).
The term begins on {{{{ term.start | long_date }}}} and ends on {{{{ term.end | long_date }}}}.
{{% if funding.annual_cost > 0 %}}The District pays {{{{ funding.school_amount | money }}}} each year,
or {{{{ funding.school_share_percent | percent }}}} of the cost.{{% else %}}No money changes hands.{{% endif %}}

{{% for s in schools %}}- {{{{ s.name }}}} ({{{{ s.officers | spelled }}}} officer(s))
{{% endfor %}}
Notices go as {{{{ ref(id="notices") }}}} says; either party may end this clause on
{{{{ term.termination_notice_days | spelled }}}} days' written notice.
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=pathlib.Path)
    ap.add_argument("--clauses", type=int, default=1000)
    ap.add_argument("--versions", type=int, default=10)
    ap.add_argument("--base", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parent.parent / "clauses")
    ap.add_argument("--outline", action="store_true")
    args = ap.parse_args()
    out: pathlib.Path = args.outdir
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(args.base, out)
    width = max(4, len(str(args.clauses)))
    for i in range(1, args.clauses + 1):
        n = str(i).zfill(width)
        folder = out / f"gen-{n}"
        folder.mkdir()
        for k in range(args.versions):
            v = f"1.{k}.0"
            text = BODY.format(n=n, v=v, school="{{ school.name }}", agency="{{ agency.name }}")
            (folder / f"{v}.md").write_text(text, encoding="utf-8")
    if args.outline:
        lines = ["# Every generated clause, optional.\n"]
        for i in range(1, args.clauses + 1):
            lines.append(f'\n[[article]]\nclause = "gen-{str(i).zfill(width)}"\noptional = true\n')
        (out / "outlines" / "big.toml").write_text("".join(lines), encoding="utf-8")
    total = args.clauses * args.versions
    print(f"{out}: {args.clauses} clauses x {args.versions} versions = {total} generated versions",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
