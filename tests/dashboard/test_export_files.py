"""What an exported file looks like: a name that says what is in it (list, partnership,
year, filters), and an XLSX laid out for reading: frozen header, column widths and number
formats by kind, ID numbers as text, the page's footer totals as its last row. The link to
the CSV with full ID numbers says that Excel mangles them and offers the XLSX first."""

import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cooperation.lists.exports import FILENAME_MAX, safe_filename
from cooperation.lists.listing import export_filename
from tests.conftest import YEAR
from tests.dashboard.conftest import ID_NUMBERS
from tests.dashboard.helpers import footer, streamed
from tests.places import LAOCHENG
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PROJECTS = "projects:projects"


def export(client, name, fmt, params=None):
    response = client.get(reverse(f"{name}_export", args=[fmt]), params or {})
    assert response.status_code == 200
    return response


def filename(response):
    """The file name a browser saves the export under (RFC 5987: UTF-8, percent-encoded)."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''"), disposition
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


def sheet(response):
    """The first sheet, fully loaded (not read-only: freeze panes, widths and formats)."""
    return load_workbook(io.BytesIO(streamed(response))).worksheets[0]


def width(ws, letter):
    return ws.column_dimensions[letter].width


# --- file names ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_filtered_export_is_named_after_its_partnership_year_town_and_filters(client, data, fmt):
    params = {"partnership": data.pk, "year": YEAR, "town": LAOCHENG, "status": "building"}
    response = export(client, PROJECTS, fmt, params)
    assert filename(response) == f"协作资金项目_武进区—汉滨区_2021年_老城街道_在建.{fmt}"
    streamed(response)


def test_an_unfiltered_export_is_named_after_its_list(client, data):
    assert filename(export(client, PROJECTS, "csv")) == "协作资金项目.csv"


def test_a_flag_and_a_searched_text_are_named_by_their_labels(client, data):
    params = {"partnership": data.pk, "year": YEAR, "exclude_cancelled": 1, "q": "茶园"}
    assert filename(export(client, PROJECTS, "xlsx", params)) == (
        "协作资金项目_武进区—汉滨区_2021年_不含已取消项目_项目名称、内容、实施单位或地点包含“茶园”.xlsx"
    )


def test_a_chosen_town_and_a_flag_of_a_core_list_are_named(client, data):
    params = {"partnership": data.pk, "year": YEAR, "town": LAOCHENG, "active_at_year_end": 1}
    assert filename(export(client, "cooperation:pairings", "csv", params)) == (
        "结对关系_武进区—汉滨区_2021年_老城街道_年底有效.csv"
    )


def test_a_yes_no_filter_says_yes_by_its_label_and_no_after_it(data, staff_client):
    params = {"partnership": data.pk, "year": YEAR, "started_in_year": 1, "in_east": 0}
    assert filename(export(staff_client, "labor:employments", "xlsx", params)) == (
        "就业记录_武进区—汉滨区_2021年_当年开始就业_在东部协作省份就业：否.xlsx"
    )


@pytest.mark.parametrize("searched", ["韩一", ID_NUMBERS[0]])
def test_a_name_or_id_searched_for_never_reaches_the_name_of_a_personal_export(
    data, staff_client, searched
):
    response = export(staff_client, "labor:workers", "csv", {"partnership": data.pk, "q": searched})
    assert filename(response) == "务工人员_武进区—汉滨区.csv"


def test_a_town_without_a_drop_down_is_named_from_the_database():
    class TownForm(forms.Form):
        town = forms.CharField()

    assert export_filename("招商引资", TownForm(), {"town": LAOCHENG}) == "招商引资_老城街道"


def test_a_file_name_is_safe_on_every_file_system_and_bounded():
    name = safe_filename(["协作资金项目", 'a/b\\c:d*e?f"g<h>i|j', " x\ty ", "..", "长" * 200])
    assert name.startswith("协作资金项目_a_b_c_d_e_f_g_h_i_j_x y_长长")
    assert len(name) == FILENAME_MAX
    assert not any(ch in name for ch in '/\\:*?"<>|\t')


# --- XLSX layout ---------------------------------------------------------------------------


def test_the_header_row_is_frozen(client, data):
    assert sheet(export(client, PROJECTS, "xlsx")).freeze_panes == "A2"


def test_columns_are_as_wide_as_their_kind_needs(data, staff_client):
    # 签约日期 (date), 企业名称, 投资项目, 行业, 地点, 入驻园区 (text), 协议投资额, 到位 (money),
    # 就业 (int)
    ws = sheet(export(staff_client, "projects:investments", "xlsx"))
    assert [width(ws, c) for c in "ABCDEFGHI"] == [12, 28, 28, 28, 28, 28, 14, 14, 12]
    # 姓名, 身份证号码 (code), 性别 (choice)
    ws = sheet(export(staff_client, "labor:workers", "xlsx"))
    assert [width(ws, c) for c in "ABC"] == [28, 20, 14]
    # …在东部协作省份 (yes/no), 开始日期, 结束日期, 月工资 (decimal)
    ws = sheet(export(staff_client, "labor:employments", "xlsx"))
    assert [width(ws, c) for c in "GHIJ"] == [8, 12, 12, 14]


def test_numbers_stay_numbers_with_thousand_separators_and_dates_are_dates(client, data):
    params = {"partnership": data.pk, "year": YEAR, "sort": "signed_on"}
    ws = sheet(export(client, "projects:investments", "xlsx", params))
    date, agreed, jobs = ws["A2"], ws["G2"], ws["I2"]
    assert date.value.date().isoformat() == "2021-04-01" and date.number_format == "yyyy-mm-dd"
    assert agreed.value == 5000 and agreed.data_type == "n"
    assert agreed.number_format == "#,##0.00"
    assert jobs.value == 50 and jobs.data_type == "n" and jobs.number_format == "#,##0"


def test_a_decimal_column_has_its_decimals(data, staff_client):
    params = {"partnership": data.pk, "sort": "start_date"}
    ws = sheet(export(staff_client, "labor:employments", "xlsx", params))
    wage = ws["J2"]  # 韩三, from May 2020: 6000 a month
    assert wage.value == 6000 and wage.data_type == "n" and wage.number_format == "#,##0.00"


def test_an_id_number_is_a_text_cell(data, staff_client):
    params = {"partnership": data.pk, "full": 1, "sort": "id_number"}
    ws = sheet(export(staff_client, "labor:workers", "xlsx", params))
    cells = [ws.cell(row=r, column=2) for r in range(2, 2 + len(ID_NUMBERS))]
    assert [c.value for c in cells] == ID_NUMBERS
    assert all(isinstance(c.value, str) and c.number_format == "@" for c in cells)


# --- totals row ----------------------------------------------------------------------------


def test_the_last_row_holds_the_footer_totals(client, data):
    params = {"partnership": data.pk, "year": YEAR, "exclude_cancelled": 1}
    page = client.get(reverse(PROJECTS), params)
    ws = sheet(export(client, PROJECTS, "xlsx", params))
    assert ws.max_row == 1 + 2 + 1  # header, 茶园提升 and 道路硬化, totals
    columns = range(1, ws.max_column + 1)
    last = {ws.cell(row=1, column=c).value: ws.cell(row=4, column=c) for c in columns}
    assert ws["A4"].value == "合计（2 个）" and ws["A4"].font.b
    expected = {
        "协作资金（万元）": Decimal("2000.7534"),  # 1200.5 + 800.2534
        "已拨付（万元）": Decimal("1500.5034"),  # 600 + 100.25 + 800.2534
        "地方配套资金（万元）": Decimal("100"),  # 100 + 0
        "其他资金（万元）": Decimal("0"),
        "受益人数（人）": 500,  # 300 + 200
        "其中脱贫人口（人）": 170,  # 120 + 50
    }
    assert {k: Decimal(str(last[k].value)) for k in expected} == expected
    figures = footer(page)
    assert figures["aid_funds"] == expected["协作资金（万元）"]
    assert figures["beneficiaries"] == expected["受益人数（人）"]
    assert last["协作资金（万元）"].number_format == "#,##0.00"
    assert last["受益人数（人）"].number_format == "#,##0"
    assert last["项目名称"].value is None  # no total under a text column


def test_the_totals_row_of_investments(client, data):
    params = {"partnership": data.pk, "year": YEAR}
    page = client.get(reverse("projects:investments"), params)
    ws = sheet(export(client, "projects:investments", "xlsx", params))
    # 甲 5000/3000/50, 甲 1000/1000/10, 乙 2000/500/20
    totals = [c.value for c in ws[ws.max_row]]
    assert totals == ["合计（3 条）", None, None, None, None, None, 8000, 4500, 80]
    figures = footer(page)
    assert (figures["agreed"], figures["arrived"], figures["jobs"]) == (8000, 4500, 80)


def test_a_list_without_totals_has_no_totals_row(data, staff_client):
    ws = sheet(export(staff_client, "labor:workers", "xlsx", {"partnership": data.pk}))
    assert ws.max_row == 1 + len(ID_NUMBERS)


def test_the_totals_take_one_aggregate_whatever_the_number_of_rows(client, partnership):
    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            ws = sheet(export(client, PROJECTS, "xlsx"))
        return ws, [q["sql"] for q in queries.captured_queries]

    ProjectFactory.create_batch(5, partnership=partnership)
    export_queries()  # the town drop-down is now cached
    ws, few = export_queries()
    assert ws.max_row == 1 + 5 + 1
    ProjectFactory.create_batch(50, partnership=partnership)
    export_queries()
    ws, many = export_queries()
    assert ws.max_row == 1 + 55 + 1 and ws[ws.max_row][6].value == 5500  # 55 × 100
    assert len(many) == len(few)
    # The rows query sums each project's disbursements in a subquery; the totals are the one
    # aggregate that also counts the rows.
    assert len([sql for sql in many if "COUNT(" in sql]) == 1


# --- links with full ID numbers -----------------------------------------------------------


def test_the_full_id_export_offers_xlsx_first_and_says_why(data, staff_client):
    html = staff_client.get(reverse("labor:workers"), {"partnership": data.pk}).content.decode()
    full_xlsx = html.index(f"export.xlsx?partnership={data.pk}&amp;full=1")
    full_csv = html.index(f"export.csv?partnership={data.pk}&amp;full=1")
    assert full_xlsx < full_csv
    assert "CSV 中的18位身份证号码会被 Excel 显示为科学计数法，请用 XLSX。" in html


def test_the_ordinary_links_never_carry_full_even_when_the_page_did(data, staff_client):
    html = staff_client.get(reverse("labor:employments"), {"full": 1}).content.decode()
    ordinary = html.split('<p class="exports no-print">', 1)[1].split("</p>", 1)[0]
    assert 'export.csv" download>CSV' in ordinary and "full" not in ordinary


def test_a_public_list_has_no_full_id_links(data, staff_client):
    html = staff_client.get(reverse(PROJECTS)).content.decode()
    assert "full=1" not in html and "科学计数法" not in html
