"""The 400, 403, 404, 500 and CSRF-failure pages: in the site's layout, in the visitor's
language, saying what to do next, without inline code (the CSP refuses it) and without
the exception's own text."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from cooperation import errors
from tests.conftest import PASSWORD

from .test_csp import inline_code

pytestmark = pytest.mark.django_db
ERROR_URLS = "tests.security.error_urls"
CSRF_VIEW = "cooperation.errors.csrf_failure"
WORKERS = reverse("labor:workers")
STYLESHEET = '<link rel="stylesheet" href="/static/css/site.css">'


def html(response):
    return response.content.decode()


def assert_site_layout(response):
    page = html(response)
    assert STYLESHEET in page
    assert 'class="site-header"' in page
    assert 'class="main-nav"' in page
    assert inline_code(response) == []


# --- 403 -------------------------------------------------------------------------------------


@pytest.mark.urls(ERROR_URLS)
def test_an_anonymous_visitor_refused_a_page_is_asked_to_log_in_and_come_back(client):
    response = client.get("/test-errors/staff-only/?year=2021&town=1")
    assert response.status_code == 403
    assert_site_layout(response)
    page = html(response)
    assert "没有权限打开这个页面" in page
    assert "这个页面只有登录后、具有相应权限的工作人员才能打开。" in page
    next_path = "/test-errors/staff-only/%3Fyear%3D2021%26town%3D1"
    assert f'href="/accounts/login/?next={next_path}"' in page
    assert "登录后继续" in page
    assert "developer" not in page  # the exception's text is not for visitors


def test_an_official_is_told_to_ask_for_the_personal_data_permission(client, official):
    client.force_login(official)
    response = client.get(WORKERS)
    assert response.status_code == 403
    assert_site_layout(response)
    page = html(response)
    assert "你的账户没有打开这个页面所需的权限。" in page
    assert "请联系本单位的系统管理员" in page
    assert "“查看个人信息”权限" in page
    assert f'href="{reverse("cooperation:dashboard")}">返回协作总览</a>' in page
    assert "登录后继续" not in page


def test_the_full_id_export_refused_to_an_official_gives_the_same_page(client, official):
    client.force_login(official)
    response = client.get(reverse("labor:workers_export", kwargs={"fmt": "csv"}) + "?full=1")
    assert response.status_code == 403
    assert "“查看个人信息”权限" in html(response)


def test_the_403_page_is_english_for_an_english_browser(client, official):
    client.force_login(official)
    response = client.get(WORKERS, headers={"accept-language": "en"})
    assert response.status_code == 403
    page = html(response)
    assert '<html lang="en">' in page
    assert "<h1>You may not open this page</h1>" in page
    assert "ask your office’s system administrator for the permission" in page
    assert "“View personal data” permission" in page
    assert "查看个人信息" not in page


# --- 404 -------------------------------------------------------------------------------------


def test_a_missing_page_gives_the_404_page_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_layout(response)
    page = html(response)
    assert "<h1>找不到这个页面</h1>" in page
    assert "也可能它不在你能查看的范围内" in page
    assert f'<li><a href="{reverse("cooperation:dashboard")}">协作总览</a></li>' in page
    assert f'href="/{settings.ADMIN_URL}"' not in page  # the admin is for staff


def test_a_missing_record_gives_the_404_page_with_the_admin_link_for_staff(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("cooperation:chart_svg", kwargs={"key": "no-such-chart"}))
    assert response.status_code == 404
    assert "<h1>找不到这个页面</h1>" in html(response)
    assert f'<li><a href="/{settings.ADMIN_URL}">数据录入</a></li>' in html(response)


def test_the_404_page_follows_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="en">' in html(response)
    assert "<h1>Page not found</h1>" in html(response)


# --- 400 -------------------------------------------------------------------------------------


@pytest.mark.urls(ERROR_URLS)
def test_a_bad_request_gives_the_400_page_with_a_way_back(client):
    response = client.get("/test-errors/bad-request/?colour=red")
    assert response.status_code == 400
    assert_site_layout(response)
    page = html(response)
    assert "<h1>无法处理这个请求</h1>" in page
    assert "例如页面不提供的筛选条件或参数" in page
    assert '<a href="/test-errors/bad-request/">重新打开这个页面（不带筛选条件）</a>' in page
    assert "developer" not in page


def test_a_request_for_another_host_name_gets_the_400_page(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_site_layout(response)
    assert "<h1>无法处理这个请求</h1>" in html(response)
    assert "evil.example" not in html(response)


def test_the_400_page_shows_a_message_it_is_given_escaped():
    request = RequestFactory().get("/projects/?colour=red")
    page = render_to_string(
        "400.html", {"message": "此列表不能按“<b>colour</b>”筛选。"}, request=request
    )
    assert '<p class="error" role="alert">此列表不能按“&lt;b&gt;colour&lt;/b&gt;”筛选。</p>' in page


# --- CSRF failure ----------------------------------------------------------------------------


def test_a_login_form_without_its_csrf_token_gives_the_expired_form_page(settings):
    settings.CSRF_FAILURE_VIEW = CSRF_VIEW
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 403
    assert_site_layout(response)
    page = html(response)
    assert "<h1>表单已过期，未能提交</h1>" in page
    assert "请返回上一页，刷新页面后重新填写并提交。" in page
    assert "请确认浏览器允许本网站使用 Cookie" in page
    assert "CSRF" not in page


def test_the_expired_form_page_is_english_for_an_english_browser(settings):
    settings.CSRF_FAILURE_VIEW = CSRF_VIEW
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {}, headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "<h1>The form has expired and was not submitted</h1>" in html(response)
    assert "make sure your browser allows cookies for this site" in html(response)


# --- 500 -------------------------------------------------------------------------------------


@pytest.mark.urls(ERROR_URLS)
def test_a_failing_view_gives_the_500_page(clerk):
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    page = html(response)
    assert STYLESHEET in page
    assert 'class="site-header"' in page
    assert "<h1>服务器出错</h1>" in page
    assert "错误已经记录" in page
    assert "请稍后再试" in page
    assert "联系系统管理员" in page
    assert "A view failing on purpose" not in page
    assert "clerk" not in page  # nothing of the visitor: the page is the same for everyone
    assert inline_code(response) == []


@pytest.mark.urls(ERROR_URLS)
def test_the_500_page_is_english_for_an_english_browser():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/", headers={"accept-language": "en"})
    assert response.status_code == 500
    assert '<html lang="en">' in html(response)
    assert "<h1>Server error</h1>" in html(response)


def test_the_500_page_needs_no_database(django_assert_num_queries):
    """Whatever broke may be the database: the page must not query it."""
    with django_assert_num_queries(0):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>服务器出错</h1>" in html(response)


def test_the_500_handler_falls_back_to_plain_text(monkeypatch):
    def broken_template(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors, "render_to_string", broken_template)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert html(response) == "服务器出错。错误已经记录，请稍后再试，或联系系统管理员。"
