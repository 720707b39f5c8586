"""Two staff editing the same record: the second save, based on a stale copy, is refused
with what changed since, and nothing is overwritten (cooperation/admin_base.py)."""

import pytest
from django.urls import reverse

from cooperation.models import Pairing
from tests.cooperation.factories import PairingFactory

from .forms import form_data

pytestmark = pytest.mark.django_db


def _open(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id="pairing_form")


@pytest.fixture
def pairing(partnership):
    return PairingFactory(partnership=partnership, note="原备注")


@pytest.fixture
def two_staff(client, clerk, reviewer, django_user_model):
    from django.test import Client

    first, second = client, Client()
    first.force_login(clerk)
    second.force_login(reviewer)
    return first, second


def test_change_form_carries_the_version_it_was_loaded_with(admin_client, pairing):
    data = _open(admin_client, reverse("admin:cooperation_pairing_change", args=[pairing.pk]))
    assert data["_loaded_version"] == [str(pairing.version)]


def test_second_save_on_a_stale_copy_is_refused_and_nothing_overwritten(two_staff, pairing):
    first, second = two_staff
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    mine, theirs = _open(first, url), _open(second, url)

    mine["note"] = ["甲改的备注"]
    assert first.post(url, mine).status_code == 302

    theirs["note"] = ["乙改的备注"]
    response = second.post(url, theirs)

    assert response.status_code == 200  # the form again, with the conflict
    page = response.content.decode()
    assert "您的修改未保存" in page
    # The changed field, with the value submitted and the value stored, and who changed it.
    assert "备注：您提交的 “乙改的备注”，已保存的 “甲改的备注”" in page
    assert "clerk" in page
    pairing.refresh_from_db()
    assert pairing.note == "甲改的备注"
    assert pairing.version == 1  # one save only: 0 → 1
    assert pairing.updated_by.username == "clerk"


def test_only_fields_changed_since_loading_are_listed(two_staff, pairing):
    first, second = two_staff
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    mine, theirs = _open(first, url), _open(second, url)
    mine["note"] = ["甲改的备注"]
    first.post(url, mine)

    theirs["level"] = ["village"]  # the second clerk changed another field
    page = second.post(url, theirs).content.decode()

    assert "备注：" in page
    assert "结对层级：" not in page  # not changed by the first clerk
    pairing.refresh_from_db()
    assert pairing.level == Pairing.Level.TOWN


def test_posting_the_refused_form_again_is_refused_again(two_staff, pairing):
    first, second = two_staff
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    mine, theirs = _open(first, url), _open(second, url)
    mine["note"] = ["甲改的备注"]
    first.post(url, mine)
    theirs["note"] = ["乙改的备注"]
    refused = second.post(url, theirs)

    # The re-rendered form still carries the version the clerk started from.
    again = form_data(refused.content.decode(), form_id="pairing_form")
    assert again["_loaded_version"] == ["0"]
    assert second.post(url, again).status_code == 200
    pairing.refresh_from_db()
    assert pairing.note == "甲改的备注"


def test_after_reopening_the_record_the_second_clerk_can_save(two_staff, pairing):
    first, second = two_staff
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    mine = _open(first, url)
    theirs_stale = _open(second, url)
    mine["note"] = ["甲改的备注"]
    first.post(url, mine)
    second.post(url, {**theirs_stale, "note": ["乙改的备注"]})

    fresh = _open(second, url)
    fresh["note"] = ["乙改的备注"]
    assert second.post(url, fresh).status_code == 302
    pairing.refresh_from_db()
    assert (pairing.note, pairing.version) == ("乙改的备注", 2)


def test_a_tampered_version_is_refused(admin_client, pairing):
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    data = _open(admin_client, url)
    data["_loaded_version"] = ["abc"]
    data["note"] = ["改"]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "版本号无效" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.note == "原备注"


def test_reverting_from_history_counts_the_version_on(admin_client, pairing):
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    for note in ("第一次", "第二次"):
        data = _open(admin_client, url)
        data["note"] = [note]
        assert admin_client.post(url, data).status_code == 302
    first = pairing.history.get(version=0)
    revert_url = reverse(
        "admin:cooperation_pairing_simple_history", args=[pairing.pk, first.history_id]
    )
    response = admin_client.get(revert_url)
    assert response.status_code == 200
    data = form_data(response.content.decode(), form_id="historicalpairing_form")
    assert admin_client.post(revert_url, data).status_code == 302

    pairing.refresh_from_db()
    assert pairing.note == "原备注"
    # Versions 0 → 1 → 2 by the two saves, 3 by the revert (not 1 again, which would let
    # a form loaded at version 1 overwrite the revert).
    assert pairing.version == 3


# Inlines: a worker's page edits their employments in rows.


@pytest.fixture
def employment(partnership):
    from tests.labor.factories import EmploymentFactory, WorkerFactory

    return EmploymentFactory(worker=WorkerFactory(partnership=partnership), monthly_wage=5000)


def _wage_field(data):
    (name,) = [k for k in data if k.endswith("-0-monthly_wage")]
    return name


def test_worker_page_edits_on_a_stale_copy_are_refused_whole(two_staff, employment):
    first, second = two_staff
    url = reverse("admin:labor_worker_change", args=[employment.worker.pk])
    mine = form_data(first.get(url).content.decode(), form_id="worker_form")
    theirs = form_data(second.get(url).content.decode(), form_id="worker_form")
    mine[_wage_field(mine)] = ["5200"]
    assert first.post(url, mine).status_code == 302

    theirs[_wage_field(theirs)] = ["6000"]
    response = second.post(url, theirs)

    assert response.status_code == 200
    assert "您的修改未保存" in response.content.decode()
    employment.refresh_from_db()
    assert employment.monthly_wage == 5200


