"""Importing the worker 台账 (one line per job spell), its derived yearly facts, and its
export without personal columns for users who may not see them."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission

from cooperation.imports.files import CSV, XLSX, ImportFileError
from labor import idcard
from labor.models import Employment, Worker, WorkerYear
from labor.resources import WorkerResource
from labor.services import rebuild_worker_years
from tests.imports.conftest import file_bytes, import_file

HEAD = [
    "协作关系",
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍镇（街道）",
    "户籍村（社区）",
    "户类型",
    "就业单位",
    "就业地",
    "就业开始日期",
    "就业结束日期",
    "月工资（元）",
    "就业渠道",
]
ZHANG = idcard.make("610902", datetime.date(1990, 1, 2), 123)
LI = idcard.make("610902", datetime.date(1991, 3, 4), 124)
ZHANG_1 = [
    "武进区—汉滨区",
    "张三",
    ZHANG,
    "138 1234 5678",
    "大河镇",
    "小河村",
    "脱贫户",
    "常州某机械厂",
    "武进区",
    "2021年4月5日",
    "2021年12月31日",
    "4,500.00",
    "有组织输转",
]
ZHANG_2 = [
    "武进区—汉滨区",
    "张三",
    ZHANG,
    "138 1234 5678",
    "大河镇",
    "小河村",
    "脱贫户",
    "西安某公司",
    "610113",
    "2022/1/5",
    "",
    "3800",
    "自主就业",
]
LI_0 = ["武进区—汉滨区", "李四", LI.lower(), "", "县河镇", "", "一般户"] + [""] * 6

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-sig", "gbk", "xlsx"])
def test_workers_with_spells_are_written(partnership, kind):
    name = "w.xlsx" if kind == "xlsx" else "w.csv"
    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0], kind), name)

    assert result.ok, result.messages
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (3, 0, 0)
    zhang = Worker.objects.get(id_number=ZHANG)
    assert (zhang.phone, zhang.home_town_id, zhang.home_village_id) == (
        "13812345678",
        "610902115",
        "610902115208",
    )
    assert (zhang.birth_date, zhang.gender) == (datetime.date(1990, 1, 2), "M")  # 123: odd
    spells = list(zhang.employments.order_by("start_date"))
    assert [(s.employer, s.destination_id, s.in_east) for s in spells] == [
        ("常州某机械厂", "320412", True),  # 武进区 lies in Jiangsu (32), the eastern province
        ("西安某公司", "610113", False),
    ]
    assert spells[0].monthly_wage == Decimal("4500.00")
    li = Worker.objects.get(id_number=LI)  # "x" typed in lower case is stored as "X"
    assert li.employments.count() == 0
    assert zhang.history.count() == 1 and spells[0].history.count() == 1


def test_worker_years_match_the_labour_rebuild(partnership):
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0], "utf-8"))
    fields = [f.name for f in WorkerYear._meta.fields if f.name != "id"]
    imported = sorted(WorkerYear.objects.values_list(*fields))

    rebuild_worker_years(Worker.objects.values_list("pk", flat=True))

    assert imported and sorted(WorkerYear.objects.values_list(*fields)) == imported
    # 2021: 5 Apr – 31 Dec = 271 days, in the east, stable (≥ 90 days).
    y2021 = WorkerYear.objects.get(worker__id_number=ZHANG, year=2021)
    assert (y2021.employed_days, y2021.in_east, y2021.stable) == (271, True, True)


def test_second_import_changes_nothing(partnership):
    data = file_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0], "gbk")
    import_file(WorkerResource, data)
    before = (
        list(Worker.objects.values_list("id", "version", "updated_at")),
        list(Employment.objects.values_list("id", "version", "updated_at")),
    )

    result = import_file(WorkerResource, data)

    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 3)
    assert before == (
        list(Worker.objects.values_list("id", "version", "updated_at")),
        list(Employment.objects.values_list("id", "version", "updated_at")),
    )


def test_a_worker_on_two_lines_is_one_version_per_import(partnership):
    """A new worker stays at version 0 however many lines (spells) he has; a known one whose
    two lines change him goes up by one, not by one per line."""
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2], "utf-8"))
    zhang = Worker.objects.get(id_number=ZHANG)
    assert (zhang.version, zhang.history.count()) == (0, 1)

    # A new phone on both lines (a new name would be refused: another person's ID number).
    changed = [[*line[:3], "13900000000", *line[4:]] for line in (ZHANG_1, ZHANG_2)]
    result = import_file(WorkerResource, file_bytes([HEAD, *changed], "utf-8"))

    assert result.ok, result.messages
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.version) == ("13900000000", 1)
    assert list(zhang.history.values_list("history_type", "version")) == [("~", 1), ("+", 0)]


def test_a_new_spell_for_a_known_worker_is_a_new_row(partnership):
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1], "utf-8"))

    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2], "utf-8"))

    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (1, 0, 1)
    assert Employment.objects.count() == 2
    assert WorkerYear.objects.filter(year=2022, worker__id_number=ZHANG).exists()


def test_bad_id_number_is_named(partnership):
    bad = list(LI_0)
    bad[2] = LI[:17] + ("0" if LI[17] != "0" else "1")

    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, bad], "utf-8"))

    assert result.messages == ["第3行“身份证号码”：身份证号码校验位错误，请核对。"]
    assert Worker.objects.count() == Employment.objects.count() == 0


def test_id_number_mangled_by_excel_into_a_number_is_explained(partnership):
    bad = list(LI_0)
    bad[2] = float(ZHANG[:17] + "1")  # what Excel keeps of an 18-digit number

    result = import_file(WorkerResource, file_bytes([HEAD, bad], "xlsx"), "w.xlsx")

    assert len(result.messages) == 1
    assert result.messages[0].startswith("第2行“身份证号码”：被 Excel 存成了数字")


def valid_id_ending_in_000():
    """A valid ID number whose last three characters are 000 (sequence x00, check digit 0):
    what Excel leaves of an 18-digit number, whose check digit passes by chance."""
    for n in range(1000):
        number = idcard.make("610902", datetime.date(1990, 1, 2), n)
        if number.endswith("000"):
            return number
    raise AssertionError("no such number")


def test_an_id_number_from_a_numeric_xlsx_cell_is_refused_even_when_it_checks(partnership):
    truncated = valid_id_ending_in_000()
    idcard.validate(truncated)  # a valid number as text (raises if not)…
    bad = list(LI_0)
    bad[2] = int(truncated)  # …but stored by Excel as a number (an integer cell)

    result = import_file(WorkerResource, file_bytes([HEAD, bad], "xlsx"), "w.xlsx")

    assert len(result.messages) == 1
    assert result.messages[0].startswith("第2行“身份证号码”：被 Excel 存成了数字")
    assert Worker.objects.count() == 0


@pytest.mark.parametrize("written", ["6.10902E+17", "6.10902199001021E+17", "6.10902199001021e17"])
def test_an_id_number_in_scientific_notation_is_refused(partnership, written):
    bad = list(LI_0)
    bad[2] = written

    result = import_file(WorkerResource, file_bytes([HEAD, bad], "utf-8"))

    assert result.messages == [
        f"第2行“身份证号码”：被 Excel 存成了数字（{written}），末几位可能已丢失，"
        "请把该列设为文本后重新填写"
    ]


def test_a_valid_id_number_ending_in_000_written_as_text_is_accepted(partnership):
    line = list(LI_0)
    line[2] = valid_id_ending_in_000()

    result = import_file(WorkerResource, file_bytes([HEAD, line], "utf-8"))

    assert result.ok, result.messages


@pytest.mark.parametrize(
    "written", ["李\u3000四", "李 四", "李\u00a0四", "\u200b李四\u200b", " 李四\u3000"]
)
def test_spaces_and_hidden_characters_in_a_name_are_removed(partnership, written):
    line = list(LI_0)
    line[1] = written

    result = import_file(WorkerResource, file_bytes([HEAD, line], "utf-8"))

    assert result.ok, result.messages
    assert Worker.objects.get().name == "李四"


def test_everyday_column_names_are_read_and_other_columns_are_said_to_be_left_out(partnership):
    """联系电话, 所在镇, 所在村, 月收入（元） are the columns they mean; a column that is no field
    is listed as not imported, never silently dropped."""
    renamed = {"手机号码": "联系电话", "户籍镇（街道）": "所在镇", "户籍村（社区）": "所在村",
               "月工资（元）": "月收入（元）"}  # fmt: skip
    head = [renamed.get(h, h) for h in HEAD] + ["家庭人口"]

    result = import_file(WorkerResource, file_bytes([head, [*ZHANG_1, "4"]], "utf-8"))

    assert result.ok, result.messages
    zhang = Worker.objects.get()
    assert (zhang.phone, zhang.home_town.name, zhang.home_village.name) == (
        "13812345678",
        "大河镇",
        "小河村委会",  # the code list's name of 小河村
    )
    assert zhang.employments.get().monthly_wage == Decimal("4500")
    assert result.skipped_note == "这些列不是本表的字段，未导入：“家庭人口”。"


def test_a_synonym_beside_its_own_column_is_not_read_twice(partnership):
    head = HEAD + ["联系电话"]

    result = import_file(WorkerResource, file_bytes([head, [*ZHANG_1, "13900000000"]], "utf-8"))

    assert result.ok, result.messages
    assert Worker.objects.get().phone == "13812345678"
    assert "“联系电话”" in result.skipped_note


def test_the_same_worker_must_read_the_same_on_each_line(partnership):
    other_phone = list(ZHANG_2)
    other_phone[3] = "13900000000"

    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, other_phone], "utf-8"))

    assert result.messages == ["第3行“手机号码”：与第2行同一身份证号码的“手机号码”不一致"]
    assert Worker.objects.count() == 0


def test_a_known_id_number_under_another_name_is_refused_naming_both_people(partnership):
    """An ID typo must never overwrite another person: 张三's record keeps his name, home
    and phone, and the file is refused (nothing written), naming both names."""
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1], "utf-8"))
    typo = list(LI_0)
    typo[2] = ZHANG  # 李四's line with 张三's ID number

    result = import_file(WorkerResource, file_bytes([HEAD, typo], "utf-8"))

    assert result.messages == [
        "第2行“身份证号码”：此身份证号码已登记为“张三”，与本行姓名“李四”不符。若身份证号码"
        "录入有误，请更正；若确为同一人改名，请先在管理后台修改其姓名，再导入"
    ]
    zhang = Worker.objects.get(id_number=ZHANG)
    assert (zhang.name, zhang.phone, zhang.home_village_id is not None) == (
        "张三",
        "13812345678",
        True,
    )
    assert Worker.objects.count() == 1


def test_a_known_id_number_under_the_same_name_written_differently_is_the_same_person(
    partnership,
):
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1], "utf-8"))
    spaced = list(ZHANG_1)
    spaced[1] = " 张三 "

    result = import_file(WorkerResource, file_bytes([HEAD, spaced], "utf-8"))

    assert result.messages == []
    assert Worker.objects.get(id_number=ZHANG).name == "张三"


def test_a_nul_byte_is_refused_naming_the_line_and_column(partnership):
    """SQLite would store it and PostgreSQL fails with an English database error."""
    bad = list(LI_0)
    bad[1] = "李\x00四"

    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, bad], "utf-8"))

    assert result.messages == ["第3行“姓名”：含有空字符（NUL，\\x00），请删除后再导入"]
    assert Worker.objects.count() == 0


def test_a_formula_without_its_saved_result_is_refused_naming_the_cell(partnership):
    """A file written by a program keeps formulas without results: read as values they are
    empty, and a wage would be stored as nothing. Excel-saved formulas are read as values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append(ZHANG_1)
    sheet["L2"] = "=4000+500"  # 月工资（元）, no cached value (openpyxl writes none)
    sheet.append([*LI_0[:1], '="李"&"四"'] + LI_0[2:])  # B3
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(ImportFileError) as refused:
        import_file(WorkerResource, buffer.getvalue(), "w.xlsx")

    assert "单元格 L2、B3 是公式，但文件中没有保存它的计算结果" in str(refused.value)
    assert Worker.objects.count() == 0


