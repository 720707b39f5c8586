"""Figures of funds, industry and consumption, declared for the figures engine
(cooperation/dashboard/indicators.py). Each `list_url` opens the public list filtered so that its rows
add up to the figure (tests/projects/test_list_contract.py checks every one).

Keys are a contract (targets, the dashboard, the demo data and exports refer to them):
never rename one once committed.
"""

from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cooperation.dashboard.indicators import (
    Group,
    Source,
    count,
    declare,
    distinct,
    in_town,
    list_link,
    per_year,
    ratio,
    sentences,
    total,
)

from .models import ConsumptionSale, IndustrialPark
from .querysets import COMPLETED, NOT_CANCELLED, STARTED, disbursed, park_existing_at_end_q

WAN = _("万元")


PROJECTS = Source(
    "projects",
    "projects.Project",
    rows=lambda year: Q(fund_year=year) & NOT_CANCELLED,
    town=in_town,
)
DONATIONS = Source(
    "donations",
    "projects.Donation",
    rows=lambda year: Q(date__year=year),
    town=in_town,
    month=lambda year, month: Q(date__month=month),
)
INVESTMENTS = Source(
    "investments",
    "projects.Investment",
    rows=lambda year: Q(signed_on__year=year),
    town=in_town,
    month=lambda year, month: Q(signed_on__month=month),
)
PARKS = Source(
    "parks",
    "projects.IndustrialPark",
    rows=park_existing_at_end_q,
    town=in_town,
    month=lambda year, month: Q(established_on__year=year, established_on__month=month),
)
# A park's yearly jobs reach the partnership and the town through the park.
PARK_YEARS = Source(
    "park_years",
    "projects.IndustrialParkYear",
    rows=lambda year: Q(year=year),
    town=lambda code: Q(park__town_id=code),
    partnership="park__partnership",
)
DEMONSTRATION_VILLAGES = Source(
    "demonstration_villages",
    "projects.DemonstrationVillage",
    rows=lambda year: Q(year=year),
    town=in_town,
)
SALES = Source(
    "sales",
    "projects.ConsumptionSale",
    rows=lambda year: Q(year=year),
    town=in_town,
    month=lambda year, month: Q(month=month),
)

# The projects list must leave out cancelled projects to add up to these figures.
_PROJECTS_LIST = list_link("projects:projects", exclude_cancelled=1)
_PROJECTS = _(
    "资金年度为当年、状态不是“已取消”的协作资金项目；按镇筛选时只计项目所在镇为该镇的项目。项目无月份，不能按月筛选。"
)

# --- Funds (资金支持) ----------------------------------------------------------------------

declare(
    key="funds.aid",
    label=_("东西部协作财政援助资金"),
    unit=WAN,
    group=Group.FUNDS,
    order=100,
    decimals=2,
    by_month=False,
    headline=True,
    source=PROJECTS,
    measure=total("aid_funds", money=True),
    list_url=_PROJECTS_LIST,
    description=sentences(_("“协作资金”之和（万元）。"), _PROJECTS),
)
declare(
    key="funds.projects",
    label=_("协作资金项目"),
    unit=_("个"),
    group=Group.FUNDS,
    order=101,
    by_month=False,
    headline=True,
    source=PROJECTS,
    measure=count(),
    list_url=_PROJECTS_LIST,
    description=sentences(_("项目个数。"), _PROJECTS),
)
declare(
    key="funds.beneficiaries",
    label=_("协作资金项目受益人数"),
    unit=_("人"),
    group=Group.FUNDS,
    order=102,
    by_month=False,
    source=PROJECTS,
    measure=total("beneficiaries"),
    list_url=_PROJECTS_LIST,
    description=sentences(
        _("“受益人数”之和（各项目分别填报，同一人受益于两个项目计两次）。"), _PROJECTS
    ),
)
declare(
    key="funds.beneficiaries_poverty_exited",
    label=_("协作资金项目受益脱贫人口"),
    unit=_("人"),
    group=Group.FUNDS,
    order=103,
    by_month=False,
    source=PROJECTS,
    measure=total("beneficiaries_poverty_exited"),
    list_url=_PROJECTS_LIST,
    description=sentences(_("“其中脱贫人口”之和。"), _PROJECTS),
)

