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


def _figures_of(source, note, **shared):
    """A function declaring figures of `source` (as `declare` does) with what they all share;
    `note` — how the records fall in years, months and towns — ends every description."""

    def figure(description, **declaration):
        declare(source=source, description=sentences(description, note), **shared, **declaration)

    return figure


# --- Funds (资金支持) ----------------------------------------------------------------------

# The projects list must leave out cancelled projects to add up to these figures.
_project_figure = _figures_of(
    PROJECTS,
    _(
        "资金年度为当年、状态不是“已取消”的协作资金项目；按镇筛选时只计项目所在镇为该镇的项目。项目无月份，不能按月筛选。"
    ),
    group=Group.FUNDS,
    by_month=False,
    list_url=list_link("projects:projects", exclude_cancelled=1),
)
# Disbursements are read per project (a subquery of its own rows), so that the amount paid
# and the amount allocated are two sums over the same projects, in the one query of the
# projects' figures. A year's funds are often paid out the next spring: every disbursement
# of the year's projects counts, whatever its date.
AID = total("aid_funds", money=True)
DISBURSED = total(disbursed(), money=True)
PERCENT = "%"  # a symbol in every language

_project_figure(
    key="funds.aid",
    label=_("东西部协作财政援助资金"),
    unit=WAN,
    order=100,
    measure=AID,
    description=_("“协作资金”之和（万元）。"),
    decimals=2,
    headline=True,
)
_project_figure(
    key="funds.projects",
    label=_("协作资金项目"),
    unit=_("个"),
    order=101,
    measure=count(),
    description=_("项目个数。"),
    headline=True,
)
_project_figure(
    key="funds.beneficiaries",
    label=_("协作资金项目受益人数"),
    unit=_("人"),
    order=102,
    measure=total("beneficiaries"),
    description=_("“受益人数”之和（各项目分别填报，同一人受益于两个项目计两次）。"),
)
_project_figure(
    key="funds.beneficiaries_poverty_exited",
    label=_("协作资金项目受益脱贫人口"),
    unit=_("人"),
    order=103,
    measure=total("beneficiaries_poverty_exited"),
    description=_("“其中脱贫人口”之和。"),
)
_project_figure(
    key="funds.disbursed",
    label=_("协作资金已拨付"),
    unit=WAN,
    order=104,
    measure=DISBURSED,
    description=_("各项目“资金拨付”记录的拨付金额之和（万元），不论拨付日期。"),
    decimals=2,
)
_project_figure(
    key="funds.disbursement_rate",
    label=_("资金拨付率"),
    unit=PERCENT,
    order=105,
    measure=ratio(DISBURSED, AID),
    description=_("已拨付金额 ÷ 同一批项目的协作资金 × 100%，保留一位小数；协作资金为0时无数。"),
    decimals=1,
    additive=False,
)
_project_figure(
    key="funds.started_rate",
    label=_("项目开工率"),
    unit=PERCENT,
    order=106,
    measure=ratio(count(), count(), of=STARTED),
    description=_("状态为“在建”“已完工”或“运营中”的项目数 ÷ 项目数 × 100%，保留一位小数。"),
    decimals=1,
    additive=False,
)
_project_figure(
    key="funds.completed_rate",
    label=_("项目完工率"),
    unit=PERCENT,
    order=107,
    measure=ratio(count(), count(), of=COMPLETED),
    description=_("状态为“已完工”或“运营中”的项目数 ÷ 项目数 × 100%，保留一位小数。"),
    decimals=1,
    additive=False,
)

