"""Importing the worker 台账 (one line per job spell), its derived yearly facts, and its
export without personal columns for users who may not see them; `manage.py import_records
labor.worker` end to end: every column as written, nothing written when a line fails or a
write fails, an unchanged re-import, the data version, who imported."""

import datetime
import io
import re
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import labor.resources
from cooperation import freshness
from cooperation.dashboard.indicators import registry
from cooperation.imports.files import CSV, XLSX, ImportFileError, read_file
from cooperation.imports.places import RegionIndex
from cooperation.imports.resources import TrackedResource
from cooperation.models import Partnership, Region
from labor import idcard
from labor.models import Employment, Worker, WorkerYear
from labor.resources import WorkerResource
from labor.services import rebuild_worker_years
from tests.cooperation.factories import PartnershipFactory
from tests.imports.conftest import HEAD, LI, LI_0, ZHANG, ZHANG_1, ZHANG_2, file_bytes, import_file
from tests.labor.factories import JobFairFactory

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


# -- the command, end to end -----------------------------------------------------------------

LEDGER_HEAD = [
    "协作关系",
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍镇（街道）",
    "户籍村（社区）",
    "户类型",
    "备注",
    "就业单位",
    "工种（岗位）",
    "就业地",
    "就业地（区划代码表以外）",
    "就业开始日期",
    "就业结束日期",
    "月工资（元）",
    "就业渠道",
    "招聘会",
]
COL = {name: i for i, name in enumerate(LEDGER_HEAD)}

WANG = idcard.make("610902", datetime.date(1985, 7, 8), 246)
ZHAO = idcard.make("610925", datetime.date(1979, 11, 30), 357)
WUHAN = "武进区—汉滨区"
JINLAN = "金坛区—岚皋县"
FAIR = "2021-03-15 春风行动招聘会"
# Backslashes, a tab and a line break in a cell are kept as written.
NOTE = "C:\\家\\二组\t东头\n第二行"

# Zhang: two spells, overlapping (Oct–Dec 2021); the first in the east (武进区, Jiangsu),
# through a job fair, with a grouped wage; the second in Xi'an, open, without a wage.
ZHANG_A = [WUHAN, "张三", ZHANG, "138 1234 5678", "大河镇", "小河村", "脱贫户", NOTE]
ZHANG_A += ["常州某机械厂", "钳工\\二级", "武进区", "", "2021年4月5日", "2021-12-31", "7,118.00"]
ZHANG_A += ["招聘会", FAIR]
ZHANG_B = ZHANG_A[:8] + ["西安某公司", "", "610113", "", "2021/10/1", "", "", "自主就业", ""]
# Li: no spell; ID typed in lower case, town only.
LI_NONE = [WUHAN, "李四", LI.lower(), "", "县河镇", "", "一般户", "\\N"] + [""] * 9
# Wang: village only (town derived), a place outside the code list, closed spell of 92 days.
WANG_A = [WUHAN, "王五", WANG, "13900001111", "", "关坝村", "监测对象", "'=1+1"]
WANG_A += ["宁波某厂", "", "", "浙江省某镇", "2022-03-01", "2022-05-31", "4500", "有组织输转", ""]
# Zhao: the second partnership, in its eastern province (金坛区, Jiangsu), open.
ZHAO_A = [JINLAN, "赵六", ZHAO, "", "佐龙镇", "", "脱贫户", ""]
ZHAO_A += ["金坛某电子厂", "普工", "金坛区", "", "2023-01-10", "", "5200.5", "劳务工作站", ""]

LEDGER = [ZHANG_A, ZHANG_B, LI_NONE, WANG_A, ZHAO_A]


