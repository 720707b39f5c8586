"""manage.py import_records MODEL FILE [--dry-run]: same validation, all-or-nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projects.models import Project
from tests.imports.conftest import PROJECT_HEAD, ROAD, TEA, file_bytes

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, kind="gbk", name="projects.csv"):
    path = tmp_path / name
    path.write_bytes(file_bytes(rows, kind))
    return str(path)


def run(*args):
    out = StringIO()
    call_command("import_records", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_command_imports_a_small_file(partnership, tmp_path):
    output = run("projects.project", write(tmp_path, [PROJECT_HEAD, TEA, ROAD]))

    assert Project.objects.count() == 2
    assert "2 行，新增 2，修改 0，无变化 0" in output


def test_command_takes_xlsx_and_the_chinese_model_name(partnership, tmp_path):
    run("协作资金项目", write(tmp_path, [PROJECT_HEAD, TEA], "xlsx", "p.xlsx"))

    assert Project.objects.get().name == "大河镇茶园"


def test_dry_run_writes_nothing(partnership, tmp_path):
    output = run("projects.project", write(tmp_path, [PROJECT_HEAD, TEA, ROAD]), "--dry-run")

    assert Project.objects.count() == 0
    assert "新增 2" in output and "试运行：没有写入任何数据" in output


def test_second_run_reports_rows_unchanged(partnership, tmp_path):
    path = write(tmp_path, [PROJECT_HEAD, TEA, ROAD])
    run("projects.project", path)

    assert "新增 0，修改 0，无变化 2" in run("projects.project", path)


def test_a_bad_row_aborts_the_whole_file_with_its_row_and_column(partnership, tmp_path):
    bad = list(ROAD)
    bad[1] = "二〇二一"

    with pytest.raises(CommandError) as exc:
        run("projects.project", write(tmp_path, [PROJECT_HEAD, TEA, bad]))

    assert "导入失败，没有写入任何数据。共 1 处错误" in str(exc.value)
    assert "第3行“资金年度”：'二〇二一' 不是有效的年份" in str(exc.value)
    assert Project.objects.count() == 0


def test_unknown_model_lists_the_choices(tmp_path):
    with pytest.raises(CommandError, match="未知的模型“books”。可选：.*labor.worker"):
        run("books", write(tmp_path, [PROJECT_HEAD]))


def test_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="找不到文件：/nope.csv"):
        run("projects.project", "/nope.csv")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b",,,\r\n"])
def test_an_empty_file_says_it_is_empty(partnership, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError) as refused:
        run("projects.project", str(path))

    assert "文件是空的：没有表头，也没有数据行。" in str(refused.value)
    assert Project.objects.count() == 0
