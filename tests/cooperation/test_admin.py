"""The admin as staff use it: Chinese, its index with data entry first and the login logs
last (and for superusers only), adding a pairing and a posting, derived columns, history
with the acting user, and what each role may do."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cooperation.models import Pairing, Posting, Region
from tests.conftest import NO_EVIDENCE
from tests.cooperation.factories import (
    EastOrgFactory,
    OrganisationFactory,
    PairingFactory,
    PostingFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_index_is_in_chinese(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "东西部协作台账管理" in page
    assert "结对关系" in page and "选派干部人才" in page


def app_labels(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [app["app_label"] for app in response.context["app_list"]]


def test_the_admin_index_lists_data_entry_first_and_login_logs_last(client, admin_user):
    client.force_login(admin_user)
    assert app_labels(client) == [
        "cooperation",
        "projects",
        "labor",
        "auth",
        "axes",
        "django_tasks_database",
    ]


@pytest.fixture
def official_given_login_log_permissions(official):
    official.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    return official


def test_login_logs_are_not_listed_for_staff_who_are_not_superusers(
    client, official_given_login_log_permissions
):
    client.force_login(official_given_login_log_permissions)
    assert app_labels(client) == ["cooperation", "projects", "labor"]


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_login_logs_are_refused_to_staff_who_are_not_superusers(
    client, official_given_login_log_permissions, model
):
    client.force_login(official_given_login_log_permissions)
    assert client.get(reverse(f"admin:axes_{model}_changelist")).status_code == 403
    assert client.get(reverse("admin:app_list", args=["axes"])).status_code == 404


def test_login_logs_are_open_to_superusers(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def _pairing_form(partnership, east, west, **extra):
    data = {
        "partnership": partnership.pk,
        "level": "town",
        "east_org": east.pk,
        "west_org": west.pk,
        "signed_on": "2021年4月5日",  # the way clerks write dates
        "note": "",
        **NO_EVIDENCE,
    }
    data.update(extra)
    return data


def test_clerk_adds_a_pairing_and_history_records_him(client, clerk, partnership):
    east, west = EastOrgFactory(name="湖塘镇"), OrganisationFactory(name="大河镇")
    client.force_login(clerk)
    response = client.post(
        reverse("admin:cooperation_pairing_add"), _pairing_form(partnership, east, west)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pairing = Pairing.objects.get()
    assert pairing.signed_on == datetime.date(2021, 4, 5)
    assert pairing.created_by == clerk and pairing.updated_by == clerk
    record = pairing.history.get()
    assert record.history_type == "+" and record.history_user == clerk


def test_a_pairing_outside_the_western_county_is_rejected_with_the_message(
    admin_client, partnership
):
    east = EastOrgFactory(name="湖塘镇")
    west = OrganisationFactory(name="洛川某单位", region=Region.objects.get(code="610629"))
    response = admin_client.post(
        reverse("admin:cooperation_pairing_add"), _pairing_form(partnership, east, west)
    )
    assert response.status_code == 200
    assert "西部单位“洛川某单位”不在汉滨区境内。" in response.content.decode()
    assert not Pairing.objects.exists()


def test_duplicate_pairing_is_rejected_in_the_admin(admin_client, partnership):
    existing = PairingFactory(partnership=partnership)
    response = admin_client.post(
        reverse("admin:cooperation_pairing_add"),
        _pairing_form(partnership, existing.east_org, existing.west_org, level="village"),
    )
    assert response.status_code == 200
    assert "这两个单位在本协作关系中已经结对，不能重复登记。" in response.content.decode()
    assert Pairing.objects.count() == 1


def test_change_is_recorded_in_history_with_the_acting_user(client, reviewer, partnership):
    posting = PostingFactory(partnership=partnership, start_date=datetime.date(2021, 3, 1))
    client.force_login(reviewer)
    url = reverse("admin:cooperation_posting_change", args=[posting.pk])
    form = {
        "partnership": partnership.pk,
        "person_name": posting.person_name,
        "direction": posting.direction,
        "category": posting.category,
        "home_org": posting.home_org_id,
        "host_org": posting.host_org_id,
        "position": "副镇长",
        "start_date": "2021-03-01",
        "end_date": "2022-02-28",
        "note": "",
        **NO_EVIDENCE,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = posting.history.latest()
    assert latest.history_type == "~" and latest.history_user == reviewer
    assert latest.position == "副镇长"
    # The reviewer may read the history page.
    assert (
        client.get(reverse("admin:cooperation_posting_history", args=[posting.pk])).status_code
        == 200
    )


def test_clerk_adds_a_posting(client, clerk, partnership):
    home, host = EastOrgFactory(name="礼河实验学校"), OrganisationFactory(name="鼓楼小学")
    client.force_login(clerk)
    response = client.post(
        reverse("admin:cooperation_posting_add"),
        {
            "partnership": partnership.pk,
            "person_name": "陈建国",
            "direction": "e2w",
            "category": "education",
            "home_org": home.pk,
            "host_org": host.pk,
            "position": "支教教师",
            "start_date": "2021/9/1",
            "note": "",
            **NO_EVIDENCE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Posting.objects.get().person_name == "陈建国"


def test_posting_list_shows_months_and_on_post_today(admin_client, partnership):
    today = datetime.date.today()
    PostingFactory(
        partnership=partnership,
        person_name="在岗者",
        start_date=today - datetime.timedelta(days=90),
    )
    PostingFactory(
        partnership=partnership,
        person_name="已离岗",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 12, 26),  # 360 days = 12.0 months
    )
    response = admin_client.get(reverse("admin:cooperation_posting_changelist"))
    page = response.content.decode()
    assert "3.0" in page  # 90 days on post so far
    assert "12.0" in page
    assert response.context["cl"].result_count == 2
    on_post = {p.person_name: p.on_post_now for p in response.context["cl"].result_list}
    assert on_post == {"在岗者": True, "已离岗": False}


@pytest.mark.parametrize("rows", [3, 30])
def test_changelists_run_a_fixed_number_of_queries(
    admin_client, partnership, rows, django_assert_max_num_queries
):
    for i in range(rows):
        PostingFactory(partnership=partnership)
        PairingFactory(partnership=partnership, west_org=OrganisationFactory(name=f"西部单位{i}"))
    for name in ("posting", "pairing"):
        with django_assert_max_num_queries(12):
            assert (
                admin_client.get(reverse(f"admin:cooperation_{name}_changelist")).status_code == 200
            )


def test_official_can_view_but_not_change(client, official, partnership):
    pairing = PairingFactory(partnership=partnership)
    client.force_login(official)
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    assert client.get(url).status_code == 200  # read-only view
    form = _pairing_form(partnership, pairing.east_org, pairing.west_org, note="领导改的")
    assert client.post(url, form).status_code == 403
    assert client.get(reverse("admin:cooperation_pairing_add")).status_code == 403
    pairing.refresh_from_db()
    assert pairing.note == ""


def test_clerk_cannot_delete_or_read_history(client, clerk, partnership):
    pairing = PairingFactory(partnership=partnership)
    client.force_login(clerk)
    assert (
        client.get(reverse("admin:cooperation_pairing_delete", args=[pairing.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:cooperation_pairing_history", args=[pairing.pk])).status_code
        == 403
    )


def test_roles_have_the_agreed_permissions():
    perms = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert {"add_pairing", "change_pairing", "view_pairing", "view_personal_data"} <= perms[
        "录入员"
    ]
    assert "delete_pairing" not in perms["录入员"]
    assert {"change_pairing", "view_pairing", "view_history"} <= perms["审核员"]
    assert "add_pairing" not in perms["审核员"]
    assert perms["领导"] and all(code.startswith("view_") for code in perms["领导"])
    assert "view_personal_data" not in perms["领导"]


def test_history_records_the_acting_user_outside_a_request(partnership, clerk, as_user):
    with as_user(clerk):
        pairing = PairingFactory(partnership=partnership)
        pairing.note = "由导入修改"
        pairing.save()
    assert [h.history_user for h in pairing.history.all()] == [clerk, clerk]
    assert pairing.created_by == clerk and pairing.updated_by == clerk


def test_regions_are_read_only_for_every_role(client, clerk, reviewer):
    for user in (clerk, reviewer):
        assert user.has_perm("cooperation.view_region")
        assert not user.has_perm("cooperation.change_region")
        assert not user.has_perm("cooperation.add_region")
    client.force_login(clerk)
    assert client.get(reverse("admin:cooperation_region_add")).status_code == 403
