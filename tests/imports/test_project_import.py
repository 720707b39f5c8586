"""Importing the project 台账: every encoding and format, every kind of bad row, nothing
half-written, idempotent, and an exported file imports back unchanged."""

import codecs
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from cooperation.freshness import data_version
from cooperation.imports.files import CSV, XLSX, read_file
from projects.models import Project
from projects.resources import ProjectResource
from tests.imports.conftest import PROJECT_HEAD, ROAD, TEA, file_bytes, import_file

KINDS = ["utf-8", "utf-8-sig", "gbk", "xlsx"]


def name_of(kind):
    return "projects.xlsx" if kind == "xlsx" else "projects.csv"


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
def test_good_file_writes_exactly_its_rows(partnership, kind):
    result = import_file(
        ProjectResource, file_bytes([PROJECT_HEAD, TEA, ROAD], kind), name_of(kind)
    )

    assert result.ok, result.messages
    assert Project.objects.count() == 2
    tea = Project.objects.get(name="大河镇茶园")
    assert (tea.partnership, tea.fund_year, tea.category) == (partnership, 2021, "industry")
    assert (tea.town_id, tea.village_id) == ("610902115", "610902115208")
    assert tea.aid_funds == Decimal("1234.5000")  # "1,234.50"
    assert tea.local_funds == Decimal("100.0000")  # "100万元"
    assert (tea.beneficiaries, tea.beneficiaries_poverty_exited) == (1200, 300)
    assert tea.start_date == datetime.date(2021, 4, 5)
    road = Project.objects.get(name="县河镇道路")
    assert road.aid_funds == Decimal("88")  # full-width "８８"
    assert road.history.count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_second_import_of_the_same_file_changes_nothing(partnership, kind):
    data = file_bytes([PROJECT_HEAD, TEA, ROAD], kind)
    import_file(ProjectResource, data, name_of(kind))
    before = list(Project.objects.values_list("id", "updated_at", "version"))

    result = import_file(ProjectResource, data, name_of(kind))

    assert result.ok
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert list(Project.objects.values_list("id", "updated_at", "version")) == before


def test_a_changed_amount_updates_that_row_only(partnership):
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8"))
    changed = TEA[:6] + ["2,000"] + TEA[7:]

    result = import_file(ProjectResource, file_bytes([PROJECT_HEAD, changed, ROAD], "utf-8"))

    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 1, 1)
    tea = Project.objects.get(name="大河镇茶园")
    assert (tea.aid_funds, tea.version) == (Decimal("2000.0000"), 1)
    assert tea.history.count() == 2


BAD_ROWS = [
    (1, "二〇二一", "第3行“资金年度”：'二〇二一' 不是有效的年份"),
    (6, "一千", "第3行“协作资金（万元）”：'一千' 不是有效的金额"),
    (4, "大海镇", "第3行“镇（街道）”：汉滨区没有名为“大海镇”的镇（街道）"),
    (
        3,
        "种植",
        "第3行“项目类别”：'种植' 不是可选的值（可选：产业发展、基础设施、教育、医疗卫生、就业帮扶、消费帮扶、社区工厂、其他）",
    ),
    (
        10,
        "2021-13-01",
        "第3行“开工日期”：'2021-13-01' 不是有效的日期（可写作 2021-04-05、2021/4/5 或 2021年4月5日）",
    ),
    (2, "", "第3行“项目名称”：此字段不能为空。"),
    (1, "", "第3行“资金年度”：此字段不能为空。"),
    (9, "5000", "第3行“其中脱贫人口”：其中脱贫人口不能多于受益人数。"),
    (
        0,
        "上海—汉滨区",
        "第3行“协作关系”：找不到协作关系“上海—汉滨区”（应写作“东部区县—西部区县”，如“武进区—汉滨区”）",
    ),
]


@pytest.mark.parametrize("column, value, message", BAD_ROWS)
@pytest.mark.parametrize("kind", ["gbk", "xlsx"])
def test_one_bad_row_is_named_and_nothing_is_written(partnership, column, value, message, kind):
    bad = list(ROAD)
    bad[column] = value
    if column == 9:
        bad[8] = "10"
    result = import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA, bad], kind), name_of(kind))

    assert not result.ok
    assert result.messages == [message]
    assert Project.objects.count() == 0


def test_duplicate_line_points_to_the_first(partnership):
    result = import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA, ROAD, TEA], "utf-8"))

    assert result.messages == [
        "第4行：与第2行是同一条记录（“协作关系”、“资金年度”、“项目名称”相同），请删除重复行"
    ]
    assert Project.objects.count() == 0


def test_missing_required_column_is_named(partnership):
    head = [h for h in PROJECT_HEAD if h != "项目类别"]
    row = [v for h, v in zip(PROJECT_HEAD, TEA, strict=True) if h != "项目类别"]

    result = import_file(ProjectResource, file_bytes([head, row], "utf-8"))

    assert result.messages == ["文件缺少这些列：项目类别。表头应与导出的文件一致。"]
    assert Project.objects.count() == 0


