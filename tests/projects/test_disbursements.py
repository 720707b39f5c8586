"""Disbursements (资金拨付) of a project: entered on the project's page or their own, kept
within the project's aid funds, and reached only within the user's areas."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.models import Disbursement, disbursement_excess
from tests.conftest import NO_EVIDENCE
from tests.projects.factories import DisbursementFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def project_form(project, rows, initial=0):
    """The project's change form as the page posts it, with these disbursement rows
    (dicts of id/date/amount/voucher; the first `initial` are stored ones)."""
    data = {
        "partnership": project.partnership_id,
        "fund_year": project.fund_year,
        "name": project.name,
        "category": project.category,
        "status": project.status,
        "town": project.town_id,
        "village": "",
        "place_text": "",
        "aid_funds": str(project.aid_funds),
        "local_funds": "0",
        "other_funds": "0",
        "implementing_org": "",
        "beneficiaries": "10",
        "beneficiaries_poverty_exited": "4",
        "start_date": "",
        "end_date": "",
        "description": "",
        "_loaded_version": project.version,
        **NO_EVIDENCE,
        "progress_notes-TOTAL_FORMS": "0",
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
        "disbursements-TOTAL_FORMS": str(len(rows)),
        "disbursements-INITIAL_FORMS": str(initial),
        "disbursements-MIN_NUM_FORMS": "0",
        "disbursements-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"disbursements-{i}-{k}": v for k, v in row.items()})
        data.setdefault(f"disbursements-{i}-project", project.pk)
        data.setdefault(f"disbursements-{i}-note", "")
    return data


def change_project(client, project, rows, initial=0):
    return client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        project_form(project, rows, initial),
    )


def test_the_sum_is_checked_with_the_stored_disbursements(partnership):
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    DisbursementFactory(project=project, amount=D("60"))
    # 60 stored + 40 = 100: within; 60 + 40.0001 = 100.0001: over by one yuan
    assert disbursement_excess(project, D("40")) is None
    error = disbursement_excess(project, D("40.0001"))
    assert error.messages == ["拨付合计（100.0001 万元）超过项目的协作资金（100.00 万元）。"]


def test_a_disbursement_changed_replaces_its_stored_amount(partnership):
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    paid = DisbursementFactory(project=project, amount=D("60"))
    # 60 → 100: the stored 60 is left out, 100 ≤ 100
    assert disbursement_excess(project, D("100"), [paid.pk]) is None
    assert disbursement_excess(project, D("100")) is not None  # 60 + 100 = 160


def test_a_clerk_adds_disbursements_on_the_project_page(client, clerk, partnership):
    client.force_login(clerk)
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    rows = [
        {"date": "2021年5月1日", "amount": "60", "voucher": "拨1"},
        {"date": "2021年9月1日", "amount": "40", "voucher": "拨2"},
    ]
    response = change_project(client, project, rows)
    assert response.status_code == 302, response.content.decode()[-3000:]
    stored = project.disbursements.order_by("date")
    assert [d.amount for d in stored] == [D("60"), D("40")]
    assert stored[0].created_by == clerk and stored[0].history.count() == 1


def test_the_project_page_refuses_disbursements_over_the_aid_funds(admin_client, partnership):
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    DisbursementFactory(project=ProjectFactory(partnership=partnership), amount=D("99"))  # other
    rows = [
        {"date": "2021-05-01", "amount": "60", "voucher": "拨1"},
        {"date": "2021-09-01", "amount": "40.5", "voucher": "拨2"},
    ]
    response = change_project(admin_client, project, rows)
    assert response.status_code == 200
    # 60 + 40.5 = 100.5 > 100 (the other project's 99 is not this project's)
    assert "拨付合计（100.50 万元）超过项目的协作资金（100.00 万元）。" in response.content.decode()
    assert not project.disbursements.exists()


def test_rows_changed_together_are_checked_together(admin_client, partnership):
    """60 and 40 of 100 become 70 and 30: each row alone against the other's stored amount
    would read 110, but together they are 100."""
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    a = DisbursementFactory(project=project, amount=D("60"), date=datetime.date(2021, 5, 1))
    b = DisbursementFactory(project=project, amount=D("40"), date=datetime.date(2021, 9, 1))
    rows = [
        {"id": a.pk, "date": "2021-05-01", "amount": "70", "voucher": a.voucher},
        {"id": b.pk, "date": "2021-09-01", "amount": "30", "voucher": b.voucher},
    ]
    response = change_project(admin_client, project, rows, initial=2)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert sorted(project.disbursements.values_list("amount", flat=True)) == [D("30"), D("70")]


def test_lowering_the_aid_funds_below_the_disbursed_is_refused(admin_client, partnership):
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    paid = DisbursementFactory(project=project, amount=D("80"))
    project.aid_funds = D("50")  # the form posts 50; 80 are paid
    rows = [{"id": paid.pk, "date": "2021-06-01", "amount": "80", "voucher": paid.voucher}]
    response = change_project(admin_client, project, rows, initial=1)
    assert response.status_code == 200
    assert "拨付合计（80.00 万元）超过项目的协作资金（50.00 万元）。" in response.content.decode()


def disbursement_form(project, amount):
    return {
        "project": project.pk,
        "date": "2021-06-01",
        "amount": amount,
        "voucher": "",
        "note": "",
    }


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_an_amount_that_is_not_positive_is_refused(admin_client, partnership, amount):
    project = ProjectFactory(partnership=partnership)
    response = admin_client.post(
        reverse("admin:projects_disbursement_add"), disbursement_form(project, amount)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "拨付金额应大于0。" in page or "金额不能为负数。" in page
    assert not Disbursement.objects.exists()


def test_the_disbursement_page_refuses_an_amount_over_the_aid_funds(admin_client, partnership):
    project = ProjectFactory(partnership=partnership, aid_funds=D("100"))
    DisbursementFactory(project=project, amount=D("70"))
    response = admin_client.post(
        reverse("admin:projects_disbursement_add"), disbursement_form(project, "30.01")
    )
    assert response.status_code == 200
    # 70 + 30.01 = 100.01 > 100
    assert "拨付合计（100.01 万元）超过项目的协作资金（100.00 万元）。" in response.content.decode()
    assert project.disbursements.count() == 1


def test_the_database_refuses_a_zero_amount(partnership):
    project = ProjectFactory(partnership=partnership)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(project=project, date=datetime.date(2021, 6, 1), amount=0)
