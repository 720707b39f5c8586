"""The indicator registry, and the core app's own indicators.

An *indicator* is a named, documented computation over records for one partnership and
year, optionally narrowed to a town of the western county or to a month:

    @register(
        key="postings.cadres_w2e",            # unique, "<area>.<name>"
        label=_("西部选派到东部的党政干部"),     # shown on the dashboard, in exports, in targets
        unit=_("人"),
        group=Group.PEOPLE,                    # the assessment group it is shown under
        list_url=lambda p, year, town=None, month=None: ...,  # rows that add up to it
    )
    def cadres_w2e(partnership, year, town=None, month=None):
        return ...  # one aggregate query, a number (int or Decimal)

Each app contributes its own module (`projects/indicators.py`, `labor/indicators.py`);
the apps' `ready()` imports them, so `registry` holds every indicator once the site is up.
The dashboard, the annual summary, the exports and the tests all read `registry`; none of
them computes a figure of its own, so a figure cannot differ between two places.

`compute` must run a fixed number of queries (usually one aggregate), whatever the data.
`town` is a `Region` of town level (乡级) or None; `month` is 1–12 or None. An indicator
that cannot be narrowed by town or month says so with `by_town=False` / `by_month=False`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """The groups of the yearly assessment (东西部协作考核), in the order it lists them."""

    FUNDS = "funds", _("资金支持")
    PEOPLE = "people", _("干部人才交流")
    PAIRINGS = "pairings", _("结对帮扶")
    INDUSTRY = "industry", _("产业合作")
    LABOUR = "labour", _("劳务协作")
    CONSUMPTION = "consumption", _("消费帮扶")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    group: str
    compute: Callable
    description: str = ""
    list_url: Callable | None = None
    by_town: bool = True
    by_month: bool = True
    order: int = 0
    decimals: int = field(default=0)

    def value(self, partnership, year, town=None, month=None):
        if town is not None and not self.by_town:
            return None
        if month is not None and not self.by_month:
            return None
        result = self.compute(partnership, year, town=town, month=month)
        return 0 if result is None else result

    def url(self, partnership, year, town=None, month=None):
        if self.list_url is None:
            return None
        return self.list_url(partnership, year, town=town, month=month)


class IndicatorRegistry:
    def __init__(self):
        self._items: dict[str, Indicator] = {}

    def register(self, *, key, label, unit, group, list_url=None, **options):
        def decorator(func):
            if key in self._items:
                raise ValueError(f"indicator {key!r} is registered twice")
            self._items[key] = Indicator(
                key=key,
                label=label,
                unit=unit,
                group=group,
                compute=func,
                description=(func.__doc__ or "").strip(),
                list_url=list_url,
                order=options.pop("order", len(self._items)),
                **options,
            )
            return func

        return decorator

    def get(self, key):
        return self._items.get(key)

    def __getitem__(self, key):
        return self._items[key]

    def __contains__(self, key):
        return key in self._items

    def __iter__(self):
        return iter(self.all())

    def __len__(self):
        return len(self._items)

    def all(self):
        group_rank = {g: i for i, g in enumerate(Group.values)}
        return sorted(self._items.values(), key=lambda i: (group_rank.get(i.group, 99), i.order))

    def by_group(self):
        """[(Group, [Indicator, …]), …] in the assessment's order, empty groups left out."""
        grouped = {}
        for ind in self.all():
            grouped.setdefault(ind.group, []).append(ind)
        return [(Group(g), grouped[g]) for g in Group.values if g in grouped]

    def choices(self):
        return [(i.key, f"{i.label}（{i.unit}）") for i in self.all()]


registry = IndicatorRegistry()
register = registry.register


@functools.cache
def _path(url_name, prefix):
    """reverse() of a list without arguments, once per name and script prefix (a dashboard
    links 49 cards)."""
    return reverse(url_name)


