"""Core records: official regions, partnerships, organisations, pairings, postings, visits,
cadre and professional training, agreed targets, and the bookkeeping every record shares
(who, when, history, version)."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .middleware import get_current_user
from .querysets import (
    CadreTrainingQuerySet,
    PairingQuerySet,
    PartnershipQuerySet,
    PostingQuerySet,
    RecordQuerySet,
    RegionQuerySet,
    VisitQuerySet,
    short_region_name,
)

HISTORY_UNINDEXED = [
    "created_by",
    "updated_by",
    "partnership",
    "east_region",
    "west_region",
    "region",
    "east_org",
    "west_org",
    "home_org",
    "host_org",
    "implementing_org",
    "donor_org",
    "project",
    "town",
    "village",
    "home_town",
    "home_village",
    "destination",
    "job_fair",
    "worker",
    "id_number",
]


def check_order(errors, record, start, end, message):
    """Adds `message` under `end` when both dates are set and `end` comes before `start`."""
    first, last = getattr(record, start), getattr(record, end)
    if first and last and last < first:
        errors[end] = message


def check_within(errors, record, part, whole, message):
    """Adds `message` under `part` when both counts are set and `part` exceeds `whole`."""
    value, limit = getattr(record, part), getattr(record, whole)
    if value is not None and limit is not None and value > limit:
        errors[part] = message


def raise_errors(errors):
    if errors:
        raise ValidationError(errors)


class Tracked(models.Model):
    """Who created and last changed a record, when, its full history, and a version number
    that refuses a save based on a stale copy (two clerks editing the same record)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; an index would slow every write of every record
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)
    # History is read per record (by `id`) and by date: the copies of foreign keys and
    # unique fields need no index of their own there (every one slows down every write).
    history = HistoricalRecords(inherit=True, no_db_index=HISTORY_UNINDEXED)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        user = get_current_user()
        if user is not None and user.is_authenticated:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
            # Outside a request (commands, imports, services) history learns the user here.
            self._history_user = user
        if not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


class Region(models.Model):
    """An administrative division with its official code (统计用区划代码, 2023).

    Codes nest by prefix: 61 (province) ⊃ 6109 (city) ⊃ 610902 (county) ⊃ 610902001 (town)
    ⊃ 610902001001 (village), so "lies within" is a prefix test done in the database."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地级")
        COUNTY = 3, _("县级")
        TOWN = 4, _("乡级")
        VILLAGE = 5, _("村级")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"], name="region_parent_name")]

    def __str__(self):
        return self.short_name

    @property
    def short_name(self):
        """The everyday name: 小河村 for the code list's 小河村委会."""
        return short_region_name(self.name)

    @property
    def full_name(self):
        """Name with the county (and town) it belongs to, e.g. 汉滨区大河镇小河村."""
        names = [self.short_name]
        node = self.parent
        while node is not None and node.level >= self.Level.COUNTY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def contains(self, other):
        return other is not None and other.code.startswith(self.code)


class Partnership(Tracked):
    """对口协作关系: an eastern county-level region paired with a western one."""

    east_region = models.ForeignKey(
        Region, verbose_name=_("东部地区"), on_delete=models.PROTECT, related_name="+"
    )
    west_region = models.ForeignKey(
        Region, verbose_name=_("西部地区"), on_delete=models.PROTECT, related_name="+"
    )
    since_year = models.PositiveSmallIntegerField(_("协作起始年度"))
    note = models.TextField(_("备注"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "对口协作关系")
        verbose_name_plural = _("对口协作关系")
        ordering = ["id"]
        permissions = [("view_history", _("查看修改历史"))]
        constraints = [
            models.UniqueConstraint(
                fields=["east_region", "west_region"], name="partnership_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.east_region.name}—{self.west_region.name}"

    @property
    def name(self):
        return str(self)

    def clean(self):
        errors = {}
        for field in ("east_region", "west_region"):
            region = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if region is not None and region.level != Region.Level.COUNTY:
                errors[field] = _("请选择县级行政区（区、县、县级市），而不是“%(name)s”。") % {
                    "name": region.name
                }
        if self.east_region_id and self.east_region_id == self.west_region_id:
            errors["west_region"] = _("东部地区和西部地区不能相同。")
        raise_errors(errors)

    def side_of(self, region):
        """'east', 'west' or None for a region."""
        if region is None:
            return None
        if region.code.startswith(self.east_region_id):
            return "east"
        if region.code.startswith(self.west_region_id):
            return "west"
        return None


class Side(models.TextChoices):
    EAST = "east", _("东部")
    WEST = "west", _("西部")


class Direction(models.TextChoices):
    EAST_TO_WEST = "e2w", _("东部派往西部")
    WEST_TO_EAST = "w2e", _("西部派往东部")


class Organisation(Tracked):
    """A unit that takes part: a government office, town, village, enterprise, school, …"""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("党政机关")
        TOWN = "town", _("镇（街道）")
        VILLAGE = "village", _("村（社区）")
        ENTERPRISE = "enterprise", _("企业")
        SCHOOL = "school", _("学校")
        HOSPITAL = "hospital", _("医院")
        SOCIAL = "social", _("社会组织")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="organisations"
    )
    place_text = models.CharField(
        _("地点（区划代码表以外）"),
        max_length=200,
        blank=True,
        help_text=_("地点不在官方区划代码表中时，在此照实填写，记录会注明。"),
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "单位")
        verbose_name_plural = _("单位")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="organisation_unique_name")
        ]

    def __str__(self):
        return self.name


