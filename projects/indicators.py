"""Figures of funds and industry, registered in the shared registry (cooperation.indicators).

Each figure picks the records of one partnership and year (optionally one town of the
western county, and a month where records have one) and calls one QuerySet method of
`querysets.py`: one query each. Its `list_url` opens the public list filtered so that its
rows add up to the figure (tests/projects/test_list_contract.py checks every one).

Keys are a contract (targets, the dashboard, the demo data and exports refer to them):
never rename one once committed.
"""

from django.utils.translation import gettext_lazy as _

from cooperation.indicators import Group, list_link, register

from .models import ConsumptionSale, Donation, Investment, Project

WAN = _("万元")


def _projects(partnership, year, town=None):
    qs = Project.objects.for_partnership(partnership).in_year(year)
    return qs.in_town(town) if town is not None else qs


def _narrowed(qs, town, month):
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.in_month(month)
    return qs


def _investments(partnership, year, town=None, month=None):
    return _narrowed(Investment.objects.for_partnership(partnership).in_year(year), town, month)


def _sales(partnership, year, town=None, month=None):
    qs = ConsumptionSale.objects.for_partnership(partnership).in_year(year)
    return _narrowed(qs, town, month)


def _donations(partnership, year, town=None, month=None):
    return _narrowed(Donation.objects.for_partnership(partnership).in_year(year), town, month)


# The projects list must leave out cancelled projects to add up to these figures.
_PROJECTS_LIST = list_link("projects:projects", exclude_cancelled=1)

# --- Funds (资金支持) ----------------------------------------------------------------------


@register(
    key="funds.aid",
    label=_("东西部协作财政援助资金"),
    unit=WAN,
    group=Group.FUNDS,
    order=100,
    decimals=2,
    by_month=False,
    list_url=_PROJECTS_LIST,
)
def funds_aid(partnership, year, town=None, month=None):
    """资金年度为当年、状态不是“已取消”的协作资金项目的“协作资金”之和（万元）；
    按镇筛选时只计项目所在镇为该镇的项目。项目无月份，不能按月筛选。"""
    return _projects(partnership, year, town).aid_funds()


@register(
    key="funds.projects",
    label=_("协作资金项目"),
    unit=_("个"),
    group=Group.FUNDS,
    order=101,
    by_month=False,
    list_url=_PROJECTS_LIST,
)
def funds_projects(partnership, year, town=None, month=None):
    """资金年度为当年、状态不是“已取消”的协作资金项目个数。"""
    return _projects(partnership, year, town).project_count()


@register(
    key="funds.beneficiaries",
    label=_("协作资金项目受益人数"),
    unit=_("人"),
    group=Group.FUNDS,
    order=102,
    by_month=False,
    list_url=_PROJECTS_LIST,
)
def funds_beneficiaries(partnership, year, town=None, month=None):
    """资金年度为当年、未取消项目的“受益人数”之和（各项目分别填报，同一人受益于两个项目计两次）。"""
    return _projects(partnership, year, town).beneficiaries()


@register(
    key="funds.beneficiaries_poverty_exited",
    label=_("协作资金项目受益脱贫人口"),
    unit=_("人"),
    group=Group.FUNDS,
    order=103,
    by_month=False,
    list_url=_PROJECTS_LIST,
)
def funds_beneficiaries_poverty_exited(partnership, year, town=None, month=None):
    """资金年度为当年、未取消项目的“其中脱贫人口”之和。"""
    return _projects(partnership, year, town).beneficiaries_poverty_exited()


@register(
    key="funds.donations_cash",
    label=_("社会帮扶捐款"),
    unit=WAN,
    group=Group.FUNDS,
    order=110,
    decimals=2,
    list_url=list_link("projects:donations", kind="cash"),
)
def funds_donations_cash(partnership, year, town=None, month=None):
    """捐赠日期在当年（按月筛选时在当月）的社会帮扶捐赠的“捐款”之和（万元）。"""
    return _donations(partnership, year, town, month).cash_total()


