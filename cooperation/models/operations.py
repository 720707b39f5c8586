"""The site's own tables: the audit of exports, background imports and exports, the data
versions and yearly figures the cache by scope rests on, and the areas of staff users."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import (
    Region,
    partnership_key,
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
