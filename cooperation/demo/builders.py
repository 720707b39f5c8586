"""Building one demo partnership's records from a plan, fast (bulk inserts) and repeatably
(a fixed random seed per partnership).

`story=True` adds the people, units and projects the report names (武进–汉滨 only); they
are part of the plan's totals, not on top of them. Records not named in the report are
invented: their units carry generic names (“湖塘镇人民政府”, “武进某电子企业”).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from cooperation.models import Organisation, Pairing, Posting, Region, Visit
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker
from projects.models import ConsumptionSale, Donation, Investment, Project, ProjectProgress

from . import figures as F
from .allocate import split_int, split_money, split_within
from .people import IdNumbers, birth_date, make_name

CHANGE_REASON = "演示数据（load_demo）"
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


def _bulk(model, objs, history=True):
    if not objs:
        return objs
    if history:
        return bulk_create_with_history(
            objs, model, batch_size=1000, default_change_reason=CHANGE_REASON
        )
    return model.objects.bulk_create(objs, batch_size=2000)


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
    fairs: dict = field(default_factory=dict)  # year: [(JobFair, stable target)]
    worker_ids: list = field(default_factory=list)

    @property
    def west(self):
        return self.partnership.west_region

    @property
    def east(self):
        return self.partnership.east_region

    def org(self, name, kind, region, place_text=""):
        """The unit called `name` in `region`, created on first use."""
        region_code = getattr(region, "code", region)
        key = (name, region_code)
        if key not in self.orgs:
            self.orgs[key], _ = Organisation.objects.get_or_create(
                name=name, region_id=region_code, defaults={"kind": kind, "place_text": place_text}
            )
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
    return ctx


def build(ctx):
    """All the records of one partnership, in dependency order."""
    pairings(ctx)
    postings(ctx)
    visits(ctx)
    projects = funded_projects(ctx)
    factories(ctx, projects)
    investments(ctx)
    sales(ctx)
    donations(ctx)
    job_fairs(ctx)
    courses(ctx)
    workers(ctx)


# --- Pairings ------------------------------------------------------------------------------


def _signing_dates(ctx, n):
    per_year = ctx.plan.pairings_per_year
    if per_year is None or sum(per_year.values()) != n:
        years = list(range(ctx.partnership.since_year, F.REPORT_YEAR + 1))
        per_year = dict(zip(years, split_int(n, len(years), ctx.rng, 0), strict=True))
    dates = []
    for year, count in sorted(per_year.items()):
        dates += sorted(random_day(ctx.rng, year, range(3, 12)) for _ in range(count))
    return dates


def pairings(ctx):
    rng, plan = ctx.rng, ctx.plan
    n = sum(plan.pairings.values())
    dates = _signing_dates(ctx, n)
    east_towns = rng.sample(ctx.east_towns, min(len(ctx.east_towns), plan.pairings["town"]))
    west_towns = rng.sample(ctx.west_towns, len(ctx.west_towns))
    pairs = []  # (level, east org, west org)
    for i in range(plan.pairings["town"]):
        pairs.append(
            (
                Pairing.Level.TOWN,
                ctx.town_org(east_towns[i % len(east_towns)]),
                ctx.town_org(west_towns[i % len(west_towns)]),
            )
        )
    has_villages = bool(ctx.east_villages) and any(ctx.west_villages.values())
    for i in range(plan.pairings.get("village", 0)):
        if has_villages:
            east_v = rng.choice(ctx.east_villages)
            east = ctx.village_org(east_v)
            west = ctx.village_org(ctx.west_village())
        else:  # no village codes loaded for this county: the towns pair instead
            east = ctx.town_org(rng.choice(ctx.east_towns))
            west = ctx.town_org(west_towns[(plan.pairings["town"] + i) % len(west_towns)])
        pairs.append((Pairing.Level.VILLAGE if has_villages else Pairing.Level.TOWN, east, west))
    industries = ["电子", "纺织", "机械", "新材料", "食品"]
    for i in range(plan.pairings.get("enterprise_village", 0)):
        e_town = rng.choice(ctx.east_towns)
        east = ctx.org(
            f"{ctx.east.name}某{industries[i % 5]}企业（{e_town.name}）", "enterprise", e_town
        )
        village = ctx.west_village()
        west = ctx.village_org(village) if village else ctx.town_org(rng.choice(ctx.west_towns))
        pairs.append((Pairing.Level.ENTERPRISE_VILLAGE, east, west))
    schools = []
    if ctx.story:
        schools.append(
            (
                ctx.org("武进区礼河实验学校", "school", ctx.east),
                ctx.org("汉滨区鼓楼小学", "school", "610902001"),  # 老城街道
            )
        )
        schools.append(
            (
                ctx.org("武进区某实验小学", "school", ctx.east),
                ctx.org("安康武进希望小学", "school", "610902102"),  # 瀛湖镇
            )
        )
    while len(schools) < plan.pairings.get("school", 0):
        e_town, w_town = rng.choice(ctx.east_towns), rng.choice(ctx.west_towns)
        schools.append(
            (
                ctx.org(f"{e_town.name}中心小学", "school", e_town),
                ctx.org(f"{w_town.name}中心学校", "school", w_town),
            )
        )
    pairs += [(Pairing.Level.SCHOOL, e, w) for e, w in schools]
    seen, objs = set(), []
    for (level, east, west), signed in zip(pairs, dates, strict=True):
        if (east.pk, west.pk) in seen:  # a pair of units signs once
            west = next(o for o in map(ctx.town_org, west_towns) if (east.pk, o.pk) not in seen)
        seen.add((east.pk, west.pk))
        objs.append(
            Pairing(
                partnership=ctx.partnership,
                level=level,
                east_org=east,
                west_org=west,
                signed_on=signed,
                note="“携手奔小康”结对协议" if level in ("town", "village") else "",
            )
        )
    _bulk(Pairing, objs)


# --- Postings (选派干部人才) ------------------------------------------------------------------

_PRO_CATEGORIES = {
    "e2w": [("education", 35), ("medical", 35), ("agriculture", 15), ("science", 8), ("other", 7)],
    "w2e": [
        ("education", 30),
        ("medical", 30),
        ("agriculture", 15),
        ("science", 10),
        ("other", 15),
    ],
}
_DEPARTMENTS = {
    "cadre": ["发展和改革局", "人力资源和社会保障局", "农业农村局", "商务局", "工业和信息化局"],
    "education": ["教育局"],
    "medical": ["卫生健康局"],
    "agriculture": ["农业农村局"],
    "science": ["科学技术局"],
    "other": ["文化广电和旅游局", "住房和城乡建设局"],
}
_POSITIONS = {
    "cadre": "挂职副职",
    "education": "支教教师",
    "medical": "支医（临床科室）",
    "agriculture": "农业技术指导",
    "science": "科技特派员",
    "other": "专业技术人员",
}


_POSTING_YEAR_WEIGHT = {2017: 0.6, 2018: 0.8, 2019: 1.0, 2020: 0.9, 2021: 1.6}


def _rounds(ctx, kind, n):
    """[(start, end)] of one person's `n` postings, one after another. The first starts in
    2017–2021 (the persons are the report's cumulative figure at the end of 2021), weighted to
    the later years as the programme grew (2020 had the epidemic); every round starts by the
    report's time of writing, so a person who comes back more often started earlier."""
    rng = ctx.rng
    if kind == "cadre":
        months = [rng.randint(12, 24) if n == 1 else rng.randint(6, 12) for _ in range(n)]
    else:
        months = [rng.choice([3, 4, 6, 6, 12] if n == 1 else [3, 4, 6]) for _ in range(n)]
    gaps = [rng.randint(20, 120) for _ in range(n - 1)]
    before_last = sum(m * 30 for m in months[:-1]) + sum(gaps)
    latest = min(datetime.date(2021, 12, 31), LAST_DAY - datetime.timedelta(days=before_last))
    years = [y for y in range(ctx.partnership.since_year, latest.year + 1)]
    if not years:  # more rounds than the years can hold (synthetic plans only): back to back
        years, gaps = [ctx.partnership.since_year], [1] * (n - 1)
    year = rng.choices(years, [_POSTING_YEAR_WEIGHT.get(y, 1) for y in years])[0]
    start = random_day(rng, year, [2, 3, 4, 8, 9])
    start = min(start, latest) if latest.year >= ctx.partnership.since_year else start
    rounds = []
    for i, m in enumerate(months):
        end = start + datetime.timedelta(days=m * 30 - 1)
        rounds.append((start, end))
        if i < n - 1:
            start = end + datetime.timedelta(days=gaps[i])
    return rounds


def _position(category, host):
    if category != "cadre":
        return _POSITIONS[category]
    if host.kind == Organisation.Kind.TOWN:
        return f"挂职{host.name.removesuffix('人民政府')}党委副书记、副镇长"
    return f"挂职{host.name}副局长"


def _unit(ctx, side, category):
    """The home or host unit of a posting on `side`: a department, town, school or clinic."""
    rng = ctx.rng
    county = ctx.east if side == "east" else ctx.west
    towns = ctx.east_towns if side == "east" else ctx.west_towns
    county_name = county.name
    if category == "education" and rng.random() < 0.7:
        town = rng.choice(towns)
        return ctx.org(f"{town.name}中心{'小学' if side == 'east' else '学校'}", "school", town)
    if category == "medical" and rng.random() < 0.7:
        town = rng.choice(towns)
        return ctx.org(f"{town.name}卫生院", "hospital", town)
    if category == "cadre" and rng.random() < 0.3:
        return ctx.town_org(rng.choice(towns))
    dept = rng.choice(_DEPARTMENTS[category])
    return ctx.org(f"{county_name}{dept}", "government", county)


def _category(ctx, direction, kind):
    if kind == "cadre":
        return "cadre"
    cats, weights = zip(*_PRO_CATEGORIES[direction], strict=True)
    return ctx.rng.choices(cats, weights)[0]


def _story_postings(ctx):
    """郭志平 and 陈建国 (e2w professionals; their names are public in the report)."""
    if not ctx.story:
        return []
    guo = Posting(
        person_name="郭志平",
        category="agriculture",
        home_org=ctx.org("武进区农业农村局", "government", ctx.east),
        host_org=ctx.village_org(Region.objects.get(code="610902115208")),  # 大河镇小河村
        position="畜牧技术帮扶（富硒跑山黑猪）",
        start_date=day("2021-04-12"),
        end_date=day("2022-04-11"),  # "期1年"
        note="报道：帮助大河镇小河村黑猪肉销往常州，研究“富硒跑山黑猪屠宰、分割、管护流程”和陕南白山羊兴牧富民。",
    )
    chen = Posting(
        person_name="陈建国",
        category="education",
        home_org=ctx.org("武进区礼河实验学校", "school", ctx.east),
        host_org=ctx.org("汉滨区鼓楼小学", "school", "610902001"),
        position="支教教师（派出单位副校长）；监督安康武进希望小学宿舍楼项目施工",
        start_date=day("2021-03-01"),
        end_date=day("2022-01-14"),
        note="报道：在鼓楼小学与瀛湖镇安康武进希望小学之间往返4个月，监督宿舍楼和塑胶操场施工。",
    )
    return [guo, chen]


def postings(ctx):
    rng, plan = ctx.rng, ctx.plan
    objs = []
    used_names = set()
    for (direction, kind), persons in plan.posting_persons.items():
        times = plan.posting_times[(direction, kind)]
        home_side, host_side = ("east", "west") if direction == "e2w" else ("west", "east")
        story = [p for p in _story_postings(ctx) if direction == "e2w" and kind == "professional"]
        # Postings per person: 1, a few come back once or twice (times − persons repeats).
        rounds = [1] * persons
        others = persons - len(story)
        for i in range(times - persons):  # spread the repeats over people, not the story's
            rounds[len(story) + (i * 7) % others] += 1
        for i, n in enumerate(rounds):
            if i < len(story):
                s = story[i]
                s.partnership, s.direction = ctx.partnership, direction
                objs.append(s)
                continue
            name = make_name(rng)
            while name in used_names:
                name = make_name(rng)
            used_names.add(name)
            category = _category(ctx, direction, kind)
            home = _unit(ctx, home_side, category)
            for start, end in _rounds(ctx, kind, n):
                host = _unit(ctx, host_side, category)
                objs.append(
                    Posting(
                        partnership=ctx.partnership,
                        person_name=name,
                        direction=direction,
                        category=category,
                        home_org=home,
                        host_org=host,
                        position=_position(category, host),
                        planned_start=start,
                        planned_end=end,
                        start_date=start,
                        end_date=end,
                    )
                )
    _bulk(Posting, objs)


# --- Visits (互访考察) ------------------------------------------------------------------------


def visits(ctx):
    rng, plan = ctx.rng, ctx.plan
    east, west = ctx.east.name, ctx.west.name
    objs = []
    for year, (e2w, w2e) in plan.visits_per_year.items():
        months = range(1, 5) if year == 2022 else range(3, 12)
        for _ in range(e2w):
            objs.append(
                Visit(
                    date=random_day(rng, year, months),
                    direction="e2w",
                    leader=f"{east}党政主要领导",
                    people=rng.randint(8, 30),
                    purpose=rng.choice(
                        ["考察调研对口协作项目", "召开对口协作联席会议", "走访结对帮扶村"]
                    ),
                )
            )
        for _ in range(w2e):
            objs.append(
                Visit(
                    date=random_day(rng, year, months),
                    direction="w2e",
                    leader=f"{west}党政主要领导",
                    people=rng.randint(8, 25),
                    purpose=rng.choice(["学习考察", "劳务协作对接", "招商推介"]),
                )
            )
    if ctx.story:
        objs.append(
            Visit(
                date=day("2021-05-26"),
                direction="w2e",
                leader="范传斌",
                leader_title="汉滨区委书记",
                people=18,
                purpose="带领党政代表团到武进开展对口协作交流",
            )
        )
        objs.append(
            Visit(
                date=day("2021-09-15"),
                direction="e2w",
                leader=f"{east}党政主要领导",
                people=22,
                purpose="2021年苏陕协作工作联席会议；武进区与汉滨区对口协作座谈会",
            )
        )
    # "吸引13批50余家企业先后来汉滨实地考察": investment-promotion visits, 2019–2021.
    firms = split_int(plan.visit_enterprises, plan.visits_with_enterprises, rng, 1)
    for n in firms:
        objs.append(
            Visit(
                date=random_day(rng, rng.choice([2019, 2020, 2021, 2021]), range(3, 12)),
                direction="e2w",
                leader=f"{east}商务局负责同志",
                people=n * 2 + rng.randint(2, 5),
                enterprises=n,
                purpose="组织企业来汉滨实地考察投资环境",
            )
        )
    for v in objs:
        v.partnership = ctx.partnership
    _bulk(Visit, objs)


# --- Projects (协作资金项目) ------------------------------------------------------------------

_PROJECT_NAMES = {
    "industry": [
        "富硒茶园提质增效",
        "魔芋种植基地",
        "食用菌大棚",
        "中药材种植基地",
        "生猪养殖场",
        "蔬菜大棚",
        "林下养鸡",
        "富硒茶加工厂房",
    ],
    "infrastructure": ["产业路硬化", "安全饮水巩固提升", "便民桥", "人居环境整治"],
    "education": ["学校教学楼改造", "幼儿园扩建"],
    "health": ["卫生院设备购置", "村卫生室标准化建设"],
    "employment": ["劳务工作站建设", "就业帮扶基地"],
    "consumption": ["农产品仓储冷链", "电商服务站"],
    "factory": ["新社区工厂厂房建设"],
    "other": ["乡村振兴示范村建设"],
}
_CATEGORY_WEIGHTS = [
    ("industry", 40),
    ("infrastructure", 20),
    ("education", 8),
    ("health", 6),
    ("employment", 8),
    ("consumption", 4),
    ("factory", 10),
    ("other", 4),
]

# Towns kept for a named project in its year, so that narrowing a figure to the town
# shows the report's number (the tests do this): 建民街道 (忠诚村) in 2021, 石梯镇 in 2022.
_RESERVED_TOWNS = {2021: {"610902004"}, 2022: {"610902124"}}


def _story_projects(ctx, year):
    if not ctx.story:
        return []
    if year == 2022:
        return [
            Project(
                name="石梯镇青套村碧根果种植示范园",
                category="industry",
                village_id="610902124222",
                town_id="610902124",
                status="building",
                aid_funds=Decimal("300.00"),
                local_funds=Decimal("60.00"),
                beneficiaries=420,
                beneficiaries_poverty_exited=186,
                start_date=day("2022-03-10"),
                description="新栽碧根果树，建立碧根果项目示范园，群众就近就业增收。",
            )
        ]
    if year != 2021:
        return []
    return [
        Project(
            name="忠诚现代农业园区蔬菜育苗中心",
            category="industry",
            village_id="610902004213",  # 建民街道忠诚村
            town_id="610902004",
            implementing_org=ctx.org("忠诚现代农业园区", "enterprise", "610902004213"),
            status="operating",
            aid_funds=Decimal("620.00"),
            local_funds=Decimal("180.00"),
            beneficiaries=3150,
            # "园区累计带动脱贫户1800余人": the demo's 1,826.
            beneficiaries_poverty_exited=F.SEEDLING_POVERTY_EXITED,
            start_date=day("2021-03-01"),
            end_date=day("2021-10-30"),
            description="建成20个蔬菜育苗中心，“龙头企业+合作社+农户”带动脱贫户增收。",
        ),
        Project(
            name="德润天然富硒茶绿茶红茶生产线",
            category="industry",
            town_id="610902130",  # 晏坝镇
            implementing_org=ctx.org("德润天然富硒茶有限公司", "enterprise", "610902130"),
            status="operating",
            aid_funds=Decimal("380.00"),
            other_funds=Decimal("520.00"),
            beneficiaries=680,
            beneficiaries_poverty_exited=290,
            start_date=day("2021-03-15"),
            end_date=day("2021-09-30"),
            description="建成高标准绿茶红茶生产线。",
        ),
        Project(
            name="龙王泉富硒矿泉水年产30万吨包装饮用水生产车间",
            category="industry",
            # The report does not say where the plant is: no town (shown as unplaced).
            implementing_org=ctx.org("龙王泉富硒矿泉水有限公司", "enterprise", ctx.west),
            status="operating",
            aid_funds=Decimal("450.00"),
            other_funds=Decimal("2600.00"),
            beneficiaries=260,
            beneficiaries_poverty_exited=110,
            start_date=day("2021-02-20"),
            end_date=day("2021-11-20"),
            description="年产30万吨包装饮用水生产车间建成投产。",
        ),
        Project(
            name="安康武进希望小学宿舍楼及塑胶操场",
            category="education",
            town_id="610902102",  # 瀛湖镇
            implementing_org=ctx.org("安康武进希望小学", "school", "610902102"),
            status="completed",
            aid_funds=Decimal("520.00"),
            local_funds=Decimal("80.00"),
            beneficiaries=860,
            beneficiaries_poverty_exited=240,
            start_date=day("2021-03-20"),
            end_date=day("2021-12-25"),
            description="宿舍楼开工建设到主体完工、内部装修、设备安装，塑胶操场全面完工。",
        ),
        Project(
            name="五里镇幼儿园扩建",
            category="education",
            town_id="610902104",
            status="completed",
            aid_funds=Decimal("260.00"),
            local_funds=Decimal("40.00"),
            beneficiaries=320,
            beneficiaries_poverty_exited=85,
            start_date=day("2021-04-10"),
            end_date=day("2021-08-25"),
        ),
        Project(
            name="县河镇毛绒玩具新社区工厂厂房",
            category="factory",
            town_id="610902120",
            village_id="610902120002",  # 县河社区
            status="operating",
            aid_funds=Decimal("150.00"),
            local_funds=Decimal("30.00"),
            beneficiaries=120,
            beneficiaries_poverty_exited=60,
            start_date=day("2021-03-01"),
            end_date=day("2021-06-10"),
            description="安康新伟泰玩具(汉升)分厂厂房，搬迁群众家门口就业。",
        ),
    ]


def funded_projects(ctx):
    rng, plan = ctx.rng, ctx.plan
    cats, weights = zip(*_CATEGORY_WEIGHTS, strict=True)
    objs = []
    for year, total in plan.aid_per_year.items():
        story = _story_projects(ctx, year)
        n = plan.projects_per_year[year] - len(story)
        rest = total - sum(p.aid_funds for p in story)
        towns = [t for t in ctx.west_towns if t.code not in _RESERVED_TOWNS.get(year, ())]
        amounts = split_money(rest, n, rng, Decimal("20"), spread=0.8)
        names = {p.name for p in story}
        for amount in amounts:
            category = rng.choices(cats, weights)[0]
            town = rng.choice(towns)
            village = ctx.west_village(town) if rng.random() < 0.5 else None
            place = f"{town.name}{village_name(village) if village else ''}"
            name = f"{place}{rng.choice(_PROJECT_NAMES[category])}"
            while name in names:
                name += "（二期）"
            names.add(name)
            start = random_day(rng, year, range(3, 5) if year == 2022 else range(3, 10))
            done = year < 2021 or (year == 2021 and rng.random() < 0.7)
            beneficiaries = int(amount * rng.randint(3, 12))
            objs.append(
                Project(
                    fund_year=year,
                    name=name,
                    category=category,
                    town=town,
                    village=village,
                    implementing_org=ctx.town_org(town),
                    status=(
                        ("operating" if category in ("industry", "factory") else "completed")
                        if done
                        else ("building" if year == 2021 or rng.random() < 0.6 else "planned")
                    ),
                    aid_funds=amount,
                    local_funds=(amount * Decimal(rng.choice(["0", "0.1", "0.2", "0.3"]))).quantize(
                        Decimal("0.01")
                    ),
                    beneficiaries=beneficiaries,
                    beneficiaries_poverty_exited=int(beneficiaries * rng.uniform(0.3, 0.6)),
                    start_date=start if year < 2022 or start <= LAST_DAY else None,
                    end_date=start + datetime.timedelta(days=rng.randint(90, 270))
                    if done
                    else None,
                )
            )
        # One project a year (from 2019) was cancelled and its funds moved to the others:
        # it is recorded with no aid funds left, so it changes no total.
        if year >= 2019:
            town = rng.choice(towns)
            objs.append(
                Project(
                    fund_year=year,
                    name=f"{town.name}{rng.choice(_PROJECT_NAMES['industry'])}（已调整）",
                    category="industry",
                    town=town,
                    status="cancelled",
                    description="选址不具备条件，资金调整至其他项目。",
                )
            )
        for p in story:
            p.fund_year = year
            objs.append(p)
    for p in objs:
        p.partnership = ctx.partnership
    _bulk(Project, objs)
    if ctx.story:
        pecan = next(p for p in objs if p.name == "石梯镇青套村碧根果种植示范园")
        ProjectProgress.objects.bulk_create(
            [
                ProjectProgress(
                    project=pecan, date=day("2022-03-10"), text="开工，平整土地", percent_complete=5
                ),
                ProjectProgress(
                    project=pecan,
                    date=day("2022-04-08"),
                    text="20多名工人挖坑、施肥、栽树、浇水，新栽碧根果树",
                    percent_complete=35,
                ),
            ]
        )
    return objs


# --- Community factories (新社区工厂) ----------------------------------------------------------

_FACTORY_INDUSTRIES = [
    "毛绒玩具",
    "电子线束",
    "服装加工",
    "手套加工",
    "假发制品",
    "鞋帽",
    "箱包",
    "电绣文创",
]


def factories(ctx, projects):
    rng, plan = ctx.rng, ctx.plan
    communities = [
        v for vs in ctx.west_villages.values() for v in vs if v.short_name.endswith("社区")
    ]
    n = sum(plan.factories_per_year.values())
    story = []
    if ctx.story:
        story.append(
            CommunityFactory(
                name="安康新伟泰玩具(汉升)分厂",
                industry="毛绒玩具",
                town_id="610902120",
                village_id="610902120002",  # 县河社区
                opened_on=day("2021-06-18"),
                jobs=120,
                poverty_exited_jobs=58,
                project=next(p for p in projects if p.name == "县河镇毛绒玩具新社区工厂厂房"),
            )
        )
    jobs = split_int(plan.factory_jobs - sum(f.jobs for f in story), n - len(story), rng, 15, 0.8)
    factory_projects = defaultdict(list)
    for p in projects:
        if p.category == "factory" and p.status != "cancelled" and p.town_id:
            factory_projects[p.town_id].append(p)
    objs, names = list(story), {f.name for f in story}
    opened = [y for y, c in sorted(plan.factories_per_year.items()) for _ in range(c)]
    for year, staff in zip(opened[len(story) :], jobs, strict=True):
        if communities:
            village = rng.choice(communities)
            town, place = village.parent, village_name(village)
        else:
            village, town = None, rng.choice(ctx.west_towns)
            place = town.name
        industry = rng.choice(_FACTORY_INDUSTRIES)
        name = f"{place}{industry}新社区工厂"
        k = 2
        while name in names:
            name, k = f"{place}{industry}新社区工厂（{k}号）", k + 1
        names.add(name)
        candidates = [p for p in factory_projects.get(town.code, []) if p.fund_year <= year]
        objs.append(
            CommunityFactory(
                name=name,
                industry=industry,
                town=town,
                village=village,
                opened_on=random_day(rng, year, range(2, 12)),
                jobs=staff,
                poverty_exited_jobs=int(staff * rng.uniform(0.3, 0.6)),
                project=candidates.pop() if candidates else None,
            )
        )
    for f in objs:
        f.partnership = ctx.partnership
    ctx.factories = _bulk(CommunityFactory, objs)


# --- Investments (招商引资) -------------------------------------------------------------------


def _story_investments():
    """The five settled since 2021; arrived 32,000 + 2,600 + 2,139 + 1,000 + 14,000 = 51,739."""
    return [
        Investment(
            enterprise="新城地产",
            project_name="吾悦广场二期",
            industry="商业综合体",
            signed_on=day("2021-03-18"),
            agreed=Decimal("60000"),
            arrived=Decimal("32000"),
            jobs=1200,
            note="地点报道未载明。",
        ),
        Investment(
            enterprise="星庐茶业",
            industry="茶叶",
            signed_on=day("2021-05-12"),
            agreed=Decimal("3000"),
            arrived=Decimal("2600"),
            jobs=120,
        ),
        Investment(
            enterprise="台升祥",
            signed_on=day("2021-06-23"),
            agreed=Decimal("2500"),
            arrived=Decimal("2139"),
            jobs=150,
            note="行业与地点报道未载明。",
        ),
        Investment(
            enterprise="苏陕文创电绣",
            industry="文创电绣",
            signed_on=day("2021-08-06"),
            agreed=Decimal("1200"),
            arrived=Decimal("1000"),
            jobs=200,
        ),
        Investment(
            enterprise="江苏立华牧业",
            project_name="出栏10万头生猪养殖项目",
            industry="生猪养殖",
            # 关山镇 is not in 汉滨区's code list (关庙镇 and 关家镇 are): kept as written.
            place_text=F.PIG_FARM_PLACE,
            signed_on=day("2021-10-15"),
            agreed=F.PIG_FARM_AGREED,
            arrived=Decimal("14000"),  # in construction in 2022: part of the 4.6 亿元 arrived
            jobs=150,
            land_mu=F.PIG_FARM_LAND_MU,
            note="位于关山镇魏埭村南侧，规划用地350亩，总投资4.6亿元，总建筑面积10万平方米。",
        ),
    ]


def investments(ctx):
    rng = ctx.rng
    objs = _story_investments() if ctx.story else []
    trades = ["农产品加工", "电子元件", "纺织服装", "新材料", "文化旅游", "富硒食品"]
    for year, count in ctx.plan.investments_per_year.items():
        for i in range(count):
            trade = rng.choice(trades)
            agreed = Decimal(rng.randint(8, 120) * 100)
            objs.append(
                Investment(
                    enterprise=f"{ctx.east.name}某{trade}企业（{year}-{i + 1}）",
                    industry=trade,
                    town=rng.choice(ctx.west_towns),
                    signed_on=random_day(rng, year, range(3, 12)),
                    agreed=agreed,
                    arrived=(agreed * Decimal(rng.choice(["0.6", "0.8", "1"]))).quantize(
                        Decimal("1")
                    ),
                    jobs=rng.randint(20, 300),
                )
            )
    if not ctx.story:  # synthetic partnerships settle a few enterprises in 2021 too
        for i in range(max(1, round(5 * len(objs) / 8))):
            agreed = Decimal(rng.randint(10, 400) * 100)
            objs.append(
                Investment(
                    enterprise=f"{ctx.east.name}某企业（2021-{i + 1}）",
                    town=rng.choice(ctx.west_towns),
                    signed_on=random_day(rng, 2021, range(2, 12)),
                    agreed=agreed,
                    arrived=(agreed * Decimal("0.7")).quantize(Decimal("1")),
                    jobs=rng.randint(20, 300),
                )
            )
    for obj in objs:
        obj.partnership = ctx.partnership
    _bulk(Investment, objs)


# --- Consumption assistance (消费帮扶) --------------------------------------------------------

_CHANNEL_WEIGHTS = [("counter", 30), ("832", 20), ("ecommerce", 20), ("canteen", 22), ("other", 8)]
_CERTIFIED_SHARE = {  # share of certified products by channel (832 sells only certified ones)
    "counter": (0.5, 0.9),
    "832": (1.0, 1.0),
    "ecommerce": (0.4, 0.8),
    "canteen": (0.5, 0.9),
    "other": (0.2, 0.6),
}
_PRODUCTS = {
    "tea": ["陕茶一号", "京康茶叶", "富硒绿茶"],
    "meat": ["富硒跑山黑猪肉", "腊肉"],
    "grain_oil": ["富硒大米", "菜籽油"],
    "fruit_veg": ["魔芋", "蔬菜", "拐枣"],
    "drinks": ["龙王泉富硒水"],
    "processed": ["瀛天核桃", "香菇木耳"],
    "handicraft": ["手工刺绣"],
}
_BUYERS = ["武进区机关食堂", "武进区扶贫产品专柜", "常州市民（线上）", "武进区企业工会"]


def sales(ctx):
    rng, objs = ctx.rng, []
    channels, cweights = zip(*_CHANNEL_WEIGHTS, strict=True)
    categories = list(_PRODUCTS)
    for year, (amount, certified) in ctx.plan.sales_per_year.items():
        months = range(1, 5) if year == 2022 else range(1, 13)
        rows = []  # (month, channel, category, fixed amount or None)
        for month in months:
            for channel in channels:
                for category in rng.sample(categories, rng.randint(1, 3)):
                    rows.append((month, channel, category))
        story = []
        if ctx.story and year == 2021:
            # "去年年底…大河镇小河村的黑猪肉销售得很好，深受常州市民的欢迎"
            story.append(
                ConsumptionSale(
                    month=12,
                    channel="counter",
                    product_category="meat",
                    seller="大河镇小河村黑猪养殖合作社",
                    buyer="常州市民（武进扶贫产品专柜）",
                    town_id="610902115",
                    village_id="610902115208",
                    amount=Decimal("86.40"),
                    certified_amount=Decimal("60.00"),
                    note="富硒跑山黑猪肉",
                )
            )
        rest = amount - sum(s.amount for s in story)
        rest_certified = certified - sum(s.certified_amount for s in story)
        # Seasonal: more before the Spring Festival and in the autumn buying campaigns.
        weights = [1.6 if m in (1, 12) else 1.2 if m in (9, 10, 11) else 1.0 for m, _, _ in rows]
        amounts = [
            a * Decimal(str(w))
            for a, w in zip(split_money(rest, len(rows), rng), weights, strict=True)
        ]
        scale = rest / sum(amounts)
        amounts = [(a * scale).quantize(Decimal("0.01")) for a in amounts]
        amounts[-1] += rest - sum(amounts)  # exact to the cent
        caps = []
        for (_, channel, _), a in zip(rows, amounts, strict=True):
            low, high = _CERTIFIED_SHARE[channel]
            caps.append((a * Decimal(str(rng.uniform(low, high)))).quantize(Decimal("0.01")))
        if sum(caps) < rest_certified:
            caps = amounts
        certified_parts = split_within(rest_certified, caps, rng, 0.9, 1.0)
        for (month, channel, category), a, c in zip(rows, amounts, certified_parts, strict=True):
            town = rng.choice(ctx.west_towns) if rng.random() < 0.6 else None
            objs.append(
                ConsumptionSale(
                    year=year,
                    month=month,
                    channel=channel,
                    product_category=category,
                    seller=rng.choice(_PRODUCTS[category]),
                    buyer=rng.choice(_BUYERS),
                    town=town,
                    amount=a,
                    certified_amount=c,
                )
            )
        for s in story:
            s.year = year
            objs.append(s)
    for s in objs:
        s.partnership = ctx.partnership
    _bulk(ConsumptionSale, objs, history=False)


# --- Donations (社会帮扶) ---------------------------------------------------------------------


def donations(ctx):
    rng, objs = ctx.rng, []
    east = ctx.east.name
    for year in range(ctx.partnership.since_year, 2023):
        if year == 2021:
            continue  # 2021's cash donation is the report's scholarship (below)
        schools = [f"{t.name}中心学校" for t in ctx.west_towns[:8]]
        if ctx.story:  # "从1998年8月建校以来，来自江苏的一笔笔善款不断汇入学校"
            schools = ["安康武进希望小学"]
        objs.append(
            Donation(
                donor=f"{east}爱心企业（汇总）",
                recipient=rng.choice(schools),
                date=random_day(rng, year, range(1, 5) if year == 2022 else range(5, 12)),
                cash=Decimal(rng.randint(10, 80)),
                in_kind=Decimal(rng.randint(0, 30)),
                purpose="助学、助医",
            )
        )
    objs.append(
        Donation(
            donor=f"{east}社会组织（汇总）",
            recipient=f"{ctx.west.name}民政局",
            date=day("2021-12-20"),
            in_kind=Decimal("36.50"),
            purpose="冬季慰问物资",
        )
    )
    if ctx.story:
        donor = ctx.org("常州华森医疗器械有限公司", "enterprise", ctx.east)
        objs.append(
            Donation(
                donor=donor.name,
                donor_org=donor,
                recipient="汉滨区教体局",
                date=day("2021-09-01"),  # the report gives no date: the school year's start
                cash=F.SCHOLARSHIP,
                purpose="助学金，激励汉滨学子勤奋学习、立志成才",
            )
        )
    else:
        objs.append(
            Donation(
                donor=f"{east}某企业",
                recipient=f"{ctx.west.name}教育局",
                date=day("2021-09-01"),
                cash=Decimal(rng.randint(20, 150)),
                purpose="助学金",
            )
        )
    for o in objs:
        o.partnership = ctx.partnership
    _bulk(Donation, objs)


# --- Job fairs and training (招聘会、培训) ----------------------------------------------------


def job_fairs(ctx):
    rng, objs, targets = ctx.rng, [], []
    for year, fairs in ctx.plan.fairs.items():
        for i, fair in enumerate(fairs, 1):
            town = rng.choice(ctx.west_towns)
            stable = fair.stable
            if stable is None:  # years the report says nothing of: about 70% stay
                stable = round(fair.hired * rng.uniform(0.6, 0.8))
            objs.append(
                JobFair(
                    partnership=ctx.partnership,
                    name=f"{year}年苏陕协作专场招聘会（第{i}场）",
                    date=fair.date,
                    place=f"{town.name}",
                    town=town,
                    organiser=f"{ctx.west.name}人力资源和社会保障局、{ctx.east.name}人力资源和社会保障局",
                    employers=rng.randint(40, 120),
                    jobs_offered=fair.jobs,
                    intentions=fair.intentions,
                    hired=fair.hired,
                    stable=stable,
                )
            )
            targets.append((year, stable))
    objs = _bulk(JobFair, objs)
    for fair, (year, stable) in zip(objs, targets, strict=True):
        ctx.fairs.setdefault(year, []).append((fair, stable))


def courses(ctx):
    rng, objs = ctx.rng, []
    west = ctx.west.name
    if ctx.story:
        # "去年4月…签约合作，举办高级研修班，全年举办5期，培训98人次"
        for i, (n, month) in enumerate(
            zip(F.ADVANCED_COURSES_2021, [4, 6, 7, 9, 11], strict=True), 1
        ):
            start = datetime.date(2021, month, 12)
            objs.append(
                TrainingCourse(
                    name=f"“苏陕协作”武进·汉滨康华峻源高级研修班（第{i}期）",
                    kind="advanced",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=14),
                    organiser="江苏省技能人才服务产业园康华峻源培训基地、安康环博职业技能培训学校",
                    trainees=n,
                    certified=n - rng.randint(0, 2),
                    employed_after=n - rng.randint(2, 5),
                )
            )
        # "举办其他苏陕协作培训班2期，参加培训共62人": both held in 恒口镇 (no other course
        # there in 2021), so the town's figure is the report's.
        for name, n, start in zip(
            ["苏陕协作电子装配技能培训班", "苏陕协作家政服务技能培训班"],
            F.OTHER_COURSES_2021,
            [day("2021-05-17"), day("2021-10-11")],
            strict=True,
        ):
            objs.append(
                TrainingCourse(
                    name=name,
                    kind="skills",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=10),
                    organiser=f"{west}人力资源和社会保障局",
                    town_id="610902107",  # 恒口镇
                    trainees=n,
                    certified=n - 3,
                    employed_after=n // 2,
                )
            )
        # "互联网营销师…从2021年8月起，已经陆续培训400余人…推荐江苏及本地就业达30%以上"
        for i, (start, n, employed) in enumerate(F.ECOMMERCE_COURSES, 1):
            start = day(start)
            objs.append(
                TrainingCourse(
                    name=f"互联网营销师培训班（第{i}期）",
                    kind="ecommerce",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=12),
                    organiser="安康康华峻源人力资源服务有限公司",
                    trainees=n,
                    certified=n - rng.randint(1, 4),
                    employed_after=employed,
                )
            )
    else:
        for i in range(max(1, round(len(ctx.plan.fairs.get(2021, [])) * 1.5))):
            n = rng.randint(15, 25)
            objs.append(
                TrainingCourse(
                    name=f"苏陕协作高级研修班（第{i + 1}期）",
                    kind="advanced",
                    start_date=random_day(rng, 2021, range(3, 12)),
                    trainees=n,
                    certified=n - 1,
                    employed_after=n // 2,
                )
            )
    for year, sizes in ctx.plan.skills_courses.items():
        for i, n in enumerate(sizes, 1):
            start = random_day(rng, year, range(1, 5) if year == 2022 else range(3, 12))
            town = rng.choice([t for t in ctx.west_towns if t.code != "610902107"])
            objs.append(
                TrainingCourse(
                    name=f"{year}年{town.name}职业技能培训班（第{i}期）",
                    kind="skills",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=10),
                    organiser=f"{west}人力资源和社会保障局",
                    town=town,
                    trainees=n,
                    certified=n - rng.randint(0, 5),
                    employed_after=n // 2,
                )
            )
    for c in objs:
        c.partnership = ctx.partnership
    _bulk(TrainingCourse, objs)


