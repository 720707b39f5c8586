"""The admin of funds and industry as staff use it: Chinese pages, amounts in 万元, the
非标准地名 flag, progress notes inline, the arrived-over-agreed confirmation, and changelists
that run the same number of queries with few rows as with many."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Investment, Project
from tests.conftest import NO_EVIDENCE
from tests.places import LAOCHENG
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
    ProjectProgressFactory,
)

pytestmark = pytest.mark.django_db

MODELS = {
    "project": ProjectFactory,
    "investment": InvestmentFactory,
    "consumptionsale": ConsumptionSaleFactory,
    "donation": DonationFactory,
}


def add_rows(partnership, model, n):
    factory = MODELS[model]
    for i in range(n):
        if model == "investment":
            factory(partnership=partnership, signed_on=datetime.date(2020 + i % 3, 5, 1 + i % 28))
        elif model == "donation":
            factory(partnership=partnership, date=datetime.date(2020 + i % 3, 5, 1))
        elif model == "project":
            factory(
                partnership=partnership, fund_year=2020 + i % 3, place_text="某村" if i % 2 else ""
            )
        else:
            factory(partnership=partnership, year=2020 + i % 3, month=1 + i % 12)


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"admin:projects_{model}_changelist"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("model", sorted(MODELS))
def test_changelist_runs_the_same_queries_with_3_and_30_rows(admin_client, partnership, model):
    add_rows(partnership, model, 3)
    with_3, _page = changelist_queries(admin_client, model)
    add_rows(partnership, model, 27)
    with_30, page = changelist_queries(admin_client, model)
    assert with_3 == with_30
    assert with_30 <= 15  # measured: 9–12 (session, user, filters, count, rows), 2 for the header


@pytest.mark.parametrize("model", sorted(MODELS))
def test_add_page_renders_in_chinese(
    admin_client, partnership, model, django_assert_max_num_queries
):
    # autocomplete widgets load no list of choices (measured: 3 queries; and 2 for the
    # header's areas and roles)
    with django_assert_max_num_queries(7):
        response = admin_client.get(reverse(f"admin:projects_{model}_add"))
    assert response.status_code == 200
    assert "地点（区划代码表以外）" in response.content.decode()


def test_project_changelist_shows_amounts_in_wan_and_flags_text_places(admin_client, partnership):
    ProjectFactory(partnership=partnership, name="茶园项目", aid_funds=Decimal("12345.6789"))
    ProjectFactory(
        partnership=partnership, name="魏埭村项目", town_id=None, place_text="关山镇魏埭村"
    )
    response = admin_client.get(reverse("admin:projects_project_changelist"))
    page = response.content.decode()
    assert "12,345.68" in page  # 万元, grouped, 2 places
    assert "协作资金（万元）" in page and "非标准地名" in page
    assert "关山镇魏埭村" in page


def test_project_changelist_filters_by_unofficial_place(admin_client, partnership):
    ProjectFactory(partnership=partnership, name="茶园项目")
    ProjectFactory(
        partnership=partnership, name="魏埭村项目", town_id=None, place_text="关山镇魏埭村"
    )
    response = admin_client.get(
        reverse("admin:projects_project_changelist") + "?unofficial_place=1"
    )
    page = response.content.decode()
    assert "魏埭村项目" in page and "茶园项目" not in page


def test_project_change_page_has_progress_notes_inline(admin_client, partnership):
    note = ProjectProgressFactory(project__partnership=partnership, text="主体工程完工")
    response = admin_client.get(reverse("admin:projects_project_change", args=[note.project.pk]))
    page = response.content.decode()
    assert "项目进度" in page and "主体工程完工" in page and "完成比例（%）" in page


def _investment_form(partnership, **extra):
    data = {
        "partnership": partnership.pk,
        "enterprise": "常州某新材料公司",
        "project_name": "",
        "industry": "新材料",
        "signed_on": "2021年4月5日",
        "town": LAOCHENG,
        "village": "",
        "place_text": "",
        "agreed": "500",
        "arrived": "700.5",
        "jobs": "30",
        "land_mu": "",
        "note": "",
        **NO_EVIDENCE,
    }
    data.update(extra)
    return data


def test_investment_arrived_over_agreed_without_confirmation_shows_the_error(
    admin_client, partnership
):
    response = admin_client.post(
        reverse("admin:projects_investment_add"), _investment_form(partnership)
    )
    assert response.status_code == 200
    assert "实际到位投资（700.5 万元）超过协议投资额（500 万元）" in response.content.decode()
    assert not Investment.objects.exists()


def test_investment_arrived_over_agreed_with_confirmation_is_saved(admin_client, partnership):
    response = admin_client.post(
        reverse("admin:projects_investment_add"),
        _investment_form(partnership, arrived_over_agreed_confirmed="on"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    inv = Investment.objects.get()
    assert inv.arrived == Decimal("700.5") and inv.arrived_over_agreed_confirmed


def test_clerk_adds_a_project_with_a_progress_note(client, clerk, partnership):
    client.force_login(clerk)
    data = {
        "partnership": partnership.pk,
        "fund_year": "2021",
        "name": "新社区工厂建设",
        "category": "factory",
        "status": "building",
        "town": LAOCHENG,
        "village": "",
        "place_text": "",
        "aid_funds": "300.1234",
        "local_funds": "0",
        "other_funds": "0",
        "implementing_org": "",
        "beneficiaries": "120",
        "beneficiaries_poverty_exited": "45",
        "start_date": "2021年3月1日",
        "end_date": "",
        "description": "",
        "progress_notes-TOTAL_FORMS": "1",
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
        "progress_notes-0-date": "2021年6月30日",
        "progress_notes-0-text": "厂房封顶",
        "progress_notes-0-percent_complete": "70",
        **NO_EVIDENCE,
        "disbursements-TOTAL_FORMS": "1",
        "disbursements-INITIAL_FORMS": "0",
        "disbursements-MIN_NUM_FORMS": "0",
        "disbursements-MAX_NUM_FORMS": "1000",
        "disbursements-0-date": "2021年7月1日",
        "disbursements-0-amount": "200",
        "disbursements-0-voucher": "汉财拨〔2021〕12号",
        "disbursements-0-note": "",
    }
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get()
    assert project.aid_funds == Decimal("300.1234") and project.created_by == clerk
    note = project.progress_notes.get()
    assert note.date == datetime.date(2021, 6, 30) and note.percent_complete == 70
    paid = project.disbursements.get()
    assert paid.amount == Decimal("200") and paid.created_by == clerk
    assert project.history.get().history_user == clerk


def test_a_town_of_another_county_is_rejected_in_the_admin(admin_client, partnership):
    response = admin_client.post(
        reverse("admin:projects_investment_add"),
        _investment_form(partnership, town="610921100", arrived="100"),
    )
    assert response.status_code == 200
    assert "“城关镇”不在汉滨区境内。" in response.content.decode()


def test_project_history_page_lists_the_change(admin_client, partnership, admin_user, as_user):
    project = ProjectFactory(partnership=partnership, name="茶园项目")
    with as_user(admin_user):
        project.aid_funds = Decimal("150")
        project.save()
    response = admin_client.get(reverse("admin:projects_project_history", args=[project.pk]))
    assert response.status_code == 200
    assert project.history.count() == 2
    assert project.history.first().aid_funds == Decimal("150")
    assert project.updated_by == admin_user


def test_progress_note_changes_are_kept_in_history(partnership):
    note = ProjectProgressFactory(project__partnership=partnership, percent_complete=30)
    note.percent_complete = 80
    note.save()
    assert [h.percent_complete for h in note.history.order_by("history_date")] == [30, 80]
