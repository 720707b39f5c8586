"""The labour admin: personal data masked without `labor.view_personal_data` (list, change
page, search, history), data entry with employments inline, fixed query counts."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cooperation.models import UserArea
from labor.models import Employment, Worker, WorkerYear
from tests.labor.conftest import ID_NUMBER
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:labor_worker_changelist"


@pytest.fixture
def han(partnership):
    worker = WorkerFactory(
        partnership=partnership, name="韩廷勤", id_number=ID_NUMBER, phone="13812345678"
    )
    EmploymentFactory(worker=worker, start_date=datetime.date(2021, 3, 1))
    return worker


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def assert_masked(html):
    assert "韩**" in html
    assert "610902************" in html
    assert "138****5678" in html
    for raw in ("韩廷勤", ID_NUMBER, "13812345678", "1975-04-05", "1975年4月5日"):
        assert raw not in html, raw


def test_changelist_masks_personal_data_without_the_permission(client, official, han):
    response = page(client, official, reverse(CHANGELIST))
    assert response.status_code == 200
    assert_masked(response.content.decode())


def test_change_page_has_no_raw_value_in_any_input(client, official, han):
    response = page(client, official, reverse("admin:labor_worker_change", args=[han.pk]))
    assert response.status_code == 200
    assert_masked(response.content.decode())


def test_change_page_of_a_clerk_without_the_permission_is_masked_and_read_only(
    client, django_user_model, han
):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_worker", "change_worker"])
    )
    UserArea.objects.create(user=user, region_id=han.partnership.west_region_id)
    url = reverse("admin:labor_worker_change", args=[han.pk])
    html = page(client, user, url).content.decode()
    assert_masked(html)
    assert 'name="household"' in html  # other fields stay editable
    assert 'name="id_number"' not in html and 'name="name"' not in html


def test_adding_a_worker_needs_the_permission(client, django_user_model):
    user = django_user_model.objects.create_user("adder", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_worker", "view_worker"]))
    assert page(client, user, reverse("admin:labor_worker_add")).status_code == 403


def test_changelist_shows_personal_data_with_the_permission(client, reviewer, han):
    html = page(client, reviewer, reverse(CHANGELIST)).content.decode()
    assert "韩廷勤" in html and ID_NUMBER in html and "13812345678" in html


@pytest.mark.parametrize("user", ["official", "clerk"])
def test_history_is_closed_without_history_and_personal_permissions(client, request, han, user):
    url = reverse("admin:labor_worker_history", args=[han.pk])
    assert page(client, request.getfixturevalue(user), url).status_code == 403


def test_history_is_open_to_a_reviewer(client, reviewer, han):
    url = reverse("admin:labor_worker_history", args=[han.pk])
    assert page(client, reviewer, url).status_code == 200


def test_history_of_a_job_fair_is_closed_without_the_personal_permission(
    client, official, partnership
):
    fair = JobFairFactory(partnership=partnership)
    url = reverse("admin:labor_jobfair_history", args=[fair.pk])
    assert page(client, official, url).status_code == 403


def test_search_by_exact_id_number_with_lower_case_x(client, reviewer, han, partnership):
    WorkerFactory(partnership=partnership, name="王开菊")
    html = page(client, reviewer, reverse(CHANGELIST) + "?q=" + ID_NUMBER.lower()).content.decode()
    assert "韩廷勤" in html and "王开菊" not in html


def test_search_by_part_of_an_id_number_finds_nothing(client, reviewer, han):
    html = page(client, reviewer, reverse(CHANGELIST) + "?q=6109021975").content.decode()
    assert "韩廷勤" not in html


def test_search_by_part_of_a_name_finds_that_worker_only(client, reviewer, han, partnership):
    WorkerFactory(partnership=partnership, name="王开菊")
    html = page(client, reviewer, reverse(CHANGELIST) + "?q=廷勤").content.decode()
    assert "韩廷勤" in html and "王开菊" not in html


def test_search_without_the_permission_reveals_nobody(client, official, han):
    response = page(client, official, reverse(CHANGELIST) + "?q=韩廷勤")
    html = response.content.decode()
    assert "韩**" not in html  # not even masked: the search itself would confirm him
    assert "需要“查看个人信息”权限" in html


def test_employment_list_masks_the_workers_name(client, official, han):
    html = page(client, official, reverse("admin:labor_employment_changelist")).content.decode()
    assert "韩**" in html and "韩廷勤" not in html


def test_filter_by_transferred_year_and_stable(client, reviewer, han, partnership):
    other = WorkerFactory(partnership=partnership, name="王开菊")
    EmploymentFactory(
        worker=other, start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2022, 1, 10)
    )
    url = reverse(CHANGELIST) + "?transferred_year=2021&stable=1"
    html = page(client, reviewer, url).content.decode()
    assert "韩廷勤" in html and "王开菊" not in html


def test_changelist_runs_the_same_queries_for_5_and_40_workers(
    client, reviewer, partnership, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(reviewer)
    url = reverse(CHANGELIST) + f"?partnership={partnership.pk}&household__exact=exited"
    WorkerFactory.create_batch(5, partnership=partnership)
    client.get(url)  # warm up (sessions, content types)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    WorkerFactory.create_batch(35, partnership=partnership)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="field-household"') == 40


def test_adding_a_worker_with_an_employment_builds_his_year(client, clerk, partnership):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:labor_worker_add"),
        {
            "partnership": partnership.pk,
            "name": "韩廷勤",
            "id_number": f" {ID_NUMBER.lower()} ",
            "phone": "138 1234 5678",
            "household": "exited",
            "home_town": "610902115",
            "home_village": "",
            "note": "",
            "employments-TOTAL_FORMS": "1",
            "employments-INITIAL_FORMS": "0",
            "employments-0-employer": "武进电子厂",
            "employments-0-destination": "320412",
            "employments-0-start_date": "2021-03-01",
            "employments-0-end_date": "2021-06-30",
            "employments-0-monthly_wage": "5000",
            "employments-0-channel": "organised",
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset],
    )
    worker = Worker.objects.get()
    assert (worker.id_number, worker.phone, worker.gender) == (ID_NUMBER, "13812345678", "M")
    assert Employment.objects.get().in_east is True
    row = WorkerYear.objects.get(worker=worker)
    # 1 March – 30 June 2021: 31 + 30 + 31 + 30 = 122 days.
    assert (row.year, row.transferred_month, row.employed_days, row.stable) == (2021, 3, 122, True)


def test_duplicate_id_number_in_the_admin_is_a_form_error(client, clerk, han, partnership):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:labor_worker_add"),
        {
            "partnership": partnership.pk,
            "name": "另一人",
            "id_number": ID_NUMBER,
            "household": "ordinary",
            "employments-TOTAL_FORMS": "0",
            "employments-INITIAL_FORMS": "0",
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "该身份证号码已登记。" in response.content.decode()
    assert Worker.objects.count() == 1


@pytest.mark.parametrize(
    "model", ["worker", "employment", "jobfair", "trainingcourse", "communityfactory"]
)
def test_every_labour_admin_page_opens_in_chinese(admin_client, han, model):
    for view in ("changelist", "add"):
        response = admin_client.get(reverse(f"admin:labor_{model}_{view}"))
        assert response.status_code == 200, (model, view)
        assert 'lang="zh-hans"' in response.content.decode()


def _add_rows(partnership, n):
    for _ in range(n):
        EmploymentFactory(worker=WorkerFactory(partnership=partnership))
        JobFairFactory(partnership=partnership)
        TrainingCourseFactory(partnership=partnership)
        CommunityFactoryFactory(partnership=partnership)


@pytest.mark.parametrize("model", ["employment", "jobfair", "trainingcourse", "communityfactory"])
def test_other_lists_run_the_same_queries_for_3_and_30_rows(
    client, official, partnership, model, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(official)
    url = reverse(f"admin:labor_{model}_changelist")
    _add_rows(partnership, 3)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _add_rows(partnership, 27)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
