"""The dashboard's charts: each is a small table computed in the database (one grouped
QuerySet method per source) and drawn as SVG on the server with pygal — no JavaScript,
no web fonts, nothing fetched from the internet. The table is shown under the chart and
exported as CSV/XLSX, so the picture, the table and the export always agree.

The SVG is served at its own URL and embedded with <img>: the page's Content-Security-Policy
forbids inline styles, and an SVG shown as an image can run no script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import pygal
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pygal.etree import etree
from pygal.style import Style

from .exports import exact_money
from .indicators import list_link
from .indicators import registry as indicators
from .listing import INT, MONEY, TEXT, format_value
from .models import Region

FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
STYLE = Style(
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2733",
    foreground_strong="#1d2733",
    foreground_subtle="#5b6775",
    colors=("#b0262c", "#1f5fa8", "#2e7d4f", "#c77c02", "#6a4c93"),
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)


class Cell(NamedTuple):
    text: str
    url: str | None  # the list whose rows add up to the cell


@dataclass
class Table:
    headers: list
    rows: list
    kinds: list
    label_column: int = 0
    series_columns: list = field(default_factory=lambda: [1])
    links: list | None = None  # a URL or None for each cell, row by row

    @property
    def display_rows(self):
        return [
            [format_value(v, k) for v, k in zip(row, self.kinds, strict=True)] for row in self.rows
        ]

    @property
    def cells(self):
        """Rows of Cell: the value as shown, and the list it opens (None: no link)."""
        links = self.links or [[None] * len(self.kinds) for _ in self.rows]
        return [
            [Cell(text, url) for text, url in zip(row, urls, strict=True)]
            for row, urls in zip(self.display_rows, links, strict=True)
        ]

    def export_rows(self):
        """Rows for CSV/XLSX: amounts to their exact 4 places."""
        return [
            [exact_money(v) if k == MONEY else v for v, k in zip(row, self.kinds, strict=True)]
            for row in self.rows
        ]

    @property
    def numeric(self):
        return [k in (INT, MONEY) for k in self.kinds]


def scope(partnership, town=None):
    """The scope of a chart in words: the partnership, or the partnership and the town."""
    return partnership.name if town is None else f"{partnership.name} {town.name}"


class Chart:
    """A chart and its table. `by_town`: whether the chart can be narrowed to one town (a
    chart by town cannot: narrowed to one town it would have one bar)."""

    def __init__(self, key, title, table, kind="bar", by_town=True):
        self.key = key
        self.title = title
        self._table = table
        self.kind = kind
        self.by_town = by_town

    def table(self, partnership, year, town=None):
        return self._table(partnership, year, town if self.by_town else None)

    def scoped_title(self, partnership, town=None):
        """The title with the scope the chart shows (the town is ignored by a chart that
        cannot be narrowed to it)."""
        return f"{self.title} · {scope(partnership, town if self.by_town else None)}"

    def svg(self, table, title=None):
        """The chart as SVG bytes (pygal, no JavaScript), under `title` (the chart's own
        title when not given)."""
        cls = pygal.HorizontalBar if self.kind == "hbar" else pygal.Bar
        chart = cls(
            js=[],
            style=STYLE,
            title=str(title or self.title),
            width=800,
            height=420,
            show_legend=len(table.series_columns) > 1,
            legend_at_bottom=True,
            print_values=len(table.rows) <= 16,
            value_formatter=lambda v: (
                format_value(Decimal(str(v)), MONEY)
                if isinstance(v, float) and v % 1
                else format_value(v, INT)
            ),
            truncate_label=-1,
            no_data_text=gettext("暂无数据"),
            x_label_rotation=0 if len(table.rows) <= 12 else 30,
        )
        chart.x_labels = [str(row[table.label_column]) for row in table.rows]
        for col in table.series_columns:
            # pygal draws floats; the exact Decimal figures are in the table under the chart.
            chart.add(str(table.headers[col]), [float(row[col] or 0) for row in table.rows])
        return _without_scripts(chart.render_tree())


def _without_scripts(tree):
    """pygal always embeds a <script> with its config (for its optional tooltips); the
    chart needs none, so it is taken out before the SVG is serialised."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + etree.tostring(tree, encoding="utf-8")


class ChartRegistry:
    def __init__(self):
        self._charts = {}

    def add(self, chart):
        self._charts[chart.key] = chart
        return chart

    def get(self, key):
        return self._charts.get(key)

    def __iter__(self):
        return iter(self._charts.values())


registry = ChartRegistry()


# --- the four charts -----------------------------------------------------------------------
# Each cell links to the list whose rows add up to it: the list of the indicator the column
# shows (its `list_url`, the contract tested for every card), for the row's year, month,
# town or category.


def _indicator_url(key, partnership, year, town=None, month=None):
    return indicators[key].url(partnership, year, town=town, month=month)


