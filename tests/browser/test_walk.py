"""A new data-entry clerk's first session, in a real browser (Debian's chromium), in
Chinese and again in English: log in, add a pairing, a project and a worker with an
employment in the admin, import a small spreadsheet, open the dashboard, follow a card's
link to its list and download the list as CSV. Screenshots of the dashboard and the admin
go to artifacts/. No page may trip the Content-Security-Policy."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import UserArea
from cooperation.roles import DATA_ENTRY
from labor import idcard
from tests.conftest import PASSWORD
from tests.cooperation.factories import EastOrgFactory, OrganisationFactory, PartnershipFactory

SUCCESS = "ul.messagelist li.success"


@pytest.fixture
def clerk_account(site):
    user = get_user_model().objects.create_user("xiaowang", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=user, region_id="610902")  # 汉滨区
    return user


@pytest.fixture
def records(site):
    partnership = PartnershipFactory()
    EastOrgFactory(name="湖塘镇人民政府")
    OrganisationFactory(name="大河镇人民政府")
    return partnership


def choose(page, field_id, text, search=None):
    """Picks `text` in an admin autocomplete (select2) field, typing `search` (e.g. a
    region's code: names such as 大河镇 exist in many counties) or the text itself."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(search or text)
    page.locator(".select2-results__option", has_text=text).first.click()


def pick_partnership(page, field_id, partnership):
    """A plain select in some admins, an autocomplete in others."""
    if "admin-autocomplete" in (page.locator(f"#{field_id}").get_attribute("class") or ""):
        choose(page, field_id, partnership.west_region.name)
    else:
        page.select_option(f"#{field_id}", str(partnership.pk))


def save(page):
    page.locator('input[name="_save"]').click()
    errors = page.locator(".errornote, .errorlist")
    if errors.count():
        raise AssertionError(f"{page.url}: refused: {errors.all_inner_texts()}")
    page.locator(SUCCESS).wait_for()


def log_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "xiaowang")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def switch_to_english(page):
    page.locator("form.lang button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def add_pairing(page, base, partnership):
    page.goto(f"{base}/admin/cooperation/pairing/add/")
    pick_partnership(page, "id_partnership", partnership)
    page.select_option("#id_level", "town")
    choose(page, "id_east_org", "湖塘镇人民政府")
    choose(page, "id_west_org", "大河镇人民政府")
    page.fill("#id_signed_on", "2021-04-05")
    save(page)


def add_project(page, base, partnership, name):
    page.goto(f"{base}/admin/projects/project/add/")
    pick_partnership(page, "id_partnership", partnership)
    page.fill("#id_fund_year", "2021")
    page.fill("#id_name", name)
    page.select_option("#id_category", index=1)
    page.select_option("#id_status", index=1)
    choose(page, "id_town", "大河镇", search="610902115")
    page.fill("#id_aid_funds", "120.5")
    save(page)


def add_worker_with_employment(page, base, partnership, name, id_number):
    page.goto(f"{base}/admin/labor/worker/add/")
    page.fill("#id_name", name)
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", "13800001234")
    pick_partnership(page, "id_partnership", partnership)
    page.select_option("#id_household", index=1)
    choose(page, "id_home_town", "大河镇", search="610902115")
    page.locator("#employments-group .add-row a").click()
    page.fill("#id_employments-0-employer", "武进电子厂")
    choose(page, "id_employments-0-destination", "武进区", search="320412")
    page.fill("#id_employments-0-start_date", "2021-03-01")
    page.fill("#id_employments-0-monthly_wage", "5200")
    page.select_option("#id_employments-0-channel", index=1)
    save(page)


def project_csv(partnership, name):
    """A one-row project spreadsheet with the headers an export writes (the resource's
    column titles) and stored choice values."""
    from projects.models import Project
    from projects.resources import ProjectResource

    values = {
        "partnership": str(partnership),
        "fund_year": "2021",
        "name": name,
        "category": Project.Category.choices[0][0],
        "status": Project.Status.choices[0][0],
    }
    fields = ProjectResource().get_export_fields()
    headers = [str(f.column_name) for f in fields]
    row = [values.get(f.attribute, "") for f in fields]
    lines = [",".join(headers), ",".join(row)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def import_projects(page, base, partnership, name):
    page.goto(f"{base}/admin/projects/project/")
    link = page.locator("a.import_link")
    if link.count() == 0:
        pytest.skip("the project admin has no import button yet (import issue)")
    link.click()
    page.locator("#id_import_file").set_input_files(
        {
            "name": "projects.csv",
            "mimeType": "text/csv",
            "buffer": project_csv(partnership, name),
        }
    )
    formats = page.locator("#id_format option")
    for i in range(formats.count()):
        if "csv" in formats.nth(i).inner_text().lower():
            page.select_option("#id_format", index=i)
            break
    page.locator('form input[type="submit"]').first.click()
    page.locator('input[name="confirm"], .errorlist, .errornote').first.wait_for()
    confirm = page.locator('input[name="confirm"]')
    if not confirm.count():
        problems = page.locator(".errorlist, .errornote").all_inner_texts()
        raise AssertionError(f"import refused: {problems}")
    confirm.click()
    page.locator(SUCCESS).wait_for()


def open_dashboard_follow_card_and_download(page, base, artifacts, language):
    page.goto(f"{base}/?year=2021")
    assert page.locator(".card").count() > 0
    page.screenshot(path=str(artifacts / f"dashboard-{language}.png"), full_page=True)
    card = page.locator(".card-figure a[href^='/projects/']").first
    card.click()
    page.wait_for_url(re.compile(r"/projects/\?"))
    page.screenshot(path=str(artifacts / f"list-{language}.png"), full_page=True)
    rows = page.locator("table.list tbody tr:not(:has(td.empty))")
    assert rows.count() >= 1, page.content()[:3000]
    with page.expect_download() as download:
        page.locator("a[href*='export.csv']").first.click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    return content.decode("utf-8-sig")


def walk(page, base, records, artifacts, language):
    suffix = "" if language == "zh" else " (EN)"
    add_pairing(page, base, records)
    add_project(page, base, records, "汉滨区大河镇茶园提升项目" + suffix)
    number = idcard.make("610902", datetime.date(1990, 5, 17), 123 if language == "zh" else 124)
    add_worker_with_employment(page, base, records, "王小明" + suffix, number)
    page.goto(f"{base}/admin/")
    page.screenshot(path=str(artifacts / f"admin-{language}.png"), full_page=True)
    import_projects(page, base, records, "导入的项目" + suffix)
    csv_text = open_dashboard_follow_card_and_download(page, base, artifacts, language)
    assert "汉滨区大河镇茶园提升项目" + suffix in csv_text
    assert "导入的项目" + suffix in csv_text
    assert page.csp_violations == []


def test_a_new_clerk_walks_through_in_chinese(
    browser_page, site, clerk_account, records, artifacts
):
    page, base = browser_page, site.url
    log_in(page, base)
    assert "东西部协作" in page.content()
    walk(page, base, records, artifacts, "zh")


def test_the_same_walk_in_english(browser_page, site, clerk_account, records, artifacts):
    page, base = browser_page, site.url
    log_in(page, base)
    switch_to_english(page)
    assert "Overview" in page.content()
    walk(page, base, records, artifacts, "en")
    page.goto(f"{base}/admin/")
    assert page.locator("html").get_attribute("lang") == "en"