def list_link(url_name, **fixed):
    """A `list_url` for an indicator: the named list, filtered to the partnership and year
    (and town and month when given), plus fixed filter values."""

    def build(partnership, year, town=None, month=None):
        params = {"partnership": partnership.pk, "year": year}
        if town is not None:
            params["town"] = town.code
        if month is not None:
            params["month"] = month
        params.update(fixed)
        return f"{_path(url_name, get_script_prefix())}?{urlencode(params)}"

    return build


def percent(actual, target):
    """Percent of target reached, or None without a (positive) target."""
    if target is None or not target:
        return None
    return (Decimal(actual) / Decimal(target) * 100).quantize(Decimal("0.1"))


# --- The core app's indicators: people exchange, pairings, visits ----------------------------
# (imported late to keep the registry importable from models)

from .models import Direction, Pairing, Posting, Visit  # noqa: E402


def _postings(partnership, year, town=None, month=None, **filters):
    """Postings arrived by the end of the year; a town is the posting's western end."""
    qs = Posting.objects.for_partnership(partnership).started_by_end_of(year).filter(**filters)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.filter(start_date__year=year, start_date__month=month)
    return qs


def _posting_indicator(key, label, direction, categories, order):
    """Cumulative persons sent since the partnership began, by direction and category."""
    cats = {"category__in": categories}

    def compute(partnership, year, town=None, month=None):
        return _postings(partnership, year, town, month, direction=direction, **cats).person_count()

    compute.__doc__ = (
        f"截至年底累计选派人数（{Direction(direction).label}）：同一人（姓名与派出单位相同）多次选派只计一人；"
        "按镇筛选时按西部一端（西部派出单位或西部接收单位）所在镇；按月筛选时为当月到岗人数。"
    )
    kind = "cadre" if categories == ["cadre"] else "professional"
    register(
        key=key,
        label=label,
        unit=_("人"),
        group=Group.PEOPLE,
        order=order,
        list_url=list_link("cooperation:postings", direction=direction, kind=kind, cumulative=1),
    )(compute)


_PROFESSIONALS = [c.value for c in Posting.PROFESSIONAL_CATEGORIES]
_posting_indicator(
    "postings.cadres_w2e",
    _("西部选派到东部挂职干部（累计）"),
    Direction.WEST_TO_EAST,
    ["cadre"],
    10,
)
_posting_indicator(
    "postings.professionals_w2e",
    _("西部选派到东部专业技术人才（累计）"),
    Direction.WEST_TO_EAST,
    _PROFESSIONALS,
    11,
)
_posting_indicator(
    "postings.cadres_e2w",
    _("东部选派到西部挂职干部（累计）"),
    Direction.EAST_TO_WEST,
    ["cadre"],
    12,
)
_posting_indicator(
    "postings.professionals_e2w",
    _("东部选派到西部专业技术人才（累计）"),
    Direction.EAST_TO_WEST,
    _PROFESSIONALS,
    13,
)


@register(
    key="postings.person_times_in_year",
    label=_("本年度选派干部人才人次"),
    unit=_("人次"),
    group=Group.PEOPLE,
    order=14,
    list_url=list_link("cooperation:postings"),
)
def postings_person_times(partnership, year, town=None, month=None):
    """本年度到岗的选派人次（双向，干部与专业技术人才合计）；一人两次计两人次。
    按镇筛选时按西部一端（西部派出单位或西部接收单位）所在镇。"""
    qs = _postings(partnership, year, town, month).started_in(year)
    return qs.person_times()


@register(
    key="postings.on_post_at_year_end",
    label=_("年底在岗选派干部人才"),
    unit=_("人"),
    group=Group.PEOPLE,
    order=15,
    by_month=False,
    list_url=list_link("cooperation:postings", on_post_at_year_end=1),
)
def postings_on_post_at_year_end(partnership, year, town=None, month=None):
    """12月31日仍在岗（已到岗、未离岗）的选派人员人数（双向合计）。
    按镇筛选时按西部一端（西部派出单位或西部接收单位）所在镇。"""
    qs = _postings(partnership, year, town).on_post_at_end_of(year)
    return qs.person_count()


