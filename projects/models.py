"""Money and industry: aid-funded projects, investment, consumption assistance, donations.

Every amount is in 万元 (the unit of every report), stored exactly to the yuan."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cooperation.models import (
    Organisation,
    PartnershipRecord,
    Region,
    Tracked,
    WesternPlace,
    check_order,
    check_within,
    money_field,
    raise_errors,
)

from .querysets import (
    ConsumptionSaleQuerySet,
    DonationQuerySet,
    IndustrialParkQuerySet,
    IndustrialParkYearQuerySet,
    InvestmentQuerySet,
    PlaceQuerySet,
    ProjectQuerySet,
)

YEAR_VALIDATORS = [
    MinValueValidator(1996, message=_("年度应在1996至2100之间。")),
    MaxValueValidator(2100, message=_("年度应在1996至2100之间。")),
]


class PlacedRecord(WesternPlace):
    """A record placed in the western county. A village alone is enough to place it: the
    town is then taken from the village's code, so "in town T" finds it (imports and
    scripts may save without running `clean`)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.village_id and not self.town_id:
            self.town_id = self.village_id[:9]
        super().save(*args, **kwargs)


class Project(PlacedRecord, PartnershipRecord):
    """协作资金项目: a project funded (partly) by East–West cooperation aid funds."""

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("产业发展")
        INFRASTRUCTURE = "infrastructure", _("基础设施")
        EDUCATION = "education", _("教育")
        HEALTH = "health", _("医疗卫生")
        EMPLOYMENT = "employment", _("就业帮扶")
        CONSUMPTION = "consumption", _("消费帮扶")
        FACTORY = "factory", _("社区工厂")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        UNDER_CONSTRUCTION = "building", _("在建")
        COMPLETED = "completed", _("已完工")
        IN_OPERATION = "operating", _("运营中")
        CANCELLED = "cancelled", _("已取消")

    fund_year = models.PositiveSmallIntegerField(_("资金年度"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices)
    implementing_org = models.ForeignKey(
        Organisation,
        verbose_name=_("实施单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("项目状态"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    aid_funds = money_field(_("协作资金（万元）"))
    local_funds = money_field(_("地方配套资金（万元）"))
    other_funds = money_field(_("其他资金（万元）"))
    beneficiaries = models.PositiveIntegerField(_("受益人数"), default=0)
    beneficiaries_poverty_exited = models.PositiveIntegerField(_("其中脱贫人口"), default=0)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    end_date = models.DateField(_("完工日期"), null=True, blank=True)
    description = models.TextField(_("项目内容"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "协作资金项目")
        verbose_name_plural = _("协作资金项目")
        ordering = ["-fund_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "fund_year", "name"],
                name="project_unique_name_year",
                violation_error_message=_("本协作关系该年度已有同名项目。"),
            ),
            models.CheckConstraint(
                condition=Q(aid_funds__gte=0) & Q(local_funds__gte=0) & Q(other_funds__gte=0),
                name="project_funds_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(beneficiaries_poverty_exited__lte=F("beneficiaries")),
                name="project_poverty_exited_within_beneficiaries",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partnership", "fund_year", "status"], name="project_p_year_status"
            ),
            models.Index(fields=["partnership", "fund_year", "town"], name="project_p_year_town"),
        ]

    def __str__(self):
        return f"{self.fund_year} {self.name}"

    def clean(self):
        errors = self.clean_place()
        message = _("其中脱贫人口不能多于受益人数。")
        check_within(errors, self, "beneficiaries_poverty_exited", "beneficiaries", message)
        check_order(errors, self, "start_date", "end_date", _("完工日期不能早于开工日期。"))
        raise_errors(errors)


class ProjectProgress(models.Model):
    """A dated progress note on a project (进度)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress_notes"
    )
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    percent_complete = models.PositiveSmallIntegerField(
        _("完成比例（%）"), validators=[MaxValueValidator(100, message=_("完成比例不能超过100。"))]
    )
    # Notes are edited inline on the project page; their changes are kept like the project's.
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one record", "项目进度")
        verbose_name_plural = _("项目进度")
        ordering = ["project", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="progress_percent_max_100"
            )
        ]

    def __str__(self):
        return f"{self.date} {self.percent_complete}%"


class Disbursement(Tracked):
    """资金拨付: aid funds of a project paid out, on a date. A project's disbursements
    together may not exceed its aid funds (`disbursement_excess`)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="disbursements"
    )
    date = models.DateField(_("拨付日期"))
    amount = money_field(_("拨付金额（万元）"))
    voucher = models.CharField(_("拨付凭证号"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.UniqueConstraint(
                fields=["project", "date", "voucher"],
                name="disbursement_unique",
                violation_error_message=_("该项目同一日期已有同一凭证号的拨付记录。"),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.amount}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("拨付金额应大于0。")})


def disbursement_excess(project, submitted=Decimal(0), replacing=()):
    """The error when the project's disbursements would exceed its aid funds, else None:
    those stored (one aggregate, leaving out the rows `replacing`, which the caller is
    changing) plus the `submitted` amounts that replace them. The one rule of a project's
    disbursements: the admin's forms call it, and the import checks the same sum after
    writing (`ProjectQuerySet.over_disbursed`)."""
    if project is None or project.aid_funds is None:
        return None
    stored = Decimal(0)
    if project.pk is not None:
        money = models.DecimalField(max_digits=20, decimal_places=4)
        stored = (
            Disbursement.objects.filter(project_id=project.pk)
            .exclude(pk__in=[pk for pk in replacing if pk is not None])
            .aggregate(v=Coalesce(Sum("amount"), Decimal(0), output_field=money))["v"]
        )
    # To the stored 4 places: SQLite sums decimals as floating point.
    total = Decimal(stored).quantize(Decimal("0.0001")) + submitted
    if total <= project.aid_funds:
        return None
    return ValidationError(over_aid_funds_message(total, project.aid_funds), code="over_aid")


def over_aid_funds_message(disbursed, aid_funds):
    return _("拨付合计（%(disbursed)s 万元）超过项目的协作资金（%(aid)s 万元）。") % {
        "disbursed": wan_text(disbursed),
        "aid": wan_text(aid_funds),
    }


def wan_text(amount):
    """1234.5 → "1234.50": two decimals at least, more only when they carry yuan."""
    two = amount.quantize(Decimal("0.01"))
    return f"{two:f}" if two == amount else f"{amount.normalize():f}"


class IndustrialPark(PlacedRecord, PartnershipRecord):
    """共建产业园区: an industrial park the two counties built together in the west. The
    enterprises settled in it are the investments that name it (`Investment.park`); its
    jobs are recorded year by year (`IndustrialParkYear`)."""

    class Kind(models.TextChoices):
        AGRICULTURAL = "agricultural", _("农业园区")
        INDUSTRIAL = "industrial", _("工业园区")
        OTHER = "other", _("其他")

    name = models.CharField(_("园区名称"), max_length=200)
    kind = models.CharField(_("园区类型"), max_length=12, choices=Kind.choices)
    established_on = models.DateField(
        _("建成（挂牌）日期"), help_text=_("只知年份时填该年1月1日。")
    )
    note = models.TextField(_("备注"), blank=True)

    objects = IndustrialParkQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "共建产业园区")
        verbose_name_plural = _("共建产业园区")
        ordering = ["-established_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="park_unique_name",
                violation_error_message=_("本协作关系已有同名园区。"),
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "established_on"], name="park_p_established")
        ]

    def __str__(self):
        return self.name