def test_an_inline_row_saved_elsewhere_since_loading_is_not_overwritten(two_staff, employment):
    first, second = two_staff
    worker_url = reverse("admin:labor_worker_change", args=[employment.worker.pk])
    theirs = form_data(second.get(worker_url).content.decode(), form_id="worker_form")
    # The first clerk corrects the wage on the employment's own page (the worker record
    # itself, and so its version, is untouched).
    own_url = reverse("admin:labor_employment_change", args=[employment.pk])
    mine = form_data(first.get(own_url).content.decode(), form_id="employment_form")
    mine["monthly_wage"] = ["5200"]
    assert first.post(own_url, mine).status_code == 302

    theirs[_wage_field(theirs)] = ["6000"]
    response = second.post(worker_url, theirs)

    assert response.status_code == 200
    page = response.content.decode()
    assert "您的修改未保存" in page
    assert "您提交的 “6000" in page and "已保存的 “5200" in page
    employment.refresh_from_db()
    assert employment.monthly_wage == 5200


def test_a_stale_row_left_untouched_would_revert_the_other_change_so_is_refused(
    two_staff, employment
):
    first, second = two_staff
    worker_url = reverse("admin:labor_worker_change", args=[employment.worker.pk])
    theirs = form_data(second.get(worker_url).content.decode(), form_id="worker_form")
    own_url = reverse("admin:labor_employment_change", args=[employment.pk])
    mine = form_data(first.get(own_url).content.decode(), form_id="employment_form")
    mine["monthly_wage"] = ["5200"]
    first.post(own_url, mine)

    # The second clerk changes only the worker's phone; the row still shows the old wage
    # 5000, which Django would save back over 5200.
    theirs["phone"] = ["13900000000"]
    response = second.post(worker_url, theirs)

    assert response.status_code == 200
    assert "您的修改未保存" in response.content.decode()
    employment.refresh_from_db()
    assert employment.monthly_wage == 5200
    assert employment.worker.phone != "13900000000"


def test_a_row_saved_elsewhere_without_changes_does_not_block_a_save(two_staff, employment):
    first, second = two_staff
    worker_url = reverse("admin:labor_worker_change", args=[employment.worker.pk])
    theirs = form_data(second.get(worker_url).content.decode(), form_id="worker_form")
    own_url = reverse("admin:labor_employment_change", args=[employment.pk])
    mine = form_data(first.get(own_url).content.decode(), form_id="employment_form")
    first.post(own_url, mine)  # saved as it was: version 0 → 1, same values
    employment.refresh_from_db()
    assert employment.version == 1

    theirs["phone"] = ["13900000000"]
    assert second.post(worker_url, theirs).status_code == 302
    employment.worker.refresh_from_db()
    assert employment.worker.phone == "13900000000"


def test_saving_a_record_deleted_meanwhile_does_not_bring_it_back(two_staff, pairing):
    first, second = two_staff
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    theirs = _open(second, url)
    Pairing.objects.filter(pk=pairing.pk).delete()  # e.g. by a reviewer's delete action

    theirs["note"] = ["乙改的备注"]
    response = second.post(url, theirs, follow=True)

    assert response.status_code == 200
    assert "不存在" in response.content.decode()  # Django: "…不存在。也许它已被删除？"
    assert not Pairing.objects.filter(pk=pairing.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_saves_posted_at_the_same_moment_are_checked_one_after_the_other(
    clerk, reviewer, monkeypatch
):
    """The version is read with SELECT … FOR UPDATE inside the admin's transaction: the
    second save waits for the first to commit, then sees the new version and is refused."""
    import threading
    import time

    from django.db import connection
    from django.test import Client

    import cooperation.admin_base as admin_base
    from tests.cooperation.factories import PartnershipFactory

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole transactions)")
    pairing = PairingFactory(partnership=PartnershipFactory(), note="原备注")
    url = reverse("admin:cooperation_pairing_change", args=[pairing.pk])
    clients = {}
    forms = {}
    for name, user in (("first", clerk), ("second", reviewer)):
        clients[name] = Client()
        clients[name].force_login(user)
        forms[name] = _open(clients[name], url)
        forms[name]["note"] = [f"{name}改的备注"]

    first_holds_the_lock = threading.Event()
    stored_version = admin_base._stored_version

    def slow_first(model, pk):
        version = stored_version(model, pk)
        if threading.current_thread().name == "first":
            first_holds_the_lock.set()
            time.sleep(0.5)  # the second save arrives while the row is locked
        return version

    monkeypatch.setattr(admin_base, "_stored_version", slow_first)
    statuses = {}

    def post(name):
        try:
            statuses[name] = clients[name].post(url, forms[name]).status_code
        finally:
            connection.close()

    first = threading.Thread(target=post, args=("first",), name="first")
    second = threading.Thread(target=post, args=("second",), name="second")
    first.start()
    assert first_holds_the_lock.wait(10)
    second.start()
    first.join(20)
    second.join(20)

    assert statuses == {"first": 302, "second": 200}
    pairing.refresh_from_db()
    assert (pairing.note, pairing.version) == ("first改的备注", 1)
