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
from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pygal.etree import etree
from pygal.style import Style

from cooperation.dashboard.indicators import headlines_by_partnership, list_link
from cooperation.dashboard.indicators import registry as indicators
from cooperation.dashboard.scopes import of_partnership
from cooperation.lists.columns import INT, MONEY, TEXT, format_value
from cooperation.lists.exports import exact_money
from cooperation.models import Region

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
    # Okabe–Ito: told apart with every common colour-vision deficiency.
    colors=("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"),
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


class Chart:
    """A chart and its table, computed for a scope (cooperation/dashboard/scopes.py). `by_town`:
    whether the chart can be narrowed to one town (a chart by town cannot: narrowed to one
    town it would have one bar)."""

    def __init__(self, key, title, table, unit, kind="bar", by_town=True, rollup_title=None):
        self.key = key
        self.title = title
        self.rollup_title = rollup_title or title  # its title on a page above one partnership
        self.unit = unit
        self._table = table
        self.kind = kind
        self.by_town = by_town

    def narrowed(self, scope):
        """The scope the chart shows when `scope` is chosen: the whole county for a chart
        that cannot be narrowed to a town."""
        if scope.town is not None and not self.by_town:
            return scope.without_town()
        return scope

    def table(self, scope, year):
        return self._table(self.narrowed(scope), year)

    def scoped_title(self, scope):
        """The title with the scope the chart shows."""
        title = self.rollup_title if scope.is_rollup else self.title
        titled = gettext("%(title)s（%(unit)s）") % {"title": title, "unit": self.unit}
        return f"{titled} · {self.narrowed(scope).name}"

    def svg(self, table, title=None):
        """The chart as SVG bytes (pygal, no JavaScript), under `title` (the chart's own
        title when not given). Readable at any number of bars: a horizontal chart grows
        one bar height per row and keeps room for its longest label; values are written
        on the bars; colours are told apart by colour-blind readers (Okabe–Ito)."""
        rows = len(table.rows)
        horizontal = self.kind == "hbar"
        labels = [str(row[table.label_column]) for row in table.rows]
        chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(
            js=[],
            style=STYLE,
            title=str(title or self.title),
            width=CHART_WIDTH,
            height=_height(rows, len(table.series_columns), horizontal),
            show_legend=len(table.series_columns) > 1,
            legend_at_bottom=True,
            print_values=True,
            print_values_position="top",
            value_formatter=_value_text,
            truncate_label=-1,
            truncate_title=-1,
            no_data_text=gettext("暂无数据"),
            # Side by side while the labels fit under their bars, slanted when not.
            x_label_rotation=0 if horizontal or _fits_under_bars(labels) else 45,
            # pygal measures labels as Latin text (0.6 em a character); a Chinese character
            # is a full em: the difference is added to the label side.
            margin_left=_cjk_room(labels, STYLE.label_font_size) if horizontal else 20,
            margin_bottom=_cjk_room(labels, STYLE.label_font_size) if not horizontal else 10,
            margin_right=60 if horizontal else 20,  # values written beyond the longest bar
            margin_top=16,
        )
        # pygal draws a horizontal chart's first row at the bottom: reversed, the table's
        # first row is on top.
        order = list(reversed(table.rows)) if horizontal else table.rows
        chart.x_labels = [str(row[table.label_column]) for row in order]
        for col in table.series_columns:
            # pygal draws floats; the exact Decimal figures are in the table under the chart.
            chart.add(str(table.headers[col]), [float(row[col] or 0) for row in order])
        return _without_scripts(chart.render_tree())


CHART_WIDTH = 800
BAR_HEIGHT = 30  # per bar of a horizontal chart, and per series


def _height(rows, series, horizontal):
    if not horizontal:
        return 440
    return max(260, 120 + rows * max(series, 1) * BAR_HEIGHT)


def _text_width(label, font_size=STYLE.label_font_size):
    """About how wide a label is drawn: a CJK character a full em, others 0.6 em."""
    return sum(font_size if ord(ch) > 0x2E7F else font_size * 0.6 for ch in label)


def _fits_under_bars(labels):
    slot = (CHART_WIDTH - 80) / max(len(labels), 1)
    return all(_text_width(label) + 8 < slot for label in labels)


def _cjk_room(labels, font_size):
    """The width pygal leaves out for labels written in Chinese (it counts 0.6 em a
    character; a CJK character takes a full em)."""
    cjk = max((sum(1 for ch in label if ord(ch) > 0x2E7F) for label in labels), default=0)
    return int(cjk * font_size * 0.45) + 12


def _value_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value % 1:
        return format_value(Decimal(str(value)), MONEY)
    return format_value(value, INT)


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


def _records(model, scope):
    """The scope's records of a model (of its town, where the model names one)."""
    rows = apps.get_model(model).objects.filter(scope.records())
    return rows.in_town(scope.town) if scope.town is not None else rows


def funds_by_year(scope, year):
    """Aid funds and projects by fund year, up to the chosen year."""
    rows = _records("projects.Project", scope).filter(fund_year__lte=year).aid_funds_by_year()
    links = []
    for r in rows:
        url = indicators["funds.aid"].url(scope, r["year"])
        links.append([None, url, url])  # the projects list sums the funds and counts the rows
    return Table(
        headers=[gettext("资金年度"), gettext("协作资金（万元）"), gettext("项目数（个）")],
        rows=[[r["year"], r["aid_funds"], r["projects"]] for r in rows],
        kinds=[TEXT, MONEY, INT],
        links=links,
    )


