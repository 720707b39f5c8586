"""已删除记录: a superuser deletes a worker (his employments and worker-years go with him);
a reviewer finds the deletion on /deletions/ and restores all of it with one POST."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation import deletions
from cooperation.models import UserArea, Visit
from labor.models import Employment, Worker, WorkerYear
from labor.services import COLUMNS, FACTS
from tests.conftest import PASSWORD
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.places import HANBIN

from .test_csp import inline_code

pytestmark = pytest.mark.django_db

LIST = "/deletions/"


def restore_url(record):
    opts = record.instance_type._meta
    return reverse("deletions:restore", args=[opts.app_label, opts.model_name, record.history_id])


def worker_deletion(worker_pk):
    return Worker.history.get(id=worker_pk, history_type="-")


def years_of(worker_pk):
    return list(
        WorkerYear.objects.filter(worker_id=worker_pk).order_by("year").values(*COLUMNS, *FACTS)
    )


def spells_of(worker_pk):
    fields = ("id", "employer", "destination_id", "start_date", "end_date", "monthly_wage")
    return list(
        Employment.objects.filter(worker_id=worker_pk).order_by("start_date").values(*fields)
    )


def post_restore(client, record):
    """POST the row's 恢复 button; follow the redirect back to the list."""
    return client.post(restore_url(record), follow=True)


def messages_of(response):
    """The messages the list page showed after the redirect."""
    assert response.redirect_chain == [(LIST, 302)]
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def han(partnership):
    """韩廷勤 with two spells: in Jiangsu in 2021, back home since February 2022."""
    worker = WorkerFactory(partnership=partnership, name="韩廷勤")
    EmploymentFactory(
        worker=worker,
        employer="武进电子厂",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 12, 31),
        monthly_wage=Decimal("5000"),
    )
    EmploymentFactory(
        worker=worker,
        employer="县河镇社区工厂",
        destination_id=HANBIN,  # at home: not in the eastern province
        start_date=datetime.date(2022, 2, 1),
        monthly_wage=Decimal("3000"),
    )
    return worker


@pytest.fixture
def before(han):
    """What the worker had before the deletion."""
    worker = Worker.objects.filter(pk=han.pk).values().get()
    return {"worker": worker, "spells": spells_of(han.pk), "years": years_of(han.pk)}


