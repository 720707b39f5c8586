"""Deleting a file is kept in its history; a reviewer restores it from 已删除记录."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperation import deletions
from evidence.models import EvidenceFile
from tests.places import HANBIN
from tests.projects.factories import ProjectFactory

from .conftest import PDF, ROLES, attach, user_of

pytestmark = pytest.mark.django_db


def restore_url(record):
    opts = record.instance_type._meta
    return reverse("deletions:restore", args=[opts.app_label, opts.model_name, record.history_id])


@pytest.fixture
def users(django_user_model):
    return {
        name: user_of(django_user_model, f"hanbin-{name}", ROLES[name], HANBIN)
        for name in ("clerk", "reviewer")
    }


def test_a_deleted_file_is_listed_and_restored_by_a_reviewer(partnership, users):
    project = ProjectFactory(partnership=partnership)
    evidence = attach(project, PDF, "合同.pdf", user=users["clerk"])
    pk, stored = evidence.pk, evidence.file.name
    evidence.delete()
    deletion = EvidenceFile.history.get(id=pk, history_type="-")

    reviewer = Client()
    reviewer.force_login(users["reviewer"])
    page = reviewer.get("/deletions/")
    assert [(d.model, d.label) for d in page.context["deletions"]] == [(EvidenceFile, "合同")]

    response = reviewer.post(restore_url(deletion), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已恢复“合同”。"]
    restored = EvidenceFile.objects.get(pk=pk)
    assert (restored.record, restored.file.name, restored.partnership) == (
        project,
        stored,
        partnership,
    )
    assert restored.file.read() == PDF  # the stored file was kept for this
    assert list(restored.history.values_list("history_type", flat=True)) == ["+", "-", "+"]


def test_deleting_a_record_deletes_its_files_in_history(partnership, users, admin_user):
    project = ProjectFactory(partnership=partnership)
    evidence, project_pk = attach(project), project.pk
    project.delete()
    assert not EvidenceFile.objects.exists()
    deletion = EvidenceFile.history.get(id=evidence.pk, history_type="-")
    # its record is gone: the file cannot be restored before the record
    with pytest.raises(deletions.RestoreRefused) as refused:
        deletions.restore(deletion, admin_user)
    assert refused.value.message == (
        f"无法恢复“合同”：它所属的协作资金项目（#{project_pk}）已不存在，请先恢复该记录。"
    )
    project_deletion = type(project).history.get(id=project_pk, history_type="-")
    deletions.restore(project_deletion, admin_user)
    deletions.restore(deletion, admin_user)
    assert EvidenceFile.objects.get().record.pk == project_pk


def test_a_clerk_cannot_restore(partnership, users):
    evidence = attach(ProjectFactory(partnership=partnership))
    evidence.delete()
    deletion = EvidenceFile.history.get(history_type="-")
    clerk = Client()
    clerk.force_login(users["clerk"])
    assert clerk.post(restore_url(deletion)).status_code == 403
    assert not EvidenceFile.objects.exists()