@register(
    key="postings.average_months",
    label=_("选派干部人才本年度平均在岗时长"),
    unit=_("月"),
    group=Group.PEOPLE,
    order=16,
    by_month=False,
    decimals=1,
    list_url=list_link("cooperation:postings", on_post_in_year=1),
)
def postings_average_months(partnership, year, town=None, month=None):
    """本年度内在岗的每人次在本年度内的在岗天数之平均，按每月30天折算为月。
    按镇筛选时按西部一端（西部派出单位或西部接收单位）所在镇。"""
    qs = Posting.objects.for_partnership(partnership)
    if town is not None:
        qs = qs.in_town(town)
    avg = qs.average_months_in(year)
    return Decimal(str(avg)) if avg is not None else Decimal("0")


def _pairings(partnership, year, town=None, month=None):
    qs = Pairing.objects.for_partnership(partnership).active_at_end_of(year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.filter(signed_on__year=year, signed_on__month=month)
    return qs


@register(
    key="pairings.active",
    label=_("年底有效结对关系"),
    unit=_("对"),
    group=Group.PAIRINGS,
    order=20,
    list_url=list_link("cooperation:pairings", active_at_year_end=1),
)
def pairings_active(partnership, year, town=None, month=None):
    """截至12月31日已签约且未终止的结对关系数（镇村、企业、学校、医院等各类合计）。"""
    return _pairings(partnership, year, town, month).count()


def _pairing_level_indicator(level, label, order):
    def compute(partnership, year, town=None, month=None):
        return _pairings(partnership, year, town, month).filter(level__in=level).count()

    compute.__doc__ = f"截至12月31日有效的{label}数。"
    register(
        key=f"pairings.{level[0]}",
        label=label,
        unit=_("对"),
        group=Group.PAIRINGS,
        order=order,
        list_url=list_link("cooperation:pairings", active_at_year_end=1, level=level[0]),
    )(compute)


_pairing_level_indicator(["town"], _("镇（街道）结对"), 21)
_pairing_level_indicator(["village"], _("村（社区）结对"), 22)
_pairing_level_indicator(["enterprise_village"], _("企业结对帮扶村"), 23)
_pairing_level_indicator(["school"], _("学校结对"), 24)
_pairing_level_indicator(["hospital"], _("医院结对"), 25)


@register(
    key="pairings.signed_in_year",
    label=_("本年度新签结对关系"),
    unit=_("对"),
    group=Group.PAIRINGS,
    order=26,
    list_url=list_link("cooperation:pairings", signed_in_year=1),
)
def pairings_signed_in_year(partnership, year, town=None, month=None):
    """本年度签约的结对关系数。"""
    qs = Pairing.objects.for_partnership(partnership).filter(signed_on__year=year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.filter(signed_on__month=month)
    return qs.count()


def _visits(partnership, year, month=None):
    qs = Visit.objects.for_partnership(partnership).in_year(year)
    if month is not None:
        qs = qs.filter(date__month=month)
    return qs


@register(
    key="visits.count",
    label=_("互访考察批次"),
    unit=_("批次"),
    group=Group.PEOPLE,
    order=17,
    by_town=False,
    list_url=list_link("cooperation:visits"),
)
def visits_count(partnership, year, town=None, month=None):
    """本年度两地互访考察的批次数（双向合计）。"""
    return _visits(partnership, year, month).count()


@register(
    key="visits.people",
    label=_("互访考察人次"),
    unit=_("人次"),
    group=Group.PEOPLE,
    order=18,
    by_town=False,
    list_url=list_link("cooperation:visits"),
)
def visits_people(partnership, year, town=None, month=None):
    """本年度互访考察各批次人数之和。"""
    return _visits(partnership, year, month).totals()["people"]


__all__ = ["Group", "Indicator", "registry", "register", "list_link", "percent"]
