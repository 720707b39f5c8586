"""Every figure of every scope — a town, a partnership, a city pair, a province pair, one
eastern province, the nation — links to a list whose filtered rows add up exactly to it; at
a roll-up, a figure that adds up equals the sum of the partnerships' own lists (an
independent path: each partnership's list, not the roll-up's). The chart tables' links and
the annual summary of a roll-up agree with the dashboard the same way."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cooperation.dashboard import scopes
from cooperation.dashboard.indicators import registry
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED, FOOTER
from tests.dashboard.helpers import cards, footer, read_csv
from tests.dashboard.partnerships import with_records
from tests.places import LAOCHENG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

# name → the query parameters of the scope (a function of P, the `data` partnership)
SCOPES = {
    "town": lambda p: {"partnership": p.pk, "town": LAOCHENG},
    "partnership": lambda p: {"partnership": p.pk},
    "city_pair": lambda p: {"east": "3204", "west": "6109"},
    "province_pair": lambda p: {"east": "32", "west": "61"},
    "east_only": lambda p: {"east": "32"},
    "nation": lambda p: {"nation": 1},
}
ROLLUPS = ["city_pair", "province_pair", "east_only", "nation"]

# The footer figure of the list a chart-table cell links to, by chart and column.
CHART_FOOTER = {
    ("funds-by-year", 1): "aid_funds",
    ("funds-by-year", 2): "rows",
    ("workers-by-month", 1): "rows",
    ("by-town", 1): "aid_funds",
    ("by-town", 2): "rows",
    ("by-town", 3): "rows",
    ("funds-by-category", 1): "aid_funds",
    ("funds-by-category", 2): "rows",
}


def _dashboard(client, params):
    response = client.get(reverse("cooperation:dashboard"), {**params, "year": YEAR})
    assert response.status_code == 200, params
    assert response.context is not None, "served from the cache: no context to read"
    return response


def _footer_of(client, url, name, decimals=None):
    """The footer figure `name` of the list at `url` (an average to the card's decimals)."""
    response = client.get(url)
    assert response.status_code == 200, url
    value = footer(response)[name]
    if name.startswith("average"):
        value = Decimal(value or 0).quantize(Decimal(1).scaleb(-decimals))
    return value


@pytest.fixture
def outsiders(data):
    """Partnerships with records of every kind in some roll-ups and not in others, so that
    a list that ignored `east` or `west` would not add up: 吴中区—石泉县 lies in the
    province pair but not the city pair, 昆山市—南明区 only in 江苏 (east=32), 西湖区—云岩区
    only in the nation."""
    return [
        with_records("320506", "610922", 1000),
        with_records("320583", "520102", 2000),
        with_records("330106", "520103", 3000),
    ]


def _scope(params):
    return scopes.from_request(RequestFactory().get("/", params))


def test_the_rollups_hold_the_partnerships_beneath(data, other_partnership, outsiders):
    wuzhong, kunshan, xihu = outsiders
    pq = {data, other_partnership}
    beneath = {
        "city_pair": pq,
        "province_pair": pq | {wuzhong},
        "east_only": pq | {wuzhong, kunshan},
        "nation": pq | {wuzhong, kunshan, xihu},
    }
    for name, expected in beneath.items():
        scope = _scope(SCOPES[name](data))
        assert scope.is_rollup, name
        assert set(scope.partnerships) == expected, name


@pytest.mark.parametrize("scope", list(SCOPES))
def test_every_card_links_to_a_list_adding_up_to_it(staff_client, data, outsiders, scope):
    figures = cards(_dashboard(staff_client, SCOPES[scope](data)))
    assert set(figures) == {i.key for i in registry.all()}
    wrong = {}
    for key, card in figures.items():
        if card.unscoped:  # a figure of no town: no link, checked in test_rollups.py
            assert scope == "town" and card.url is None, key
            continue
        assert card.url, key
        total = _footer_of(staff_client, card.url, FOOTER[key], card.indicator.decimals)
        if total != card.actual:
            wrong[key] = (card.actual, total, card.url)
    assert wrong == {}


def test_the_partnership_cards_are_the_hand_worked_figures(staff_client, data):
    figures = cards(_dashboard(staff_client, SCOPES["partnership"](data)))
    assert {k: f.actual for k, f in figures.items()} == EXPECTED


@pytest.mark.parametrize("scope", ROLLUPS)
def test_a_rollup_card_is_the_sum_of_the_partnerships_lists(staff_client, data, outsiders, scope):
    figures = cards(_dashboard(staff_client, SCOPES[scope](data)))
    beneath = _scope(SCOPES[scope](data)).partnerships
    assert len(beneath) == {"city_pair": 2, "province_pair": 3, "east_only": 4, "nation": 5}[scope]
    additive = [i for i in registry.all() if i.additive]
    assert {i.key for i in registry.all() if not i.additive} == {
        "postings.average_months",
        "labor.average_wage",
        "funds.disbursement_rate",  # rates: checked in test_every_card_links_to_a_list…
        "funds.started_rate",
        "funds.completed_rate",
    }
    wrong = {}
    for ind in additive:
        lists = [ind.url(scopes.of_partnership(p), YEAR) for p in beneath]
        summed = sum(_footer_of(staff_client, url, FOOTER[ind.key]) for url in lists)
        if summed != figures[ind.key].actual:
            wrong[ind.key] = (figures[ind.key].actual, summed)
    assert wrong == {}
    # Worked by hand: P, Q's large numbers, and each outsider's (its n added to a base).
    n = [1000, 2000, 3000][: len(beneath) - 2]
    assert figures["funds.aid"].actual == EXPECTED["funds.aid"] + 7000 + sum(100 + i for i in n)
    assert figures["visits.people"].actual == EXPECTED["visits.people"] + 99 + sum(n)
    assert figures["consumption.amount"].actual == (
        EXPECTED["consumption.amount"] + 5555 + sum(50 + i for i in n)
    )
    assert figures["industry.investment_agreed"].actual == 8000 + 8888 + sum(1000 + i for i in n)
    assert figures["labor.transferred"].actual == EXPECTED["labor.transferred"] + len(n)


def _chart_cells(response):
    """[(chart key, column, value, url)] of every linked cell of the dashboard's charts."""
    cells = []
    for item in response.context["charts"]:
        table = item["table"]
        for row, links in zip(table.rows, table.links or [], strict=True):
            for column, (value, url) in enumerate(zip(row, links, strict=True)):
                if url:
                    cells.append((item["chart"].key, column, value, url))
    return cells


@pytest.mark.parametrize("scope", ["partnership", "town", "city_pair", "east_only", "nation"])
def test_every_linked_chart_cell_opens_a_list_adding_up_to_it(staff_client, data, outsiders, scope):
    cells = _chart_cells(_dashboard(staff_client, SCOPES[scope](data)))
    charts = {chart for chart, *_ in cells}
    assert charts == {"funds-by-year", "workers-by-month", "by-town", "funds-by-category"}
    wrong = []
    for chart, column, value, url in cells:
        total = _footer_of(staff_client, url, CHART_FOOTER[chart, column])
        if total != value:
            wrong.append((chart, column, value, total, url))
    assert wrong == []


def test_the_rollup_chart_by_town_is_by_partnership(staff_client, data, other_partnership):
    response = _dashboard(staff_client, SCOPES["city_pair"](data))
    item = next(i for i in response.context["charts"] if i["chart"].key == "by-town")
    assert [row[0] for row in item["table"].rows] == ["新北区—汉阴县", "武进区—汉滨区"]
    # Q: 7000 in one project, no workers; P: its 2021 funds, projects and workers
    assert item["table"].rows[0][1:] == [Decimal("7000"), 1, 0]
    assert item["table"].rows[1][1:] == [
        EXPECTED["funds.aid"],
        EXPECTED["funds.projects"],
        EXPECTED["labor.transferred"],
    ]
    links = item["table"].links
    assert f"partnership={other_partnership.pk}" in links[0][1]
    assert f"partnership={data.pk}" in links[1][3]


@pytest.mark.parametrize("scope", ["city_pair", "nation"])
def test_the_rollup_summary_shows_the_dashboard_figures(staff_client, data, scope):
    params = {**SCOPES[scope](data), "year": YEAR}
    dashboard = cards(_dashboard(staff_client, SCOPES[scope](data)))
    summary = staff_client.get(reverse("cooperation:summary"), params)
    assert summary.status_code == 200
    shown = {k: (f.actual, f.target, f.percent) for k, f in cards(summary).items()}
    assert shown == {k: (f.actual, f.target, f.percent) for k, f in dashboard.items()}
    assert shown["funds.aid"][1] == Decimal("2501")  # P's 2500 + Q's 1

    rows = read_csv(staff_client.get(reverse("cooperation:summary_export", args=["csv"]), params))
    by_label = {row[1]: row for row in rows[1:]}
    assert len(by_label) == len(registry)
    for key, f in dashboard.items():
        row = by_label[str(f.indicator.label)]
        actual, target, percent = row[4], row[3], row[5]
        assert Decimal(actual) == f.actual, key
        assert (Decimal(target) if target else None) == f.target, key
        assert (Decimal(percent) if percent else None) == f.percent, key
