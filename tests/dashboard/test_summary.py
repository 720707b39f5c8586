"""The annual summary: every indicator with its group, unit, target, actual and percent,
printed one A4 page per group, and as CSV/XLSX."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED, TARGETS
from tests.dashboard.helpers import cards, read_csv, read_xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["类别", "指标", "单位", "目标值", "完成值", "完成率（%）", "说明"]
# The 2021 records of the data set stop at the visit of 20 November: a part year.
PART_YEAR = "部分年度，数据截至 2021-11-20"


def test_summary_page_lists_every_indicator_with_hand_worked_figures(client, data):
    response = client.get(reverse("cooperation:summary"), {"partnership": data.pk, "year": YEAR})
    assert response.status_code == 200
    figures = cards(response)
    assert {k: f.actual for k, f in figures.items()} == EXPECTED
    html = response.content.decode()
    assert "武进区—汉滨区 2021年度东西部协作指标完成情况" in html
    for header in HEADERS[1:-1]:  # the group heads its own table; the notes are elsewhere
        assert header in html
    # One table per group, in the assessment's order, each headed by its group.
    heads = re.findall(r'<section class="summary-group"[^>]*>\s*<h2[^>]*>([^<]+)<', html)
    assert heads == list(dict.fromkeys(str(i.group.label) for i in registry.all()))


def test_summary_page_is_printable_without_inline_styles(client, data):
    html = client.get(reverse("cooperation:summary"), {"partnership": data.pk}).content.decode()
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert 'class="choice no-print"' in html  # the selectors are not printed


def test_summary_csv_has_a_row_per_indicator(client, data):
    url = reverse("cooperation:summary_export", args=["csv"])
    rows = read_csv(client.get(url, {"partnership": data.pk, "year": YEAR}))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(registry)
    by_label = {row[1]: row for row in rows[1:]}
    # funds.aid: target 2500, actual 2000.7534, 80.0 % of a part year
    assert by_label["东西部协作财政援助资金"] == [
        "资金支持",
        "东西部协作财政援助资金",
        "万元",
        "2500.0000",
        "2000.7534",
        "80.0",
        PART_YEAR,
    ]
    assert by_label["引导落地企业"][3:] == ["", "2", "", ""]


def test_summary_xlsx_keeps_numbers_as_numbers(client, data):
    url = reverse("cooperation:summary_export", args=["xlsx"])
    rows = read_xlsx(client.get(url, {"partnership": data.pk, "year": YEAR}))
    assert [c.value for c in rows[0]] == HEADERS
    transferred = next(r for r in rows if r[1].value == "农村劳动力转移就业人数")
    assert [c.value for c in transferred[3:]] == [
        float(TARGETS["labor.transferred"]),
        3,
        150.0,  # 3 / 2
        PART_YEAR,
    ]
    assert transferred[4].data_type == "n"


def test_summary_of_an_unknown_partnership_is_404(client, data):
    response = client.get(reverse("cooperation:summary"), {"partnership": 999999})
    assert response.status_code == 404


def test_summary_percent_is_left_blank_without_target(client, data):
    response = client.get(reverse("cooperation:summary"), {"partnership": data.pk, "year": YEAR})
    assert cards(response)["visits.count"].percent is None
    assert cards(response)["funds.aid"].percent == D("80.0")