@pytest.fixture
def deleted_han(han, before, admin_client):
    """韩廷勤 deleted by a superuser through the admin's delete page."""
    response = admin_client.post(
        reverse("admin:labor_worker_delete", args=[han.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    return han.pk


def test_deleting_a_worker_takes_his_employments_and_years_with_him(deleted_han, before):
    assert len(before["spells"]) == 2
    assert [row["year"] for row in before["years"]][:2] == [2021, 2022]
    assert not Worker.objects.filter(pk=deleted_han).exists()
    assert Employment.objects.filter(worker_id=deleted_han).count() == 0
    assert WorkerYear.objects.filter(worker_id=deleted_han).count() == 0


def test_the_reviewer_sees_who_deleted_the_worker_and_when(
    client, reviewer, admin_user, deleted_han
):
    client.force_login(reviewer)
    response = client.get(LIST)
    assert response.status_code == 200
    [row] = response.context["deletions"]
    assert row.model is Worker
    assert row.label == "韩廷勤"
    assert row.dependants == 2
    assert row.record.history_user == admin_user
    page = response.content.decode()
    when = timezone.localtime(worker_deletion(deleted_han).history_date)
    assert f"<td>{when:%Y-%m-%d %H:%M:%S}</td>" in page
    assert f"<td>{admin_user.get_username()}</td>" in page
    assert "<td>务工人员</td>" in page
    assert "<td>韩廷勤</td>" in page
    assert "<td>2</td>" in page
    assert f'action="{restore_url(row.record)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert inline_code(response) == []


def test_the_employments_deleted_with_the_worker_are_not_listed_on_their_own(
    client, reviewer, deleted_han
):
    client.force_login(reviewer)
    rows = client.get(LIST).context["deletions"]
    assert [row.model for row in rows] == [Worker]


def test_one_post_restores_the_worker_his_employments_and_his_years(
    client, reviewer, deleted_han, before
):
    client.force_login(reviewer)
    response = post_restore(client, worker_deletion(deleted_han))

    restored = Worker.objects.filter(pk=deleted_han).values().get()
    assert restored["name"] == "韩廷勤"
    assert restored["id_number"] == before["worker"]["id_number"]
    assert restored["created_at"] == before["worker"]["created_at"]
    assert restored["updated_by_id"] == reviewer.pk
    assert spells_of(deleted_han) == before["spells"]
    assert years_of(deleted_han) == before["years"]
    assert messages_of(response) == ["已恢复“韩廷勤”及随之删除的 2 条记录。"]
    assert response.context["deletions"] == []


def test_the_restore_is_in_the_history_with_the_reviewer_and_the_reason(
    client, reviewer, deleted_han, before
):
    client.force_login(reviewer)
    post_restore(client, worker_deletion(deleted_han))

    entries = [Worker.history.filter(id=deleted_han).latest("history_id")]
    entries += [
        Employment.history.filter(id=spell["id"]).latest("history_id") for spell in before["spells"]
    ]
    assert [(e.history_type, e.history_user, e.history_change_reason) for e in entries] == [
        ("+", reviewer, "从删除中恢复")
    ] * 3


def test_a_second_restore_is_refused(client, reviewer, deleted_han):
    client.force_login(reviewer)
    record = worker_deletion(deleted_han)
    assert messages_of(post_restore(client, record)) == ["已恢复“韩廷勤”及随之删除的 2 条记录。"]

    response = post_restore(client, record)
    assert messages_of(response) == ["“韩廷勤”已恢复。"]
    assert Worker.objects.filter(pk=deleted_han).count() == 1
    assert Employment.objects.filter(worker_id=deleted_han).count() == 2
    assert Worker.history.filter(id=deleted_han, history_type="+").count() == 2


def test_restoring_an_employment_whose_worker_is_gone_is_refused(
    client, reviewer, admin_client, han
):
    spell = han.employments.order_by("start_date").first()
    spell_pk = spell.pk
    spell.delete()  # from the shell, earlier: not part of the worker's deletion
    admin_client.post(reverse("admin:labor_worker_delete", args=[han.pk]), {"post": "yes"})
    client.force_login(reviewer)
    rows = client.get(LIST).context["deletions"]
    assert [(row.model, row.dependants) for row in rows] == [(Worker, 1), (Employment, 0)]

    response = post_restore(client, rows[1].record)
    assert messages_of(response) == [
        f"无法恢复“就业记录 #{spell_pk}”：它所属的务工人员（#{han.pk}）已不存在。"
        "请先恢复该务工人员，再恢复此记录。"
    ]
    assert not Employment.objects.filter(pk=spell_pk).exists()


def test_an_employment_deleted_with_its_worker_cannot_be_restored_alone(reviewer, deleted_han):
    spell = Employment.history.filter(worker_id=deleted_han, history_type="-").first()
    with pytest.raises(deletions.RestoreRefused, match="务工人员（#"):
        deletions.restore(spell, reviewer)
    assert Employment.objects.count() == 0


def test_a_restore_that_clashes_with_a_record_entered_since_is_refused(
    partnership, reviewer, deleted_han, before
):
    WorkerFactory(partnership=partnership, id_number=before["worker"]["id_number"])
    with pytest.raises(deletions.RestoreRefused, match="该身份证号码已登记。"):
        deletions.restore(worker_deletion(deleted_han), reviewer)
    assert not Worker.objects.filter(pk=deleted_han).exists()
    assert Employment.objects.count() == 0


@pytest.mark.parametrize("role", ["clerk", "official"])
def test_clerks_and_officials_may_not_see_or_restore_deletions(client, request, role, deleted_han):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.post(restore_url(worker_deletion(deleted_han))).status_code == 403
    assert not Worker.objects.filter(pk=deleted_han).exists()


def test_labour_deletions_need_the_personal_data_permission_too(
    client, django_user_model, deleted_han
):
    user = django_user_model.objects.create_user(username="auditor", password=PASSWORD)
    UserArea.objects.create(user=user, region=None)  # everywhere: only the permission lacks
    user.user_permissions.add(
        Permission.objects.get(codename="view_history"),
        Permission.objects.get(codename="change_worker"),
    )
    client.force_login(user)
    assert client.get(LIST).context["deletions"] == []
    assert client.post(restore_url(worker_deletion(deleted_han))).status_code == 403
    assert not Worker.objects.filter(pk=deleted_han).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, deleted_han):
    for response in (client.get(LIST), client.post(restore_url(worker_deletion(deleted_han)))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Worker.objects.filter(pk=deleted_han).exists()


def test_restore_is_post_only(client, reviewer, deleted_han):
    client.force_login(reviewer)
    assert client.get(restore_url(worker_deletion(deleted_han))).status_code == 405
    assert not Worker.objects.filter(pk=deleted_han).exists()


def test_a_worker_is_named_masked_for_a_user_without_the_personal_data_permission(
    official, reviewer, deleted_han
):
    worker = worker_deletion(deleted_han).instance
    assert deletions.record_label(official, worker) == "韩**"
    assert deletions.record_label(reviewer, worker) == "韩廷勤"


def test_a_deletion_from_the_shell_is_restored_by_the_service(partnership, reviewer):
    worker = EmploymentFactory(worker=WorkerFactory(partnership=partnership)).worker
    worker_pk, years = worker.pk, years_of(worker.pk)
    worker.delete()  # no request: no user in the history rows

    restored = deletions.restore(worker_deletion(worker_pk), reviewer)

    assert [type(obj) for obj in restored] == [Worker, Employment]
    assert years_of(worker_pk) == years and len(years) >= 1


def test_the_list_is_paginated_fifty_a_page_newest_first(client, reviewer, partnership):
    visits = [
        Visit.objects.create(
            partnership=partnership,
            date=datetime.date(2021, 5, 1),
            direction="e2w",
            leader=f"带队{n}",
            people=5,
            purpose="考察",
        )
        for n in range(51)
    ]
    for visit in visits:
        visit.delete()
    client.force_login(reviewer)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    assert len(first.context["deletions"]) == 50
    assert first.context["deletions"][0].label == "2021-05-01 带队50 考察"
    assert [row.label for row in second.context["deletions"]] == ["2021-05-01 带队0 考察"]
    assert "第 2 / 2 页" in second.content.decode()


def test_a_page_costs_the_same_queries_for_one_deletion_as_for_twenty(
    client, reviewer, partnership, django_assert_max_num_queries
):
    def delete_workers(count):
        for _ in range(count):
            worker = WorkerFactory(partnership=partnership)
            EmploymentFactory.create_batch(2, worker=worker)
            worker.delete()

    client.force_login(reviewer)
    delete_workers(1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST).context["deletions"]) == 1
    delete_workers(19)
    with django_assert_max_num_queries(len(one)):
        rows = client.get(LIST).context["deletions"]
    assert len(rows) == 20
    assert {row.dependants for row in rows} == {2}
