"""People and jobs. Personal data (names, ID numbers, phones) lives only in this app and is
shown in full only to users with the permission `labor.view_personal_data`."""

import re

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.models import (
    PartnershipRecord,
    Region,
    Tracked,
    WesternPlace,
    check_order,
    check_within,
    partnership_key,
    raise_errors,
)

from . import idcard, rules
from .querysets import (
    CommunityFactoryQuerySet,
    EmploymentQuerySet,
    WorkerQuerySet,
    WorkerYearQuerySet,
)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
validate_mobile = RegexValidator(MOBILE_RE, _("手机号码应为以13–19开头的11位数字。"), code="mobile")


def normalise_phone(value):
    """Full-width digits to ASCII; spaces and hyphens (138-1234-5678) removed."""
    return re.sub(r"[\s\-]+", "", idcard.normalise_digits(value or ""))


class NormalisedField(models.CharField):
    """A code of `length` characters, normalised on the way in; its form takes up to
    `typed_length` (typed with spaces or full-width digits it is longer until normalised)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.length)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": self.typed_length, **kwargs})


class IdNumberField(NormalisedField):
    """An 18-character resident ID number, normalised (full-width digits, x → X) on the way in."""

    length, typed_length = 18, 40
    normalise = staticmethod(idcard.normalise)


class MobileField(NormalisedField):
    """An 11-digit mobile number, normalised (full-width digits, spaces, hyphens) on the way in."""

    length, typed_length = 11, 30
    normalise = staticmethod(normalise_phone)


def validate_id_number(value):
    idcard.validate(value)


class Worker(PartnershipRecord):
    """A rural worker of the western county (personal data)."""

    class Household(models.TextChoices):
        POVERTY_EXITED = "exited", _("脱贫户")
        MONITORED = "monitored", _("监测对象")
        ORDINARY = "ordinary", _("一般户")

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    # Indexes: see Meta (the composite ones start with the partnership; the single-column
    # ones Django would add to each foreign key only slow down large imports).
    partnership = partnership_key(db_index=False)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = IdNumberField(
        _("身份证号码"),
        unique=True,
        validators=[validate_id_number],
        error_messages={"unique": _("该身份证号码已登记。")},
    )
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    phone = MobileField(_("手机号码"), blank=True, validators=[validate_mobile])
    home_town = models.ForeignKey(
        Region,
        verbose_name=_("户籍镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.TOWN},
        db_index=False,
    )
    home_village = models.ForeignKey(
        Region,
        verbose_name=_("户籍村（社区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.VILLAGE},
        db_index=False,
    )
    household = models.CharField(_("户类型"), max_length=10, choices=Household.choices)
    note = models.TextField(_("备注"), blank=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "务工人员")
        verbose_name_plural = _("务工人员")
        ordering = ["id"]
        permissions = [("view_personal_data", _("查看个人信息（姓名、身份证号、手机号）"))]
        indexes = [
            models.Index(fields=["partnership", "home_town"], name="worker_p_town"),
            models.Index(fields=["partnership", "household"], name="worker_p_household"),
            models.Index(fields=["home_town"], name="worker_town"),  # admin filter, nationally
        ]

    def __str__(self):
        # Never the name: __str__ ends up in logs, admin messages and history.
        return _("务工人员 #%(id)s") % {"id": self.pk}

    def clean(self):
        # The ID number is checked by its field's validator (clean_fields), not again here.
        errors = {}
        if self.home_village_id:
            if self.home_town_id and not self.home_village_id.startswith(self.home_town_id):
                errors["home_village"] = _("户籍村不属于所选的镇。")
            else:
                self.home_town_id = self.home_village_id[:9]
        if self.home_town_id and self.partnership_id:
            if not self.home_town_id.startswith(self.partnership.west_region_id):
                errors["home_town"] = _("户籍镇不在%(county)s境内。") % {
                    "county": self.partnership.west_region.name
                }
        raise_errors(errors)

    def save(self, *args, **kwargs):
        # Gender and birth date are derived from the ID number, never typed.
        self.id_number = idcard.normalise(self.id_number)
        if len(self.id_number) == 18:
            self.birth_date = idcard.birth_date_of(self.id_number)
            self.gender = idcard.gender_of(self.id_number)
        if self.home_village_id and not self.home_town_id:
            self.home_town_id = self.home_village_id[:9]
        # The post_save signal rebuilds the worker's WorkerYear rows (home town, household
        # are copied there): inside this block, so record and facts commit together.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def masked_id_number(self):
        return idcard.mask(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


def mask_name(name):
    """韩廷勤 → 韩**."""
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def mask_phone(phone):
    """13812345678 → 138****5678."""
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 7 else ("*" * len(phone or ""))


class JobFair(PartnershipRecord):
    """招聘会: a recruitment fair and what came of it."""

    name = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    town = models.ForeignKey(
        Region,
        verbose_name=_("举办镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.TOWN},
    )
    organiser = models.CharField(_("主办单位"), max_length=200, blank=True)
    employers = models.PositiveIntegerField(_("参会企业数"), default=0)
    jobs_offered = models.PositiveIntegerField(_("提供岗位数"), default=0)
    intentions = models.PositiveIntegerField(_("达成就业意向人数"), default=0)
    hired = models.PositiveIntegerField(_("实现初次就业人数"), default=0)
    stable = models.PositiveIntegerField(_("其中稳定就业人数"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("one record", "招聘会")
        verbose_name_plural = _("招聘会")
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name", "date"], name="jobfair_unique"),
            models.CheckConstraint(
                condition=Q(stable__lte=F("hired")), name="jobfair_stable_within_hired"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "date"], name="jobfair_p_date")]

    def __str__(self):
        return f"{self.date} {self.name}"

    def clean(self):
        errors = {}
        check_within(errors, self, "stable", "hired", _("稳定就业人数不能多于实现就业人数。"))
        if (
            self.town_id
            and self.partnership_id
            and not self.town_id.startswith(self.partnership.west_region_id)
        ):
            errors["town"] = _("举办镇不在%(county)s境内。") % {
                "county": self.partnership.west_region.name
            }
        raise_errors(errors)


class Employment(Tracked):
    """A worker's job spell. "In the east" and "stable" are derived, never typed."""

    class Channel(models.TextChoices):
        JOB_FAIR = "job_fair", _("招聘会")
        LABOUR_STATION = "station", _("劳务工作站")
        ORGANISED = "organised", _("有组织输转")
        SELF_FOUND = "self", _("自主就业")
        LOCAL_FACTORY = "factory", _("社区工厂就近就业")
        OTHER = "other", _("其他")

    worker = models.ForeignKey(
        Worker,
        verbose_name=_("务工人员"),
        on_delete=models.CASCADE,
        related_name="employments",
        db_index=False,  # employment_worker_start serves it
    )
    employer = models.CharField(_("就业单位"), max_length=200)
    job = models.CharField(_("工种（岗位）"), max_length=100, blank=True)
    destination = models.ForeignKey(
        Region,
        verbose_name=_("就业地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never filtered on (regions are read-only)
    )
    destination_text = models.CharField(
        _("就业地（区划代码表以外）"),
        max_length=200,
        blank=True,
        help_text=_("就业地不在区划代码表中（如外省乡镇）时照实填写。"),
    )
    in_east = models.BooleanField(_("在东部协作省份就业"), default=False, editable=False)
    start_date = models.DateField(_("就业开始日期"))
    end_date = models.DateField(_("就业结束日期"), null=True, blank=True)
    monthly_wage = models.DecimalField(
        _("月工资（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    channel = models.CharField(_("就业渠道"), max_length=10, choices=Channel.choices)
    job_fair = models.ForeignKey(
        JobFair,
        verbose_name=_("招聘会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employments",
    )

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "就业记录")
        verbose_name_plural = _("就业记录")
        ordering = ["worker", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(monthly_wage__isnull=True) | Q(monthly_wage__gte=0),
                name="employment_wage_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "start_date"], name="employment_worker_start"),
            models.Index(fields=["start_date"], name="employment_start"),
        ]

    def __str__(self):
        return _("就业记录 #%(id)s") % {"id": self.pk}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that moving a spell to another worker rebuilds both workers' facts.
        instance._loaded_worker_id = instance.__dict__.get("worker_id")
        return instance

    def clean(self):
        errors = {}
        if self.start_date and self.start_date > timezone.localdate():
            errors["start_date"] = _("就业开始日期不能晚于今天（尚未开始的就业不登记）。")
        check_order(errors, self, "start_date", "end_date", _("就业结束日期不能早于开始日期。"))
        if self.monthly_wage is not None and self.monthly_wage < 0:
            errors["monthly_wage"] = _("月工资不能为负数。")
        raise_errors(errors)

    def derive_in_east(self):
        """In the east when the destination lies in the partnership's eastern province."""
        if not self.destination_id:  # not in the east, without loading the partnership
            return False
        return rules.in_eastern_province(
            self.destination_id, self.worker.partnership.east_region_id
        )

    def save(self, *args, **kwargs):
        self.in_east = self.derive_in_east()
        # The post_save signal rebuilds the worker's WorkerYear rows in this transaction.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)


class WorkerYear(models.Model):
    """A worker's facts for one calendar year, derived from his employments.

    Maintained state, never typed: rebuilt by `labor.services.rebuild_worker_years` in the
    same transaction as every change to the worker or his employments, so that the labour
    figures are plain indexed aggregates at any scale. A row exists for every year in which
    one of the worker's spells falls (up to the current year). See README, "Labour data".
    Each fact is defined in `labor.rules` (`years_of` and the rules it calls)."""

    # Derived rows, rewritten with every change of their worker: the partnership and home
    # town are copies of the worker's own (checked there), so they carry no foreign-key
    # constraint of their own, and no index beyond those in Meta — each would cost every
    # import a check or an index entry per row (2–3 rows per worker).
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("务工人员"),
        on_delete=models.CASCADE,
        related_name="years",
        db_index=False,  # workeryear_unique (worker, year) serves it
    )
    partnership = partnership_key(
        on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    home_town = models.ForeignKey(
        Region,
        verbose_name=_("户籍镇（街道）"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    household = models.CharField(_("户类型"), max_length=10, choices=Worker.Household.choices)
    transferred = models.BooleanField(_("当年转移就业"), default=False)
    transferred_month = models.PositiveSmallIntegerField(_("转移就业月份"), null=True)
    transferred_east = models.BooleanField(_("当年转移到东部协作省份"), default=False)

    class Destination(models.TextChoices):
        EAST = rules.EAST, _("东部协作省份")
        HOME = rules.HOME, _("省内就近")
        ELSEWHERE = rules.ELSEWHERE, _("其他地区")

    transfer_destination = models.CharField(
        _("当年转移就业去向"), max_length=9, choices=Destination.choices, blank=True, default=""
    )
    in_east = models.BooleanField(_("当年在东部协作省份就业"), default=False)
    employed_days = models.PositiveIntegerField(_("当年就业天数"), default=0)
    stable = models.BooleanField(_("稳定就业"), default=False)
    monthly_wage = models.DecimalField(
        _("月均工资（元）"), max_digits=10, decimal_places=2, null=True
    )

    objects = WorkerYearQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "务工人员年度就业情况")
        verbose_name_plural = _("务工人员年度就业情况")
        ordering = ["worker", "year"]
        constraints = [models.UniqueConstraint(fields=["worker", "year"], name="workeryear_unique")]
        indexes = [
            models.Index(fields=["partnership", "year", "home_town"], name="workeryear_p_y_town"),
            models.Index(
                fields=["partnership", "year", "transferred_month"], name="workeryear_p_y_month"
            ),
        ]

    def __str__(self):
        return f"{self.worker_id}/{self.year}"


class TrainingCourse(PartnershipRecord):
    """培训班: a training course and its results."""

    class Kind(models.TextChoices):
        ADVANCED = "advanced", _("高级研修班")
        SKILLS = "skills", _("职业技能培训")
        ECOMMERCE = "ecommerce", _("互联网营销师培训")
        OTHER = "other", _("其他培训")

    name = models.CharField(_("培训班名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"), null=True, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=200, blank=True)
    town = models.ForeignKey(
        Region,
        verbose_name=_("举办镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.TOWN},
    )
    trainees = models.PositiveIntegerField(_("培训人数"), default=0)
    certified = models.PositiveIntegerField(_("取得证书（合格）人数"), default=0)
    employed_after = models.PositiveIntegerField(_("培训后就业人数"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("one record", "培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "start_date"], name="course_unique"
            ),
            models.CheckConstraint(
                condition=Q(certified__lte=F("trainees")), name="course_certified_within"
            ),
            models.CheckConstraint(
                condition=Q(employed_after__lte=F("trainees")), name="course_employed_within"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "start_date"], name="course_p_start")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        check_order(errors, self, "start_date", "end_date", _("结业日期不能早于开班日期。"))
        check_within(errors, self, "certified", "trainees", _("合格人数不能多于培训人数。"))
        message = _("培训后就业人数不能多于培训人数。")
        check_within(errors, self, "employed_after", "trainees", message)
        raise_errors(errors)


class CommunityFactory(WesternPlace, PartnershipRecord):
    """新社区工厂 / 帮扶车间: a workshop in a resettlement community that employs locals."""

    name = models.CharField(_("工厂名称"), max_length=200)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    opened_on = models.DateField(_("投产日期"))
    closed_on = models.DateField(_("停产日期"), null=True, blank=True)
    jobs = models.PositiveIntegerField(_("吸纳就业人数"), default=0)
    poverty_exited_jobs = models.PositiveIntegerField(_("其中脱贫劳动力"), default=0)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("扶持项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="factories",
    )

    objects = CommunityFactoryQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "新社区工厂")
        verbose_name_plural = _("新社区工厂")
        ordering = ["-opened_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="factory_unique_name"),
            models.CheckConstraint(
                condition=Q(poverty_exited_jobs__lte=F("jobs")), name="factory_exited_within_jobs"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "opened_on"], name="factory_p_opened")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = self.clean_place()
        message = _("其中脱贫劳动力不能多于吸纳就业人数。")
        check_within(errors, self, "poverty_exited_jobs", "jobs", message)
        check_order(errors, self, "opened_on", "closed_on", _("停产日期不能早于投产日期。"))
        raise_errors(errors)
