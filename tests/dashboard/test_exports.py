"""Exports hold exactly the rows and columns on screen (same filters, same sort), as CSV with
a BOM and Chinese headers, and as XLSX with codes kept as text; formula cells neutralised."""

import datetime
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from cooperation.lists.exports import csv_value, neutralise
from cooperation.models import ExportAudit
from tests.conftest import YEAR
from tests.cooperation.factories import VisitFactory
from tests.dashboard.conftest import FORMULA, ID_NUMBERS, WORKER_NAMES
from tests.dashboard.helpers import read_csv, read_xlsx, screen_rows

pytestmark = pytest.mark.django_db


def _page_and_export(client, name, fmt, params):
    page = client.get(reverse(name), params)
    export = client.get(reverse(f"{name}_export", args=[fmt]), params)
    assert page.status_code == 200 and export.status_code == 200
    return page, export


def test_csv_starts_with_a_bom_and_has_chinese_headers_with_units(client, data):
    params = {"partnership": data.pk, "year": YEAR}
    _, export = _page_and_export(client, "projects:projects", "csv", params)
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in export["Content-Disposition"]
    rows = read_csv(export)
    assert rows[0][:3] == ["资金年度", "项目名称", "项目类别"]
    assert "协作资金（万元）" in rows[0]


@pytest.mark.parametrize(
    "name,params",
    [
        ("projects:projects", {"year": YEAR, "sort": "-aid_funds"}),
        ("cooperation:postings", {"direction": "e2w", "sort": "person_name"}),
        ("cooperation:pairings", {"year": YEAR, "active_at_year_end": 1}),
        ("labor:courses", {"year": YEAR}),
    ],
)
def test_csv_has_the_rows_and_columns_on_screen(client, data, name, params):
    page, export = _page_and_export(client, name, "csv", {"partnership": data.pk, **params})
    rows = read_csv(export)
    assert rows[0] == [str(h["label"]) for h in page.context["headers"]]
    # Screen and export show the same records in the same order; the export keeps amounts
    # to 4 places (exact to the yuan) where the screen rounds them to 2.
    assert len(rows) - 1 == len(page.context["rows"]) > 0
    for shown, exported in zip(screen_rows(page), rows[1:], strict=True):
        for text, value in zip(shown, exported, strict=True):
            if text.replace(",", "").replace(".", "").isdigit():
                assert Decimal(text.replace(",", "")) == Decimal(value).quantize(
                    Decimal(1).scaleb(-len(text.partition(".")[2]))
                )
            else:
                assert text == value


def test_projects_csv_rows_by_hand(client, data):
    params = {"partnership": data.pk, "year": YEAR, "exclude_cancelled": 1, "sort": "name"}
    rows = read_csv(client.get(reverse("projects:projects_export", args=["csv"]), params))
    assert [r[1] for r in rows[1:]] == ["茶园提升", "道路硬化"]  # 取消的项目 left out
    assert rows[1][rows[0].index("协作资金（万元）")] == "1200.5000"
    assert rows[2][rows[0].index("协作资金（万元）")] == "800.2534"
    assert rows[1][rows[0].index("项目状态")] == "在建"


def test_xlsx_has_the_rows_on_screen_with_numbers_as_numbers(client, data):
    params = {"partnership": data.pk, "year": YEAR, "sort": "date"}
    page, export = _page_and_export(client, "cooperation:visits", "xlsx", params)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(export)
    assert [c.value for c in rows[0]] == [str(h["label"]) for h in page.context["headers"]]
    # The header, the rows on screen, then the footer's totals (test_export_files.py).
    assert len(rows) - 2 == len(page.context["rows"]) == 2
    people = [c.value for c in rows[0]].index("人数（人）")
    assert rows[-1][0].value == "合计（2 批次）" and rows[-1][people].value == 16  # 10 + 6
    first = [c.value for c in rows[1]]
    assert first[0] == datetime.datetime(2021, 4, 1)
    assert first[1] == "东部派往西部" and first[people] == 10
    assert rows[1][people].data_type == "n"


