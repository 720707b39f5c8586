"""The dashboard: a card per indicator with the figure worked out by hand, its target and
percent reached; the partnership and year chosen from the query string."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.dashboard.indicators import registry
from tests.conftest import DASHBOARD, YEAR
from tests.cooperation.factories import PostingFactory
from tests.dashboard.conftest import EXPECTED, TARGETS
from tests.dashboard.helpers import cards
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_every_indicator_of_the_registry_has_a_hand_worked_figure():
    assert set(EXPECTED) == {ind.key for ind in registry.all()}


def test_every_card_shows_the_hand_worked_figure(client, data):
    response = client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR})
    assert response.status_code == 200
    figures = cards(response)
    assert set(figures) == set(EXPECTED)
    wrong = {k: (figures[k].actual, v) for k, v in EXPECTED.items() if figures[k].actual != v}
    assert wrong == {}


def test_cards_are_grouped_as_the_assessment_groups_them(client, data):
    response = client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR})
    groups = [str(group.label) for group, _ in response.context["groups"]]
    assert groups == ["资金支持", "干部人才交流", "结对帮扶", "产业合作", "劳务协作", "消费帮扶"]


def test_cards_show_target_and_percent_reached(client, data):
    figures = cards(client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR}))
    assert figures["funds.aid"].target == TARGETS["funds.aid"]
    assert figures["funds.aid"].percent == D("80.0")  # 2000.7534 / 2500 = 80.03 %
    assert figures["pairings.active"].percent == D("75.0")  # 3 / 4
    assert figures["labor.transferred"].percent == D("150.0")  # 3 / 2
    assert figures["industry.jobs"].target is None and figures["industry.jobs"].percent is None


def test_money_is_shown_in_wan_with_thousands_separators(client, data):
    html = client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR}).content.decode()
    assert "2,000.75" in html  # funds.aid 2000.7534 万元
    assert "8,000.00" in html  # investment agreed


def test_every_figure_links_to_its_list(client, data):
    response = client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR})
    html = response.content.decode()
    for key, figure in cards(response).items():
        assert figure.url, key
        assert figure.url.replace("&", "&amp;") in html, key


def test_default_is_the_first_partnership_and_the_latest_complete_year(client, data, monkeypatch):
    monkeypatch.setattr("cooperation.dashboard.views.today", lambda: datetime.date(2026, 6, 1))
    response = client.get(DASHBOARD)
    choice = response.context["choice"]
    assert choice.partnership == data
    # 2022 holds a pairing (10 Jan) and an investment (1 Feb) only; 2021's records stop at
    # the visit of 20 November; 2020's reach December (the donation of 31 December 2020).
    assert choice.year == 2020
    assert choice.years[0] == 2022  # the part year is still offered


def test_a_town_narrows_the_cards(client, data):
    response = client.get(DASHBOARD, {"partnership": data.pk, "year": YEAR, "town": "610902001"})
    figures = cards(response)
    assert figures["funds.aid"].actual == D("1200.5")  # 老城 only
    assert figures["labor.transferred"].actual == 2  # 韩一, 韩四 live in 老城
    assert figures["visits.count"].actual is None  # visits have no town
    assert figures["funds.aid"].target is None  # targets are for the whole county


def test_the_other_partnership_shows_only_its_own_records(client, data, other_partnership):
    response = client.get(DASHBOARD, {"partnership": other_partnership.pk, "year": YEAR})
    figures = cards(response)
    assert figures["funds.aid"].actual == D("7000")
    assert figures["consumption.amount"].actual == D("5555")
    assert figures["labor.transferred"].actual == 0


@pytest.mark.parametrize(
    "params",
    [
        {"partnership": "999999"},
        {"partnership": "abc"},
        {"partnership": "-1"},
        {"year": "abc"},
        {"year": "-1"},
        {"year": "99999"},
        {"year": "1e3"},
        {"town": "999999999"},
        {"town": "<script>"},
    ],
)
def test_bad_choices_give_404_not_500(client, data, params):
    assert client.get(DASHBOARD, params).status_code == 404


def test_without_any_partnership_the_dashboard_says_so(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "还没有协作关系" in response.content.decode()


def test_dashboard_runs_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    """Measured cold (the page cache cleared): one query per indicator plus a fixed few."""
    params = {"partnership": data.pk, "year": YEAR}
    cache.clear()
    with django_assert_max_num_queries(len(EXPECTED) + 15) as before:
        client.get(DASHBOARD, params)
    ProjectFactory.create_batch(30, partnership=data, fund_year=YEAR)
    PostingFactory.create_batch(30, partnership=data, start_date="2021-05-01")
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        client.get(DASHBOARD, params)
    assert len(after) == len(before)
