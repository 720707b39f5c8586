"""A year both sides confirmed is closed to every write path: the admin (add, change, delete,
bulk delete, inline rows), imports (command, admin, background task) and anything that saves
through the models (services, scripts). The years around it, and other partnerships' same
year, stay open."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from confirmation import closing, state
from cooperation import deletions
from cooperation.freshness import NOT_DATA, partnership_lookup
from cooperation.imports import jobs
from cooperation.imports.files import read_file
from cooperation.imports.running import run_import
from cooperation.models import ImportJob
from cooperation.roles import APPS
from labor.models import Employment
from projects.models import Disbursement, Project
from projects.resources import DisbursementResource, ProjectResource
from tests.conftest import YEAR
from tests.imports.conftest import PROJECT_HEAD, ROAD, TEA, csv_bytes
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.projects.factories import DisbursementFactory, ProjectFactory, ProjectProgressFactory
from tests.security.forms import form_data

pytestmark = pytest.mark.django_db

CLOSED = "2021年度的数据已经东西部双方确认"


@contextlib.contextmanager
def refused(match=CLOSED):
    """The write is refused as one of a closed year, and the test's transaction goes on (the
    refused write's own is rolled back to a savepoint)."""
    with pytest.raises(closing.YearClosed, match=match), transaction.atomic():
        yield


@pytest.fixture
def records(partnership, other_partnership):
    """Before the year is closed: a project of YEAR and one of the next year in P; one of
    YEAR in Q."""
    return {
        "closed": ProjectFactory(partnership=partnership, name="已确认项目"),
        "next": ProjectFactory(partnership=partnership, fund_year=YEAR + 1, name="明年项目"),
        "other": ProjectFactory(partnership=other_partnership, name="汉阴项目"),
    }


# --- through the models (services, scripts, tasks) ---------------------------------------------


def test_a_record_of_the_closed_year_cannot_be_added_changed_or_deleted(records, closed_year):
    with refused():
        ProjectFactory(partnership=records["closed"].partnership)
    project = records["closed"]
    project.aid_funds = Decimal("1")
    with refused(match="审核员在该年度的指标汇总页“重新打开”"):
        project.save()
    with refused():
        Project.objects.get(pk=project.pk).delete()
    assert Project.objects.get(pk=project.pk).aid_funds == Decimal("100")


def test_a_record_cannot_move_into_or_out_of_the_closed_year(records, closed_year):
    moved_in = records["next"]
    moved_in.fund_year = YEAR
    with refused():
        moved_in.save()
    moved_out = Project.objects.get(pk=records["closed"].pk)
    moved_out.fund_year = YEAR + 1
    with refused():
        moved_out.save()


def test_other_years_and_other_partnerships_stay_open(records, closed_year):
    records["next"].aid_funds = Decimal("1")
    records["next"].save()
    records["other"].aid_funds = Decimal("1")
    records["other"].save()  # Q's YEAR: Q's sides confirmed nothing
    ProjectFactory(partnership=records["closed"].partnership, fund_year=YEAR - 1)
    assert Project.objects.count() == 4


def test_a_childs_year_is_its_own_and_its_partnership_its_parents(records, closed_year):
    # a progress note dated in the closed year, of a project of the next year
    with refused():
        ProjectProgressFactory(project=records["next"], date=datetime.date(YEAR, 12, 1))
    ProjectProgressFactory(project=records["next"], date=datetime.date(YEAR + 1, 2, 1))


def test_a_spell_is_dated_by_its_start_and_its_end(partnership, west_reviewer, east_reviewer):
    worker = WorkerFactory(partnership=partnership)
    running = EmploymentFactory(worker=worker, start_date=datetime.date(YEAR - 1, 5, 1))
    in_year = EmploymentFactory(
        worker=WorkerFactory(partnership=partnership), start_date=datetime.date(YEAR, 3, 1)
    )
    state.confirm(west_reviewer, partnership, YEAR)
    state.confirm(east_reviewer, partnership, YEAR)

    with refused():
        EmploymentFactory(worker=worker, start_date=datetime.date(YEAR, 3, 1))
    # a spell across the closed year may end after it, not within it
    running.end_date = datetime.date(YEAR + 1, 1, 31)
    running.save()
    running.end_date = datetime.date(YEAR, 6, 30)
    with refused():
        running.save()
    # a worker whose spell lies in the closed year is not deleted with it; one whose spells
    # lie around it is
    with refused():
        in_year.worker.delete()
    assert Employment.objects.filter(pk=in_year.pk).exists()
    worker.delete()
    assert not Employment.objects.filter(pk=running.pk).exists()


