"""The official regions (cooperation/regions.py and Region's queryset): the shipped code lists
loaded in full, again without change, and quickly; a renamed region corrected on reload;
lookups by name within a parent (the import's index, the one place names are matched); containment by code prefix; and villages found
by their everyday names (小河村 for 小河村委会), in Python and in SQL alike."""

import time
from collections import Counter

import pytest

from cooperation.imports.places import RegionIndex
from cooperation.models import Region
from cooperation.querysets import short_region_name, short_region_name_sql
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


def test_loading_the_826_villages_takes_seconds():
    Region.objects.filter(level=Region.Level.VILLAGE).delete()
    started = time.perf_counter()
    created, _ = load_regions()
    assert created == 826
    # A generous bound: the full load of ~7,000 rows takes about 0.2 s here.
    assert time.perf_counter() - started < 10


def test_lookup_by_code_and_by_name_within_parent():
    index = RegionIndex()
    town = index.find("大河镇", level=Region.Level.TOWN, within="610902", what="镇")
    assert town.code == "610902115"
    village = index.find("小河村", level=Region.Level.VILLAGE, within=town, what="村")
    assert village.code == "610902115208"
    village = Region.objects.get(code=village.code)
    town = Region.objects.get(code=town.code)
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


@pytest.mark.parametrize(
    "official, everyday",
    [
        ("小河村委会", "小河村"),
        ("东方村村委会", "东方村"),
        ("阖闾城村委会", "阖闾城村"),
        ("梅港社区居委会", "梅港社区"),
        ("站北社区居民委员会", "站北社区"),
        ("卢家巷社区居委会（含卢家巷村村委）", "卢家巷社区"),
        ("大河镇", "大河镇"),
    ],
)
def test_everyday_names_of_villages(official, everyday):
    assert short_region_name(official) == everyday


def test_every_village_is_found_by_its_everyday_name():
    # 826 villages, each found by its everyday name within its town, unless another village
    # of the town shares it (陈家营村委会 and 陈家营村委会（大）): then the import asks for
    # the full name.
    index = RegionIndex()
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE))
    namesakes = Counter((v.parent_id, v.short_name) for v in villages)
    for village in villages:

        def find(village=village):
            return index.find(
                village.short_name, level=Region.Level.VILLAGE, within=village.parent_id, what="村"
            )

        if namesakes[village.parent_id, village.short_name] == 1:
            assert find().code == village.code, village.name
        else:
            with pytest.raises(ValueError, match="2处同名"):
                find()
    assert sum(n for n in namesakes.values() if n > 1) == 2


def test_everyday_names_in_the_database_match_python():
    # Names with a note in brackets, and 联合村委会大 (a quirk of the code list), aside.
    rows = Region.objects.filter(level=Region.Level.VILLAGE).exclude(name__contains="（")
    rows = rows.exclude(code="610902107315")
    computed = dict(rows.annotate(short=short_region_name_sql("name")).values_list("code", "short"))
    assert computed == {r.code: r.short_name for r in rows}
