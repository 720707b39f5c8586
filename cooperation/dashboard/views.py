"""Dashboard, annual summary, charts, and the public lists of the core records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from confirmation import state as year_states
from cooperation import freshness
from cooperation.dashboard import charts, scopes
from cooperation.dashboard.indicators import (
    evaluate,
    headlines_by_partnership,
    normal_since,
    percent,
    period_error,
    period_name,
    registry,
)
from cooperation.lists import exports
from cooperation.lists.columns import CHOICE, DATE, DECIMAL, INT, Column, Total
from cooperation.lists.filters import (
    MAX_YEAR,
    MIN_YEAR,
    CadreTrainingFilter,
    PairingFilter,
    PostingFilter,
    VisitFilter,
)
from cooperation.lists.listing import ListSpec, needs_permission_missing
from cooperation.models import CadreTraining, Pairing, Partnership, Posting, Region, Target, Visit
from cooperation.querysets import short_region_name_sql
from evidence import completeness as evidence

# --- choosing a scope and a period -----------------------------------------------------------

# The current round of East–West cooperation began in 2021, when the poverty-alleviation
# round ended: "since the start of this round" (本轮以来) is 2021 to the year shown.
ROUND_START = 2021


@dataclass
class Choice:
    """The scope and period a dashboard-like page shows, and what its form offers. The
    period is the year, or the years `since`…`year` (累计, `?since=2019&year=2021`)."""

    scope: scopes.Scope | None
    year: int | None = None
    since: int | None = None  # the first year of a range; None: the year alone
    first: int | None = None  # the first year of cooperation of the scope's partnerships
    years: list = field(default_factory=list)  # offered in the choice form
    towns: list = field(default_factory=list)
    as_of: datetime.date | None = None  # the latest record date within the year
    part_year: bool = False  # the year is not over, or its records stop before December

    @property
    def partnership(self):
        return self.scope.partnership if self.scope else None

    @property
    def town(self):
        return self.scope.town if self.scope else None

    @property
    def period_name(self):
        """In words: 2021年, or 2019—2021年累计."""
        return period_name(self.year, self.since)

    def _period(self, since):
        return {"year": self.year, "since": since} if since is not None else {"year": self.year}

    def query(self, **extra):
        return self.scope.query(**self._period(self.since), **extra)

    def county_query(self):
        """The same partnership and period for the whole county (no town)."""
        return self.scope.without_town().query(**self._period(self.since))

    def periods(self):
        """The periods the page offers as links: the year alone, this round (2021–) and
        since the cooperation began, each ending in the year shown; [(words, query,
        chosen), …]."""
        offered = [(gettext("本年度"), None)]
        if ROUND_START < self.year:
            offered.append((gettext("本轮以来（%(y)s年起）") % {"y": ROUND_START}, ROUND_START))
        if self.first is not None and self.first < self.year and self.first != ROUND_START:
            offered.append((gettext("累计（%(y)s年起）") % {"y": self.first}, self.first))
        return [
            (words, self.scope.query(**self._period(since)), since == self.since)
            for words, since in offered
        ]

    def hidden_params(self):
        """The scope's parameters the choice form carries along (all but the town, which it
        offers)."""
        return [(k, v) for k, v in self.scope.params().items() if k != "town"]


def today():
    """Today in the site's time zone (a function of its own, so that tests can set the day)."""
    return timezone.localdate()


