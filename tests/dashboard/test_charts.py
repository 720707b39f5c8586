"""Charts: their tables against hand-worked figures, the SVG drawn on the server (no
script, Chinese labels), and the table's CSV."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from cooperation.dashboard import charts
from cooperation.dashboard.scopes import of_partnership
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED
from tests.dashboard.helpers import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


def table(data, key):
    return charts.registry.get(key).table(of_partnership(data), YEAR)


def test_the_funds_by_year_table_holds_the_hand_worked_figures(data):
    # 2020: 冷库 1000; 2021: 1200.5 + 800.2534 (cancelled 500 left out); 汉阴's 7000 not here
    assert table(data, "funds-by-year").rows == [[2020, D("1000"), 1], [2021, D("2000.7534"), 2]]


def test_funds_by_year_adds_up_to_the_card_of_the_year(data):
    rows = {r[0]: r[1] for r in table(data, "funds-by-year").rows}
    assert rows[YEAR] == EXPECTED["funds.aid"]


def test_the_workers_by_month_table_counts_each_start_in_its_month(data):
    # 韩一 and 韩二 started in March, 韩四 in July; 韩三 started in 2020
    counts = [row[1] for row in table(data, "workers-by-month").rows]
    assert counts == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert sum(counts) == EXPECTED["labor.transferred"]


def test_the_by_town_table_holds_each_towns_hand_worked_figures(data):
    rows = table(data, "by-town").rows
    # 老城: 茶园提升 1200.5 (取消的项目 left out), 韩一 and 韩四; 新城: 道路硬化 800.2534, 韩二
    assert rows == [["老城街道", D("1200.5"), 1, 2], ["新城街道", D("800.2534"), 1, 1]]


def test_the_funds_by_category_table_holds_the_hand_worked_figures(data):
    rows = table(data, "funds-by-category").rows
    assert rows == [["产业发展", D("1200.5"), 1], ["基础设施", D("800.2534"), 1]]


@pytest.mark.parametrize(
    "key", ["funds-by-year", "workers-by-month", "by-town", "funds-by-category"]
)
def test_chart_is_svg_without_script(client, data, key):
    url = reverse("cooperation:chart_svg", args=[key])
    response = client.get(url, {"partnership": data.pk, "year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "http://kozea" not in svg  # nothing fetched
    assert str(charts.registry.get(key).title) in svg
    assert "Noto Sans CJK SC" in svg


def test_dashboard_embeds_charts_as_images_with_their_tables(client, data):
    response = client.get(reverse("cooperation:dashboard"), {"partnership": data.pk, "year": YEAR})
    html = response.content.decode()
    assert f'src="/charts/by-town.svg?partnership={data.pk}&amp;year={YEAR}"' in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert "1,200.50" in html  # the by-town table under its chart


def test_chart_table_exports_as_csv(client, data):
    url = reverse("cooperation:chart_export", args=["by-town", "csv"])
    rows = read_csv(client.get(url, {"partnership": data.pk, "year": YEAR}))
    assert rows == [
        ["镇（街道）", "协作资金（万元）", "项目数（个）", "转移就业人数（人）"],
        ["老城街道", "1200.5000", "1", "2"],
        ["新城街道", "800.2534", "1", "1"],
    ]


def test_chart_table_exports_as_xlsx_with_numbers(client, data):
    url = reverse("cooperation:chart_export", args=["funds-by-year", "xlsx"])
    rows = read_xlsx(client.get(url, {"partnership": data.pk, "year": YEAR}))
    assert [c.value for c in rows[0]] == ["资金年度", "协作资金（万元）", "项目数（个）"]
    assert [c.value for c in rows[2]] == [2021, 2000.7534, 2]
    assert rows[2][1].data_type == "n"


@pytest.mark.parametrize(
    "path,params",
    [
        ("/charts/nonsense.svg", {}),
        ("/charts/by-town.svg", {"year": "abc"}),
        ("/charts/by-town.svg", {"partnership": "0"}),
        ("/charts/by-town.csv", {"year": "-1"}),
    ],
)
def test_bad_chart_requests_give_404(client, data, path, params):
    assert client.get(path, params).status_code == 404
