"""How fast does `manage.py import_records` take a large worker 台账?

Generates a valid CSV of N workers, each with one employment (one line per worker, the
columns the export writes), imports it into a fresh database with the command, and prints
the seconds and rows per second. On PostgreSQL it also times `COPY FROM` of the same file
into a scratch table, for the ratio asked by issue 9.

    .venv/bin/python bench/import_bench.py                 # 100,000 rows, SQLite in /tmp
    .venv/bin/python bench/import_bench.py -n 20000
    .venv/bin/python bench/import_bench.py --database-url postgres://postgres@127.0.0.1:5432/coop_import_bench

The database named is emptied (SQLite: the file is deleted; PostgreSQL: the tables are
flushed), so never point it at real data.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{tempfile.gettempdir()}/coop_import_bench.sqlite3",
        help="a scratch database (emptied first)",
    )
    parser.add_argument("--keep-file", action="store_true", help="keep the generated CSV")
    return parser.parse_args()


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


def write_file(path, n, towns):
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
                    f"{rng.randrange(3000, 9000):,}.00",
                    rng.choice(["有组织输转", "自主就业", "劳务工作站"]),
                ]
            )


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


def main():
    args = parse_args()
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from cooperation.models import Partnership, Region
    from labor.models import Employment, Worker, WorkerYear

    Partnership.objects.get_or_create(
        east_region=Region.objects.get(code="320412"),
        west_region=Region.objects.get(code="610902"),
        defaults={"since_year": 2017},
    )
    towns = list(Region.objects.towns_of("610902").values_list("name", flat=True))
    path = Path(tempfile.gettempdir()) / f"coop_import_bench_{args.rows}.csv"
    write_file(path, args.rows, towns)

    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("import_records", "labor.worker", str(path), "--no-progress")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    counts = (Worker.objects.count(), Employment.objects.count(), WorkerYear.objects.count())
    assert counts[0] == counts[1] == args.rows, counts
    print(f"database: {connection.vendor} ({args.database_url})")
    print(
        f"rows: {args.rows:,} workers with {counts[1]:,} employments ({counts[2]:,} worker-years)"
    )
    print(f"import_records: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s")
    # On a shared machine the wall clock includes waiting for the CPU; this does not.
    print(f"  of which this process on the CPU: {cpu:.1f} s ({args.rows / cpu:,.0f} rows/s)")
    if connection.vendor == "postgresql":
        copy_seconds = copy_from_seconds(path, args.rows)
        print(
            f"COPY FROM: {copy_seconds:.2f} s, {args.rows / copy_seconds:,.0f} rows/s; "
            f"ratio import/COPY = {copy_seconds / seconds:.3f}"
        )
    if not args.keep_file:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
