"""The year page (年度确认): who sees it, the confirm and reopen forms as a browser posts them,
the confirmed export, and the state and drift shown on the summary and the dashboard."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from confirmation import state
from confirmation.models import YearConfirmation
from tests.conftest import YEAR
from tests.projects.factories import ProjectFactory
from tests.security.forms import form_data

pytestmark = pytest.mark.django_db


def year_url(partnership, name="year", *args):
    return reverse(f"confirmation:{name}", args=[partnership.pk, YEAR, *args])


@pytest.fixture
def project(partnership):
    return ProjectFactory(partnership=partnership, aid_funds=Decimal("350.5"))


def test_the_page_is_for_staff_of_the_partnerships_areas(
    client, partnership, other_partnership, west_official, q_reviewer
):
    url = year_url(partnership)
    assert client.get(url).status_code == 302  # to the login
    client.force_login(q_reviewer)  # 汉阴县: Q's, not P's
    assert client.get(url).status_code == 404
    assert client.get(year_url(other_partnership)).status_code == 200
    client.force_login(west_official)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "未确认" in text
    assert "以西部审核员身份确认" not in text  # an official confirms nothing
    assert client.get(reverse("confirmation:year", args=[partnership.pk, 1900])).status_code == 404


def test_a_reviewer_confirms_with_remarks_as_the_browser_posts_the_form(
    client, partnership, project, west_reviewer, django_assert_max_num_queries
):
    client.force_login(west_reviewer)
    client.get(year_url(partnership))  # warm up (session, content types, caches)
    with django_assert_max_num_queries(40):
        page = client.get(year_url(partnership))
    text = page.content.decode()
    assert "以西部审核员身份确认 2021 年度数据" in text
    data = form_data(text, having="digest")
    data["remark-funds.aid"] = "以财政局拨款文件为准"
    data["side"] = "west"

    done = client.post(year_url(partnership, "confirm"), data, follow=True)

    confirmation = YearConfirmation.objects.get()
    assert (confirmation.side, confirmation.confirmed_by) == ("west", west_reviewer)
    assert confirmation.remarks == {"funds.aid": "以财政局拨款文件为准"}
    text = done.content.decode()
    assert "已确认。" in text and "西部已确认" in text
    assert "hanbin-reviewer 于" in text
    assert "以财政局拨款文件为准" in text


def test_a_refused_confirmation_says_why(client, partnership, west_reviewer):
    client.force_login(west_reviewer)
    state.confirm(west_reviewer, partnership, YEAR)
    page = client.post(year_url(partnership, "confirm"), {"side": "west"}, follow=True)
    assert "本方已经确认过该年度。" in page.content.decode()
    assert YearConfirmation.objects.count() == 1
    assert client.get(year_url(partnership, "confirm")).status_code == 405


def test_reopening_from_the_page_needs_a_reason_and_shows_the_drift(
    client, partnership, project, closed_year, east_reviewer
):
    client.force_login(east_reviewer)
    page = client.get(year_url(partnership)).content.decode()
    assert "双方已确认" in page and "重新打开该年度" in page
    refused = client.post(year_url(partnership, "reopen"), {"reason": " "}, follow=True)
    assert "请填写重新打开的原因。" in refused.content.decode()
    assert state.state(partnership, YEAR).closed

    client.post(year_url(partnership, "reopen"), {"reason": "补录一个项目"})
    ProjectFactory(partnership=partnership, aid_funds=Decimal("49.5"))

    text = client.get(year_url(partnership)).content.decode()
    assert "未确认" in text and "补录一个项目" in text
    # the drift: aid 350.5 → 400.00 万元, projects 1 → 2
    assert "项指标与确认时不同" in text
    assert "350.50" in text and "400.00" in text


def test_the_confirmed_export_carries_the_figures_remarks_and_confirmations(
    client, partnership, project, west_reviewer, east_reviewer
):
    state.confirm(west_reviewer, partnership, YEAR, remarks={"funds.aid": "以文件为准"})
    state.confirm(east_reviewer, partnership, YEAR)
    client.force_login(west_reviewer)

    response = client.get(year_url(partnership, "export", "xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "确认值" in r)
    assert header[:6] == ["类别", "指标", "单位", "确认值", "当前值", "说明"]
    aid = next(r for r in rows if r[1] == "东西部协作财政援助资金")
    assert (Decimal(str(aid[3])), Decimal(str(aid[4])), aid[5]) == (
        Decimal("350.5"),
        Decimal("350.5"),
        "西部：以文件为准",
    )
    assert ["确认状态", "双方已确认"] == next(r for r in rows if r[0] == "确认状态")[:2]
    west = next(r for r in rows if r[0] == "西部")
    assert west[1].startswith("hanbin-reviewer 于 ")


def test_summary_and_dashboard_show_the_state_and_the_drift(
    client, partnership, project, closed_year, east_reviewer
):
    query = f"?partnership={partnership.pk}&year={YEAR}"
    summary = client.get(reverse("cooperation:summary") + query).content.decode()
    assert "2021年度数据：双方已确认" in summary
    assert "wujin-reviewer" not in summary  # names are for staff
    dashboard = client.get(reverse("cooperation:dashboard") + query).content.decode()
    assert "2021年度数据：双方已确认" in dashboard

    state.reopen(east_reviewer, partnership, YEAR, "补录")
    ProjectFactory(partnership=partnership, aid_funds=Decimal("49.5"))
    client.force_login(east_reviewer)
    summary = client.get(reverse("cooperation:summary") + query).content.decode()
    assert "2021年度数据：未确认" in summary
    assert "项指标与确认时不同" in summary and "400.00" in summary
    dashboard = client.get(reverse("cooperation:dashboard") + query).content.decode()
    assert "项指标与确认时不同" in dashboard
