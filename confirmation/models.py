"""年度确认: each side's reviewer confirms a partnership's year, with a snapshot of every
figure; both confirmed, the year is closed (closing.py) until a reviewer reopens it."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.models import Partnership


class Side(models.TextChoices):
    WEST = "west", _("西部")
    EAST = "east", _("东部")


class YearConfirmation(models.Model):
    """One side's confirmation of a partnership's year: who, when, the figures as they were
    (`figures`: {indicator key: value}) and the side's remarks ({indicator key: text}).
    `active` until the year is reopened, or until the figures change before the other side
    confirms (then the first confirmation no longer holds: see state.confirm)."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("协作关系"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    side = models.CharField(_("东西部"), max_length=4, choices=Side.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)
    figures = models.JSONField(_("确认时的指标值"), encoder=DjangoJSONEncoder)
    remarks = models.JSONField(_("说明"), default=dict, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    ended_why = models.CharField(_("失效原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("one record", "年度确认")
        verbose_name_plural = _("年度确认")
        ordering = ["-confirmed_at"]
        permissions = [("confirm_year", _("可以确认和重新打开年度数据"))]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "side"],
                condition=Q(active=True),
                name="yearconfirmation_one_active_per_side",
            )
        ]
        indexes = [models.Index(fields=["partnership", "year"], name="yearconfirmation_p_y")]

    def __str__(self):
        return f"{self.partnership_id} {self.year} {self.get_side_display()}"


class YearReopening(models.Model):
    """A reviewer reopened a closed year, and why. `figures`: the figures both sides had
    confirmed, against which the year's drift is shown."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("协作关系"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    side = models.CharField(_("东西部"), max_length=4, choices=Side.choices)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新打开人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("重新打开时间"), auto_now_add=True)
    reason = models.TextField(_("重新打开原因"))
    figures = models.JSONField(_("原确认的指标值"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = pgettext_lazy("one record", "重新打开年度")
        verbose_name_plural = _("重新打开年度")
        ordering = ["-reopened_at"]
        indexes = [models.Index(fields=["partnership", "year"], name="yearreopening_p_y")]

    def __str__(self):
        return f"{self.partnership_id} {self.year}"
