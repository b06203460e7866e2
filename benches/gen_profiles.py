#!/usr/bin/env python3
"""Write N varied, valid, deterministic `mou` profiles derived from the example profiles.

    benches/gen_profiles.py N OUTDIR [--examples DIR] [--draft-every K]

Profile i (1-based) is `OUTDIR/city-NNNN.toml` with `agreement.id = "city-NNNN"`. It takes its
shape from example number i mod the number of examples (title, officer title, staffing,
clause versions, optional clauses, insurance fields) and varies everything a city changes: city, district and agency
names, signatories, addresses, 1-12 schools with unique names, officers per school, state
(CT/KY/CA/WA), dates and term length, renewal, notice days, annual cost, school share, months,
overtime, billing (installments with 2-4 dated payments, or a derived schedule), annual increase,
indemnity and insurance limits. Connecticut profiles always include `data-collection` (the CT
rules require it, as in west-hartford-2022). Every K-th profile (default 20) is a draft that
leaves a few values blank, as kentucky-city-2025 does; all others are final.

Every M-th profile (--v2-every, default 2) uses the v2 money and staffing keys (SPEC §2): a
pricing model among share, fixed, per-officer and actual-cost (explicit `years` for some
multi-year fixed prices, `amount_basis = "term"` for some five-month terms), stipends, caps,
billing in arrears, payment terms, `first_due`, a payee, shared overtime, an event rate,
equal-down installments; schools funded by one party or withdrawable; `[[staffing.roles]]`
posts with hours; supervisor rank, workweek and duty day. --v2-every 0 writes v1 profiles
only. The v2 choices draw on their own random stream, so a v1 profile is the same either way.

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


def money_v2(a, r2, model, draft, cost, share, years, start, five_months, increase, billing):
    """The v2 pricing lines of `[funding]`; returns whether an annual increase may follow."""
    if model != "share":
        a(f"model = {q(model)}")
    if model == "share":
        if not draft:
            a(f"annual_cost = {money(cost)}")
        a(f"school_share_percent = {share}")
    elif model == "fixed":
        amount = cost * r2.choice([0.4, 0.5, 0.7, 1.0])
        if years > 1 and r2.random() < 0.5:
            steps = [amount * (1 + 0.025 * k) + r2.randrange(0, 100) / 100 for k in range(years)]
            if not draft:
                a("years = [" + ", ".join(money(x) for x in steps) + "]")
            increase = False
        elif not draft:
            a(f"school_amount = {money(amount)}")
    elif model == "per-officer":
        if not draft:
            a(f"per_officer_amount = {money(r2.randrange(30000, 95000, 5) + 0.0)}")
    else:
        a(f"school_share_percent = {share if share else 50}")
        if r2.random() < 0.6:
            a(f"estimated_annual_cost = {money(cost)}")
        if r2.random() < 0.6:
            a(f"not_to_exceed = {money(cost * 1.1)}")
        if billing != "installments":
            a('billing_timing = "arrears"')
    if model in ("fixed", "per-officer") and r2.random() < 0.25:
        a(f"stipend_per_officer = {money(r2.choice([1000, 1500, 2000, 2500]))}")
    if five_months and model != "actual-cost":
        a('amount_basis = "term"')
        increase = False
    elif (model != "actual-cost" and billing != "installments" and r2.random() < 0.2):
        first = start + dt.timedelta(days=r2.choice([14, 30, 45]))
        a(f"first_due = {first.isoformat()}")
    return increase


def profile(i, base, city, draft, v2=False):
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
        if state == "KY" and officers[k] == 0:  # KRS 158.4414: an officer on every campus
            officers[k] = 1
    if sum(officers) == 0:
        officers[0] = 1
    r2 = random.Random(f"mou-bench-v2-{i}")
    school_names = []
    for k, nm in enumerate(names):
        level = r.choice(LEVELS)
        a("")
        a("[[schools]]")
        a(f"name = {q(nm + ' ' + LEVEL_WORD[level])}")
        school_names.append(nm + ' ' + LEVEL_WORD[level])
        a(f"level = {q(level)}")
        a(f"officers = {officers[k]}")
        if v2:
            by = r2.choice(["shared", "shared", "shared", "school", "agency"])
            if by != "shared":
                a(f"funded_by = {q(by)}")
            if officers[k] > 0 and r2.random() < 0.15:
                a("may_withdraw = true")

    st = base.get("staffing", {})
    a("")
    a("[staffing]")
    a(f"officer_title = {q(st.get('officer_title', 'School Resource Officer'))}")
    a(f"abbreviation = {q(st.get('abbreviation', 'SRO'))}")
    supervisors = r.choice([0, 0, 0, 1])
    if v2 and r2.random() < 0.3:
        supervisors = r2.choice([1, 2, 3])
    a(f"supervisors = {supervisors}")
    roles = 0
    if v2:
        if supervisors and r2.random() < 0.7:
            a(f"supervisor_rank = {q(r2.choice(['sergeant', 'lieutenant', 'corporal']))}")
        if r2.random() < 0.5:
            a(f"hours_per_week = {r2.choice([37, 40, 40, 42])}")
        if r2.random() < 0.4:
            a(f"duty_hours = {q(r2.choice(['7:15 a.m. to 3:45 p.m. on school days', '7:00 a.m. to 3:30 p.m. on school days', 'the school day and thirty minutes before and after it']))}")
        for _ in range(r2.choice([0, 0, 1, 1, 2])):
            roles += 1
            a("")
            a("[[staffing.roles]]")
            a(f"title = {q(r2.choice(['D.A.R.E. Officer', 'Youth Outreach Officer', 'Floating School Resource Officer', 'Truancy Officer']) + (' ' + str(roles) if roles > 1 else ''))}")
            count = r2.choice([1, 1, 2])
            a(f"count = {count}")
            if r2.random() < 0.6:
                a(f"hours_per_year = {r2.choice([520, 724, 1040, 1440])}")
            a(f"schools = {arr(r2.sample(school_names, min(len(school_names), r2.choice([1, 2]))))}")
            by = r2.choice(["shared", "school", "agency"])
            a(f"funded_by = {q(by)}")

    five_months = v2 and years == 1 and r2.random() < 0.1
    if five_months:
        start = dt.date(year + 1, 1, r2.choice([5, 6, 7]))
        end = dt.date(year + 1, 5, 29)
        signed = start - dt.timedelta(days=r2.randrange(5, 40))
    a("")
    a("[term]")
    if not draft:
        a(f"start = {start.isoformat()}")
    a(f"end = {end.isoformat()}")
    renewal = r.choice(['none', 'annual', 'annual', 'automatic'])
    a(f"renewal = {q(renewal)}")
    if renewal == "automatic":  # renews unless notice this many days before the end
        a(f"renewal_notice_days = {r.choice([30, 60, 90])}")
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
    months = r.choice([9, 10, 10, 10, 11, 12])
    if years == 1 and start.month > 7:
        # A one-year term from August has 11 months: billing 12 would price a partial
        # term by the year (`mou check` warns, W0193).
        months = min(months, 11)
    increase = years > 1 and r.random() < 0.7
    if v2:
        model = r2.choice(["share", "fixed", "fixed", "per-officer", "per-officer", "actual-cost"])
        if model == "actual-cost" and billing == "installments":
            billing = "quarterly"  # actual cost is billed by period, never by installments
        increase = money_v2(a, r2, model, draft, cost, share, years, start, five_months,
                            increase, billing)
        if r2.random() < 0.2:
            overtime = "shared"
        if r2.random() < 0.3:
            a(f"event_hourly_rate = {money(r2.randrange(3500, 9000, 25) / 100)}")
        if r2.random() < 0.3:
            a(f"payment_terms_days = {r2.choice([15, 30, 45, 60])}")
        if r2.random() < 0.3:
            a(f"payee = {q(r2.choice([ashort, agency]))}")
        if billing == "installments" and r2.random() < 0.3:
            a('installment_rounding = "equal-down"')
    else:
        if not draft:
            a(f"annual_cost = {money(cost)}")
        a(f"school_share_percent = {share}")
    a(f"months = {months}")
    a(f"overtime = {q(overtime)}")
    if overtime in ("school", "shared"):
        a(f"overtime_hourly_rate = {money(r.randrange(4500, 11000, 25) / 100)}")
    if overtime == "shared":
        a(f"overtime_share_percent = {r2.choice([25, 50, 50, 75])}")
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
    if increase:
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
    # Connecticut and Washington law ask for the data-collection article.
    if state in ("CT", "WA") and "data-collection" not in include:
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
    ap.add_argument("--v2-every", type=int, default=2, metavar="M",
                    help="every M-th profile uses the v2 money and staffing keys (0: none)")
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
        v2 = a.v2_every > 0 and i % a.v2_every == 0
        pid, text = profile(i, bases[(i - 1) % len(bases)], city_name(i, order), draft, v2)
        (a.outdir / f"{pid}.toml").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
