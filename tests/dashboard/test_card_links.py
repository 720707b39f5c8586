"""Each card's link opens a list whose filtered rows add up exactly to the card: the figure
named in FOOTER (a column sum, a distinct count, or the row count) equals the card."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from tests.conftest import YEAR
from tests.dashboard.conftest import EXPECTED, FOOTER
from tests.dashboard.helpers import cards, footer

pytestmark = pytest.mark.django_db


def test_every_indicator_names_the_footer_figure_of_its_list():
    assert set(FOOTER) == {ind.key for ind in registry.all()}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_linked_list_adds_up_to_the_card(staff_client, data, key):
    dashboard = staff_client.get(
        reverse("cooperation:dashboard"), {"partnership": data.pk, "year": YEAR}
    )
    card = cards(dashboard)[key]
    listing = staff_client.get(card.url)
    assert listing.status_code == 200, card.url
    total = footer(listing)[FOOTER[key]]
    if FOOTER[key].startswith("average"):
        # An average is shown (and compared) to the card's decimals.
        total = Decimal(total).quantize(Decimal(1).scaleb(-card.indicator.decimals))
    assert total == card.actual == EXPECTED[key], card.url


@pytest.mark.parametrize("key", ["funds.aid", "labor.transferred", "pairings.active"])
def test_a_town_card_links_to_the_town_rows(staff_client, data, key):
    params = {"partnership": data.pk, "year": YEAR, "town": "610902001"}
    card = cards(staff_client.get(reverse("cooperation:dashboard"), params))[key]
    assert "town=610902001" in card.url
    assert footer(staff_client.get(card.url))[FOOTER[key]] == card.actual