def test_text_that_looks_like_a_formula_is_not_taken_for_one(partnership):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append(ZHANG_1)
    sheet["B2"].value = "=张三"
    sheet["B2"].data_type = "s"  # a text cell, as Excel keeps a quoted '=张三
    buffer = io.BytesIO()
    book.save(buffer)

    result = import_file(WorkerResource, buffer.getvalue(), "w.xlsx")

    assert "是公式" not in " ".join(result.messages)


def test_a_spell_listed_twice_is_refused(partnership):
    result = import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_1], "utf-8"))

    assert result.messages == [
        "第3行：与第2行是同一段就业（身份证号码、就业单位、就业开始日期相同），请删除重复行"
    ]


def test_spell_errors_name_the_spell_column(partnership):
    bad = list(ZHANG_1)
    bad[10] = "2021-01-01"  # ends before it starts

    result = import_file(WorkerResource, file_bytes([HEAD, bad], "utf-8"))

    assert result.messages == ["第2行“就业结束日期”：就业结束日期不能早于开始日期。"]


def test_unknown_destination_says_where_to_write_it(partnership):
    bad = list(ZHANG_1)
    bad[8] = "火星"

    result = import_file(WorkerResource, file_bytes([HEAD, bad], "utf-8"))

    assert result.messages == ["第2行“就业地”：找不到名为“火星”的地区"]


