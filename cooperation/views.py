"""Dashboard, annual summary, charts, and the public lists of the core records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.apps import apps
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from . import charts, dashboard_html, exports, freshness
from .filters import MAX_YEAR, MIN_YEAR, PairingFilter, PostingFilter, VisitFilter, western_towns
from .indicators import percent, registry
from .listing import CHOICE, DATE, DECIMAL, INT, Column, ListSpec, Total
from .models import Pairing, Partnership, Posting, Region, Target, Visit
from .querysets import short_region_name_sql

WAN = _("万元")

# --- choosing a partnership, a year (and a town) ------------------------------------------


@dataclass
class Choice:
    """The partnership, year and town a dashboard-like page shows, and what it offers."""

    partnerships: list
    partnership: Partnership | None = None
    year: int | None = None
    years: list = field(default_factory=list)  # offered in the choice form
    town: Region | None = None
    towns: list = field(default_factory=list)
    as_of: datetime.date | None = None  # the latest record date within the year
    part_year: bool = False  # the year is not over, or its records stop before December

    def query(self, **extra):
        params = {"partnership": self.partnership.pk, "year": self.year}
        if self.town is not None:
            params["town"] = self.town.code
        params.update(extra)
        return urlencode(params)

    def county_query(self):
        """The same partnership and year for the whole county (no town)."""
        return urlencode({"partnership": self.partnership.pk, "year": self.year})


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
        """Subquery: the latest date (a year and month as year × 100 + month; a year) of the
        outer partnership's records that match `lookups`, answered by the source's index
        on partnership and date."""
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


def choose_year(partnership, year, on, latest=True, as_of=True):
    """The year to show (`year`, or by default the latest complete year), the latest year
    with any record, and the latest record date within the year shown — one query at most.

    The default is the latest year whose records reach December, or last year (`on` is
    today) when it has records, whichever is later; failing both, the latest year with any
    record. Each kind of record is asked for its latest date overall, and either within
    `year` or (without one) in a December and before this year: the latest day of the year
    shown is among those answers whichever year that turns out to be. With a `year`, a page
    that needs neither the latest year (`latest`: the years it offers) nor the as-of date
    (`as_of`) asks nothing (each question is a subquery for Django to compile)."""
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
    rows = Partnership.objects.filter(pk=partnership.pk).annotate(**subqueries).order_by()
    answers = defaultdict(list)  # question → the sources' answers (days, or fund years)
    for key, value in next(iter(rows.values(*subqueries)), {}).items():
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


PARTNERSHIP_FIELDS = [f.attname for f in Partnership._meta.concrete_fields]
REGION_FIELDS = ["code", "name", "level", "parent_id"]


@dataclass(frozen=True)
class PartnershipChoice:
    """A partnership as the choice form offers it: its fields and its two counties as
    plain values (cached under the data version), made a model instance when chosen."""

    values: tuple

    @property
    def pk(self):
        return self.values[0]

    @property
    def name(self):
        """ "东部区县—西部区县", as Partnership.__str__ writes it."""
        n, m = len(PARTNERSHIP_FIELDS), len(REGION_FIELDS)
        return f"{self.values[n + 1]}—{self.values[n + m + 1]}"

    def instance(self):
        n, m = len(PARTNERSHIP_FIELDS), len(REGION_FIELDS)
        partnership = Partnership(**dict(zip(PARTNERSHIP_FIELDS, self.values[:n], strict=True)))
        partnership._state.adding, partnership._state.db = False, "default"
        for side, start in (("east_region", n), ("west_region", n + m)):
            region = Region(**dict(zip(REGION_FIELDS, self.values[start : start + m], strict=True)))
            region._state.adding, region._state.db = False, "default"
            setattr(partnership, side, region)
        return partnership


def partnership_choices():
    """Every partnership in order, as PartnershipChoice; one query per data version (300
    model instances with their regions per request were a tenth of a cold dashboard)."""
    columns = PARTNERSHIP_FIELDS + [
        f"{side}__{f}" for side in ("east_region", "west_region") for f in REGION_FIELDS
    ]
    rows = freshness.cached(
        "partnership-choices",
        compute=lambda: list(Partnership.objects.order_by("id").values_list(*columns)),
    )
    return [PartnershipChoice(tuple(row)) for row in rows]


def choose_partnership_and_year(request, offer=True, as_of=True):
    """Read ?partnership=&year=(&town=). Unknown or malformed values give a 404.

    Defaults: the first partnership; the latest complete year (see `choose_year`; this year
    when there are no records). `offer`: the page offers years and towns (its choice form
    lists them); without it a `town` it is given is still honoured. `as_of`: the page says
    through which day the year's records run. Fixed number of queries: partnerships, years
    and dates (unless given a year and asked for neither), towns when offered or given."""
    partnerships = partnership_choices()
    choice = Choice(partnerships=partnerships)
    if not partnerships:
        return choice
    pid = _int_param(request, "partnership", 1, 2**62)
    if pid is None:
        choice.partnership = partnerships[0]
    else:
        choice.partnership = next((p for p in partnerships if p.pk == pid), None)
        if choice.partnership is None:
            raise Http404(gettext("没有这个协作关系。"))
    choice.partnership = choice.partnership.instance()
    on = today()
    year = _int_param(request, "year", MIN_YEAR, MAX_YEAR)
    chosen = choose_year(choice.partnership, year, on, latest=offer, as_of=as_of)
    choice.year, choice.as_of = chosen.year, chosen.as_of
    # A part year: not over yet, or its records stop before December (the month the default
    # year's records must reach: monthly figures say no more than their month).
    choice.part_year = choice.year >= on.year or (
        chosen.as_of is not None and chosen.as_of.month < 12
    )
    if offer:
        first = min(choice.partnership.since_year, choice.year)
        last = max(chosen.latest or on.year, choice.year)
        choice.years = list(range(last, first - 1, -1))
    code = request.GET.get("town", "").strip()
    if offer or code:
        towns = list(western_towns(choice.partnership.pk))
        choice.towns = towns if offer else []
        if code:
            choice.town = next((t for t in towns if t.code == code), None)
            if choice.town is None:
                raise Http404(gettext("没有这个镇（街道）。"))
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


def staff_only(user):
    """A test of a URL: does it open a staff list the user may not open (so that its link
    leads to the login page, and the page should say so)?"""
    from labor.views import employment_list, worker_list

    staff_lists = {spec.url_path(): spec for spec in (worker_list, employment_list)}

    def test(url):
        spec = staff_lists.get((url or "").split("?")[0])
        return spec is not None and not user.has_perm(spec.permission)

    return test


def mark_restricted(groups, user):
    """Flag the figures whose list is a staff list the user may not open, so the card can
    say so."""
    restricted = staff_only(user)
    for _group, figures in groups:
        for f in figures:
            f.restricted = restricted(f.url)
    return groups


def indicator_rows(partnership, year, town=None):
    """[(Group, [Figure, …]), …] for every indicator of the registry, with its target."""
    targets = dict(
        Target.objects.filter(partnership=partnership, year=year).values_list("indicator", "value")
    )
    groups = []
    for group, indicators in registry.by_group():
        figures = []
        for ind in indicators:
            actual = ind.value(partnership, year, town=town)
            target = targets.get(ind.key) if town is None else None
            figures.append(
                Figure(
                    indicator=ind,
                    actual=actual,
                    target=target,
                    percent=percent(actual, target) if actual is not None else None,
                    url=ind.url(partnership, year, town=town) if actual is not None else None,
                    unscoped=town is not None and not ind.by_town,
                )
            )
        groups.append((group, figures))
    return groups


def summary_table(choice):
    """Headers and rows of the annual summary (the same figures as the dashboard) of the
    choice's partnership, year and town; a note says which figures could not be narrowed
    to the town and which percentages are of a part year."""
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
    for group, figures in indicator_rows(choice.partnership, choice.year, choice.town):
        for f in figures:
            in_wan = str(f.indicator.unit) == str(WAN)
            note = None
            if f.unscoped:
                note = gettext("不能按镇统计")
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


def _posting_extras(qs, data):
    """Distinct persons (a person posted twice counts once) and, for a year, the average
    months on post within it — the figures of the people-exchange cards."""
    extras = [Total("persons", gettext("人数（同一人只计一次）"), qs.person_count())]
    if data.get("year") is not None:
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
        Column("purpose", _("事由")),
    ],
    default_sort=["-date"],
    description=_("两地党政领导和部门带队的互访考察。"),
)

for _spec in (pairing_list, posting_list, visit_list):
    _spec.namespace = "cooperation"


def chart_items(choice, user):
    """The dashboard's charts, each narrowed to the chosen town where it can be: its table,
    its title naming the scope it shows, the query string of its SVG and exports, whether
    it shows the whole county although a town is chosen, and whether its cells link to a
    list the user may not open."""
    restricted = staff_only(user)
    items = []
    for chart in charts.registry:
        town = chart.narrowed(choice.town)
        county_only = choice.town is not None and town is None
        table = chart.table(choice.partnership, choice.year, town=town)
        items.append(
            {
                "chart": chart,
                "table": table,
                "title": chart.scoped_title(choice.partnership, town),
                "query": choice.county_query() if county_only else choice.query(),
                "county_only": county_only,
                "restricted": any(restricted(url) for row in table.links or [] for url in row),
            }
        )
    return items


def dashboard(request):
    choice = choose_partnership_and_year(request)
    if choice.partnership is None:
        return render(request, "cooperation/dashboard.html", {"choice": choice})
    groups = mark_restricted(
        indicator_rows(choice.partnership, choice.year, choice.town), request.user
    )
    context = {
        "choice": choice,
        "groups": groups,
        "charts": chart_items(choice, request.user),
        "query": choice.query(),
        # The choice form is written in Python (cooperation/dashboard_html.py): a thousand
        # options through the template engine cost more than some of the page's queries.
        "choice_form": dashboard_html.choice_form_html(choice),
    }
    return render(request, "cooperation/dashboard.html", context)


def summary(request):
    """The annual summary: every indicator of a partnership and year (or of one town), as
    the yearly assessment table lays it out; fit to print."""
    choice = choose_partnership_and_year(request)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    context = {
        "choice": choice,
        "groups": indicator_rows(choice.partnership, choice.year, choice.town),
        "query": choice.query(),
        "choice_form": dashboard_html.choice_form_html(choice),
    }
    return render(request, "cooperation/summary.html", context)


def summary_export(request, fmt):
    choice = choose_partnership_and_year(request, offer=False)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    headers, rows = summary_table(choice)
    if choice.town is None:
        name = gettext("%(p)s %(y)s年度东西部协作指标完成情况") % {
            "p": choice.partnership.name,
            "y": choice.year,
        }
    else:
        name = gettext("%(p)s %(town)s %(y)s年度东西部协作指标完成情况") % {
            "p": choice.partnership.name,
            "town": choice.town.name,
            "y": choice.year,
        }
    return exports.table_response(fmt, name, headers, rows)


def _chart_table(request, key):
    """The chart, its table (narrowed to ?town= when the chart can be), the partnership and
    the town the table is narrowed to (None: the whole county)."""
    chart = charts.registry.get(key)
    if chart is None:
        raise Http404(gettext("没有这个图表。"))
    choice = choose_partnership_and_year(request, offer=False, as_of=False)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    town = chart.narrowed(choice.town)
    return chart, chart.table(choice.partnership, choice.year, town=town), choice.partnership, town


# pygal puts its styles inside the SVG; the SVG is only ever shown as an <img> (which runs
# no script), so its own inline styles are allowed and scripts stay forbidden.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE]})
def chart_svg(request, key):
    chart, table, partnership, town = _chart_table(request, key)
    svg = chart.svg(table, chart.scoped_title(partnership, town))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def chart_export(request, key, fmt):
    chart, table, partnership, town = _chart_table(request, key)
    name = f"{charts.scope(partnership, town)} {chart.title}"
    return exports.table_response(fmt, name, table.headers, table.export_rows())
