"""Dashboard, annual summary, charts, and the public lists of the core records."""

import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.db import connection
from django.db.models import OuterRef, Subquery
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

WAN = _("万元")

# --- choosing a partnership, a year (and a town) ------------------------------------------


@dataclass
class Choice:
    """The partnership, year and town a dashboard-like page shows, and what it offers."""

    partnerships: list
    partnership: Partnership | None = None
    year: int | None = None
    years: list = field(default_factory=list)
    town: Region | None = None
    towns: list = field(default_factory=list)

    def query(self, **extra):
        params = {"partnership": self.partnership.pk, "year": self.year}
        if self.town is not None:
            params["town"] = self.town.code
        params.update(extra)
        return urlencode(params)


def _latest_dated(model, date_field, partnership_path="partnership", conditions=None):
    """Subquery: the latest `date_field` of a model's records of the outer partnership."""
    return Subquery(
        model.objects.filter(**{partnership_path: OuterRef("pk")}, **(conditions or {}))
        .order_by(f"-{date_field}")
        .values(date_field)[:1]
    )


def latest_year_with_data(partnership):
    """The latest year in which the partnership has any record — one query (a subquery per
    kind of record, each answered by an index on partnership and date). Its SQL is the same
    for every partnership but the key: compiled once per process (eleven subqueries cost a
    cold dashboard 5 ms of Django's compiler on every request)."""
    sql = _latest_year_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership.pk])
        row = cursor.fetchone()
    years = [v if isinstance(v, int) else v.year for v in (row or ()) if v is not None]
    return max(years) if years else None


@functools.cache
def _latest_year_sql(vendor):
    from labor.models import CommunityFactory, JobFair, TrainingCourse, WorkerYear
    from projects.models import ConsumptionSale, Donation, Investment, Project

    sources = {
        "projects": (Project, "fund_year", "partnership"),
        "sales": (ConsumptionSale, "year", "partnership"),
        # Years in which a spell started (not every year row, which runs on to today while
        # a job lasts). WorkerYear.transferred says exactly that and is answered by the
        # (partnership, year) index; the latest Employment.start_date of the partnership's
        # workers walked the national start-date index (150 ms at a million spells).
        "employments": (WorkerYear, "year", "partnership", {"transferred": True}),
        "pairings": (Pairing, "signed_on", "partnership"),
        "postings": (Posting, "start_date", "partnership"),
        "visits": (Visit, "date", "partnership"),
        "investments": (Investment, "signed_on", "partnership"),
        "donations": (Donation, "date", "partnership"),
        "fairs": (JobFair, "date", "partnership"),
        "courses": (TrainingCourse, "start_date", "partnership"),
        "factories": (CommunityFactory, "opened_on", "partnership"),
    }
    marker = 987654321  # any key: the partnership's key is the query's one parameter
    query = (
        Partnership.objects.filter(pk=marker)
        .annotate(**{f"latest_{k}": _latest_dated(*source) for k, source in sources.items()})
        .values(*(f"latest_{k}" for k in sources))
        .order_by("pk")[:1]
        .query
    )
    sql, params = query.sql_with_params()
    if tuple(params) != (marker,):
        raise RuntimeError(f"latest_year_with_data: unexpected parameters {params!r}")
    return sql


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


def choose_partnership_and_year(request, with_town=True):
    """Read ?partnership=&year=(&town=). Unknown or malformed values give a 404.

    Defaults: the first partnership; the latest year with any record (this year when
    there is none). Fixed number of queries: partnerships, latest year, towns."""
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
    year = _int_param(request, "year", MIN_YEAR, MAX_YEAR)
    latest = latest_year_with_data(choice.partnership)
    this_year = timezone.localdate().year
    choice.year = year or latest or this_year
    first = min(choice.partnership.since_year, choice.year)
    last = max(latest or this_year, choice.year)
    choice.years = list(range(last, first - 1, -1))
    if with_town:
        choice.towns = list(western_towns(choice.partnership.pk))
        code = request.GET.get("town", "").strip()
        if code:
            choice.town = next((t for t in choice.towns if t.code == code), None)
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


