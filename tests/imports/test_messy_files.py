"""Files as county offices really keep them: the header is found under a title line with a
second filled cell, under the group line of a two-row header, on the sheet after a
填表说明 sheet; semicolon-separated CSV is split; a person's cells merged over his job lines
are read on each line."""

import io

import openpyxl
import pytest

from cooperation.imports.files import delimiter_of, header_index, read_file
from labor.models import Employment, Worker
from labor.resources import WorkerResource
from tests.imports.conftest import (
    HEAD,
    PROJECT_HEAD,
    ROAD,
    TEA,
    ZHANG,
    ZHANG_1,
    ZHANG_2,
    csv_bytes,
    import_file,
)


def xlsx_book(sheets, merged=()):
    """An XLSX file of several sheets {title: rows}; `merged` ranges ("A2:A3") on the last."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_title_line_with_a_second_filled_cell_is_not_the_header():
    rows = [["2021年协作资金项目台账", "", "", "单位：万元"], PROJECT_HEAD, TEA, ROAD]
    dataset = read_file(csv_bytes(rows), "p.csv")
    assert dataset.headers == PROJECT_HEAD
    assert dataset.header_line == 2
    assert dataset.line_numbers == [3, 4]  # messages name the file's own lines


def test_the_lower_line_of_a_two_row_header_is_the_header():
    group = ["基本信息", "", "", "", "项目地点", "", "资金", "", "效益", "", "进度"]
    dataset = read_file(csv_bytes([group, PROJECT_HEAD, TEA]), "p.csv")
    assert dataset.headers == PROJECT_HEAD
    assert [list(r) for r in dataset] == [TEA]


def test_a_header_with_an_unnamed_column_is_still_the_first_line():
    head = [*PROJECT_HEAD, ""]
    rows = [head, [*TEA, "备注"], [*ROAD, "备注"]]
    assert header_index(rows) == 0  # the data lines hold numbers and dates: never a header


def test_lines_of_figures_are_never_taken_for_the_header():
    rows = [["2021年台账"], ["1", "2021-04-05", "12.5万"], ["名称", "日期"]]
    assert header_index(rows) == 2


@pytest.mark.parametrize(
    ("separator", "expected"), [(";", ";"), ("\t", "\t"), (",", ","), ("；", "；")]
)
def test_the_separator_of_a_csv_is_found(separator, expected):
    text = "\n".join(separator.join(r) for r in [PROJECT_HEAD, TEA])
    assert delimiter_of(text) == expected


def test_a_semicolon_separated_csv_imports(partnership):
    from projects.models import Project
    from projects.resources import ProjectResource

    text = "\r\n".join(";".join(c.replace(",", "") for c in r) for r in [PROJECT_HEAD, TEA, ROAD])
    result = import_file(ProjectResource, text.encode("utf-8"), "p.csv")
    assert result.ok, result.messages
    assert sorted(Project.objects.values_list("name", flat=True)) == ["县河镇道路", "大河镇茶园"]


@pytest.mark.django_db
def test_the_records_sheet_is_read_after_an_instructions_sheet(partnership):
    instructions = [["填表说明"], ["1. 身份证号码请填18位。"], ["2. 金额单位为元。"]]
    data = xlsx_book({"填表说明": instructions, "台账": [HEAD, ZHANG_1]})
    result = import_file(WorkerResource, data, "w.xlsx")
    assert result.ok, result.messages
    assert Worker.objects.filter(id_number=ZHANG).count() == 1


def test_a_sheet_of_one_column_of_text_is_taken_for_instructions_whatever_its_name():
    data = xlsx_book({"Sheet1": [["请按下表填写"], ["不要改动表头"]], "Sheet2": [HEAD, ZHANG_1]})
    assert read_file(data, "w.xlsx").headers == HEAD


@pytest.mark.django_db
def test_a_persons_cells_merged_over_his_two_job_lines_are_read_on_both(partnership):
    second = [None] * 7 + ZHANG_2[7:]  # the person's columns (A–G) merged over lines 2 and 3
    merged = [f"{col}2:{col}3" for col in "ABCDEFG"]
    data = xlsx_book({"台账": [HEAD, ZHANG_1, second]}, merged=merged)
    result = import_file(WorkerResource, data, "w.xlsx")
    assert result.ok, result.messages
    worker = Worker.objects.get(id_number=ZHANG)
    assert sorted(Employment.objects.filter(worker=worker).values_list("employer", flat=True)) == [
        "常州某机械厂",
        "西安某公司",
    ]


def test_merged_title_cells_above_the_header_are_not_spread_into_it():
    title = ["2021年务工人员台账"] + [None] * (len(HEAD) - 1)
    data = xlsx_book({"台账": [title, HEAD, ZHANG_1]}, merged=["A1:M1"])
    dataset = read_file(data, "w.xlsx")
    assert dataset.headers == HEAD
    assert dataset.header_line == 2
