"""The figures engine: indicators declared as data, computed for any scope.

A **source** is a kind of record and says how its records reach each level of scope:

    POSTINGS = Source(
        "postings", "cooperation.Posting",
        rows=lambda year: Q(start_date__lte=year_end(year)),   # what any figure may count
        town=posting_in_town_q,                                # a town of the western county
        month=lambda year, m: Q(start_date__year=year, start_date__month=m),
    )

An **indicator** is an aggregate (a `Measure`) over the rows of one source that meet its
condition (`where`, a Q or a function of the year):

    declare(
        key="postings.cadres_w2e", label=_("…"), unit=_("人"), group=Group.PEOPLE,
        source=POSTINGS, measure=persons(POSTED_PERSON),
        where=Q(direction="w2e", category="cadre"),
        list=list_link("cooperation:postings", direction="w2e", kind="cadre", cumulative=1),
        description="…",                                        # how the figure is computed
    )

`evaluate(scope, year)` computes every indicator with **one conditional aggregate per
source** (`SUM(x) FILTER (WHERE …)` for each indicator, in one SELECT over the source's rows
of the scope and year), whatever the scope: a town, a partnership, a city or province pair,
the nation. `evaluate_by_partnership` does the same grouped by partnership (the comparison
table of a roll-up). No figure is computed anywhere else: the dashboard, the annual summary,
the exports, the charts' links and the tests all read this registry.

**Periods.** `evaluate(scope, year, since=first)` computes the figures of the years
`first`…`year`: each counts every record it would count in any of those years, once (the
union of the years' rows). So a flow (funds, sales, courses opened) is the sum of its years,
a stock (pairings in effect, factories operating at year end) covers every record in effect
in some year of the range, and persons are counted again over the range. A measure whose
rows are themselves person-years says so with `over_years` (one row per worker and year:
distinct workers over a range); a figure of one year only (`over_years=None`, e.g. the
average months on post within the year) has no value over a range.

Keys are a contract (targets, the demo data and exports refer to them): never rename one.
Each app declares its own indicators (`projects/indicators.py`, `labor/indicators.py`); the
apps' `ready()` imports them.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db import models
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cooperation import freshness
from cooperation.dashboard import facts
from cooperation.dashboard.scopes import Scope, of_partnership


class Group(models.TextChoices):
    """The groups of the yearly assessment (东西部协作考核), in the order it lists them."""

    FUNDS = "funds", _("资金支持")
    PEOPLE = "people", _("干部人才交流")
    PAIRINGS = "pairings", _("结对帮扶")
    INDUSTRY = "industry", _("产业合作")
    LABOUR = "labour", _("劳务协作")
    CONSUMPTION = "consumption", _("消费帮扶")


# --- sources -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Source:
    """A kind of record figures are aggregated over, and how it reaches each level of scope:
    `rows(year)` the records any of its figures may count in a year; `town(code)` those of a
    town of the western county (None: its records name no town); `month(year, m)` those of
    a month (None: its records have no month); `partnership` the path to the partnership."""

    key: str
    model: str
    rows: Callable
    town: Callable | None = None
    month: Callable | None = None
    partnership: str = "partnership"

    def period_rows(self, year, since=None):
        """Q: the rows any of its figures may count in the years `since`…`year` (the year
        alone without `since`)."""
        return any_year(self.rows, year, since)

    def queryset(self, scope, year, month=None, since=None):
        """The rows of the scope and year (and month), or of the years `since`…`year`: the
        WHERE of the source's aggregate."""
        qs = apps.get_model(self.model).objects.filter(scope.records(self.partnership))
        qs = qs.filter(self.period_rows(year, since))
        if scope.town is not None:
            qs = qs.filter(self.town(scope.town.code))
        if month is not None:
            qs = qs.filter(self.month(year, month))
        return qs


#: the most years a period may span (pages and lists refuse longer ones: each year is one
#: more condition in every query)
LONGEST_PERIOD = 40


def years_of(year, since=None):
    """The years `since`…`year` (the year alone without `since`)."""
    return range(year if since is None else since, year + 1)


def period_error(year, since):
    """Why the years `since`…`year` are not a period (a message), or None when they are."""
    if since is None:
        return None
    if since > year:
        return gettext("起始年度不能晚于年度。")
    if year - since + 1 > LONGEST_PERIOD:
        return gettext("统计期间不能超过%(years)s年。") % {"years": LONGEST_PERIOD}
    return None


def period_name(year, since=None):
    """A period in words: 2021年, or 2019—2021年累计."""
    if since is None or since >= year:
        return gettext("%(y)s年") % {"y": year}
    return gettext("%(first)s—%(last)s年累计") % {"first": since, "last": year}