class IndustrialParkYear(models.Model):
    """A park's jobs in a year (园区就业), entered on the park's page."""

    park = models.ForeignKey(
        IndustrialPark, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    jobs = models.PositiveIntegerField(_("园区就业人数"), default=0)
    poverty_exited_jobs = models.PositiveIntegerField(_("其中脱贫人口就业"), default=0)
    # Entered inline on the park's page; their changes are kept like the park's.
    history = HistoricalRecords()

    objects = IndustrialParkYearQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "园区年度就业")
        verbose_name_plural = _("园区年度就业")
        ordering = ["park", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year"],
                name="park_year_unique",
                violation_error_message=_("该园区这一年度已有就业记录。"),
            ),
            models.CheckConstraint(
                condition=Q(poverty_exited_jobs__lte=F("jobs")),
                name="park_year_exited_within_jobs",
            ),
        ]

    def __str__(self):
        return f"{self.year}"

    def clean(self):
        errors = {}
        message = _("其中脱贫人口就业不能多于园区就业人数。")
        check_within(errors, self, "poverty_exited_jobs", "jobs", message)
        raise_errors(errors)


class DemonstrationVillage(PlacedRecord, PartnershipRecord):
    """乡村振兴示范村 (携手促振兴): a village of the western county built up, in a year, as
    a demonstration village with cooperation funds."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    # The village is required here (a WesternPlace's is not); its town is taken from it.
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    funds = money_field(_("投入协作资金（万元）"))
    note = models.TextField(_("备注"), blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "乡村振兴示范村")
        verbose_name_plural = _("乡村振兴示范村")
        ordering = ["-year", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "village", "year"],
                name="village_demo_unique",
                violation_error_message=_("本协作关系该年度已登记这个示范村。"),
            ),
            models.CheckConstraint(condition=Q(funds__gte=0), name="village_demo_not_negative"),
        ]
        indexes = [models.Index(fields=["partnership", "year"], name="village_demo_p_year")]

    def __str__(self):
        return f"{self.year} {self.village.name if self.village_id else ''}"


class Investment(PlacedRecord, PartnershipRecord):
    """招商引资: an enterprise from the east settling in the west, in a co-built park or
    elsewhere."""

    enterprise = models.CharField(_("企业名称"), max_length=200)
    project_name = models.CharField(_("投资项目"), max_length=200, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    signed_on = models.DateField(_("签约（落地）日期"))
    agreed = money_field(_("协议投资额（万元）"))
    arrived = money_field(_("实际到位投资（万元）"))
    arrived_over_agreed_confirmed = models.BooleanField(
        _("确认到位投资超过协议投资"),
        default=False,
        help_text=_("实际到位投资大于协议投资额时须勾选确认。"),
    )
    jobs = models.PositiveIntegerField(_("带动就业人数"), default=0)
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    park = models.ForeignKey(
        IndustrialPark,
        verbose_name=_("入驻园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investments",
        help_text=_("企业入驻本协作关系的共建产业园区时选择该园区。"),
    )
    note = models.TextField(_("备注"), blank=True)

    objects = InvestmentQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "招商引资")
        verbose_name_plural = _("招商引资")
        ordering = ["-signed_on", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "enterprise", "signed_on"],
                name="investment_unique",
                violation_error_message=_("该企业在同一日期已有签约记录。"),
            ),
            models.CheckConstraint(
                condition=Q(agreed__gte=0) & Q(arrived__gte=0), name="investment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(arrived__lte=F("agreed")) | Q(arrived_over_agreed_confirmed=True),
                name="investment_arrived_over_agreed_confirmed",
                violation_error_message=_("实际到位投资超过协议投资额，请勾选确认。"),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "signed_on"], name="investment_p_signed")]

    def __str__(self):
        return self.enterprise

    def clean(self):
        errors = self.clean_place()
        if (
            self.arrived is not None
            and self.agreed is not None
            and self.arrived > self.agreed
            and not self.arrived_over_agreed_confirmed
        ):
            errors["arrived"] = _(
                "实际到位投资（%(arrived)s 万元）超过协议投资额（%(agreed)s 万元）。如确实如此，请勾选“确认到位投资超过协议投资”。"
            ) % {"arrived": self.arrived, "agreed": self.agreed}
        if self.park_id and self.partnership_id and self.park.partnership_id != self.partnership_id:
            errors["park"] = _("园区“%(park)s”不属于本协作关系（%(partnership)s）。") % {
                "park": self.park.name,
                "partnership": self.partnership,
            }
        raise_errors(errors)


class ConsumptionSale(PlacedRecord, PartnershipRecord):
    """消费帮扶: western products sold through a channel in a month, either bought by the
    east (采购: its offices, canteens and firms) or sold with the east's help (帮助销售:
    counters, markets and online shops it opened to the west's products)."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("采购")
        HELPED = "helped", _("帮助销售")

    #: the kind a channel's sales usually are (the demo's rule; a clerk records each sale's)
    PURCHASE_CHANNELS = ("832", "canteen")  # the 832 platform of public buyers; canteens

    class Channel(models.TextChoices):
        COUNTER = "counter", _("东部专馆专柜")
        PLATFORM_832 = "832", _("832平台")
        ECOMMERCE = "ecommerce", _("电商")
        CANTEEN = "canteen", _("机关企事业单位食堂")
        OTHER = "other", _("其他")

    class ProductCategory(models.TextChoices):
        TEA = "tea", _("茶叶")
        MEAT = "meat", _("肉禽蛋")
        GRAIN_OIL = "grain_oil", _("粮油")
        FRUIT_VEG = "fruit_veg", _("果蔬")
        DRINKS = "drinks", _("饮品")
        PROCESSED = "processed", _("加工食品")
        HANDICRAFT = "handicraft", _("手工艺品")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        _("月份"),
        validators=[
            MinValueValidator(1, message=_("月份应为1至12。")),
            MaxValueValidator(12, message=_("月份应为1至12。")),
        ],
    )
    kind = models.CharField(
        _("消费帮扶方式"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.HELPED,
        help_text=_(
            "采购：东部单位、食堂、企业购买；帮助销售：东部帮助开设的专柜、市场、网店售出。"
        ),
    )
    channel = models.CharField(_("销售渠道"), max_length=12, choices=Channel.choices)
    product_category = models.CharField(
        _("产品类别"), max_length=12, choices=ProductCategory.choices
    )
    seller = models.CharField(_("销售主体"), max_length=200, blank=True)
    buyer = models.CharField(_("采购方"), max_length=200, blank=True)
    amount = money_field(_("销售金额（万元）"))
    certified_amount = money_field(_("其中国家认定扶贫产品（万元）"))
    note = models.TextField(_("备注"), blank=True)

    objects = ConsumptionSaleQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "消费帮扶")
        verbose_name_plural = _("消费帮扶")
        ordering = ["-year", "-month", "channel"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="sale_month_1_12"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(certified_amount__gte=0), name="sale_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(certified_amount__lte=F("amount")), name="sale_certified_within_amount"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "year", "month"], name="sale_p_year_month")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.get_channel_display()} {self.amount}"

    def clean(self):
        errors = self.clean_place()
        message = _("其中扶贫产品金额不能大于销售金额。")
        check_within(errors, self, "certified_amount", "amount", message)
        raise_errors(errors)


class Donation(PlacedRecord, PartnershipRecord):
    """社会帮扶: a donation in cash or in kind from the east."""

    donor = models.CharField(_("捐赠单位（个人）"), max_length=200)
    donor_org = models.ForeignKey(
        Organisation,
        verbose_name=_("捐赠单位（登记单位）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.CharField(_("受赠单位"), max_length=200)
    date = models.DateField(_("捐赠日期"))
    cash = money_field(_("捐款（万元）"))
    in_kind = money_field(_("捐物折价（万元）"))
    purpose = models.CharField(_("用途"), max_length=300, blank=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "社会帮扶捐赠")
        verbose_name_plural = _("社会帮扶捐赠")
        ordering = ["-date", "donor"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash__gte=0) & Q(in_kind__gte=0), name="donation_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "date"], name="donation_p_date")]

    def __str__(self):
        return f"{self.donor} → {self.recipient}"

    @property
    def total(self):
        return (self.cash or Decimal(0)) + (self.in_kind or Decimal(0))
