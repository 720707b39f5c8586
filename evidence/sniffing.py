"""What an uploaded file is, read from its first bytes (and, for a ZIP, the names inside
it), never from its name: evidence files may be PDF, JPEG, PNG, DOCX or XLSX.

`check(upload)` returns the file's `FileType` or raises ValidationError with a sentence a
clerk can act on: the file is empty, too large, not of an accepted type (naming what it
is, when that is known), or its name claims one type while its content is another
(“文件名为 .pdf，内容却是 PNG 图片”)."""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HEAD = 16  # bytes read to recognise a file


@dataclass(frozen=True)
class FileType:
    label: str  # what a clerk reads: "PDF 文档"
    mime: str
    extensions: tuple  # the first is the one given to a download without one

    @property
    def extension(self):
        return self.extensions[0]


PDF = FileType(_("PDF 文档"), "application/pdf", (".pdf",))
JPEG = FileType(_("JPEG 图片"), "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType(_("PNG 图片"), "image/png", (".png",))
DOCX = FileType(
    _("Word 文档（DOCX）"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    _("Excel 表格（XLSX）"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
ACCEPTED = (PDF, JPEG, PNG, DOCX, XLSX)
ACCEPTED_NAMES = "PDF、JPEG、PNG、DOCX、XLSX"

# Plain signatures of the accepted types (DOCX and XLSX are ZIP files: see _zip_type).
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
ZIP = b"PK\x03\x04"
# Files recognised only to be named in the refusal.
REFUSED_SIGNATURES = (
    (b"MZ", _("Windows 可执行程序")),
    (b"\x7fELF", _("Linux 可执行程序")),
    (b"\xcf\xfa\xed\xfe", _("macOS 可执行程序")),
    (b"#!", _("脚本程序")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("旧版 Office 文档（DOC、XLS）")),
    (b"GIF87a", _("GIF 图片")),
    (b"GIF89a", _("GIF 图片")),
    (b"Rar!\x1a\x07", _("RAR 压缩包")),
    (b"7z\xbc\xaf\x27\x1c", _("7z 压缩包")),
    (b"\x1f\x8b", _("GZIP 压缩包")),
)
MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")


def _zip_type(upload):
    """DOCX or XLSX by the part every such file holds; None for any other ZIP. Only the
    ZIP's directory is read, nothing is decompressed."""
    upload.seek(0)
    try:
        names = set(zipfile.ZipFile(upload).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect(upload):
    """(FileType, None) for an accepted file; (None, what it is) otherwise, the second an
    everyday description, or None when the content is not recognised."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    for signature, file_type in SIGNATURES:
        if head.startswith(signature):
            return file_type, None
    if head.startswith(ZIP):
        found = _zip_type(upload)
        return (found, None) if found else (None, _("ZIP 压缩包"))
    for signature, description in REFUSED_SIGNATURES:
        if head.startswith(signature):
            return None, description
    if head.lstrip().lower().startswith(MARKUP):
        return None, _("网页或 XML 文件")
    return None, None


def claimed_type(name):
    """The accepted type the file's name ends in, or None; and that ending ("" for none:
    also for a name whose last dot is not an extension's, "2021.03.15 合同")."""
    suffix = PurePath(name or "").suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    return next((t for t in ACCEPTED if suffix in t.extensions), None), suffix


def check(upload, max_bytes=None):
    """The FileType of `upload` (a Django File: an uploaded file, or a stored one), or
    ValidationError saying why it is refused."""
    name = PurePath(upload.name or "").name
    limit = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    if not upload.size:
        raise ValidationError(gettext("文件“%(name)s”是空的。") % {"name": name}, code="empty")
    if upload.size > limit:
        raise ValidationError(
            gettext("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    found, description = detect(upload)
    claimed, suffix = claimed_type(name)
    accepted = gettext("只接受 %(types)s 文件。") % {"types": ACCEPTED_NAMES}
    if found is None:
        if description is None:
            message = gettext("文件“%(name)s”的内容无法识别。") % {"name": name}
        elif suffix:
            message = gettext("文件名为 %(suffix)s，内容却是 %(what)s。") % {
                "suffix": suffix,
                "what": description,
            }
        else:
            message = gettext("文件“%(name)s”的内容是 %(what)s。") % {
                "name": name,
                "what": description,
            }
        raise ValidationError(f"{message}{accepted}", code="refused_type")
    if suffix and claimed is not found:
        raise ValidationError(
            gettext(
                "文件名为 %(suffix)s，内容却是 %(what)s。请检查是否选错了文件，或按内容改正文件名。"
            )
            % {"suffix": suffix, "what": found.label},
            code="mismatch",
        )
    return found