def any_year(condition, year, since=None):
    """Q: `condition(y)` for some year y of `since`…`year` (an OR of the years)."""
    return functools.reduce(operator.or_, (condition(y) for y in years_of(year, since)))


# Two sentences in a row: nothing between them in Chinese, a space in English.
_THEN = pgettext_lazy("two sentences in a row", "{}{}")


def sentences(first, second):
    """A description made of two translatable sentences (e.g. a figure's rule, then its
    source's shared rule for towns and months)."""
    return format_lazy(_THEN, first, second)


def in_town(code):
    """A source's `town` for records that name their town (`town`): those of the town."""
    return models.Q(town_id=code)


# --- measures ------------------------------------------------------------------------------

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=4)


def _value(values):
    return values[""]


def _int(value):
    return int(value)


def _decimal(value):
    return value


def _seconds(value):
    return datetime.timedelta(seconds=float(value))


SAME = "same"  # a measure's `over_years`: itself, over the union of the years' rows


@dataclass(frozen=True)
class Measure:
    """How a figure is aggregated: `parts(where, year)` gives named aggregates (each filtered
    by the indicator's condition), `finish(values)` the figure from their values. `empty`:
    the parts' values over no rows; `kinds`: how each part is read back from the yearly
    figures table (cooperation/dashboard/facts.py: int, Decimal or a duration in seconds);
    `summable`: the parts of partnerships add up to the parts of a roll-up (a distinct
    count does not: one person may appear in two partnerships). `over_years`: the measure
    over a range of years — SAME (this one, over the union of the years' rows), another
    measure (rows that are person-years count distinct persons), or None (a figure of one
    year only, which a range leaves empty)."""

    parts: Callable
    finish: Callable = _value
    empty: dict = field(default_factory=lambda: {"": 0})
    kinds: dict = field(default_factory=lambda: {"": _int})
    summable: bool = True
    over_years: object = SAME

    def over(self, since):
        """The measure for a period: itself for one year (`since` None), else `over_years`."""
        if since is None or self.over_years == SAME:
            return self
        return self.over_years


def per_year(measure, over_years):
    """`measure` for one year, and `over_years` (a measure, or None) over a range."""
    return replace(measure, over_years=over_years)


INTEGER, DECIMAL, DURATION = _int, _decimal, _seconds


def count():
    """The number of rows."""
    return Measure(lambda where, year: {"": Count("pk", filter=where)})


def total(field_or_expression, money=False):
    """The sum of a column (or expression), 0 over no rows."""
    zero = Value(ZERO, output_field=MONEY) if money else Value(0)

    def parts(where, year):
        summed = Sum(field_or_expression, filter=where)
        return {"": Coalesce(summed, zero, output_field=MONEY) if money else Coalesce(summed, zero)}

    if money:
        return Measure(parts, empty={"": ZERO}, kinds={"": DECIMAL})
    return Measure(parts)


def distinct(expression):
    """The number of distinct values (persons, enterprises)."""
    return Measure(
        lambda where, year: {"": Count(expression, distinct=True, filter=where)}, summable=False
    )


def mean(field_name, places):
    """The mean of a column to `places` decimals (half up) over the rows with a value; 0
    when none has one. Kept as a sum and a count, which add up across partnerships."""
    quantum = Decimal(1).scaleb(-places)

    def parts(where, year):
        return {"sum": Sum(field_name, filter=where), "n": Count(field_name, filter=where)}

    def finish(values):
        if not values["n"]:
            return ZERO.quantize(quantum)
        return (Decimal(values["sum"]) / values["n"]).quantize(quantum, ROUND_HALF_UP)

    return Measure(parts, finish, empty={"sum": None, "n": 0}, kinds={"sum": DECIMAL, "n": INTEGER})


def ratio(numerator, denominator, of=None):
    """A percentage (to 0.1, half up) of two aggregates over the same rows: `numerator`
    over the rows that also meet `of` (a Q), `denominator` over all the indicator's rows.
    Both are measures of one part (`count()`, `total(...)`), kept as two parts that add up
    across partnerships; over a denominator of 0 there is no figure (None: shown "—")."""

    def parts(where, year):
        narrowed = where
        if of is not None:
            narrowed = of if where is None else where & of
        return {
            "num": numerator.parts(narrowed, year)[""],
            "den": denominator.parts(where, year)[""],
        }

    def finish(values):
        return percent(values["num"], values["den"])

    return Measure(
        parts,
        finish,
        empty={"num": numerator.empty[""], "den": denominator.empty[""]},
        kinds={"num": numerator.kinds[""], "den": denominator.kinds[""]},
    )


