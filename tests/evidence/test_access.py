"""Downloads go through one view that checks permission and area, answers with an
attachment that browsers must not sniff, and records every download like an export."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import ExportAudit, UserArea
from evidence.models import EvidenceFile
from tests.cooperation.factories import PostingFactory
from tests.places import HANBIN, HANYIN
from tests.projects.factories import ProjectFactory

from .conftest import PDF, PNG, ROLES, attach, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(partnership, other_partnership):
    """A contract of a project of P (武进区—汉滨区), one of a project of Q (新北区—汉阴县), a
    posting's appointment letter in P (personal), and an attendance sheet of P's project."""
    project = ProjectFactory(partnership=partnership, name="茶园项目")
    return {
        "p": attach(project, PDF, "茶园合同.pdf"),
        "q": attach(ProjectFactory(partnership=other_partnership), PDF, "汉阴合同.pdf"),
        "posting": attach(PostingFactory(partnership=partnership), PNG, "任职文件.png"),
        "sign_in": attach(project, PNG, "签到表.png", kind=EvidenceFile.Kind.SIGN_IN),
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def url(evidence):
    return reverse("evidence:download", args=[evidence.pk])


@pytest.fixture
def hanbin(django_user_model):
    """A clerk, a reviewer and an official of 汉滨区 (P only)."""
    return {
        name: user_of(django_user_model, f"hanbin-{name}", role, HANBIN)
        for name, role in ROLES.items()
    }


@pytest.mark.parametrize("role", ["clerk", "reviewer", "official"])
def test_own_area_downloads_as_an_attachment(files, hanbin, role):
    response = client_of(hanbin[role]).get(url(files["p"]))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('茶园合同.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_another_areas_file_is_404(files, django_user_model):
    hanyin = user_of(django_user_model, "hanyin-reviewer", ROLES["reviewer"], HANYIN)
    assert client_of(hanyin).get(url(files["p"])).status_code == 404
    assert client_of(hanyin).get(url(files["q"])).status_code == 200


def test_an_unknown_file_is_404(files, hanbin):
    assert client_of(hanbin["clerk"]).get("/evidence/999999/download").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, files):
    response = client.get(url(files["p"]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(url(files['p']))}"
    assert not ExportAudit.objects.exists()


def test_a_user_without_view_permission_is_refused(files, django_user_model):
    """A staff user of the area without any role: 403, before the file is even looked up."""
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    UserArea.objects.create(user=nobody, region=None)
    assert client_of(nobody).get(url(files["p"])).status_code == 403
    assert not ExportAudit.objects.exists()


def test_personal_files_need_the_personal_data_permission(files, hanbin):
    """The official (领导) has no 查看个人信息: a posting's file and an attendance sheet are
    refused to him, while the clerk (录入员, who has it) downloads them."""
    official, clerk = client_of(hanbin["official"]), client_of(hanbin["clerk"])
    assert official.get(url(files["posting"])).status_code == 403
    assert official.get(url(files["sign_in"])).status_code == 403
    assert clerk.get(url(files["posting"])).status_code == 200
    assert clerk.get(url(files["sign_in"])).status_code == 200


def test_downloads_are_audited_like_exports(files, hanbin):
    clerk = client_of(hanbin["clerk"])
    clerk.get(url(files["posting"]))
    clerk.get(url(files["p"]))
    rows = list(
        ExportAudit.objects.order_by("id").values_list(
            "username", "list_name", "query_string", "format", "rows", "personal_data"
        )
    )
    posting, project = files["posting"], files["p"]
    assert rows == [
        (
            "hanbin-clerk",
            "佐证材料：选派干部人才",
            f"evidence={posting.pk}&record={posting.object_id}",
            "png",
            1,
            True,
        ),
        (
            "hanbin-clerk",
            "佐证材料：协作资金项目",
            f"evidence={project.pk}&record={project.object_id}",
            "pdf",
            1,
            False,
        ),
    ]


def test_refused_downloads_are_not_audited(files, hanbin):
    client_of(hanbin["official"]).get(url(files["posting"]))
    assert not ExportAudit.objects.exists()


def test_a_file_missing_from_storage_is_404(files, hanbin, evidence_storage):
    evidence_storage.delete(files["p"].file.name)
    assert client_of(hanbin["clerk"]).get(url(files["p"])).status_code == 404


def test_the_partnership_is_the_records(files, partnership, other_partnership):
    assert files["p"].partnership == partnership
    assert files["q"].partnership == other_partnership


def test_a_record_moved_to_another_partnership_takes_its_files(files, other_partnership):
    project = files["p"].record
    project.partnership = other_partnership
    project.save()
    files["p"].refresh_from_db()
    assert files["p"].partnership == other_partnership