# --- Workers and employments (务工人员、就业) -------------------------------------------------

_EAST_EMPLOYERS = ["电子", "纺织", "机械", "汽车零部件", "光伏", "物流", "食品"]
_EAST_JOBS = ["电子装配工", "纺织挡车工", "机械操作工", "质检员", "仓储物流", "普工"]
_LOCAL_JOBS = ["缝制工", "建筑工", "保洁", "餐饮服务", "茶叶采制", "种植养殖"]
_REPORT_AGENCIES = ["常州联锐企业管理有限公司（劳务派遣）", "江苏峻源人力资源有限公司（劳务派遣）"]
_OTHER_PROVINCES = [
    "330782",
    "440306",
    "440307",
    "330206",
    "350212",
]  # 义乌, 宝安, 龙岗, 北仑, 同安


@dataclass
class Slot:
    """One worker to create: side, channel, fair and whether the fair counts him stable."""

    east: bool
    channel: str
    fair: object = None
    stable: bool | None = None
    story: dict | None = None


def _story_workers(ctx):
    """Workers the report tells of, under pseudonyms (their real names are not used)."""
    if not ctx.story:
        return []
    return [
        # 韩廷勤 in the report: 大河镇堰湾村, 脱贫户, 50 in 2022, trained, then an electronics
        # factory in Wujin at about 5,000 元 a month.
        Slot(
            True,
            "organised",
            story=dict(
                name="韩秀兰",
                female=True,
                born=day("1972-03-16"),
                village="610902115225",
                household="exited",
                start=day("2021-04-06"),
                employer=f"{ctx.east.name}某电子企业",
                job="电子装配工",
                wage=Decimal("5000"),
                destination="320412400",  # 武进经济开发区
                note="化名：报道中大河镇堰湾村的脱贫户，经培训到武进的电子厂就业，月薪5000元左右。",
            ),
        ),
        # 王开菊 in the report: 县河镇 community, works at the toy factory at her door.
        Slot(
            False,
            "factory",
            story=dict(
                name="王秀芬",
                female=True,
                born=day("1986-08-09"),
                village="610902120002",
                household="ordinary",
                start=day("2021-06-21"),
                employer="安康新伟泰玩具(汉升)分厂",
                job="毛绒玩具缝制工",
                wage=Decimal("2600"),
                destination="610902120",
                note="化名：报道中县河镇社区居民，在家门口的社区工厂上班。",
            ),
        ),
        # 罗尚丹 in the report: 脱贫户 working at 忠诚现代农业园区.
        Slot(
            False,
            "station",
            story=dict(
                name="罗丽华",
                female=True,
                born=day("1979-11-02"),
                village="610902004213",
                household="exited",
                start=day("2021-03-01"),
                employer="忠诚现代农业园区",
                job="种植养殖",
                wage=Decimal("2800"),
                destination="610902004",
                note="化名：报道中忠诚现代农业园区的脱贫户，土地租金加工资、分红。",
            ),
        ),
    ]