def test_a_formula_cell_is_neutralised_in_csv_and_xlsx(client, data):
    params = {"partnership": data.pk, "year": YEAR, "sort": "date"}
    csv_rows = read_csv(client.get(reverse("cooperation:visits_export", args=["csv"]), params))
    assert csv_rows[1][-1] == "'" + FORMULA
    xlsx_rows = read_xlsx(client.get(reverse("cooperation:visits_export", args=["xlsx"]), params))
    cell = xlsx_rows[1][-1]
    assert cell.value == "'" + FORMULA and cell.data_type == "s"  # text, not a formula


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_every_dangerous_start_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_and_safe_text_are_left_alone():
    assert neutralise(-5) == -5
    assert csv_value(Decimal("-1.5")) == "-1.5"
    assert neutralise("汉滨区") == "汉滨区" and neutralise("1-2") == "1-2"


def test_an_18_digit_id_number_stays_text_in_xlsx(data, staff_client):
    url = reverse("labor:workers_export", args=["xlsx"])
    rows = read_xlsx(
        staff_client.get(url, {"partnership": data.pk, "full": 1, "sort": "id_number"})
    )
    col = [c.value for c in rows[0]].index("身份证号码")
    cells = [row[col] for row in rows[1:]]
    assert [c.value for c in cells] == ID_NUMBERS  # in full, as asked with full=1
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)


def test_id_numbers_are_masked_in_the_default_export_as_on_screen(data, staff_client):
    url = reverse("labor:workers_export", args=["csv"])
    page = staff_client.get(reverse("labor:workers"), {"partnership": data.pk, "sort": "id_number"})
    rows = read_csv(staff_client.get(url, {"partnership": data.pk, "sort": "id_number"}))
    col = rows[0].index("身份证号码")
    assert [r[col] for r in rows[1:]] == [n[:6] + "*" * 12 for n in ID_NUMBERS]
    assert not any(n in ",".join(r) for r in rows for n in ID_NUMBERS)
    assert [r[0] for r in rows[1:]] == WORKER_NAMES  # staff see names in full
    assert rows[1:] == screen_rows(page)


def test_a_personal_data_export_writes_an_audit_entry(data, staff_client, official):
    url = reverse("labor:workers_export", args=["csv"])
    response = staff_client.get(url, {"partnership": data.pk, "year": YEAR, "transferred": 1})
    read_csv(response)
    audit = ExportAudit.objects.get()
    assert audit.user == official and audit.username == official.username
    assert audit.list_name == "labor:workers" and audit.format == "csv"
    assert audit.query_string == f"partnership={data.pk}&year={YEAR}&transferred=1"
    assert audit.rows == 3 and audit.personal_data is True  # 韩一, 韩二, 韩四


def test_an_anonymous_public_export_writes_no_audit_entry(client, data):
    read_csv(client.get(reverse("projects:projects_export", args=["csv"])))
    assert not ExportAudit.objects.exists()


def test_an_export_is_streamed(client, data):
    response = client.get(reverse("cooperation:postings_export", args=["csv"]))
    assert isinstance(response, StreamingHttpResponse)


def test_export_runs_a_fixed_number_of_queries(client, partnership, django_assert_num_queries):
    VisitFactory.create_batch(5, partnership=partnership)
    url = reverse("cooperation:visits_export", args=["csv"])
    # The rows in one cursor inside a transaction (here a savepoint and its release).
    with django_assert_num_queries(3):
        assert len(read_csv(client.get(url))) == 1 + 5
    VisitFactory.create_batch(50, partnership=partnership)
    with django_assert_num_queries(3):
        assert len(read_csv(client.get(url))) == 1 + 55


def test_export_headers_and_labels_follow_the_page_language(client, data):
    url = reverse("cooperation:visits_export", args=["csv"])
    params = {"partnership": data.pk, "year": YEAR, "sort": "date"}
    rows = read_csv(client.get(url, params, headers={"accept-language": "en"}))
    assert rows[0][0] != "日期" and "People" in rows[0]
    assert rows[1][1] == "East to west"  # a choice label, resolved in the request's language
