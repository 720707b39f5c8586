"""Roll-ups (cooperation/dashboard/scopes.py): a city pair, a province pair, one side's province and the
nation sum the partnerships beneath them. The engine runs one query per source at any
scope; a roll-up's dashboard runs a fixed number of queries however many partnerships it
holds; its comparison table, targets, chooser, bad parameters and wording."""

import html
import math
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.dashboard import indicators, scopes
from cooperation.dashboard.indicators import evaluate, evaluate_by_partnership, registry
from cooperation.models import Target, YearFigure
from tests.conftest import YEAR
from tests.cooperation.factories import (
    PartnershipFactory,
    region,
)
from tests.dashboard.conftest import EXPECTED, TARGETS
from tests.dashboard.helpers import cards, read_csv, read_xlsx
from tests.dashboard.partnerships import with_records
from tests.places import HANYIN_CHENGGUAN, LAOCHENG
from tests.places import P_NAME as P
from tests.places import Q_NAME as Q

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

CITY_PAIR = {"east": "3204", "west": "6109"}
PROVINCE_PAIR = {"east": "32", "west": "61"}
AVERAGES = ["labor.average_wage", "postings.average_months"]
# The sources of the registry: every one at a partnership, all but the visits and the cadre
# training (which name no town) at a town.
SOURCES = 15
TOWNLESS_SOURCES = 2


def scope_of(params):
    return scopes.from_request(RequestFactory().get("/", params), towns=scopes.western_towns)


def dashboard(client, params, **extra):
    cache.clear()  # a page served from the cache has no context
    response = client.get(reverse("cooperation:dashboard"), {**params, "year": YEAR, **extra})
    assert response.status_code == 200, params
    return response


# --- (a) the engine: one query per source -------------------------------------------------------


def _all_scopes(p):
    return {
        "town": scope_of({"partnership": p.pk, "town": LAOCHENG}),
        "partnership": scope_of({"partnership": p.pk}),
        "city_pair": scope_of(CITY_PAIR),
        "province_pair": scope_of(PROVINCE_PAIR),
        "east_only": scope_of({"east": "32"}),
        "nation": scope_of({"nation": "1"}),
    }


@pytest.mark.parametrize("name", ["town", "partnership"])
def test_evaluate_runs_one_query_per_source(data, django_assert_num_queries, name):
    scope = _all_scopes(data)[name]
    sources = {i.source for i in registry.all() if i.applies(scope)}
    assert len(sources) == (SOURCES - TOWNLESS_SOURCES if name == "town" else SOURCES)
    with django_assert_num_queries(len(sources)):
        values = evaluate(scope, YEAR)
    assert set(values) == {i.key for i in registry.all()}
    if name == "partnership":
        assert values == EXPECTED
    if name == "town":
        assert values["visits.count"] is None and values["visits.people"] is None
        assert values["funds.aid"] == Decimal("1200.5")  # 茶园提升 in 老城街道


# The sources with a figure that does not add up across partnerships (distinct persons,
# enterprises): a roll-up counts those from the records.
DISTINCT_SOURCES = {i.source for i in registry.all() if not i.measure.summable}


@pytest.mark.parametrize("name", ["city_pair", "province_pair", "east_only", "nation"])
def test_a_rollup_reads_the_yearly_figures_and_counts_distinct_figures_from_records(
    data, other_partnership, django_assert_num_queries, name
):
    scope = _all_scopes(data)[name]
    assert {s.key for s in DISTINCT_SOURCES} == {"postings", "investments"}
    evaluate(scope, YEAR)  # computes the yearly figures of the partnerships beneath
    # Then: which partnerships are stale (none), one sum of the yearly figures, and one
    # aggregate per source with a distinct figure.
    with django_assert_num_queries(2 + len(DISTINCT_SOURCES)):
        values = evaluate(scope, YEAR)
    assert set(values) == {i.key for i in registry.all()}
    # Both partnerships' records: the roll-up equals the figures computed from the records.
    live = {}
    for source in {i.source for i in registry.all()}:
        members = [i for i in registry.all() if i.source == source]
        row = source.queryset(scope, YEAR).aggregate(**indicators._aggregates(members, YEAR))
        live.update(indicators._finish(members, indicators._split(members, row)))
    assert values == live


