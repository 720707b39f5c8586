"""A large file imported in the background, in a real browser: the clerk uploads it in the
admin, lands on its page (queued), the worker checks it, the page shows the counts and the
confirmation button, the worker imports it, and the page says it is imported."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from cooperation.models import ImportJob, UserArea
from cooperation.roles import DATA_ENTRY
from projects.models import Project
from projects.resources import ProjectResource
from tests.conftest import PASSWORD
from tests.cooperation.factories import PartnershipFactory

NAMES = ["后台导入茶园", "后台导入道路", "后台导入学校"]


@pytest.fixture
def clerk(site):
    user = get_user_model().objects.create_user("xiaoli", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=user, region_id="610902")  # 汉滨区
    return user


def projects_csv(partnership):
    """Three projects with the headers an export writes."""
    fields = ProjectResource().get_export_fields()
    lines = [",".join(str(f.column_name) for f in fields)]
    for name in NAMES:
        values = {
            "partnership": str(partnership),
            "fund_year": "2021",
            "name": name,
            "category": Project.Category.choices[0][0],
            "status": Project.Status.choices[0][0],
        }
        lines.append(",".join(values.get(f.attribute, "") for f in fields))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_large_file_is_checked_confirmed_and_imported_in_the_background(
    browser_page, site, clerk, settings, tmp_path
):
    settings.IMPORT_BACKGROUND_BYTES = 1  # every file counts as large
    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory()
    page, base = browser_page, site.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "xiaoli")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/admin/projects/project/import/")
    page.locator("#id_import_file").set_input_files(
        {"name": "大文件.csv", "mimeType": "text/csv", "buffer": projects_csv(partnership)}
    )
    page.locator('form input[type="submit"]').first.click()
    page.wait_for_url(f"{base}/imports/**")
    assert "排队中" in page.locator(".job-status").inner_text()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1  # it reloads itself

    run_worker()  # the check
    page.reload()
    assert "检查通过" in page.locator(".import-totals").inner_text()
    assert "新增 3 行" in page.locator(".import-totals").inner_text()
    assert Project.objects.filter(name__in=NAMES).count() == 0  # nothing written yet

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(f"{base}/imports/**")
    run_worker()  # the import
    page.reload()
    assert "已导入" in page.locator(".import-totals").inner_text()
    assert Project.objects.filter(name__in=NAMES, partnership=partnership).count() == 3
    job = ImportJob.objects.get(user=clerk)
    assert job.status == ImportJob.Status.IMPORTED and not job.file

    page.goto(f"{base}/jobs/")
    assert "大文件.csv" in page.locator("table.list").first.inner_text()  # the imports
    assert page.csp_violations == []
