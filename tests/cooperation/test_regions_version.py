"""`load_regions` writes in bulk (no signals): it bumps the data version itself when it
changed anything, so choices cached under the version (towns) are never stale."""

import pytest
from django.urls import reverse

from cooperation.freshness import data_version
from cooperation.models import Region
from cooperation.regions import load_regions

pytestmark = pytest.mark.django_db


def test_a_load_that_renames_a_region_bumps_the_data_version():
    Region.objects.filter(code="610902115").update(name="旧名")
    before = data_version()
    assert load_regions() == (0, 1)
    assert data_version() != before


def test_a_load_that_adds_a_region_bumps_the_data_version():
    village = Region.objects.filter(level=Region.Level.VILLAGE).first()
    Region.objects.filter(pk=village.pk).delete()
    before = data_version()
    assert load_regions() == (1, 0)
    assert data_version() != before


def test_a_load_that_changes_nothing_keeps_the_data_version():
    before = data_version()
    assert load_regions() == (0, 0)
    assert data_version() == before


def test_the_town_drop_down_shows_a_name_corrected_by_a_reload(client, partnership):
    url, params = reverse("projects:projects"), {"partnership": partnership.pk}
    original = Region.objects.get(code="610902115").name
    # A name changed behind the cache's back (no signal, no bump), then cached.
    Region.objects.filter(code="610902115").update(name="旧名")
    assert '<option value="610902115">旧名</option>' in client.get(url, params).content.decode()
    assert load_regions() == (0, 1)
    html = client.get(url, params).content.decode()
    assert f'<option value="610902115">{original}</option>' in html