@pytest.mark.parametrize("name", ["partnership", "city_pair", "east_only", "nation"])
def test_evaluate_by_partnership_reads_the_yearly_figures_in_one_query(
    data, other_partnership, django_assert_num_queries, name
):
    scope = _all_scopes(data)[name]
    evaluate_by_partnership(scope, YEAR)  # computes them
    with django_assert_num_queries(2):  # which are stale (none), then the figures
        values = evaluate_by_partnership(scope, YEAR)
    assert set(values) == {p.pk for p in scope.partnerships}
    for p in scope.partnerships:
        assert values[p.pk] == evaluate(scopes.of_partnership(p), YEAR), p
    assert values[data.pk] == EXPECTED


def test_a_partnership_without_records_gets_the_figures_of_no_rows(data, other_partnership):
    empty = PartnershipFactory(east_region=region("320402"), west_region=region("610924"))
    values = evaluate_by_partnership(scope_of(CITY_PAIR), YEAR)
    assert values[empty.pk] == evaluate(scopes.of_partnership(empty), YEAR)
    assert values[empty.pk]["funds.aid"] == 0 and values[empty.pk]["labor.average_wage"] == 0
    assert values[empty.pk]["funds.disbursement_rate"] is None  # no aid funds: no rate


def test_a_rollup_rate_divides_the_summed_parts(data, other_partnership):
    """A rate of a city pair is the sum of the numerators over the sum of the denominators,
    not a mean of the partnerships' rates."""
    values = evaluate(scope_of(CITY_PAIR), YEAR)
    # disbursed P 1500.5034 + Q 6999 = 8499.5034; aid P 2000.7534 + Q 7000 = 9000.7534
    # → 94.431 % → 94.4 (the mean of P's 75.0 and Q's 99.99 would be 87.5)
    assert values["funds.disbursed"] == Decimal("8499.5034")
    assert values["funds.disbursement_rate"] == Decimal("94.4")
    # completed: P's 道路硬化 and Q's project (completed) of 3 → 66.666 % → 66.7
    assert values["funds.completed_rate"] == Decimal("66.7")


# --- (b) the roll-up dashboard: a fixed number of queries --------------------------------------

# Six more partnerships of 常州市—安康市, each an eastern and a western county of the two cities.
MORE = [
    ("320402", "610921"),
    ("320404", "610922"),
    ("320411", "610902"),
    ("320413", "610923"),
    ("320481", "610924"),
    ("320412", "610925"),
]


@pytest.mark.parametrize("params", [CITY_PAIR, {"nation": "1"}])
def test_the_rollup_dashboard_runs_a_fixed_number_of_queries(
    client, data, django_assert_max_num_queries, params
):
    dashboard(client, params)  # warm up whatever a first request loads once per process
    cache.clear()
    with CaptureQueriesContext(connection) as two:
        response = client.get(reverse("cooperation:dashboard"), {**params, "year": YEAR})
    assert len(response.context["comparison"].rows) == 2

    more = [with_records(east, west, n) for n, (east, west) in enumerate(MORE)]
    cache.clear()
    # The first page after the writes computes the yearly figures of the six new partnerships:
    # one aggregate per source for all of them, and a fixed number of writes.
    with CaptureQueriesContext(connection) as refreshing:
        client.get(reverse("cooperation:dashboard"), {**params, "year": YEAR})
    # The writes: a savepoint, the stamps, the old figures deleted, the new ones inserted
    # as many rows at a time as a statement takes (SQLite: 999 parameters, 199 rows of five
    # columns), the savepoint released.
    written = YearFigure.objects.filter(partnership__in=more, year=YEAR).count()
    assert len(refreshing) <= len(two) + SOURCES + 4 + math.ceil(written / 199)
    cache.clear()
    with django_assert_max_num_queries(len(two)) as eight:
        response = client.get(reverse("cooperation:dashboard"), {**params, "year": YEAR})
    assert len(response.context["comparison"].rows) == 8
    assert len(eight) == len(two)
    # The six partnerships' records count: 1 + … + 6 more people on visits, 6 more projects.
    figures = cards(response)
    assert figures["visits.people"].actual == EXPECTED["visits.people"] + 99 + sum(range(6))
    assert figures["funds.projects"].actual == EXPECTED["funds.projects"] + 1 + len(more)