class WesternPlace(models.Model):
    """A place in the partnership's western county: a town, optionally a village of it, or —
    where the place is not in the official code list — the place as written, flagged."""

    town = models.ForeignKey(
        Region,
        verbose_name=_("镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.TOWN},
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    place_text = models.CharField(
        _("地点（区划代码表以外）"),
        max_length=200,
        blank=True,
        help_text=_(
            "地点不在官方区划代码表中时照实填写（如报道中的“关山镇魏埭村”），页面会注明“非标准地名”。"
        ),
    )

    class Meta:
        abstract = True

    @property
    def place_is_unofficial(self):
        return bool(self.place_text)

    @property
    def place_display(self):
        if self.village_id:
            return f"{self.town.name if self.town_id else ''}{self.village.name}"
        if self.town_id:
            return self.town.name + (f" {self.place_text}" if self.place_text else "")
        return self.place_text

    def clean_place(self):
        """Town and village must lie in the western county of the record's partnership (the
        model is a PartnershipRecord too); the town is set from the village."""
        partnership = self.partnership if self.partnership_id else None
        errors = {}
        if self.village_id:
            village = self.village
            if village.level != Region.Level.VILLAGE:
                errors["village"] = _("“%(name)s”不是村级区划。") % {"name": village.name}
            elif self.town_id and not village.code.startswith(self.town_id):
                errors["village"] = _("“%(village)s”不属于“%(town)s”。") % {
                    "village": village.name,
                    "town": self.town.name,
                }
            elif not self.town_id:
                self.town_id = village.code[:9]
        if self.town_id and "village" not in errors:
            town = Region.objects.filter(code=self.town_id).first()
            if town is None or town.level != Region.Level.TOWN:
                errors["town"] = _("请选择镇（街道）级区划。")
            elif partnership is not None and not town.code.startswith(partnership.west_region_id):
                errors["town"] = _("“%(town)s”不在%(county)s境内。") % {
                    "town": town.name,
                    "county": partnership.west_region.name,
                }
        return errors

    def clean(self):
        raise_errors(self.clean_place())


def partnership_key(on_delete=models.PROTECT, **kwargs):
    """The foreign key from a record to the partnership it belongs to (协作关系). Unless
    told otherwise, a partnership that has such records cannot be deleted."""
    return models.ForeignKey(Partnership, verbose_name=_("协作关系"), on_delete=on_delete, **kwargs)


class PartnershipRecord(Tracked):
    """A record of one partnership's work: counted in that partnership's figures, and shown
    to the users whose areas cover the partnership (cooperation/areas.py)."""

    partnership = partnership_key()

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


# What the name of a record's partnership is made of (`str(partnership)`): lists that show
# each row's partnership select these with the rows.
PARTNERSHIP_REGIONS = ("partnership__east_region", "partnership__west_region")


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


def money_field(verbose_name, **kwargs):
    """An amount in 万元, exact to the yuan (4 decimal places), never negative."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"), message=_("金额不能为负数。"))],
        **kwargs,
    )


class ExportAudit(models.Model):
    """A record of one export (who, when, which list, which filter, how many rows): every
    export of personal data writes one, and so does every export by a signed-in user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("导出时间"), default=timezone.now, db_index=True)
    list_name = models.CharField(_("列表"), max_length=80)
    query_string = models.TextField(_("筛选条件"), blank=True)
    format = models.CharField(_("格式"), max_length=4)
    rows = models.PositiveIntegerField(_("行数"))
    personal_data = models.BooleanField(_("含个人信息"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("one record", "导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.list_name}"


class BackgroundJob(models.Model):
    """Work done for one user by a task in a worker process, with a page of its own that
    only he sees (cooperation/background_views.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=80)  # the register or the list
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("开始时间"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def busy(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stalled(self):
        """Still busy long after it began: its worker may have stopped (killed, restarted)
        before it could record the end."""
        limit = datetime.timedelta(hours=settings.BACKGROUND_JOB_STALLED_HOURS)
        return self.busy and timezone.now() - self.created_at > limit


class ImportJob(BackgroundJob):
    """A file imported in the background (cooperation/imports/jobs.py): first checked (a dry
    run of every line), then, once its clerk confirms, imported all-or-nothing. Its result
    stays for the clerk to come back to: the counts, and every error by line and column."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        CHECKED = "checked", _("检查通过，待确认")
        REFUSED = "refused", _("有错误，未导入")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("处理出错")

    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    resource = models.CharField(_("导入类型"), max_length=120)  # dotted path of the resource
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True)
    size_hint = models.PositiveIntegerField(_("约多少行"), default=0)
    dry_run = models.BooleanField(_("仅检查"), default=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    started_at = models.DateTimeField(_("检查或导入开始"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = pgettext_lazy("one record", "后台导入")
        verbose_name_plural = _("后台导入")


class ExportJob(BackgroundJob):
    """A large export written in the background (cooperation/lists/background.py): the list's
    export run by a worker for its user, with his filters and language, kept as a file for
    him to download. The export itself writes its ExportAudit row, as in the browser."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("处理出错")

    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    path = models.TextField(_("导出地址"))  # the export URL with its query string
    language = models.CharField(_("语言"), max_length=10)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = pgettext_lazy("one record", "后台导出")
        verbose_name_plural = _("后台导出")


class DataVersion(models.Model):
    """The data version of one partnership's records — or, in the row `GLOBAL` (0), of the
    records that belong to no partnership (regions, partnerships, organisations). Its token
    changes in the same transaction as every write to those records
    (cooperation/freshness.py), so that anything cached under it is never stale."""

    GLOBAL = 0

    # Not a foreign key: the global row has no partnership, and a deleted partnership's row
    # may stay (it only ever makes a version change).
    partnership_id = models.BigIntegerField(_("协作关系"), primary_key=True)
    token = models.CharField(_("数据版本标识"), max_length=32)
    counter = models.BigIntegerField(_("修改次数"), default=0)
    changed_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self):
        return f"{self.partnership_id}: {self.counter} ({self.token})"


class YearFigure(models.Model):
    """One part of one figure of one partnership's year (cooperation/dashboard/facts.py): the value
    the indicator's aggregate takes over the partnership's records (`part` names one of a
    figure's several aggregates, e.g. the sum and the count of a mean). Roll-ups add these up
    instead of scanning every record of the nation. Derived data: rebuilt, never edited."""

    partnership = partnership_key(on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("指标"), max_length=80)
    part = models.CharField(_("组成部分"), max_length=16, blank=True)
    value = models.DecimalField(_("数值"), max_digits=28, decimal_places=4, null=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "年度指标值")
        verbose_name_plural = _("年度指标值")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "partnership", "key", "part"], name="yearfigure_unique"
            )
        ]

    def __str__(self):
        return f"{self.partnership_id} {self.year} {self.key}{':' if self.part else ''}{self.part}"


class YearFigureStamp(models.Model):
    """The data version (`DataVersion.token`) a partnership's figures of a year were computed
    at: they are current while it equals the partnership's token (cooperation/dashboard/facts.py)."""

    partnership = partnership_key(on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    token = models.CharField(_("数据版本标识"), max_length=32)

    class Meta:
        verbose_name = pgettext_lazy("one record", "年度指标版本")
        verbose_name_plural = _("年度指标版本")
        constraints = [
            models.UniqueConstraint(fields=["year", "partnership"], name="yearfigurestamp_unique")
        ]

    def __str__(self):
        return f"{self.partnership_id} {self.year}: {self.token}"


class UserArea(models.Model):
    """Where a staff user works (cooperation/areas.py): an official region — a county, a
    city or a province — and, for a city or province, the side whose counties it covers;
    no region is the nation. A county covers the partnerships it belongs to; a city or
    province on the west side the partnerships whose western county lies in it (on the
    east side, whose eastern county); without a side, both. A role says what a user may
    do, an area where."""

    class Side(models.TextChoices):
        BOTH = "", _("东西部均可")
        EAST = "east", _("东部")
        WEST = "west", _("西部")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="areas",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__lte": Region.Level.COUNTY},
        help_text=_("省、市或县（区）；留空表示全国。"),
    )
    side = models.CharField(_("东西部"), max_length=4, choices=Side.choices, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "工作地区")
        verbose_name_plural = _("工作地区")
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "side"], name="userarea_unique")
        ]

    def __str__(self):
        return self.label(self.region.name if self.region else None, self.side)

    @classmethod
    def label(cls, region_name, side):
        """An area in words: 汉滨区, 江苏省（东部）, 全国 (`region_name` None)."""
        if region_name is None:
            return str(_("全国"))
        if side:
            return f"{region_name}（{cls.Side(side).label}）"
        return region_name

    def clean(self):
        if self.region is not None and self.region.level > Region.Level.COUNTY:
            raise ValidationError({"region": _("工作地区应为省、市或县（区），不能是镇或村。")})
        if self.region is None and self.side:
            raise ValidationError({"side": _("全国不分东西部。")})
