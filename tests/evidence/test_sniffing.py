"""The type of an evidence file comes from its content, never from its name."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from evidence import sniffing

from .conftest import DOCX, EXE, JPEG, PDF, PNG, XLSX, upload, zipped


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("拨付凭证.pdf", PDF, sniffing.PDF),
        ("现场照片.jpg", JPEG, sniffing.JPEG),
        ("现场照片.JPEG", JPEG, sniffing.JPEG),
        ("签到表.png", PNG, sniffing.PNG),
        ("实施方案.docx", DOCX, sniffing.DOCX),
        ("资金明细.xlsx", XLSX, sniffing.XLSX),
    ],
)
def test_each_accepted_type_is_recognised(name, content, expected):
    found = sniffing.check(upload(name, content))
    assert found is expected
    assert (
        found.mime
        == {
            sniffing.PDF: "application/pdf",
            sniffing.JPEG: "image/jpeg",
            sniffing.PNG: "image/png",
            sniffing.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            sniffing.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[expected]
    )


def refusal(name, content, **kwargs):
    with pytest.raises(ValidationError) as raised:
        sniffing.check(upload(name, content), **kwargs)
    return raised.value.messages[0]


def test_a_png_renamed_to_pdf_is_refused_naming_both():
    assert refusal("合同.pdf", PNG).startswith("文件名为 .pdf，内容却是 PNG 图片。")


def test_a_docx_renamed_to_xlsx_is_refused_naming_both():
    assert refusal("明细.xlsx", DOCX).startswith("文件名为 .xlsx，内容却是 Word 文档（DOCX）。")


def test_an_executable_named_pdf_is_refused_with_the_accepted_types():
    message = refusal("发票.pdf", EXE)
    assert message == (
        "文件名为 .pdf，内容却是 Windows 可执行程序。只接受 PDF、JPEG、PNG、DOCX、XLSX 文件。"
    )


def test_an_executable_under_its_own_name_is_refused():
    assert refusal("setup.exe", EXE) == (
        "文件名为 .exe，内容却是 Windows 可执行程序。只接受 PDF、JPEG、PNG、DOCX、XLSX 文件。"
    )


def test_a_zip_that_is_no_office_file_is_refused():
    assert refusal("资料.zip", zipped("readme.txt")).startswith(
        "文件名为 .zip，内容却是 ZIP 压缩包。"
    )


def test_html_is_refused():
    message = refusal("照片.png", b"  <html><script>alert(1)</script></html>")
    assert message.startswith("文件名为 .png，内容却是 网页或 XML 文件。")


def test_unrecognised_content_is_refused():
    assert refusal("说明.pdf", b"just some text\n") == (
        "文件“说明.pdf”的内容无法识别。只接受 PDF、JPEG、PNG、DOCX、XLSX 文件。"
    )


def test_an_empty_file_is_refused():
    assert refusal("合同.pdf", b"") == "文件“合同.pdf”是空的。"


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_a_file_over_the_configured_size_is_refused():
    assert sniffing.check(upload("a.pdf", PDF.ljust(100, b" "))) is sniffing.PDF  # 100 bytes: ok
    # filesizeformat puts a no-break space between number and unit
    assert refusal("b.pdf", PDF.ljust(101, b" ")) == (
        "文件“b.pdf”大小为 101\xa0字节，超过上限 100\xa0字节。"
    )


def test_a_name_without_extension_takes_the_content_type():
    assert sniffing.check(upload("扫描件", PDF)) is sniffing.PDF
    # the last dot of a date is no extension
    assert sniffing.check(upload("2021.03.15 合同", PDF)) is sniffing.PDF


def test_the_default_limit_is_20_mb(settings):
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024