# --- (c) the comparison table ----------------------------------------------------------------


def _comparison(client, params, **extra):
    return dashboard(client, params, **extra).context["comparison"]


def test_the_comparison_has_a_row_per_partnership_with_its_own_cards(
    client, data, other_partnership
):
    comparison = _comparison(client, CITY_PAIR)
    assert [i.key for i in comparison.headlines] == [
        "funds.aid",
        "funds.projects",
        "postings.cadres_e2w",
        "pairings.active",
        "industry.investment_arrived",
        "labor.transferred",
        "consumption.amount",
    ]
    assert {p.pk for p, _ in comparison.rows} == {data.pk, other_partnership.pk}
    for p, cells in comparison.rows:
        own = cards(dashboard(client, {"partnership": p.pk}))
        for cell in cells:
            card = own[cell.indicator.key]
            assert (cell.value, cell.target, cell.percent) == (
                card.actual,
                card.target,
                card.percent,
            ), (p, cell.indicator.key)
            assert cell.url == card.url
    by_pk = {p.pk: {c.indicator.key: c for c in cells} for p, cells in comparison.rows}
    assert by_pk[data.pk]["funds.aid"].value == EXPECTED["funds.aid"]
    assert by_pk[other_partnership.pk]["funds.aid"].value == Decimal("7000")
    assert by_pk[other_partnership.pk]["funds.aid"].percent == Decimal("700000.0")  # target 1


def _order(comparison):
    return [p.name for p, _ in comparison.rows]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("funds.aid", [Q, P]),  # 7000 > 2000.7534
        ("consumption.amount", [Q, P]),  # 5555 > 450.1234
        ("pairings.active", [P, Q]),  # 3 > 1
        ("postings.cadres_e2w", [P, Q]),  # 1 > 0
        ("funds.aid:pct", [Q, P]),  # 700000 % > 80 %
        ("pairings.active:pct", [P, Q]),  # 75 %; Q has no target: last
        ("labor.transferred:pct", [P, Q]),  # 150 %; Q has no target: last
    ],
)
def test_sorting_by_a_column_puts_the_largest_first(client, data, sort, order):
    comparison = _comparison(client, CITY_PAIR, sort=sort)
    assert comparison.sort == sort
    assert _order(comparison) == order


def _name_order(names):
    """The partnerships in the order of their region codes (新北 320411 before 武进 320412),
    the order of the official code list."""
    by_name = {p.name: p for p in scopes.all_partnerships()}
    return sorted(names, key=lambda n: (by_name[n].east_region_id, by_name[n].west_region_id))


@pytest.mark.parametrize(
    "sort", ["", "name", "bogus", "funds.aid:bogus", "labor.average_wage", "<script>", ":pct"]
)
def test_an_unknown_sort_falls_back_to_the_name_order(client, data, sort):
    comparison = _comparison(client, CITY_PAIR, sort=sort)
    assert comparison.sort == "name"
    assert _order(comparison) == _name_order([P, Q]) == [Q, P]


def test_the_name_order_holds_with_more_partnerships(client, data):
    for n, (east, west) in enumerate(MORE):
        with_records(east, west, n)
    names = _order(_comparison(client, CITY_PAIR, sort="name"))
    assert len(names) == 8
    assert names == _name_order(names)
    assert names[:2] == ["天宁区—汉阴县", "钟楼区—石泉县"]  # 320402, 320404
    # Equal values keep the name order: seven partnerships of one cadre each, then Q.
    ranked = _order(_comparison(client, CITY_PAIR, sort="postings.cadres_e2w"))
    assert ranked == [n for n in names if n != Q] + [Q]