# Disbursements are read per project (a subquery of its own rows), so that the amount paid
# and the amount allocated are two sums over the same projects, in the one query of the
# projects' figures. A year's funds are often paid out the next spring: every disbursement
# of the year's projects counts, whatever its date.
AID = total("aid_funds", money=True)
DISBURSED = total(disbursed(), money=True)
PERCENT = "%"  # a symbol in every language

declare(
    key="funds.disbursed",
    label=_("协作资金已拨付"),
    unit=WAN,
    group=Group.FUNDS,
    order=104,
    decimals=2,
    by_month=False,
    source=PROJECTS,
    measure=DISBURSED,
    list_url=_PROJECTS_LIST,
    description=sentences(
        _("各项目“资金拨付”记录的拨付金额之和（万元），不论拨付日期。"), _PROJECTS
    ),
)
declare(
    key="funds.disbursement_rate",
    label=_("资金拨付率"),
    unit=PERCENT,
    group=Group.FUNDS,
    order=105,
    decimals=1,
    by_month=False,
    additive=False,
    source=PROJECTS,
    measure=ratio(DISBURSED, AID),
    list_url=_PROJECTS_LIST,
    description=sentences(
        _("已拨付金额 ÷ 同一批项目的协作资金 × 100%，保留一位小数；协作资金为0时无数。"),
        _PROJECTS,
    ),
)
declare(
    key="funds.started_rate",
    label=_("项目开工率"),
    unit=PERCENT,
    group=Group.FUNDS,
    order=106,
    decimals=1,
    by_month=False,
    additive=False,
    source=PROJECTS,
    measure=ratio(count(), count(), of=STARTED),
    list_url=_PROJECTS_LIST,
    description=sentences(
        _("状态为“在建”“已完工”或“运营中”的项目数 ÷ 项目数 × 100%，保留一位小数。"),
        _PROJECTS,
    ),
)
declare(
    key="funds.completed_rate",
    label=_("项目完工率"),
    unit=PERCENT,
    group=Group.FUNDS,
    order=107,
    decimals=1,
    by_month=False,
    additive=False,
    source=PROJECTS,
    measure=ratio(count(), count(), of=COMPLETED),
    list_url=_PROJECTS_LIST,
    description=sentences(
        _("状态为“已完工”或“运营中”的项目数 ÷ 项目数 × 100%，保留一位小数。"), _PROJECTS
    ),
)

_DONATIONS = _("捐赠日期在当年（按月筛选时在当月）的社会帮扶捐赠；按镇：受赠所在镇。")
declare(
    key="funds.donations_cash",
    label=_("社会帮扶捐款"),
    unit=WAN,
    group=Group.FUNDS,
    order=110,
    decimals=2,
    source=DONATIONS,
    measure=total("cash", money=True),
    list_url=list_link("projects:donations", kind="cash"),
    description=sentences(_("“捐款”之和（万元）。"), _DONATIONS),
)
declare(
    key="funds.donations_in_kind",
    label=_("社会帮扶捐物折价"),
    unit=WAN,
    group=Group.FUNDS,
    order=111,
    decimals=2,
    source=DONATIONS,
    measure=total("in_kind", money=True),
    list_url=list_link("projects:donations", kind="in_kind"),
    description=sentences(_("“捐物折价”之和（万元）。"), _DONATIONS),
)
declare(
    key="funds.donations_total",
    label=_("社会帮扶捐款捐物合计"),
    unit=WAN,
    group=Group.FUNDS,
    order=112,
    decimals=2,
    source=DONATIONS,
    measure=total(F("cash") + F("in_kind"), money=True),
    list_url=list_link("projects:donations"),
    description=sentences(_("“捐款”与“捐物折价”之和（万元）。"), _DONATIONS),
)

# --- Industry (产业合作) -------------------------------------------------------------------

