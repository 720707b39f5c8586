"""Demo pairings, postings, visits and cadre and professional training."""

import datetime

from cooperation.models import CadreTraining, Organisation, Pairing, Posting, Region, Visit

from . import figures as F
from .allocate import split_int
from .context import LAST_DAY, day, random_day, write_records
from .people import make_name

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
                level=level,
                east_org=east,
                west_org=west,
                signed_on=signed,
                note="“携手奔小康”结对协议" if level in ("town", "village") else "",
            )
        )
    write_records(ctx, Pairing, objs)


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
                s.direction = direction
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
    write_records(ctx, Posting, objs)


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
                    level=Visit.Level.LEADERS,
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
                    level=Visit.Level.LEADERS,
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
                level=Visit.Level.LEADERS,
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
                level=Visit.Level.LEADERS,
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
    write_records(ctx, Visit, objs)


# --- Cadre and professional training (干部人才培训) ----------------------------------------
# Invented: the report gives no such figures. A few courses a year, 2019 to April 2022.
CADRE_COURSES = [  # (year, months, title, audience, held in, person-times)
    (2019, range(4, 7), "{west}党政干部能力提升培训班", "cadres", "east", 50),
    (2019, range(9, 12), "{west}中小学骨干教师培训班", "professionals", "west", 100),
    (2020, range(9, 12), "{west}乡村振兴专题培训班", "cadres", "east", 40),
    (2020, range(6, 10), "{east}医疗专家驻点带教", "professionals", "west", 80),
    (2021, range(3, 6), "{west}乡镇党政干部培训班", "cadres", "east", 60),
    (2021, range(5, 8), "{west}农业技术人员培训班", "professionals", "west", 120),
    (2021, range(9, 12), "{west}招商引资专题培训班", "cadres", "west", 100),
    (2022, range(3, 5), "{west}卫生技术骨干培训班", "professionals", "east", 30),
]

ORGANISER = {"cadres": "委组织部", "professionals": "人力资源和社会保障局"}


def cadre_trainings(ctx):
    rng = ctx.rng
    names = {"east": ctx.east.name, "west": ctx.west.name}
    objs = []
    for year, months, title, audience, held_in, trainees in CADRE_COURSES:
        start = random_day(rng, year, months)
        objs.append(
            CadreTraining(
                title=title.format(**names),
                start_date=start,
                end_date=min(start + datetime.timedelta(days=rng.randint(3, 10)), LAST_DAY),
                audience=audience,
                trainees=trainees,
                held_in=held_in,
                organiser=names[held_in] + ORGANISER[audience],
            )
        )
    write_records(ctx, CadreTraining, objs)