@register(
    key="funds.donations_in_kind",
    label=_("社会帮扶捐物折价"),
    unit=WAN,
    group=Group.FUNDS,
    order=111,
    decimals=2,
    list_url=list_link("projects:donations", kind="in_kind"),
)
def funds_donations_in_kind(partnership, year, town=None, month=None):
    """捐赠日期在当年（按月筛选时在当月）的社会帮扶捐赠的“捐物折价”之和（万元）。"""
    return _donations(partnership, year, town, month).in_kind_total()


@register(
    key="funds.donations_total",
    label=_("社会帮扶捐款捐物合计"),
    unit=WAN,
    group=Group.FUNDS,
    order=112,
    decimals=2,
    list_url=list_link("projects:donations"),
)
def funds_donations_total(partnership, year, town=None, month=None):
    """捐赠日期在当年（按月筛选时在当月）的社会帮扶捐赠的“捐款”与“捐物折价”之和（万元）。"""
    return _donations(partnership, year, town, month).grand_total()


# --- Industry (产业合作) -------------------------------------------------------------------


@register(
    key="industry.enterprises_settled",
    label=_("引导落地企业"),
    unit=_("家"),
    group=Group.INDUSTRY,
    order=100,
    list_url=list_link("projects:investments"),
)
def industry_enterprises_settled(partnership, year, town=None, month=None):
    """签约（落地）日期在当年（按月筛选时在当月）的招商引资记录中不同企业名称的个数
    （同一企业当年两次签约计一家）。"""
    return _investments(partnership, year, town, month).enterprise_count()


@register(
    key="industry.investment_agreed",
    label=_("落地企业协议投资额"),
    unit=WAN,
    group=Group.INDUSTRY,
    order=101,
    decimals=2,
    list_url=list_link("projects:investments"),
)
def industry_investment_agreed(partnership, year, town=None, month=None):
    """签约（落地）日期在当年（按月筛选时在当月）的招商引资“协议投资额”之和（万元）。"""
    return _investments(partnership, year, town, month).agreed_total()


@register(
    key="industry.investment_arrived",
    label=_("落地企业实际到位投资"),
    unit=WAN,
    group=Group.INDUSTRY,
    order=102,
    decimals=2,
    list_url=list_link("projects:investments"),
)
def industry_investment_arrived(partnership, year, town=None, month=None):
    """签约（落地）日期在当年（按月筛选时在当月）的招商引资“实际到位投资”之和（万元）；
    到位投资按签约年度归集，不按到位时间。"""
    return _investments(partnership, year, town, month).arrived_total()


@register(
    key="industry.jobs",
    label=_("落地企业带动就业"),
    unit=_("人"),
    group=Group.INDUSTRY,
    order=103,
    list_url=list_link("projects:investments"),
)
def industry_jobs(partnership, year, town=None, month=None):
    """签约（落地）日期在当年（按月筛选时在当月）的招商引资“带动就业人数”之和。"""
    return _investments(partnership, year, town, month).jobs_total()


# --- Consumption (消费帮扶) ----------------------------------------------------------------


@register(
    key="consumption.amount",
    label=_("消费帮扶销售额"),
    unit=WAN,
    group=Group.CONSUMPTION,
    order=100,
    decimals=2,
    list_url=list_link("projects:sales"),
)
def consumption_amount(partnership, year, town=None, month=None):
    """年度（按月筛选时年度与月份）为当期的消费帮扶记录“销售金额”之和（万元），各渠道合计。"""
    return _sales(partnership, year, town, month).amount_total()


@register(
    key="consumption.certified_amount",
    label=_("销售国家认定扶贫产品金额"),
    unit=WAN,
    group=Group.CONSUMPTION,
    order=101,
    decimals=2,
    list_url=list_link("projects:sales", certified=1),
)
def consumption_certified_amount(partnership, year, town=None, month=None):
    """年度（按月筛选时年度与月份）为当期的消费帮扶记录中“其中国家认定扶贫产品”金额之和（万元）。"""
    return _sales(partnership, year, town, month).certified_amount_total()