def _transferred(scope, year):
    """The year rows of the workers transferred in the year — the rows the indicator
    labor.transferred counts, so the chart's rows add up to its card."""
    return _records("labor.WorkerYear", scope).in_year(year).transferred()


def _persons_grouped_by(qs, *fields):
    """{group values: persons} — one grouped query of year rows (one per worker and year:
    counted as persons, as the figures count them)."""
    rows = qs.order_by().values_list(*fields).annotate(n=Count("pk"))
    return {row[:-1]: row[-1] for row in rows}


def workers_by_month(scope, year):
    """Workers transferred to employment, by the month of their first new job of the year."""
    counts = _persons_grouped_by(_transferred(scope, year), "transferred_month")
    months = range(1, 13)
    return Table(
        headers=[gettext("月份"), gettext("转移就业人数（人）")],
        rows=[[gettext("%(m)s月") % {"m": m}, counts.get((m,), 0)] for m in months],
        kinds=[TEXT, INT],
        links=[[None, indicators["labor.transferred"].url(scope, year, m)] for m in months],
    )


def figures_by_place(scope, year):
    """Projects, aid funds and transferred workers by town of the western county — or, on
    a roll-up, by partnership. Never narrowed to one town (it would be a single bar)."""
    if scope.is_rollup:
        return _by_partnership(scope, year)
    funds = _records("projects.Project", scope).aid_funds_by_town(year)
    workers = _persons_grouped_by(_transferred(scope, year), "home_town", "home_town__name")
    towns = {}
    for r in funds:
        towns[r["town"]] = [r["town_name"], r["aid_funds"], r["projects"], 0]
    for (code, name), n in workers.items():
        towns.setdefault(code, [name, Decimal("0"), 0, 0])[3] = n
    unplaced = gettext("未注明镇（街道）")
    rows, links = [], []
    # Largest funds first (then most workers); the records without a town last.
    ranked = sorted(
        towns.items(), key=lambda kv: (kv[0] is None, -kv[1][1], -kv[1][3], kv[0] or "")
    )
    for code, v in ranked:
        rows.append([v[0] or unplaced, v[1], v[2], v[3]])
        if code is None:  # no list selects the records without a town
            links.append([None] * 4)
            continue
        place = of_partnership(scope.partnership, Region(code=code, name=v[0]))
        funds_url = indicators["funds.aid"].url(place, year)
        workers_url = indicators["labor.transferred"].url(place, year)
        links.append([None, funds_url, funds_url, workers_url])
    return _places_table(gettext("镇（街道）"), rows, links)


def _by_partnership(scope, year):
    """Aid funds, projects and transferred workers of each partnership beneath a roll-up,
    from the figures engine (one grouped query per source)."""
    keys = ["funds.aid", "funds.projects", "labor.transferred"]  # headlines, all three
    values = headlines_by_partnership(scope, year)
    rows, links = [], []
    ranked = sorted(scope.partnerships, key=lambda p: -values[p.pk]["funds.aid"])
    for p in ranked:
        v = values[p.pk]
        rows.append([p.name, *(v[k] for k in keys)])
        one = of_partnership(p)
        funds_url = indicators["funds.aid"].url(one, year)
        links.append([None, funds_url, funds_url, indicators["labor.transferred"].url(one, year)])
    return _places_table(gettext("协作关系"), rows, links)


def _places_table(place, rows, links):
    """Aid funds, projects and transferred workers by place (a town, or a partnership)."""
    return Table(
        headers=[
            place,
            gettext("协作资金（万元）"),
            gettext("项目数（个）"),
            gettext("转移就业人数（人）"),
        ],
        rows=rows,
        kinds=[TEXT, MONEY, INT, INT],
        series_columns=[1],
        links=links,
    )


def funds_by_category(scope, year):
    """This year's aid funds and projects by project category."""
    rows = _records("projects.Project", scope).aid_funds_by_category(year)
    links = []
    rows = sorted(rows, key=lambda r: (-(r["aid_funds"] or 0), -r["projects"]))  # largest first
    for r in rows:
        link = list_link("projects:projects", exclude_cancelled=1, category=r["category"])
        url = link(scope, year)
        links.append([None, url, url])
    return Table(
        headers=[gettext("项目类别"), gettext("协作资金（万元）"), gettext("项目数（个）")],
        rows=[[r["label"], r["aid_funds"], r["projects"]] for r in rows],
        kinds=[TEXT, MONEY, INT],
        links=links,
    )


WAN = _("万元")
registry.add(Chart("funds-by-year", _("历年协作资金"), funds_by_year, WAN))
registry.add(Chart("workers-by-month", _("本年度各月转移就业人数"), workers_by_month, _("人")))
registry.add(
    Chart(
        "by-town",
        _("各镇（街道）协作资金"),
        figures_by_place,
        WAN,
        kind="hbar",
        by_town=False,
        rollup_title=_("各协作关系协作资金"),
    )
)
registry.add(
    Chart("funds-by-category", _("本年度协作资金按项目类别"), funds_by_category, WAN, kind="hbar")
)
