"""What the layouts give every page (templates/base.html and the admin's base_site.html,
login.html and search_form.html): a favicon that is served (and /favicon.ico at the root
leads to it), a description in the reader's language, a heading on both login pages, and
a label on the admin's search box in the reader's language."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from tests.i18n.helpers import CJK, switch_to

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)"')
SEARCH_LABEL = re.compile(r'<label for="searchbar">(.*?)</label>', re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def static_files(settings):
    """Static files served from the apps' and the project's folders, as in development
    (before the test client's first request builds its middleware)."""
    settings.WHITENOISE_USE_FINDERS = True


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
    switch_to(client, "en")
    [description] = DESCRIPTION.findall(client.get(LOGIN).content.decode())
    assert description.startswith("East–West Cooperation Records: ")
    assert not CJK.search(description)


@pytest.mark.parametrize(
    ("page", "heading"), [(LOGIN, "<h1>登录</h1>"), (reverse("admin:login"), "<h1>登录</h1>")]
)
def test_login_pages_have_a_heading(client, page, heading):
    assert heading in client.get(page).content.decode()


def search_label(client):
    html = client.get(reverse("admin:cooperation_organisation_changelist")).content.decode()
    [label] = SEARCH_LABEL.findall(html)
    return TAG.sub("", label).strip()


def test_the_admin_search_box_is_labelled_in_chinese(client, admin_user):
    client.force_login(admin_user)
    assert search_label(client) == "搜索"


def test_the_admin_search_box_is_labelled_in_english(client, admin_user):
    client.force_login(admin_user)
    switch_to(client, "en")
    assert search_label(client) == "Search"
