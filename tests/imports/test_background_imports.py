"""Imports in the background (cooperation/imports/jobs.py): a large admin upload becomes a
job, checked by a worker, confirmed by its clerk, then imported all-or-nothing; its errors
by line and column on its page and in a CSV download; nobody else's; chunked imports agree
with whole ones; ANALYZE after bulk loads; the RQ queue."""

import csv
import io

import django_rq
import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rq import SimpleWorker

from cooperation import planner
from cooperation.imports import jobs, running
from cooperation.imports.files import open_table
from cooperation.imports.running import CHUNK_ROWS, run_import
from cooperation.models import ExportAudit, ImportJob, UserArea
from cooperation.roles import DATA_ENTRY
from labor.models import Employment, Worker
from labor.resources import WorkerResource
from tests.conftest import PASSWORD
from tests.imports.conftest import HEAD, LI, LI_0, ZHANG, ZHANG_1, ZHANG_2, csv_bytes, upload

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
GOOD = csv_bytes([HEAD, ZHANG_1, ZHANG_2, LI_0])
NO_ERRORS = {"new": 3, "update": 0, "skip": 0, "invalid": 0, "error": 0}
# What GOOD stores: (ID number, name, phone) of each worker, (ID number, employer, start).
GOOD_WORKERS = [(ZHANG, "张三", "13812345678"), (LI, "李四", "")]
GOOD_SPELLS = [(ZHANG, "常州某机械厂", "2021-04-05"), (ZHANG, "西安某公司", "2022-01-05")]
WORKER_TABLES = [
    "labor_worker",
    "labor_historicalworker",
    "labor_employment",
    "labor_historicalemployment",
    "labor_workeryear",
]


def run_worker():
    """Run every queued task of the database queue, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def start_job(user, data, name, capture):
    """A job of `user` for this file, queued as the admin queues it."""
    with capture(execute=True):
        return jobs.start(user, WorkerResource, SimpleUploadedFile(name, data))


def stored_workers():
    workers = Worker.objects.order_by("id_number").values_list("id_number", "name", "phone")
    spells = Employment.objects.order_by("worker__id_number", "start_date")
    spells = spells.values_list("worker__id_number", "employer", "start_date")
    return list(workers), [(i, e, d.isoformat()) for i, e, d in spells]


def job_urls(job):
    return [
        reverse("cooperation:import_job", args=[job.pk]),
        reverse("cooperation:import_job_errors", args=[job.pk]),
    ]


def redis_up():
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    """The worker runs in the test's transaction, on its connection: its check for stale
    connections would close that one on PostgreSQL (autocommit is off inside a test)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_large_upload_is_checked_then_imported_once_confirmed(
    client, clerk, partnership, settings, media, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 1
    client.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, reverse("admin:labor_worker_import"), GOOD, "w.csv")

    job = ImportJob.objects.get()
    page = reverse("cooperation:import_job", args=[job.pk])
    assert (response.status_code, response.url) == (302, page)
    assert (job.status, job.dry_run, job.user, job.file_name) == (
        Status.QUEUED,
        True,
        clerk,
        "w.csv",
    )
    stored = media / job.file.name
    assert stored.read_bytes() == GOOD
    assert Worker.objects.count() == Employment.objects.count() == 0

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.summary["totals"], job.summary["lines"]) == (
        Status.CHECKED,
        NO_ERRORS,
        3,
    )
    assert job.summary["errors"] == [] and stored.exists()
    assert Worker.objects.count() == Employment.objects.count() == 0
    shown = client.get(page).content.decode()
    assert "检查通过：共 3 行，新增 3 行，修改 0 行，无变化 0 行。尚未写入" in shown
    assert "确认导入" in shown

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page).url == page
    job.refresh_from_db()
    assert (job.status, job.dry_run) == (Status.QUEUED, False)
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.summary["totals"]) == (Status.IMPORTED, NO_ERRORS)
    assert stored_workers() == (GOOD_WORKERS, GOOD_SPELLS)
    assert Worker.objects.get(id_number=ZHANG).created_by == clerk
    assert not stored.exists() and not job.file
    assert "已导入：共 3 行，新增 3 行" in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(page, follow=True)
    run_worker()

    assert "这次导入已确认过，没有再次导入。" in again.content.decode()
    job.refresh_from_db()
    assert job.status == Status.IMPORTED
    assert (Worker.objects.count(), Employment.objects.count()) == (2, 2)


