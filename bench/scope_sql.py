"""The minimal SQL of a dashboard scope, written by hand: one SELECT per source table that
computes every figure of the scope and year (`SUM(…) FILTER (WHERE …)` conditional
aggregates), the reference of the benchmark's "dashboard by scope" rows.

It is deliberately *not* derived from the figures engine (cooperation/dashboard/indicators.py) nor
from the page's captured SQL: it is what a person who knows the tables would write for the
same figures, so that anything the page runs beyond it — a wasted query, a needless join,
a DISTINCT the data makes redundant — counts against the page. The benchmark checks once
that its numbers equal `evaluate(scope, year)`'s (`compare`).

Each column is named by the indicator key it computes. Figures a town cannot be narrowed to
(the visits name no town) are left out of the town scope, as the engine leaves them None.
The rules come from the declarations (cooperation/dashboard/core_indicators.py,
projects/indicators.py, labor/indicators.py) and their conditions (cooperation/querysets.py,
projects/querysets.py, labor/querysets.py).
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

PROFESSIONALS = "('education', 'medical', 'agriculture', 'science', 'other')"
POSTED_PERSON = "(p.person_name || '|' || COALESCE(p.home_org_id, 0))"


def _money(column, where=None):
    filtered = f" FILTER (WHERE {where})" if where else ""
    return f"COALESCE(SUM({column}){filtered}, 0)"


def _count(where=None):
    return f"COUNT(*) FILTER (WHERE {where})" if where else "COUNT(*)"


def _select(columns, table, where):
    listed = ",\n  ".join(f'{expression} AS "{key}"' for key, expression in columns)
    return f"SELECT\n  {listed}\nFROM {table}\nWHERE " + "\n  AND ".join(where)


def minimal_sql(year, partnership_ids=None, town=None):
    """{source: SQL} for the scope: `partnership_ids` the partnerships beneath it (None: the
    nation, no condition), `town` the 9-digit code of a town of the western county (a town
    scope). Values are checked and written into the SQL (no parameters to bind)."""
    year = int(year)
    start, end = f"DATE '{datetime.date(year, 1, 1)}'", f"DATE '{datetime.date(year, 12, 31)}'"
    if town is not None:
        town = str(town)
        if not (town.isdecimal() and len(town) == 9):
            raise ValueError(f"not a town code: {town!r}")

    def scoped(alias, where):
        conditions = list(where)
        if partnership_ids is not None:
            ids = sorted({int(p) for p in partnership_ids})
            if len(ids) == 1:
                conditions.append(f"{alias}.partnership_id = {ids[0]}")
            else:
                conditions.append(f"{alias}.partnership_id IN ({', '.join(map(str, ids))})")
        return conditions

    def in_town(column):
        return [f"{column} = '{town}'"] if town is not None else []

    sql = {}

    # Postings: every posting arrived by 31 December (cumulative figures); a town is the
    # western end — the sending unit west→east, the receiving unit east→west.
    days = f"(LEAST(COALESCE(p.end_date, {end}), {end}) - GREATEST(p.start_date, {start}))"
    during = f"(p.end_date IS NULL OR p.end_date >= {start})"
    columns = [
        (f"postings.{who}_{way}", f"COUNT(DISTINCT {POSTED_PERSON}) FILTER (WHERE p.direction = '{way}' AND p.category {cat})")
        for way in ("w2e", "e2w")
        for who, cat in (("cadres", "= 'cadre'"), ("professionals", f"IN {PROFESSIONALS}"))
    ] + [
        ("postings.person_times_in_year", _count(f"p.start_date >= {start}")),
        ("postings.on_post_at_year_end", f"COUNT(DISTINCT {POSTED_PERSON}) FILTER (WHERE p.end_date IS NULL OR p.end_date >= {end})"),
        (
            "postings.average_months",
            # (days on post in the year, both ends counted) / postings / 30, one decimal
            f"COALESCE(ROUND((COALESCE(SUM({days}) FILTER (WHERE {during}), 0) + COUNT(*) FILTER (WHERE {during}))::numeric"
            f" / NULLIF(COUNT(*) FILTER (WHERE {during}), 0) / 30, 1), 0)",
        ),
    ]  # fmt: skip
    table = "cooperation_posting p"
    where = [f"p.start_date <= {end}"]
    if town is not None:
        table += (
            "\nLEFT JOIN cooperation_organisation home ON home.id = p.home_org_id"
            "\nLEFT JOIN cooperation_organisation host ON host.id = p.host_org_id"
        )
        where.append(
            f"((p.direction = 'w2e' AND home.region_id LIKE '{town}%')"
            f" OR (p.direction = 'e2w' AND host.region_id LIKE '{town}%'))"
        )
    sql["postings"] = _select(columns, table, scoped("p", where))

    # Pairings signed by 31 December; active: not ended before it; a town: the western
    # organisation's (its villages included).
    active = f"(g.ended_on IS NULL OR g.ended_on >= {end})"
    columns = [("pairings.active", _count(active))] + [
        (f"pairings.{level}", _count(f"{active} AND g.level = '{level}'"))
        for level in ("town", "village", "enterprise_village", "school", "hospital")
    ] + [("pairings.signed_in_year", _count(f"g.signed_on >= {start}"))]  # fmt: skip
    table = "cooperation_pairing g"
    where = [f"g.signed_on <= {end}"]
    if town is not None:
        table += "\nJOIN cooperation_organisation west ON west.id = g.west_org_id"
        where.append(f"west.region_id LIKE '{town}%'")
    sql["pairings"] = _select(columns, table, scoped("g", where))

    # Visits of the year: they name no town.
    if town is None:
        columns = [("visits.count", _count()), ("visits.people", _money("v.people"))]
        where = [f"v.date BETWEEN {start} AND {end}"]
        sql["visits"] = _select(columns, "cooperation_visit v", scoped("v", where))

    # Projects of the fund year, not cancelled.
    columns = [
        ("funds.aid", _money("j.aid_funds")),
        ("funds.projects", _count()),
        ("funds.beneficiaries", _money("j.beneficiaries")),
        ("funds.beneficiaries_poverty_exited", _money("j.beneficiaries_poverty_exited")),
    ]
    where = [f"j.fund_year = {year}", "j.status <> 'cancelled'"] + in_town("j.town_id")
    sql["projects"] = _select(columns, "projects_project j", scoped("j", where))

    columns = [
        ("funds.donations_cash", _money("d.cash")),
        ("funds.donations_in_kind", _money("d.in_kind")),
        ("funds.donations_total", _money("d.cash + d.in_kind")),
    ]
    where = [f"d.date BETWEEN {start} AND {end}"] + in_town("d.town_id")
    sql["donations"] = _select(columns, "projects_donation d", scoped("d", where))

    columns = [
        ("industry.enterprises_settled", "COUNT(DISTINCT i.enterprise)"),
        ("industry.investment_agreed", _money("i.agreed")),
        ("industry.investment_arrived", _money("i.arrived")),
        ("industry.jobs", _money("i.jobs")),
    ]
    where = [f"i.signed_on BETWEEN {start} AND {end}"] + in_town("i.town_id")
    sql["investments"] = _select(columns, "projects_investment i", scoped("i", where))

    columns = [
        ("consumption.amount", _money("s.amount")),
        ("consumption.certified_amount", _money("s.certified_amount")),
    ]
    where = [f"s.year = {year}"] + in_town("s.town_id")
    sql["sales"] = _select(columns, "projects_consumptionsale s", scoped("s", where))

    # Worker-years: one row per worker and year (unique constraint workeryear_unique), so
    # persons are rows: COUNT(*), no DISTINCT needed. A town is the worker's home town.
    columns = [
        ("labor.transferred", _count("w.transferred")),
        ("labor.transferred_poverty_exited", _count("w.transferred AND w.household = 'exited'")),
        ("labor.transferred_east", _count("w.transferred AND w.transferred_east")),
        ("labor.stable", _count("w.stable")),
        ("labor.average_wage", "COALESCE(ROUND(AVG(w.monthly_wage) FILTER (WHERE w.transferred), 2), 0)"),
    ]  # fmt: skip
    where = [f"w.year = {year}"] + in_town("w.home_town_id")
    sql["worker_years"] = _select(columns, "labor_workeryear w", scoped("w", where))

    columns = [
        ("labor.job_fairs", _count()),
        ("labor.jobs_offered", _money("f.jobs_offered")),
        ("labor.intentions", _money("f.intentions")),
        ("labor.hired", _money("f.hired")),
        ("labor.hired_stable", _money("f.stable")),
    ]
    where = [f"f.date BETWEEN {start} AND {end}"] + in_town("f.town_id")
    sql["job_fairs"] = _select(columns, "labor_jobfair f", scoped("f", where))

    columns = [
        ("labor.courses", _count()),
        ("labor.trainees", _money("c.trainees")),
        ("labor.certified", _money("c.certified")),
        ("labor.employed_after_training", _money("c.employed_after")),
        ("labor.advanced_courses", _count("c.kind = 'advanced'")),
        ("labor.advanced_trainees", _money("c.trainees", "c.kind = 'advanced'")),
        ("labor.ecommerce_trainees", _money("c.trainees", "c.kind = 'ecommerce'")),
    ]
    where = [f"c.start_date BETWEEN {start} AND {end}"] + in_town("c.town_id")
    sql["courses"] = _select(columns, "labor_trainingcourse c", scoped("c", where))

    # Community factories in operation on 31 December (closed that day: not counted).
    columns = [
        ("labor.factories", _count()),
        ("labor.factory_jobs", _money("m.jobs")),
        ("labor.factory_jobs_poverty_exited", _money("m.poverty_exited_jobs")),
    ]
    where = [f"m.opened_on <= {end}", f"(m.closed_on IS NULL OR m.closed_on > {end})"]
    sql["factories"] = _select(
        columns, "labor_communityfactory m", scoped("m", where + in_town("m.town_id"))
    )
    return sql


def rollup_sql(year, partnership_ids, summed_keys):
    """{source: SQL} of a roll-up read from the yearly figures per partnership
    (cooperation_yearfigure, kept current by cooperation/dashboard/facts.py): one pivot of
    `SUM(value) FILTER (WHERE key = …)` over the partnerships' rows for the figures that add
    up (`summed_keys`; a mean from its sum and count parts), and the distinct counts — which
    do not add up across partnerships — from the postings and investments themselves."""
    year = int(year)
    start, end = f"DATE '{datetime.date(year, 1, 1)}'", f"DATE '{datetime.date(year, 12, 31)}'"

    def scoped(alias, where):
        if partnership_ids is None:
            return list(where)
        ids = ", ".join(str(int(p)) for p in sorted(partnership_ids))
        return [*where, f"{alias}.partnership_id IN ({ids})"]

    def part(key, name=""):
        return f"SUM(y.value) FILTER (WHERE y.key = '{key}' AND y.part = '{name}')"

    columns = []
    for key in sorted(summed_keys):
        if key == "labor.average_wage":  # Σ wages / persons with a wage, two decimals
            expression = f"COALESCE(ROUND({part(key, 'sum')} / NULLIF({part(key, 'n')}, 0), 2), 0)"
        elif key == "postings.average_months":  # (Σ seconds / 86400 + postings) / postings / 30
            n = part(key, "n")
            expression = (
                f"COALESCE(ROUND((COALESCE({part(key, 'days')}, 0) / 86400 + {n})"
                f" / NULLIF({n}, 0) / 30, 1), 0)"
            )
        else:
            expression = f"COALESCE({part(key)}, 0)"
        columns.append((key, expression))
    sql = {
        "year_figures": _select(
            columns, "cooperation_yearfigure y", scoped("y", [f"y.year = {year}"])
        )
    }
    columns = [
        (f"postings.{who}_{way}", f"COUNT(DISTINCT {POSTED_PERSON}) FILTER (WHERE p.direction = '{way}' AND p.category {cat})")
        for way in ("w2e", "e2w")
        for who, cat in (("cadres", "= 'cadre'"), ("professionals", f"IN {PROFESSIONALS}"))
    ] + [
        ("postings.on_post_at_year_end", f"COUNT(DISTINCT {POSTED_PERSON}) FILTER (WHERE p.end_date IS NULL OR p.end_date >= {end})"),
    ]  # fmt: skip
    sql["postings"] = _select(
        columns, "cooperation_posting p", scoped("p", [f"p.start_date <= {end}"])
    )
    columns = [("industry.enterprises_settled", "COUNT(DISTINCT i.enterprise)")]
    where = [f"i.signed_on BETWEEN {start} AND {end}"]
    sql["investments"] = _select(columns, "projects_investment i", scoped("i", where))
    return sql


def run(conn, queries):
    """({key: figure}, {source: seconds}, seconds in all) of the queries on a psycopg2
    connection (autocommit), one after another."""
    figures, seconds = {}, {}
    started = time.perf_counter()
    with conn.cursor() as cursor:
        for source, sql in queries.items():
            began = time.perf_counter()
            cursor.execute(sql)
            row = cursor.fetchone()
            seconds[source] = time.perf_counter() - began
            figures.update(zip((c.name for c in cursor.description), row, strict=True))
    return figures, seconds, time.perf_counter() - started


def compare(engine, minimal):
    """The differences between `evaluate(scope, year)` and the minimal SQL's figures, as
    lines of text (none: they agree). A figure the engine leaves None (not narrowable to
    the scope) must be missing from the minimal SQL, and the reverse."""
    problems = []
    for key in sorted(set(engine) | set(minimal)):
        if key not in engine:
            problems.append(f"{key}: computed by the minimal SQL, not declared")
        elif engine[key] is None:
            if key in minimal:
                problems.append(f"{key}: None in the engine, {minimal[key]} in the minimal SQL")
        elif key not in minimal:
            problems.append(f"{key}: {engine[key]} in the engine, missing from the minimal SQL")
        elif Decimal(str(engine[key])) != Decimal(str(minimal[key])):
            problems.append(f"{key}: engine {engine[key]} ≠ minimal SQL {minimal[key]}")
    return problems