def _slots(ctx, year, total, east):
    """`total` workers transferred in `year`, `east` of them to the eastern province."""
    rng = ctx.rng
    story = _story_workers(ctx) if year == F.REPORT_YEAR else []
    fair_slots = []
    for fair, stable in ctx.fairs.get(year, []):
        # as many hires as the fair's ledger says, `stable` of them staying 90 days or more
        fair_slots += [Slot(True, "job_fair", fair, i < stable) for i in range(fair.hired)]
    rng.shuffle(fair_slots)
    story_east = sum(s.east for s in story)
    fair_east = min(round(len(fair_slots) * 0.85), east - story_east)
    for i, slot in enumerate(fair_slots):
        slot.east = i < fair_east
    others = total - len(story) - len(fair_slots)
    other_east = east - story_east - fair_east
    if others < 0 or other_east < 0 or other_east > others:
        raise ValueError(f"inconsistent labour plan for {year}")
    channels = ["organised", "station", "self", "factory", "other"]
    rest = []
    for i in range(others):
        is_east = i < other_east
        channel = rng.choice(channels[:3] if is_east else channels)
        rest.append(Slot(is_east, channel))
    return story + fair_slots + rest


def _spell_dates(ctx, year, slot):
    """(start, end) of the first spell. Fair hires start 3–25 days after the fair; those the
    fair counts as stable stay 100+ days, the others leave within 76 days (stable needs 90)."""
    rng = ctx.rng
    if slot.fair is not None:
        start = slot.fair.date + datetime.timedelta(days=rng.randint(3, 25))
        if slot.stable:
            end = start + datetime.timedelta(rng.randint(100, 800))
        else:
            end = start + datetime.timedelta(days=rng.randint(14, 75))
        return start, end
    months = [1, 2, 3, 4] if year == 2022 else [2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11]
    start = random_day(rng, year, months)
    start = min(start, LAST_DAY)
    end = start + datetime.timedelta(days=rng.randint(30, 900))
    return start, end


