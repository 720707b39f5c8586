"""Demo data: the 武进–汉滨 partnership as the published report tells it, and, for volume,
synthetic partnerships of the same shape (`load_demo --scale N`) — up to the national data
set the benchmark uses (bench/run).

    figures.py   the report's figures and how each is read (the single place to look)
    plan.py      counts and totals per partnership (the report's, or scaled)
    builders.py  one partnership's records from a plan, in dependency order:
                 cooperation_records.py (pairings, postings, visits, cadre
                 training), project_records.py
                 (projects, factories, parks, investments, sales, donations,
                 demonstration villages), labour_records.py
                 (job fairs, courses, workers); context.py: the seeded context, bulk writes
    people.py    made-up names and valid, made-up resident ID numbers
    targets.py   agreed targets for 2021 and 2022

Partnerships are built and written one at a time, each in its own transaction, so memory
stays flat whatever the scale and an interrupted load is completed by running it again.
"""

import random
import time
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import reset_queries, transaction
from django.db.models import Exists, OuterRef

from cooperation.freshness import bump_data_version
from cooperation.models import Pairing, Partnership, Posting, Region
from labor.models import Worker
from projects.models import ConsumptionSale, Project

from . import figures
from .builders import build
from .context import new_context
from .plan import report_plan
from .targets import create_targets

DEMO_NOTE = "演示数据：依据《苏陕一家亲 携手共振兴——汉滨区与武进区对口协作帮扶纪实》所述数字生成。"
SYNTHETIC_NOTE = (
    "合成演示数据（load_demo --scale）：真实区县，结对关系与全部记录均为虚构，仅用于规模测试。"
)
# A synthetic partnership is this fraction of the report's, drawn per pair: always smaller,
# so that 武进–汉滨 (the first partnership, the benchmark's) is the largest.
SYNTHETIC_SIZE = (0.6, 0.95)

RECORD_MODELS = (Pairing, Posting, Project, ConsumptionSale, Worker)


def with_records():
    """The partnerships that hold records (demo or real)."""
    held = [Exists(m.objects.filter(partnership=OuterRef("pk"))) for m in RECORD_MODELS]
    return Partnership.objects.filter(reduce(or_, held))


def has_records(partnership):
    """True when the partnership already holds records (demo or real): never load over them."""
    return with_records().filter(pk=partnership.pk).exists()


def synthetic_pairs(count):
    """`count` (east county, west county) codes: Jiangsu and Shaanxi county-level units
    (counties and county-level cities before districts, 武进 and 汉滨 left out). The pairs
    are made up: first each eastern county with the western county at its position, then,
    round after round, with the next western county along — every pair once, each western
    county in one partnership per round (ID numbers stay unique: `people.IdNumbers` skips
    those already in the database)."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).exclude(
        code__in=[figures.WUJIN, figures.HANBIN]
    )

    # Counties and county-level cities first: the western side of a pair is rural.
    def rural_first(prefix):
        rows = counties.filter(code__startswith=prefix).values_list("code", "name")
        return [c for c, n in sorted(rows, key=lambda r: (r[1].endswith("区"), r[0]))]

    east, west = rural_first("32"), rural_first("61")
    per_round = min(len(east), len(west))
    if count > per_round * len(west):
        raise ValueError(f"at most {per_round * len(west) + 1} for --scale")
    return [
        (east[i % per_round], west[(i % per_round + i // per_round) % len(west)])
        for i in range(count)
    ]


@dataclass
class Planned:
    """One partnership `load` makes: its counties, its plan and its size against the report's."""

    east: str
    west: str
    plan: object
    factor: float

    @property
    def story(self):
        return (self.east, self.west) == (figures.WUJIN, figures.HANBIN)

    @property
    def workers(self):
        return sum(total for total, _east in self.plan.transfers.values())


def planned(scale):
    """The partnerships of `load_demo --scale N`: 武进–汉滨 as the report tells it, then
    N − 1 synthetic ones, each with its own size drawn from a seed of its pair."""
    partnerships = [Planned(figures.WUJIN, figures.HANBIN, report_plan(), 1.0)]
    for east, west in synthetic_pairs(scale - 1):
        factor = round(random.Random(f"scale-{east}-{west}").uniform(*SYNTHETIC_SIZE), 2)
        partnerships.append(Planned(east, west, report_plan().scaled(factor), factor))
    return partnerships


def already_loaded(scale):
    """Why `load_demo --scale N --if-empty` loads nothing, or None when it loads: the database
    holds records of partnerships other than the scale's (another data set: real records, an
    import, an older generator's), or at least as many workers as the scale makes (this data
    set, loaded before). A partial load of the same scale (interrupted) is completed."""
    partnerships = planned(scale)
    pairs = {(p.east, p.west) for p in partnerships}
    others = [
        p for p in with_records().values_list("east_region_id", "west_region_id") if p not in pairs
    ]
    if others:
        return f"the database holds records of {len(others)} other partnership(s)"
    wanted = sum(p.workers for p in partnerships)
    have = Worker.objects.count()
    if have >= wanted:
        return f"the database holds {have:,} workers (--scale {scale} makes {wanted:,})"
    return None


def load(scale=1, log=print):
    """Load the demo partnership, and `scale − 1` synthetic ones; return what was created.

    Each partnership is built and written in its own transaction, and skipped when it
    already holds records, so running the command again changes nothing."""
    loaded = []
    for p in planned(scale):
        reset_queries()  # with DEBUG on, Django keeps the SQL it ran: not across partnerships
        started = time.perf_counter()
        with transaction.atomic():
            partnership, _ = Partnership.objects.get_or_create(
                east_region_id=p.east,
                west_region_id=p.west,
                defaults={
                    "since_year": figures.SINCE_YEAR,
                    "note": DEMO_NOTE if p.story else SYNTHETIC_NOTE,
                },
            )
            if has_records(partnership):
                log(f"{partnership}: already has records, left as it is")
                continue
            ctx = new_context(partnership, p.plan, seed=f"demo-{p.east}-{p.west}", story=p.story)
            build(ctx)
            create_targets(partnership, p.factor)
            # Bulk inserts send no signals: say so to the caches keyed by the data version
            # (the partnership's records, and the units, which belong to no partnership).
            bump_data_version(partnerships=[partnership.pk, None])
        loaded.append(partnership)
        log(f"{partnership}: loaded in {time.perf_counter() - started:.1f} s")
    return loaded
