"""Login throttling (cooperation/login_throttle.py): five wrong passwords for one account
from one address lock that pair, twenty from one address lock the address, thirty for one
account from everywhere lock it for browsers it never signed in from; a success clears only
its own account at its own address. On the site's login form and on the admin's."""

import pytest
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import cooperation.settings
from cooperation.login_throttle import DEVICE_COOKIE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN_PAGES = [reverse("login"), reverse("admin:login")]


def _attempt(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def _login(username, password, address, client=None):
    return _attempt(client or Client(), reverse("login"), username, password, REMOTE_ADDR=address)


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_the_attempt_after_five_wrong_passwords_is_refused_even_when_right(url, clerk):
    client = Client()
    for _ in range(4):
        response = _attempt(client, url, "clerk", "wrong")
        assert response.status_code == 200  # the login form again, with its error
    _attempt(client, url, "clerk", "wrong")  # the fifth: this one already shows the lock
    response = _attempt(client, url, "clerk", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "暂时不能登录" in page
    assert "密码连续输错 5 次" in page and "即使密码正确" in page
    assert "60 分钟后再试" in page  # AXES_COOLOFF_HOURS=1
    assert not _signed_in(client)


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_four_wrong_passwords_still_let_the_right_one_in(url, clerk):
    client = Client()
    for _ in range(4):
        _attempt(client, url, "clerk", "wrong")
    response = _attempt(client, url, "clerk", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_stranger_cannot_lock_the_clerk_out_from_elsewhere(clerk):
    # Five (and more) wrong passwords for "clerk" from a stranger's address...
    for _ in range(8):
        _login("clerk", "wrong", "10.0.0.1")
    assert _login("clerk", PASSWORD, "10.0.0.1").status_code == 429  # ...lock him out there,
    # ...but the clerk, at her own desk, still signs in.
    assert _login("clerk", PASSWORD, "10.0.0.2").status_code == 302


def test_a_successful_login_of_his_own_account_does_not_reset_guesses_at_another(clerk, reviewer):
    """Four guesses at "clerk", a login as himself, and again: the guesser is stopped at
    the fifth guess, not after twenty (AXES_RESET_ON_SUCCESS used to wipe the address)."""
    answers = []
    for _round in range(3):
        for _ in range(4):
            answers.append(_login("clerk", "wrong", "10.0.0.5").status_code)
        assert _login("reviewer", PASSWORD, "10.0.0.5").status_code == 302
    assert answers[:4] == [200] * 4
    assert 429 in answers[4:6]  # locked at the fifth guess, whatever his own logins
    assert _login("clerk", PASSWORD, "10.0.0.5").status_code == 429


def test_a_success_clears_its_own_failures(clerk):
    for _ in range(4):
        _login("clerk", "wrong", "10.0.0.7")
    assert _login("clerk", PASSWORD, "10.0.0.7").status_code == 302
    for _ in range(4):
        _login("clerk", "wrong", "10.0.0.7")
    assert _login("clerk", PASSWORD, "10.0.0.7").status_code == 302


def test_an_address_guessing_many_accounts_is_locked(clerk, reviewer, settings):
    # Password spraying: one or two guesses per account, twenty in all, from one address.
    for i in range(20):
        _login(f"nobody{i % 10}", "wrong", "10.0.0.9")
    locked = _login("clerk", PASSWORD, "10.0.0.9")
    elsewhere = _login("clerk", PASSWORD, "10.0.0.10")
    assert locked.status_code == 429
    assert "网络地址" in locked.content.decode()
    assert elsewhere.status_code == 302


def test_nineteen_spread_failures_do_not_lock_the_address(clerk):
    for i in range(19):
        _login(f"nobody{i % 10}", "wrong", "10.0.0.11")
    assert _login("clerk", PASSWORD, "10.0.0.11").status_code == 302


def test_guessing_one_account_from_many_addresses_stops_but_her_own_browser_gets_in(clerk):
    desk = Client()
    assert _login("clerk", PASSWORD, "10.0.1.1", client=desk).status_code == 302
    assert DEVICE_COOKIE in desk.cookies  # this browser is now known to her account
    assert desk.post(reverse("logout")).status_code == 302
    assert not _signed_in(desk) and DEVICE_COOKIE in desk.cookies  # kept after signing out
    # Thirty guesses from ten addresses, three each: no pair reaches five; the thirtieth
    # already shows the lock.
    answers = [_login("clerk", "wrong", f"10.0.2.{i % 10}").status_code for i in range(30)]
    assert answers == [200] * 29 + [429]
    # Any new browser, from any address, is refused for this account...
    refused = _login("clerk", PASSWORD, "10.0.3.1")
    assert refused.status_code == 429
    assert "以前登录过的浏览器" in refused.content.decode()
    # ...but her own browser signs in, from a new address too.
    assert _login("clerk", PASSWORD, "10.0.3.2", client=desk).status_code == 302
    assert _signed_in(desk)


def test_a_device_cookie_of_another_account_or_forged_does_not_help(clerk, reviewer):
    other = Client()
    assert _login("reviewer", PASSWORD, "10.0.4.1", client=other).status_code == 302
    other.post(reverse("logout"))
    for i in range(30):
        _login("clerk", "wrong", f"10.0.5.{i % 10}")
    assert _login("clerk", PASSWORD, "10.0.4.1", client=other).status_code == 429
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = "clerk"
    assert _login("clerk", PASSWORD, "10.0.4.2", client=forged).status_code == 429


def test_behind_a_proxy_clients_are_told_apart_by_the_forwarded_address(
    clerk, reviewer, monkeypatch
):
    monkeypatch.setattr(cooperation.settings, "PROXY_COUNT", 1)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from the proxy
    for _ in range(5):
        _attempt(
            Client(),
            reverse("login"),
            "reviewer",
            "wrong",
            HTTP_X_FORWARDED_FOR="10.1.1.1",
            **proxy,
        )
    colleague = _attempt(
        Client(), reverse("login"), "reviewer", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.2", **proxy
    )
    # A forged first entry does not help the locked client: the proxy's entry counts.
    forged = _attempt(
        Client(),
        reverse("login"),
        "reviewer",
        PASSWORD,
        HTTP_X_FORWARDED_FOR="10.9.9.9, 10.1.1.1",
        **proxy,
    )
    assert colleague.status_code == 302
    assert forged.status_code == 429


def test_an_administrator_can_unlock_an_account(clerk):
    for _ in range(5):
        _attempt(Client(), reverse("login"), "clerk", "wrong")
    reset(username="clerk")
    assert _attempt(Client(), reverse("login"), "clerk", PASSWORD).status_code == 302
    assert get_user_model().objects.get(username="clerk").last_login is not None
