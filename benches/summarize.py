#!/usr/bin/env python3
"""Tables for RESULTS.md from what benches/run.sh wrote into benches/results/.

    benches/summarize.py [RESULTS_DIR]      Markdown on stdout

Wall times are hyperfine's median [min-max]. `cpu s` is user + system per run (hyperfine's mean).
`other load` is how many cores' worth of CPU the rest of the machine used while the measurement
ran: (busy CPU seconds of the whole machine, from /proc/stat) minus (the measurement's own CPU,
runs + warm-ups), divided by the wall time. On this 2-core machine anything above ~0.1 means the
figures are pessimistic; the min column is then the better estimate.
"""
import json
import pathlib
import re
import sys

RES = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "results")


def hf(name):
    p = RES / f"{name}.json"
    if not p.exists():
        return None
    r = json.loads(p.read_text())["results"][0]
    r["n_runs"] = len(r["times"])
    return r


def kv(path):
    out = {}
    if path.exists():
        for line in path.read_text().splitlines():
            k, _, v = line.partition(" ")
            out[k] = v
    return out


def other_load(name, own_cpu_total):
    d = kv(RES / f"load-{name}.txt")
    if not d:
        return None
    wall, busy = float(d["wall_s"]), float(d["machine_busy_cpu_s"])
    return max(0.0, (busy - own_cpu_total) / wall) if wall > 0 else None


def hf_load(name, r):
    d = kv(RES / f"load-{name}.txt")
    warm = int(d.get("warmup", "0") or 0)
    return other_load(name, (r["user"] + r["system"]) * (r["n_runs"] + warm))


