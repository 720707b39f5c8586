"""How list pages write their rows and filters (cooperation/listing.py, fastwidgets.py):
every cell's text escaped, flags as 是/否, choices read once per data version."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.models import Region
from tests.dashboard.helpers import screen_rows
from tests.labor.factories import EmploymentFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_spell_outside_the_east_shows_no_and_one_inside_shows_yes(client, clerk, partnership):
    client.force_login(clerk)
    EmploymentFactory(employer="东部厂", destination_id="320412", worker__partnership=partnership)
    EmploymentFactory(employer="本地厂", destination_id="610902", worker__partnership=partnership)
    response = client.get(reverse("labor:employments"), {"sort": "employer"})
    rows = {row[2]: row for row in screen_rows(response)}
    assert rows["东部厂"][6] == "是" and rows["本地厂"][6] == "否"
    html = response.content.decode()
    assert "<td>汉滨区</td><td></td><td>否</td>" in html


def test_every_cell_of_a_project_row_is_escaped(client, partnership):
    ProjectFactory(
        partnership=partnership, name='<script>alert("x")</script>&amp;', aid_funds=1234.5
    )
    html = client.get(reverse("projects:projects"), {"partnership": partnership.pk}).content
    html = html.decode()
    assert "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;</td>" in html
    assert "<script>" not in html
    assert '<td class="num">1,234.50</td>' in html


def test_a_list_without_rows_says_so(client, partnership):
    html = client.get(reverse("projects:projects"), {"partnership": partnership.pk}).content
    assert "没有符合条件的记录。" in html.decode()


def test_a_new_town_is_offered_at_once(client, partnership):
    """The town drop-down is cached under the data version (a write shows at once)."""
    url, params = reverse("projects:projects"), {"partnership": partnership.pk}
    assert "新设镇" not in client.get(url, params).content.decode()
    Region.objects.create(
        code="610902999", name="新设镇", level=Region.Level.TOWN, parent_id="610902"
    )
    html = client.get(url, params).content.decode()
    assert '<option value="610902999">新设镇</option>' in html


def test_the_chosen_town_and_status_stay_selected(client, partnership):
    html = client.get(
        reverse("projects:projects"),
        {"partnership": partnership.pk, "town": "610902115", "status": "building"},
    ).content.decode()
    assert '<option value="610902115" selected>大河镇</option>' in html
    assert '<option value="building" selected>' in html
    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert sorted(selected) == sorted(
        [str(partnership.pk), "610902115", "building", "", "", ""]
    )  # the partnership, town and status; the other selects stay on 全部


def test_option_labels_are_escaped(client, partnership):
    town = Region.objects.get(code="610902115")
    town.name = "大河<镇>&"
    town.save()
    html = client.get(reverse("projects:projects"), {"partnership": partnership.pk}).content
    assert '<option value="610902115">大河&lt;镇&gt;&amp;</option>' in html.decode()


def test_filter_inputs_and_their_messages_are_escaped(client, partnership):
    response = client.get(
        reverse("projects:projects"), {"q": '"><script>x</script>', "status": "<b>"}
    )
    assert response.status_code == 400  # the status is not a choice
    html = response.content.decode()
    assert '<input type="text" name="q" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "<script>" not in html and "<b>" not in html
    assert '<div class="filter-field has-error">' in html
    assert '<p class="error">项目状态：' in html and "&lt;b&gt;" in html


def test_number_inputs_keep_their_bounds_and_value(client, partnership):
    html = client.get(reverse("projects:projects"), {"year": "2021"}).content.decode()
    assert (
        '<input type="number" name="year" value="2021" min="1996" max="2100" id="id_year">' in html
    )


def test_flags_are_checkboxes_in_their_own_style(client, partnership):
    html = client.get(reverse("cooperation:postings"), {"year": "2021", "cumulative": "1"})
    html = html.content.decode()
    assert '<div class="filter-field checkbox">' in html
    assert '<input type="checkbox" name="cumulative" id="id_cumulative" checked>' in html


def _sql(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_the_chosen_partnership_is_read_once_per_data_version(client, partnership):
    ProjectFactory(partnership=partnership, fund_year=2021)
    url, params = reverse("projects:projects"), {"partnership": partnership.pk, "year": 2021}
    first, first_sql = _sql(client, url, params)
    second, second_sql = _sql(client, url, params)
    assert first.status_code == second.status_code == 200
    assert any("cooperation_partnership" in q for q in first_sql)
    # Then only the data version, the footer aggregate and the page of rows.
    assert not any("cooperation_partnership" in q for q in second_sql)
    assert len(second_sql) == 3
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", second.content.decode()) == token.sub("", first.content.decode())


def test_a_deleted_partnership_is_refused_at_once(client, partnership):
    from tests.cooperation.factories import PartnershipFactory, region

    other = PartnershipFactory(east_region=region("320411"), west_region=region("610921"))
    url = reverse("projects:projects")
    assert client.get(url, {"partnership": other.pk}).status_code == 200
    pk = other.pk
    other.delete()
    response = client.get(url, {"partnership": pk})
    assert response.status_code == 400
    assert "协作关系：" in response.content.decode()  # the field's own message


@pytest.mark.parametrize("value", ["999999", "abc", "1 OR 1=1", "-1", "9" * 50])
def test_a_partnership_that_is_not_a_choice_gets_the_fields_message(client, partnership, value):
    response = client.get(reverse("projects:projects"), {"partnership": value})
    assert response.status_code == 400
    assert '<div class="filter-field has-error">' in response.content.decode()


@pytest.mark.parametrize("name", ["projects:projects", "labor:job_fairs"])
def test_filter_labels_follow_each_requests_language(client, partnership, name):
    """The form class of a list's filters is built once (cooperation/fastwidgets.OneFormClass):
    its labels and messages must still be those of each request's language."""
    url, params = reverse(name), {"year": "abc"}  # bad year: the field's message shows
    english = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english_again = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_partnership">Partnership</label>' in english
    assert '<label for="id_partnership">协作关系</label>' in chinese
    assert _without_csrf(english_again) == _without_csrf(english)
    assert "协作关系" not in english and "Partnership" not in chinese
    assert "年度应为四位数字" in chinese and "年度应为四位数字" not in english


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_headers_totals_and_footer_are_written_escaped(client, partnership):
    ProjectFactory(partnership=partnership, fund_year=2021, aid_funds=1000, beneficiaries=12345)
    html = client.get(
        reverse("projects:projects"), {"partnership": partnership.pk, "sort": "-aid_funds"}
    ).content.decode()
    # The sort link keeps the filters (& escaped in the attribute) and flips the order.
    assert (
        f'<th scope="col" class="num"><a href="?partnership={partnership.pk}&amp;sort=aid_funds">'
        "协作资金（万元） ▼</a></th>"
    ) in html
    assert '<th scope="col"><a href="?partnership=' in html
    assert '<div class="total total-rows"><dt>记录数（个）</dt><dd>1</dd></div>' in html
    assert (
        '<div class="total total-beneficiaries"><dt>受益人数（人）</dt><dd>12,345</dd></div>'
        in html
    )
    assert "<tfoot><tr><td>合计（1 个）</td>" in html
    assert '<td class="num">1,000.00</td>' in html
