"""The dashboard is cached under the data version, and is never stale: after a write through
the admin, a service or an import, the next dashboard shows the new figure."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import freshness
from cooperation.models import DataVersion
from labor.models import Employment, WorkerYear
from labor.services import rebuild_worker_years
from tests.conftest import NO_EVIDENCE, YEAR
from tests.imports.conftest import PROJECT_HEAD, ROAD, TEA, file_bytes
from tests.labor.factories import WorkerFactory
from tests.places import LAOCHENG
from tests.projects.factories import ProjectFactory, second_partnership

pytestmark = pytest.mark.usefixtures("empty_cache")


def card(html, label):
    """The figure shown on the card titled `label`, as text."""
    match = re.search(
        rf'<h3 class="card-title">{re.escape(label)}</h3>\s*<p class="card-figure">(?:<a [^>]*>)?([^<]+)',
        html,
    )
    assert match, f"no card {label!r}"
    return match.group(1).strip()


def dashboard(client, partnership):
    response = client.get(
        reverse("cooperation:dashboard"), {"partnership": partnership.pk, "year": YEAR}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_dashboard_is_served_from_the_cache_with_one_query(client, partnership):
    ProjectFactory(partnership=partnership, fund_year=YEAR)
    first = dashboard(client, partnership)
    with CaptureQueriesContext(connection) as queries:
        again = dashboard(client, partnership)
    # The one query reads the data version.
    assert len(queries) == 1 and "cooperation_dataversion" in queries[0]["sql"]
    assert card(again, "协作资金项目") == card(first, "协作资金项目") == "1"


def test_a_project_added_in_the_admin_shows_on_the_next_dashboard(
    client, admin_client, partnership
):
    ProjectFactory(partnership=partnership, fund_year=YEAR, aid_funds=Decimal("100"))
    assert card(dashboard(client, partnership), "协作资金项目") == "1"
    data = {
        "partnership": partnership.pk,
        "fund_year": str(YEAR),
        "name": "新社区工厂建设",
        "category": "factory",
        "status": "building",
        "town": LAOCHENG,
        "village": "",
        "place_text": "",
        "aid_funds": "300",
        "local_funds": "0",
        "other_funds": "0",
        "implementing_org": "",
        "beneficiaries": "120",
        "beneficiaries_poverty_exited": "45",
        "start_date": "",
        "end_date": "",
        "description": "",
        "progress_notes-TOTAL_FORMS": "0",
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
        **NO_EVIDENCE,
        "disbursements-TOTAL_FORMS": "0",
        "disbursements-INITIAL_FORMS": "0",
        "disbursements-MIN_NUM_FORMS": "0",
        "disbursements-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    html = dashboard(client, partnership)
    # 1 project of 100 万元 + the new one of 300 万元 = 2 projects, 400 万元.
    assert card(html, "协作资金项目") == "2"
    assert card(html, "东西部协作财政援助资金").startswith("400")


def test_a_project_deleted_in_the_admin_disappears_from_the_next_dashboard(
    client, admin_client, partnership
):
    project = ProjectFactory(partnership=partnership, fund_year=YEAR)
    ProjectFactory(partnership=partnership, fund_year=YEAR)
    assert card(dashboard(client, partnership), "协作资金项目") == "2"
    response = admin_client.post(
        reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert card(dashboard(client, partnership), "协作资金项目") == "1"


def test_a_bulk_write_rebuilt_by_the_labour_service_shows_on_the_next_dashboard(
    client, partnership
):
    worker = WorkerFactory(partnership=partnership)
    assert card(dashboard(client, partnership), "农村劳动力转移就业人数") == "0"
    # bulk_create sends no signal: the service that rebuilds the derived rows bumps.
    Employment.objects.bulk_create(
        [
            Employment(
                worker=worker,
                employer="武进电子厂",
                destination_id="320412",
                start_date=datetime.date(YEAR, 3, 1),
                channel="organised",
            )
        ]
    )
    rebuild_worker_years([worker.pk])
    assert WorkerYear.objects.filter(worker=worker, year=YEAR, transferred=True).exists()
    assert card(dashboard(client, partnership), "农村劳动力转移就业人数") == "1"


def test_a_dashboard_read_inside_a_writing_transaction_does_not_hide_later_writes(
    client, partnership
):
    """A transaction writes, a dashboard is cached under its token, then it writes again:
    the second write must change the token once more."""
    with transaction.atomic():
        ProjectFactory(partnership=partnership, fund_year=YEAR)
        assert card(dashboard(client, partnership), "协作资金项目") == "1"
        ProjectFactory(partnership=partnership, fund_year=YEAR)
        assert card(dashboard(client, partnership), "协作资金项目") == "2"


# --- the version token itself ----------------------------------------------------------------


def test_a_save_changes_the_token(partnership):
    before = freshness.data_version()
    ProjectFactory(partnership=partnership)
    assert freshness.data_version() != before


def test_every_save_bumps_its_partnerships_row_and_no_other(partnership):
    """No "bumped already" mark per transaction (it could not follow a rolled-back
    savepoint): each save bumps, one upsert of its partnership's row."""
    ProjectFactory(partnership=partnership)
    counters = dict(DataVersion.objects.values_list("partnership_id", "counter"))
    with transaction.atomic():
        ProjectFactory.create_batch(20, partnership=partnership)
    after = dict(DataVersion.objects.values_list("partnership_id", "counter"))
    assert after == {**counters, partnership.pk: counters[partnership.pk] + 20}


