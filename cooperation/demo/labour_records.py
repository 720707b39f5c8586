"""Demo job fairs, training courses, workers and their employments."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cooperation.models import Region
from labor.models import Employment, JobFair, TrainingCourse, Worker
from labor.rules import in_eastern_province
from labor.services import rebuild_worker_years

from . import figures as F
from .context import LAST_DAY, LEDGER_END, bulk_write, day, random_day, write_records
from .people import IdNumbers, birth_date, make_name

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
    objs = write_records(ctx, JobFair, objs)
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
    write_records(ctx, TrainingCourse, objs)


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
    rng, p = ctx.rng, ctx.partnership
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
    for area in ids.area_codes:  # a western county may be in several partnerships
        ids.taken.update(
            Worker.objects.filter(id_number__startswith=area).values_list("id_number", flat=True)
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
                        in_east=in_eastern_province(dest, p.east_region_id),
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
                                in_east=in_eastern_province(dest2, p.east_region_id),
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
    created = bulk_write(ctx, Worker, worker_objs, history=False)
    employments = []
    for index, employment in spells:
        employment.worker = created[index]
        employments.append(employment)
    bulk_write(ctx, Employment, employments, history=False)
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
