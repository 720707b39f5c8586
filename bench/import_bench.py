"""How fast does `manage.py import_records` take a large worker 台账, and how much memory?

Generates a valid CSV of N workers, each with one employment (one line per worker, the
columns the export writes), and runs `manage.py import_records labor.worker FILE
--no-progress` on it, each time in a process of its own (DEBUG off, so Django keeps no
query log), timing it and taking that process's peak memory (max RSS):

1. the first import of the N lines into a fresh database;
2. a re-import of the same N workers with every 月工资（元） changed (same ID numbers,
   employers and start dates), so every employment is updated: its speed over the first
   import's (target ≥ 0.3);
3. unless `--validate-lines 0`, a `--dry-run` of an M-line file (default 274,515) on a fresh
   database (target: peak RSS under 500 MB).

On PostgreSQL it also times `COPY FROM` of the first file into a scratch table, for the ratio
asked by issue 9. Prints a table at the end; `--json PATH` writes the figures too.

    .venv/bin/python bench/import_bench.py                 # 100,000 lines, SQLite in /tmp
    .venv/bin/python bench/import_bench.py -n 20000 --validate-lines 0
    .venv/bin/python bench/import_bench.py --json /tmp/import_bench.json
    .venv/bin/python bench/import_bench.py --database-url postgres://postgres@127.0.0.1:5432/coop_import_bench

The database named is emptied (SQLite: the file is deleted; PostgreSQL: the tables are
flushed, the database created when missing), so never point it at real data.
"""

import argparse
import csv
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红文斌波宁"
EMPLOYERS = ["常州某精密机械有限公司", "武进某纺织厂", "江苏某电子科技有限公司", "某建筑劳务公司"]
HEADERS = [
    "协作关系",
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍镇（街道）",
    "户类型",
    "就业单位",
    "工种（岗位）",
    "就业地",
    "就业开始日期",
    "就业结束日期",
    "月工资（元）",
    "就业渠道",
]
# What the re-import adds to every monthly wage, so every employment changes.
WAGE_BUMP = 100
# The command's process runs with DEBUG off, which needs a SECRET_KEY (any will do here).
DUMMY_SECRET_KEY = "bench-import-not-a-secret-" + "x" * 24
# The command's closing line: "f.csv：3000 行，新增 3000，修改 0，无变化 0；4.2 秒（…"
SUMMARY = re.compile(r"(\d+) 行，新增 (\d+)，修改 (\d+)，无变化 (\d+)；([\d.]+) 秒")
RSS_TARGET_MB = 500
SPEED_RATIO_TARGET = 0.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000, help="lines of the import")
    parser.add_argument(
        "--validate-lines",
        type=int,
        default=274_515,
        metavar="M",
        help="lines of the --dry-run file (0: no dry run)",
    )
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{tempfile.gettempdir()}/coop_import_bench.sqlite3",
        help="a scratch database (emptied first)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument("--keep-file", action="store_true", help="keep the generated CSVs")
    return parser.parse_args()


def create_database(database_url):
    """PostgreSQL: create the database named when it is missing."""
    url = urlparse(database_url)
    if not url.scheme.startswith("postgres"):
        return
    import psycopg2

    name = url.path.lstrip("/")
    conn = psycopg2.connect(url._replace(path="/postgres").geturl())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{name}"')
                print(f"created database {name}")
    finally:
        conn.close()


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not database_url.startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
    from cooperation.regions import load_regions

    load_regions()


def make_partnership():
    """武进区—汉滨区; returns the names of 汉滨区's towns."""
    from cooperation.models import Partnership, Region

    Partnership.objects.get_or_create(
        east_region=Region.objects.get(code="320412"),
        west_region=Region.objects.get(code="610902"),
        defaults={"since_year": 2017},
    )
    return list(Region.objects.towns_of("610902").values_list("name", flat=True))


def empty_database():
    """Back to the state setup_django and make_partnership left: no workers at all."""
    from django.core.management import call_command

    from cooperation.regions import load_regions

    call_command("flush", interactive=False, verbosity=0)
    load_regions()
    make_partnership()


def write_file(path, n, towns, wage_bump=0):
    """The same n workers for the same arguments; `wage_bump` is added to every monthly wage
    and changes nothing else (the random draws stay in step)."""
    from labor import idcard

    rng = random.Random(7)
    base = datetime.date(1965, 1, 1)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(n):
            number = idcard.make("610902", base + datetime.timedelta(days=i // 1000), i % 1000)
            start = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(1000))
            out.writerow(
                [
                    "武进区—汉滨区",
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    number,
                    f"13{rng.randrange(10**9):09d}",
                    rng.choice(towns),
                    rng.choice(["脱贫户", "监测对象", "一般户"]),
                    rng.choice(EMPLOYERS),
                    "操作工",
                    rng.choice(["武进区", "320412", "江苏省常州市武进区", "610902"]),
                    f"{start.year}年{start.month}月{start.day}日",
                    "",
                    f"{rng.randrange(3000, 9000) + wage_bump:,}.00",
                    rng.choice(["有组织输转", "自主就业", "劳务工作站"]),
                ]
            )


def run_import_process(database_url, path, dry_run=False):
    """Run `manage.py import_records labor.worker PATH --no-progress [--dry-run]` in a process
    of its own and return its figures. The peak RSS is that process's alone: os.wait4 gives
    the resource usage of the one child waited for (RUSAGE_CHILDREN would be the largest of
    every child so far)."""
    from django.db import connection

    connection.close()  # SQLite: no handle of this process on the file while the child writes
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": DUMMY_SECRET_KEY}
    env["DEBUG"] = "0"  # off, whatever this process or a .env says
    command = [sys.executable, "manage.py", "import_records", "labor.worker", str(path)]
    command += ["--no-progress"] + (["--dry-run"] if dry_run else [])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    found = SUMMARY.search(stdout)
    if process.returncode != 0 or found is None:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout}{stderr}")
    lines, new, update, skip = (int(found[i]) for i in range(1, 5))
    return {
        "lines": lines,
        "new": new,
        "update": update,
        "skip": skip,
        "seconds": seconds,  # the whole process: start-up, Django set-up, reading, import
        "command_seconds": float(found[5]),  # as the command reports itself (from reading)
        "lines_per_second": lines / seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss * 1024 / 1e6,  # Linux: ru_maxrss is in KiB
    }