def _month_end(year, month, on):
    """The day a monthly figure runs to: its month's last day, or today (`on`) in the
    current month."""
    if (year, month) == (on.year, on.month):
        return on
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class RecordSource:
    """A kind of record of a partnership and what dates it: a day (`day`); or a year and a
    month (`year`, `month`: a monthly figure, which runs to the month's end); or a year only
    (`year`: it places a year, not a day)."""

    model: str
    day: str = ""
    year: str = ""
    month: str = ""
    only: tuple = ()  # fixed conditions, as (lookup, value) pairs

    @property
    def dated(self):
        return bool(self.day or self.month)

    def in_year(self, year):
        return {f"{self.day}__year": year} if self.day else {self.year: year}

    def before(self, year):
        if self.day:
            return {f"{self.day}__lt": datetime.date(year, 1, 1)}
        return {f"{self.year}__lt": year}

    def in_december(self):
        return {f"{self.day}__month": 12} if self.day else {self.month: 12}

    def latest(self, **lookups):
        """Subquery over partnerships: the latest date (a year and month as year × 100 +
        month; a year) of the partnership's records that match `lookups`, answered by the
        source's (partnership, date) index."""
        if self.day:
            order, value = [f"-{self.day}"], F(self.day)
        elif self.month:
            order = [f"-{self.year}", f"-{self.month}"]
            # in `integer`: a small-integer year times 100 would overflow on PostgreSQL
            value = Cast(self.year, IntegerField()) * 100 + Cast(self.month, IntegerField())
        else:
            order, value = [f"-{self.year}"], F(self.year)
        records = apps.get_model(self.model).objects.filter(
            partnership=OuterRef("pk"), **dict(self.only), **lookups
        )
        return Subquery(records.order_by(*order).annotate(latest=value).values("latest")[:1])

    def read(self, value, on):
        """A subquery's answer as a day (a year-only source's as its year, an int)."""
        if value is None or not self.month:
            return value
        return _month_end(value // 100, value % 100, on)


RECORD_SOURCES = [
    RecordSource("projects.Project", year="fund_year"),
    RecordSource("projects.ConsumptionSale", year="year", month="month"),
    # The month a worker's first spell of the year started: WorkerYear answers it from the
    # (partnership, year, month) index; Employment.start_date would walk the national
    # start-date index (150 ms at a million spells).
    RecordSource(
        "labor.WorkerYear", year="year", month="transferred_month", only=(("transferred", True),)
    ),
    RecordSource("cooperation.Pairing", day="signed_on"),
    RecordSource("cooperation.Posting", day="start_date"),
    RecordSource("cooperation.Visit", day="date"),
    RecordSource("cooperation.CadreTraining", day="start_date"),
    RecordSource("projects.Investment", day="signed_on"),
    RecordSource("projects.Donation", day="date"),
    RecordSource("labor.JobFair", day="date"),
    RecordSource("labor.TrainingCourse", day="start_date"),
    RecordSource("labor.CommunityFactory", day="opened_on"),
]


def _year_of(value):
    return value if isinstance(value, int) else value.year


@dataclass(frozen=True)
class YearChoice:
    year: int
    latest: int | None  # the latest year with any record
    as_of: datetime.date | None  # the latest record date within `year`


def choose_year(scope, year, on, latest=True, as_of=True):
    """The year to show (`year`, or by default the latest complete year), the latest year
    with any record, and the latest record date within the year shown — one query at most.

    The default is the latest year whose records reach December, or last year (`on` is
    today) when it has records, whichever is later; failing both, the latest year with any
    record. Each kind of record is asked for its latest date overall, and either within
    `year` or (without one) in a December and before this year: the latest day of the year
    shown is among those answers whichever year that turns out to be. With a `year`, a page
    that needs neither the latest year (`latest`: the years it offers) nor the as-of date
    (`as_of`) asks nothing."""
    if year is not None and not (latest or as_of):
        return YearChoice(year=year, latest=None, as_of=None)
    subqueries = {}
    for i, source in enumerate(RECORD_SOURCES):
        if year is None or latest:
            subqueries[f"any_{i}"] = source.latest()
        if year is not None and as_of and source.dated:
            subqueries[f"in_{i}"] = source.latest(**source.in_year(year))
        if year is None:
            subqueries[f"before_{i}"] = source.latest(**source.before(on.year))
            if source.dated:
                subqueries[f"december_{i}"] = source.latest(**source.in_december())
    # One row per partnership of the scope, each subquery answered by the index of its
    # partnership's records (a roll-up takes the latest over its partnerships' answers).
    ids = scope.partnership_ids
    rows = Partnership.objects.filter(Q() if ids is None else Q(pk__in=ids))
    answers = defaultdict(list)  # question → the sources' answers (days, or fund years)
    for row in rows.annotate(**subqueries).order_by().values(*subqueries):
        for key, value in row.items():
            question, i = key.rsplit("_", 1)
            if value is not None:
                answers[question].append(RECORD_SOURCES[int(i)].read(value, on))
    latest_year = max(map(_year_of, answers["any"]), default=None)
    if year is None:
        complete = [d.year for d in answers["december"]]
        if any(_year_of(v) == on.year - 1 for v in answers["before"]):
            complete.append(on.year - 1)
        year = max(complete, default=None) or latest_year or on.year
    days = [v for values in answers.values() for v in values if not isinstance(v, int)]
    last_day = max((d for d in days if d.year == year), default=None)
    return YearChoice(year=year, latest=latest_year, as_of=last_day)


def _int_param(request, name, low, high):
    """An integer query parameter within [low, high], None when absent; 404 when bad."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or not (low <= int(raw) <= high):
        raise Http404(gettext("参数 %(name)s 无效。") % {"name": name})
    return int(raw)


def choose(request, offer=True, as_of=True):
    """Read the scope (cooperation/dashboard/scopes.py) and ?year=. Unknown or malformed values give
    a 404. The year defaults to the latest complete year (see `choose_year`; this year when
    there are no records). `offer`: the page offers years and towns (its choice form lists
    them). `as_of`: the page says through which day the year's records run. A fixed number
    of queries: partnerships (cached), towns (cached), years and dates."""
    scope = scopes.from_request(request, towns=scopes.western_towns)
    choice = Choice(scope=scope)
    if scope is None:
        return choice
    on = today()
    year = _int_param(request, "year", MIN_YEAR, MAX_YEAR)
    since = _int_param(request, "since", MIN_YEAR, MAX_YEAR)
    chosen = choose_year(scope, year, on, latest=offer, as_of=as_of)
    choice.year, choice.as_of = chosen.year, chosen.as_of
    if error := period_error(choice.year, since):
        raise Http404(error)
    choice.since = normal_since(choice.year, since)
    choice.first = min(p.since_year for p in scope.partnerships)
    # A part year: not over yet, or its records stop before December (the month the default
    # year's records must reach: monthly figures say no more than their month).
    choice.part_year = choice.year >= on.year or (
        chosen.as_of is not None and chosen.as_of.month < 12
    )
    if offer:
        first = min(choice.first, choice.since or choice.year, choice.year)
        last = max(chosen.latest or on.year, choice.year)
        choice.years = list(range(last, first - 1, -1))
        if scope.partnership is not None:
            choice.towns = scopes.western_towns(scope.partnership)
    return choice


# --- indicator figures -------------------------------------------------------------------


@dataclass
class Figure:
    indicator: object
    actual: object
    target: object
    percent: object
    url: str | None
    restricted: bool = False  # its list needs a permission the visitor lacks
    unscoped: bool = False  # a town is chosen and this figure cannot be narrowed to it
    yearly: bool = False  # a range of years is chosen and this is a figure of one year only
    evidence: tuple | None = None  # (records, records with evidence files), where they take files


def mark_restricted(groups, user):
    """Flag the figures whose list is a staff list the user may not open, so the card can
    say so."""
    restricted = needs_permission_missing(user)
    for _group, figures in groups:
        for f in figures:
            f.restricted = restricted(f.url)


def figures(scope, year, since=None):
    """{key: figure} of every indicator for the scope and year (or years `since`…`year`):
    one aggregate per source, cached under the scope's data version (a write elsewhere
    leaves it cached)."""
    return freshness.cached(
        "figures",
        scope.key,
        year,
        since or "",
        compute=lambda: evaluate(scope, year, since=since),
        version=scope.version(),
    )


def targets(scope, year):
    """{key: target} for the scope: a partnership's own targets; at a roll-up, the sum of
    the partnerships' targets of a figure that adds up, when every partnership beneath has
    one (a part of the targets would make the completion rate meaningless)."""
    rows = Target.objects.filter(year=year)
    if scope.partnership is not None:
        return dict(rows.filter(partnership=scope.partnership).values_list("indicator", "value"))
    ids = scope.partnership_ids
    if ids is not None:
        rows = rows.filter(partnership__in=ids)
    summed = rows.order_by().values("indicator").annotate(total=Sum("value"), n=Count("id"))
    additive = {i.key for i in registry.all() if i.additive}
    wanted = len(scope.partnerships)
    return {
        r["indicator"]: r["total"]
        for r in summed
        if r["indicator"] in additive and r["n"] == wanted
    }


def indicator_rows(scope, year, since=None):
    """[(Group, [Figure, …]), …] for every indicator of the registry, with its target (of a
    year: targets are agreed year by year, so a range of years has none)."""
    values = figures(scope, year, since)
    goals = targets(scope, year) if scope.town is None and since is None else {}
    groups = []
    for group, indicators in registry.by_group():
        rows = []
        for ind in indicators:
            actual = values[ind.key]
            target = goals.get(ind.key)
            # A rate over nothing (no aid funds) is None too, but it is of this scope.
            unscoped = not ind.applies(scope)
            yearly = not unscoped and not ind.applies(scope, since=since)
            rows.append(
                Figure(
                    indicator=ind,
                    actual=actual,
                    target=target,
                    percent=percent(actual, target),
                    url=None if unscoped or yearly else ind.url(scope, year, since=since),
                    unscoped=unscoped,
                    yearly=yearly,
                )
            )
        groups.append((group, rows))
    return groups


def summary_table(choice):
    """Headers and rows of the annual summary (the same figures as the dashboard) of the
    choice's scope and year; a note says which figures could not be narrowed to the town
    and which percentages are of a part year."""
    headers = [
        gettext("类别"),
        gettext("指标"),
        pgettext("unit of measure", "单位"),
        gettext("目标值"),
        gettext("完成值"),
        gettext("完成率（%）"),
        gettext("说明"),
    ]
    part_year = ""
    if choice.part_year:
        part_year = gettext("部分年度")
        if choice.as_of is not None:
            part_year = gettext("部分年度，数据截至 %(date)s") % {"date": choice.as_of.isoformat()}
    rows = []
    for group, figures_ in indicator_rows(choice.scope, choice.year, choice.since):
        for f in figures_:
            in_wan = str(f.indicator.unit) == str(charts.WAN)
            note = None
            if f.unscoped:
                note = gettext("不能按镇统计")
            elif f.yearly:
                note = gettext("只按单一年度统计")
            elif f.percent is not None:
                note = part_year or None
            rows.append(
                [
                    str(group.label),
                    str(f.indicator.label),
                    str(f.indicator.unit),
                    exports.exact_money(f.target) if in_wan else f.target,
                    exports.exact_money(f.actual) if in_wan else f.actual,
                    f.percent,
                    note,
                ]
            )
    return headers, rows


# --- the comparison table of a roll-up ---------------------------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    indicator: object
    value: object
    target: object
    percent: object
    url: str | None


@dataclass
class Comparison:
    """One row per partnership beneath a roll-up: its headline figures and their completion,
    sorted by `sort` (an indicator key, its completion "key:pct", or "name")."""

    headlines: list
    rows: list  # [(Partnership, [ComparisonCell, …]), …]
    sort: str


def comparison(scope, year, sort="", since=None):
    """The comparison table of a roll-up for the year (with each partnership's targets) or
    the years `since`…`year` (targets are yearly: none)."""
    headlines = registry.headlines()
    values = headlines_by_partnership(scope, year, since)
    goals = defaultdict(dict)
    rows = Target.objects.filter(year=year, indicator__in=[i.key for i in headlines])
    if scope.partnership_ids is not None:
        rows = rows.filter(partnership__in=scope.partnership_ids)
    if since is not None:
        rows = rows.none()
    for pid, key, value in rows.values_list("partnership_id", "indicator", "value"):
        goals[pid][key] = value
    table = []
    for p in scope.partnerships:
        cells = []
        for ind in headlines:
            value = values[p.pk][ind.key]
            target = goals[p.pk].get(ind.key)
            url = ind.url(scopes.of_partnership(p), year, since=since)
            cells.append(ComparisonCell(ind, value, target, percent(value, target), url))
        table.append((p, cells))
    valid = {"name"} | {i.key for i in headlines} | {f"{i.key}:pct" for i in headlines}
    sort = sort if sort in valid else "name"
    # By name in the order of the official code list (eastern county, then western county);
    # a sort by a column keeps this order among equal values.
    table.sort(key=lambda row: (row[0].east_region_id, row[0].west_region_id))
    if sort != "name":
        key, _sep, pct = sort.partition(":")
        at = [i.key for i in headlines].index(key)
        attribute = "percent" if pct else "value"

        def rank(row):
            value = getattr(row[1][at], attribute)
            return (value is None, -(value or 0))

        # Largest first; partnerships without a completion rate last.
        table.sort(key=rank)
    return Comparison(headlines, table, sort)


def comparison_table(comparison_):
    """The comparison as headers and rows for CSV/XLSX."""
    headers = [gettext("协作关系")]
    for ind in comparison_.headlines:
        headers += [
            gettext("%(label)s（%(unit)s）") % {"label": ind.label, "unit": ind.unit},
            gettext("%(label)s目标") % {"label": ind.label},
            gettext("%(label)s完成率（%%）") % {"label": ind.label},
        ]
    rows = []
    for partnership, cells in comparison_.rows:
        row = [partnership.name]
        for cell in cells:
            in_wan = str(cell.indicator.unit) == str(charts.WAN)
            value = exports.exact_money(cell.value) if in_wan else cell.value
            row += [value, cell.target, cell.percent]
        rows.append(row)
    return headers, rows


def _posting_extras(qs, data):
    """Distinct persons (a person posted twice counts once) and, for a year (not a range of
    years), the average months on post within it — the figures of the people-exchange
    cards."""
    extras = [Total("persons", gettext("人数（同一人只计一次）"), qs.person_count())]
    if data.get("year") is not None and normal_since(data["year"], data.get("since")) is None:
        months = qs.average_months_in(data["year"])
        extras.append(
            Total("average_months", gettext("本年度平均在岗（月）"), months or 0, DECIMAL, 1)
        )
    return extras


def everyday_place(region):
    """A region as the lists write places: a village with its town and without the
    committee suffix (恒口镇江沟社区, not 江沟社区居委会), anything else by its name."""
    return Case(
        When(
            **{f"{region}__level": Region.Level.VILLAGE},
            then=Concat(
                Coalesce(f"{region}__parent__name", Value("")),
                short_region_name_sql(f"{region}__name"),
            ),
        ),
        default=Coalesce(f"{region}__name", Value("")),
        output_field=CharField(),
    )


pairing_list = ListSpec(
    name="pairings",
    title=_("结对关系"),
    queryset=lambda: Pairing.objects.annotate(west_place=everyday_place("west_org__region")),
    filterset_class=PairingFilter,
    unit=_("对"),
    columns=[
        Column("signed_on", _("签约日期"), DATE),
        Column("level", _("结对类型"), CHOICE),
        Column("east_org__name", _("东部单位")),
        Column("west_org__name", _("西部单位")),
        Column("west_place", _("西部单位所在地")),
        Column("ended_on", _("终止日期"), DATE),
    ],
    default_sort=["-signed_on"],
    description=_("两地镇（街道）、村（社区）、企业、学校、医院等结对关系。"),
)

posting_list = ListSpec(
    name="postings",
    title=_("选派干部人才"),
    queryset=lambda: Posting.objects.all(),
    filterset_class=PostingFilter,
    unit=_("人次"),
    columns=[
        Column("person_name", _("姓名")),
        Column("direction", _("派出方向"), CHOICE),
        Column("category", _("类别"), CHOICE),
        Column("home_org__name", _("派出单位")),
        Column("host_org__name", _("接收单位")),
        Column("position", _("挂职（任职）岗位")),
        Column("start_date", _("到岗日期"), DATE),
        Column("end_date", _("离岗日期"), DATE),
    ],
    default_sort=["-start_date"],
    description=_(
        "两地互派的党政干部和专业技术人才。选派人员的姓名属于公开信息（见于公开报道），不含身份证号和电话。"
    ),
    extras=_posting_extras,
)

visit_list = ListSpec(
    name="visits",
    title=_("互访考察"),
    queryset=lambda: Visit.objects.all(),
    filterset_class=VisitFilter,
    unit=_("批次"),
    columns=[
        Column("date", _("日期"), DATE),
        Column("direction", _("方向"), CHOICE),
        Column("leader", _("带队领导")),
        Column("leader_title", _("领导职务")),
        Column("people", _("人数（人）"), INT, total=True),
        Column("enterprises", _("随行企业数（家）"), INT, total=True),
        Column("level", _("带队级别"), CHOICE),
        Column("purpose", _("事由")),
    ],
    default_sort=["-date"],
    description=_("两地党政领导和部门带队的互访考察。"),
)

cadre_training_list = ListSpec(
    name="cadre_trainings",
    title=_("干部人才培训"),
    queryset=lambda: CadreTraining.objects.all(),
    filterset_class=CadreTrainingFilter,
    unit=_("期"),
    columns=[
        Column("start_date", _("开班日期"), DATE),
        Column("end_date", _("结业日期"), DATE),
        Column("title", _("培训班名称")),
        Column("audience", _("培训对象"), CHOICE),
        Column("trainees", _("培训人次"), INT, total=True),
        Column("held_in", _("举办地"), CHOICE),
        Column("organiser", _("承办单位")),
    ],
    default_sort=["-start_date"],
    description=_(
        "为协作双方培训的党政干部和专业技术人才（人次），如西部干部到东部培训、东部专家为西部培训；"
        "农村劳动力培训见“培训班”。"
    ),
)

for _spec in (pairing_list, posting_list, visit_list, cadre_training_list):
    _spec.namespace = "cooperation"


def chart_items(choice, user):
    """The dashboard's charts, each narrowed to the chosen scope where it can be: its table,
    its title naming the scope it shows, the query string of its SVG and exports, whether
    it shows the whole county although a town is chosen, and whether its cells link to a
    list the user may not open."""
    restricted = needs_permission_missing(user)
    items = []
    for chart in charts.registry:
        scope = chart.narrowed(choice.scope)
        county_only = scope is not choice.scope
        table = chart.table(scope, choice.year)
        items.append(
            {
                "chart": chart,
                "table": table,
                "title": chart.scoped_title(scope),
                "query": scope.query(year=choice.year),
                "county_only": county_only,
                "restricted": any(restricted(url) for row in table.links or [] for url in row),
            }
        )
    return items


def dashboard(request):
    choice = choose(request)
    if choice.scope is None:
        return render(request, "cooperation/dashboard.html", {"choice": choice})
    context = _figures_context(choice)
    mark_restricted(context["groups"], request.user)
    context["charts"] = chart_items(choice, request.user)
    if choice.scope.is_rollup:
        sort = request.GET.get("sort", "")
        context["comparison"] = comparison(choice.scope, choice.year, sort, choice.since)
    return render(request, "cooperation/dashboard.html", context)


def summary(request):
    """The annual summary: every indicator of a scope and year, as the yearly assessment
    table lays it out; fit to print."""
    choice = _choose_scope_or_404(request)
    context = _figures_context(choice)
    if choice.since is None:  # evidence is filed, and counted, year by year
        filed = evidence.by_indicator(choice.scope, choice.year)
        for _group, figures_ in context["groups"]:
            for f in figures_:
                f.evidence = filed.get(f.indicator.key)
    return render(request, "cooperation/summary.html", context)


def _choose_scope_or_404(request, **kwargs):
    choice = choose(request, **kwargs)
    if choice.scope is None:
        raise Http404(gettext("还没有协作关系。"))
    return choice


def _figures_context(choice):
    """The figures of the choice by group, with the confirmation state of the year shown
    and the figures that drifted from it (a year is confirmed on its own: a range of years
    has neither)."""
    year_state = drift = None
    if choice.since is None:
        year_state, drift = year_states.for_page(
            choice.scope, choice.year, figures(choice.scope, choice.year)
        )
    return {
        "choice": choice,
        "year_state": year_state,
        "drift": drift,
        "groups": indicator_rows(choice.scope, choice.year, choice.since),
        "query": choice.query(),
    }


def _title(choice, what):
    if choice.since is not None:
        return gettext("%(scope)s %(period)s%(what)s") % {
            "scope": choice.scope.name,
            "period": choice.period_name,
            "what": what,
        }
    return gettext("%(scope)s %(y)s年度%(what)s") % {
        "scope": choice.scope.name,
        "y": choice.year,
        "what": what,
    }


def summary_export(request, fmt):
    choice = _choose_scope_or_404(request, offer=False)
    headers, rows = summary_table(choice)
    name = _title(choice, gettext("东西部协作指标完成情况"))
    return exports.table_response(fmt, name, headers, rows)


def comparison_export(request, fmt):
    """The comparison table of a scope's partnerships as CSV/XLSX, in the page's order (of
    a partnership: its one row)."""
    choice = _choose_scope_or_404(request, offer=False, as_of=False)
    headers, rows = comparison_table(
        comparison(choice.scope, choice.year, request.GET.get("sort", ""), choice.since)
    )
    return exports.table_response(fmt, _title(choice, gettext("各协作关系对比")), headers, rows)


def choose_scope(request):
    """The chooser: province pairs, city pairs and partnerships as links (no JavaScript),
    searchable by name; each link opens the dashboard of that level."""
    search = request.GET.get("q", "").strip()[:50]
    partnerships = scopes.all_partnerships()
    context = {
        "tree": scopes.tree(partnerships, search),
        "search": search,
        "count": len(partnerships),
        "nation": {"nation": 1},
    }
    return render(request, "cooperation/choose_scope.html", context)


def indicator_notes(request):
    """How each figure is computed: the registry's declarations, by group."""
    return render(request, "cooperation/indicators.html", {"groups": registry.by_group()})


def _chart_table(request, key):
    """The chart, the scope it shows (its own narrowing of the page's) and its table."""
    chart = charts.registry.get(key)
    if chart is None:
        raise Http404(gettext("没有这个图表。"))
    choice = _choose_scope_or_404(request, offer=False, as_of=False)
    scope = chart.narrowed(choice.scope)
    return chart, scope, chart.table(scope, choice.year)


# pygal puts its styles inside the SVG; the SVG is only ever shown as an <img> (which runs
# no script), so its own inline styles are allowed and scripts stay forbidden.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE]})
def chart_svg(request, key):
    chart, scope, table = _chart_table(request, key)
    svg = chart.svg(table, chart.scoped_title(scope))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def chart_export(request, key, fmt):
    chart, scope, table = _chart_table(request, key)
    name = f"{scope.name} {chart.title}"
    return exports.table_response(fmt, name, table.headers, table.export_rows())
