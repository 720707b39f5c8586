import time

import pytest

from cooperation.models import Region
from cooperation.regions import load_regions

pytestmark = pytest.mark.django_db


def test_counts_per_level_match_the_shipped_files():
    # provinces.csv 31 rows, cities.csv 342, areas.csv 2978, streets (Jiangsu + Shaanxi) 2822,
    # villages of 汉滨区 and 武进区 826 (each file's line count minus its header).
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level}
    assert counts == {
        Region.Level.PROVINCE: 31,
        Region.Level.CITY: 342,
        Region.Level.COUNTY: 2978,
        Region.Level.TOWN: 2822,
        Region.Level.VILLAGE: 826,
    }


def test_hanbin_has_28_towns():
    hanbin = Region.objects.get(code="610902")
    assert hanbin.name == "汉滨区"
    assert hanbin.parent.name == "安康市"
    assert hanbin.children.count() == 28
    assert Region.objects.towns_of(hanbin).count() == 28


def test_second_load_changes_nothing():
    before = Region.objects.count()
    assert load_regions() == (0, 0)
    assert Region.objects.count() == before


def test_a_renamed_region_is_corrected_on_reload():
    Region.objects.filter(code="610902115").update(name="旧名")
    assert load_regions() == (0, 1)
    assert Region.objects.get(code="610902115").name == "大河镇"


def test_load_is_fast():
    Region.objects.filter(level=Region.Level.VILLAGE).delete()
    started = time.perf_counter()
    created, _ = load_regions()
    assert created == 826
    # A generous bound: the full load of ~7,000 rows takes about 0.2 s here.
    assert time.perf_counter() - started < 10


def test_lookup_by_code_and_by_name_within_parent():
    hanbin = Region.objects.get(code="610902")
    town = Region.objects.by_name("大河镇", parent=hanbin).get()
    assert town.code == "610902115"
    assert town.level == Region.Level.TOWN
    village = Region.objects.by_name("小河村", parent=town).get()
    assert village.code == "610902115208"
    assert village.name == "小河村委会"  # the code list's name
    assert str(village) == "小河村"  # the everyday name
    assert village.full_name == "汉滨区大河镇小河村"
    assert town.full_name == "汉滨区大河镇"


def test_within_is_a_code_prefix():
    wujin = Region.objects.get(code="320412")
    inside = Region.objects.within(wujin)
    assert (
        inside.filter(level=Region.Level.TOWN).count()
        == Region.objects.get(code="320412").children.count()
    )
    assert not inside.filter(code__startswith="6109").exists()
    assert wujin.contains(Region.objects.get(code="320412001"))
    assert not wujin.contains(Region.objects.get(code="610902115"))