def _destination(ctx, east, jiangsu_towns, local_towns):
    rng = ctx.rng
    if east:
        return rng.choice(jiangsu_towns)
    r = rng.random()
    if r < 0.75:
        return rng.choice(local_towns)
    if r < 0.85:
        return ctx.west.code
    return rng.choice(_OTHER_PROVINCES)


def workers(ctx):
    from labor.services import rebuild_worker_years

    rng, p = ctx.rng, ctx.partnership
    east_province = p.east_region_id[:2]
    own = [t.code for t in ctx.east_towns]
    # Most go to the paired county; some to its neighbours in the same city ("武进区、金坛区等地").
    city_towns = list(
        Region.objects.filter(level=Region.Level.TOWN, code__startswith=p.east_region_id[:4])
        .exclude(code__startswith=p.east_region_id)
        .values_list("code", flat=True)
    )
    jiangsu_towns = own * 4 + city_towns or own
    local_towns = [t.code for t in ctx.west_towns]
    ids = IdNumbers(p.west_region_id)
    ids.taken.update(
        Worker.objects.filter(id_number__regex=rf"^({'|'.join(ids.area_codes)})").values_list(
            "id_number", flat=True
        )
    )
    worker_objs, spells = [], []  # spells: (worker index, Employment)
    for year, (total, east) in ctx.plan.transfers.items():
        for slot in _slots(ctx, year, total, east):
            s = slot.story
            female = s["female"] if s else rng.random() < 0.42
            born = s["born"] if s else birth_date(rng, year - 58, year - 18)
            village = Region(code=s["village"]) if s else ctx.west_village()
            town_code = village.code[:9] if village else rng.choice(local_towns)
            number = ids.make(rng, born, female)
            worker_objs.append(
                Worker(
                    partnership=p,
                    name=s["name"] if s else make_name(rng, female),
                    id_number=number,
                    gender="F" if female else "M",
                    birth_date=born,
                    home_town_id=town_code,
                    home_village_id=village.code if village else None,
                    household=s["household"]
                    if s
                    else rng.choices(["exited", "monitored", "ordinary"], [55, 6, 39])[0],
                    note=s["note"] if s else "",
                )
            )
            index = len(worker_objs) - 1
            if s:
                start, end = s["start"], LEDGER_END
                dest, employer, job, wage = s["destination"], s["employer"], s["job"], s["wage"]
            else:
                start, end = _spell_dates(ctx, year, slot)
                employer, job, wage, dest = _job(ctx, slot, jiangsu_towns, local_towns)
            spells.append(
                (
                    index,
                    Employment(
                        employer=employer,
                        job=job,
                        destination_id=dest,
                        in_east=dest.startswith(east_province),
                        start_date=start,
                        end_date=min(end, LEDGER_END),
                        monthly_wage=wage,
                        channel=slot.channel,
                        job_fair=slot.fair,
                    ),
                )
            )
            # Some change jobs within the year (same side): a second spell, same year.
            if (
                not s
                and slot.fair is None
                and end is not None
                and end.year == year
                and end.month < 10
                and rng.random() < 0.3
            ):
                start2 = end + datetime.timedelta(days=rng.randint(7, 40))
                if start2 <= min(LAST_DAY, datetime.date(year, 12, 20)):
                    employer2, job2, wage2, dest2 = _job(ctx, slot, jiangsu_towns, local_towns)
                    spells.append(
                        (
                            index,
                            Employment(
                                employer=employer2,
                                job=job2,
                                destination_id=dest2,
                                in_east=dest2.startswith(east_province),
                                start_date=start2,
                                end_date=min(
                                    start2 + datetime.timedelta(rng.randint(30, 600)), LEDGER_END
                                ),
                                monthly_wage=wage2,
                                channel=rng.choice(["self", "station"]),
                            ),
                        )
                    )
    # Personal data: no history rows (the admin's history of a worker starts with the
    # first change a clerk makes), and bulk inserts bypass save() and its signals.
    created = _bulk(Worker, worker_objs, history=False)
    employments = []
    for index, employment in spells:
        employment.worker = created[index]
        employments.append(employment)
    _bulk(Employment, employments, history=False)
    ctx.worker_ids = [w.pk for w in created]
    rebuild_worker_years(ctx.worker_ids)


