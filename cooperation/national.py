"""A national-scale data set for the benchmark (PostgreSQL only), written with COPY.

At scale 1.0: 300 partnerships of real county pairs (Jiangsu's counties in the east, Shaanxi's
in the west; 武进区—汉滨区 first, and the largest), 1,000,000 workers with valid, invented ID
numbers, 1,200,000 employments, their WorkerYear rows computed set-based in SQL, 100,000
projects, 50,000 postings, and pairings, visits, investments, sales, donations, job fairs,
training courses and community factories in proportion. Everything is made up; names come
from common surnames and given-name characters.

Rows are formatted in Python and sent with `COPY … FROM STDIN` in chunks, with explicit ids
(sequences are reset afterwards), so a million rows take seconds, not the hours of
`save()` or the minutes of `bulk_create`. History rows are not written (a bulk load, like
`bulk_create`). `generate()` empties the generated tables first, so it is re-runnable.

The WorkerYear SQL (`rebuild_worker_years_sql`) follows `labor.services.years_of` rule by
rule; `tests/scale/test_national.py` compares the two on generated workers.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from labor import idcard

from .pgcopy import copy_rows, copy_text

# Row counts at scale 1.0 (the national figures).
FULL = {
    "partnerships": 300,
    "workers": 1_000_000,
    "employments": 1_200_000,
    "projects": 100_000,
    "postings": 50_000,
}
FIRST_YEAR = 2019
BIG_EAST, BIG_WEST = "320412", "610902"  # 武进区—汉滨区, the first deployment
BIG_SHARE = 0.05  # its share of workers, projects and postings: the benchmark's partnership

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵"
GIVEN = "伟强军磊勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林成建国志文武兵海峰春芳娟敏静丽艳秀英玲霞燕红梅琴云莲慧萍凤雪琳丹晶颖倩婷蓉兰菊芬月"
EMPLOYERS = ["电子", "机械", "纺织", "物流", "建筑", "食品", "汽车配件", "光伏", "医药", "服装"]
JOBS = ["操作工", "装配工", "质检员", "电工", "焊工", "仓管员", "司机", "厨师", "保洁员", "普工"]

# Tables emptied before generating, children first.
GENERATED_MODELS = [
    "labor.WorkerYear",
    "labor.Employment",
    "labor.Worker",
    "labor.CommunityFactory",
    "labor.TrainingCourse",
    "labor.JobFair",
    "projects.ProjectProgress",
    "projects.Donation",
    "projects.ConsumptionSale",
    "projects.Investment",
    "projects.Project",
    "cooperation.Target",
    "cooperation.Visit",
    "cooperation.Posting",
    "cooperation.Pairing",
    "cooperation.Organisation",
    "cooperation.Partnership",
]


class Copier:
    """COPY rows of one model into its table; fields not given take their model default
    (so a field added later with a default does not break the generator)."""

    CHUNK = 50_000

    def __init__(self, cursor, model_label, fields):
        model = apps.get_model(model_label)
        self.cursor = cursor
        self.table = model._meta.db_table
        concrete = [f for f in model._meta.concrete_fields]
        by_attname = {f.attname: f for f in concrete}
        unknown = set(fields) - set(by_attname)
        if unknown:
            raise ValueError(f"{model_label} has no fields {sorted(unknown)}")
        now = timezone.now().isoformat()
        tail = []
        for f in concrete:
            if f.attname in fields:
                continue
            if f.attname in ("created_at", "updated_at"):
                tail.append((f.column, now))
            else:
                tail.append((f.column, copy_text(f.get_default())))
        self.columns = [by_attname[a].column for a in fields] + [c for c, _ in tail]
        self.suffix = "".join("\t" + v for _, v in tail) + "\n"
        self.count = 0

    def write(self, rows):
        buf, n = [], 0
        for row in rows:
            buf.append("\t".join(map(copy_text, row)) + self.suffix)
            n += 1
            if len(buf) >= self.CHUNK:
                self._flush(buf)
                buf = []
        if buf:
            self._flush(buf)
        self.count += n
        return n

    def _flush(self, lines):
        copy_rows(self.cursor, self.table, self.columns, "".join(lines))


# --- the data set -----------------------------------------------------------------------------


class NationalData:
    def __init__(self, scale=1.0, seed=2021, today=None, log=print):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.years = list(range(FIRST_YEAR, self.today.year + 1))
        self.log = log
        self.counts = {}

    def n(self, key):
        return max(1, round(FULL[key] * self.scale))

    # Partnerships ---------------------------------------------------------------------------
    def pick_partnerships(self):
        """Real county codes: every Shaanxi county with towns is paired with up to three
        Jiangsu counties (Jiangsu–Shaanxi is a real provincial pairing); 武进—汉滨 first."""
        Region = apps.get_model("cooperation.Region")
        with_towns = set(
            Region.objects.filter(level=4).values_list("parent_id", flat=True).distinct()
        )
        east = sorted(c for c in with_towns if c.startswith("32"))
        west = sorted(c for c in with_towns if c.startswith("61"))
        if BIG_EAST not in east or BIG_WEST not in west:
            raise RuntimeError("load the regions first (manage.py load_regions)")
        count = min(self.n("partnerships"), len(east) * len(west))
        pairs = [(BIG_EAST, BIG_WEST)]
        seen = set(pairs)
        i = 0
        while len(pairs) < count:
            pair = (east[(i * 7 + i // len(west)) % len(east)], west[i % len(west)])
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
            i += 1
        self.pairs = pairs
        towns = defaultdict(list)
        for code, parent in Region.objects.filter(level=4).values_list("code", "parent_id"):
            towns[parent].append(code)
        villages = defaultdict(list)
        for code, parent in Region.objects.filter(level=5).values_list("code", "parent_id"):
            villages[parent].append(code)
        self.towns, self.villages = towns, villages
        # Destinations outside the partnership: counties of Zhejiang and Guangdong.
        self.elsewhere = list(
            Region.objects.filter(level=3, code__regex=r"^(33|44)").values_list("code", flat=True)
        )
        # Each partnership's share of people and projects: the first gets BIG_SHARE, the
        # others vary around an equal share.
        weights = [self.rng.uniform(0.4, 1.6) for _ in pairs[1:]]
        rest = (1 - BIG_SHARE) / sum(weights) if weights else 0
        self.shares = [BIG_SHARE if len(pairs) > 1 else 1.0] + [w * rest for w in weights]

    def spread(self, total):
        """Split a total over the partnerships by their shares (largest remainder)."""
        raw = [total * s for s in self.shares]
        counts = [int(r) for r in raw]
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
            : total - sum(counts)
        ]:
            counts[i] += 1
        return counts

    def name(self):
        r = self.rng
        given = r.choice(GIVEN) if r.random() < 0.3 else r.choice(GIVEN) + r.choice(GIVEN)
        return r.choice(SURNAMES) + given

    def date_in(self, year, last=None):
        first = datetime.date(year, 1, 1).toordinal()
        end = min(datetime.date(year, 12, 31), last or self.today).toordinal()
        return datetime.date.fromordinal(self.rng.randint(first, max(first, end)))

    # Generation ----------------------------------------------------------------------------
    def generate(self):
        if connection.vendor != "postgresql":
            raise RuntimeError("the national data set is generated on PostgreSQL only")
        started = time.monotonic()
        self.pick_partnerships()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL work_mem = '256MB'")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cur.fetchone()[0]:
                # The rows are consistent by construction: skip the foreign-key triggers,
                # whose deferred checks would otherwise queue millions of events for COMMIT.
                cur.execute("SET LOCAL session_replication_role = replica")
            self.empty(cur)
            dropped = drop_plain_indexes(cur, BIG_TABLES)
            self.step(cur, "partnerships", self.partnerships)
            self.step(cur, "organisations", self.organisations)
            self.step(cur, "pairings", self.pairings)
            self.step(cur, "postings", self.postings)
            self.step(cur, "visits", self.visits)
            self.step(cur, "projects", self.projects)
            self.step(cur, "investments", self.investments)
            self.step(cur, "sales", self.sales)
            self.step(cur, "donations", self.donations)
            self.step(cur, "job fairs", self.job_fairs)
            self.step(cur, "courses", self.courses)
            self.step(cur, "factories", self.factories)
            self.step(cur, "workers", self.workers)
            self.step(cur, "employments", self.employments)
            t = time.monotonic()
            self.counts["worker years"] = rebuild_worker_years_sql(cur, today=self.today)
            self.log(
                f"  worker years: {self.counts['worker years']:,} in {time.monotonic() - t:.1f}s"
            )
            t = time.monotonic()
            for sql in dropped:
                cur.execute(sql)
            self.log(f"  {len(dropped)} indexes rebuilt in {time.monotonic() - t:.1f}s")
            self.reset_sequences(cur)
            self.step(cur, "targets", self.targets)
            self.reset_sequences(cur)
            cur.execute("SET LOCAL session_replication_role = DEFAULT")
        with connection.cursor() as cur:
            t = time.monotonic()
            for label in GENERATED_MODELS:
                cur.execute(f"ANALYZE {apps.get_model(label)._meta.db_table}")
            self.log(f"  analyze: {time.monotonic() - t:.1f}s")
        from .freshness import bump_data_version

        bump_data_version()
        self.counts["seconds"] = round(time.monotonic() - started, 1)
        return self.counts

    def step(self, cur, label, method):
        t = time.monotonic()
        self.counts[label] = method(cur)
        self.log(f"  {label}: {self.counts[label]:,} in {time.monotonic() - t:.1f}s")

    def empty(self, cur):
        tables = [apps.get_model(label)._meta.db_table for label in GENERATED_MODELS]
        historical = [
            m._meta.db_table
            for m in apps.get_models()
            if m.__name__.startswith("Historical")
            and m._meta.app_label in ("cooperation", "projects", "labor")
            and not m.__name__.endswith("Region")
        ]
        # History tables of models added since the last migrate are left alone (migrate first).
        existing = set(connection.introspection.table_names(cur))
        historical = [t for t in historical if t in existing]
        # ExportAudit and the like refer to users, not to these tables; CASCADE covers the rest.
        cur.execute(f"TRUNCATE {', '.join(tables + historical)} RESTART IDENTITY CASCADE")

    def reset_sequences(self, cur):
        for label in GENERATED_MODELS:
            table = apps.get_model(label)._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )

    def partnerships(self, cur):
        copier = Copier(
            cur, "cooperation.Partnership", ["id", "east_region_id", "west_region_id", "since_year"]
        )
        rows = [
            (i + 1, east, west, 2017 if i == 0 else self.rng.randint(2016, 2021))
            for i, (east, west) in enumerate(self.pairs)
        ]
        self.since = {r[0]: r[3] for r in rows}
        return copier.write(rows)

    def organisations(self, cur):
        """Per partnership: the two county governments, a few towns, villages (real ones where
        the code list has them), enterprises, schools, hospitals and social organisations on
        each side. An organisation is unique by name and region, so neighbours share."""
        copier = Copier(cur, "cooperation.Organisation", ["id", "name", "kind", "region_id"])
        Region = apps.get_model("cooperation.Region")
        names = dict(Region.objects.filter(level__gte=3).values_list("code", "name"))
        ids = {}
        rows = []
        self.orgs = defaultdict(lambda: defaultdict(list))  # pid → (side, kind) → [org ids]

        def org(pid, side, name, kind, region):
            key = (name, region)
            if key not in ids:
                ids[key] = len(ids) + 1
                rows.append((ids[key], name, kind, region))
            self.orgs[pid][(side, kind)].append(ids[key])

        for pid, (east, west) in enumerate(self.pairs, start=1):
            for side, county in (("east", east), ("west", west)):
                county_name = names[county]
                org(pid, side, f"{county_name}人民政府", "government", county)
                towns = self.towns[county][:8]
                for town in towns:
                    org(pid, side, names[town], "town", town)
                    villages = self.villages.get(town, [])[:3]
                    if villages:
                        for village in villages:
                            org(pid, side, names[village], "village", village)
                    else:
                        for k in range(1, 3):
                            org(pid, side, f"{names[town]}第{k}村", "village", town)
                for k in range(1, 9 if side == "east" else 4):
                    org(
                        pid,
                        side,
                        f"{county_name}{EMPLOYERS[k % 10]}有限公司{k}",
                        "enterprise",
                        county,
                    )
                for k in range(1, 4):
                    org(pid, side, f"{county_name}第{k}中学", "school", county)
                org(pid, side, f"{county_name}人民医院", "hospital", county)
                org(pid, side, f"{county_name}中医医院", "hospital", county)
                org(pid, side, f"{county_name}慈善总会", "social", county)
        self.org_region = {i: region for (_, region), i in ids.items()}
        return copier.write(rows)

    def pairings(self, cur):
        copier = Copier(
            cur,
            "cooperation.Pairing",
            [
                "id",
                "partnership_id",
                "level",
                "east_org_id",
                "west_org_id",
                "signed_on",
                "ended_on",
            ],
        )
        plan = [
            ("county", "government", "government"),
            ("town", "town", "town"),
            ("village", "village", "village"),
            ("enterprise_village", "enterprise", "village"),
            ("school", "school", "school"),
            ("hospital", "hospital", "hospital"),
            ("social", "social", "village"),
        ]
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            orgs = self.orgs[pid]
            seen = set()
            for level, east_kind, west_kind in plan:
                for e, w in zip(orgs[("east", east_kind)], orgs[("west", west_kind)], strict=False):
                    if (e, w) in seen:
                        continue
                    seen.add((e, w))
                    signed = self.date_in(
                        self.rng.randint(max(self.since[pid], FIRST_YEAR), self.today.year)
                    )
                    ended = None
                    if self.rng.random() < 0.1:
                        ended = signed + datetime.timedelta(days=self.rng.randint(200, 1500))
                        ended = ended if ended < self.today else None
                    rows.append((len(rows) + 1, pid, level, e, w, signed, ended))
        return copier.write(rows)

    def postings(self, cur):
        copier = Copier(
            cur,
            "cooperation.Posting",
            [
                "id",
                "partnership_id",
                "person_name",
                "direction",
                "category",
                "home_org_id",
                "host_org_id",
                "position",
                "start_date",
                "end_date",
            ],
        )
        categories = ["cadre", "cadre", "education", "medical", "agriculture", "science", "other"]
        rows = []
        for pid, count in enumerate(self.spread(self.n("postings")), start=1):
            orgs = self.orgs[pid]
            east_orgs = (
                orgs[("east", "government")] + orgs[("east", "school")] + orgs[("east", "hospital")]
            )
            west_orgs = (
                orgs[("west", "government")] + orgs[("west", "school")] + orgs[("west", "hospital")]
            )
            for _ in range(count):
                e2w = self.rng.random() < 0.6
                start = self.date_in(self.rng.choice(self.years))
                end = start + datetime.timedelta(days=self.rng.choice([90, 180, 365, 730]))
                home, host = (east_orgs, west_orgs) if e2w else (west_orgs, east_orgs)
                rows.append(
                    (
                        len(rows) + 1,
                        pid,
                        self.name(),
                        "e2w" if e2w else "w2e",
                        self.rng.choice(categories),
                        self.rng.choice(home),
                        self.rng.choice(host),
                        "挂职",
                        start,
                        end if end < self.today else None,
                    )
                )
        return copier.write(rows)

    def visits(self, cur):
        copier = Copier(
            cur,
            "cooperation.Visit",
            [
                "id",
                "partnership_id",
                "date",
                "direction",
                "leader",
                "leader_title",
                "people",
                "enterprises",
                "purpose",
            ],
        )
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            for year in self.years:
                for _ in range(self.rng.randint(3, 8)):
                    rows.append(
                        (
                            len(rows) + 1,
                            pid,
                            self.date_in(year),
                            self.rng.choice(["e2w", "w2e"]),
                            self.name(),
                            "副县长",
                            self.rng.randint(5, 40),
                            self.rng.randint(0, 10),
                            "考察对接",
                        )
                    )
        return copier.write(rows)

    def projects(self, cur):
        copier = Copier(
            cur,
            "projects.Project",
            [
                "id",
                "partnership_id",
                "fund_year",
                "name",
                "category",
                "status",
                "aid_funds",
                "local_funds",
                "other_funds",
                "beneficiaries",
                "beneficiaries_poverty_exited",
                "town_id",
                "village_id",
                "start_date",
                "end_date",
            ],
        )
        categories = [
            "industry",
            "industry",
            "infrastructure",
            "education",
            "health",
            "employment",
            "consumption",
            "factory",
            "other",
        ]
        statuses = ["planned", "building", "completed", "completed", "operating", "cancelled"]
        rows = []
        self.project_ids = defaultdict(list)
        for pid, count in enumerate(self.spread(self.n("projects")), start=1):
            west = self.pairs[pid - 1][1]
            towns = self.towns[west]
            for k in range(count):
                year = self.years[k % len(self.years)]
                town = self.rng.choice(towns)
                villages = self.villages.get(town)
                village = (
                    self.rng.choice(villages) if villages and self.rng.random() < 0.5 else None
                )
                people = self.rng.randint(0, 3000)
                start = self.date_in(year)
                rows.append(
                    (
                        len(rows) + 1,
                        pid,
                        year,
                        f"协作项目{k + 1:06d}",
                        self.rng.choice(categories),
                        self.rng.choice(statuses),
                        _money(self.rng, 20, 800),
                        _money(self.rng, 0, 200),
                        _money(self.rng, 0, 100),
                        people,
                        self.rng.randint(0, people),
                        town,
                        village,
                        start,
                        start + datetime.timedelta(days=self.rng.randint(60, 400)),
                    )
                )
                self.project_ids[pid].append(len(rows))
        return copier.write(rows)

    def investments(self, cur):
        copier = Copier(
            cur,
            "projects.Investment",
            [
                "id",
                "partnership_id",
                "enterprise",
                "industry",
                "signed_on",
                "agreed",
                "arrived",
                "jobs",
                "town_id",
            ],
        )
        rows = []
        for pid, count in enumerate(self.spread(self.n("projects") // 10), start=1):
            towns = self.towns[self.pairs[pid - 1][1]]
            for k in range(count):
                agreed = _money(self.rng, 500, 50000)
                arrived = (agreed * Decimal(self.rng.randint(20, 100)) / 100).quantize(
                    Decimal("0.0001")
                )
                rows.append(
                    (
                        len(rows) + 1,
                        pid,
                        f"{EMPLOYERS[k % 10]}企业{k + 1:05d}",
                        EMPLOYERS[k % 10],
                        self.date_in(self.rng.choice(self.years)),
                        agreed,
                        arrived,
                        self.rng.randint(0, 500),
                        self.rng.choice(towns),
                    )
                )
        return copier.write(rows)

    def sales(self, cur):
        copier = Copier(
            cur,
            "projects.ConsumptionSale",
            [
                "id",
                "partnership_id",
                "year",
                "month",
                "channel",
                "product_category",
                "amount",
                "certified_amount",
            ],
        )
        channels = ["counter", "832", "ecommerce", "canteen", "other"]
        products = ["tea", "meat", "grain_oil", "fruit_veg", "drinks", "processed"]
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            for year in self.years:
                for month in range(1, 13):
                    if datetime.date(year, month, 1) > self.today:
                        break
                    for channel in self.rng.sample(channels, 3):
                        amount = _money(self.rng, 1, 300)
                        rows.append(
                            (
                                len(rows) + 1,
                                pid,
                                year,
                                month,
                                channel,
                                self.rng.choice(products),
                                amount,
                                (amount * Decimal("0.6")).quantize(Decimal("0.0001")),
                            )
                        )
        return copier.write(rows)

    def donations(self, cur):
        copier = Copier(
            cur,
            "projects.Donation",
            ["id", "partnership_id", "donor", "recipient", "date", "cash", "in_kind", "town_id"],
        )
        rows = []
        for pid, count in enumerate(self.spread(self.n("projects") // 6), start=1):
            towns = self.towns[self.pairs[pid - 1][1]]
            for k in range(count):
                rows.append(
                    (
                        len(rows) + 1,
                        pid,
                        f"爱心企业{k + 1:04d}",
                        "镇人民政府",
                        self.date_in(self.rng.choice(self.years)),
                        _money(self.rng, 0, 50),
                        _money(self.rng, 0, 20),
                        self.rng.choice(towns),
                    )
                )
        return copier.write(rows)

    def job_fairs(self, cur):
        copier = Copier(
            cur,
            "labor.JobFair",
            [
                "id",
                "partnership_id",
                "name",
                "date",
                "town_id",
                "employers",
                "jobs_offered",
                "intentions",
                "hired",
                "stable",
            ],
        )
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            towns = self.towns[self.pairs[pid - 1][1]]
            for year in self.years:
                for k in range(self.rng.randint(2, 6)):
                    hired = self.rng.randint(10, 300)
                    rows.append(
                        (
                            len(rows) + 1,
                            pid,
                            f"{year}年第{k + 1}场专场招聘会",
                            self.date_in(year),
                            self.rng.choice(towns),
                            self.rng.randint(10, 80),
                            hired * 5,
                            hired * 2,
                            hired,
                            self.rng.randint(0, hired),
                        )
                    )
        return copier.write(rows)

    def courses(self, cur):
        copier = Copier(
            cur,
            "labor.TrainingCourse",
            [
                "id",
                "partnership_id",
                "name",
                "kind",
                "start_date",
                "end_date",
                "town_id",
                "trainees",
                "certified",
                "employed_after",
            ],
        )
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            towns = self.towns[self.pairs[pid - 1][1]]
            for year in self.years:
                for k in range(self.rng.randint(2, 6)):
                    start = self.date_in(year)
                    trainees = self.rng.randint(20, 120)
                    rows.append(
                        (
                            len(rows) + 1,
                            pid,
                            f"{year}年技能培训班{k + 1}",
                            self.rng.choice(["advanced", "skills", "ecommerce", "other"]),
                            start,
                            start + datetime.timedelta(days=self.rng.randint(3, 30)),
                            self.rng.choice(towns),
                            trainees,
                            self.rng.randint(0, trainees),
                            self.rng.randint(0, trainees),
                        )
                    )
        return copier.write(rows)

    def factories(self, cur):
        copier = Copier(
            cur,
            "labor.CommunityFactory",
            [
                "id",
                "partnership_id",
                "name",
                "industry",
                "opened_on",
                "closed_on",
                "jobs",
                "poverty_exited_jobs",
                "town_id",
                "project_id",
            ],
        )
        rows = []
        for pid in range(1, len(self.pairs) + 1):
            towns = self.towns[self.pairs[pid - 1][1]]
            projects = self.project_ids[pid]
            for k in range(self.rng.randint(6, 18)):
                jobs = self.rng.randint(10, 200)
                rows.append(
                    (
                        len(rows) + 1,
                        pid,
                        f"新社区工厂{k + 1:02d}",
                        EMPLOYERS[k % 10],
                        self.date_in(self.rng.choice(self.years)),
                        None,
                        jobs,
                        self.rng.randint(0, jobs),
                        self.rng.choice(towns),
                        self.rng.choice(projects) if projects else None,
                    )
                )
        return copier.write(rows)

    def workers(self, cur):
        """Valid, invented ID numbers: the west county's code, a birth date between 1966 and
        2005 and a sequence; the k-th worker of a county gets day k mod D and sequence
        2·(k div D) + parity, which is unique per county."""
        copier = Copier(
            cur,
            "labor.Worker",
            [
                "id",
                "partnership_id",
                "name",
                "id_number",
                "gender",
                "birth_date",
                "phone",
                "home_town_id",
                "home_village_id",
                "household",
            ],
        )
        first_birth = datetime.date(1966, 1, 1).toordinal()
        days = datetime.date(2005, 12, 31).toordinal() - first_birth + 1
        per_county = defaultdict(int)
        households = ["exited"] * 5 + ["monitored"] + ["ordinary"] * 4
        self.worker_partnership = []
        counts = self.spread(self.n("workers"))
        rng = self.rng
        check = idcard.check_char

        def rows():
            wid = 0
            for pid, count in enumerate(counts, start=1):
                west = self.pairs[pid - 1][1]
                towns = self.towns[west]
                for _ in range(count):
                    wid += 1
                    k = per_county[west]
                    per_county[west] = k + 1
                    born = datetime.date.fromordinal(first_birth + k % days)
                    sequence = 2 * (k // days) + (k // 7) % 2
                    first17 = f"{west}{born:%Y%m%d}{sequence:03d}"
                    town = towns[wid % len(towns)]
                    villages = self.villages.get(town)
                    self.worker_partnership.append(pid)
                    yield (
                        wid,
                        pid,
                        self.name(),
                        first17 + check(first17),
                        "M" if sequence % 2 else "F",
                        born,
                        f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
                        town,
                        villages[wid % len(villages)] if villages else None,
                        households[wid % 10],
                    )

        return copier.write(rows())

    def employments(self, cur):
        """One spell per worker, a second for a sixth of them (sometimes overlapping the
        first), 15 % still open. Destinations: the partnership's eastern county (in the
        east), the home county, or a county of Zhejiang or Guangdong."""
        copier = Copier(
            cur,
            "labor.Employment",
            [
                "id",
                "worker_id",
                "employer",
                "job",
                "destination_id",
                "in_east",
                "start_date",
                "end_date",
                "monthly_wage",
                "channel",
            ],
        )
        channels = ["job_fair", "station", "organised", "self", "factory", "other"]
        total = self.n("employments")
        workers = len(self.worker_partnership)
        second_every = max(1, round(workers / max(1, total - workers))) if total > workers else 0
        first_day = datetime.date(FIRST_YEAR, 1, 1).toordinal()
        last_day = self.today.toordinal() - 1
        rng = self.rng

        def spell(wid, pid, start):
            east, west = self.pairs[pid - 1]
            r = rng.random()
            dest = east if r < 0.55 else (west if r < 0.8 else rng.choice(self.elsewhere))
            end = None
            if rng.random() >= 0.15:
                end = min(start + rng.randint(20, 900), last_day)
            wage = None if rng.random() < 0.1 else Decimal(rng.randint(250000, 900000)) / 100
            return (
                wid,
                f"{EMPLOYERS[wid % 10]}有限公司",
                JOBS[wid % 10],
                dest,
                dest[:2] == east[:2],
                datetime.date.fromordinal(start),
                datetime.date.fromordinal(end) if end else None,
                wage,
                channels[wid % 6],
            )

        def rows():
            eid = 0
            for wid, pid in enumerate(self.worker_partnership, start=1):
                start = rng.randint(first_day, last_day)
                first = spell(wid, pid, start)
                eid += 1
                yield (eid, *first)
                if second_every and wid % second_every == 0 and eid < total:
                    # Half start within the first spell (overlap), half after it.
                    end = first[6].toordinal() if first[6] else last_day
                    second = (
                        rng.randint(start, end)
                        if rng.random() < 0.5
                        else min(end + rng.randint(1, 120), last_day)
                    )
                    eid += 1
                    yield (eid, *spell(wid, pid, second))

        return copier.write(rows())

    def targets(self, cur):
        """Agreed targets of the first partnership for every indicator and year: 90 % of the
        actual figure, rounded (so the dashboard shows percentages above 100 %)."""
        from cooperation.dashboard.indicators import evaluate
        from cooperation.dashboard.scopes import of_partnership

        Partnership = apps.get_model("cooperation.Partnership")
        partnership = Partnership.objects.get(pk=1)
        copier = Copier(
            cur, "cooperation.Target", ["id", "partnership_id", "year", "indicator", "value"]
        )
        rows = []
        for year in self.years[-3:]:
            for key, actual in evaluate(of_partnership(partnership), year).items():
                value = (Decimal(actual) * Decimal("0.9")).quantize(Decimal("1"))
                if value > 0:
                    rows.append((len(rows) + 1, 1, year, key, value))
        return copier.write(rows)


BIG_TABLES = ["labor_worker", "labor_employment", "labor_workeryear"]


def drop_plain_indexes(cursor, tables):
    """Drop the indexes of these tables that back no constraint (building them once after
    the load is much faster than maintaining them row by row); return the statements that
    recreate them."""
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid)
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid::regclass::text = ANY(%s) AND NOT x.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
        [tables],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _money(rng, low, high):
    """An amount in 万元 with 4 decimals (exact to the yuan)."""
    return Decimal(rng.randint(low * 10000, high * 10000)) / 10000


# --- WorkerYear, set-based --------------------------------------------------------------------

WORKER_YEARS_SQL = """
WITH spans AS (
    SELECT e.worker_id, w.partnership_id, w.home_town_id, w.household, y.year,
           e.start_date, e.monthly_wage,
           (e.destination_id IS NOT NULL
            AND left(e.destination_id, 2) = left(p.east_region_id, 2)) AS east,
           greatest(e.start_date, make_date(y.year, 1, 1)) AS s,
           least(coalesce(e.end_date, %(today)s::date), make_date(y.year, 12, 31), %(today)s::date) AS t
    FROM labor_employment e
    JOIN labor_worker w ON w.id = e.worker_id
    JOIN cooperation_partnership p ON p.id = w.partnership_id
    CROSS JOIN LATERAL generate_series(
        extract(year FROM e.start_date)::int,
        greatest(extract(year FROM e.start_date)::int,
                 extract(year FROM least(coalesce(e.end_date, %(today)s::date), %(today)s::date))::int)
    ) AS y(year)
    {where}
),
reach AS (
    SELECT worker_id, year, s, t,
           max(t) OVER (PARTITION BY worker_id, year ORDER BY s, t
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM spans WHERE s <= t
),
islands AS (
    SELECT worker_id, year, s, t,
           count(*) FILTER (WHERE reach IS NULL OR s > reach)
               OVER (PARTITION BY worker_id, year ORDER BY s, t ROWS UNBOUNDED PRECEDING) AS island
    FROM reach
),
days AS (
    SELECT worker_id, year, sum(len)::int AS days
    FROM (SELECT worker_id, year, max(t) - min(s) + 1 AS len
          FROM islands GROUP BY worker_id, year, island) AS i
    GROUP BY worker_id, year
),
facts AS (
    SELECT worker_id, year, partnership_id, home_town_id, household,
           bool_or(extract(year FROM start_date) = year) AS transferred,
           min(extract(month FROM start_date)::int)
               FILTER (WHERE extract(year FROM start_date) = year) AS transferred_month,
           coalesce(bool_or(east) FILTER (WHERE extract(year FROM start_date) = year), false)
               AS transferred_east,
           bool_or(east) AS in_east,
           round(avg(monthly_wage), 2) AS monthly_wage
    FROM spans
    GROUP BY worker_id, year, partnership_id, home_town_id, household
)
INSERT INTO labor_workeryear (worker_id, partnership_id, year, home_town_id, household,
    transferred, transferred_month, transferred_east, in_east, employed_days, stable,
    monthly_wage)
SELECT f.worker_id, f.partnership_id, f.year, f.home_town_id, f.household,
       f.transferred, f.transferred_month, f.transferred_east, f.in_east,
       coalesce(d.days, 0), coalesce(d.days, 0) >= %(stable_days)s, f.monthly_wage
FROM facts f LEFT JOIN days d USING (worker_id, year)
"""


def rebuild_worker_years_sql(cursor, *, worker_ids=None, today=None):
    """Rebuild WorkerYear rows in one INSERT … SELECT (PostgreSQL), for all workers or for
    the given ids; returns the number of rows written. Same rules as
    `labor.services.years_of`: a spell belongs to each year from its start to its end (an
    open one to today's year); employed days are the union of the spells within the year,
    up to today; transferred means a spell starts in the year; the wage is the mean of the
    year's spells' wages, rounded half up to the cent. Also corrects `Employment.in_east`."""
    from labor.services import stable_days

    today = today or timezone.localdate()
    params = {"today": today, "stable_days": stable_days()}
    if worker_ids is None:
        cursor.execute("DELETE FROM labor_workeryear")
        where = ""
    else:
        params["ids"] = list(worker_ids)
        cursor.execute("DELETE FROM labor_workeryear WHERE worker_id = ANY(%(ids)s)", params)
        where = "WHERE e.worker_id = ANY(%(ids)s)"
    cursor.execute(
        """UPDATE labor_employment e SET in_east = NOT e.in_east
           FROM labor_worker w JOIN cooperation_partnership p ON p.id = w.partnership_id
           WHERE w.id = e.worker_id {and_ids} AND e.in_east IS DISTINCT FROM
                 (e.destination_id IS NOT NULL
                  AND left(e.destination_id, 2) = left(p.east_region_id, 2))""".format(
            and_ids="AND e.worker_id = ANY(%(ids)s)" if worker_ids is not None else ""
        ),
        params,
    )
    cursor.execute(WORKER_YEARS_SQL.format(where=where), params)
    return cursor.rowcount


def generate(scale=1.0, seed=2021, today=None, log=print):
    """Empty the generated tables and write the national data set; returns the row counts."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise RuntimeError("the national data set is generated on PostgreSQL only")
    return NationalData(scale=scale, seed=seed, today=today, log=log).generate()