_donation_figure = _figures_of(
    DONATIONS,
    _("捐赠日期在当年（按月筛选时在当月）的社会帮扶捐赠；按镇：受赠所在镇。"),
    group=Group.FUNDS,
    decimals=2,
)
_donation_figure(
    key="funds.donations_cash",
    label=_("社会帮扶捐款"),
    unit=WAN,
    order=110,
    measure=total("cash", money=True),
    description=_("“捐款”之和（万元）。"),
    list_url=list_link("projects:donations", kind="cash"),
)
_donation_figure(
    key="funds.donations_in_kind",
    label=_("社会帮扶捐物折价"),
    unit=WAN,
    order=111,
    measure=total("in_kind", money=True),
    description=_("“捐物折价”之和（万元）。"),
    list_url=list_link("projects:donations", kind="in_kind"),
)
_donation_figure(
    key="funds.donations_total",
    label=_("社会帮扶捐款捐物合计"),
    unit=WAN,
    order=112,
    measure=total(F("cash") + F("in_kind"), money=True),
    description=_("“捐款”与“捐物折价”之和（万元）。"),
    list_url=list_link("projects:donations"),
)

# --- Industry (产业合作) -------------------------------------------------------------------

_investment_figure = _figures_of(
    INVESTMENTS,
    _("签约（落地）日期在当年（按月筛选时在当月）的招商引资记录；按镇：落地镇。"),
    group=Group.INDUSTRY,
    list_url=list_link("projects:investments"),
)
_investment_figure(
    key="industry.enterprises_settled",
    label=_("引导落地企业"),
    unit=_("家"),
    order=100,
    measure=distinct("enterprise"),
    description=_("不同企业名称的个数（同一企业当年两次签约计一家）。"),
)
_investment_figure(
    key="industry.investment_agreed",
    label=_("落地企业协议投资额"),
    unit=WAN,
    order=101,
    measure=total("agreed", money=True),
    description=_("“协议投资额”之和（万元）。"),
    decimals=2,
)
_investment_figure(
    key="industry.investment_arrived",
    label=_("落地企业实际到位投资"),
    unit=WAN,
    order=102,
    measure=total("arrived", money=True),
    description=_("“实际到位投资”之和（万元）；到位投资按签约年度归集，不按到位时间。"),
    decimals=2,
    headline=True,
)
_investment_figure(
    key="industry.jobs",
    label=_("落地企业带动就业"),
    unit=_("人"),
    order=103,
    measure=total("jobs"),
    description=_("“带动就业人数”之和。"),
)

# --- Co-built industrial parks (共建产业园区) --------------------------------------------------

_park_figure = _figures_of(
    PARKS,
    _(
        "年底已建成：建成（挂牌）日期不晚于12月31日的共建产业园区。按镇：园区所在镇；"
        "按月：当年该月建成的园区。"
    ),
    group=Group.INDUSTRY,
)
_park_figure(
    key="industry.parks",
    label=_("共建产业园区"),
    unit=_("个"),
    order=110,
    measure=count(),
    description=_("年底已建成的共建产业园区个数。"),
    list_url=list_link("projects:parks"),
)
_park_figure(
    key="industry.agricultural_parks",
    label=_("其中：共建农业园区"),
    unit=_("个"),
    order=111,
    measure=count(),
    description=_("园区类型为“农业园区”的年底已建成园区个数。"),
    where=Q(kind=IndustrialPark.Kind.AGRICULTURAL),
    list_url=list_link("projects:parks", kind=IndustrialPark.Kind.AGRICULTURAL.value),
)

# The assessment asks for the enterprises the year brought into the parks (引导入园企业)
# and their investment: read as the investments signed in the year that name a park.
_in_park_figure = _figures_of(
    INVESTMENTS,
    _(
        "签约（落地）日期在当年（按月筛选时在当月）、且选择了“入驻园区”的招商引资记录；"
        "按镇：落地镇。入园企业按签约年度计，与招商引资的其他数一致；往年入园的企业不再计入。"
    ),
    group=Group.INDUSTRY,
    where=Q(park__isnull=False),
    list_url=list_link("projects:investments", in_park=1),
)
_in_park_figure(
    key="industry.park_enterprises",
    label=_("引导入驻共建园区企业"),
    unit=_("家"),
    order=112,
    measure=distinct("enterprise"),
    description=_("入驻园区的不同企业名称的个数（同一企业当年两次签约计一家）。"),
)
_in_park_figure(
    key="industry.park_investment_arrived",
    label=_("入园企业实际到位投资"),
    unit=WAN,
    order=113,
    measure=total("arrived", money=True),
    description=_("入驻园区企业的“实际到位投资”之和（万元）。"),
    decimals=2,
)

