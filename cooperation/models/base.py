"""What every record shares: who changed it and when, its history and version (`Tracked`);
the official regions; partnerships and organisations; a record's place in the western
county (`WesternPlace`) and its partnership (`PartnershipRecord`); the checks of `clean()`."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..middleware import get_current_user
from ..querysets import (
    PartnershipQuerySet,
    RecordQuerySet,
    RegionQuerySet,
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