def test_a_rolled_back_savepoint_takes_its_bump_with_it_and_the_next_write_bumps(partnership):
    before = freshness.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        ProjectFactory(partnership=partnership)
        raise RuntimeError("rolled back")
    assert freshness.data_version() == before
    with transaction.atomic():
        ProjectFactory(partnership=partnership)
    assert freshness.data_version() != before


def test_derived_rows_keep_their_fast_bulk_delete():
    """A post_delete receiver on WorkerYear would make every rebuild delete row by row."""

    assert not post_delete.has_listeners(WorkerYear)


def test_a_cached_page_gets_the_visitors_own_csrf_token(client, partnership):
    """The language form posts with a CSRF token: a cached page must not carry another
    visitor's token."""

    ProjectFactory(partnership=partnership, fund_year=YEAR)
    first = dashboard(client, partnership)
    other = Client()
    second = dashboard(other, partnership)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first) and token.search(second)
    assert token.search(first).group(1) != token.search(second).group(1)
    assert "\x00" not in second


def test_a_new_partnership_appears_in_the_filter_choices_at_once(client, partnership):
    """A partnership added is offered in the lists' filter at once."""

    url = reverse("projects:projects")
    first = client.get(url).content.decode()
    assert f'<option value="{partnership.pk}">' in first
    other = second_partnership()
    html = client.get(url).content.decode()
    assert f'<option value="{other.pk}">{other.name}</option>' in html


def test_the_chosen_partnership_stays_selected(client, partnership):
    html = client.get(
        reverse("projects:projects"), {"partnership": partnership.pk}
    ).content.decode()
    assert f'<option value="{partnership.pk}" selected>' in html


def test_projects_imported_by_the_command_show_on_the_next_dashboard(client, partnership, tmp_path):
    ProjectFactory(partnership=partnership, fund_year=YEAR)
    assert card(dashboard(client, partnership), "协作资金项目") == "1"
    path = tmp_path / "projects.csv"
    path.write_bytes(file_bytes([PROJECT_HEAD, TEA, ROAD], "gbk"))
    call_command(
        "import_records", "projects.project", str(path), "--no-progress", stdout=StringIO()
    )
    # 1 project before + 2 imported (大河镇茶园, 县河镇道路), both of 2021 = 3.
    assert card(dashboard(client, partnership), "协作资金项目") == "3"
