"""The national-scale benchmark: each operation beside its raw-SQL reference, in one run.

Run it with `make bench` (bench/run prepares the database first). It starts gunicorn (2 sync
workers, production settings) on 127.0.0.1 against the national PostgreSQL database and
measures:

- a trivial view (/healthz) and the dashboard, warm, with wrk: requests per second;
- the dashboard cold (data version bumped before each request) against the same SQL the
  page ran (captured with CaptureQueriesContext, replayed through psycopg2);
- filtered list pages with their totals against the replay of their SQL;
- the CSV export of every worker (about 1,000,000) against COPY (SELECT …) TO STDOUT of the
  same rows, with the peak memory (VmHWM) of the gunicorn worker that served it;
- the import of 100,000 workers with employments (manage.py import_records) against
  COPY FROM of the same rows into a scratch table;
- the dashboard of every scope (one town, one partnership, one city pair, one province
  pair, the nation): cold (the process's cache cleared, one GET through the test client)
  against the *minimal* SQL of the scope, written by hand in bench/scope_sql.py (one
  SELECT of conditional aggregates per source table; checked once to give the figures of
  `evaluate(scope, year)`), and warm with wrk against the trivial view; the nation's
  minimal SQL against 0.5 s (above it, roll-ups would need a yearly fact table);
- the number of queries of every page.

`--only scopes` (or pages, export, import; repeatable) runs only those sections, `--skip`
leaves some out.

It prints a table with the ratios and the targets, and writes bench/results/<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coop_national"
)


def production_env(static_root):
    env = dict(os.environ)
    for key in ("DEBUG", "DJANGO_SETTINGS_MODULE"):
        env.pop(key, None)
    env.update(
        DJANGO_SETTINGS_MODULE="cooperation.settings",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=DATABASE_URL,
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env, workers=2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "cooperation.wsgi:application",
                "--workers", str(workers),
                "--worker-class", "sync",
                "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "600",
                "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start")

    def worker_pids(self):
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def vm_hwm_mb(pid):
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def wrk(url, seconds, cookie=None, connections=8):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses under wrk")
    return rps


def http_get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        status = response.status
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{url}: HTTP {status}")
    return elapsed, body


def paired_medians(page, replay, repeat):
    """Median times of a page and of its SQL, measured alternately so that both see the
    same moments of a noisy machine."""
    pages, sqls = [], []
    for _ in range(repeat):
        pages.append(page())
        sqls.append(replay())
    return statistics.median(pages), statistics.median(sqls)


# --- in-process parts (Django set up with the same production settings) -----------------------


class Site:
    def __init__(self, env):
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings

        self.settings = settings

    def staff_cookie(self):
        """A signed-in superuser's session (shared with gunicorn through the database)."""
        from django.contrib.auth import get_user_model
        from django.test import Client

        user, _ = get_user_model().objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        self.staff_client = client
        return f"{self.settings.SESSION_COOKIE_NAME}={client.cookies[self.settings.SESSION_COOKIE_NAME].value}"

    def county_cookie(self):
        """A signed-in 录入员 whose area is the first partnership's western county (汉滨区):
        the staff lists and exports narrowed to one county (cooperation/areas.py)."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import Client

        from cooperation.models import Partnership, UserArea
        from cooperation.roles import DATA_ENTRY

        if getattr(self, "county_session", None):
            return self.county_session  # signed in once per run
        user, created = get_user_model().objects.get_or_create(
            username="bench-county", defaults={"is_staff": True}
        )
        if created:
            user.groups.add(Group.objects.get(name=DATA_ENTRY))
            west = Partnership.objects.order_by("pk").values_list("west_region_id", flat=True)[0]
            UserArea.objects.create(user=user, region_id=west)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        self.county_client = client
        self.county_session = f"{self.settings.SESSION_COOKIE_NAME}={client.cookies[self.settings.SESSION_COOKIE_NAME].value}"
        return self.county_session

    def captured_queries(self, path, staff=False):
        """The SQL a request runs (the page rendered in this process, app caches cold)."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from cooperation.freshness import bump_data_version

        bump_data_version()
        if staff == "county":
            client = self.county_client
        else:
            client = self.staff_client if staff else Client(HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return [q["sql"] for q in queries.captured_queries]

    def bump(self):
        from cooperation.freshness import bump_data_version

        bump_data_version()


class RawSQL:
    """A psycopg2 connection of its own for the reference timings."""

    def __init__(self):
        import psycopg2

        self.conn = psycopg2.connect(DATABASE_URL)
        self.conn.autocommit = True

    def replay(self, queries):
        started = time.perf_counter()
        with self.conn.cursor() as cursor:
            for sql in queries:
                if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
                    continue
                if sql.startswith("DECLARE"):
                    # A server-side cursor of Django's iterator(): run its query instead.
                    sql = re.sub(r"^DECLARE .*? CURSOR WITH(OUT)? HOLD FOR ", "", sql)
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        return time.perf_counter() - started

    def copy_to(self, sql):
        class Sink:
            rows = 0

            def write(self, data):
                self.rows += data.count(b"\n" if isinstance(data, bytes) else "\n")

        sink = Sink()
        started = time.perf_counter()
        with self.conn.cursor() as cursor:
            cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV", sink)
        return sink.rows, time.perf_counter() - started

    def scalar(self, sql):
        with self.conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def rows(self, sql, params=None):
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def explain(self, sql):
        with self.conn.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join(line for (line,) in cursor.fetchall())


# --- the measurements --------------------------------------------------------------------------


def measure_pages(results, site, raw, server, args, cookie):
    year = raw.scalar("SELECT max(year) FROM labor_workeryear WHERE partnership_id = 1")
    dash = f"/?partnership=1&year={year}"
    results["year"] = year

    trivial = wrk(server.base + "/healthz", args.seconds)
    for _ in range(4):
        http_get(server.base + dash)  # fill the cache of both workers
    warm = wrk(server.base + dash, args.seconds)
    results["rows"].append(
        row("dashboard warm (req/s) vs trivial view", warm, trivial, warm / trivial, ">= 0.25", warm / trivial >= 0.25, "req/s")
    )  # fmt: skip

    def cold():
        site.bump()
        return http_get(server.base + dash)[0]

    queries = site.captured_queries(dash)
    page, sql = paired_medians(cold, lambda: raw.replay(queries), args.repeat)
    results["rows"].append(
        row("dashboard cold (s) vs its SQL", page, sql, page / sql, "<= 2", page / sql <= 2, "s")
    )
    results["queries"][dash] = len(queries)

    lists = [
        (f"/projects/?partnership=1&year={year}", False),
        (f"/projects/?year={year}", False),
        ("/labor/workers/?partnership=1&household=exited", True),
        (f"/labor/employments/?year={year}", True),
        ("/labor/workers/?household=exited", "county"),  # narrowed to the user's county
    ]
    county = site.county_cookie()
    for path, staff in lists:
        queries = site.captured_queries(path, staff=staff)
        cookie_for = (county if staff == "county" else cookie) if staff else None
        http_get(server.base + path, cookie_for)  # fills the cached filter choices
        page, sql = paired_medians(
            lambda path=path, cookie_for=cookie_for: http_get(server.base + path, cookie_for)[0],
            lambda queries=queries: raw.replay(queries),
            args.repeat,
        )
        who = " (a county's 录入员)" if staff == "county" else ""
        results["rows"].append(row(f"list {path}{who} (s) vs its SQL", page, sql, page / sql, "<= 2", page / sql <= 2, "s"))  # fmt: skip
        results["queries"][path] = len(queries)


def measure_export(results, site, raw, server, cookie):
    from django.db import connection

    from labor.views import worker_list

    qs = worker_list.queryset().order_by("pk")
    sql, params = qs.values_list(*[c.key for c in worker_list.columns]).query.sql_with_params()
    with connection.cursor() as cursor:
        plain_sql = cursor.mogrify(sql, params).decode()
    copy_rows, copy_seconds = raw.copy_to(plain_sql)

    before = {pid: vm_hwm_mb(pid) for pid in server.worker_pids()}
    elapsed, body = http_get(server.base + "/labor/workers/export.csv", cookie)
    after = {pid: vm_hwm_mb(pid) for pid in server.worker_pids()}
    lines = body.split(b"\r\n")
    header, first = lines[0].decode(), lines[1].decode()
    assert header.startswith("\ufeff"), "no BOM"
    # labor.idcard.mask: only the area code stays (610902************)
    assert re.search(r",\d{6}\*{12},", first), f"ID number not masked: {first}"
    rows = body.count(b"\r\n") - 1
    del body
    rate, copy_rate = rows / elapsed, copy_rows / copy_seconds
    peak = max(after.values())
    results["rows"].append(row(f"CSV export of {rows:,} workers (rows/s) vs COPY TO", rate, copy_rate, rate / copy_rate, ">= 0.3", rate / copy_rate >= 0.3, "rows/s"))  # fmt: skip
    results["rows"].append(row("CSV export: peak RSS of the gunicorn worker (MB)", peak, None, None, "< 150", peak < 150, "MB"))  # fmt: skip
    measure_county_export(results, site, raw, server)
    results["export"] = {"hwm_before": before, "hwm_after": after, "header": header, "first_row": re.sub(r"^[^,]*", "<name>", first)}  # fmt: skip


def measure_county_export(results, site, raw, server):
    """The CSV export of one county's workers by a user of that county (its area): rows/s
    against COPY TO of the same narrowed query."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cooperation import areas
    from labor.views import worker_list

    cookie = site.county_cookie()
    user = get_user_model().objects.get(username="bench-county")
    qs = areas.scope(worker_list.queryset(), user).order_by("pk")
    sql, params = qs.values_list(*[c.key for c in worker_list.columns]).query.sql_with_params()
    with connection.cursor() as cursor:
        plain_sql = cursor.mogrify(sql, params).decode()
    copy_rows, copy_seconds = raw.copy_to(plain_sql)
    elapsed, body = http_get(server.base + "/labor/workers/export.csv", cookie)
    rows = body.count(b"\r\n") - 1
    assert rows == copy_rows, (rows, copy_rows)
    rate, copy_rate = rows / elapsed, copy_rows / copy_seconds
    results["rows"].append(row(f"CSV export of one county's {rows:,} workers by its 录入员 (rows/s) vs COPY TO", rate, copy_rate, rate / copy_rate, ">= 0.3", rate / copy_rate >= 0.3, "rows/s"))  # fmt: skip


COLD_TARGET, WARM_TARGET, ROLLUP_SECONDS = 1.5, 0.5, 0.5


def dashboard_scopes(raw, year):
    """[(level, Scope)]: the first partnership and the western town with the most
    worker-years in `year`, the city pair and the province pair of that partnership, the
    nation."""
    from cooperation.dashboard import scopes

    first = scopes.all_partnerships()[0]
    towns = {t.code: t for t in scopes.western_towns(first)}
    busiest = raw.rows(
        "SELECT home_town_id FROM labor_workeryear WHERE partnership_id = %s AND year = %s "
        "AND home_town_id IS NOT NULL GROUP BY home_town_id ORDER BY count(*) DESC",
        [first.pk, year],
    )
    town = next((towns[code] for (code,) in busiest if code in towns), None)
    town = town or next(iter(towns.values()))
    east, west = first.east_region_id, first.west_region_id
    return [
        ("town", scopes.of_partnership(first, town)),
        ("partnership", scopes.of_partnership(first)),
        ("city pair", scopes.area(east[:4], west[:4])),
        ("province pair", scopes.area(east[:2], west[:2])),
        ("nation", scopes.nation()),
    ]


def scope_queries(scope, year, records=False):
    """The minimal SQL of a scope: from the records (a town, a partnership; any scope with
    `records`), or, for a roll-up, from the yearly figures per partnership plus the distinct
    counts from the records — what a roll-up page reads."""
    from scope_sql import minimal_sql, rollup_sql  # bench/scope_sql.py, beside this script

    from cooperation.dashboard.indicators import registry

    if scope.is_rollup and not records:
        summed = [i.key for i in registry.all() if i.measure.summable]
        return rollup_sql(year, scope.partnership_ids, summed)
    return minimal_sql(
        year, scope.partnership_ids, scope.town.code if scope.town is not None else None
    )


def check_scope_figures(results, raw, scopes_, year):
    """Once: the minimal SQL's figures against evaluate(scope, year)'s, for every scope."""
    from scope_sql import compare, run

    from cooperation.dashboard.indicators import evaluate

    problems = {}
    for level, scope in scopes_:
        engine = evaluate(scope, year)  # a roll-up's refreshes the yearly figures first
        found = compare(engine, run(raw.conn, scope_queries(scope, year, records=True))[0])
        if scope.is_rollup:
            found += [
                f"yearly figures: {line}"
                for line in compare(engine, run(raw.conn, scope_queries(scope, year))[0])
            ]
        if found:
            problems[level] = found
            print(f"\n!!! MISMATCH: {level} {scope.key}, {year}: the minimal SQL and "
                  f"evaluate() disagree on {len(found)} figure(s):", flush=True)  # fmt: skip
            for line in found:
                print(f"!!!   {line}", flush=True)
        else:
            print(f"  figures of {level} ({scope.key}): minimal SQL = evaluate(), "
                  f"{sum(v is not None for v in engine.values())} figures", flush=True)  # fmt: skip
    results["scope_check"] = problems or "every figure equal"
    results["rows"].append(row("dashboard by scope: minimal SQL's figures = evaluate()'s", len(problems), None, None, "0 scopes differ", not problems, "scopes"))  # fmt: skip


def measure_scopes(results, raw, server, args):
    """Dashboard by scope: cold page vs the minimal SQL, warm page vs /healthz."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from scope_sql import run

    year = results.get("year") or raw.scalar(
        "SELECT max(year) FROM labor_workeryear WHERE partnership_id = "
        "(SELECT min(id) FROM cooperation_partnership)"
    )
    results["year"] = year
    scopes_ = dashboard_scopes(raw, year)
    check_scope_figures(results, raw, scopes_, year)

    client = Client(HTTP_HOST="127.0.0.1")
    trivial = wrk(server.base + "/healthz", args.seconds)
    print(f"  trivial view /healthz: {trivial:,.0f} req/s", flush=True)
    table = []
    for level, scope in scopes_:
        path = f"/?{scope.query(year=year)}"
        queries = scope_queries(scope, year)

        def cold(path=path):
            cache.clear()  # every cache of this process: the page, figures, choices
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            return elapsed

        per_source = []

        def minimal(queries=queries, per_source=per_source):
            _, seconds, total = run(raw.conn, queries)
            per_source.append(seconds)
            return total

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        page_sql = [q["sql"] for q in captured.captured_queries]
        page, sql = paired_medians(cold, minimal, args.repeat)
        own_sql, slowest = replay_timed(raw, page_sql, min(args.repeat, 3))
        sources = {s: statistics.median(t[s] for t in per_source) for s in queries}

        for _ in range(4):
            http_get(server.base + path)  # fill the caches of both workers
        warm = wrk(server.base + path, args.seconds)

        results["rows"].append(row(f"dashboard cold, {level} `{path}` (s) vs its minimal SQL", page, sql, page / sql, f"<= {COLD_TARGET}", page / sql <= COLD_TARGET, "s"))  # fmt: skip
        results["rows"].append(row(f"dashboard warm, {level} (req/s) vs trivial view", warm, trivial, warm / trivial, f">= {WARM_TARGET}", warm / trivial >= WARM_TARGET, "req/s"))  # fmt: skip
        results["queries"][path] = len(page_sql)
        table.append(
            {
                "level": level,
                "path": path,
                "partnerships": len(scope.partnerships),
                "queries": len(page_sql),
                "cold": page,
                "own_sql": own_sql,
                "minimal_sql": sql,
                "cold_ratio": page / sql,
                "warm": warm,
                "trivial": trivial,
                "warm_ratio": warm / trivial,
                "minimal_by_source": sources,
                "slowest_page_queries": slowest,
            }
        )
        print(f"    page's own SQL {own_sql * 1000:,.1f} ms in {len(page_sql)} queries; "
              f"slowest minimal source: {max(sources, key=sources.get)} "
              f"{max(sources.values()) * 1000:,.1f} ms", flush=True)  # fmt: skip

    nation_scope = scopes_[-1][1]
    from_records = scope_queries(nation_scope, year, records=True)
    nation = statistics.median(run(raw.conn, from_records)[2] for _ in range(args.repeat))
    workers = results.get("workers") or raw.scalar("SELECT count(*) FROM labor_worker")
    print(f"  the nation's minimal SQL from the records: {nation * 1000:,.1f} ms at {workers:,} "
          f"workers (over {ROLLUP_SECONDS} s: roll-ups read the yearly figures per "
          f"partnership)", flush=True)  # fmt: skip
    results["rows"].append(row(f"roll-ups: the nation's minimal SQL from the records at {workers:,} workers (s)", nation, None, None, f"<= {ROLLUP_SECONDS} s (else a yearly fact table)", nation <= ROLLUP_SECONDS, "s"))  # fmt: skip
    measure_refresh(results, raw, client, nation_scope, year, args)
    per_source = run(raw.conn, from_records)[1]
    slowest = max(per_source, key=per_source.get)
    results["nation_slowest_source"] = {
        "source": slowest,
        "explain_analyze": raw.explain(from_records[slowest]),
    }
    results["scopes"] = table


def measure_refresh(results, raw, client, scope, year, args):
    """What keeping the yearly figures costs a roll-up: the nation's cold page after a write
    in one partnership (its figures recomputed), and after every partnership's (all
    recomputed: the first roll-up after loading a data set)."""
    from django.core.cache import cache

    from cooperation.freshness import bump_data_version

    path = f"/?{scope.query(year=year)}"
    first = scope.partnerships[0].pk

    def after(partnerships):
        bump_data_version(partnerships=partnerships)  # as a write of these partnerships does
        cache.clear()
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        return time.perf_counter() - started

    one = statistics.median(after([first]) for _ in range(args.repeat))
    every = after([p.pk for p in scope.partnerships])
    print(f"  nation cold after a write in one partnership: {one * 1000:,.1f} ms; after a "
          f"write in all {len(scope.partnerships)}: {every * 1000:,.1f} ms", flush=True)  # fmt: skip
    results["rows"].append(row("dashboard cold, nation after a write in one partnership (s)", one, None, None, "—", True, "s"))  # fmt: skip
    results["rows"].append(row(f"dashboard cold, nation after a write in all {len(scope.partnerships)} partnerships (s)", every, None, None, "—", True, "s"))  # fmt: skip


def replay_timed(raw, queries, repeat):
    """(median seconds of the page's own SQL, its three slowest queries with their times)."""
    totals, each = [], [[] for _ in queries]
    for _ in range(repeat):
        started = time.perf_counter()
        for i, sql in enumerate(queries):
            each[i].append(raw.replay([sql]))
        totals.append(time.perf_counter() - started)
    medians = sorted(
        ((statistics.median(t), sql) for t, sql in zip(each, queries, strict=True)), reverse=True
    )
    return statistics.median(totals), [{"seconds": s, "sql": q[:600]} for s, q in medians[:3]]


def print_scope_table(results):
    if not results.get("scopes"):
        return
    print()
    print(f"Dashboard by scope, {results['year']} (cold: cache cleared, in-process GET; "
          f"warm: wrk; minimal SQL: bench/scope_sql.py)")  # fmt: skip
    print("| scope | partnerships | queries (cold) | cold page | page's own SQL | minimal SQL "
          "| cold ÷ minimal (≤ 1.5) | warm req/s | warm ÷ /healthz (≥ 0.5) |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in results["scopes"]:
        print(
            f"| {s['level']} `{s['path']}` | {s['partnerships']} | {s['queries']} "
            f"| {fmt(s['cold'], 's')} | {fmt(s['own_sql'], 's')} | {fmt(s['minimal_sql'], 's')} "
            f"| {s['cold_ratio']:.2f}× | {fmt(s['warm'], 'req/s')} | {s['warm_ratio']:.2f}× |"
        )
    nation = results["scopes"][-1]
    print("\nThe nation's minimal SQL by source (median ms): " + ", ".join(
        f"{k} {v * 1000:,.1f}" for k, v in sorted(nation["minimal_by_source"].items(), key=lambda kv: -kv[1])
    ))  # fmt: skip
    print("The nation page's slowest queries (median ms): " + "; ".join(
        f"{q['seconds'] * 1000:,.1f} {q['sql'][:120]}…" for q in nation["slowest_page_queries"]
    ))  # fmt: skip


def measure_import(results, raw, env, count):
    from import_file import write_import_file  # bench/import_file.py, beside this script

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path, rows = write_import_file(workdir / "workers.csv", count, raw.conn)
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "manage.py", "import_records", "labor.worker", str(path), "--no-progress"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"import failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        # Statistics that still count no "bench-import" worker (autovacuum may not have run
        # yet) plan the copy-out and delete subqueries below as nested loops over the history
        # tables: minutes instead of a second. Not part of any timing.
        with raw.conn.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(IMPORTED)}")
        written = imported_rows(raw)
        same_seconds = same_rows_copy_seconds(raw)
        copy_seconds = copy_from_reference(raw, path)
    finally:
        remove_imported(raw)
    rate, same_rate, copy_rate = rows / elapsed, rows / same_seconds, rows / copy_seconds
    results["rows"].append(row(f"import of {rows:,} workers with employments (lines/s) vs COPY FROM of the same rows into the same tables", rate, same_rate, rate / same_rate, ">= 0.15", rate / same_rate >= 0.15, "rows/s"))  # fmt: skip
    results["rows"].append(row("  the same import (lines/s) vs COPY FROM of the file into a scratch table (text columns, no index)", rate, copy_rate, rate / copy_rate, "info", None, "rows/s"))  # fmt: skip
    results["import"] = {
        "command_output": done.stdout.strip()[-500:],
        "rows_written": written,
        "seconds": elapsed,
        "same_rows_copy_seconds": same_seconds,
        "scratch_copy_seconds": copy_seconds,
    }


IMPORTED = {  # table → the SELECT of the rows the benchmark's import wrote to it
    "labor_worker": "SELECT * FROM labor_worker WHERE note = 'bench-import'",
    "labor_historicalworker": "SELECT * FROM labor_historicalworker WHERE note = 'bench-import'",
    "labor_employment": "SELECT * FROM labor_employment WHERE worker_id IN "
    "(SELECT id FROM labor_worker WHERE note = 'bench-import')",
    "labor_historicalemployment": "SELECT * FROM labor_historicalemployment WHERE worker_id IN "
    "(SELECT id FROM labor_worker WHERE note = 'bench-import')",
    "labor_workeryear": "SELECT * FROM labor_workeryear WHERE worker_id IN "
    "(SELECT id FROM labor_worker WHERE note = 'bench-import')",
}


def imported_rows(raw):
    return {t: raw.scalar(f"SELECT count(*) FROM ({q}) AS r") for t, q in IMPORTED.items()}


def same_rows_copy_seconds(raw):
    """The raw-SQL reference of the import: COPY FROM of exactly the rows it wrote (workers,
    spells, their history, worker-years), already in database form, into the same tables
    (their indexes, unique and foreign-key checks), in one transaction, committed. The rows
    are copied out, deleted, copied back in (timed), and deleted again by the caller."""
    import io

    buffers = {}
    with raw.conn.cursor() as cursor:
        for table, query in IMPORTED.items():
            buffers[table] = io.StringIO()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffers[table])
    remove_imported(raw)
    with raw.conn.cursor() as cursor:
        cursor.execute("VACUUM labor_worker")  # as before the import: no dead rows in the way
        started = time.perf_counter()
        cursor.execute("BEGIN")
        for table, buffer in buffers.items():  # parents first (dict order)
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} FROM STDIN", buffer)
        cursor.execute("COMMIT")  # the deferred foreign-key checks run here
        return time.perf_counter() - started


