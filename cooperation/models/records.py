"""The core records of a partnership: pairings, postings, visits, cadre and professional
training, and agreed targets."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..querysets import (
    CadreTrainingQuerySet,
    PairingQuerySet,
    PostingQuerySet,
    VisitQuerySet,
)
from .base import (
    Direction,
    Organisation,
    PartnershipRecord,
    Side,
    check_order,
    partnership_key,
    raise_errors,
)


class Pairing(PartnershipRecord):
    """结对: an eastern and a western organisation paired at a level."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县（区）级")
        TOWN = "town", _("镇（街道）结对")
        VILLAGE = "village", _("村（社区）结对")
        ENTERPRISE_VILLAGE = "enterprise_village", _("企业结对帮扶村")
        SCHOOL = "school", _("学校结对")
        HOSPITAL = "hospital", _("医院结对")
        SOCIAL = "social", _("社会组织结对")
        OTHER = "other", _("其他")

    level = models.CharField(_("结对类型"), max_length=20, choices=Level.choices, db_index=True)
    east_org = models.ForeignKey(
        Organisation, verbose_name=_("东部单位"), on_delete=models.PROTECT, related_name="+"
    )
    west_org = models.ForeignKey(
        Organisation, verbose_name=_("西部单位"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("签约日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "结对关系")
        verbose_name_plural = _("结对关系")
        ordering = ["-signed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "east_org", "west_org"],
                name="pairing_unique_orgs",
                violation_error_message=_("这两个单位在本协作关系中已经结对，不能重复登记。"),
            )
        ]
        indexes = [models.Index(fields=["partnership", "signed_on"], name="pairing_p_signed")]

    def __str__(self):
        return f"{self.east_org} — {self.west_org}"

    def clean(self):
        errors = {}
        if self.partnership_id:
            p = self.partnership
            if self.east_org_id and not self.east_org.region_id.startswith(p.east_region_id):
                errors["east_org"] = _("东部单位“%(org)s”不在%(region)s境内。") % {
                    "org": self.east_org,
                    "region": p.east_region.name,
                }
            if self.west_org_id and not self.west_org.region_id.startswith(p.west_region_id):
                errors["west_org"] = _("西部单位“%(org)s”不在%(region)s境内。") % {
                    "org": self.west_org,
                    "region": p.west_region.name,
                }
        check_order(errors, self, "signed_on", "ended_on", _("终止日期不能早于签约日期。"))
        raise_errors(errors)


class Posting(PartnershipRecord):
    """挂职 / 支教 / 支医 / 支农: a person sent from one side to the other.

    Names of dispatched cadres and professionals are public record (they are published in
    reports like the source article); no ID numbers or phones are kept here."""

    class Category(models.TextChoices):
        CADRE = "cadre", _("党政干部")
        EDUCATION = "education", _("专业技术人才（教育）")
        MEDICAL = "medical", _("专业技术人才（医疗）")
        AGRICULTURE = "agriculture", _("专业技术人才（农业）")
        SCIENCE = "science", _("专业技术人才（科技）")
        OTHER = "other", _("专业技术人才（其他）")

    PROFESSIONAL_CATEGORIES = [
        Category.EDUCATION,
        Category.MEDICAL,
        Category.AGRICULTURE,
        Category.SCIENCE,
        Category.OTHER,
    ]
    #: the professionals the assessment counts as "other" (neither teachers, doctors nor
    #: agricultural experts)
    OTHER_PROFESSIONAL_CATEGORIES = [Category.SCIENCE, Category.OTHER]

    person_name = models.CharField(_("姓名"), max_length=50)
    direction = models.CharField(_("派出方向"), max_length=3, choices=Direction.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    home_org = models.ForeignKey(
        Organisation,
        verbose_name=_("派出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_org = models.ForeignKey(
        Organisation,
        verbose_name=_("接收单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("挂职（任职）岗位"), max_length=200, blank=True)
    planned_start = models.DateField(_("计划开始日期"), null=True, blank=True)
    planned_end = models.DateField(_("计划结束日期"), null=True, blank=True)
    start_date = models.DateField(_("实际到岗日期"))
    end_date = models.DateField(_("实际离岗日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "选派干部人才")
        verbose_name_plural = _("选派干部人才")
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["partnership", "start_date"], name="posting_p_start"),
            models.Index(fields=["partnership", "direction", "category"], name="posting_p_dir_cat"),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.get_category_display()}）"

    def clean(self):
        errors = {}
        check_order(errors, self, "start_date", "end_date", _("离岗日期不能早于到岗日期。"))
        check_order(
            errors, self, "planned_start", "planned_end", _("计划结束日期不能早于计划开始日期。")
        )
        if self.partnership_id:
            p = self.partnership
            home_side, host_side = (
                ("east", "west") if self.direction == Direction.EAST_TO_WEST else ("west", "east")
            )
            for field, side in (("home_org", home_side), ("host_org", host_side)):
                org = getattr(self, field) if getattr(self, f"{field}_id") else None
                if org is not None and self.direction and p.side_of(org.region) != side:
                    errors[field] = _("“%(org)s”不在%(side)s（%(region)s）。") % {
                        "org": org,
                        "side": Side(side).label,
                        "region": (p.east_region if side == "east" else p.west_region).name,
                    }
        raise_errors(errors)


class Visit(PartnershipRecord):
    """互访考察: a delegation from one side to the other, led by the county's Party secretary
    or head (党政主要负责同志, a figure of the assessment) or by others; with the enterprises
    it brought to see the other side, if any (招商考察)."""

    class Level(models.TextChoices):
        LEADERS = "leaders", _("党政主要负责同志")
        OTHER = "other", _("其他领导或部门")

    date = models.DateField(_("日期"))
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    level = models.CharField(
        _("带队级别"), max_length=8, choices=Level.choices, default=Level.OTHER
    )
    leader = models.CharField(_("带队领导"), max_length=100)
    leader_title = models.CharField(_("领导职务"), max_length=100, blank=True)
    people = models.PositiveIntegerField(_("人数"))
    enterprises = models.PositiveIntegerField(_("随行企业数"), default=0)
    purpose = models.CharField(_("事由"), max_length=300)
    note = models.TextField(_("备注"), blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "互访考察")
        verbose_name_plural = _("互访考察")
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["partnership", "date"], name="visit_p_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader} {self.purpose}"


class CadreTraining(PartnershipRecord):
    """干部人才培训: a course that trained Party and government cadres or professionals of
    the partnership (western cadres trained in the east, eastern experts training western
    staff), counted in person-times (人次). The training of rural workers is
    `labor.TrainingCourse`, not this."""

    class Audience(models.TextChoices):
        CADRES = "cadres", _("党政干部")
        PROFESSIONALS = "professionals", _("专业技术人才")

    title = models.CharField(_("培训班名称"), max_length=200)
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"), null=True, blank=True)
    audience = models.CharField(_("培训对象"), max_length=13, choices=Audience.choices)
    trainees = models.PositiveIntegerField(
        _("培训人次"), validators=[MinValueValidator(1, message=_("培训人次应至少为1。"))]
    )
    held_in = models.CharField(_("举办地"), max_length=4, choices=Side.choices)
    organiser = models.CharField(_("承办单位"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = CadreTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "干部人才培训")
        verbose_name_plural = _("干部人才培训")
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title", "start_date"],
                name="cadre_training_unique",
                violation_error_message=_("该协作关系在同一开班日期已有同名培训班。"),
            ),
            models.CheckConstraint(
                condition=Q(trainees__gte=1), name="cadre_training_trainees_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "start_date"], name="cadre_training_p_start")
        ]

    def __str__(self):
        return f"{self.start_date:%Y-%m-%d} {self.title}"

    def clean(self):
        errors = {}
        check_order(errors, self, "start_date", "end_date", _("结业日期不能早于开班日期。"))
        raise_errors(errors)


class Target(PartnershipRecord):
    """协议指标: the agreed value of an indicator for a partnership and year (typed in)."""

    # Part of the partnership's agreement: deleted with the partnership.
    partnership = partnership_key(on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=80)
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "协议指标")
        verbose_name_plural = _("协议指标")
        ordering = ["partnership", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "indicator"],
                name="target_unique",
                violation_error_message=_("该协作关系本年度已有此指标的目标值。"),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.indicator}"

    def clean(self):
        # Which indicators exist is the dashboard's to say: the admin offers only those.
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("目标值不能为负数。")})
