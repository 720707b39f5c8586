"""The admin's import: upload → preview (nothing written) → confirm (all rows, one
transaction); a bad file shows every bad row and offers no confirmation; exports of
workers leave personal columns out for users without the permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from labor.models import Worker
from projects.models import Project
from tests.imports.conftest import (
    CSV_FORMAT,
    LI_0,
    PROJECT_HEAD,
    ROAD,
    TEA,
    XLSX_FORMAT,
    ZHANG,
    ZHANG_1,
    admin_export,
    confirm_import,
    file_bytes,
    upload,
)
from tests.imports.conftest import HEAD as WORKER_HEAD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind, fmt", [("gbk", CSV_FORMAT), ("utf-8-sig", CSV_FORMAT), ("xlsx", XLSX_FORMAT)]
)
def test_preview_writes_nothing_then_confirm_writes_every_row(
    client, clerk, partnership, kind, fmt
):
    client.force_login(clerk)
    url = reverse("admin:projects_project_import")

    preview = upload(
        client,
        url,
        file_bytes([PROJECT_HEAD, TEA, ROAD], kind),
        f"p.{'xlsx' if kind == 'xlsx' else 'csv'}",
        fmt,
    )

    assert preview.status_code == 200
    assert Project.objects.count() == 0
    page = preview.content.decode()
    assert "新增 2 行，修改 0 行，无变化 0 行" in page
    assert "大河镇茶园" in page and "县河镇道路" in page

    done = confirm_import(client, "projects_project", preview)

    assert done.status_code == 200
    assert Project.objects.count() == 2
    assert "导入完成：新增 2 行，修改 0 行，无变化 0 行。" in done.content.decode()
    assert Project.objects.get(name="大河镇茶园").created_by == clerk


def test_preview_of_the_same_file_again_shows_rows_unchanged(client, clerk, partnership):
    client.force_login(clerk)
    url = reverse("admin:projects_project_import")
    data = file_bytes([PROJECT_HEAD, TEA, ROAD], "gbk")
    confirm_import(client, "projects_project", upload(client, url, data, "p.csv"))

    preview = upload(client, url, data, "p.csv")

    assert "新增 0 行，修改 0 行，无变化 2 行" in preview.content.decode()
    assert [row.import_type for row in preview.context["result"].rows] == ["skip", "skip"]


def test_bad_rows_are_listed_by_line_and_column_and_cannot_be_confirmed(client, clerk, partnership):
    client.force_login(clerk)
    bad_year = list(TEA)
    bad_year[1] = "二〇二一"
    bad_amount = list(ROAD)
    bad_amount[6] = "一千"

    preview = upload(
        client,
        reverse("admin:projects_project_import"),
        file_bytes([PROJECT_HEAD, bad_year, bad_amount], "gbk"),
        "p.csv",
    )

    page = preview.content.decode()
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert "文件中有错误，整个文件都不会导入" in page
    assert "第2行“资金年度”：&#x27;二〇二一&#x27; 不是有效的年份" in page
    assert "第3行“协作资金（万元）”：&#x27;一千&#x27; 不是有效的金额" in page
    assert Project.objects.count() == 0


def test_a_row_gone_bad_between_preview_and_confirm_writes_nothing(client, clerk, partnership):
    client.force_login(clerk)
    preview = upload(
        client,
        reverse("admin:projects_project_import"),
        file_bytes([PROJECT_HEAD, TEA, ROAD], "gbk"),
        "p.csv",
    )
    partnership.delete()  # the partnership named in every row disappears meanwhile

    done = confirm_import(client, "projects_project", preview)

    assert "确认导入时发现错误，没有写入任何数据" in done.content.decode()
    assert Project.objects.count() == 0


def test_import_needs_the_add_permission(client, official, partnership):
    client.force_login(official)

    assert client.get(reverse("admin:projects_project_import")).status_code == 403


def test_worker_import_needs_the_personal_data_permission(client, django_user_model, partnership):
    user = django_user_model.objects.create_user("adder", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_worker", "view_worker"])
    )
    client.force_login(user)

    assert client.get(reverse("admin:labor_worker_import")).status_code == 403


def test_clerk_imports_workers_through_the_admin(client, clerk, partnership):
    client.force_login(clerk)
    preview = upload(
        client,
        reverse("admin:labor_worker_import"),
        file_bytes([WORKER_HEAD, ZHANG_1, LI_0], "gbk"),
        "w.csv",
    )
    assert "新增 2 行" in preview.content.decode()

    confirm_import(client, "labor_worker", preview)

    assert Worker.objects.count() == 2
    assert Worker.objects.get(id_number=ZHANG).employments.count() == 1


def test_admin_worker_export_leaves_personal_columns_out_without_permission(
    client, clerk, official, partnership
):
    client.force_login(clerk)
    confirm_import(
        client,
        "labor_worker",
        upload(
            client,
            reverse("admin:labor_worker_import"),
            file_bytes([WORKER_HEAD, ZHANG_1, LI_0], "utf-8"),
            "w.csv",
        ),
    )
    client.force_login(official)

    _fmt, content = admin_export(client, "labor_worker")

    text = content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "户类型" in header and "就业单位" in header
    assert not {"姓名", "身份证号码", "手机号码", "备注"} & set(header)
    assert ZHANG not in text and "张三" not in text


def test_admin_worker_export_keeps_them_with_permission(client, clerk, partnership):
    client.force_login(clerk)
    confirm_import(
        client,
        "labor_worker",
        upload(
            client,
            reverse("admin:labor_worker_import"),
            file_bytes([WORKER_HEAD, ZHANG_1, LI_0], "utf-8"),
            "w.csv",
        ),
    )

    _fmt, content = admin_export(client, "labor_worker")

    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("协作关系,姓名,身份证号码,手机号码")
    assert ZHANG in text


def test_admin_export_imports_back_unchanged(client, clerk, partnership):
    client.force_login(clerk)
    confirm_import(
        client,
        "projects_project",
        upload(
            client,
            reverse("admin:projects_project_import"),
            file_bytes([PROJECT_HEAD, TEA, ROAD], "utf-8"),
            "p.csv",
        ),
    )

    for fmt, name in ((CSV_FORMAT, "e.csv"), (XLSX_FORMAT, "e.xlsx")):
        _f, content = admin_export(client, "projects_project", fmt)
        preview = upload(client, reverse("admin:projects_project_import"), content, name, fmt)
        assert "新增 0 行，修改 0 行，无变化 2 行" in preview.content.decode()


def test_confirming_the_same_preview_twice_says_it_was_imported_already(client, clerk, partnership):
    """The second confirmation (a double click, the back button) finds its temporary file
    gone: a message, not a 500, and nothing written twice."""
    client.force_login(clerk)
    preview = upload(
        client,
        reverse("admin:projects_project_import"),
        file_bytes([PROJECT_HEAD, TEA], "utf-8"),
        "p.csv",
    )
    confirm_import(client, "projects_project", preview)
    assert Project.objects.count() == 1

    again = confirm_import(client, "projects_project", preview)

    assert again.status_code == 200
    assert "这次导入已确认过" in again.content.decode()  # on the list, after a redirect
    assert Project.objects.count() == 1
