#!/usr/bin/env python3
"""Write N varied, valid, deterministic `mou` profiles derived from the example profiles.

    benches/gen_profiles.py N OUTDIR [--examples DIR] [--draft-every K]

Profile i (1-based) is `OUTDIR/city-NNNN.toml` with `agreement.id = "city-NNNN"`. It takes its
shape from example number i mod 7 (title, officer title, staffing, clause versions, optional
clauses, insurance fields) and varies everything a city changes: city, district and agency
names, signatories, addresses, 1-12 schools with unique names, officers per school, state
(CT/KY/CA/WA), dates and term length, renewal, notice days, annual cost, school share, months,
overtime, billing (installments with 2-4 dated payments, or a derived schedule), annual increase,
indemnity and insurance limits. Connecticut profiles always include `data-collection` (the CT
rules require it, as in west-hartford-2022). Every K-th profile (default 20) is a draft that
leaves a few values blank, as kentucky-city-2025 does; all others are final.

The output depends on N and the index only (seeded per profile), so profile 17 is the same file
whatever N is, and two runs give byte-identical files. Needs Python >= 3.11 (tomllib).
"""
import argparse
import datetime as dt
import json
import pathlib
import random
import sys

try:
    import tomllib
except ImportError:  # pragma: no cover
    sys.exit("gen_profiles.py needs Python >= 3.11 (tomllib)")

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "profiles"

# 40 x 30 = 1,200 city names before a number has to be added.
PREFIXES = """Ash Bel Birch Brook Cedar Clear Cold Crest Deer Eagle Elm Fair Fern Fox Glen Granite
Green Hazel High Holly Iron Lake Laurel Maple Mill North Oak Pine Red River Rock Rose Silver
South Spring Stone Sun West Willow Wolf""".split()
SUFFIXES = """bury brook burg dale field ford gate grove haven hill hollow land lea mont moor port
ridge side springs stead ton vale view ville water well wick wood worth crest""".split()
SCHOOL_NAMES = """Adams Banneker Carver Chavez Douglass Edison Emerson Franklin Fulton Garfield
Grant Hamilton Hawthorne Irving Jefferson Kennedy Keller Lincoln Longfellow Madison Mann Marshall
McKinley Monroe Parks Pierce Revere Roosevelt Sequoia Taft Thoreau Truman Tubman Washington
Webster Whitman Wilson Wright Lakeview Hillcrest Riverside Parkside Meadowbrook Westfield
Northgate Southport Eastwood Valley Summit Canyon Prairie Harbor Mesa Orchard""".split()
FIRST = """Maria James Linda Robert Patricia Michael Jennifer David Elizabeth William Susan
Richard Jessica Joseph Sarah Thomas Karen Daniel Nancy Carlos Aisha Kenji Priya Omar Grace
Hannah Luis Mei Samuel Rosa""".split()
LAST = """Alvarez Bennett Chen Delgado Ellis Foster Garcia Harper Ibrahim Jensen Kowalski Lopez
Morgan Nguyen Okafor Patel Quinn Ramirez Sullivan Thompson Underwood Vasquez Whitaker Yamamoto
Zimmerman Brooks Castillo Donovan Fischer Grayson""".split()
STREETS = """Main Oak Maple Cedar Elm Washington Lincoln Park Lake Hill Church Spring Academy
Center Union Court Mill""".split()
STREET_KINDS = ["Street", "Avenue", "Road", "Drive", "Boulevard", "Way"]
STATES = {  # state: (weight, ZIP prefix)
    "CA": (4, "9"), "CT": (2, "06"), "KY": (2, "40"), "WA": (2, "98"),
}
LEVELS = ["elementary", "elementary", "elementary", "middle", "middle", "high", "high", "other"]
LEVEL_WORD = {"elementary": "Elementary School", "middle": "Middle School",
              "high": "High School", "other": "Academy"}


def q(s):
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


