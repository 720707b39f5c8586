"""Evidence files in tests: each test gets its own storage directory (tmp_path), never var/;
small files of each accepted type, made here byte by byte."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.middleware import acting_user
from cooperation.models import UserArea
from cooperation.roles import DATA_ENTRY, OFFICIAL, REVIEWER
from evidence.models import EvidenceFile
from tests.conftest import PASSWORD
from tests.cooperation.factories import region

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = zipped("word/document.xml")
XLSX = zipped("xl/workbook.xml", "xl/worksheets/sheet1.xml")


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def evidence_storage(tmp_path, monkeypatch):
    """The evidence FileField stores in this test's own directory."""
    storage = FileSystemStorage(location=tmp_path / "evidence")
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", storage)
    return storage


def attach(record, content=PDF, name="合同.pdf", kind=EvidenceFile.Kind.CONTRACT, user=None):
    """A file attached to `record` the way the admin's form does it (content checked)."""
    evidence = EvidenceFile(record=record, title=name.rsplit(".", 1)[0], kind=kind)
    evidence.take(upload(name, content))
    with acting_user(user):
        evidence.save()
    return evidence


def user_of(django_user_model, username, role, county=None):
    """A staff user of a role whose area is a county (None: the nation)."""
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    UserArea.objects.create(user=user, region=region(county) if county else None)
    return user


ROLES = {"clerk": DATA_ENTRY, "reviewer": REVIEWER, "official": OFFICIAL}