_INVESTMENTS = _("签约（落地）日期在当年（按月筛选时在当月）的招商引资记录；按镇：落地镇。")
declare(
    key="industry.enterprises_settled",
    label=_("引导落地企业"),
    unit=_("家"),
    group=Group.INDUSTRY,
    order=100,
    source=INVESTMENTS,
    measure=distinct("enterprise"),
    list_url=list_link("projects:investments"),
    description=sentences(_("不同企业名称的个数（同一企业当年两次签约计一家）。"), _INVESTMENTS),
)
declare(
    key="industry.investment_agreed",
    label=_("落地企业协议投资额"),
    unit=WAN,
    group=Group.INDUSTRY,
    order=101,
    decimals=2,
    source=INVESTMENTS,
    measure=total("agreed", money=True),
    list_url=list_link("projects:investments"),
    description=sentences(_("“协议投资额”之和（万元）。"), _INVESTMENTS),
)
declare(
    key="industry.investment_arrived",
    label=_("落地企业实际到位投资"),
    unit=WAN,
    group=Group.INDUSTRY,
    order=102,
    decimals=2,
    headline=True,
    source=INVESTMENTS,
    measure=total("arrived", money=True),
    list_url=list_link("projects:investments"),
    description=sentences(
        _("“实际到位投资”之和（万元）；到位投资按签约年度归集，不按到位时间。"), _INVESTMENTS
    ),
)
declare(
    key="industry.jobs",
    label=_("落地企业带动就业"),
    unit=_("人"),
    group=Group.INDUSTRY,
    order=103,
    source=INVESTMENTS,
    measure=total("jobs"),
    list_url=list_link("projects:investments"),
    description=sentences(_("“带动就业人数”之和。"), _INVESTMENTS),
)

# --- Co-built industrial parks (共建产业园区) --------------------------------------------------

_PARKS = _(
    "年底已建成：建成（挂牌）日期不晚于12月31日的共建产业园区。按镇：园区所在镇；"
    "按月：当年该月建成的园区。"
)
declare(
    key="industry.parks",
    label=_("共建产业园区"),
    unit=_("个"),
    group=Group.INDUSTRY,
    order=110,
    source=PARKS,
    measure=count(),
    list_url=list_link("projects:parks"),
    description=sentences(_("年底已建成的共建产业园区个数。"), _PARKS),
)
declare(
    key="industry.agricultural_parks",
    label=_("其中：共建农业园区"),
    unit=_("个"),
    group=Group.INDUSTRY,
    order=111,
    source=PARKS,
    measure=count(),
    where=Q(kind=IndustrialPark.Kind.AGRICULTURAL),
    list_url=list_link("projects:parks", kind=IndustrialPark.Kind.AGRICULTURAL.value),
    description=sentences(_("园区类型为“农业园区”的年底已建成园区个数。"), _PARKS),
)

# The assessment asks for the enterprises the year brought into the parks (引导入园企业)
# and their investment: read as the investments signed in the year that name a park.
_IN_PARKS = _(
    "签约（落地）日期在当年（按月筛选时在当月）、且选择了“入驻园区”的招商引资记录；"
    "按镇：落地镇。入园企业按签约年度计，与招商引资的其他数一致；往年入园的企业不再计入。"
)
declare(
    key="industry.park_enterprises",
    label=_("引导入驻共建园区企业"),
    unit=_("家"),
    group=Group.INDUSTRY,
    order=112,
    source=INVESTMENTS,
    measure=distinct("enterprise"),
    where=Q(park__isnull=False),
    list_url=list_link("projects:investments", in_park=1),
    description=sentences(
        _("入驻园区的不同企业名称的个数（同一企业当年两次签约计一家）。"), _IN_PARKS
    ),
)
declare(
    key="industry.park_investment_arrived",
    label=_("入园企业实际到位投资"),
    unit=WAN,
    group=Group.INDUSTRY,
    order=113,
    decimals=2,
    source=INVESTMENTS,
    measure=total("arrived", money=True),
    where=Q(park__isnull=False),
    list_url=list_link("projects:investments", in_park=1),
    description=sentences(_("入驻园区企业的“实际到位投资”之和（万元）。"), _IN_PARKS),
)

_PARK_YEARS = _(
    "各园区该年度就业记录（园区页面逐年填报）之和；按镇：园区所在镇。年度记录无月份，不能按月筛选。"
)
declare(
    key="industry.park_jobs",
    label=_("共建园区带动就业"),
    unit=_("人"),
    group=Group.INDUSTRY,
    order=114,
    by_month=False,
    source=PARK_YEARS,
    measure=total("jobs"),
    list_url=list_link("projects:park_jobs"),
    description=sentences(_("“园区就业人数”之和。"), _PARK_YEARS),
)
declare(
    key="industry.park_jobs_poverty_exited",
    label=_("其中：共建园区带动脱贫人口就业"),
    unit=_("人"),
    group=Group.INDUSTRY,
    order=115,
    by_month=False,
    source=PARK_YEARS,
    measure=total("poverty_exited_jobs"),
    list_url=list_link("projects:park_jobs"),
    description=sentences(_("“其中脱贫人口就业”之和。"), _PARK_YEARS),
)

