"""Files are uploaded on the record's admin page (an inline), only by users who may change
the record; every record kind's change list counts its files without a query per row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceFile
from tests.cooperation.factories import PairingFactory
from tests.places import HANBIN
from tests.projects.factories import ProjectFactory
from tests.security.forms import form_data

from .conftest import PDF, PNG, ROLES, attach, user_of

pytestmark = pytest.mark.django_db

PREFIX = "evidence-evidencefile-content_type-object_id"


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def post_with_file(client, record, name, content, title="拨付合同"):
    """Open the record's page and save it with one new file in the evidence table."""
    page = client.get(change_url(record))
    assert page.status_code == 200
    data = form_data(page.content.decode(), having=f"{PREFIX}-TOTAL_FORMS")
    data.update(
        {
            f"{PREFIX}-0-title": title,
            f"{PREFIX}-0-kind": EvidenceFile.Kind.CONTRACT,
            f"{PREFIX}-0-file": SimpleUploadedFile(name, content),
        }
    )
    return client.post(change_url(record), data)


@pytest.fixture
def clerk_of_hanbin(django_user_model):
    return user_of(django_user_model, "hanbin-clerk", ROLES["clerk"], HANBIN)


def test_a_clerk_uploads_a_file_on_the_records_page(partnership, clerk_of_hanbin):
    project = ProjectFactory(partnership=partnership)
    response = post_with_file(client_of(clerk_of_hanbin), project, "拨付合同.pdf", PDF)
    assert response.status_code == 302, response.context["inline_admin_formsets"][-1].formset.errors
    evidence = EvidenceFile.objects.get()
    assert evidence.record == project
    assert evidence.partnership == partnership
    assert (evidence.title, evidence.original_name, evidence.size, evidence.mime_type) == (
        "拨付合同",
        "拨付合同.pdf",
        len(PDF),
        "application/pdf",
    )
    assert evidence.created_by == clerk_of_hanbin
    assert evidence.file.read() == PDF
    # stored under a random name, never the clerk's
    assert "拨付合同" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    assert evidence.history.get().history_type == "+"


def test_a_renamed_file_is_refused_on_the_page(partnership, clerk_of_hanbin):
    project = ProjectFactory(partnership=partnership)
    response = post_with_file(client_of(clerk_of_hanbin), project, "拨付合同.pdf", PNG)
    assert response.status_code == 200
    assert "文件名为 .pdf，内容却是 PNG 图片。" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_the_page_links_each_file_to_the_download_view(partnership, clerk_of_hanbin):
    project = ProjectFactory(partnership=partnership)
    evidence = attach(project, PDF, "合同.pdf")
    page = client_of(clerk_of_hanbin).get(change_url(project)).content.decode()
    assert f'href="/evidence/{evidence.pk}/download"' in page
    assert evidence.file.name not in page  # the storage's name never reaches a page


def test_an_official_sees_files_but_cannot_add_or_delete(partnership, django_user_model):
    official = user_of(django_user_model, "hanbin-official", ROLES["official"], HANBIN)
    project = ProjectFactory(partnership=partnership)
    evidence = attach(project, PDF, "合同.pdf")
    response = client_of(official).get(change_url(project))
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == PREFIX
    )
    assert [form.instance for form in formset.forms] == [evidence]  # no empty form to add one
    assert not formset.can_delete


def test_a_reviewer_may_not_delete_files_a_clerk_may(partnership, django_user_model):
    """Only clerks (录入员) delete files; reviewers restore them (test_history.py)."""
    clerk = user_of(django_user_model, "c", ROLES["clerk"], HANBIN)
    reviewer = user_of(django_user_model, "r", ROLES["reviewer"], HANBIN)
    assert clerk.has_perm("evidence.delete_evidencefile")
    assert not reviewer.has_perm("evidence.delete_evidencefile")
    assert reviewer.has_perm("evidence.change_evidencefile")


def count_column(response):
    return {obj.pk: obj.evidence_count for obj in response.context["cl"].result_list}


def test_the_change_list_counts_each_records_files(
    partnership, admin_client, django_assert_max_num_queries
):
    """3 projects with 2, 0 and 1 files; then 40 more projects with one file each: the
    change list runs the same queries."""
    a, b, c = ProjectFactory.create_batch(3, partnership=partnership)
    attach(a), attach(a, PNG, "照片.png"), attach(c)
    with django_assert_max_num_queries(12) as few:
        response = admin_client.get(changelist_url(type(a)))
    assert count_column(response) == {a.pk: 2, b.pk: 0, c.pk: 1}
    for project in ProjectFactory.create_batch(40, partnership=partnership):
        attach(project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(changelist_url(type(a)))
    assert len(response.context["cl"].result_list) == 43


def test_the_change_list_filters_records_without_files(partnership, admin_client):
    with_file, without = ProjectFactory.create_batch(2, partnership=partnership)
    attach(with_file)
    response = admin_client.get(changelist_url(type(with_file)) + "?evidence=none")
    assert set(count_column(response)) == {without.pk}
    response = admin_client.get(changelist_url(type(with_file)) + "?evidence=yes")
    assert set(count_column(response)) == {with_file.pk}


def test_every_kind_in_the_registry_offers_files(partnership, admin_client):
    """A pairing's page (another app's admin) has the evidence table too."""
    pairing = PairingFactory(partnership=partnership)
    page = admin_client.get(change_url(pairing)).content.decode()
    assert f'name="{PREFIX}-TOTAL_FORMS"' in page
    assert "佐证材料" in admin_client.get(changelist_url(type(pairing))).content.decode()


def test_a_clerk_deletes_a_file_on_the_records_page(partnership, clerk_of_hanbin):
    project = ProjectFactory(partnership=partnership)
    evidence = attach(project, PDF, "合同.pdf")
    client = client_of(clerk_of_hanbin)
    page = client.get(change_url(project))
    data = form_data(page.content.decode(), having=f"{PREFIX}-TOTAL_FORMS")
    data[f"{PREFIX}-0-DELETE"] = "on"
    assert client.post(change_url(project), data).status_code == 302
    assert not EvidenceFile.objects.exists()
    deletion = EvidenceFile.history.get(id=evidence.pk, history_type="-")
    assert deletion.history_user == clerk_of_hanbin
