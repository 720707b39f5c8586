"""Large XLSX exports are written in the background for their user: the export link leads to
the job's page, a worker writes the file with the list's own export (filters, area, masks,
audit), and only that user may download it."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cooperation.models import ExportAudit, ExportJob
from labor.models import Worker
from tests.labor.factories import WorkerFactory
from tests.projects.factories import ProjectFactory

PROJECTS_XLSX = reverse("projects:projects_export", kwargs={"fmt": "xlsx"})
PROJECTS_CSV = reverse("projects:projects_export", kwargs={"fmt": "csv"})
WORKERS_XLSX = reverse("labor:workers_export", kwargs={"fmt": "xlsx"})


@pytest.fixture
def large(settings, tmp_path):
    """Three rows count as a large export; files go to a temporary MEDIA_ROOT."""
    settings.EXPORT_BACKGROUND_ROWS = 3
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    """The worker runs in the test's transaction, on its connection: its check for stale
    connections would close that one on PostgreSQL (autocommit is off inside a test)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def sheet_rows(content):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_a_large_xlsx_export_is_written_in_the_background_for_its_user(
    large, staff_client, official, partnership
):
    for name in ("甲项目", "乙项目", "丙项目"):
        ProjectFactory(partnership=partnership, name=name)
    response = staff_client.get(PROJECTS_XLSX, {"year": "2021"})
    job = ExportJob.objects.get(user=official)
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:export_job", args=[job.pk])
    assert (job.status, job.rows, job.path) == (
        ExportJob.Status.QUEUED,
        3,
        f"{PROJECTS_XLSX}?year=2021",
    )
    assert not ExportAudit.objects.exists()  # written when the export runs
    page = staff_client.get(reverse("cooperation:export_job", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content

    run_worker()

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file_name.endswith(".xlsx")
    page = staff_client.get(reverse("cooperation:export_job", args=[job.pk]))
    assert b'http-equiv="refresh"' not in page.content
    download = staff_client.get(reverse("cooperation:export_job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(b"".join(download.streaming_content))
    names = {row[2] for row in rows[1:-1]}  # the header, three projects, the totals row
    assert {"甲项目", "乙项目", "丙项目"} <= {str(v) for row in rows for v in row if v}
    assert len(rows) == 5, names
    audit = ExportAudit.objects.get()
    assert (audit.user, audit.list_name, audit.format, audit.rows) == (
        official,
        "projects:projects",
        "xlsx",
        3,
    )
    assert audit.query_string == "year=2021"


def test_small_exports_csv_and_anonymous_exports_are_answered_at_once(
    large, client, staff_client, partnership
):
    ProjectFactory.create_batch(2, partnership=partnership)
    assert staff_client.get(PROJECTS_XLSX).status_code == 200  # two rows: small
    ProjectFactory(partnership=partnership)
    csv = staff_client.get(PROJECTS_CSV)  # CSV streams whatever its size
    assert csv.status_code == 200 and csv.streaming
    client.logout()
    anonymous = client.get(PROJECTS_XLSX)  # no one to keep a job for
    assert anonymous.status_code == 200
    assert not ExportJob.objects.exists()


def test_another_user_finds_neither_the_page_nor_the_file(
    large, staff_client, official, django_user_model, client, partnership
):
    ProjectFactory.create_batch(3, partnership=partnership)
    staff_client.get(PROJECTS_XLSX)
    run_worker()
    job = ExportJob.objects.get()
    other = django_user_model.objects.create_user("other", is_staff=True)
    client.force_login(other)
    assert client.get(reverse("cooperation:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("cooperation:export_job_file", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("cooperation:export_job_file", args=[job.pk])).status_code == 302


def test_a_personal_list_is_exported_masked_and_only_with_the_permission(
    large, staff_client, official, client, partnership, django_user_model
):
    WorkerFactory.create_batch(3, partnership=partnership)
    numbers = set(Worker.objects.values_list("id_number", flat=True))
    staff_client.get(WORKERS_XLSX)
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    download = staff_client.get(reverse("cooperation:export_job_file", args=[job.pk]))
    cells = {str(v) for row in sheet_rows(b"".join(download.streaming_content)) for v in row}
    assert not numbers & cells  # ID numbers masked, as in the browser's export
    assert ExportAudit.objects.get().personal_data

    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(nobody)
    refused = client.get(WORKERS_XLSX)
    assert refused.status_code in (302, 403)
    assert ExportJob.objects.count() == 1  # no job for a refused export


def test_a_job_long_unfinished_says_its_worker_may_have_stopped(
    large, staff_client, official, partnership, settings
):
    ProjectFactory.create_batch(3, partnership=partnership)
    staff_client.get(PROJECTS_XLSX)  # queued, and no worker runs it
    job = ExportJob.objects.get()
    page = reverse("cooperation:export_job", args=[job.pk])
    assert "后台进程可能已中断" not in staff_client.get(page).content.decode()

    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(hours=settings.BACKGROUND_JOB_STALLED_HOURS, minutes=1)
    )
    html = staff_client.get(page).content.decode()
    assert "后台进程可能已中断" in html
    assert 'http-equiv="refresh"' not in html  # no point reloading for ever