def test_a_disbursement_counts_in_its_projects_fund_year_whenever_it_is_paid(
    records, closed_year, west_clerk
):
    # paid in the next spring, for a project of the closed year: refused
    with refused():
        DisbursementFactory(project=records["closed"], date=datetime.date(YEAR + 1, 3, 1))
    # paid in the closed year for the next year's project: refused too
    with refused():
        DisbursementFactory(project=records["next"], date=datetime.date(YEAR, 12, 1))
    DisbursementFactory(project=records["next"], date=datetime.date(YEAR + 1, 3, 1))
    head = ["协作关系", "资金年度", "项目名称", "拨付日期", "拨付金额（万元）", "拨付凭证号"]
    name = records["closed"].partnership.name
    data = csv_bytes(
        [
            head,
            [name, str(YEAR + 1), "明年项目", f"{YEAR + 1}-04-01", "5", "拨2"],
            [name, str(YEAR), "已确认项目", f"{YEAR + 1}-04-01", "5", "拨3"],
        ],
        "utf-8",
    )

    result = run_import(DisbursementResource(user=west_clerk), read_file(data, "d.csv"))

    assert not result.ok
    assert [m for m in result.messages if CLOSED in m] and all(
        "第3行" in m for m in result.messages if CLOSED in m
    ), result.messages
    assert Disbursement.objects.count() == 1  # nothing of the file written


def test_the_year_reopened_is_open_again(records, closed_year, east_reviewer):
    state.reopen(east_reviewer, records["closed"].partnership, YEAR, "补录")
    ProjectFactory(partnership=records["closed"].partnership)


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_shows_a_closed_record_read_only_and_says_why(
    client, records, closed_year, west_clerk
):
    client.force_login(west_clerk)
    url = reverse("admin:projects_project_change", args=[records["closed"].pk])

    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert CLOSED in text
    assert 'name="_save"' not in text  # no save button: read only
    assert client.post(url, {"name": "改名"}).status_code == 403
    delete = reverse("admin:projects_project_delete", args=[records["closed"].pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Project.objects.get(pk=records["closed"].pk).name == "已确认项目"
    # the next year's project is still open
    open_page = client.get(reverse("admin:projects_project_change", args=[records["next"].pk]))
    assert 'name="_save"' in open_page.content.decode()


def test_the_admin_refuses_to_add_or_move_a_record_into_the_closed_year(
    client, records, closed_year, west_clerk
):
    client.force_login(west_clerk)
    url = reverse("admin:projects_project_change", args=[records["next"].pk])
    data = form_data(client.get(url).content.decode(), form_id="project_form")
    data["fund_year"] = str(YEAR)

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert CLOSED in refused.content.decode()
    assert Project.objects.get(pk=records["next"].pk).fund_year == YEAR + 1

    add = reverse("admin:projects_project_add")
    data = form_data(client.get(add).content.decode(), form_id="project_form")
    data.update(
        partnership=str(records["closed"].partnership_id),
        fund_year=str(YEAR),
        name="新项目",
        category="industry",
        status="planned",
        aid_funds="10",
    )
    refused = client.post(add, data)
    assert refused.status_code == 200
    assert CLOSED in refused.content.decode()
    assert not Project.objects.filter(name="新项目").exists()


def test_a_bulk_delete_with_a_closed_record_deletes_nothing(
    client, records, closed_year, west_clerk
):
    west_clerk.user_permissions.add(Permission.objects.get(codename="delete_project"))
    client.force_login(west_clerk)
    chosen = [records["closed"].pk, records["next"].pk]

    page = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": chosen},
    )
    assert CLOSED in page.content.decode()
    done = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )
    assert done.status_code in (200, 403)
    assert Project.objects.filter(pk__in=chosen).count() == 2


