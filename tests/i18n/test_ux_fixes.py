"""Findings of the UX review (issue 20): the favicon and the page description, `make run
PORT=`, the admin index's order and its login logs, headings and labels, and money and
punctuation in English."""

import gettext
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from cooperation.dashboard.indicators import registry
from cooperation.templatetags.coop import figure, in_yi
from tests.i18n.helpers import CJK
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)"')
SEARCH_LABEL = re.compile(r'<label for="searchbar">(.*?)</label>', re.S)
TAG = re.compile(r"<[^>]+>")
FULL_WIDTH_PUNCTUATION = re.compile(r"[：，；。！？（）【】《》、]")


@pytest.fixture
def static_files(settings):
    """Static files served from the apps' and the project's folders, as in development
    (before the test client's first request builds its middleware)."""
    settings.WHITENOISE_USE_FINDERS = True


def switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


# --- 1. Page metadata --------------------------------------------------------------------


@pytest.mark.parametrize("page", [LOGIN, reverse("admin:login")])
def test_pages_link_a_favicon_that_is_served(client, static_files, page):
    icons = ICON_LINK.findall(client.get(page).content.decode())
    assert icons == [static("favicon.svg"), static("favicon.ico")]
    svg = client.get(icons[0])
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(svg.streaming_content)


def test_favicon_ico_at_the_root_leads_to_the_icon(client, static_files):
    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain == [(static("favicon.ico"), 302)]
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_pages_have_a_description_in_chinese(client):
    [description] = DESCRIPTION.findall(client.get(LOGIN).content.decode())
    assert description.startswith("东西部协作台账：")


def test_pages_have_a_description_in_english(client):
    switch_to_english(client)
    [description] = DESCRIPTION.findall(client.get(LOGIN).content.decode())
    assert description.startswith("East–West Cooperation Records: ")
    assert not CJK.search(description)


# --- 2. make run PORT= -------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("make"), reason="make missing")
@pytest.mark.parametrize(
    ("args", "address"), [([], "127.0.0.1:8000"), (["PORT=8001"], "127.0.0.1:8001")]
)
def test_make_run_serves_on_the_port_asked_for(args, address):
    # Run from `make test` too: no inherited make variables, no "Entering directory" lines.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    }
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "run", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = [line for line in dry_run.splitlines() if "manage.py runserver" in line]
    assert serve and serve[-1].endswith(f"manage.py runserver {address}"), dry_run


# --- 3. The admin index ------------------------------------------------------------------


def app_labels(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [app["app_label"] for app in response.context["app_list"]]


def test_the_admin_index_lists_data_entry_first_and_login_logs_last(client, admin_user):
    client.force_login(admin_user)
    assert app_labels(client) == ["cooperation", "projects", "labor", "auth", "axes"]


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


# --- 4. Headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "heading"), [(LOGIN, "<h1>登录</h1>"), (reverse("admin:login"), "<h1>登录</h1>")]
)
def test_login_pages_have_a_heading(client, page, heading):
    assert heading in client.get(page).content.decode()


# --- 5. The admin's search box -----------------------------------------------------------


def search_label(client):
    html = client.get(reverse("admin:cooperation_organisation_changelist")).content.decode()
    [label] = SEARCH_LABEL.findall(html)
    return TAG.sub("", label).strip()


def test_the_admin_search_box_is_labelled_in_chinese(client, admin_user):
    client.force_login(admin_user)
    assert search_label(client) == "搜索"


def test_the_admin_search_box_is_labelled_in_english(client, admin_user):
    client.force_login(admin_user)
    switch_to_english(client)
    assert search_label(client) == "Search"


# --- 6. English wording ------------------------------------------------------------------

AID_FUNDS = registry["funds.aid"]  # an indicator in 万元


@pytest.mark.parametrize(
    ("wan", "chinese", "english"),
    [
        (Decimal("112700"), "11.27 亿元", "1.127 billion yuan"),
        (Decimal("46000"), "4.60 亿元", "460 million yuan"),
        (Decimal("10000"), "1.00 亿元", "100 million yuan"),
        (Decimal("99999.6"), "10.00 亿元", "1.000 billion yuan"),  # not "1,000 million"
        (Decimal("9999.99"), "", ""),  # under 1 亿元: the figure in 万元 alone
    ],
)
def test_large_amounts_read_in_billions_and_millions_in_english(wan, chinese, english):
    assert in_yi(wan, AID_FUNDS) == chinese
    with translation.override("en"):
        assert in_yi(wan, AID_FUNDS) == english


def test_amounts_in_wan_read_10k_yuan_in_english():
    with translation.override("en"):
        assert f"{figure(Decimal('12.5'), AID_FUNDS)} {AID_FUNDS.unit}" == "12.50 10k yuan"


def test_the_english_dashboard_shows_a_billion_yuan_as_such(client, partnership):
    ProjectFactory(partnership=partnership, aid_funds=Decimal("112700"))
    query = {"partnership": partnership.pk, "year": 2021}
    assert "11.27 亿元" in client.get(reverse("cooperation:dashboard"), query).content.decode()
    switch_to_english(client)
    html = client.get(reverse("cooperation:dashboard"), query).content.decode()
    assert '<p class="card-yi">1.127 billion yuan</p>' in html
    assert "hundred million" not in html


def english_catalogue():
    mo = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    with open(mo, "rb") as file:
        return gettext.GNUTranslations(file)._catalog


def test_english_translations_have_no_full_width_punctuation():
    found = {
        msgid: text
        for msgid, text in english_catalogue().items()
        if msgid and FULL_WIDTH_PUNCTUATION.search(text)
    }
    assert found == {}


def test_english_admin_names_one_record_in_the_singular(admin_client):
    switch_to_english(admin_client)
    page = admin_client.get(reverse("admin:projects_project_add")).content.decode()
    assert "Add Cooperation-funded project<" in page or "Add Cooperation-funded project " in page
    assert "Add Cooperation-funded projects" not in page
    listing = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "Cooperation-funded projects" in listing  # the plural stays plural


def test_english_list_errors_use_an_ascii_colon(client):
    switch_to_english(client)
    page = client.get(reverse("projects:projects"), {"year": "abc"}).content.decode()
    errors = re.findall(r'<p class="error">(.*?)</p>', page)
    assert errors and all("：" not in e for e in errors), errors