def timev(name):
    p = RES / f"time-{name}.txt"
    if not p.exists():
        return None
    t = p.read_text()

    def g(pat):
        m = re.search(pat, t)
        return m.group(1) if m else None

    el = g(r"Elapsed \(wall clock\) time.*: (\S+)")
    parts = [float(x) for x in el.split(":")]
    wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)
    cpu = float(g(r"User time \(seconds\): (\S+)")) + float(g(r"System time \(seconds\): (\S+)"))
    rss = int(g(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
    return {"wall": wall, "cpu": cpu, "mib": rss, "load": other_load(f"time-{name}", cpu)}


def s(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"


def wall(r, scale=1.0, nd=2):
    return f"{r['median'] * scale:.{nd}f} [{r['min'] * scale:.{nd}f}-{r['max'] * scale:.{nd}f}]"


def main():
    out = []
    p = out.append
    envs = [RES / "env.txt", RES / "env-peers.txt"]
    if any(e.exists() for e in envs):
        p("```")
        for e in envs:
            if e.exists():
                p(e.read_text().rstrip())
        p("```")
        p("")

    ns = sorted(int(m.group(1)) for f in RES.glob("mou_build_md_pdf_*.json")
                if (m := re.fullmatch(r"mou_build_md_pdf_(\d+)\.json", f.name)))
    p("### mou build, md + pdf, N generated profiles (`mou build DIR -f md,pdf -o OUT -q`)")
    p("")
    p("| N | wall s, median [min-max] | runs | ms per agreement (median / best) | cpu s | "
      "cpu/wall | peak MiB | other load (cores) |")
    p("|--:|--:|--:|--:|--:|--:|--:|--:|")
    per = {}
    for n in ns:
        r = hf(f"mou_build_md_pdf_{n}")
        t = timev(f"mou_build_md_pdf_{n}")
        cpu = r["user"] + r["system"]
        per[n] = (r["median"] / n * 1000, r["min"] / n * 1000)
        p(f"| {n:,} | {wall(r)} | {r['n_runs']} | {per[n][0]:.1f} / {per[n][1]:.1f} | {cpu:.2f} | "
          f"{cpu / r['median']:.2f} | {s(t and t['mib'], 1)} | {s(hf_load(f'mou_build_md_pdf_{n}', r))} |")
    p("")

    rows = [
        ("mou_build_md_100", "`mou build DIR100 -f md`"),
        ("mou_build_pdf_100", "`mou build DIR100 -f pdf`"),
        ("mou_build_md_pdf_100", "`mou build DIR100 -f md,pdf`"),
        ("mou_build_md_pdf_docx_100", "`mou build DIR100 -f md,pdf,docx`"),
        ("mou_build_md_pdf_100_j1", "`mou build DIR100 -f md,pdf -j 1` (one thread)"),
        ("mou_check_examples", "`mou check profiles` (the examples)"),
        ("mou_build_one_pdf", "`mou build ONE.toml -f pdf` (one agreement)"),
    ]
    p("### mou, other commands")
    p("")
    p("| command | wall s, median [min-max] | runs | per agreement ms | cpu s | other load |")
    p("|:--|--:|--:|--:|--:|--:|")
    for name, label in rows:
        r = hf(name)
        if not r:
            continue
        n = 100 if name.endswith(("_100", "_j1")) else 1
        pa = "-" if "check" in name else f"{r['median'] / n * 1000:.1f}"
        p(f"| {label} | {wall(r, nd=3)} | {r['n_runs']} | {pa} | "
          f"{r['user'] + r['system']:.3f} | {s(hf_load(name, r))} |")
    one = RES / "one-pdf.txt"
    if one.exists():
        p("")
        p("One agreement: " + ", ".join(one.read_text().split("\n")).strip(", ") + ".")
    tc = [f for f in sorted(RES.glob("time-mou_check_*.txt"))]
    for f in tc:
        t = timev(f.stem[5:])
        p("")
        p(f"`mou check` on the generated set ({f.stem.split('_')[-1]} profiles): {t['wall']:.2f} s wall, "
          f"{t['cpu']:.2f} s cpu, {t['mib']:.1f} MiB peak.")
    p("")

    peers = [
        ("peer_a_render", "a_render: jinja2 render only, one city", 1),
        ("peer_f_city_pdf", "f_city_pdf: one city, jinja2 -> pandoc 3 -> typst PDF", 1),
        ("peer_f_city_md_pdf_docx", "f_city_md_pdf_docx: one city, md + pdf + docx", 1),
        ("peer_g_batch100_inproc_p2", "g_batch100_inproc_p2: 100 cities, 2 workers (fastest peer batch)", 100),
        ("peer_g_batch1000_inproc_p2", "g_batch1000_inproc_p2: 1,000 cities, 2 workers", 1000),
    ]
    if any(hf(n) for n, _, _ in peers):
        p("### Peer pipelines (shared/peers, by their names in scripts/pipelines.sh)")
        p("")
        p("| pipeline | wall s, median [min-max] | runs | per city ms | cpu s | peak MiB | other load |")
        p("|:--|--:|--:|--:|--:|--:|--:|")
        for name, label, n in peers:
            r = hf(name)
            if not r:
                continue
            t = timev(name)
            p(f"| {label} | {wall(r, nd=3)} | {r['n_runs']} | {r['median'] / n * 1000:.0f} | "
              f"{r['user'] + r['system']:.2f} | {s(t and t['mib'], 1)} | {s(hf_load(name, r))} |")
        p("")

    # speedups and targets
    f1, g100 = hf("peer_f_city_pdf"), hf("peer_g_batch100_inproc_p2")
    f3, m3 = hf("peer_f_city_md_pdf_docx"), hf("mou_build_md_pdf_docx_100")
    p("### Speedup per agreement (peer time / mou time, medians; best-of in brackets)")
    p("")
    p("| mou | vs f_city_pdf (one city) | vs g_batch100_inproc_p2 (per city) |")
    p("|:--|--:|--:|")
    for n in ns:
        m, b = per[n]
        cells = []
        for peer, k in ((f1, 1), (g100, 100)):
            if peer:
                pm, pb = peer["median"] / k * 1000, peer["min"] / k * 1000
                cells.append(f"{pm / m:.1f}x [{pb / b:.1f}x]")
            else:
                cells.append("-")
        p(f"| md+pdf, N = {n:,} ({m:.1f} ms) | {cells[0]} | {cells[1]} |")
    one = hf("mou_build_one_pdf")
    if one and f1:
        p(f"| one agreement, pdf, one process ({one['median'] * 1000:.0f} ms) | "
          f"{f1['median'] / one['median']:.1f}x [{f1['min'] / one['min']:.1f}x] | - |")
    if f3 and m3:
        m = m3["median"] / 100
        p(f"| md+pdf+docx, N = 100 ({m * 1000:.1f} ms) vs f_city_md_pdf_docx | "
          f"{f3['median'] / m:.1f}x | - |")
    p("")

    p("### Targets")
    p("")
    big = max(ns) if ns else None
    if big:
        r = hf(f"mou_build_md_pdf_{big}")
        ok = r["median"] <= 10 * big / 1000
        p(f"- {big:,} agreements md+pdf in <= {10 * big / 1000:g} s: median {r['median']:.2f} s, best "
          f"{r['min']:.2f} s -> **{'met' if ok else 'NOT met'}**"
          + ("" if ok else f" ({r['median'] / (10 * big / 1000):.1f}x over)"))
    if len(ns) >= 2:
        lo, hi = ns[-2], ns[-1]
        ratio = per[hi][0] / per[lo][0]
        p(f"- linear: per-agreement time N={hi:,} / N={lo:,} = {ratio:.2f} "
          f"(N={ns[0]}: {per[ns[0]][0]:.1f} ms, " + ", ".join(f"N={n:,}: {per[n][0]:.1f} ms" for n in ns[1:])
          + f") -> **{'met' if 0.85 <= ratio <= 1.15 else 'NOT met'}** (within 15 %)")
        mibs = {n: timev(f"mou_build_md_pdf_{n}") for n in ns}
        if all(mibs.values()):
            worst = max(t["mib"] for t in mibs.values())
            p(f"- peak memory <= 100 MiB: " + ", ".join(f"N={n:,}: {t['mib']:.1f} MiB" for n, t in mibs.items())
              + f" -> **{'met' if worst <= 100 else 'NOT met'}**")
    if big and f1:
        sp = (f1["median"]) / (per[big][0] / 1000)
        sp2 = (g100["median"] / 100) / (per[big][0] / 1000) if g100 else None
        p(f"- >= 30x faster per agreement than Jinja2+pandoc: {sp:.1f}x vs f_city_pdf"
          + (f", {sp2:.1f}x vs g_batch100_inproc_p2" if sp2 else "")
          + f" -> **{'met' if sp >= 30 and (sp2 is None or sp2 >= 30) else 'NOT met'}**")
    ce = hf("mou_check_examples")
    if ce:
        p(f"- `mou check` on the examples < 100 ms: median {ce['median'] * 1000:.1f} ms -> "
          f"**{'met' if ce['median'] < 0.1 else 'NOT met'}**")
    if one:
        p(f"- one agreement to PDF: median {one['median'] * 1000:.0f} ms")
    print("\n".join(out))


if __name__ == "__main__":
    main()
