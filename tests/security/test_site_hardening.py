"""Session expiry, the admin at a configurable URL, and the security headers."""

import datetime
import importlib

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django.utils import timezone

import cooperation.urls
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client):
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_session_cookie_ends_with_the_browser(client, clerk):
    cookie = _log_in(client).cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # no persistent cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_session_expires_on_the_server_after_a_working_day(client, clerk):
    _log_in(client)
    session = Session.objects.get()
    # SESSION_COOKIE_AGE = 8 hours from the login.
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)


def test_an_expired_session_is_sent_back_to_the_login(client, clerk):
    _log_in(client)
    assert client.get(reverse("admin:index")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def admin_at(request):
    """Serves the admin at another path for one test (the URLconf is rebuilt)."""

    def move(path):
        override = override_settings(ADMIN_URL=path)
        override.enable()
        request.addfinalizer(lambda: (override.disable(), _reload(cooperation.urls)))
        _reload(cooperation.urls)

    def _reload(module):
        importlib.reload(module)
        clear_url_caches()

    return move


def test_the_admin_is_served_at_the_configured_url(client, admin_at, admin_user):
    admin_at("verwaltung-7f3/")
    assert client.get("/admin/").status_code == 404
    response = client.get("/verwaltung-7f3/")
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung-7f3/login/")
    client.force_login(admin_user)
    assert client.get("/verwaltung-7f3/").status_code == 200
    # The staff link in the site's header points there too.
    assert 'href="/verwaltung-7f3/"' in client.get(reverse("login")).content.decode()


def _csp(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
def test_the_content_security_policy_allows_no_inline_code(client, url):
    response = client.get(url)
    policy = _csp(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_security_headers_are_sent(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
