"""Admin exports (django-import-export through cooperation/imports/admin.py): every one is
written to 导出记录, and an XLSX never carries a cell a spreadsheet would run."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cooperation.models import ExportAudit
from tests.imports.conftest import CSV_FORMAT, XLSX_FORMAT, admin_export
from tests.labor.factories import WorkerFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_xlsx_export_neutralises_formula_cells_as_the_csv_does(client, clerk, partnership):
    ProjectFactory(partnership=partnership, name='=HYPERLINK("http://x","点我")')
    client.force_login(clerk)
    _fmt, content = admin_export(client, "projects_project", XLSX_FORMAT)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x","点我")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_an_export_of_a_record_without_personal_data_is_audited(client, clerk, partnership):
    ProjectFactory.create_batch(3, partnership=partnership)
    client.force_login(clerk)
    admin_export(client, "projects_project", CSV_FORMAT)
    audit = ExportAudit.objects.get()
    assert (audit.username, audit.list_name, audit.rows) == ("clerk", "admin:projects.project", 3)
    assert audit.personal_data is False


def test_a_masked_worker_export_by_an_official_is_audited_too(client, official, partnership):
    WorkerFactory.create_batch(2, partnership=partnership)
    client.force_login(official)
    admin_export(client, "labor_worker", CSV_FORMAT)
    audit = ExportAudit.objects.get()
    assert (audit.username, audit.rows, audit.personal_data) == ("official", 2, False)


def test_a_worker_export_with_personal_data_says_so(client, clerk, partnership):
    WorkerFactory.create_batch(2, partnership=partnership)
    client.force_login(clerk)
    admin_export(client, "labor_worker", CSV_FORMAT)
    assert ExportAudit.objects.get().personal_data is True


@pytest.mark.parametrize(
    "path",
    [
        "admin:labor_worker_history|abc",
        "admin:labor_worker_history|99999999999999999999999",
        "admin:simple_history|abc|1",
        "admin:simple_history|1|abc",
        "admin:simple_history|1|99999999999999999999999",
    ],
)
def test_history_urls_with_impossible_keys_are_404(path, client, reviewer, partnership):
    WorkerFactory(partnership=partnership)
    client.force_login(reviewer)
    name, *args = path.split("|")
    if name == "admin:simple_history":
        url = reverse("admin:labor_worker_changelist") + f"{args[0]}/history/{args[1]}/"
    else:
        url = reverse(name, args=args)
    assert client.get(url).status_code == 404