def test_a_file_with_errors_is_refused_and_its_errors_listed_and_downloaded(
    client, clerk, partnership, media, django_capture_on_commit_callbacks
):
    bad_id = [*LI_0[:2], LI[:17] + ("0" if LI[17] != "0" else "1"), *LI_0[3:]]
    bad_wage = [*ZHANG_2[:11], "-100", *ZHANG_2[12:]]
    job = start_job(
        clerk,
        csv_bytes([HEAD, ZHANG_1, bad_id, bad_wage]),
        "w.csv",
        django_capture_on_commit_callbacks,
    )
    stored = media / job.file.name

    run_worker()

    job.refresh_from_db()
    assert job.status == Status.REFUSED and not stored.exists()
    assert Worker.objects.count() == Employment.objects.count() == 0
    client.force_login(clerk)
    page, errors_url = job_urls(job)
    shown = client.get(page).content.decode()
    assert "没有写入任何数据" in shown and "共 2 处错误" in shown
    assert "第3行“身份证号码”：身份证号码校验位错误，请核对。" in shown
    assert "第4行“月工资（元）”：月工资不能为负数。" in shown
    assert "确认导入" not in shown

    response = client.get(errors_url)

    assert response["Content-Disposition"] == 'attachment; filename="import-errors.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["行号", "列", "错误"],
        ["3", "身份证号码", "身份证号码校验位错误，请核对。"],
        ["4", "月工资（元）", "月工资不能为负数。"],
    ]
    audit = ExportAudit.objects.get()
    assert (audit.user, audit.format, audit.rows, audit.personal_data) == (clerk, "csv", 2, True)
    assert audit.list_name == "导入错误：w.csv"


def test_a_job_is_its_clerks_alone(
    client, clerk, partnership, media, django_user_model, django_capture_on_commit_callbacks
):
    job = start_job(clerk, GOOD, "w.csv", django_capture_on_commit_callbacks)
    run_worker()
    other = django_user_model.objects.create_user("clerk2", password=PASSWORD, is_staff=True)
    other.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=other, region=None)
    page, errors_url = job_urls(job)

    client.force_login(other)
    assert client.get(page).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page).status_code == 404
    assert client.get(errors_url).status_code == 404
    assert "w.csv" not in client.get(reverse("cooperation:jobs")).content.decode()
    job.refresh_from_db()
    assert (job.status, job.dry_run) == (Status.CHECKED, True)
    assert not ExportAudit.objects.exists()

    client.logout()
    login = resolve_url(django_settings.LOGIN_URL)
    for response in (client.get(page), client.post(page), client.get(errors_url)):
        assert response.status_code == 302 and response.url.startswith(login + "?next=")
    job.refresh_from_db()
    assert job.status == Status.CHECKED

    client.force_login(clerk)
    assert "w.csv" in client.get(reverse("cooperation:jobs")).content.decode()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "w.csv", "文件是空的：没有表头，也没有数据行。"),
        (b"PK\x03\x04 not a workbook", "w.xlsx", "无法读取 XLSX 文件（BadZipFile）。"),
        (GOOD, "w.xls", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV。"),
        (
            b"1,2\r\n3,4,5\r\n",
            "w.csv",
            "第2行的列数多于表头（表头共2列），请检查是否有多余的逗号。",
        ),
    ],
)
def test_a_file_that_is_no_table_is_refused_with_the_readers_message(
    clerk, partnership, media, data, name, message, django_capture_on_commit_callbacks
):
    job = start_job(clerk, data, name, django_capture_on_commit_callbacks)

    run_worker()

    job.refresh_from_db()
    assert job.status == Status.REFUSED
    [[line, column, text]] = job.summary["errors"]
    assert (line, column) == (None, None) and text.startswith(message)
    assert not job.file and Worker.objects.count() == 0


