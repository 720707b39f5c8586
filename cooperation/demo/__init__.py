"""Demo data: the 武进–汉滨 partnership as the published report tells it, and, for trying
the system with volume, synthetic partnerships of the same shape (`load_demo --scale N`).

    figures.py   the report's figures and how each is read (the single place to look)
    plan.py      counts and totals per partnership (the report's, or scaled)
    builders.py  records built from a plan, bulk-inserted, with a fixed random seed
    people.py    made-up names and valid, made-up resident ID numbers
    targets.py   agreed targets for 2021 and 2022
"""

import random
import time

from django.db import transaction

from cooperation.freshness import bump_data_version
from cooperation.models import Partnership, Region

from . import figures
from .builders import build, new_context
from .plan import report_plan
from .targets import create_targets

DEMO_NOTE = "演示数据：依据《苏陕一家亲 携手共振兴——汉滨区与武进区对口协作帮扶纪实》所述数字生成。"
SYNTHETIC_NOTE = (
    "合成演示数据（load_demo --scale）：真实区县，结对关系与全部记录均为虚构，仅用于规模测试。"
)


def has_records(partnership):
    """True when the partnership already holds records (demo or real): never load over them."""
    return any(manager.filter(partnership=partnership).exists() for manager in _record_managers())


def _record_managers():
    from cooperation.models import Pairing, Posting
    from labor.models import Worker
    from projects.models import ConsumptionSale, Project

    return [m.objects for m in (Pairing, Posting, Project, ConsumptionSale, Worker)]


def synthetic_pairs(count):
    """`count` (east county, west county) codes: Jiangsu and Shaanxi county-level units
    (counties and county-level cities before districts, 武进 and 汉滨 left out), paired by
    position. The pairs are made up; each western county is used once, so ID numbers (whose
    area code is the western county's) never collide."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).exclude(
        code__in=[figures.WUJIN, figures.HANBIN]
    )

    # Counties and county-level cities first: the western side of a pair is rural.
    def rural_first(prefix):
        rows = counties.filter(code__startswith=prefix).values_list("code", "name")
        return [c for c, n in sorted(rows, key=lambda r: (r[1].endswith("区"), r[0]))]

    east, west = rural_first("32"), rural_first("61")
    if count > min(len(east), len(west)):
        raise ValueError(f"at most {min(len(east), len(west)) + 1} for --scale")
    return list(zip(east[:count], west[:count], strict=True))


def load(scale=1, log=print):
    """Load the demo partnership, and `scale − 1` synthetic ones; return what was created.

    Each partnership is loaded in its own transaction, and skipped when it already holds
    records, so running the command again changes nothing."""
    loaded = []
    pairs = [(figures.WUJIN, figures.HANBIN)] + synthetic_pairs(scale - 1)
    for i, (east, west) in enumerate(pairs):
        started = time.perf_counter()
        with transaction.atomic():
            partnership, _ = Partnership.objects.get_or_create(
                east_region_id=east,
                west_region_id=west,
                defaults={
                    "since_year": figures.SINCE_YEAR,
                    "note": DEMO_NOTE if i == 0 else SYNTHETIC_NOTE,
                },
            )
            if has_records(partnership):
                log(f"{partnership}: already has records, left as it is")
                continue
            if i == 0:
                plan, factor = report_plan(), 1.0
            else:
                factor = round(random.Random(f"scale-{east}-{west}").uniform(0.6, 1.4), 2)
                plan = report_plan().scaled(factor)
            ctx = new_context(partnership, plan, seed=f"demo-{east}-{west}", story=(i == 0))
            build(ctx)
            create_targets(partnership, factor)
            # Bulk inserts send no signals: say so to the caches keyed by the data version.
            bump_data_version(partnerships=[partnership.pk])
        loaded.append(partnership)
        log(f"{partnership}: loaded in {time.perf_counter() - started:.1f} s")
    return loaded