def copy_from_seconds(path, n):
    """PostgreSQL's COPY FROM of the same file into a scratch table of text columns."""
    from django.db import connection

    columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_copy ({columns})")
        with open(path, encoding="utf-8-sig") as fh:
            started = time.perf_counter()
            cursor.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
            seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return seconds


def wage_total():
    from django.db.models import Sum

    from labor.models import Employment

    return Employment.objects.aggregate(total=Sum("monthly_wage"))["total"]


def check(condition, message):
    if not condition:
        sys.exit(f"benchmark check failed: {message}")


def print_table(figures):
    names = {"first_import": "first import", "reimport": "re-import", "dry_run": "dry run"}
    print()
    print(
        f"{'step':<13}{'lines':>9}{'seconds':>9}{'lines/s':>9}{'CPU s':>8}"
        f"{'peak RSS':>10}   new / updated / unchanged"
    )
    for key, step in figures["steps"].items():
        print(
            f"{names[key]:<13}{step['lines']:>9,}{step['seconds']:>9.1f}"
            f"{step['lines_per_second']:>9,.0f}{step['cpu_seconds']:>8.1f}"
            f"{step['peak_rss_mb']:>7.0f} MB   {step['new']} / {step['update']} / {step['skip']}"
        )
    copy = figures.get("copy_from")
    if copy:
        print(
            f"{'COPY FROM':<13}{figures['rows']:>9,}{copy['seconds']:>9.2f}"
            f"{copy['lines_per_second']:>9,.0f}"
        )
    ratios = figures["ratios"]
    print(
        f"re-import speed / first import speed: {ratios['reimport_over_first']:.2f} "
        f"(target ≥ {SPEED_RATIO_TARGET}; on CPU time {ratios['reimport_over_first_cpu']:.2f})"
    )
    if "dry_run" in figures["steps"]:
        print(
            f"dry run peak RSS: {figures['steps']['dry_run']['peak_rss_mb']:.0f} MB "
            f"(target < {RSS_TARGET_MB} MB)"
        )
    if copy:
        print(f"import / COPY FROM: {ratios['import_over_copy']:.3f}")


def main():
    args = parse_args()
    create_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection

    from labor.models import Employment, Worker, WorkerYear

    towns = make_partnership()
    tmp = Path(tempfile.gettempdir())
    path = tmp / f"coop_import_bench_{args.rows}.csv"
    wages_path = tmp / f"coop_import_bench_{args.rows}_wages.csv"
    write_file(path, args.rows, towns)
    write_file(wages_path, args.rows, towns, wage_bump=WAGE_BUMP)
    files = [path, wages_path]
    print(f"database: {connection.vendor} ({args.database_url})")

    steps = {}
    first = steps["first_import"] = run_import_process(args.database_url, path)
    counts = (Worker.objects.count(), Employment.objects.count(), WorkerYear.objects.count())
    check(first["new"] == counts[0] == counts[1] == args.rows, f"first import: {counts}")
    print(
        f"rows: {args.rows:,} workers with {counts[1]:,} employments ({counts[2]:,} worker-years)"
    )
    wages_before = wage_total()

    again = steps["reimport"] = run_import_process(args.database_url, wages_path)
    check(
        (again["new"], again["update"]) == (0, args.rows),
        f"re-import: {again['new']} new, {again['update']} updated, {again['skip']} unchanged",
    )
    check(Employment.objects.count() == args.rows, "re-import added employments")
    check(
        wage_total() - wages_before == WAGE_BUMP * args.rows,
        f"re-import: wages went from {wages_before} to {wage_total()}",
    )

    figures = {
        "database": connection.vendor,
        "database_url": args.database_url,
        "rows": args.rows,
        "steps": steps,
        "ratios": {
            "reimport_over_first": again["lines_per_second"] / first["lines_per_second"],
            "reimport_over_first_cpu": first["cpu_seconds"] / again["cpu_seconds"],
        },
    }
    if connection.vendor == "postgresql":
        copy_seconds = copy_from_seconds(path, args.rows)
        figures["copy_from"] = {
            "seconds": copy_seconds,
            "lines_per_second": args.rows / copy_seconds,
        }
        figures["ratios"]["import_over_copy"] = copy_seconds / first["seconds"]

    if args.validate_lines:
        empty_database()
        validate_path = tmp / f"coop_import_bench_validate_{args.validate_lines}.csv"
        write_file(validate_path, args.validate_lines, towns)
        files.append(validate_path)
        dry = steps["dry_run"] = run_import_process(args.database_url, validate_path, True)
        check(dry["new"] == args.validate_lines, f"dry run: {dry['new']} new")
        check(not Worker.objects.exists(), "the dry run wrote workers")

    figures["targets_met"] = {
        "reimport_speed": figures["ratios"]["reimport_over_first"] >= SPEED_RATIO_TARGET,
    }
    if "dry_run" in steps:
        figures["targets_met"]["dry_run_rss"] = steps["dry_run"]["peak_rss_mb"] < RSS_TARGET_MB
    print_table(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    if not args.keep_file:
        for file in files:
            file.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
