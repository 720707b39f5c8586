"""Login throttling (django-axes): after AXES_FAILURE_LIMIT (5) wrong passwords the next
attempt is refused with a clear Chinese message, even with the right password; on the
site's login form and on the admin's."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import cooperation.settings

pytestmark = pytest.mark.django_db
RIGHT = "pw-12345-test"  # the password of the role fixtures (tests/conftest.py)
LOGIN_PAGES = [reverse("login"), reverse("admin:login")]


def _attempt(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_the_attempt_after_five_wrong_passwords_is_refused_even_when_right(url, clerk):
    client = Client()
    for _ in range(4):
        response = _attempt(client, url, "clerk", "wrong")
        assert response.status_code == 200  # the login form again, with its error
    _attempt(client, url, "clerk", "wrong")  # the fifth: this one already shows the lock
    response = _attempt(client, url, "clerk", RIGHT)

    assert response.status_code == 429
    page = response.content.decode()
    assert "账户已锁定" in page
    assert "密码连续输错 5 次" in page and "即使密码正确" in page
    assert "60 分钟后再试" in page  # AXES_COOLOFF_HOURS=1
    assert not _signed_in(client)


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_four_wrong_passwords_still_let_the_right_one_in(url, clerk):
    client = Client()
    for _ in range(4):
        _attempt(client, url, "clerk", "wrong")
    response = _attempt(client, url, "clerk", RIGHT)
    assert response.status_code == 302
    assert _signed_in(client)


def test_the_lock_holds_from_another_address(clerk):
    for _ in range(5):
        _attempt(Client(), reverse("login"), "clerk", "wrong", REMOTE_ADDR="10.0.0.1")
    response = _attempt(Client(), reverse("login"), "clerk", RIGHT, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_an_address_guessing_many_accounts_is_locked_too(clerk, reviewer):
    # Five wrong passwords spread over accounts (password spraying) from one address.
    for username in ("reviewer", "nobody1", "nobody2", "nobody3", "nobody4"):
        _attempt(Client(), reverse("login"), username, "wrong", REMOTE_ADDR="10.0.0.9")
    locked = _attempt(Client(), reverse("login"), "clerk", RIGHT, REMOTE_ADDR="10.0.0.9")
    elsewhere = _attempt(Client(), reverse("login"), "clerk", RIGHT, REMOTE_ADDR="10.0.0.10")
    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_behind_a_proxy_clients_are_told_apart_by_the_forwarded_address(
    clerk, reviewer, monkeypatch
):
    monkeypatch.setattr(cooperation.settings, "PROXY_COUNT", 1)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from the proxy
    for username in ("nobody1", "nobody2", "nobody3", "nobody4", "nobody5"):
        _attempt(
            Client(), reverse("login"), username, "wrong", HTTP_X_FORWARDED_FOR="10.1.1.1", **proxy
        )
    colleague = _attempt(
        Client(), reverse("login"), "clerk", RIGHT, HTTP_X_FORWARDED_FOR="10.1.1.2", **proxy
    )
    # A forged first entry does not help the locked client: the proxy's entry counts.
    forged = _attempt(
        Client(),
        reverse("login"),
        "reviewer",
        RIGHT,
        HTTP_X_FORWARDED_FOR="10.9.9.9, 10.1.1.1",
        **proxy,
    )
    assert colleague.status_code == 302
    assert forged.status_code == 429


def test_a_successful_login_resets_the_count(clerk):
    client = Client()
    for _ in range(4):
        _attempt(client, reverse("login"), "clerk", "wrong")
    assert _attempt(client, reverse("login"), "clerk", RIGHT).status_code == 302
    client = Client()
    for _ in range(4):
        _attempt(client, reverse("login"), "clerk", "wrong")
    assert _attempt(client, reverse("login"), "clerk", RIGHT).status_code == 302


def test_an_administrator_can_unlock_an_account(clerk):
    from axes.utils import reset

    for _ in range(5):
        _attempt(Client(), reverse("login"), "clerk", "wrong")
    reset(username="clerk")
    reset(ip="127.0.0.1")
    assert _attempt(Client(), reverse("login"), "clerk", RIGHT).status_code == 302
    assert get_user_model().objects.get(username="clerk").last_login is not None
