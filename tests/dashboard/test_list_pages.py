"""What a visitor sees on a list page (templates/cooperation/list.html and its partials):
the rows, the totals and the footer, sort links that sort, a pager that keeps the filters,
a clear message for a filter that cannot be read, the chosen options still chosen, every
hostile value escaped, and the same number of queries for few records as for many."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.models import Region
from tests.cooperation.factories import PartnershipFactory, region
from tests.labor.factories import EmploymentFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db
PROJECTS = reverse("projects:projects")


def body_rows(html):
    """The table's body as the text of each cell (no rows: the "no records" line)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def footer_row(html):
    foot = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    return [unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", foot)]


def totals(html):
    """The totals above the table: {label: figure}."""
    return {
        unescape(label): unescape(figure)
        for label, figure in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    }


def header_link(html, label):
    """(href, text) of the link in the column header that starts with `label`."""
    found = re.search(rf'<th scope="col"[^>]*><a href="([^"]*)">({re.escape(label)}.*?)</a>', html)
    assert found, f"no sort link for {label}"
    return unescape(found.group(1)), found.group(2)


def link(html, text):
    found = re.search(rf'<a href="([^"]*)">{re.escape(text)}</a>', html)
    assert found, f"no link {text}"
    return unescape(found.group(1))


def options(html, name):
    """The <option>s of the <select> called `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option [^>]*>", select)


def selected(html, name):
    """The values of the chosen options of the <select> called `name`."""
    return [
        re.search(r'value="([^"]*)"', option).group(1)
        for option in options(html, name)
        if option.endswith(" selected>")
    ]


def page(client, params, url=PROJECTS, **headers):
    response = client.get(url, params, **headers)
    return response.status_code, response.content.decode()


# --- rows, totals, footer -------------------------------------------------------------------


def test_a_project_row_shows_its_year_labels_place_and_figures(client, partnership):
    ProjectFactory(
        partnership=partnership,
        name="茶园",
        status="building",
        aid_funds=Decimal("1234.5"),
        local_funds=Decimal("0.125"),
        beneficiaries=12345,
        beneficiaries_poverty_exited=0,
    )
    status, html = page(client, {"partnership": partnership.pk})
    assert status == 200
    (row,) = body_rows(html)
    assert row[:6] == ["2021", "茶园", "产业发展", "老城街道", "", "在建"]
    # 0.125 万元 shows half up as 0.13; 12345 people with a thousands separator.
    assert row[6:] == ["1,234.50", "0.00", "0.13", "0.00", "12,345", "0"]  # nothing disbursed


def test_a_spell_outside_the_east_shows_no_and_one_inside_shows_yes(client, clerk, partnership):
    client.force_login(clerk)
    EmploymentFactory(employer="东部厂", destination_id="320412", worker__partnership=partnership)
    EmploymentFactory(employer="本地厂", destination_id="610902", worker__partnership=partnership)
    status, html = page(client, {"sort": "employer"}, url=reverse("labor:employments"))
    in_east = {row[2]: row[6] for row in body_rows(html)}  # 就业单位 → 在东部协作省份
    assert in_east == {"东部厂": "是", "本地厂": "否"}


def test_totals_and_footer_add_up_the_filtered_rows_not_the_page(client, partnership, settings):
    settings.LIST_PAGE_SIZE = 1
    for funds, people, exited in [("12.5", 3, 1), ("7.5", 4, 2)]:
        ProjectFactory(
            partnership=partnership,
            aid_funds=Decimal(funds),
            beneficiaries=people,
            beneficiaries_poverty_exited=exited,
        )
    ProjectFactory(partnership=partnership, fund_year=2020, aid_funds=100, beneficiaries=50)
    status, html = page(client, {"partnership": partnership.pk, "year": 2021})
    assert len(body_rows(html)) == 1  # one row on the page, the totals of both
    shown = totals(html)
    assert shown["记录数（个）"] == "2"
    assert shown["协作资金（万元）"] == "20.00"  # 12.5 + 7.5; the 2020 project left out
    assert shown["受益人数（人）"] == "7"  # 3 + 4
    footer = footer_row(html)
    assert footer[0] == "合计（2 个）" and footer[1:6] == [""] * 5
    # funds, disbursed, local, other, people, exited
    assert footer[6:] == ["20.00", "0.00", "0.00", "0.00", "7", "3"]


def test_a_search_by_place_narrows_rows_and_totals(client, partnership):
    ProjectFactory(partnership=partnership, name="甲", aid_funds=Decimal("12.5"), place_text="石梯")
    ProjectFactory(partnership=partnership, name="乙", aid_funds=Decimal("7.5"), place_text="别处")
    status, html = page(client, {"partnership": partnership.pk, "q": "石梯"})
    assert [row[1] for row in body_rows(html)] == ["甲"]
    assert totals(html)["协作资金（万元）"] == "12.50"


def test_totals_of_no_rows_are_zeros_and_the_table_says_there_are_none(client, partnership):
    status, html = page(client, {"partnership": partnership.pk, "year": 2030})
    assert status == 200
    assert totals(html)["协作资金（万元）"] == "0.00"
    assert totals(html)["受益人数（人）"] == "0"
    assert body_rows(html) == [["没有符合条件的记录。"]]
    assert "<tfoot>" not in html


# --- sorting and paging ---------------------------------------------------------------------


def test_a_column_header_sorts_the_list_and_clicking_it_again_reverses(client, partnership):
    for name, funds in [("甲", 5), ("乙", 30), ("丙", 12)]:
        ProjectFactory(partnership=partnership, name=name, aid_funds=funds)
    ProjectFactory(partnership=partnership, name="往年", fund_year=2020, aid_funds=1)
    params = {"partnership": partnership.pk, "year": 2021}
    _, html = page(client, params)
    href, text = header_link(html, "协作资金（万元）")
    assert href == f"?partnership={partnership.pk}&year=2021&sort=aid_funds"
    assert text == "协作资金（万元）"  # no arrow before sorting on it

    _, html = page(client, {**params, "sort": "aid_funds"})
    assert [row[1] for row in body_rows(html)] == ["甲", "丙", "乙"]  # 5, 12, 30; not 往年
    href, text = header_link(html, "协作资金（万元）")
    assert text == "协作资金（万元） ▲"
    assert href.endswith("&sort=-aid_funds")

    _, html = page(client, {**params, "sort": "-aid_funds"})
    assert [row[1] for row in body_rows(html)] == ["乙", "丙", "甲"]
    assert header_link(html, "协作资金（万元）")[1] == "协作资金（万元） ▼"
    # The filter form keeps the order when the filters change.
    assert '<input type="hidden" name="sort" value="-aid_funds">' in html


def test_the_pager_links_keep_the_filters_and_lead_to_their_page(client, partnership, settings):
    settings.LIST_PAGE_SIZE = 1
    for name in ("甲", "乙", "丙"):
        ProjectFactory(partnership=partnership, name=name, place_text="<x>&")
    ProjectFactory(partnership=partnership, name="别处", place_text="别处")
    params = {"partnership": partnership.pk, "q": "<x>&", "sort": "name", "page": 2}
    _, html = page(client, params)
    query = f"?partnership={partnership.pk}&q=%3Cx%3E%26&sort=name"
    assert link(html, "首页") == link(html, "上一页") == f"{query}&page=1"
    assert link(html, "下一页") == link(html, "末页") == f"{query}&page=3"
    assert "<span>第 2 / 3 页</span>" in html  # 3 rows found, one per page
    assert f'<a href="{query.replace("&", "&amp;")}&amp;page=3">' in html  # & escaped
    # Names sort 丙 乙 甲 (by code point): page 2 is 乙, the next page 甲.
    assert [row[1] for row in body_rows(html)] == ["乙"]
    _, last = page(client, {}, url=PROJECTS + link(html, "下一页"))
    assert [row[1] for row in body_rows(last)] == ["甲"]
    assert "下一页" not in last and "上一页" in last
    _, english = page(client, params, HTTP_ACCEPT_LANGUAGE="en")
    assert "<span>Page 2 of 3</span>" in english


def test_a_single_page_has_no_pager(client, partnership):
    ProjectFactory(partnership=partnership)
    _, html = page(client, {"partnership": partnership.pk})
    assert 'class="pager' not in html and "第 1 / 1 页" not in html


# --- the filter form ------------------------------------------------------------------------


def test_a_year_that_is_not_a_number_is_refused_with_the_fields_message(client, partnership):
    ProjectFactory(partnership=partnership)
    status, html = page(client, {"year": "abc"})
    assert status == 400
    assert "筛选条件有误，请按提示修改后再试。" in html
    assert '<div class="filter-field has-error">' in html
    assert '<p class="error">年度：年度应为四位数字，如 2021。</p>' in html
    assert "<tbody>" not in html  # no rows under a filter that could not be read


def test_an_unknown_status_and_an_unknown_sort_say_what_is_wrong(client, partnership):
    status, html = page(client, {"status": "nonsense"})
    assert status == 400
    assert re.search(r'<p class="error">项目状态：[^<]*nonsense', html)
    status, html = page(client, {"sort": "nonsense"})
    assert status == 400
    assert "未知的排序方式“nonsense”，请点击列标题排序。" in html


def test_the_chosen_partnership_town_and_status_stay_selected(client, partnership):
    params = {"partnership": partnership.pk, "town": "610902115", "status": "building"}
    status, html = page(client, params)
    assert status == 200
    assert selected(html, "partnership") == [str(partnership.pk)]
    assert selected(html, "town") == ["610902115"]  # 大河镇
    assert selected(html, "status") == ["building"]
    assert selected(html, "category") == [""]  # not chosen: 全部


def test_typed_values_and_flags_are_kept_in_the_form(client, partnership):
    _, html = page(client, {"year": "2021"})
    assert '<input type="number" name="year" value="2021" min="1996" max="2100"' in html
    _, html = page(client, {"year": "2021", "cumulative": "1"}, url=reverse("cooperation:postings"))
    assert '<div class="filter-field checkbox">' in html
    assert re.search(r'<input type="checkbox" name="cumulative"[^>]* checked>', html)


def test_a_new_town_is_offered_and_can_be_chosen(client, partnership):
    Region.objects.create(
        code="610902999", name="新设镇", level=Region.Level.TOWN, parent_id="610902"
    )
    ProjectFactory(partnership=partnership, name="新镇项目", town_id="610902999")
    ProjectFactory(partnership=partnership, name="老城项目")
    _, html = page(client, {"partnership": partnership.pk})
    assert '<option value="610902999">新设镇</option>' in html
    _, html = page(client, {"partnership": partnership.pk, "town": "610902999"})
    assert [row[1] for row in body_rows(html)] == ["新镇项目"]


def test_a_deleted_partnership_is_refused(client, partnership):
    other = PartnershipFactory(east_region=region("320411"), west_region=region("610921"))
    assert page(client, {"partnership": other.pk})[0] == 200
    pk = other.pk
    other.delete()
    status, html = page(client, {"partnership": pk})
    assert status == 400
    assert '<p class="error">协作关系：' in html


@pytest.mark.parametrize("value", ["999999", "abc", "1 OR 1=1", "-1", "9" * 50])
def test_a_partnership_that_is_not_a_choice_gets_the_fields_message(client, partnership, value):
    status, html = page(client, {"partnership": value})
    assert status == 400
    assert '<p class="error">协作关系：' in html


@pytest.mark.parametrize("name", ["projects:projects", "labor:job_fairs"])
def test_the_form_follows_each_requests_language(client, partnership, name):
    params = {"year": "abc"}  # a bad year: the field's message shows
    _, english = page(client, params, url=reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    _, chinese = page(client, params, url=reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<label for="id_partnership">Partnership</label>' in english
    assert '<label for="id_partnership">协作关系</label>' in chinese
    assert "协作关系" not in english and "Partnership" not in chinese
    assert "年度应为四位数字" in chinese and "年度应为四位数字" not in english


def test_status_options_and_cells_follow_each_requests_language(client, partnership):
    ProjectFactory(partnership=partnership, status="building")
    params = {"partnership": partnership.pk}
    for _ in range(2):  # the first request's language must not stick
        _, chinese = page(client, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
        _, english = page(client, params, HTTP_ACCEPT_LANGUAGE="en")
        assert '<option value="building">在建</option>' in chinese
        assert body_rows(chinese)[0][5] == "在建"
        assert '<option value="building">Under construction</option>' in english
        assert body_rows(english)[0][5] == "Under construction"
        assert "在建" not in english


# --- escaping -------------------------------------------------------------------------------


def test_a_hostile_project_name_is_shown_as_text(client, partnership):
    ProjectFactory(partnership=partnership, name='<script>alert("x")</script>&amp;')
    _, html = page(client, {"partnership": partnership.pk})
    assert "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;</td>" in html
    assert body_rows(html)[0][1] == '<script>alert("x")</script>&amp;'
    assert "<script>" not in html


def test_hostile_filter_values_and_town_names_are_escaped(client, partnership):
    town = Region.objects.get(code="610902115")
    town.name = "大河<镇>&"
    town.save()
    status, html = page(
        client, {"partnership": partnership.pk, "q": '"><script>x</script>', "status": "<b>"}
    )
    assert status == 400  # <b> is not a status
    assert '<option value="610902115">大河&lt;镇&gt;&amp;</option>' in html
    assert 'name="q" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "&lt;b&gt;" in html  # the status error quotes the value, escaped
    assert "<script>" not in html and "<b>" not in html


def test_a_hostile_sort_value_is_escaped_in_its_message(client, partnership):
    status, html = page(client, {"sort": '"><b>x'})
    assert status == 400
    assert "&quot;&gt;&lt;b&gt;x" in html and "<b>x" not in html


# --- queries and templates ------------------------------------------------------------------


def test_the_page_runs_the_same_queries_for_few_and_many_records_and_choices(
    client, partnership, django_assert_max_num_queries
):
    """A visitor's page: the partnership chosen, the version of the choices (the filter
    form's cache key), the partnerships offered, the towns of its western county, the footer
    aggregate and the page of rows: 6 queries, whether 2 records and 1 partnership or 80
    records and 6 partnerships."""
    params = {"partnership": partnership.pk, "year": 2021}
    ProjectFactory.create_batch(2, partnership=partnership)
    cache.clear()
    with django_assert_max_num_queries(6) as few:
        assert client.get(PROJECTS, params).status_code == 200
    counties = Region.objects.filter(level=Region.Level.COUNTY, code__startswith="6109")
    for county in counties.exclude(code="610902")[:5]:
        PartnershipFactory(west_region=county)
    ProjectFactory.create_batch(78, partnership=partnership)
    cache.clear()
    with django_assert_max_num_queries(6) as many:
        response = client.get(PROJECTS, params)
    assert len(few) == len(many)
    assert response.context["totals"][0].value == 80
    assert len(body_rows(response.content.decode())) == 50  # one page
    assert len(options(response.content.decode(), "partnership")) == 7  # 6 and "---------"


def test_list_templates_are_read_once_by_the_cached_loader():
    from django.template import engines
    from django.template.loaders.cached import Loader

    (loader,) = engines["django"].engine.template_loaders
    assert isinstance(loader, Loader)
    template = loader.get_template("cooperation/list/table.html")
    assert loader.get_template("cooperation/list/table.html") is template


def test_the_filter_form_is_rendered_once_per_filter_and_renewed_by_new_choices(
    client, partnership
):
    """The form's HTML is cached under the list, its filter values and the version of the
    choices it offers: the next request does not read the choices again, and a new
    partnership is offered at once."""
    params = {"partnership": partnership.pk, "year": 2021}
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(PROJECTS, params).content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(PROJECTS, params).content.decode()
    assert len(warm) < len(cold)  # the choices offered are not read again
    assert options(again, "partnership") == options(first, "partnership")
    other = client.get(PROJECTS, {**params, "year": 2020}).content.decode()
    assert re.search(r'name="year" value="2020"', other)  # another filter: its own form
    counties = Region.objects.filter(level=Region.Level.COUNTY, code__startswith="6109")
    PartnershipFactory(west_region=counties.exclude(code="610902").first())
    renewed = client.get(PROJECTS, params).content.decode()
    assert len(options(renewed, "partnership")) == len(options(first, "partnership")) + 1