# --- Demonstration villages (携手促振兴) ------------------------------------------------------
# The assessment lists 携手促振兴 (building up villages as demonstration villages of rural
# revitalisation) under 结对帮扶, with the village pairings: so do these.

_VILLAGES = _(
    "年度为当年的乡村振兴示范村记录（携手促振兴，每村每年一条）；按镇：村所在镇。"
    "记录无月份，不能按月筛选。此项在考核中列入“结对帮扶”（与村企、村村结对同列）。"
)
declare(
    key="pairings.demonstration_villages",
    label=_("乡村振兴示范村"),
    unit=_("个"),
    group=Group.PAIRINGS,
    order=40,
    by_month=False,
    source=DEMONSTRATION_VILLAGES,
    measure=per_year(count(), over_years=distinct("village")),
    list_url=list_link("projects:villages"),
    description=sentences(_("当年建设的乡村振兴示范村个数。"), _VILLAGES),
)
declare(
    key="pairings.demonstration_village_funds",
    label=_("示范村投入协作资金"),
    unit=WAN,
    group=Group.PAIRINGS,
    order=41,
    decimals=2,
    by_month=False,
    source=DEMONSTRATION_VILLAGES,
    measure=total("funds", money=True),
    list_url=list_link("projects:villages"),
    description=sentences(_("“投入协作资金”之和（万元）。"), _VILLAGES),
)

# --- Consumption (消费帮扶) ----------------------------------------------------------------

_SALES = _("年度（按月筛选时年度与月份）为当期的消费帮扶记录，各渠道合计；按镇：产品所在镇。")
declare(
    key="consumption.amount",
    label=_("消费帮扶销售额"),
    unit=WAN,
    group=Group.CONSUMPTION,
    order=100,
    decimals=2,
    headline=True,
    source=SALES,
    measure=total("amount", money=True),
    list_url=list_link("projects:sales"),
    description=sentences(_("“销售金额”之和（万元）。"), _SALES),
)
declare(
    key="consumption.certified_amount",
    label=_("销售国家认定扶贫产品金额"),
    unit=WAN,
    group=Group.CONSUMPTION,
    order=101,
    decimals=2,
    source=SALES,
    measure=total("certified_amount", money=True),
    list_url=list_link("projects:sales", certified=1),
    description=sentences(_("“其中国家认定扶贫产品”金额之和（万元）。"), _SALES),
)

# The assessment and Shaanxi's reports give purchases (采购) and sales with the east's help
# (帮助销售) apart, each with its certified products.
for kind, order, label, certified_label in (
    (
        ConsumptionSale.Kind.PURCHASE,
        110,
        _("东部采购脱贫地区农畜产品"),
        _("其中采购国家认定扶贫产品"),
    ),
    (
        ConsumptionSale.Kind.HELPED,
        120,
        _("帮助销售脱贫地区农畜产品"),
        _("其中帮助销售国家认定扶贫产品"),
    ),
):
    declare(
        key=f"consumption.{kind}",
        label=label,
        unit=WAN,
        group=Group.CONSUMPTION,
        order=order,
        decimals=2,
        source=SALES,
        measure=total("amount", money=True),
        where=Q(kind=kind),
        list_url=list_link("projects:sales", kind=kind),
        description=sentences(
            format_lazy(_("消费帮扶方式为“{kind}”的“销售金额”之和（万元）。"), kind=kind.label),
            _SALES,
        ),
    )
    declare(
        key=f"consumption.{kind}_certified",
        label=certified_label,
        unit=WAN,
        group=Group.CONSUMPTION,
        order=order + 1,
        decimals=2,
        source=SALES,
        measure=total("certified_amount", money=True),
        where=Q(kind=kind),
        list_url=list_link("projects:sales", kind=kind, certified=1),
        description=sentences(
            format_lazy(
                _("消费帮扶方式为“{kind}”的“其中国家认定扶贫产品”金额之和（万元）。"),
                kind=kind.label,
            ),
            _SALES,
        ),
    )
