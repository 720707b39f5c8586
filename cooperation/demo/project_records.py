"""Demo projects, community factories, co-built parks, investments, consumption sales,
donations and demonstration villages."""

import datetime
import random
import zlib
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from labor.models import CommunityFactory
from projects.models import (
    ConsumptionSale,
    DemonstrationVillage,
    Disbursement,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
    ProjectProgress,
)

from . import figures as F
from .allocate import split_int, split_money, split_within
from .context import LAST_DAY, bulk_write, day, random_day, village_name, write_records

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
    write_records(ctx, Project, objs)
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


# --- Disbursements (资金拨付) -------------------------------------------------------------------

# The share of a project's aid funds paid out by the report's time of writing, by status:
# the demo's invention (the report gives no disbursement figure). A finished project is paid
# in full, one under way in part, a planned one at most its first instalment.
_PAID_SHARE = {
    "operating": (1, 1),
    "completed": (1, 1),
    "building": (0.5, 0.9),
    "planned": (0, 0.3),
}


def disbursements(ctx, projects):
    """One to three instalments per project, none after the report's time of writing. A
    random generator of their own (seeded by the partnership's name), so that the other
    records of the demo stay as they were."""
    rng = random.Random(zlib.crc32(f"拨付{ctx.partnership}".encode()))
    cent = Decimal("0.01")
    objs = []
    for project in projects:
        low, high = _PAID_SHARE.get(project.status, (0, 0))
        if not project.aid_funds or high == 0:
            continue
        paid = (project.aid_funds * Decimal(str(rng.uniform(low, high)))).quantize(cent, ROUND_DOWN)
        first = datetime.date(project.fund_year, rng.randint(3, 6), rng.randint(1, 28))
        if paid <= 0 or first > LAST_DAY:
            continue
        instalments = rng.randint(1, 3)
        amounts = [(paid / instalments).quantize(cent, ROUND_DOWN)] * (instalments - 1)
        amounts.append(paid - sum(amounts, Decimal(0)))
        for n, amount in enumerate(amounts):
            date = min(first + datetime.timedelta(days=120 * n), LAST_DAY)
            objs.append(
                Disbursement(
                    project=project,
                    date=date,
                    amount=amount,
                    voucher=f"汉财拨〔{date.year}〕{len(objs) + 1}号",
                )
            )
    bulk_write(ctx, Disbursement, objs)
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
    ctx.factories = write_records(ctx, CommunityFactory, objs)


# --- Co-built parks (共建产业园区) and demonstration villages (携手促振兴) --------------------


def parks(ctx):
    """The report's vegetable park with its yearly jobs (武进–汉滨 only: the report names no
    other park, and synthetic partnerships have none). Draws nothing from `ctx.rng`, so the
    records built after it are those they were before parks existed."""
    if not ctx.story:
        return
    village = F.PARK_VILLAGE
    park = IndustrialPark(
        name=F.PARK_NAME,
        kind=IndustrialPark.Kind.AGRICULTURAL,
        established_on=day(F.PARK_ESTABLISHED),
        town_id=village[:9],
        village_id=village,
        note="苏陕协作项目资金支持建成20个蔬菜育苗中心，“龙头企业+合作社+农户”。"
        "建成日期与逐年就业人数为演示数据。",
    )
    (park,) = write_records(ctx, IndustrialPark, [park])
    years = [
        IndustrialParkYear(park=park, year=year, jobs=jobs, poverty_exited_jobs=exited)
        for year, (jobs, exited) in F.PARK_YEARS.items()
    ]
    bulk_write(ctx, IndustrialParkYear, years)
    ctx.parks.append(park)


def settle_in_parks(ctx, objs):
    """The demo's own (invented) food-processing firms of 2019–2020 settle in the park, where
    they are moved: the report's five enterprises of 2021 are not said to be in a park."""
    for park in ctx.parks:
        for obj in objs:
            invented = obj.industry in ("农产品加工", "富硒食品") and obj.signed_on.year in (
                2019,
                2020,
            )
            if invented and obj.signed_on >= park.established_on:
                obj.park, obj.town_id, obj.village_id = park, park.town_id, park.village_id


def demonstration_villages(ctx):
    """The demo's (invented) demonstration villages, 武进–汉滨 only."""
    if not ctx.story:
        return
    write_records(
        ctx,
        DemonstrationVillage,
        [
            DemonstrationVillage(
                year=year,
                village_id=village,
                town_id=village[:9],
                funds=funds,
                note="演示数据（虚构）：报道未载明示范村。",
            )
            for year, village, funds in F.DEMONSTRATION_VILLAGES
        ],
    )


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
    settle_in_parks(ctx, objs)
    write_records(ctx, Investment, objs)


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
                    kind=ConsumptionSale.Kind.HELPED,
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
                    kind=(
                        ConsumptionSale.Kind.PURCHASE
                        if channel in ConsumptionSale.PURCHASE_CHANNELS
                        else ConsumptionSale.Kind.HELPED
                    ),
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
    write_records(ctx, ConsumptionSale, objs, history=False)


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
    write_records(ctx, Donation, objs)
