"""An amount in a 万元 column that was probably typed in 元 (125000) is imported, but the
preview and the command ask the clerk to check it, naming the line and the column."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cooperation.imports.cells import doubt_about_wan
from projects.models import Project
from tests.imports.conftest import CSV_FORMAT, PROJECT_HEAD, ROAD, TEA, csv_bytes

AID = PROJECT_HEAD.index("协作资金（万元）")
IN_YUAN = [*TEA[:AID], "125000", *TEA[AID + 1 :]]


@pytest.mark.parametrize(
    ("cell", "number", "asks"),
    [
        ("125000", Decimal("125000"), True),
        (125000, Decimal("125000"), True),  # an Excel number
        ("9999.99", Decimal("9999.99"), False),
        ("12.5亿", Decimal("125000"), False),  # the cell names its unit: meant
        ("125000万元", Decimal("125000"), False),
        ("", None, False),
    ],
)
def test_which_amounts_are_questioned(cell, number, asks):
    assert (doubt_about_wan(cell, number) is not None) is asks


def test_the_question_says_what_the_amount_would_be_in_yuan():
    assert doubt_about_wan("125000", Decimal("125000")) == (
        "125000 万元即 12.5 亿元，金额是否按“元”填写了？按元应为 12.5 万元，请核对"
    )


@pytest.mark.django_db
def test_the_preview_asks_about_it_and_the_import_still_goes_through(client, clerk, partnership):
    client.force_login(clerk)
    preview = client.post(
        reverse("admin:projects_project_import"),
        {
            "import_file": SimpleUploadedFile("p.csv", csv_bytes([PROJECT_HEAD, IN_YUAN, ROAD])),
            "format": CSV_FORMAT,
            "resource": "0",
        },
    )
    page = preview.content.decode()
    assert "请核对这些数值" in page
    assert "第2行“协作资金（万元）”：125000 万元即 12.5 亿元" in page
    assert "第3行" not in page.split("请核对这些数值")[1].split("</ul>")[0]  # ROAD is fine


@pytest.mark.django_db
def test_the_command_asks_about_it_naming_the_file_line(partnership, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([["2021年项目台账"], PROJECT_HEAD, IN_YUAN]))
    out = io.StringIO()
    call_command("import_records", "projects.project", str(path), stdout=out)
    assert "请核对：第3行“协作资金（万元）”：125000 万元即 12.5 亿元" in out.getvalue()
    assert Project.objects.get(name="大河镇茶园").aid_funds == Decimal("125000")