@pytest.fixture(scope="module")
def region_index(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return RegionIndex()


@pytest.fixture
def setting(partnership, monkeypatch, region_index):
    """Two partnerships and a job fair of the first; returns the first partnership. Every
    import looks regions up in one index (reference data): building it takes 0.4 s."""
    monkeypatch.setattr(TrackedResource, "regions", property(lambda self: region_index))
    PartnershipFactory(
        east_region=Region.objects.get(code="320413"),  # 金坛区
        west_region=Region.objects.get(code="610925"),  # 岚皋县
    )
    JobFairFactory(partnership=partnership, name="春风行动招聘会", date=datetime.date(2021, 3, 15))
    return partnership


def ledger(tmp_path, rows, kind="utf-8-sig", head=LEDGER_HEAD):
    path = tmp_path / ("workers.xlsx" if kind == "xlsx" else "workers.csv")
    path.write_bytes(file_bytes([head, *rows], kind))
    return str(path)


def command(*args):
    out = StringIO()
    call_command("import_records", "labor.worker", *args, "--no-progress", stdout=out)
    return out.getvalue()


def nothing_written():
    return (
        Worker.objects.count(),
        Employment.objects.count(),
        WorkerYear.objects.count(),
        Worker.history.count(),
        Employment.history.count(),
    ) == (0, 0, 0, 0, 0)


def test_every_column_of_the_ledger_is_written_as_hand_checked(setting, clerk, tmp_path):
    output = command(ledger(tmp_path, LEDGER), "--user", "clerk")
    today = timezone.localdate()

    assert "5 行，新增 5，修改 0，无变化 0" in output
    zhang = Worker.objects.get(id_number=ZHANG)
    assert (zhang.phone, zhang.home_town_id, zhang.home_village_id, zhang.household) == (
        "13812345678",
        "610902115",
        "610902115208",
        "exited",
    )
    assert (zhang.gender, zhang.birth_date, zhang.note) == ("M", datetime.date(1990, 1, 2), NOTE)
    li = Worker.objects.get(id_number=LI)  # x → X
    assert (li.home_town_id, li.home_village_id, li.note) == ("610902120", None, "\\N")
    assert li.employments.count() == 0
    assert not li.years.exists()
    wang = Worker.objects.get(id_number=WANG)
    assert (wang.home_town_id, wang.home_village_id, wang.note) == (
        "610902115",  # 关坝村 lies in 大河镇
        "610902115203",
        "=1+1",
    )
    zhao = Worker.objects.get(id_number=ZHAO)
    assert (zhao.partnership.west_region_id, zhao.home_town_id) == ("610925", "610925101")

    spells = {
        s.employer: (s.job, s.destination_id, s.destination_text, s.in_east, s.monthly_wage)
        for s in Employment.objects.all()
    }
    assert spells == {
        "常州某机械厂": ("钳工\\二级", "320412", "", True, Decimal("7118.00")),
        "西安某公司": ("", "610113", "", False, None),
        "宁波某厂": ("", None, "浙江省某镇", False, Decimal("4500.00")),
        "金坛某电子厂": ("普工", "320413", "", True, Decimal("5200.50")),
    }
    assert dict(Employment.objects.values_list("employer", "end_date")) == {
        "常州某机械厂": datetime.date(2021, 12, 31),
        "西安某公司": None,
        "宁波某厂": datetime.date(2022, 5, 31),
        "金坛某电子厂": None,
    }
    first = Employment.objects.get(employer="常州某机械厂")
    assert (first.channel, first.job_fair.name, first.job_fair.date) == (
        "job_fair",
        "春风行动招聘会",
        datetime.date(2021, 3, 15),
    )

    # Zhang 2021: 5 Apr – 31 Dec = 271 days, the October overlap counted once; only the
    # first spell has a wage; the east spell started in 2021.
    y2021 = WorkerYear.objects.get(worker=zhang, year=2021)
    assert (
        y2021.transferred,
        y2021.transferred_month,
        y2021.transferred_east,
        y2021.in_east,
        y2021.employed_days,
        y2021.stable,
        y2021.monthly_wage,
        y2021.home_town_id,
        y2021.household,
    ) == (True, 4, True, True, 271, True, Decimal("7118.00"), "610902115", "exited")
    # 2022: only the open Xi'an spell, the whole year, no wage, not in the east.
    y2022 = WorkerYear.objects.get(worker=zhang, year=2022)
    assert (y2022.transferred, y2022.in_east, y2022.employed_days, y2022.monthly_wage) == (
        False,
        False,
        365,
        None,
    )
    assert zhang.years.count() == today.year - 2021 + 1  # the open spell runs to today
    # Wang 2022: 1 Mar – 31 May = 31 + 30 + 31 = 92 days ≥ 90: stable.
    wy = WorkerYear.objects.get(worker=wang)
    assert (wy.year, wy.employed_days, wy.stable, wy.monthly_wage, wy.home_town_id) == (
        2022,
        92,
        True,
        Decimal("4500.00"),
        "610902115",
    )
    zy = WorkerYear.objects.get(worker=zhao, year=2023)
    assert (zy.partnership_id, zy.transferred_east, zy.transferred_month) == (
        zhao.partnership_id,
        True,
        1,
    )
    # Zhang: 2021 to this year (open spell); Wang: 2022; Zhao: 2023 to this year.
    assert WorkerYear.objects.count() == (today.year - 2021 + 1) + 1 + (today.year - 2023 + 1)


def test_a_file_without_optional_columns_and_the_partnership_column(partnership, tmp_path):
    """One partnership: the column may be left out; 备注, 工种, 招聘会 … are not in the file."""
    head = [
        "姓名",
        "身份证号码",
        "户籍镇（街道）",
        "户类型",
        "就业单位",
        "就业开始日期",
        "就业渠道",
    ]
    rows = [
        ["张三", ZHANG, "大河镇", "脱贫户", "常州某机械厂", "2021-04-05", "有组织输转"],
        ["李四", LI, "县河镇", "一般户", "", "", ""],
    ]

    assert "2 行，新增 2，修改 0，无变化 0" in command(ledger(tmp_path, rows, head=head))

    assert set(Worker.objects.values_list("id_number", "partnership", "note")) == {
        (ZHANG, partnership.pk, ""),
        (LI, partnership.pk, ""),
    }
    spell = Employment.objects.get()
    assert (spell.worker.id_number, spell.job, spell.job_fair, spell.channel) == (
        ZHANG,
        "",
        None,
        "organised",
    )


def changed(row, **cells):
    row = list(row)
    for column, value in cells.items():
        row[COL[column]] = value
    return row


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
BAD_CHECK_DIGIT = LI[:17] + ("0" if LI[17] != "0" else "1")

BAD_FILES = {
    "bad check digit": (
        [ZHANG_A, changed(LI_NONE, 身份证号码=BAD_CHECK_DIGIT)],
        "第3行“身份证号码”：身份证号码校验位错误，请核对。",
    ),
    "missing name": ([ZHANG_A, changed(LI_NONE, 姓名="")], "第3行“姓名”：此字段不能为空。"),
    "name longer than 50": (
        [ZHANG_A, changed(LI_NONE, 姓名="李" * 51)],
        "第3行“姓名”：确保该变量包含不超过 50 字符 (目前字符数 51)。",
    ),
    "bad phone": (
        [ZHANG_A, changed(LI_NONE, 手机号码="1234567")],
        "第3行“手机号码”：手机号码应为以13–19开头的11位数字。",
    ),
    "unknown town": (
        [ZHANG_A, changed(LI_NONE, **{"户籍镇（街道）": "大海镇"})],
        "第3行“户籍镇（街道）”：汉滨区没有名为“大海镇”的镇（街道）",
    ),
    "village not in the town": (
        # 毛坝村 lies in 县河镇
        [ZHANG_A, changed(LI_NONE, **{"户籍镇（街道）": "大河镇", "户籍村（社区）": "毛坝村"})],
        "第3行“户籍村（社区）”：大河镇没有名为“毛坝村”的村（社区）",
    ),
    "household not a choice": (
        [ZHANG_A, changed(LI_NONE, 户类型="贫困户")],
        "第3行“户类型”：'贫困户' 不是可选的值",
    ),
    "spell starting in the future": (
        [ZHANG_A, changed(ZHANG_B, 就业开始日期=TOMORROW)],
        "第3行“就业开始日期”：就业开始日期不能晚于今天",
    ),
    "end before start": (
        [ZHANG_A, changed(ZHANG_B, 就业结束日期="2021-09-30")],
        "第3行“就业结束日期”：就业结束日期不能早于开始日期。",
    ),
    "negative wage": (
        [ZHANG_A, changed(ZHANG_B, **{"月工资（元）": "-100"})],
        "第3行“月工资（元）”：月工资不能为负数。",
    ),
    "blank channel": (
        [ZHANG_A, changed(ZHANG_B, 就业渠道="")],
        "第3行“就业渠道”：此字段不能为空。",
    ),
    "same ID, other name": (
        [ZHANG_A, changed(ZHANG_B, 姓名="张叁")],
        "第3行“姓名”：与第2行同一身份证号码的“姓名”不一致",
    ),
    "NUL byte": (
        [ZHANG_A, changed(ZHANG_B, 就业单位="西安\x00某公司")],
        "第3行“就业单位”：含有空字符（NUL，\\x00），请删除后再导入",
    ),
    "same spell twice": (
        [ZHANG_A, LI_NONE, ZHANG_A],
        "第4行：与第2行是同一段就业（身份证号码、就业单位、就业开始日期相同），请删除重复行",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_line_writes_nothing_and_is_named(setting, clerk, tmp_path, case):
    rows, message = BAD_FILES[case]
    token = freshness.data_version()

    with pytest.raises(CommandError) as exc:
        command(ledger(tmp_path, rows), "--user", "clerk")

    assert "导入失败，没有写入任何数据。共 1 处错误" in str(exc.value)
    assert message in str(exc.value)
    assert nothing_written()
    assert freshness.data_version() == token


def test_an_id_number_stored_by_excel_as_a_number_writes_nothing(setting, tmp_path):
    rows = [ZHANG_A, changed(LI_NONE, 身份证号码=float(LI[:17] + "1"))]
    path = ledger(tmp_path, rows, "xlsx")
    with open(path, "rb") as fh:
        assert isinstance(read_file(fh.read(), "w.xlsx")[1][COL["身份证号码"]], float)

    with pytest.raises(CommandError) as exc:
        command(path)

    assert "第3行“身份证号码”：被 Excel 存成了数字" in str(exc.value)
    assert nothing_written()


def test_a_known_worker_is_updated_and_new_ones_added(setting, clerk, tmp_path):
    assert "新增 1" in command(ledger(tmp_path, [ZHANG_A]))
    zhang = Worker.objects.get()
    before = (zhang.pk, zhang.version, zhang.updated_at)

    output = command(ledger(tmp_path, [ZHANG_A, ZHANG_B, LI_NONE]))

    # ZHANG_A unchanged, ZHANG_B a new spell of the known worker, LI_NONE a new worker.
    assert "3 行，新增 2，修改 0，无变化 1" in output
    zhang.refresh_from_db()
    assert (zhang.pk, zhang.version, zhang.updated_at) == before
    assert Worker.objects.count() == 2 and Employment.objects.count() == 2
    assert zhang.years.filter(year=2022).exists()  # the new open spell's years


def test_dry_run_writes_nothing_and_a_second_import_changes_nothing(setting, tmp_path):
    path = ledger(tmp_path, LEDGER)
    token = freshness.data_version()

    dry = command(path, "--dry-run")

    assert "5 行，新增 5，修改 0，无变化 0" in dry and "试运行：没有写入任何数据" in dry
    assert nothing_written()
    assert freshness.data_version() == token

    assert "5 行，新增 5，修改 0，无变化 0" in command(path)

    def state():
        return [
            sorted(model.objects.values_list(*fields))
            for model, fields in (
                (Worker, ("id", "version", "updated_at", "phone", "note")),
                (Employment, ("id", "version", "updated_at", "in_east", "monthly_wage")),
                (WorkerYear, ("id", "worker_id", "year", "employed_days", "stable")),
                (Worker.history.model, ("history_id", "history_type")),
                (Employment.history.model, ("history_id", "history_type")),
            )
        ]

    written = state()
    token = freshness.data_version()

    again = command(path)

    assert "5 行，新增 0，修改 0，无变化 5" in again
    assert state() == written
    assert freshness.data_version() == token  # nothing written: cached pages stay valid


def test_an_xlsx_ledger_is_imported(setting, tmp_path):
    assert "5 行，新增 5" in command(ledger(tmp_path, LEDGER, "xlsx"))

    assert Worker.objects.get(id_number=ZHANG).note == NOTE
    assert Employment.objects.count() == 4


def test_a_failing_write_after_the_workers_leaves_nothing(setting, tmp_path, monkeypatch):
    """The spells fail after the workers and their history were written (a full disk, a
    lost connection): the transaction takes the workers back too."""
    written_before = []

    def failing(objs, model, **kwargs):
        written_before.append((Worker.objects.count(), Worker.history.count()))
        raise RuntimeError("disk full")

    monkeypatch.setattr(labor.resources, "bulk_create_with_history", failing)
    token = freshness.data_version()

    with pytest.raises(RuntimeError, match="disk full"):
        command(ledger(tmp_path, LEDGER))

    assert written_before == [(4, 4)]
    assert nothing_written()
    assert freshness.data_version() == token


def card(html, label):
    match = re.search(
        rf'<h3 class="card-title">{re.escape(label)}</h3>\s*<p class="card-figure">(?:<a [^>]*>)?([^<]+)',
        html,
    )
    assert match, f"no card {label!r}"
    return match.group(1).strip()


def test_an_import_bumps_the_versions_of_the_partnerships_it_wrote_only(setting, tmp_path):
    other = Partnership.objects.exclude(pk=setting.pk).get()  # 金坛区—岚皋县: no row of it
    before = [freshness.scope_version([setting.pk]), freshness.scope_version([other.pk])]

    command(ledger(tmp_path, [ZHANG_A, ZHANG_B, LI_NONE, WANG_A]))

    after = [freshness.scope_version([setting.pk]), freshness.scope_version([other.pk])]
    assert after[0] != before[0] and after[1] == before[1]


def test_the_dashboard_shows_the_imported_figures(setting, client, tmp_path):
    cache.clear()
    url = reverse("cooperation:dashboard")
    query = {"partnership": setting.pk, "year": 2021}
    label = "农村劳动力转移就业人数"
    assert card(client.get(url, query).content.decode(), label) == "0"  # now cached

    command(ledger(tmp_path, LEDGER))

    transferred = registry["labor.transferred"]
    # 2021: Zhang (two spells, one person); 2022: Wang; Zhao is the other partnership's.
    assert transferred.value(setting, 2021) == 1
    assert transferred.value(setting, 2022) == 1
    assert transferred.value(setting, 2023) == 0
    assert registry["labor.transferred_east"].value(setting, 2022) == 0  # Ningbo: not Jiangsu
    assert card(client.get(url, query).content.decode(), label) == "1"
    cache.clear()


def test_records_and_history_name_the_user_given(setting, clerk, tmp_path):
    command(ledger(tmp_path, LEDGER), "--user", "clerk")

    for model in (Worker, Employment):
        assert set(model.objects.values_list("created_by", "updated_by", "version")) == {
            (clerk.pk, clerk.pk, 0)
        }
        assert set(
            model.history.values_list("history_user", "history_change_reason", "history_type")
        ) == {(clerk.pk, "导入", "+")}
        assert model.history.count() == 4


def test_history_of_a_changed_worker_and_spell_names_the_user(setting, clerk, tmp_path):
    command(ledger(tmp_path, [ZHANG_A]))
    moved = changed(ZHANG_A, 手机号码="13900000000", **{"月工资（元）": "8000"})

    assert "1 行，新增 0，修改 1" in command(ledger(tmp_path, [moved]), "--user", "clerk")

    zhang = Worker.objects.get()
    spell = zhang.employments.get()
    assert (zhang.version, zhang.updated_by, spell.version, spell.updated_by) == (
        1,
        clerk,
        1,
        clerk,
    )
    assert spell.monthly_wage == Decimal("8000")
    for record in (zhang, spell):
        assert list(
            record.history.values_list(
                "history_type", "history_user", "version", "history_change_reason"
            )
        ) == [("~", clerk.pk, 1, "导入"), ("+", None, 0, "导入")]


def test_without_a_user_nobody_is_recorded(setting, tmp_path):
    command(ledger(tmp_path, LEDGER))

    assert set(Worker.objects.values_list("created_by", "updated_by")) == {(None, None)}
    assert set(Worker.history.values_list("history_user", "history_change_reason")) == {
        (None, "导入")
    }
