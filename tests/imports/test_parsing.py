"""Cells as staff write them: amounts, dates, years, choices, regions; files in each encoding."""

import codecs
import datetime
from decimal import Decimal

import pytest

from cooperation.imports.cells import parse_date, parse_decimal, parse_integer, parse_year
from cooperation.imports.files import (
    ImportFileError,
    decode_text,
    read_csv,
    read_file,
    unneutralise,
)
from cooperation.imports.places import RegionIndex
from cooperation.imports.widgets import ChoiceWidget
from cooperation.lists.exports import neutralise
from projects.models import Project
from tests.imports.conftest import csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("1,234.50", Decimal("1234.50")),
        ("1234.5万元", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),  # full-width digits and point
        ("１，２３４．５万元", Decimal("1234.5")),
        ("12345元", Decimal("1.2345")),  # 12,345 yuan = 1.2345 万元
        ("1.2亿元", Decimal("12000.0000")),  # 1.2 × 10,000 万元
        (" 88 ", Decimal("88")),
        (1234.5, Decimal("1234.5000")),  # an Excel number cell
        (12, Decimal("12")),
        ("", None),
    ],
)
def test_amounts_in_every_common_spelling(cell, expected):
    assert parse_decimal(cell) == expected


def test_wage_column_in_yuan_reads_4500():
    assert parse_decimal("4,500.00", unit="元", places=2) == Decimal("4500.00")


@pytest.mark.parametrize("cell", ["abc", "1,23.4", "12.3.4", "一百"])
def test_amount_that_is_not_a_number_is_refused_by_name(cell):
    with pytest.raises(ValueError, match=f"'{cell}' 不是有效的金额"):
        parse_decimal(cell)


def test_amount_finer_than_a_yuan_is_refused_not_rounded():
    with pytest.raises(ValueError, match="小数位太多"):
        parse_decimal("0.12345")


@pytest.mark.parametrize(
    "cell",
    [
        "2021-04-05",
        "2021/4/5",
        "2021年4月5日",
        "2021.4.5",
        "20210405",
        "２０２１年４月５日",
        "2021-04-05 00:00:00",
        datetime.datetime(2021, 4, 5),
        44291,
    ],  # 44291 = Excel serial
)
def test_dates_in_every_common_spelling(cell):
    assert parse_date(cell) == datetime.date(2021, 4, 5)


@pytest.mark.parametrize("cell", ["2021-02-30", "4/5/2021", "去年"])
def test_bad_date_names_the_value_and_the_accepted_forms(cell):
    with pytest.raises(ValueError, match=f"'{cell}' 不是有效的日期（可写作 2021-04-05"):
        parse_date(cell)


def test_year_in_chinese_numerals_is_refused_with_the_clerks_message():
    with pytest.raises(ValueError) as exc:
        parse_year("二〇二一")
    assert str(exc.value) == "'二〇二一' 不是有效的年份"


def test_years_accept_suffix_and_full_width():
    assert parse_year("2021年") == parse_year("２０２１") == parse_year(2021.0) == 2021


def test_integers_accept_grouping_and_units_but_not_fractions():
    assert parse_integer("1,200人") == 1200
    with pytest.raises(ValueError, match="不是整数"):
        parse_integer("12.5")


def test_choice_by_label_or_value_and_bad_choice_lists_the_options():
    widget = ChoiceWidget(Project.Category.choices)
    assert widget.clean("产业发展") == widget.clean("industry") == "industry"
    with pytest.raises(ValueError, match="'种植' 不是可选的值（可选：产业发展、基础设施"):
        widget.clean("种植")


def test_formula_cells_are_neutralised_and_restored():
    for text in ["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(text) == "'" + text
        assert unneutralise(neutralise(text)) == text
    assert neutralise("大河镇") == "大河镇"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_is_decoded_whatever_excel_saved(encoding):
    text = "项目名称,资金年度\n大河镇茶园,2021\n"
    data = text.encode(encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
    assert decode_text(data) == text


def test_trailing_empty_rows_and_columns_are_dropped():
    data = csv_bytes([["名称", "人数", ""], ["甲", "1", ""], ["", "", ""], [" ", "", ""]])
    dataset = read_csv(data)
    assert dataset.headers == ["名称", "人数"]
    assert [list(r) for r in dataset] == [["甲", "1"]]


def test_a_line_wider_than_the_header_is_refused():
    with pytest.raises(ImportFileError, match="第3行的列数多于表头（表头共2列）"):
        read_csv(csv_bytes([["名称", "人数"], ["甲", "1"], ["乙", "2", "多余"]]))


def test_xlsx_keeps_dates_and_drops_trailing_blank_rows():
    data = xlsx_bytes([["名称", "日期"], ["甲", datetime.datetime(2021, 4, 5)], [None, None]])
    dataset = read_file(data, "x.xlsx")
    assert [list(r) for r in dataset] == [["甲", datetime.date(2021, 4, 5)]]


def test_garbage_named_xlsx_is_a_clear_error():
    with pytest.raises(ImportFileError, match="无法读取 XLSX 文件"):
        read_file(b"PK\x03\x04not a zip", "x.xlsx")


@pytest.mark.django_db
class TestRegions:
    def test_town_by_name_or_code_within_the_county(self):
        index = RegionIndex()
        assert index.find("大河镇", level=4, within="610902", what="镇").code == "610902115"
        assert index.find("610902115", level=4, within="610902", what="镇").code == "610902115"
        assert index.find(610902115, level=4, within="610902", what="镇").code == "610902115"

    def test_village_by_short_name_or_with_its_town(self):
        index = RegionIndex()
        assert index.find("小河村", level=5, within="610902115", what="村").code == "610902115208"
        assert (
            index.find("大河镇小河村", level=5, within="610902", what="村").code == "610902115208"
        )

    def test_same_village_name_in_two_towns_asks_for_the_town(self):
        index = RegionIndex()
        with pytest.raises(ValueError) as refused:
            index.find("三星村", level=5, within="610902", what="村")
        assert str(refused.value) == (
            "“三星村”有2处同名：陕西省安康市汉滨区建民街道三星村委会、"
            "陕西省安康市汉滨区瀛湖镇三星村委会。请写上上级名称（如“建民街道三星村”）或填写区划代码"
        )
        assert (
            index.find("瀛湖镇三星村", level=5, within="610902", what="村").code == "610902102230"
        )

    def test_unknown_town_names_the_county(self):
        with pytest.raises(ValueError, match="汉滨区没有名为“大海镇”的镇"):
            RegionIndex().find("大海镇", level=4, within="610902", what="镇")

    def test_destination_by_path_of_names(self):
        index = RegionIndex()
        assert index.find("江苏省常州市武进区", what="地区").code == "320412"
        assert index.find("320412000000", what="地区").code == "320412"  # 12-digit form


@pytest.mark.parametrize("first_language", ["en", "zh-hans"])
def test_choice_labels_are_read_in_every_language_whichever_built_the_table(first_language):
    """The widget's table is built once, on first use: built during an English request it
    must still read the Chinese labels of every later file (and the other way round)."""
    from django.utils import translation

    widget = ChoiceWidget(Project.Category.choices)
    with translation.override(first_language):
        widget.clean("其他")  # builds the table
    assert widget.clean("基础设施") == "infrastructure"
    assert widget.clean("Infrastructure") == "infrastructure"
    assert widget.clean("infrastructure") == "infrastructure"
    with translation.override("en"):
        assert widget.clean("产业发展") == "industry"
