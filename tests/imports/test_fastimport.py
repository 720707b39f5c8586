"""The fast path of `import_records labor.worker` (labor/fastimport.py, PostgreSQL, COPY):
it writes exactly what the general import writes, declines every file the general import
would refuse (which then reports its line and column), declines files naming known workers,
and is all-or-nothing."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cooperation import freshness
from cooperation.dashboard.indicators import registry
from cooperation.imports.files import read_file
from cooperation.imports.places import RegionIndex
from cooperation.imports.resources import TrackedResource, run_import
from cooperation.models import Partnership, Region
from labor import fastimport, idcard
from labor.models import Employment, Worker, WorkerYear
from labor.resources import WorkerResource
from tests.cooperation.factories import PartnershipFactory
from tests.imports.conftest import file_bytes
from tests.labor.factories import JobFairFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the fast path writes with PostgreSQL COPY"
    ),
]

HEAD = [
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
COL = {name: i for i, name in enumerate(HEAD)}

ZHANG = idcard.make("610902", datetime.date(1990, 1, 2), 123)  # 123: odd → male
LI = idcard.make("610902", datetime.date(1991, 3, 4), 124)
WANG = idcard.make("610902", datetime.date(1985, 7, 8), 246)
ZHAO = idcard.make("610925", datetime.date(1979, 11, 30), 357)
WUHAN = "武进区—汉滨区"
JINLAN = "金坛区—岚皋县"
FAIR = "2021-03-15 春风行动招聘会"
# Characters COPY's text format must escape, and a cell neutralised by an export.
NOTE = "C:\\家\\二组\t东头\n第二行"

# Zhang: two spells, overlapping (Oct–Dec 2021); the first in the east (武进区, Jiangsu),
# through a job fair, with a grouped wage; the second in Xi'an, open, without a wage.
ZHANG_1 = [WUHAN, "张三", ZHANG, "138 1234 5678", "大河镇", "小河村", "脱贫户", NOTE]
ZHANG_1 += ["常州某机械厂", "钳工\\二级", "武进区", "", "2021年4月5日", "2021-12-31", "7,118.00"]
ZHANG_1 += ["招聘会", FAIR]
ZHANG_2 = ZHANG_1[:8] + ["西安某公司", "", "610113", "", "2021/10/1", "", "", "自主就业", ""]
# Li: no spell; ID typed in lower case, town only, a note COPY would read as NULL unescaped.
LI_0 = [WUHAN, "李四", LI.lower(), "", "县河镇", "", "一般户", "\\N"] + [""] * 9
# Wang: village only (town derived), a place outside the code list, closed spell of 92 days.
WANG_1 = [WUHAN, "王五", WANG, "13900001111", "", "关坝村", "监测对象", "'=1+1"]
WANG_1 += ["宁波某厂", "", "", "浙江省某镇", "2022-03-01", "2022-05-31", "4500", "有组织输转", ""]
# Zhao: the second partnership, in its eastern province (金坛区, Jiangsu), open.
ZHAO_1 = [JINLAN, "赵六", ZHAO, "", "佐龙镇", "", "脱贫户", ""]
ZHAO_1 += ["金坛某电子厂", "普工", "金坛区", "", "2023-01-10", "", "5200.5", "劳务工作站", ""]

ROWS = [ZHANG_1, ZHANG_2, LI_0, WANG_1, ZHAO_1]
FILE = file_bytes([HEAD, *ROWS], "utf-8-sig")


@pytest.fixture(autouse=True)
def small_files(monkeypatch):
    monkeypatch.setattr(fastimport, "MIN_ROWS", 1)


@pytest.fixture(scope="module")
def region_index(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return RegionIndex()


@pytest.fixture(autouse=True)
def shared_regions(monkeypatch, region_index):
    """Every import of these tests looks regions up in one index (the regions are reference
    data, loaded once per test database): building it takes 0.4 s, twice in most tests."""
    monkeypatch.setattr(TrackedResource, "regions", property(lambda self: region_index))


@pytest.fixture
def setting(partnership):
    """Two partnerships and a job fair of the first; returns the first partnership."""
    PartnershipFactory(
        east_region=Region.objects.get(code="320413"),  # 金坛区
        west_region=Region.objects.get(code="610925"),  # 岚皋县
    )
    JobFairFactory(partnership=partnership, name="春风行动招聘会", date=datetime.date(2021, 3, 15))
    return partnership


def dataset_of(rows, kind="utf-8-sig"):
    name = "w.xlsx" if kind == "xlsx" else "w.csv"
    return read_file(file_bytes([HEAD, *rows], kind), name)


def write(tmp_path, rows, kind="utf-8-sig"):
    path = tmp_path / ("workers.xlsx" if kind == "xlsx" else "workers.csv")
    path.write_bytes(file_bytes([HEAD, *rows], kind))
    return str(path)


def command(*args):
    out = StringIO()
    call_command("import_records", "labor.worker", *args, "--no-progress", stdout=out)
    return out.getvalue()


def written(leave_out=()):
    """Every row the import writes, ids and times left out, workers named by ID number."""
    number_of = dict(Worker.objects.values_list("id", "id_number"))
    skip = {"id", "created_at", "updated_at", "history_id", "history_date", *leave_out}

    def rows(qs, worker_field=None):
        out = []
        for row in qs.values():
            if worker_field:
                row[worker_field] = number_of[row[worker_field]]
            out.append(tuple(sorted((k, v) for k, v in row.items() if k not in skip)))
        return sorted(out, key=repr)

    return {
        "workers": rows(Worker.objects.all()),
        "employments": rows(Employment.objects.all(), "worker_id"),
        "years": rows(WorkerYear.objects.all(), "worker_id"),
        "worker_history": rows(Worker.history.model.objects.all()),
        "employment_history": rows(Employment.history.model.objects.all(), "worker_id"),
    }


def imported(do_import, leave_out=()):
    """(result, rows written) of an import, rolled back afterwards."""
    with transaction.atomic():
        result = do_import()
        rows = written(leave_out)
        transaction.set_rollback(True)
    assert Worker.objects.count() == 0  # rolled back
    return result, rows


def both_paths(data, user, leave_out=(), name="w.csv"):
    """The rows the fast path and the general path write from the same file."""
    # The file is read for each import: normalising the headers changes the dataset.
    fast, by_copy = imported(
        lambda: fastimport.import_workers(read_file(data, name), user=user), leave_out
    )
    general, by_orm = imported(
        lambda: run_import(WorkerResource(user=user, fast=True), read_file(data, name)),
        leave_out,
    )
    assert fast is not None, "the fast path declined"
    assert general.ok, general.messages
    return fast, by_copy, by_orm


# -- 1. the same rows as the general path --------------------------------------------------


def test_fast_path_writes_what_the_general_path_writes(setting, clerk):
    fast, by_copy, by_orm = both_paths(FILE, clerk, leave_out=("version",))

    assert (fast.workers, fast.employments) == (4, 4)
    assert by_copy == by_orm
    assert len(by_copy["workers"]) == len(by_copy["worker_history"]) == 4
    assert len(by_copy["employments"]) == len(by_copy["employment_history"]) == 4
    # Zhang: 2021 to this year (open spell); Wang: 2022; Zhao: 2023 to this year.
    this_year = timezone.localdate().year
    assert len(by_copy["years"]) == (this_year - 2021 + 1) + 1 + (this_year - 2023 + 1)


def test_fast_path_writes_the_same_versions_as_the_general_path(setting, clerk):
    _, by_copy, by_orm = both_paths(FILE, clerk)

    assert by_copy["workers"] == by_orm["workers"]
    assert by_copy["worker_history"] == by_orm["worker_history"]


def test_fast_path_rows_hold_the_hand_checked_values(setting, clerk):
    assert fastimport.import_workers(dataset_of(ROWS), user=clerk) is not None
    today = timezone.localdate()

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
        s.employer: (s.destination_id, s.destination_text, s.in_east, s.end_date, s.monthly_wage)
        for s in Employment.objects.all()
    }
    assert spells == {
        "常州某机械厂": ("320412", "", True, datetime.date(2021, 12, 31), Decimal("7118.00")),
        "西安某公司": ("610113", "", False, None, None),
        "宁波某厂": (None, "浙江省某镇", False, datetime.date(2022, 5, 31), Decimal("4500.00")),
        "金坛某电子厂": ("320413", "", True, None, Decimal("5200.50")),
    }
    fair = Employment.objects.get(employer="常州某机械厂").job_fair
    assert (fair.name, fair.date) == ("春风行动招聘会", datetime.date(2021, 3, 15))
    assert Employment.objects.get(employer="常州某机械厂").channel == "job_fair"

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


def test_a_file_without_optional_columns_and_the_partnership_column(partnership, clerk):
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
    fast, by_copy, by_orm = both_paths(
        file_bytes([head, *rows], "utf-8"), clerk, leave_out=("version",)
    )

    assert (fast.workers, fast.employments) == (2, 1)
    assert by_copy == by_orm and len(by_copy["workers"]) == 2


# -- 2. every bad line: declined, then the general path's message --------------------------


def changed(row, **cells):
    row = list(row)
    for column, value in cells.items():
        row[COL[column]] = value
    return row


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
BAD_CHECK_DIGIT = LI[:17] + ("0" if LI[17] != "0" else "1")

BAD_FILES = {
    "bad check digit": (
        [ZHANG_1, changed(LI_0, 身份证号码=BAD_CHECK_DIGIT)],
        "第3行“身份证号码”：身份证号码校验位错误，请核对。",
    ),
    "missing name": ([ZHANG_1, changed(LI_0, 姓名="")], "第3行“姓名”：此字段不能为空。"),
    "name longer than 50": (
        [ZHANG_1, changed(LI_0, 姓名="李" * 51)],
        "第3行“姓名”：确保该变量包含不超过 50 字符 (目前字符数 51)。",
    ),
    "bad phone": (
        [ZHANG_1, changed(LI_0, 手机号码="1234567")],
        "第3行“手机号码”：手机号码应为以13–19开头的11位数字。",
    ),
    "unknown town": (
        [ZHANG_1, changed(LI_0, **{"户籍镇（街道）": "大海镇"})],
        "第3行“户籍镇（街道）”：汉滨区没有名为“大海镇”的镇（街道）",
    ),
    "village not in the town": (
        # 毛坝村 lies in 县河镇
        [ZHANG_1, changed(LI_0, **{"户籍镇（街道）": "大河镇", "户籍村（社区）": "毛坝村"})],
        "第3行“户籍村（社区）”：大河镇没有名为“毛坝村”的村（社区）",
    ),
    "household not a choice": (
        [ZHANG_1, changed(LI_0, 户类型="贫困户")],
        "第3行“户类型”：'贫困户' 不是可选的值",
    ),
    "spell starting in the future": (
        [ZHANG_1, changed(ZHANG_2, 就业开始日期=TOMORROW)],
        "第3行“就业开始日期”：就业开始日期不能晚于今天",
    ),
    "end before start": (
        [ZHANG_1, changed(ZHANG_2, 就业结束日期="2021-09-30")],
        "第3行“就业结束日期”：就业结束日期不能早于开始日期。",
    ),
    "negative wage": (
        [ZHANG_1, changed(ZHANG_2, **{"月工资（元）": "-100"})],
        "第3行“月工资（元）”：月工资不能为负数。",
    ),
    "blank channel": (
        [ZHANG_1, changed(ZHANG_2, 就业渠道="")],
        "第3行“就业渠道”：此字段不能为空。",
    ),
    "same ID, other name": (
        [ZHANG_1, changed(ZHANG_2, 姓名="张叁")],
        "第3行“姓名”：与第2行同一身份证号码的“姓名”不一致",
    ),
    "NUL byte": (
        [ZHANG_1, changed(ZHANG_2, 就业单位="西安\x00某公司")],
        "第3行“就业单位”：含有空字符（NUL，\\x00），请删除后再导入",
    ),
    "same spell twice": (
        [ZHANG_1, LI_0, ZHANG_1],
        "第4行：与第2行是同一段就业（身份证号码、就业单位、就业开始日期相同），请删除重复行",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_line_is_declined_and_reported_by_the_general_path(setting, clerk, tmp_path, case):
    rows, message = BAD_FILES[case]

    assert fastimport.import_workers(dataset_of(rows), user=clerk) is None
    assert Worker.objects.count() == Employment.objects.count() == 0

    with pytest.raises(CommandError) as exc:
        command(write(tmp_path, rows), "--user", "clerk")

    assert "导入失败，没有写入任何数据。共 1 处错误" in str(exc.value)
    assert message in str(exc.value)
    assert Worker.objects.count() == Employment.objects.count() == WorkerYear.objects.count() == 0
    assert Worker.history.count() == 0


def test_an_id_number_stored_by_excel_as_a_number_is_declined(setting, clerk, tmp_path):
    rows = [ZHANG_1, changed(LI_0, 身份证号码=float(LI[:17] + "1"))]
    dataset = dataset_of(rows, "xlsx")
    assert isinstance(dataset[1][COL["身份证号码"]], float)

    assert fastimport.import_workers(dataset, user=clerk) is None
    assert Worker.objects.count() == 0

    with pytest.raises(CommandError) as exc:
        command(write(tmp_path, rows, "xlsx"))

    assert "第3行“身份证号码”：被 Excel 存成了数字" in str(exc.value)
    assert Worker.objects.count() == 0


# -- 3. known workers: the general path's work ----------------------------------------------


def test_a_known_id_number_is_left_to_the_general_path(setting, clerk, tmp_path):
    assert run_import(WorkerResource(user=clerk), dataset_of([ZHANG_1])).ok
    zhang = Worker.objects.get()
    before = (zhang.pk, zhang.version, zhang.updated_at)
    rows = [ZHANG_1, ZHANG_2, LI_0]

    assert fastimport.import_workers(dataset_of(rows), user=clerk) is None
    assert Worker.objects.count() == 1 and Employment.objects.count() == 1

    output = command(write(tmp_path, rows))

    # ZHANG_1 unchanged, ZHANG_2 a new spell of the known worker, LI_0 a new worker.
    assert "3 行，新增 2，修改 0，无变化 1" in output
    assert "[COPY]" not in output
    zhang.refresh_from_db()
    assert (zhang.pk, zhang.version, zhang.updated_at) == before
    assert Worker.objects.count() == 2 and Employment.objects.count() == 2


# -- 4. the command ------------------------------------------------------------------------


def test_the_command_takes_the_fast_path_and_dry_run_writes_nothing(setting, tmp_path):
    path = write(tmp_path, ROWS)
    token = freshness.data_version()

    dry = command(path, "--dry-run")

    assert "5 行，新增 5，修改 0，无变化 0" in dry and "[COPY]" in dry
    assert "试运行：没有写入任何数据" in dry
    assert Worker.objects.count() == Employment.objects.count() == WorkerYear.objects.count() == 0
    assert freshness.data_version() == token

    output = command(path)

    assert "5 行，新增 5，修改 0，无变化 0" in output and "[COPY]" in output
    assert "试运行" not in output
    assert (Worker.objects.count(), Employment.objects.count()) == (4, 4)


def test_the_command_on_an_xlsx_file_takes_the_fast_path(setting, tmp_path):
    output = command(write(tmp_path, ROWS, "xlsx"))

    assert "5 行，新增 5" in output and "[COPY]" in output
    assert Worker.objects.get(id_number=ZHANG).note == NOTE


# -- 5. data version and dashboard -------------------------------------------------------


def card(html, label):
    match = re.search(
        rf'<h3 class="card-title">{re.escape(label)}</h3>\s*<p class="card-figure">(?:<a [^>]*>)?([^<]+)',
        html,
    )
    assert match, f"no card {label!r}"
    return match.group(1).strip()


def test_the_fast_path_bumps_the_versions_of_the_partnerships_it_wrote_only(setting, tmp_path):
    other = Partnership.objects.exclude(pk=setting.pk).get()  # 金坛区—岚皋县: no row of it
    before = [freshness.scope_version([setting.pk]), freshness.scope_version([other.pk])]

    assert "[COPY]" in command(write(tmp_path, [ZHANG_1, ZHANG_2, LI_0, WANG_1]))

    after = [freshness.scope_version([setting.pk]), freshness.scope_version([other.pk])]
    assert after[0] != before[0] and after[1] == before[1]


def test_the_data_version_is_bumped_and_the_dashboard_shows_the_new_figures(
    setting, client, tmp_path
):
    cache.clear()
    url = reverse("cooperation:dashboard")
    query = {"partnership": setting.pk, "year": 2021}
    label = "农村劳动力转移就业人数"
    assert card(client.get(url, query).content.decode(), label) == "0"  # now cached
    token = freshness.data_version()

    assert "[COPY]" in command(write(tmp_path, ROWS))

    assert freshness.data_version() != token
    transferred = registry["labor.transferred"]
    # 2021: Zhang (two spells, one person); 2022: Wang; Zhao is the other partnership's.
    assert transferred.value(setting, 2021) == 1
    assert transferred.value(setting, 2022) == 1
    assert transferred.value(setting, 2023) == 0
    assert registry["labor.transferred_east"].value(setting, 2022) == 0  # Ningbo: not Jiangsu
    assert card(client.get(url, query).content.decode(), label) == "1"
    cache.clear()


# -- 6. who imported -------------------------------------------------------------------------


def test_records_and_history_name_the_user_given(setting, clerk, tmp_path):
    assert "[COPY]" in command(write(tmp_path, ROWS), "--user", "clerk")

    for model in (Worker, Employment):
        assert set(model.objects.values_list("created_by", "updated_by", "version")) == {
            (clerk.pk, clerk.pk, 0)
        }
        assert set(
            model.history.values_list("history_user", "history_change_reason", "history_type")
        ) == {(clerk.pk, "导入", "+")}
        assert model.history.count() == 4


def test_without_a_user_nobody_is_recorded(setting, tmp_path):
    assert "[COPY]" in command(write(tmp_path, ROWS))

    assert set(Worker.objects.values_list("created_by", "updated_by")) == {(None, None)}
    assert set(Worker.history.values_list("history_user", "history_change_reason")) == {
        (None, "导入")
    }


# -- 7. all or nothing -----------------------------------------------------------------------


def test_a_failure_after_the_workers_were_copied_leaves_nothing(setting, clerk, monkeypatch):
    copied = []
    original = fastimport.copy_rows

    def copy(cursor, table, columns, text):
        if table == "labor_employment":
            raise RuntimeError("disk full")
        original(cursor, table, columns, text)
        copied.append(table)

    monkeypatch.setattr(fastimport, "copy_rows", copy)
    token = freshness.data_version()

    with pytest.raises(RuntimeError, match="disk full"):
        fastimport.import_workers(dataset_of(ROWS), user=clerk)

    assert copied == ["labor_worker", "labor_historicalworker"]
    assert Worker.objects.count() == Worker.history.count() == 0
    assert Employment.objects.count() == WorkerYear.objects.count() == 0
    assert freshness.data_version() == token