def _number(value):
    """A cell of the page or an export, compared as a number where it is one."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and not re.fullmatch(r"-?[\d.]+", value):
        return value  # a name
    return Decimal(str(value))


@pytest.mark.parametrize("sort", ["name", "funds.aid", "pairings.active:pct"])
def test_the_csv_and_xlsx_exports_give_the_rows_of_the_page(client, data, other_partnership, sort):
    comparison = _comparison(client, CITY_PAIR, sort=sort)
    expected = [
        [p.name, *(v for c in cells for v in (c.value, c.target, c.percent))]
        for p, cells in comparison.rows
    ]
    expected = [[_number(v) for v in row] for row in expected]
    params = {**CITY_PAIR, "year": YEAR, "sort": sort}
    csv_rows = read_csv(client.get(reverse("cooperation:comparison_export", args=["csv"]), params))
    xlsx_rows = read_xlsx(
        client.get(reverse("cooperation:comparison_export", args=["xlsx"]), params)
    )
    assert csv_rows[0] == [c.value for c in xlsx_rows[0]]
    assert csv_rows[0][:4] == ["协作关系", "东西部协作财政援助资金（万元）",
                               "东西部协作财政援助资金目标", "东西部协作财政援助资金完成率（%）"]  # fmt: skip
    assert [[_number(v) for v in row] for row in csv_rows[1:]] == expected
    assert [[_number(c.value) for c in row] for row in xlsx_rows[1:]] == expected


def test_the_comparison_export_of_one_partnership_is_its_one_row(client, data):
    url = reverse("cooperation:comparison_export", args=["csv"])
    rows = read_csv(client.get(url, {"partnership": data.pk, "year": YEAR}))
    assert [row[0] for row in rows[1:]] == [data.name]


def test_a_partnership_dashboard_has_no_comparison(client, data):
    response = dashboard(client, {"partnership": data.pk})
    assert "comparison" not in response.context
    assert 'id="comparison"' not in response.content.decode()


# --- (d) targets at a roll-up ----------------------------------------------------------------


def test_a_rollup_target_is_the_sum_when_every_partnership_has_one(client, data):
    figures = cards(dashboard(client, CITY_PAIR))
    aid = figures["funds.aid"]
    # P 2500 + Q 1; actual P 2000.7534 + Q 7000 = 9000.7534 → 359.88… %
    assert aid.target == TARGETS["funds.aid"] + 1 == Decimal("2501")
    assert aid.actual == Decimal("9000.7534")
    assert aid.percent == Decimal("359.9")


def test_a_target_of_only_some_partnerships_gives_no_rollup_target(client, data):
    own = cards(dashboard(client, {"partnership": data.pk}))
    assert own["pairings.active"].target == TARGETS["pairings.active"]
    assert own["labor.transferred"].target == TARGETS["labor.transferred"]
    for params in (CITY_PAIR, PROVINCE_PAIR, {"east": "32"}, {"nation": "1"}):
        figures = cards(dashboard(client, params))
        assert figures["funds.aid"].target == Decimal("2501"), params
        for key in ("pairings.active", "labor.transferred"):
            assert figures[key].target is None and figures[key].percent is None, (params, key)


def test_averages_never_get_a_summed_target(client, data, other_partnership):
    for p in (data, other_partnership):
        for key in AVERAGES:
            Target.objects.create(partnership=p, year=YEAR, indicator=key, value=Decimal("3"))
    Target.objects.create(
        partnership=other_partnership, year=YEAR, indicator="pairings.active", value=Decimal("2")
    )
    own = cards(dashboard(client, {"partnership": data.pk}))
    assert {own[k].target for k in AVERAGES} == {Decimal("3")}  # a partnership's own target
    figures = cards(dashboard(client, CITY_PAIR))
    for key in AVERAGES:
        assert figures[key].target is None and figures[key].percent is None, key
    # Now both have one: 4 + 2, and 3 + 1 active pairings of 6 → 66.7 %
    assert figures["pairings.active"].target == Decimal("6")
    assert figures["pairings.active"].percent == Decimal("66.7")


def test_a_town_has_no_targets(client, data):
    figures = cards(dashboard(client, {"partnership": data.pk, "town": LAOCHENG}))
    assert all(f.target is None for f in figures.values())


# --- (e) bad scope parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"east": "3"}, "参数 east 应为省（2位）或市（4位）的区划代码。"),
        ({"east": "abc"}, "参数 east 应为省（2位）或市（4位）的区划代码。"),
        ({"east": "320412"}, "参数 east 应为省（2位）或市（4位）的区划代码。"),
        ({"west": "61099"}, "参数 west 应为省（2位）或市（4位）的区划代码。"),
        ({"east": "32", "west": "６１"}, "参数 west 应为省（2位）或市（4位）的区划代码。"),
        ({"east": "99"}, "这个地区没有东西部协作关系。"),
        ({"east": "32", "west": "62"}, "这个地区没有东西部协作关系。"),
        ({"partnership": "x"}, "参数 partnership 无效。"),
        ({"partnership": "-1"}, "参数 partnership 无效。"),
        ({"partnership": "99999"}, "没有这个协作关系。"),
        ({"partnership": "99999999999999999999999"}, "参数 partnership 无效。"),
        ({"town": "123"}, "没有这个镇（街道）。"),
        ({"town": HANYIN_CHENGGUAN}, "没有这个镇（街道）。"),  # a town of Q's county, not of P's
        ({"nation": "1", "year": "abc"}, "参数 year 无效。"),
    ],
)
@pytest.mark.parametrize(
    "view", ["cooperation:dashboard", "cooperation:summary", "cooperation:summary_export"]
)
def test_a_bad_scope_parameter_is_a_404_naming_it(client, data, params, message, view):
    if "town" in params:
        params = {**params, "partnership": data.pk}
    args = ["csv"] if view.endswith("export") else []
    response = client.get(reverse(view, args=args), params)
    assert response.status_code == 404, params
    assert response.context["exception"] == message


def test_a_bad_scope_parameter_of_a_chart_or_the_comparison_is_a_404(client, data):
    for url in (
        reverse("cooperation:chart_svg", args=["by-town"]),
        reverse("cooperation:chart_export", args=["by-town", "csv"]),
        reverse("cooperation:comparison_export", args=["csv"]),
    ):
        for params in ({"east": "3"}, {"west": "61099"}, {"east": "99"}, {"partnership": "x"}):
            assert client.get(url, params).status_code == 404, (url, params)


def test_the_nation_without_partnerships_is_a_404(client, db):
    response = client.get(reverse("cooperation:dashboard"), {"nation": "1"})
    assert response.status_code == 404
    assert response.context["exception"] == "还没有协作关系。"


# --- (f) the chooser -------------------------------------------------------------------------


def _links(page):
    """{text: href} of the page's links to the dashboard."""
    dashboard_url = re.escape(reverse("cooperation:dashboard"))
    found = re.findall(rf'<a[^>]*href="({dashboard_url}\?[^"]*)"[^>]*>([^<]*)</a>', page)
    return {text: html.unescape(href) for href, text in found}