def test_an_inline_spell_in_the_closed_year_is_refused(
    client, partnership, closed_year, west_clerk
):
    worker = WorkerFactory(partnership=partnership)
    client.force_login(west_clerk)
    url = reverse("admin:labor_worker_change", args=[worker.pk])
    data = form_data(client.get(url).content.decode(), form_id="worker_form")
    data.update(
        {
            "employments-TOTAL_FORMS": "1",
            "employments-0-employer": "武进电子厂",
            "employments-0-destination": "320412",
            "employments-0-start_date": f"{YEAR}-03-01",
            "employments-0-monthly_wage": "5000",
            "employments-0-channel": "organised",
        }
    )

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert CLOSED in refused.content.decode()
    assert not Employment.objects.exists()


# --- imports ---------------------------------------------------------------------------------


def test_an_import_row_of_the_closed_year_is_an_error_naming_its_line_and_column(
    partnership, closed_year, west_clerk
):
    # TEA and ROAD are projects of 2021; the second is moved to the next year
    road = [*ROAD]
    road[PROJECT_HEAD.index("资金年度")] = str(YEAR + 1)
    data = csv_bytes([PROJECT_HEAD, TEA, road], "utf-8")

    result = run_import(ProjectResource(user=west_clerk), read_file(data, "p.csv"))

    assert not result.ok
    assert any("第2行" in m and "资金年度" in m and CLOSED in m for m in result.messages), (
        result.messages
    )
    assert not any("第3行" in m for m in result.messages)
    assert not Project.objects.exists()  # nothing half-written


def test_an_import_changing_a_closed_record_is_refused(
    partnership, west_clerk, west_reviewer, east_reviewer
):
    data = csv_bytes([PROJECT_HEAD, TEA], "utf-8")
    assert run_import(ProjectResource(user=west_clerk), read_file(data, "p.csv")).ok
    state.confirm(west_reviewer, partnership, YEAR)
    state.confirm(east_reviewer, partnership, YEAR)
    changed = [*TEA]
    changed[PROJECT_HEAD.index("协作资金（万元）")] = "1"

    result = run_import(
        ProjectResource(user=west_clerk),
        read_file(csv_bytes([PROJECT_HEAD, changed], "utf-8"), "p.csv"),
    )

    assert not result.ok
    assert any(CLOSED in m for m in result.messages), result.messages
    assert Project.objects.get().aid_funds == Decimal("1234.5")


@pytest.fixture
def worker_keeps_the_test_connection(monkeypatch):
    """The worker runs in the test's transaction, on its connection (see
    tests/imports/test_background_imports.py)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def test_a_background_import_of_the_closed_year_is_refused(
    partnership,
    closed_year,
    west_clerk,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    worker_keeps_the_test_connection,
):
    settings.MEDIA_ROOT = tmp_path
    data = csv_bytes([PROJECT_HEAD, TEA], "utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(west_clerk, ProjectResource, SimpleUploadedFile("p.csv", data))

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED, job.summary
    (line, column, text) = job.summary["errors"][0]
    assert (line, column) == (2, "资金年度") and CLOSED in text
    assert not Project.objects.exists()


def test_a_deleted_record_of_the_closed_year_is_not_restored(
    partnership, west_reviewer, east_reviewer, as_user
):
    project = ProjectFactory(partnership=partnership)
    with as_user(west_reviewer):
        project.delete()
    state.confirm(west_reviewer, partnership, YEAR)
    state.confirm(east_reviewer, partnership, YEAR)
    record = Project.history.filter(history_type="-").get()

    with pytest.raises(deletions.RestoreRefused, match=CLOSED):
        deletions.restore(record, west_reviewer)
    assert not Project.objects.exists()


def test_every_record_of_a_partnership_is_dated_or_said_to_be_undated():
    """A new kind of record cannot be forgotten by the closed-year rule: every model of the
    record apps that belongs to a partnership is in closing.DATED or closing.UNDATED (and
    derived or bookkeeping rows are not records)."""
    records = {
        m._meta.label_lower
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
        and partnership_lookup(m) is not None
        and m._meta.label_lower not in NOT_DATA
    }
    assert records == set(closing.DATED) | closing.UNDATED