def export_dataset(user, native=False):
    return WorkerResource(user=user).export(Worker.objects.order_by("id"), force_native_type=native)


def test_export_without_permission_leaves_personal_columns_out(partnership, official):
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0], "utf-8"))

    dataset = export_dataset(official)

    assert not {"姓名", "身份证号码", "手机号码", "备注"} & set(dataset.headers)
    assert "户类型" in dataset.headers and len(dataset) == 3  # one line per spell
    flat = "".join(str(v) for row in dataset for v in row)
    assert "张三" not in flat and ZHANG not in flat and "13812345678" not in flat


def test_export_with_permission_imports_back_unchanged(partnership, django_user_model):
    user = django_user_model.objects.create_user("hr", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    import_file(WorkerResource, file_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0], "utf-8"))
    before = list(Worker.objects.values()), list(Employment.objects.values())

    for fmt, name in ((CSV, "w.csv"), (XLSX, "w.xlsx")):
        data = fmt().export_data(export_dataset(user, native=fmt.native_types))
        result = import_file(WorkerResource, data, name)
        assert result.ok, result.messages
        assert result.totals["skip"] == 3
    assert (list(Worker.objects.values()), list(Employment.objects.values())) == before


def test_xlsx_export_writes_id_numbers_as_text(partnership, django_user_model):
    user = django_user_model.objects.create_superuser("boss")
    import_file(WorkerResource, file_bytes([HEAD, LI_0], "utf-8"))

    sheet = openpyxl.load_workbook(
        io.BytesIO(XLSX().export_data(export_dataset(user, True)))
    ).active
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("身份证号码") + 1)

    assert (cell.value, cell.data_type) == (LI, "s")