def test_the_chooser_links_every_level_to_its_dashboard(client, data, other_partnership):
    response = client.get(reverse("cooperation:choose_scope"))
    assert response.status_code == 200
    links = _links(response.content.decode())
    root = reverse("cooperation:dashboard")
    assert links["江苏省—陕西省"] == f"{root}?east=32&west=61"
    assert links["常州市—安康市"] == f"{root}?east=3204&west=6109"
    assert links[P] == f"{root}?partnership={data.pk}"
    assert links[Q] == f"{root}?partnership={other_partnership.pk}"
    assert links["全国"] == f"{root}?nation=1"
    # Each link opens the dashboard of that level.
    for text in ("江苏省—陕西省", "常州市—安康市", P, Q, "全国"):
        cache.clear()
        page = client.get(links[text])
        assert page.status_code == 200, text
        assert page.context["choice"].scope.name == text


def test_the_chooser_search_keeps_the_matching_partnerships(client, data, other_partnership):
    response = client.get(reverse("cooperation:choose_scope"), {"q": "汉阴"})
    tree = response.context["tree"]
    assert [b.scope.name for b in tree] == ["江苏省—陕西省"]
    assert [c.scope.name for c in tree[0].children] == ["常州市—安康市"]
    assert [p.scope.name for p in tree[0].children[0].children] == [Q]
    assert tree[0].scope.partnerships == (other_partnership,)
    links = _links(response.content.decode())
    assert Q in links and P not in links
    # A region above the counties matches every partnership beneath it.
    tree = client.get(reverse("cooperation:choose_scope"), {"q": "安康"}).context["tree"]
    assert [p.scope.name for p in tree[0].children[0].children] == [P, Q]