# --- indicators -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Indicator:
    key: str
    label: str
    unit: str
    group: str
    source: Source
    measure: Measure
    where: object = None  # a Q, or a function of the year giving one; None: every row
    description: str = ""
    list_url: Callable | None = None  # (scope, year, month=None) → the list adding up to it
    by_month: bool = True
    order: int = 0
    decimals: int = field(default=0)
    additive: bool = True  # a sum: targets of partnerships add up at a roll-up
    headline: bool = False  # shown in a roll-up's comparison table

    @property
    def by_town(self):
        return self.source.town is not None

    @property
    def over_years(self):
        """Whether the figure has a value over a range of years."""
        return self.measure.over_years is not None

    def applies(self, scope, month=None, since=None):
        """Whether the figure can be narrowed to the scope (and month), and has a value over
        the years `since`…`year` (when `since` is given)."""
        return (
            (scope.town is None or self.by_town)
            and (month is None or self.by_month)
            and (since is None or self.over_years)
        )

    def condition(self, year, since=None):
        """Q: the rows of the source it counts (None: all of them). Over a range, a
        condition that depends on the year is that of some year, each with its year's rows."""
        if since is not None and callable(self.where):
            return any_year(lambda y: self.source.rows(y) & self.where(y), year, since)
        where = self.where(year) if callable(self.where) else self.where
        return where if where else None  # an empty Q: no FILTER clause

    def value(self, scope, year, month=None, town=None, since=None):
        """This figure alone (one query); None when it cannot be narrowed to the scope.
        `scope` may also be a partnership (with `town`, one of its towns)."""
        scope = _as_scope(scope, town)
        return evaluate(scope, year, month, indicators=[self], since=since)[self.key]

    def url(self, scope, year, month=None, town=None, since=None):
        """The list whose rows add up to the figure (`scope` as for `value`)."""
        scope = _as_scope(scope, town)
        since = normal_since(year, since)
        if self.list_url is None or not self.applies(scope, month, since):
            return None
        return self.list_url(scope, year, month, since)


def _as_scope(scope_or_partnership, town=None):
    if isinstance(scope_or_partnership, Scope):
        return scope_or_partnership
    return of_partnership(scope_or_partnership, town)


class IndicatorRegistry:
    def __init__(self):
        self._items: dict[str, Indicator] = {}

    def declare(self, **declaration):
        key = declaration["key"]
        if key in self._items:
            raise ValueError(f"indicator {key!r} is declared twice")
        declaration.setdefault("order", len(self._items))
        self._items[key] = indicator = Indicator(**declaration)
        return indicator

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

    def headlines(self):
        return [i for i in self.all() if i.headline]

    def choices(self):
        return [(i.key, f"{i.label}（{i.unit}）") for i in self.all()]


registry = IndicatorRegistry()
declare = registry.declare


# --- the engine ---------------------------------------------------------------------------


def _by_source(indicators):
    grouped = {}
    for ind in indicators:
        grouped.setdefault(ind.source, []).append(ind)
    return grouped.items()


def normal_since(year, since):
    """The first year of a period ending in `year`: None for the year alone."""
    return None if since is None or since >= year else since


def _aggregates(indicators, year, since=None):
    """{name: aggregate} of the indicators (names that cannot clash with a column)."""
    named = {}
    for i, ind in enumerate(indicators):
        measure = ind.measure.over(since)
        for part, aggregate in measure.parts(ind.condition(year, since), year).items():
            named[f"figure{i}_{part}"] = aggregate
    return named


def _split(indicators, row):
    """{(key, part): value} of an aggregate row named by `_aggregates`."""
    parts = {}
    for name, value in row.items():
        i, part = name[len("figure") :].split("_", 1)
        parts[indicators[int(i)].key, part] = value
    return parts


def _finish(indicators, parts, read=False, since=None):
    """{key: figure} from {(key, part): value}; a part missing takes its value over no rows.
    `read`: the values come from the yearly figures table and are converted back."""
    values = {}
    for ind in indicators:
        measure = ind.measure.over(since)
        own = {}
        for part, empty in measure.empty.items():
            value = parts.get((ind.key, part))
            if value is None:
                own[part] = empty
            else:
                own[part] = measure.kinds[part](value) if read else value
        values[ind.key] = measure.finish(own)
    return values


def evaluate(scope, year, month=None, indicators=None, since=None):
    """{key: figure} of every indicator (or of `indicators`) for the scope, year and month,
    or for the years `since`…`year` (no month). A town or a partnership: one aggregate query
    per source over its records. A roll-up: the figures of one year that add up are summed
    from the yearly figures of the partnerships beneath (cooperation/dashboard/facts.py: one
    query, after refreshing any partnership written since), the others (distinct counts, and
    every figure of a range) take one aggregate per source over the records. A figure that
    cannot be narrowed to the scope or month, or has no value over a range, is None."""
    since = normal_since(year, since)
    if since is not None and month is not None:
        raise ValueError("a month belongs to one year: no month over a range of years")
    indicators = registry.all() if indicators is None else list(indicators)
    values = {ind.key: None for ind in indicators}
    live = [i for i in indicators if i.applies(scope, month, since)]
    if scope.is_rollup and month is None and since is None:
        summed = [i for i in live if i.measure.summable]
        live = [i for i in live if not i.measure.summable]
        if summed:
            refresh(scope, year)
            keys = [i.key for i in summed]
            values.update(_finish(summed, facts.summed(scope.partnership_ids, year, keys), True))
    for source, members in _by_source(live):
        row = source.queryset(scope, year, month, since).aggregate(
            **_aggregates(members, year, since)
        )
        values.update(_finish(members, _split(members, row), since=since))
    return values