def copy_from_reference(raw, path):
    """COPY FROM of the same file into a scratch table with the file's columns (an ordinary,
    logged table without indexes: a temporary one would skip the write-ahead log)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    columns = ", ".join(f'"c{i}" text' for i in range(len(header)))
    with raw.conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with open(path, encoding="utf-8-sig") as fh:
            cursor.copy_expert("COPY bench_copy FROM STDIN WITH CSV HEADER", fh)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return elapsed


def remove_imported(raw):
    with raw.conn.cursor() as cursor:
        cursor.execute(
            """DELETE FROM labor_workeryear WHERE worker_id IN
                   (SELECT id FROM labor_worker WHERE note = 'bench-import');
               DELETE FROM labor_employment WHERE worker_id IN
                   (SELECT id FROM labor_worker WHERE note = 'bench-import');
               DELETE FROM labor_historicalemployment WHERE worker_id IN
                   (SELECT id FROM labor_worker WHERE note = 'bench-import');
               DELETE FROM labor_historicalworker WHERE note = 'bench-import';
               DELETE FROM labor_worker WHERE note = 'bench-import';"""
        )


def row(name, value, reference, ratio, target, met, unit):
    print(f"  {name}: {fmt(value, unit)} (reference {fmt(reference, unit)})", flush=True)
    return {
        "name": name,
        "value": value,
        "reference": reference,
        "ratio": ratio,
        "target": target,
        "met": met,
        "unit": unit,
    }


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def fmt(value, unit):
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:,.1f} ms"
    if unit in ("req/s", "rows/s", "scopes"):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def print_table(results):
    print()
    print("| operation | measured | raw reference | ratio | target | met |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for r in results["rows"]:
        ratio = r["ratio"]
        ratio = "—" if ratio is None else f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.3f}×"
        print(
            f"| {r['name']} | {fmt(r['value'], r['unit'])} | {fmt(r['reference'], r['unit'])} "
            f"| {ratio} | {r['target']} | {'—' if r['met'] is None else 'yes' if r['met'] else 'NO'} |"
        )
    print()
    print("| page | queries at national scale |")
    print("| --- | ---: |")
    for path, n in results["queries"].items():
        print(f"| {path} | {n} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL")
    parser.add_argument("--repeat", type=int, default=7, help="timings per median")
    parser.add_argument("--import-rows", type=int, default=100_000)
    sections = ["pages", "export", "scopes", "import"]
    parser.add_argument("--skip", action="append", default=[], choices=sections)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=sections,
        help="run only these sections (e.g. --only scopes: the dashboard by scope)",
    )
    args = parser.parse_args()
    wanted = {s for s in sections if (s in args.only if args.only else s not in args.skip)}

    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = production_env(static_root)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    site = Site(env)
    raw = RawSQL()
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "postgres": raw.scalar("SELECT version()"),
        "conn_max_age": site.settings.DATABASES["default"]["CONN_MAX_AGE"],
        "workers": raw.scalar("SELECT count(*) FROM labor_worker"),
        "rows": [],
        "queries": {},
    }
    print(f"machine: {results['machine']}\n{results['postgres']}")
    print(
        f"CONN_MAX_AGE={results['conn_max_age']}, workers in the database: {results['workers']:,}"
    )
    server = Gunicorn(env) if wanted & {"pages", "export", "scopes"} else None
    try:
        cookie = site.staff_cookie()
        if "pages" in wanted:
            measure_pages(results, site, raw, server, args, cookie)
        if "export" in wanted:
            measure_export(results, site, raw, server, cookie)
        if "scopes" in wanted:
            measure_scopes(results, raw, server, args)
    finally:
        if server is not None:
            server.stop()
    if "import" in wanted:
        try:
            measure_import(results, raw, env, args.import_rows)
        except Exception as exc:  # still print what was measured
            results["rows"].append(row(f"import failed: {exc}"[:300], None, None, None, ">= 0.15", False, "rows/s"))  # fmt: skip
    results["machine"]["load_average_after"] = os.getloadavg()
    print_table(results)
    print_scope_table(results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    target = out / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))
    print(f"\nresults written to {target.relative_to(ROOT)}")
    return 0 if all(r["met"] is not False for r in results["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
