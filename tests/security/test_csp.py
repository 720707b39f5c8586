"""The Content-Security-Policy forbids inline script and style, so no page may rely on
them: every page of the site and of the admin (Django's, django-import-export's and
django-simple-history's templates included) is checked for inline <script>, <style>,
style="…", on…= handlers and javascript: URLs, which the browser would refuse."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from projects.resources import ProjectResource
from tests.conftest import admin_registry

from .forms import form_data
from .fuzzing import enumerable_paths, site_routes

pytestmark = pytest.mark.django_db
DATA_SCRIPTS = {"application/json", "application/ld+json"}  # data, never executed


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())[:120]}>"
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPTS:
            self._script = where
        if tag == "style":
            self.found.append(("inline <style>", where))
        for name, value in attrs.items():
            if name == "style":
                self.found.append(("style attribute", where))
            elif name.startswith("on"):
                self.found.append(("event handler attribute", where))
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(("javascript: URL", where))

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(("inline <script>", self._script))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def _html_pages(client, paths):
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield path, response


def test_no_site_page_needs_inline_code(client, sample_records, admin_user):
    client.force_login(admin_user)  # staff see every page, and the staff-only parts
    paths = [p for route in site_routes() for p in enumerable_paths(route) or ()]
    checked = 0
    for path, response in _html_pages(client, paths):
        assert inline_code(response) == [], path
        checked += 1
    assert checked >= 10


def _admin_pages(records):
    yield reverse("admin:index")
    yield reverse("admin:password_change")
    for model in admin_registry():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{info}_changelist")
        yield reverse(f"{info}_add")
        for view in ("import", "export"):  # django-import-export, where the admin has them
            try:
                yield reverse(f"{info}_{view}")
            except NoReverseMatch:
                pass
        obj = records.get(model)
        if obj is not None:
            for view in ("change", "history", "delete"):
                yield reverse(f"{info}_{view}", args=[obj.pk])
            history = getattr(obj, "history", None)
            if history is not None and history.exists():
                yield reverse(f"{info}_simple_history", args=[obj.pk, history.first().pk])


def test_no_admin_page_needs_inline_code(admin_client, sample_records):
    records = {}
    for model in admin_registry():
        obj = model._base_manager.order_by("pk").first()
        if obj is not None:
            records[model] = obj
    pages = list(_admin_pages(records))
    problems = {}
    for path, response in _html_pages(admin_client, pages):
        found = inline_code(response)
        if found:
            problems[path] = found
    assert problems == {}
    assert len(pages) > 60


def test_the_import_preview_needs_no_inline_code(admin_client, partnership):
    headers = [str(h) for h in ProjectResource().get_export_headers()]
    row = {
        "协作关系": str(partnership),
        "资金年度": "2021",
        "项目名称": "预览项目",
        "项目类别": "产业发展",
    }
    text = ",".join(headers) + "\r\n" + ",".join(row.get(h, "") for h in headers) + "\r\n"
    upload = SimpleUploadedFile("projects.csv", text.encode("utf-8-sig"), "text/csv")
    page = admin_client.get(reverse("admin:projects_project_import"))
    data = form_data(page.content.decode(), having="resource")
    data.pop("format", None)  # chosen from the file
    data["import_file"] = upload
    response = admin_client.post(reverse("admin:projects_project_import"), data)
    assert response.status_code == 200
    assert 'name="confirm"' in response.content.decode()  # the preview, with its rows
    assert "预览项目" in response.content.decode()
    assert inline_code(response) == []