def test_title_line_above_header_and_half_width_brackets(partnership):
    head = [h.replace("（", "(").replace("）", ")") for h in PROJECT_HEAD]
    rows = [["2021年东西部协作资金项目台账"], head, TEA, ROAD]

    result = import_file(ProjectResource, file_bytes(rows, "gbk"))

    assert result.ok, result.messages
    assert Project.objects.count() == 2


def test_errors_count_lines_from_the_real_header_line(partnership):
    bad = list(ROAD)
    bad[1] = "二〇二一"
    result = import_file(ProjectResource, file_bytes([["台账"], PROJECT_HEAD, TEA, bad], "utf-8"))

    assert result.messages == ["第4行“资金年度”：'二〇二一' 不是有效的年份"]


def test_partnership_column_may_be_left_out_when_there_is_only_one(partnership):
    rows = [
        [v for h, v in zip(PROJECT_HEAD, r, strict=True) if h != "协作关系"]
        for r in (PROJECT_HEAD, TEA)
    ]

    result = import_file(ProjectResource, file_bytes(rows, "utf-8"))

    assert result.ok
    assert Project.objects.get().partnership == partnership


def test_dry_run_writes_nothing(partnership):
    result = import_file(
        ProjectResource, file_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8"), dry_run=True
    )

    assert result.ok and result.totals["new"] == 2
    assert Project.objects.count() == 0


def export(fmt):
    dataset = ProjectResource().export(
        Project.objects.order_by("id"), force_native_type=fmt.native_types
    )
    return fmt().export_data(dataset)


@pytest.mark.parametrize("fmt, name", [(CSV, "export.csv"), (XLSX, "export.xlsx")])
def test_export_imports_back_unchanged(partnership, fmt, name):
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8"))
    Project.objects.filter(name="县河镇道路").update(description='=HYPERLINK("x")')
    before = list(Project.objects.values())

    result = import_file(ProjectResource, export(fmt), name)

    assert result.ok, result.messages
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert list(Project.objects.values()) == before


def test_csv_export_has_a_bom_the_headers_and_neutralised_formulas(partnership):
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, ROAD], "utf-8"))
    Project.objects.update(description="=1+1")

    data = export(CSV)

    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("协作关系,资金年度,项目名称,项目类别,镇（街道）")
    assert text.splitlines()[1].endswith(",'=1+1")
    assert "88.00" in text  # amounts with two decimals


def test_xlsx_export_neutralises_formula_text_as_the_csv_does(partnership):
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, ROAD], "utf-8"))
    Project.objects.update(description="=1+1")

    sheet = openpyxl.load_workbook(io.BytesIO(export(XLSX))).active
    description = sheet.cell(row=2, column=sheet.max_column)

    assert (description.value, description.data_type) == ("'=1+1", "s")
    assert sheet.cell(row=2, column=2).value == 2021  # numbers stay numbers


def test_read_file_detects_gbk_without_being_told():
    data = file_bytes([PROJECT_HEAD, TEA], "gbk")
    assert read_file(data, "any.csv").headers[2] == "项目名称"


def test_an_import_changes_the_data_version_so_cached_figures_are_not_served(partnership):
    before = data_version()
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA], "utf-8"))

    assert data_version() != before


def test_a_dry_run_leaves_the_data_version_alone(partnership):
    before = data_version()
    import_file(ProjectResource, file_bytes([PROJECT_HEAD, TEA], "utf-8"), dry_run=True)

    assert data_version() == before


@pytest.mark.parametrize(
    "aid, local, expected_aid, expected_local",
    [
        # a 万元 column: 12.5万 is 12.5 万元; a dash is a blank cell (the field's default, 0)
        ("12.5万", "—", Decimal("12.5"), Decimal("0")),
        ("125000元", "-", Decimal("12.5"), Decimal("0")),
        ("0.1亿", "／", Decimal("1000"), Decimal("0")),
    ],
)
def test_amounts_with_a_unit_or_a_dash_are_read(
    partnership, aid, local, expected_aid, expected_local
):
    line = list(TEA)
    line[6], line[7] = aid, local

    result = import_file(ProjectResource, file_bytes([PROJECT_HEAD, line], "utf-8"))

    assert result.ok, result.messages
    project = Project.objects.get()
    assert (project.aid_funds, project.local_funds) == (expected_aid, expected_local)


def test_blank_lines_and_a_total_line_are_skipped_and_lines_keep_their_numbers(partnership):
    """A blank line between records and a 合计 line at the end are not records: left out and
    said so; an error on a later line still names its line in the file."""
    total = ["合 计", "", "", "", "", "", "2,234.50", "", "", "", ""]
    bad = list(ROAD)
    bad[1] = "二〇二一"
    rows = [PROJECT_HEAD, TEA, [""] * len(PROJECT_HEAD), bad, total]

    refused = import_file(ProjectResource, file_bytes(rows, "utf-8"))

    assert refused.messages == ["第4行“资金年度”：'二〇二一' 不是有效的年份"]  # line 4 of the file

    good = import_file(
        ProjectResource,
        file_bytes([PROJECT_HEAD, TEA, [""] * len(PROJECT_HEAD), ROAD, total], "utf-8"),
    )

    assert good.ok, good.messages
    assert Project.objects.count() == 2
    assert good.skipped_note == "跳过空行 1 行；第5行是合计行，已跳过（合计由系统计算）。"