def arr(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def money(x):
    return f"{x:.2f}"


def num(x):
    return str(int(x)) if float(x).is_integer() else f"{x}"


def city_name(i, order):
    k = order[(i - 1) % len(order)]
    name = PREFIXES[k % len(PREFIXES)] + SUFFIXES[k // len(PREFIXES)]
    lap = (i - 1) // len(order)
    return name if lap == 0 else f"{name} {lap + 1}"


def person(r):
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def address(r, city, state):
    zipc = STATES[state][1]
    zipc = zipc + "".join(str(r.randrange(10)) for _ in range(5 - len(zipc)))
    return [f"{r.randrange(10, 9999)} {r.choice(STREETS)} {r.choice(STREET_KINDS)}",
            f"{city}, {state} {zipc}"]


def pick_state(r):
    names = list(STATES)
    return r.choices(names, weights=[STATES[s][0] for s in names])[0]


def profile(i, base, city, draft):
    r = random.Random(f"mou-bench-profile-{i}")
    ba = base["agreement"]
    state = pick_state(r)
    pid = f"city-{i:04d}"

    # Term: one school year mostly, sometimes two or three; signed some weeks before it starts.
    year = r.randrange(2017, 2027)
    start = dt.date(year, r.choice([7, 7, 8]), r.choice([1, 1, 15]))
    years = r.choice([1, 1, 1, 2, 3])
    end = dt.date(year + years, 6, 30)
    signed = start - dt.timedelta(days=r.randrange(5, 60))

    if state == "KY":
        district = f"{city} County Board of Education"
        short = "the Board"
    else:
        district = r.choice([f"{city} Unified School District", f"{city} Public Schools",
                             f"{city} School District"])
        short = "the District"
    sheriff = r.random() < 0.2
    if sheriff:
        agency, kind, gov, ashort = (f"{city} County Sheriff's Office", "sheriff",
                                     f"County of {city}", "the Sheriff")
        chief = "Sheriff"
    else:
        agency, kind, ashort = f"{city} Police Department", "police", "the Department"
        gov = f"{'Town' if state == 'CT' else 'City'} of {city}"
        chief = "Chief of Police"

    lines = [f"# Generated by benches/gen_profiles.py from {ba['id']}.toml (profile {i}).", ""]
    a = lines.append
    a("[agreement]")
    a(f"id = {q(pid)}")
    a(f"title = {q(ba['title'])}")
    a('outline = "mou"')
    a(f"state = {q(state)}")
    a(f"date = {signed.isoformat()}")
    a(f"status = {q('draft' if draft else 'final')}")
    a("")
    a("[school]")
    a(f"name = {q(district)}")
    a(f"short_name = {q(short)}")
    sup = r.choice(["Superintendent", "Superintendent of Schools", "Interim Superintendent"])
    sname = person(r)
    if draft:
        a(f"signatory = {{ title = {q(sup)} }}")
    else:
        a(f"signatory = {{ name = {q(sname)}, title = {q(sup)} }}")
    a(f"notice_address = {arr(address(r, city, state))}")
    a("")
    a("[agency]")
    a(f"name = {q(agency)}")
    a(f"kind = {q(kind)}")
    a(f"government = {q(gov)}")
    a(f"short_name = {q(ashort)}")
    a(f"signatory = {{ name = {q(person(r))}, title = {q(chief)} }}")
    a(f"notice_address = {arr(address(r, city, state))}")

    n_schools = r.randint(1, 12)
    names = r.sample(SCHOOL_NAMES, n_schools)
    officers = [0] * n_schools
    for k in range(n_schools):
        officers[k] = r.choice([0, 1, 1, 1, 2]) if n_schools > 1 else r.choice([1, 1, 2])
    if sum(officers) == 0:
        officers[0] = 1
    for k, nm in enumerate(names):
        level = r.choice(LEVELS)
        a("")
        a("[[schools]]")
        a(f"name = {q(nm + ' ' + LEVEL_WORD[level])}")
        a(f"level = {q(level)}")
        a(f"officers = {officers[k]}")

    st = base.get("staffing", {})
    a("")
    a("[staffing]")
    a(f"officer_title = {q(st.get('officer_title', 'School Resource Officer'))}")
    a(f"abbreviation = {q(st.get('abbreviation', 'SRO'))}")
    a(f"supervisors = {r.choice([0, 0, 0, 1])}")

    a("")
    a("[term]")
    if not draft:
        a(f"start = {start.isoformat()}")
    a(f"end = {end.isoformat()}")
    a(f"renewal = {q(r.choice(['none', 'annual', 'annual', 'automatic']))}")
    a(f"termination_notice_days = {r.choice([7, 14, 30, 30, 60, 90])}")

    cost = r.randrange(60, 900) * 1000 + r.choice([0, 0, 500])
    share = r.choice([0, 25, 50, 50, 60, 70, 70, 75, 80, 100])
    overtime = r.choice(["school", "school", "agency", "none"])
    if share == 100 and overtime == "agency":  # `mou check` warns (W0502): the school pays it all
        overtime = "school"
    billing = "installments" if draft else r.choice(
        ["installments", "installments", "monthly", "bimonthly", "quarterly", "semester", "annual"])
    a("")
    a("[funding]")
    if not draft:
        a(f"annual_cost = {money(cost)}")
    a(f"school_share_percent = {share}")
    a(f"months = {r.choice([9, 10, 10, 10, 11, 12])}")
    a(f"overtime = {q(overtime)}")
    if overtime == "school":
        a(f"overtime_hourly_rate = {money(r.randrange(4500, 11000, 25) / 100)}")
    a(f"billing = {q(billing)}")
    if billing == "installments":
        k = r.choice([2, 2, 3, 4])
        pct = {2: r.choice([[50, 50], [60, 40]]), 3: [40, 30, 30], 4: [25, 25, 25, 25]}[k]
        span = (end - start).days
        dues = sorted(r.sample(range(30, span), k))
        a("installments = [")
        for d, p in zip(dues, pct):
            a(f"  {{ due = {(start + dt.timedelta(days=d)).isoformat()}, percent = {p} }},")
        a("]")
    if years > 1 and r.random() < 0.7:
        a(f"annual_increase_percent = {r.choice([2.0, 2.5, 3.0, 3.5, 4.0])}")
    a(f"refund_unused = {'true' if r.random() < 0.75 else 'false'}")

    ins = base.get("insurance", {})
    per = r.choice([1000000, 1000000, 2000000, 5000000])
    agg = per * r.choice([1, 2, 3, 4]) + r.choice([0, 0, 500000])
    a("")
    a("[insurance]")
    a(f"indemnity = {q(r.choice(['mutual', 'mutual', 'agency', 'school']))}")
    a(f"per_occurrence_limit = {per}")
    a(f"aggregate_limit = {agg}")
    if "annual_premium" in ins or r.random() < 0.2:
        a(f"annual_premium = {r.randrange(30, 200) * 100}")
    if "insurer" in ins or r.random() < 0.2:
        a(f"insurer = {q(r.choice(['Self Insured Schools of ' + city, city + ' Risk Pool', 'Schools Insurance Authority']))}")
    a(f"additional_insured = {'true' if r.random() < 0.7 else 'false'}")

    cl = base.get("clauses", {})
    include = list(cl.get("include", []))
    if state == "CT" and "data-collection" not in include:
        include.append("data-collection")
    for opt in ("data-collection", "student-advisory-board"):
        if opt not in include and r.random() < 0.15:
            include.append(opt)
    exclude = ["body-worn-camera"] if r.random() < 0.1 else []
    versions = dict(cl.get("versions", {}))
    if cl or include or exclude:
        a("")
        a("[clauses]")
        if versions:
            a("versions = { " + ", ".join(f"{k} = {q(v)}" for k, v in versions.items()) + " }")
        if include:
            a(f"include = {arr(include)}")
        if exclude:
            a(f"exclude = {arr(exclude)}")
    return pid, "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir", type=pathlib.Path)
    ap.add_argument("--examples", type=pathlib.Path, default=EXAMPLES)
    ap.add_argument("--draft-every", type=int, default=20, metavar="K",
                    help="every K-th profile is a draft with blanks (0: none)")
    a = ap.parse_args(argv)
    bases = []
    for p in sorted(a.examples.glob("*.toml")):
        with open(p, "rb") as f:
            d = tomllib.load(f)
        d["agreement"].setdefault("id", p.stem)
        bases.append(d)
    if not bases:
        sys.exit(f"no example profiles in {a.examples}")
    order = list(range(len(PREFIXES) * len(SUFFIXES)))
    random.Random("mou-bench-cities").shuffle(order)
    a.outdir.mkdir(parents=True, exist_ok=True)
    for i in range(1, a.n + 1):
        draft = a.draft_every > 0 and i % a.draft_every == 0
        pid, text = profile(i, bases[(i - 1) % len(bases)], city_name(i, order), draft)
        (a.outdir / f"{pid}.toml").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