def funds_by_year(partnership, year, town=None):
    """Aid funds and projects by fund year, up to the chosen year (of one town's projects
    when a town is given)."""
    from projects.models import Project

    rows = Project.objects.for_partnership(partnership).filter(fund_year__lte=year)
    if town is not None:
        rows = rows.in_town(town)
    rows = rows.aid_funds_by_year()
    links = []
    for r in rows:
        url = _indicator_url("funds.aid", partnership, r["year"], town)
        links.append([None, url, url])  # the projects list sums the funds and counts the rows
    return Table(
        headers=[gettext("资金年度"), gettext("协作资金（万元）"), gettext("项目数（个）")],
        rows=[[r["year"], r["aid_funds"], r["projects"]] for r in rows],
        kinds=[TEXT, MONEY, INT],
        links=links,
    )


def _transferred(partnership, year, town=None):
    """The year rows of the workers transferred in the year — the same phrases as the
    indicator labor.transferred, so the chart's rows add up to its card."""
    from labor.models import WorkerYear

    qs = WorkerYear.objects.for_partnership(partnership).in_year(year)
    if town is not None:
        qs = qs.in_town(town)
    return qs.transferred()


def _persons_grouped_by(qs, *fields):
    """{group values: persons} — one grouped query, persons counted as person_count() does."""
    rows = qs.order_by().values_list(*fields).annotate(n=Count("worker_id", distinct=True))
    return {row[:-1]: row[-1] for row in rows}


def workers_by_month(partnership, year, town=None):
    """Workers transferred to employment, by the month of their first new job of the year
    (of one home town when a town is given)."""
    counts = _persons_grouped_by(_transferred(partnership, year, town), "transferred_month")
    months = range(1, 13)
    return Table(
        headers=[gettext("月份"), gettext("转移就业人数（人）")],
        rows=[[gettext("%(m)s月") % {"m": m}, counts.get((m,), 0)] for m in months],
        kinds=[TEXT, INT],
        links=[
            [None, _indicator_url("labor.transferred", partnership, year, town, m)] for m in months
        ],
    )


def figures_by_town(partnership, year, town=None):
    """Projects, aid funds and transferred workers by town of the western county (always
    the whole county: narrowed to one town it would be a single bar)."""
    from projects.models import Project

    funds = Project.objects.for_partnership(partnership).aid_funds_by_town(year)
    workers = _persons_grouped_by(_transferred(partnership, year), "home_town", "home_town__name")
    towns = {}
    for r in funds:
        towns[r["town"]] = [r["town_name"], r["aid_funds"], r["projects"], 0]
    for (code, name), n in workers.items():
        towns.setdefault(code, [name, Decimal("0"), 0, 0])[3] = n
    unplaced = gettext("未注明镇（街道）")
    rows, links = [], []
    for code, v in sorted(towns.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        rows.append([v[0] or unplaced, v[1], v[2], v[3]])
        if code is None:  # no list selects the records without a town
            links.append([None] * 4)
            continue
        place = Region(code=code, name=v[0])
        funds_url = _indicator_url("funds.aid", partnership, year, place)
        workers_url = _indicator_url("labor.transferred", partnership, year, place)
        links.append([None, funds_url, funds_url, workers_url])
    return Table(
        headers=[
            gettext("镇（街道）"),
            gettext("协作资金（万元）"),
            gettext("项目数（个）"),
            gettext("转移就业人数（人）"),
        ],
        rows=rows,
        kinds=[TEXT, MONEY, INT, INT],
        series_columns=[1],
        links=links,
    )


def funds_by_category(partnership, year, town=None):
    """This year's aid funds and projects by project category (of one town's projects when a
    town is given)."""
    from projects.models import Project

    rows = Project.objects.for_partnership(partnership)
    if town is not None:
        rows = rows.in_town(town)
    rows = rows.aid_funds_by_category(year)
    links = []
    for r in rows:
        link = list_link("projects:projects", exclude_cancelled=1, category=r["category"])
        url = link(partnership, year, town=town)
        links.append([None, url, url])
    return Table(
        headers=[gettext("项目类别"), gettext("协作资金（万元）"), gettext("项目数（个）")],
        rows=[[r["label"], r["aid_funds"], r["projects"]] for r in rows],
        kinds=[TEXT, MONEY, INT],
        links=links,
    )


registry.add(Chart("funds-by-year", _("历年协作资金"), funds_by_year))
registry.add(Chart("workers-by-month", _("本年度各月转移就业人数"), workers_by_month))
registry.add(
    Chart("by-town", _("各镇（街道）协作资金"), figures_by_town, kind="hbar", by_town=False)
)
registry.add(
    Chart("funds-by-category", _("本年度协作资金按项目类别"), funds_by_category, kind="hbar")
)