def chunked_import(rows, chunk_size, progress=None):
    return run_import(
        WorkerResource(user=None, fast=True),
        open_table(csv_bytes([HEAD, *rows]), "w.csv"),
        chunk_size=chunk_size,
        progress=progress,
    )


def test_a_worker_who_reads_differently_in_a_later_chunk_is_refused(partnership):
    new_phone = [*ZHANG_2[:3], "13900000000", *ZHANG_2[4:]]

    result = chunked_import([ZHANG_1, LI_0, new_phone], chunk_size=2)

    assert result.messages == [
        "第4行：与第2行同一身份证号码的人员信息（姓名、户籍、手机号码等）不一致"
    ]
    assert Worker.objects.count() == Employment.objects.count() == 0


def test_a_worker_renamed_in_a_later_chunk_is_refused(partnership):
    renamed = [ZHANG_2[0], "张叁", ZHANG_2[2], "13900000000", *ZHANG_2[4:]]

    result = chunked_import([ZHANG_1, LI_0, renamed], chunk_size=2)

    # Line 2 was in the first chunk: line 4 is compared with it, not with the 张三 that the
    # chunk wrote (in one pass each column that differs would be named).
    assert result.messages == [
        "第4行：与第2行同一身份证号码的人员信息（姓名、户籍、手机号码等）不一致"
    ]
    assert Worker.objects.count() == Employment.objects.count() == 0


def test_a_spell_repeated_in_a_later_chunk_is_refused(partnership):
    result = chunked_import([ZHANG_1, LI_0, ZHANG_1], chunk_size=2)

    assert result.messages == [
        "第4行：与第2行是同一段就业（身份证号码、就业单位、就业开始日期相同），请删除重复行"
    ]
    assert Worker.objects.count() == Employment.objects.count() == 0


@pytest.mark.parametrize("chunk_size, chunks", [(2, [2, 1]), (CHUNK_ROWS, [3])])
def test_chunks_store_what_one_pass_stores(partnership, chunk_size, chunks):
    done = []

    result = chunked_import([ZHANG_1, LI_0, ZHANG_2], chunk_size, progress=done.append)

    assert result.ok, result.messages
    assert (result.totals, result.lines, done) == (NO_ERRORS, 3, chunks)
    assert stored_workers() == (GOOD_WORKERS, GOOD_SPELLS)


@pytest.mark.parametrize(
    "rows, dry_run, analysed",
    [
        ([ZHANG_1, ZHANG_2, LI_0], False, [WORKER_TABLES]),
        ([ZHANG_1, LI_0], False, []),
        ([ZHANG_1, ZHANG_2, LI_0], True, []),
    ],
)
def test_tables_are_analysed_after_a_bulk_load_only(
    partnership, monkeypatch, rows, dry_run, analysed, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(running, "ANALYSE_AFTER_ROWS", 3)
    monkeypatch.setattr(
        running, "analyse", lambda models: calls.append([m._meta.db_table for m in models])
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(
            WorkerResource(), open_table(csv_bytes([HEAD, *rows]), "w.csv"), dry_run=dry_run
        )

    assert result.ok, result.messages
    assert calls == analysed


def test_analyse_runs_on_this_database(db):
    assert planner.analyse([Worker, Worker]) == ["labor_worker"]


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_a_job_runs_on_the_rq_queue(
    clerk, partnership, media, settings, django_capture_on_commit_callbacks
):
    """On the worker `manage.py rqworker default` starts: the site's RQ settings (its job
    class is django-tasks')."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15"}}
    queue = django_rq.get_queue("default")
    queue.empty()

    job = start_job(clerk, GOOD, "w.csv", django_capture_on_commit_callbacks)

    assert queue.count == 1 and not DBTaskResult.objects.exists()
    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    worker.work(burst=True)
    job.refresh_from_db()
    assert job.status == Status.CHECKED
    assert job.summary["totals"] == NO_ERRORS
    assert queue.count == 0 and Worker.objects.count() == 0
