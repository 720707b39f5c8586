"""Who may see what: worker pages, their exports and the worker's admin history need
`labor.view_personal_data`; every admin page needs a signed-in staff member; personal data
never reaches a public page or export; every export of personal data leaves an audit entry
(who, when, which filter, how many rows)."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import ExportAudit
from labor.models import Worker
from tests.conftest import PASSWORD, admin_registry
from tests.dashboard.helpers import body, xlsx_text
from tests.imports.conftest import CSV_FORMAT
from tests.labor.factories import EmploymentFactory, WorkerFactory

from .forms import form_data
from .fuzzing import enumerable_paths, site_routes

pytestmark = pytest.mark.django_db

WORKER_PAGES = [
    reverse("labor:workers"),
    reverse("labor:employments"),
    reverse("labor:workers_export", kwargs={"fmt": "csv"}),
    reverse("labor:workers_export", kwargs={"fmt": "xlsx"}),
    reverse("labor:employments_export", kwargs={"fmt": "csv"}),
    reverse("labor:employments_export", kwargs={"fmt": "xlsx"}),
]


@pytest.fixture
def worker(partnership):
    return EmploymentFactory(
        worker=WorkerFactory(partnership=partnership, name="隐私甲", phone="13712345678")
    ).worker


@pytest.mark.parametrize("url", WORKER_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, worker, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", WORKER_PAGES)
def test_officials_without_the_permission_get_403(client, official, worker, url):
    assert not official.has_perm("labor.view_personal_data")
    client.force_login(official)
    response = client.get(url)
    assert response.status_code == 403
    assert worker.name.encode() not in response.content


@pytest.mark.parametrize("url", WORKER_PAGES[:2])
def test_staff_with_the_permission_see_the_worker_pages(client, clerk, worker, url):
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert worker.name in response.content.decode()


def test_officials_get_403_on_a_workers_admin_history(client, official, worker):
    client.force_login(official)
    response = client.get(reverse("admin:labor_worker_history", args=[worker.pk]))
    assert response.status_code == 403


def test_officials_see_workers_in_the_admin_only_masked(client, official, worker):
    client.force_login(official)
    for url in (
        reverse("admin:labor_worker_changelist"),
        reverse("admin:labor_worker_change", args=[worker.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403)
        page = response.content.decode()
        assert worker.name not in page
        assert worker.id_number not in page and worker.phone not in page


def test_officials_cannot_search_workers_by_id_number(client, official, worker):
    client.force_login(official)
    response = client.get(reverse("admin:labor_worker_changelist"), {"q": worker.id_number})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0  # finding a person is personal data
    assert "查看个人信息" in response.content.decode()  # and the page says why


def _admin_urls(obj_by_model):
    """Every page the admin serves for each registered model."""
    for model in admin_registry():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"admin:{info}_changelist")
        yield reverse(f"admin:{info}_add")
        obj = obj_by_model.get(model)
        if obj is not None:
            for view in ("change", "history", "delete"):
                yield reverse(f"admin:{info}_{view}", args=[obj.pk])


def test_every_admin_page_needs_a_signed_in_staff_member(client, worker, django_user_model):
    not_staff = django_user_model.objects.create_user("visitor", password=PASSWORD)
    visitor = Client()
    visitor.force_login(not_staff)
    urls = list(_admin_urls({Worker: worker}))
    assert len(urls) > 40
    login = reverse("admin:login")
    for url in urls:
        for who in (client, visitor):
            response = who.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url


def test_personal_data_never_reaches_a_public_page_or_export(client, worker):
    """Anonymously, every page of the site (lists, exports, dashboard, summary) either
    refuses or shows no name, ID number or phone of a worker."""
    secrets = [worker.name, worker.id_number, worker.phone, worker.id_number[-4:] + "\n"]
    checked = 0
    for route in site_routes():
        for path in enumerable_paths(route) or ():
            response = client.get(path)
            content = body(response)
            if response.status_code != 200:
                assert response.status_code in (302, 403), path
                continue
            checked += 1
            if path.endswith(".xlsx"):
                content = xlsx_text(content).encode()
            for secret in secrets:
                assert secret.encode() not in content, (path, secret)
    assert checked >= 10


# Audit of personal-data exports.


@pytest.fixture
def three_workers(partnership):
    # Two poverty-exited households and one ordinary: a filter on 脱贫户 lists 2 rows.
    WorkerFactory(partnership=partnership, household=Worker.Household.POVERTY_EXITED)
    WorkerFactory(partnership=partnership, household=Worker.Household.POVERTY_EXITED)
    WorkerFactory(partnership=partnership, household=Worker.Household.ORDINARY)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_personal_data_writes_who_which_filter_and_how_many_rows(
    client, clerk, three_workers, fmt
):
    client.force_login(clerk)
    url = reverse("labor:workers_export", kwargs={"fmt": fmt})
    response = client.get(url, {"household": Worker.Household.POVERTY_EXITED})
    assert response.status_code == 200
    body(response)

    audit = ExportAudit.objects.get()
    assert audit.user == clerk and audit.username == "clerk"
    assert audit.list_name == "labor:workers"
    assert f"household={Worker.Household.POVERTY_EXITED}" in audit.query_string
    assert audit.rows == 2  # 2 of the 3 workers are 脱贫户
    assert audit.format == fmt
    assert audit.personal_data is True
    assert audit.created_at is not None


def test_an_export_with_full_id_numbers_is_audited_with_that_request(client, clerk, three_workers):
    client.force_login(clerk)
    body(client.get(reverse("labor:workers_export", kwargs={"fmt": "xlsx"}), {"full": "1"}))
    audit = ExportAudit.objects.get()
    assert "full=1" in audit.query_string
    assert audit.rows == 3


def test_a_refused_export_writes_no_audit_entry_and_no_rows(client, official, three_workers):
    client.force_login(official)
    response = client.get(reverse("labor:workers_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 403
    assert not ExportAudit.objects.exists()


def test_an_anonymous_export_of_a_public_list_needs_no_audit(client, partnership):
    response = client.get(reverse("labor:factories_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    assert not ExportAudit.objects.exists()


def _admin_export(client, url):
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), having="format")
    data.pop("select-all-toggle", None)
    data["format"] = [CSV_FORMAT]
    return client.post(url, data)


def test_an_admin_export_of_workers_is_audited(client, clerk, three_workers):
    client.force_login(clerk)
    response = _admin_export(client, reverse("admin:labor_worker_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    audit = ExportAudit.objects.get()
    assert audit.user == clerk and audit.personal_data is True
    assert audit.rows == 3


def test_an_admin_export_of_workers_by_an_official_holds_no_personal_data(
    client, official, three_workers
):
    client.force_login(official)
    response = client.get(reverse("admin:labor_worker_export"))
    assert response.status_code == 200  # officials may export, without the personal columns
    exported = _admin_export(client, reverse("admin:labor_worker_export"))
    text = exported.content.decode("utf-8-sig")
    for worker in Worker.objects.all():
        assert worker.name not in text and worker.id_number not in text
