"""Public lists of projects, investments, consumption sales, donations, co-built parks (and
their yearly jobs) and demonstration villages.

Each list is a `ListSpec` (cooperation/lists/listing.py): the FilterSets of projects/filters.py,
columns shared by the page and its CSV/XLSX export, and footer totals of the filtered rows
that add up to the dashboard's funds, industry, pairings and consumption figures."""

from django.db.models import Count, F, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.lists.columns import CHOICE, DATE, INT, MONEY, TEXT, Column, Rate, Total
from cooperation.lists.listing import ListSpec, with_place

from .filters import (
    ConsumptionSaleFilter,
    DemonstrationVillageFilter,
    DonationFilter,
    IndustrialParkFilter,
    IndustrialParkYearFilter,
    InvestmentFilter,
    ProjectFilter,
)
from .models import (
    ConsumptionSale,
    DemonstrationVillage,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
)
from .querysets import COMPLETED, STARTED

PLACE = Column("place", _("地点"))


project_list = ListSpec(
    name="projects",
    title=_("协作资金项目"),
    queryset=lambda: with_place(Project.objects.with_disbursed()),
    filterset_class=ProjectFilter,
    unit=_("个"),
    columns=[
        Column("fund_year", _("资金年度"), TEXT),
        Column("name", _("项目名称")),
        Column("category", _("项目类别"), CHOICE),
        PLACE,
        Column("implementing_org__name", _("实施单位")),
        Column("status", _("项目状态"), CHOICE),
        Column("aid_funds", _("协作资金（万元）"), MONEY, total=True),
        Column("disbursed", _("已拨付（万元）"), MONEY, total=True),
        Column("local_funds", _("地方配套资金（万元）"), MONEY, total=True),
        Column("other_funds", _("其他资金（万元）"), MONEY, total=True),
        Column("beneficiaries", _("受益人数（人）"), INT, total=True),
        Column("beneficiaries_poverty_exited", _("其中脱贫人口（人）"), INT, total=True),
    ],
    default_sort=["-fund_year", "name"],
    description=_(
        "东西部协作财政援助资金支持的项目。勾选“不含已取消项目”时，合计即总览中的资金数。"
    ),
    # The dashboard's rates over the listed projects (its cards link here).
    rates=[
        Rate("disbursement_rate", _("资金拨付率（%）"), Sum("disbursed"), Sum("aid_funds")),
        Rate("started_rate", _("开工率（%）"), Count("pk", filter=STARTED), Count("pk")),
        Rate("completed_rate", _("完工率（%）"), Count("pk", filter=COMPLETED), Count("pk")),
    ],
)


def _investment_extras(qs, data):
    """Enterprises counted once however many signings (the dashboard's 引导落地企业)."""
    return [Total("enterprises", gettext("落地企业（家，同名只计一次）"), qs.enterprise_count())]


investment_list = ListSpec(
    name="investments",
    title=_("招商引资"),
    queryset=lambda: with_place(Investment.objects.all()),
    filterset_class=InvestmentFilter,
    columns=[
        Column("signed_on", _("签约（落地）日期"), DATE),
        Column("enterprise", _("企业名称")),
        Column("project_name", _("投资项目")),
        Column("industry", _("行业")),
        PLACE,
        Column("park__name", _("入驻园区")),
        Column("agreed", _("协议投资额（万元）"), MONEY, total=True),
        Column("arrived", _("实际到位投资（万元）"), MONEY, total=True),
        Column("jobs", _("带动就业人数（人）"), INT, total=True),
    ],
    default_sort=["-signed_on", "enterprise"],
    description=_("东部企业到西部投资落地的情况。"),
    extras=_investment_extras,
)

sale_list = ListSpec(
    name="sales",
    title=_("消费帮扶"),
    queryset=lambda: ConsumptionSale.objects.all(),
    filterset_class=ConsumptionSaleFilter,
    columns=[
        Column("year", _("年度"), TEXT),
        Column("month", _("月份"), TEXT),
        Column("kind", _("方式"), CHOICE),
        Column("channel", _("销售渠道"), CHOICE),
        Column("product_category", _("产品类别"), CHOICE),
        Column("seller", _("销售主体")),
        Column("buyer", _("采购方")),
        Column("town__name", _("镇（街道）")),
        Column("amount", _("销售金额（万元）"), MONEY, total=True),
        Column("certified_amount", _("其中国家认定扶贫产品（万元）"), MONEY, total=True),
    ],
    default_sort=["-year", "-month", "channel"],
    description=_("西部农产品通过各渠道销往东部的金额。"),
)

donation_list = ListSpec(
    name="donations",
    title=_("社会帮扶捐赠"),
    queryset=lambda: Donation.objects.annotate(total=F("cash") + F("in_kind")),
    filterset_class=DonationFilter,
    unit=_("笔"),
    columns=[
        Column("date", _("捐赠日期"), DATE),
        Column("donor", _("捐赠单位（个人）")),
        Column("recipient", _("受赠单位")),
        Column("purpose", _("用途")),
        Column("town__name", _("镇（街道）")),
        Column("cash", _("捐款（万元）"), MONEY, total=True),
        Column("in_kind", _("捐物折价（万元）"), MONEY, total=True),
        Column("total", _("合计（万元）"), MONEY, total=True),
    ],
    default_sort=["-date", "donor"],
    description=_("东部单位和个人的捐款捐物。"),
)

park_list = ListSpec(
    name="parks",
    title=_("共建产业园区"),
    queryset=lambda: with_place(IndustrialPark.objects.all()),
    filterset_class=IndustrialParkFilter,
    unit=_("个"),
    columns=[
        Column("established_on", _("建成（挂牌）日期"), DATE),
        Column("name", _("园区名称")),
        Column("kind", _("园区类型"), CHOICE),
        PLACE,
        Column("note", _("备注")),
    ],
    default_sort=["-established_on", "name"],
    description=_(
        "东西部共建的产业园区。按年度筛选时列出该年年底已建成的园区，记录数即总览中的园区数。"
    ),
)

park_year_list = ListSpec(
    name="park_jobs",
    title=_("共建园区年度就业"),
    queryset=lambda: IndustrialParkYear.objects.all(),
    filterset_class=IndustrialParkYearFilter,
    unit=_("条"),
    columns=[
        Column("year", _("年度"), TEXT),
        Column("park__name", _("园区名称")),
        Column("park__kind", _("园区类型"), CHOICE),
        Column("park__town__name", _("镇（街道）")),
        Column("jobs", _("园区就业人数（人）"), INT, total=True),
        Column("poverty_exited_jobs", _("其中脱贫人口就业（人）"), INT, total=True),
    ],
    default_sort=["-year", "park__name"],
    description=_("各共建产业园区逐年填报的就业人数。"),
)

village_list = ListSpec(
    name="villages",
    title=_("乡村振兴示范村"),
    queryset=lambda: with_place(DemonstrationVillage.objects.all()),
    filterset_class=DemonstrationVillageFilter,
    unit=_("个"),
    columns=[
        Column("year", _("年度"), TEXT),
        PLACE,
        Column("funds", _("投入协作资金（万元）"), MONEY, total=True),
        Column("note", _("备注")),
    ],
    default_sort=["-year", "village"],
    description=_("携手促振兴：以协作资金建设的乡村振兴示范村，每村每年一条。"),
)

for _spec in (
    project_list,
    investment_list,
    sale_list,
    donation_list,
    park_list,
    park_year_list,
    village_list,
):
    _spec.namespace = "projects"