def mark_restricted(groups, user):
    """Flag the figures whose list is a staff list the user may not open (their link leads to
    the login page), so the card can say so."""
    from labor.views import employment_list, worker_list

    staff_lists = {spec.url_path(): spec for spec in (worker_list, employment_list)}
    for _group, figures in groups:
        for f in figures:
            spec = staff_lists.get((f.url or "").split("?")[0])
            f.restricted = spec is not None and not user.has_perm(spec.permission)
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
                )
            )
        groups.append((group, figures))
    return groups


def summary_table(partnership, year):
    """Headers and rows of the annual summary (the same figures as the dashboard)."""
    headers = [
        gettext("类别"),
        gettext("指标"),
        pgettext("unit of measure", "单位"),
        gettext("目标值"),
        gettext("完成值"),
        gettext("完成率（%）"),
    ]
    rows = []
    for group, figures in indicator_rows(partnership, year):
        for f in figures:
            in_wan = str(f.indicator.unit) == str(WAN)
            rows.append(
                [
                    str(group.label),
                    str(f.indicator.label),
                    str(f.indicator.unit),
                    exports.exact_money(f.target) if in_wan else f.target,
                    exports.exact_money(f.actual) if in_wan else f.actual,
                    f.percent,
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


pairing_list = ListSpec(
    name="pairings",
    title=_("结对关系"),
    queryset=lambda: Pairing.objects.all(),
    filterset_class=PairingFilter,
    unit=_("对"),
    columns=[
        Column("signed_on", _("签约日期"), DATE),
        Column("level", _("结对类型"), CHOICE),
        Column("east_org__name", _("东部单位")),
        Column("west_org__name", _("西部单位")),
        Column("west_org__region__name", _("西部单位所在地")),
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
        # Cards, tables and the choice form written in Python (cooperation/dashboard_html.py):
        # the same HTML as their templates, a fraction of the time of a cold dashboard.
        "group_cards": [(group, dashboard_html.cards_html(figures)) for group, figures in groups],
        "charts": [
            {"chart": chart, "table": table, "table_html": dashboard_html.table_html(table)}
            for chart in charts.registry
            for table in [chart.table(choice.partnership, choice.year)]
        ],
        "query": choice.query(),
        "choice_form": dashboard_html.choice_form_html(choice),
    }
    return render(request, "cooperation/dashboard.html", context)


def summary(request):
    """The annual summary: every indicator of a partnership and year, as the yearly
    assessment table lays it out; fit to print."""
    choice = choose_partnership_and_year(request, with_town=False)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    context = {
        "choice": choice,
        "groups": indicator_rows(choice.partnership, choice.year),
        "query": choice.query(),
        "choice_form": dashboard_html.choice_form_html(choice),
    }
    return render(request, "cooperation/summary.html", context)


def summary_export(request, fmt):
    choice = choose_partnership_and_year(request, with_town=False)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    headers, rows = summary_table(choice.partnership, choice.year)
    name = gettext("%(p)s %(y)s年度东西部协作指标完成情况") % {
        "p": choice.partnership.name,
        "y": choice.year,
    }
    return exports.table_response(fmt, name, headers, rows)


def _chart_and_choice(request, key):
    chart = charts.registry.get(key)
    if chart is None:
        raise Http404(gettext("没有这个图表。"))
    choice = choose_partnership_and_year(request, with_town=False)
    if choice.partnership is None:
        raise Http404(gettext("还没有协作关系。"))
    return chart, choice


# pygal puts its styles inside the SVG; the SVG is only ever shown as an <img> (which runs
# no script), so its own inline styles are allowed and scripts stay forbidden.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE]})
def chart_svg(request, key):
    chart, choice = _chart_and_choice(request, key)
    svg = chart.svg(chart.table(choice.partnership, choice.year))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def chart_export(request, key, fmt):
    chart, choice = _chart_and_choice(request, key)
    table = chart.table(choice.partnership, choice.year)
    name = f"{choice.partnership.name} {chart.title}"
    return exports.table_response(fmt, name, table.headers, table.export_rows())