def parts_by_partnership(ids, year, indicators=None, since=None):
    """{partnership id: {(key, part): value}} of every indicator (or of `indicators`) for
    the partnerships `ids`, from their records, for the year or the years `since`…`year`:
    one aggregate per source grouped by partnership (what cooperation/dashboard/facts.py
    stores of a year; a partnership without rows of a source gets none)."""
    found = {pid: {} for pid in ids}
    indicators = registry.all() if indicators is None else indicators
    for source, members in _by_source(indicators):
        path = f"{source.partnership}_id"
        rows = (
            apps.get_model(source.model)
            .objects.filter(**{f"{path}__in": ids})
            .filter(source.period_rows(year, since))
            .order_by()
            .values(path)
            .annotate(**_aggregates(members, year, since))
        )
        for row in rows:
            found[row.pop(path)].update(_split(members, row))
    return found


def refresh(scope, year):
    """Bring the yearly figures of the partnerships beneath the scope up to date (one query
    when none was written since; see cooperation/dashboard/facts.py)."""
    return facts.refresh(scope.partnership_ids, year, lambda ids: parts_by_partnership(ids, year))


def evaluate_by_partnership(scope, year, indicators=None, since=None):
    """{partnership id: {key: figure}} for every partnership beneath the scope. Of a year:
    read from the yearly figures table (refreshed first), one query when nothing was
    written since. Of the years `since`…`year`: one aggregate per source over the records,
    grouped by partnership. Partnerships without records get the figures of no rows; a
    figure without a value over the range is None."""
    since = normal_since(year, since)
    indicators = registry.all() if indicators is None else list(indicators)
    empty = {i.key: None for i in indicators}
    indicators = [i for i in indicators if i.applies(scope, since=since)]
    if since is None:
        refresh(scope, year)
        stored = facts.by_partnership(scope.partnership_ids, year, [i.key for i in indicators])
    else:
        ids = [p.pk for p in scope.partnerships]
        stored = parts_by_partnership(ids, year, indicators, since)
    return {
        p.pk: {**empty, **_finish(indicators, stored.get(p.pk, {}), since is None, since)}
        for p in scope.partnerships
    }


def headlines_by_partnership(scope, year, since=None):
    """{partnership id: {key: figure}} of the headline indicators beneath a roll-up (its
    comparison table and its chart by partnership), cached under the scope's version."""
    since = normal_since(year, since)
    return freshness.cached(
        "headlines",
        scope.key,
        year,
        since or "",
        compute=lambda: evaluate_by_partnership(scope, year, registry.headlines(), since),
        version=scope.version(),
    )


# --- links ---------------------------------------------------------------------------------


@functools.cache
def _path(url_name, prefix):
    """reverse() of a list without arguments, once per name and script prefix."""
    return reverse(url_name)


def list_link(url_name, **fixed):
    """A `list_url`: the named list filtered to the scope, year (or years `since`…`year`)
    and month, plus fixed filter values. Every list takes the scope's parameters
    (partnership, town, east, west)."""

    def build(scope, year, month=None, since=None):
        params = {**scope.params(), "year": year}
        params.pop("nation", None)
        if since is not None:
            params["since"] = since
        if month is not None:
            params["month"] = month
        params.update(fixed)
        return f"{_path(url_name, get_script_prefix())}?{urlencode(params)}"

    return build


def percent(actual, target):
    """Percent of target reached (a rate's numerator over its denominator), to 0.1, or None
    without a (positive) target."""
    if target is None or not target or actual is None:
        return None
    return (Decimal(actual) / Decimal(target) * 100).quantize(Decimal("0.1"))


__all__ = [
    "Group",
    "Indicator",
    "Measure",
    "Source",
    "count",
    "declare",
    "distinct",
    "evaluate",
    "evaluate_by_partnership",
    "in_town",
    "parts_by_partnership",
    "refresh",
    "headlines_by_partnership",
    "list_link",
    "period_error",
    "period_name",
    "mean",
    "per_year",
    "percent",
    "ratio",
    "SAME",
    "registry",
    "sentences",
    "total",
]
