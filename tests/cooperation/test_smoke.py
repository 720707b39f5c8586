import pytest

from cooperation.dashboard.indicators import registry
from tests.cooperation.factories import PairingFactory


@pytest.mark.django_db
def test_pairing_counts_in_active_indicator(partnership):
    PairingFactory(partnership=partnership)
    assert registry["pairings.active"].value(partnership, 2021) == 1
