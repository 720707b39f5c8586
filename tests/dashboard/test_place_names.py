"""Places are written one way on every list and export: a village with its town and
without the committee suffix (恒口镇江沟社区), a town by its name."""

import pytest
from django.urls import reverse

from cooperation.models import Region
from cooperation.querysets import short_region_name
from tests.cooperation.factories import OrganisationFactory, PairingFactory

pytestmark = pytest.mark.django_db


def test_the_pairings_list_and_its_export_name_a_village_with_its_town(client, partnership):
    village = Region.objects.filter(
        level=Region.Level.VILLAGE, code__startswith="610902", name__endswith="居委会"
    ).first()
    assert village is not None, "the test database holds 汉滨区's villages"
    town = Region.objects.get(code=village.code[:9])
    everyday = town.name + short_region_name(village.name)  # e.g. 恒口镇江沟社区
    PairingFactory(partnership=partnership, west_org=OrganisationFactory(region=village))
    PairingFactory(partnership=partnership, west_org=OrganisationFactory(region=town))
    query = {"partnership": partnership.pk}

    page = client.get(reverse("cooperation:pairings"), query).content.decode()
    export = client.get(reverse("cooperation:pairings_export", args=["csv"]), query)
    text = b"".join(export.streaming_content).decode("utf-8-sig")

    for shown in (page, text):
        assert everyday in shown
        assert village.name not in shown  # not "…居委会"
        assert town.name in shown
