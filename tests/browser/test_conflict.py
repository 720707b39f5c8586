"""Two staff in two browsers edit the same pairing: the second save is refused with what
changed, shown under the admin's error note (screenshot in artifacts/conflict-zh.png)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import Pairing, UserArea
from cooperation.roles import DATA_ENTRY, REVIEWER
from tests.conftest import PASSWORD
from tests.cooperation.factories import PairingFactory, PartnershipFactory


@pytest.fixture
def pairing(site):
    return PairingFactory(partnership=PartnershipFactory(), note="原备注")


def _staff(username, role):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    UserArea.objects.create(user=user, region_id="610902")  # 汉滨区


def _signed_in_page(chromium, base, username):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    return context, page


def test_the_second_save_is_refused_with_what_changed(chromium, site, pairing, artifacts):
    _staff("zhang", DATA_ENTRY)
    _staff("li", REVIEWER)
    url = f"{site.url}/admin/cooperation/pairing/{pairing.pk}/change/"
    first_context, first = _signed_in_page(chromium, site.url, "zhang")
    second_context, second = _signed_in_page(chromium, site.url, "li")
    try:
        first.goto(url)
        second.goto(url)
        first.fill("#id_note", "张改的备注")
        first.locator('input[name="_save"]').click()
        first.locator("ul.messagelist li.success").wait_for()

        second.fill("#id_note", "李改的备注")
        second.locator('input[name="_save"]').click()
        second.locator(".errornote").wait_for()
        message = second.locator(".errorlist.nonfield").inner_text()
        second.screenshot(path=str(artifacts / "conflict-zh.png"), full_page=True)

        assert "您的修改未保存" in message and "zhang" in message
        assert "备注：您提交的 “李改的备注”，已保存的 “张改的备注”" in message
        assert Pairing.objects.get(pk=pairing.pk).note == "张改的备注"
    finally:
        first_context.close()
        second_context.close()
