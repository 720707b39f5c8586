"""The second round of list speed-ups (issue 9): the site navigation rendered once per
language and permission, the footer aggregate without the joins of the `place` column, and
cached <option>s that keep each field's own empty label."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

WORKERS_LINK = 'class="staff"'


def _nav(html):
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_cached_navigation_follows_the_permission(client, clerk, official):
    """A clerk (personal data) sees the workers' lists; an official, next, in the same
    language and process, must not get the clerk's navigation; nor a visitor."""
    url = reverse("projects:projects")
    client.force_login(clerk)
    clerk_nav = _nav(client.get(url).content.decode())
    assert reverse("labor:workers") in clerk_nav and WORKERS_LINK in clerk_nav
    client.force_login(official)
    official_nav = _nav(client.get(url).content.decode())
    assert reverse("labor:workers") not in official_nav and WORKERS_LINK not in official_nav
    client.logout()
    visitor_nav = _nav(client.get(url).content.decode())
    assert visitor_nav == official_nav
    client.force_login(clerk)
    assert _nav(client.get(url).content.decode()) == clerk_nav


def test_the_cached_navigation_follows_the_language(client):
    url = reverse("projects:projects")
    zh = _nav(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    en = _nav(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "协作资金项目" in zh and "协作资金项目" not in en
    assert _nav(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()) == zh


def test_the_navigation_is_the_templates_own(client, clerk):
    """Byte for byte what the template wrote without the tag (the tag only remembers)."""
    from django.template import engines

    from cooperation.templatetags.coop import OncePerPermissionsNode

    client.force_login(clerk)
    html = client.get(reverse("projects:projects")).content.decode()
    template = engines["django"].engine.get_template("base.html")
    nodes = template.nodelist.get_nodes_by_type(OncePerPermissionsNode)
    assert len(nodes) == 1 and nodes[0].rendered  # remembered
    nodes[0].rendered.clear()
    assert client.get(reverse("projects:projects")).content.decode().count(_nav(html)) == 1


def test_the_tag_refuses_unquoted_permissions():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load coop %}{% once_per_permissions labor.x %}{% endonce_per_permissions %}")


def _footer_sql(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("projects:projects"), params)
    assert response.status_code == 200
    (sql,) = [q["sql"] for q in ctx.captured_queries if 'COUNT("projects_project"' in q["sql"]]
    return response.content.decode(), sql


def test_the_footer_aggregate_leaves_out_the_joins_of_the_place(client, partnership):
    ProjectFactory(
        partnership=partnership,
        fund_year=2021,
        aid_funds=12.5,
        beneficiaries=3,
        beneficiaries_poverty_exited=0,
    )
    ProjectFactory(
        partnership=partnership,
        fund_year=2021,
        aid_funds=7.5,
        beneficiaries=4,
        beneficiaries_poverty_exited=0,
    )
    html, sql = _footer_sql(client, {"partnership": partnership.pk, "year": 2021})
    assert "cooperation_region" not in sql and "JOIN" not in sql
    assert '<td class="num">20.00</td>' in html and '<td class="num">7</td>' in html


def test_a_search_keeps_the_joins_it_needs(client, partnership):
    ProjectFactory(partnership=partnership, fund_year=2021, aid_funds=12.5, place_text="石梯")
    ProjectFactory(partnership=partnership, fund_year=2021, aid_funds=7.5, place_text="别处")
    html, sql = _footer_sql(client, {"partnership": partnership.pk, "q": "石梯"})
    assert "cooperation_region" in sql  # the search looks at town and village names
    assert '<td class="num">12.50</td>' in html and '<td class="num">7.50</td>' not in html


def test_totals_of_no_rows_are_zeros(client, partnership):
    html, _ = _footer_sql(client, {"partnership": partnership.pk, "year": 2030})
    assert '<div class="total total-aid_funds"><dt>协作资金（万元）</dt><dd>0.00</dd></div>' in html
    assert '<div class="total total-beneficiaries"><dt>受益人数（人）</dt><dd>0</dd></div>' in html


def test_two_partnership_boxes_over_the_same_rows_keep_their_own_empty_label(client, partnership):
    """The projects list offers "---------", the pairings list "全部", over the same
    partnerships: the cached options must not carry one's empty label into the other."""
    for _ in range(2):
        projects = client.get(reverse("projects:projects")).content.decode()
        pairings = client.get(reverse("cooperation:pairings")).content.decode()
        assert '<option value="" selected>---------</option>' in projects
        assert '<option value="" selected>全部</option>' in pairings


def test_fixed_options_and_choice_cells_follow_each_requests_language(client, partnership):
    """Status options and the status column are translated once per language and process,
    never carried from one language into the other."""
    ProjectFactory(partnership=partnership, status="building")
    url, params = reverse("projects:projects"), {"partnership": partnership.pk}
    for _ in range(2):
        zh = client.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        en = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<option value="building">在建</option>' in zh and "<td>在建</td>" in zh
        assert '<option value="building">Under construction</option>' in en
        assert "<td>Under construction</td>" in en and "在建" not in en


def test_a_fixed_option_label_is_escaped():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from cooperation.fastwidgets import _static_options_html

    choices = [("a", gettext_lazy('<b>"x"</b>')), ("b&c", gettext_lazy("是"))]
    with translation.override("zh-hans"):
        for _ in range(2):
            assert _static_options_html(choices) == (
                '<option value="a">&lt;b&gt;&quot;x&quot;&lt;/b&gt;</option>'
                '<option value="b&amp;c">是</option>'
            )


def test_the_chosen_partnership_key_is_not_compiled_per_request(client, partnership):
    """The key of the partnership choices comes from the form class's own field."""
    from unittest import mock

    from cooperation import fastwidgets

    url, params = reverse("projects:projects"), {"partnership": partnership.pk}
    client.get(url, params)
    with (
        mock.patch.object(fastwidgets, "queryset_key", wraps=fastwidgets.queryset_key) as key,
        mock.patch("django.db.models.sql.query.Query.sql_with_params") as compile_,
    ):
        compile_.side_effect = AssertionError("compiled")
        response = client.get(url, params)
    assert response.status_code == 200 and key.called


def test_the_pager_keeps_the_filters_escaped_and_translated(client, partnership, settings):
    settings.LIST_PAGE_SIZE = 1
    for name in ("甲", "乙", "丙"):
        ProjectFactory(partnership=partnership, name=name, place_text="<x>&")
    params = {"partnership": partnership.pk, "q": "<x>&", "page": 2}
    html = client.get(reverse("projects:projects"), params).content.decode()
    query = f"partnership={partnership.pk}&amp;q=%3Cx%3E%26"
    assert (
        f'<a href="?{query}&amp;page=1">首页</a> <a href="?{query}&amp;page=1">上一页</a>' in html
    )
    assert "<span>第 2 / 3 页</span>" in html
    assert (
        f'<a href="?{query}&amp;page=3">下一页</a> <a href="?{query}&amp;page=3">末页</a>' in html
    )
    en = client.get(reverse("projects:projects"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert "<span>Page 2 of 3</span>" in en.content.decode()


def test_one_page_has_no_pager(client, partnership):
    ProjectFactory(partnership=partnership)
    html = client.get(reverse("projects:projects"), {"partnership": partnership.pk})
    assert 'class="pager' not in html.content.decode()


def test_the_filter_form_keeps_the_sort_and_its_buttons(client, partnership):
    html = client.get(
        reverse("projects:projects"), {"partnership": partnership.pk, "sort": "-aid_funds"}
    ).content.decode()
    assert '<input type="hidden" name="sort" value="-aid_funds">' in html
    assert '<button type="submit">筛选</button>\n    <a href="?">清除筛选</a>' in html
    html = client.get(reverse("projects:projects"), {"sort": '"><b>'}).content.decode()
    assert "<b>" not in html and "&quot;&gt;&lt;b&gt;" in html  # the sort error, escaped


def test_the_place_compiled_once_is_the_same_sql_and_follows_relabelling(partnership):
    """`place` is compiled once per database and table aliases: the same SQL as the plain
    expression, right again in a subquery (relabelled aliases) and after joins change."""
    from cooperation.listing import place_expression, with_place
    from projects.models import Project

    ProjectFactory(partnership=partnership, place_text="石梯")
    ProjectFactory(partnership=partnership, place_text="别处")
    cached = with_place(Project.objects.all())
    plain = Project.objects.annotate(place=place_expression())
    for _ in range(2):
        assert str(cached.values_list("place").query) == str(plain.values_list("place").query)
    both = sorted(cached.values_list("place", flat=True))
    assert both == sorted(plain.values_list("place", flat=True))
    inner = cached.filter(place__contains="石梯").values("pk")
    outer = with_place(Project.objects.filter(pk__in=inner))
    assert [p.endswith("石梯") for p in outer.values_list("place", flat=True)] == [True]
    searched = cached.filter(town__name__contains="").filter(place__contains="别处")
    assert [p.endswith("别处") for p in searched.values_list("place", flat=True)] == [True]
