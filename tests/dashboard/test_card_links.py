"""Each card's link opens a list whose filtered rows add up exactly to the card: the figure
named in FOOTER (a column sum, a distinct count, or the row count) equals the card."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED, FOOTER, OVER_2020_2021, SINCE
from tests.dashboard.helpers import cards, footer

pytestmark = pytest.mark.django_db


def test_every_indicator_names_the_footer_figure_of_its_list():
    assert set(FOOTER) == {ind.key for ind in registry.all()}


def linked_total(client, card):
    """The footer figure of the list a card links to (FOOTER names it)."""
    listing = client.get(card.url)
    assert listing.status_code == 200, card.url
    total = footer(listing)[FOOTER[card.indicator.key]]
    if FOOTER[card.indicator.key].startswith("average"):
        # An average is shown (and compared) to the card's decimals.
        total = Decimal(total).quantize(Decimal(1).scaleb(-card.indicator.decimals))
    return total


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_linked_list_adds_up_to_the_card(staff_client, data, key):
    dashboard = staff_client.get(
        reverse("cooperation:dashboard"), {"partnership": data.pk, "year": YEAR}
    )
    card = cards(dashboard)[key]
    assert linked_total(staff_client, card) == card.actual == EXPECTED[key], card.url


@pytest.mark.parametrize("key", ["funds.aid", "labor.transferred", "pairings.active"])
def test_a_town_card_links_to_the_town_rows(staff_client, data, key):
    params = {"partnership": data.pk, "year": YEAR, "town": "610902001"}
    card = cards(staff_client.get(reverse("cooperation:dashboard"), params))[key]
    assert "town=610902001" in card.url
    assert footer(staff_client.get(card.url))[FOOTER[key]] == card.actual


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED if registry[k].over_years))
def test_the_linked_list_of_a_range_of_years_adds_up_to_the_card(staff_client, data, key):
    params = {"partnership": data.pk, "year": YEAR, "since": SINCE}
    card = cards(staff_client.get(reverse("cooperation:dashboard"), params))[key]
    assert f"since={SINCE}" in card.url
    expected = {**EXPECTED, **OVER_2020_2021}[key]
    assert linked_total(staff_client, card) == card.actual == expected, card.url