def test_the_chooser_search_is_escaped_and_finds_nothing(client, data):
    response = client.get(reverse("cooperation:choose_scope"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["tree"] == []
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "没有名称含“&lt;script&gt;alert(1)&lt;/script&gt;”的协作关系。" in page
    assert P not in page and Q not in page


# --- (g) the indicator notes -----------------------------------------------------------------


def test_the_indicator_notes_list_every_indicator(client, db):
    response = client.get(reverse("cooperation:indicator_notes"))
    assert response.status_code == 200
    page = response.content.decode()
    # 71 + funds rates (4), labour destinations (4), parks (6), demonstration villages (2)
    assert len(registry) == 89
    for ind in registry.all():
        row = re.search(rf'<tr id="{re.escape(ind.key)}">(.*?)</tr>', page, re.S)
        assert row, ind.key
        assert html.escape(str(ind.label)) in row.group(1), ind.key
        assert str(ind.description).strip(), ind.key
        assert html.escape(str(ind.description)) in row.group(1), ind.key
        assert ("不可以" in row.group(1).split("</td>")[2]) == (not ind.by_town), ind.key


# --- (h) the wording of a roll-up and of a town ------------------------------------------------


@pytest.mark.parametrize(
    ("params", "name"),
    [
        (CITY_PAIR, "常州市—安康市"),
        (PROVINCE_PAIR, "江苏省—陕西省"),
        ({"east": "32"}, "江苏省（东部）"),
        ({"west": "6109"}, "安康市（西部）"),
        ({"nation": "1"}, "全国"),
    ],
)
def test_a_rollup_names_its_scope_and_says_it_sums_the_partnerships(
    client, data, other_partnership, params, name
):
    page = dashboard(client, params).content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert h1 == f"东西部协作总览 · {name} · 2021年"
    assert "以下数字是本范围内 2 个县（区）协作关系的合计" in page
    assert "各协作关系对比（2 个）" in page


def test_a_partnership_page_does_not_say_it_sums(client, data):
    page = dashboard(client, {"partnership": data.pk}).content.decode()
    assert "<h1>东西部协作总览 · 武进区—汉滨区 · 2021年</h1>" in page
    assert "协作关系的合计" not in page


def _card(page, label):
    """The HTML of the card titled `label`."""
    found = re.search(
        rf'<article class="card[^"]*">\s*<h3 class="card-title">{re.escape(label)}</h3>(.*?)</article>',
        page,
        re.S,
    )
    assert found, label
    return found.group(1)


def test_a_figure_of_no_town_says_so_at_a_town(client, data):
    page = dashboard(client, {"partnership": data.pk, "town": LAOCHENG}).content.decode()
    visits = _card(page, str(registry["visits.count"].label))
    assert "不按镇统计" in visits
    assert "看全县（区）" in visits and "<a href" in visits  # a link to the whole county
    assert "不按镇统计" not in _card(page, str(registry["funds.aid"].label))
    county = dashboard(client, {"partnership": data.pk}).content.decode()
    assert "不按镇统计" not in _card(county, str(registry["visits.count"].label))
