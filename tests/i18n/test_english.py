"""English, the second language: chosen with the language switch (or the browser's
Accept-Language), the dashboard, the public lists and the admin speak English, with amounts
in millions and billions of yuan, a record named in the singular and English punctuation."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.dashboard.indicators import registry
from cooperation.templatetags.coop import figure, in_yi
from tests.conftest import DASHBOARD, PUBLIC_LISTS, admin_registry
from tests.i18n.helpers import CJK, QUOTED, chinese_in, switch_to, ui_texts
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db
AID_FUNDS = registry["funds.aid"]  # an indicator in 万元


def test_the_site_is_chinese_by_default(client, partnership):
    html = client.get(DASHBOARD, {"partnership": partnership.pk, "year": 2021}).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "东西部协作总览" in html and "2021年" in html
    assert "Cooperation dashboard" not in html


def test_the_language_switch_redirects_back_and_sets_english(client):
    response = switch_to(client, "en", "/projects/?year=2021")
    assert response.status_code == 302
    assert response.url == "/projects/?year=2021"
    assert response.cookies["django_language"].value == "en"


def test_after_the_switch_the_dashboard_is_english(client, partnership):
    ProjectFactory(partnership=partnership)
    switch_to(client, "en")
    html = client.get(DASHBOARD, {"partnership": partnership.pk, "year": 2021}).content.decode()
    assert '<html lang="en">' in html
    for english in [
        "East–West Cooperation dashboard",
        "Funding",  # the first group of cards
        "East–west cooperation fiscal aid funds",
        "Cooperation-funded projects",
        "10k yuan",
        "Annual targets and results",
        "Every figure is computed live from the records",
    ]:
        assert english in html, english
    for chinese in [
        "东西部协作总览",
        "资金支持",
        "东西部协作财政援助资金",
        "万元",
        "2021年",
        "协作总览",
    ]:
        assert chinese not in html, chinese
    # Headings, card titles and labels: all English but the partnership's own name.
    assert [t for t in chinese_in(ui_texts(html)) if partnership.name not in t] == []


def test_a_page_cached_in_chinese_is_served_in_english_to_an_english_reader(client, partnership):
    # Dashboard pages and charts are cached; the language is part of the cache key.
    ProjectFactory(partnership=partnership)
    params = {"partnership": partnership.pk, "year": 2021}
    chart = reverse("cooperation:chart_svg", args=["funds-by-category"])
    assert "东西部协作总览" in client.get(DASHBOARD, params).content.decode()
    assert "产业发展" in client.get(chart, params).content.decode()
    english = client.get(DASHBOARD, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "East–West Cooperation dashboard" in english and "东西部协作总览" not in english
    svg = client.get(chart, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Industry development" in svg and "产业发展" not in svg


def test_switching_back_gives_chinese_again(client, partnership):
    switch_to(client, "en")
    switch_to(client, "zh-hans")
    html = client.get(DASHBOARD, {"partnership": partnership.pk, "year": 2021}).content.decode()
    assert "东西部协作总览" in html and "East–West Cooperation dashboard" not in html


def test_the_project_list_is_english(client, partnership):
    ProjectFactory(partnership=partnership, name="协作项目甲")
    url = reverse("projects:projects")
    html = client.get(url, {"year": 2021}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for english in ["Fund year", "Project name", "Project category", "Filter", "Clear filters"]:
        assert english in html, english
    assert "Industry development" in html  # the project's category, a choice label
    for chinese in ["资金年度", "项目名称", "清除筛选", "产业发展"]:
        assert chinese not in html, chinese
    assert "协作项目甲" in html  # records keep their own (Chinese) names


@pytest.mark.parametrize("name", PUBLIC_LISTS)
def test_every_public_list_has_english_headings_labels_and_buttons(client, partnership, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    texts = ui_texts(response.content.decode())
    assert "Filter" in texts
    assert chinese_in(texts) == []


def test_a_bad_filter_value_is_explained_in_english(client):
    url = reverse("projects:projects")
    html = client.get(url, {"year": "abc"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Some filters are invalid" in html
    assert "The year must be four digits, e.g. 2021." in html


def test_the_admin_index_is_english(admin_client):
    switch_to(admin_client, "en")
    html = admin_client.get(reverse("admin:index")).content.decode()
    for english in [
        "East–West Cooperation Records administration",
        "Data entry and review",
        "Partnerships",
        "Cooperation-funded projects",
        "Workers",
        "Job fairs",
    ]:
        assert english in html, english
    for chinese in [
        "东西部协作台账管理",
        "数据录入与审核",
        "对口协作关系",
        "协作资金项目",
        "务工人员",
    ]:
        assert chinese not in html, chinese


def test_an_admin_form_is_english(admin_client):
    switch_to(admin_client, "en")
    html = admin_client.get(reverse("admin:projects_project_add")).content.decode()
    for english in ["Fund year", "Implementing organisation", "Beneficiaries", "Planned"]:
        assert english in html, english
    assert chinese_in(ui_texts(html)) == []


def test_every_indicator_group_label_and_unit_has_an_english_translation():
    with translation.override("en"):
        texts = {
            ind.key: (str(ind.label), str(ind.unit), str(ind.group.label)) for ind in registry.all()
        }
    untranslated = {k: v for k, v in texts.items() if any(CJK.search(t) for t in v)}
    assert untranslated == {}


def test_every_registered_model_and_field_name_has_an_english_translation():
    untranslated = []
    with translation.override("en"):
        for model in admin_registry():
            opts = model._meta
            if opts.app_label not in {"cooperation", "projects", "labor"}:
                continue
            names = [opts.verbose_name, opts.verbose_name_plural]
            for field in opts.get_fields():
                if not hasattr(field, "verbose_name"):
                    continue
                names += [field.verbose_name, getattr(field, "help_text", "")]
                names += [label for _, label in getattr(field, "flatchoices", None) or []]
            # A quoted Chinese place name (“关山镇魏埭村”) is an example of data, not UI text.
            untranslated += [
                f"{opts.label}: {n}" for n in map(str, names) if CJK.search(QUOTED.sub("", n))
            ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("wan", "chinese", "english"),
    [
        (Decimal("112700"), "11.27 亿元", "1.127 billion yuan"),
        (Decimal("46000"), "4.60 亿元", "460 million yuan"),
        (Decimal("10000"), "1.00 亿元", "100 million yuan"),
        (Decimal("99999.6"), "10.00 亿元", "1.000 billion yuan"),  # not "1,000 million"
        (Decimal("9999.99"), "", ""),  # under 1 亿元: the figure in 万元 alone
    ],
)
def test_large_amounts_read_in_billions_and_millions_in_english(wan, chinese, english):
    assert in_yi(wan, AID_FUNDS) == chinese
    with translation.override("en"):
        assert in_yi(wan, AID_FUNDS) == english


def test_amounts_in_wan_read_10k_yuan_in_english():
    with translation.override("en"):
        assert f"{figure(Decimal('12.5'), AID_FUNDS)} {AID_FUNDS.unit}" == "12.50 10k yuan"


def test_the_english_dashboard_shows_a_billion_yuan_as_such(client, partnership):
    ProjectFactory(partnership=partnership, aid_funds=Decimal("112700"))
    query = {"partnership": partnership.pk, "year": 2021}
    assert "11.27 亿元" in client.get(DASHBOARD, query).content.decode()
    switch_to(client, "en")
    html = client.get(DASHBOARD, query).content.decode()
    assert '<p class="card-yi">1.127 billion yuan</p>' in html
    assert "hundred million" not in html


def test_english_admin_names_one_record_in_the_singular(admin_client):
    switch_to(admin_client, "en")
    page = admin_client.get(reverse("admin:projects_project_add")).content.decode()
    assert "Add Cooperation-funded project<" in page or "Add Cooperation-funded project " in page
    assert "Add Cooperation-funded projects" not in page
    listing = admin_client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "Cooperation-funded projects" in listing  # the plural stays plural


def test_english_list_errors_use_an_ascii_colon(client):
    switch_to(client, "en")
    page = client.get(reverse("projects:projects"), {"year": "abc"}).content.decode()
    errors = re.findall(r'<p class="error">(.*?)</p>', page)
    assert errors and all("：" not in e for e in errors), errors