_park_year_figure = _figures_of(
    PARK_YEARS,
    _(
        "各园区该年度就业记录（园区页面逐年填报）之和；按镇：园区所在镇。年度记录无月份，不能按月筛选。"
    ),
    group=Group.INDUSTRY,
    by_month=False,
    list_url=list_link("projects:park_jobs"),
)
_park_year_figure(
    key="industry.park_jobs",
    label=_("共建园区带动就业"),
    unit=_("人"),
    order=114,
    measure=total("jobs"),
    description=_("“园区就业人数”之和。"),
)
_park_year_figure(
    key="industry.park_jobs_poverty_exited",
    label=_("其中：共建园区带动脱贫人口就业"),
    unit=_("人"),
    order=115,
    measure=total("poverty_exited_jobs"),
    description=_("“其中脱贫人口就业”之和。"),
)

# --- Demonstration villages (携手促振兴) ------------------------------------------------------
# The assessment lists 携手促振兴 (building up villages as demonstration villages of rural
# revitalisation) under 结对帮扶, with the village pairings: so do these.

_village_figure = _figures_of(
    DEMONSTRATION_VILLAGES,
    _(
        "年度为当年的乡村振兴示范村记录（携手促振兴，每村每年一条）；按镇：村所在镇。"
        "记录无月份，不能按月筛选。此项在考核中列入“结对帮扶”（与村企、村村结对同列）。"
    ),
    group=Group.PAIRINGS,
    by_month=False,
    list_url=list_link("projects:villages"),
)
_village_figure(
    key="pairings.demonstration_villages",
    label=_("乡村振兴示范村"),
    unit=_("个"),
    order=40,
    measure=per_year(count(), over_years=distinct("village")),
    description=_("当年建设的乡村振兴示范村个数。"),
)
_village_figure(
    key="pairings.demonstration_village_funds",
    label=_("示范村投入协作资金"),
    unit=WAN,
    order=41,
    measure=total("funds", money=True),
    description=_("“投入协作资金”之和（万元）。"),
    decimals=2,
)

# --- Consumption (消费帮扶) ----------------------------------------------------------------

_sale_figure = _figures_of(
    SALES,
    _("年度（按月筛选时年度与月份）为当期的消费帮扶记录，各渠道合计；按镇：产品所在镇。"),
    group=Group.CONSUMPTION,
    decimals=2,
)

_sale_figure(
    key="consumption.amount",
    label=_("消费帮扶销售额"),
    unit=WAN,
    order=100,
    measure=total("amount", money=True),
    description=_("“销售金额”之和（万元）。"),
    headline=True,
    list_url=list_link("projects:sales"),
)
_sale_figure(
    key="consumption.certified_amount",
    label=_("销售国家认定扶贫产品金额"),
    unit=WAN,
    order=101,
    measure=total("certified_amount", money=True),
    description=_("“其中国家认定扶贫产品”金额之和（万元）。"),
    list_url=list_link("projects:sales", certified=1),
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
    _sale_figure(
        key=f"consumption.{kind}",
        label=label,
        unit=WAN,
        order=order,
        measure=total("amount", money=True),
        description=format_lazy(
            _("消费帮扶方式为“{kind}”的“销售金额”之和（万元）。"), kind=kind.label
        ),
        where=Q(kind=kind),
        list_url=list_link("projects:sales", kind=kind),
    )
    _sale_figure(
        key=f"consumption.{kind}_certified",
        label=certified_label,
        unit=WAN,
        order=order + 1,
        measure=total("certified_amount", money=True),
        description=format_lazy(
            _("消费帮扶方式为“{kind}”的“其中国家认定扶贫产品”金额之和（万元）。"),
            kind=kind.label,
        ),
        where=Q(kind=kind),
        list_url=list_link("projects:sales", kind=kind, certified=1),
    )
