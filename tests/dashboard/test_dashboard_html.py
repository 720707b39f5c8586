"""The dashboard's choice form is written in Python (cooperation/dashboard_html.py) for
speed: byte for byte what its template renders, every value escaped, in both languages; the
cards and chart tables (templates) escape what they show; and the partnership choices, read
once per data version, are never stale."""

import datetime
from decimal import Decimal
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cooperation import dashboard_html
from cooperation.charts import Table
from cooperation.indicators import registry
from cooperation.listing import MONEY, TEXT
from cooperation.models import Partnership, Region
from cooperation.views import Choice, Figure, partnership_choices
from tests.cooperation.factories import PartnershipFactory
from tests.dashboard.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("cooperation:dashboard")
LANGUAGES = ["zh-hans", "en"]


def hostile(indicator):
    """The indicator with a label carrying markup, to see it escaped."""
    fake = type("Fake", (), {})()
    fake.__dict__.update(
        key=indicator.key,
        label='<b>"资金" & 项目</b>',
        unit=indicator.unit,
        decimals=indicator.decimals,
    )
    return fake


def figures():
    funds, transferred = registry.get("funds.aid"), registry.get("labor.transferred")
    return [
        Figure(funds, D("123456.7890"), D("150000"), D("82.3"), "/projects/?a=1&b=<2>"),
        Figure(funds, D("12.5"), None, None, None),
        Figure(transferred, 1043, 1000, D("104.3"), "/labor/workers/?year=2021", True),
        Figure(transferred, None, None, None, None),
        Figure(hostile(funds), D("0"), D("0"), None, '/x/?q="><script>'),
    ]


def card(f):
    return render_to_string("cooperation/_figure_card.html", {"f": f, "choice": None})


def test_card_text_and_links_are_escaped():
    html = card(figures()[-1])
    assert "<b>" not in html and "&lt;b&gt;&quot;资金&quot; &amp; 项目&lt;/b&gt;" in html
    assert "<script>" not in html and 'href="/x/?q=&quot;&gt;&lt;script&gt;"' in html
    assert 'href="/projects/?a=1&amp;b=&lt;2&gt;"' in card(figures()[0])


def test_chart_table_cells_and_links_are_escaped():
    table = Table(
        headers=["镇（街道）", "金额 <万元>"],
        rows=[["<i>&村</i>", D("1234.5")], ["县河镇", None]],
        kinds=[TEXT, MONEY],
        links=[[None, '/projects/?town=1&q="><script>'], [None, None]],
    )
    html = render_to_string("cooperation/_chart_table.html", {"table": table})
    assert "<i>" not in html and "&lt;i&gt;&amp;村&lt;/i&gt;" in html
    assert "金额 &lt;万元&gt;" in html
    assert 'href="/projects/?town=1&amp;q=&quot;&gt;&lt;script&gt;"' in html
    assert "<script>" not in html


@pytest.fixture
def choices(partnership):
    PartnershipFactory(
        east_region=Region.objects.get(code="320413"),  # 金坛区
        west_region=Region.objects.get(code="610925"),  # 岚皋县
    )
    return partnership_choices()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("with_town", [None, "610902001", False])
def test_the_choice_form_is_the_template_byte_for_byte(choices, language, with_town):
    towns = list(Region.objects.filter(parent_id="610902").order_by("code"))
    choice = Choice(
        partnerships=choices,
        partnership=choices[1].instance(),
        year=2021,
        years=[2022, 2021, 2020],
        towns=towns if with_town is not False else [],
        town=next((t for t in towns if t.code == with_town), None),
    )
    with translation.override(language):
        html = dashboard_html.choice_form_html(choice)
        assert html == render_to_string("cooperation/_choice_form.html", {"choice": choice})
    assert f'<option value="{choices[1].pk}" selected>金坛区—岚皋县</option>' in html
    assert '<option value="2021" selected>2021</option>' in html
    if with_town:
        assert '<option value="610902001" selected>' in html


def test_a_chosen_partnership_is_the_partnership_the_database_holds(choices):
    for choice in choices:
        made, stored = choice.instance(), Partnership.objects.with_regions().get(pk=choice.pk)
        fields = [f.attname for f in Partnership._meta.concrete_fields]
        assert [getattr(made, f) for f in fields] == [getattr(stored, f) for f in fields]
        assert made.name == stored.name == choice.name
        assert (made.west_region.code, made.west_region.level) == (
            stored.west_region.code,
            stored.west_region.level,
        )


def test_a_new_partnership_is_offered_at_once(client, data):
    page = client.get(URL, {"partnership": data.pk, "year": YEAR}).content.decode()
    assert "金坛区—岚皋县" not in page
    new = PartnershipFactory(
        east_region=Region.objects.get(code="320413"),
        west_region=Region.objects.get(code="610925"),
    )

    page = client.get(URL, {"partnership": data.pk, "year": YEAR}).content.decode()

    assert f'<option value="{new.pk}">金坛区—岚皋县</option>' in page
    assert client.get(URL, {"partnership": new.pk}).status_code == 200


def test_a_partnership_that_does_not_exist_is_a_404(client, data):
    assert client.get(URL, {"partnership": 999999}).status_code == 404


@pytest.mark.parametrize(
    "percent, as_of, part_year, state, word",
    [
        (Decimal("122.0"), None, False, "met", "已完成"),
        (Decimal("100.0"), None, False, "met", "已完成"),
        (Decimal("95.0"), None, False, "on-track", "进度正常"),
        (Decimal("24.0"), None, False, "behind", "落后于进度"),
        # By 30 April a third of the year is gone: 28 % is on track, 15 % behind.
        (Decimal("28.0"), datetime.date(2022, 4, 30), True, "on-track", "进度正常"),
        (Decimal("15.0"), datetime.date(2022, 4, 30), True, "behind", "落后于进度"),
    ],
)
def test_a_card_says_in_a_word_how_a_figure_stands(percent, as_of, part_year, state, word):
    f = figures()[0]
    f.target, f.percent = Decimal("100"), percent
    choice = SimpleNamespace(as_of=as_of, part_year=part_year)
    html = render_to_string("cooperation/_figure_card.html", {"f": f, "choice": choice})
    assert f"completion-{state}" in html and word in html
    # The real share, not a step of 10 %.
    assert f'value="{max(Decimal(0), min(Decimal(100), percent))}"' in html