def _job(ctx, slot, jiangsu_towns, local_towns):
    """(employer, job, monthly wage in 元, destination code) of a spell on the slot's side."""
    rng = ctx.rng
    if slot.east and ctx.story and slot.channel == "organised" and rng.random() < 0.3:
        # "与…常州联锐企业管理有限公司、江苏峻源人力资源有限公司等…签订了精准输出协议"
        return (
            rng.choice(_REPORT_AGENCIES),
            rng.choice(_EAST_JOBS),
            Decimal(rng.randint(80, 120) * 50),
            rng.choice(jiangsu_towns),
        )
    if slot.east:
        trade = rng.choice(_EAST_EMPLOYERS)
        return (
            f"{ctx.east.name}某{trade}企业",
            rng.choice(_EAST_JOBS),
            Decimal(rng.randint(76, 130) * 50),
            rng.choice(jiangsu_towns),
        )
    if slot.channel == "factory" and ctx.factories:
        factory = rng.choice(ctx.factories)
        wage = Decimal(rng.randint(36, 70) * 50)
        return factory.name, "缝制工", wage, factory.town_id
    dest = _destination(ctx, False, jiangsu_towns, local_towns)
    return (
        "本地务工" if dest.startswith(ctx.west.code) else "外省务工",
        rng.choice(_LOCAL_JOBS),
        Decimal(rng.randint(40, 90) * 50),
        dest,
    )
