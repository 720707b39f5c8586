"""The year confirmed in chromium: the western and the eastern reviewer each confirm from the
year page (a remark typed beside a figure), the year closes, the clerk finds the year's
project read-only with the reason, and the year page has no serious accessibility
violation (screenshot in artifacts/year-confirmed-zh.png)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from confirmation import state
from cooperation.models import UserArea
from cooperation.roles import DATA_ENTRY, REVIEWER
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD, YEAR
from tests.cooperation.factories import PartnershipFactory
from tests.projects.factories import ProjectFactory


def _staff(username, role, county):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    UserArea.objects.create(user=user, region_id=county)
    return user


def _signed_in(chromium, base, username):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    return context, page


@pytest.fixture
def project(site):
    return ProjectFactory(partnership=PartnershipFactory(), name="茶园项目")


def test_both_sides_confirm_and_the_clerk_finds_the_year_closed(chromium, site, project, artifacts):
    _staff("hanbin-reviewer", REVIEWER, "610902")
    _staff("wujin-reviewer", REVIEWER, "320412")
    _staff("hanbin-clerk", DATA_ENTRY, "610902")
    year_page = f"{site.url}/years/{project.partnership_id}/{YEAR}/"
    for username, side in (("hanbin-reviewer", "西部"), ("wujin-reviewer", "东部")):
        context, page = _signed_in(chromium, site.url, username)
        try:
            page.goto(year_page)
            if username == "hanbin-reviewer":
                page.fill('[name="remark-funds.aid"]', "以财政局拨款文件为准")
            page.get_by_role("button", name=f"以{side}审核员身份确认 {YEAR} 年度数据").click()
            page.locator("ul.messages li.success").wait_for()
            if username == "wujin-reviewer":
                assert "双方已确认" in page.locator(".year-state").inner_text()
                assert "以财政局拨款文件为准" in page.content()
                assert not axe_violations(page)
                page.screenshot(path=str(artifacts / "year-confirmed-zh.png"), full_page=True)
        finally:
            context.close()
    assert state.state(project.partnership, YEAR).closed

    context, page = _signed_in(chromium, site.url, "hanbin-clerk")
    try:
        page.goto(f"{site.url}/admin/projects/project/{project.pk}/change/")
        assert "2021年度的数据已经东西部双方确认" in page.locator("ul.messagelist").inner_text()
        assert page.locator('input[name="_save"]').count() == 0
    finally:
        context.close()
