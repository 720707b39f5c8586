"""The benchmark's import file: N new workers of 汉滨区, one employment each, one line per
worker, with the headers the export writes (the format of bench/import_bench.py), marked
with the note "bench-import" so the benchmark can remove them afterwards.

Imported by bench/bench.py once Django is set up (names come from the demo's people)."""

import csv
import datetime
import itertools
import random

from cooperation.demo.people import make_name
from labor import idcard

EMPLOYERS = ["常州某精密机械有限公司", "武进某纺织厂", "江苏某电子科技有限公司", "某建筑劳务公司"]
HEADERS = [
    "协作关系",
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍镇（街道）",
    "户类型",
    "备注",
    "就业单位",
    "工种（岗位）",
    "就业地",
    "就业开始日期",
    "就业结束日期",
    "月工资（元）",
    "就业渠道",
]
NOTE = "bench-import"


def write_import_file(path, n, conn):
    """Write the file; return (path, rows). The ID numbers are 汉滨区's, born from 1 January
    1966 on, sequences 500–899, skipping any a worker of the database already holds (the
    demo data, `load_demo`, makes 汉滨区's numbers at random): the workers are new."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT r.name FROM cooperation_region r WHERE r.parent_id = '610902' ORDER BY code"
        )
        towns = [name for (name,) in cursor.fetchall()]
        cursor.execute("SELECT id_number FROM labor_worker WHERE id_number LIKE '610902%'")
        taken = {number for (number,) in cursor.fetchall()}
    rng = random.Random(9)
    base = datetime.date(1966, 1, 1)
    candidates = (
        idcard.make("610902", base + datetime.timedelta(days=k // 400), 500 + k % 400)
        for k in itertools.count()
    )
    numbers = (number for number in candidates if number not in taken)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for number in itertools.islice(numbers, n):
            start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(900))
            out.writerow(
                [
                    "武进区—汉滨区",
                    make_name(rng),
                    number,
                    f"13{rng.randrange(10**9):09d}",
                    rng.choice(towns),
                    rng.choice(["脱贫户", "监测对象", "一般户"]),
                    NOTE,
                    rng.choice(EMPLOYERS),
                    "操作工",
                    rng.choice(["武进区", "320412", "610902"]),
                    f"{start.year}年{start.month}月{start.day}日",
                    "",
                    f"{rng.randrange(3000, 9000):,}.00",
                    rng.choice(["有组织输转", "自主就业", "劳务工作站"]),
                ]
            )
    return path, n
