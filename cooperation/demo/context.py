"""The context every demo builder works in: the partnership, its plan, a seeded random
generator, and bulk writing."""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from cooperation.models import Organisation, Region

CHANGE_REASON = "演示数据（load_demo）"
BATCH_SIZE = 5000  # rows per INSERT (Django lowers it where the database needs fewer)
LAST_DAY = datetime.date(2022, 4, 30)  # the report's time of writing: nothing starts later
# The demo's employment ledger stops at the end of 2022: a spell still running then is closed
# on this day. An open spell is counted up to today, so every year since would show
# "still employed" workers of a ledger that nobody keeps any more.
LEDGER_END = datetime.date(2022, 12, 31)


def day(text):
    return datetime.date.fromisoformat(text)


def random_day(rng, year, months=range(1, 13)):
    month = rng.choice(list(months))
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, rng.randint(1, last))


def bulk_write(ctx, model, objs, history=True):
    """Insert `objs` in large batches. History rows (the admin's 历史记录, reason “演示数据”)
    are written for the report's partnership only: synthetic partnerships are volume."""
    if not objs:
        return objs
    if history and ctx.story:
        return bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def write_records(ctx, model, objs, history=True):
    """`bulk_write` of records of the context's partnership."""
    for obj in objs:
        obj.partnership = ctx.partnership
    return bulk_write(ctx, model, objs, history)


@dataclass
class Context:
    partnership: object
    plan: object
    rng: random.Random
    story: bool
    west_towns: list = field(default_factory=list)
    east_towns: list = field(default_factory=list)
    west_villages: dict = field(default_factory=dict)  # town code: [villages]
    east_villages: list = field(default_factory=list)
    orgs: dict = field(default_factory=dict)
    factories: list = field(default_factory=list)
    parks: list = field(default_factory=list)  # co-built parks, for the investments
    fairs: dict = field(default_factory=dict)  # year: [(JobFair, stable target)]
    worker_ids: list = field(default_factory=list)

    @property
    def west(self):
        return self.partnership.west_region

    @property
    def east(self):
        return self.partnership.east_region

    def org(self, name, kind, region, place_text=""):
        """The unit called `name` in `region`, created on first use (`orgs` starts with the
        units already in the two counties, see `new_context`)."""
        region_code = getattr(region, "code", region)
        key = (name, region_code)
        if key not in self.orgs:
            unit = Organisation(name=name, region_id=region_code, kind=kind, place_text=place_text)
            self.orgs[key] = bulk_write(self, Organisation, [unit])[0]
        return self.orgs[key]

    def town(self, code):
        return next(t for t in self.west_towns if t.code == code)

    def west_village(self, town=None):
        """A village of the western county (of `town` if given), or None without villages."""
        if town is None:
            towns = [t for t in self.west_towns if self.west_villages.get(t.code)]
            if not towns:
                return None
            town = self.rng.choice(towns)
        villages = self.west_villages.get(town.code)
        return self.rng.choice(villages) if villages else None

    def town_org(self, town):
        return self.org(f"{town.name}人民政府", Organisation.Kind.TOWN, town)

    def village_org(self, village):
        town = village.parent
        return self.org(f"{town.name}{village_name(village)}", Organisation.Kind.VILLAGE, village)


def village_name(village):
    """The everyday name: 东方村 for the code list's 东方村村委会 (Region.short_name would give
    东方村村 there), 小河村 for 小河村委会."""
    if village.name.endswith("村村委会"):
        return village.name.removesuffix("村委会")
    return village.short_name


def new_context(partnership, plan, seed, story):
    ctx = Context(partnership, plan, random.Random(seed), story)
    towns = Region.objects.filter(level=Region.Level.TOWN)
    ctx.west_towns = list(towns.within(partnership.west_region))
    # Development zones (经济开发区, 高新区…) are not townships: no town government to pair.
    ctx.east_towns = [
        t for t in towns.within(partnership.east_region) if not t.name.endswith(("区", "园"))
    ] or list(towns.within(partnership.east_region))
    villages = Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent")
    for v in villages.within(partnership.west_region):
        ctx.west_villages.setdefault(v.parent_id, []).append(v)
    ctx.east_villages = list(villages.within(partnership.east_region))
    counties = (partnership.east_region_id, partnership.west_region_id)
    for unit in Organisation.objects.filter(
        Q(region__code__startswith=counties[0]) | Q(region__code__startswith=counties[1])
    ):
        ctx.orgs[(unit.name, unit.region_id)] = unit
    return ctx
