"""A posting's town is its western end: the sending unit's town for a posting west→east, the
receiving unit's town for one east→west (the other end lies in the eastern county). The town
figures of the people-exchange cards and the town filter of the postings list follow it.

The data, all of 武进区—汉滨区 (2021 under test; days on post both ends inclusive):

    A  w2e cadre      恒口镇人民政府 → 湖塘镇人民政府   2021-03-01 – open        306 days in 2021
    B  w2e education  恒口镇老街社区 → 牛塘镇中心小学   2021-05-01 – 2021-08-31  123
    C  w2e cadre      建民街道办事处 → 武进区发改局     2020-06-01 – 2021-05-30  150
    C  w2e cadre      (same person, same home unit)    2021-09-01 – open        122
    E  w2e medical    恒口镇卫生院 → 武进区人民医院     2022-03-01 – open        (2022)
    F  e2w medical    武进区人民医院 → 双龙镇卫生院     2021-04-01 – 2021-12-31  275
    G  e2w cadre      湖塘镇人民政府 → 恒口镇人民政府   2021-02-01 – open        334
    H  e2w cadre      武进区发改局 → 汉滨区发改局 (county level, in no town)
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from cooperation.dashboard.indicators import registry
from cooperation.models import Direction, Posting, Region
from tests.conftest import YEAR
from tests.cooperation.factories import EastOrgFactory, OrganisationFactory, PostingFactory, region
from tests.dashboard.conftest import FOOTER
from tests.dashboard.helpers import footer, screen_rows

pytestmark = pytest.mark.django_db

day = datetime.date
HENGKOU, JIANMIN, SHUANGLONG = "610902107", "610902004", "610902117"  # towns of 汉滨区
HENGKOU_LAOJIE = "610902107001"  # 恒口镇老街社区, a village-level unit of 恒口镇
HUTANG, NIUTANG = "320412100", "320412102"  # towns of 武进区 (the eastern county)
POSTING_KEYS = [
    "postings.cadres_w2e",
    "postings.professionals_w2e",
    "postings.cadres_e2w",
    "postings.professionals_e2w",
    "postings.person_times_in_year",
    "postings.on_post_at_year_end",
    "postings.average_months",
]

# By western town, 2021, worked out from the table above.
EXPECTED = {
    HENGKOU: {
        "postings.cadres_w2e": 1,  # A (from 恒口镇, hosted in 湖塘镇)
        "postings.professionals_w2e": 1,  # B; E arrives in 2022
        "postings.cadres_e2w": 1,  # G (hosted in 恒口镇)
        "postings.professionals_e2w": 0,
        "postings.person_times_in_year": 3,  # A, B, G
        "postings.on_post_at_year_end": 2,  # A, G (B left in August)
        # (306 + 123 + 334) / 3 = 254.33 days / 30 = 8.48
        "postings.average_months": Decimal("8.5"),
    },
    JIANMIN: {
        "postings.cadres_w2e": 1,  # C, posted twice from the same unit: one person
        "postings.professionals_w2e": 0,
        "postings.cadres_e2w": 0,
        "postings.professionals_e2w": 0,
        "postings.person_times_in_year": 1,  # C's second posting
        "postings.on_post_at_year_end": 1,  # C (second posting, open)
        # (150 + 122) / 2 = 136 days / 30 = 4.53
        "postings.average_months": Decimal("4.5"),
    },
    SHUANGLONG: {
        "postings.cadres_w2e": 0,
        "postings.professionals_w2e": 0,
        "postings.cadres_e2w": 0,
        "postings.professionals_e2w": 1,  # F
        "postings.person_times_in_year": 1,  # F
        "postings.on_post_at_year_end": 1,  # F leaves on 31 December: still on post that day
        "postings.average_months": Decimal("9.2"),  # 275 / 30 = 9.17
    },
}


@pytest.fixture
def postings(partnership):
    def west(name, code):
        return OrganisationFactory(name=name, region=region(code))

    def east(name, code="320412"):
        return EastOrgFactory(name=name, region=region(code))

    hengkou_gov, hutang_gov = west("恒口镇人民政府", HENGKOU), east("湖塘镇人民政府", HUTANG)
    w2e = {"partnership": partnership, "direction": Direction.WEST_TO_EAST}
    e2w = {"partnership": partnership, "direction": Direction.EAST_TO_WEST}
    PostingFactory(**w2e, person_name="甲", category="cadre", home_org=hengkou_gov,
                   host_org=hutang_gov, start_date=day(2021, 3, 1))  # fmt: skip
    PostingFactory(**w2e, person_name="乙", category="education",
                   home_org=west("恒口镇老街社区", HENGKOU_LAOJIE),
                   host_org=east("牛塘镇中心小学", NIUTANG), start_date=day(2021, 5, 1),
                   end_date=day(2021, 8, 31))  # fmt: skip
    jianmin, fgj = west("建民街道办事处", JIANMIN), east("武进区发改局")
    PostingFactory(**w2e, person_name="丙", category="cadre", home_org=jianmin, host_org=fgj,
                   start_date=day(2020, 6, 1), end_date=day(2021, 5, 30))  # fmt: skip
    PostingFactory(**w2e, person_name="丙", category="cadre", home_org=jianmin, host_org=fgj,
                   start_date=day(2021, 9, 1))  # fmt: skip
    hospital = east("武进区人民医院")
    PostingFactory(**w2e, person_name="戊", category="medical",
                   home_org=west("恒口镇卫生院", HENGKOU), host_org=hospital,
                   start_date=day(2022, 3, 1))  # fmt: skip
    PostingFactory(**e2w, person_name="己", category="medical", home_org=hospital,
                   host_org=west("双龙镇卫生院", SHUANGLONG), start_date=day(2021, 4, 1),
                   end_date=day(2021, 12, 31))  # fmt: skip
    PostingFactory(**e2w, person_name="庚", category="cadre", home_org=hutang_gov,
                   host_org=hengkou_gov, start_date=day(2021, 2, 1))  # fmt: skip
    PostingFactory(**e2w, person_name="辛", category="cadre", home_org=fgj,
                   host_org=west("汉滨区发改局", "610902"), start_date=day(2021, 6, 1))  # fmt: skip
    return partnership


@pytest.mark.parametrize("town", sorted(EXPECTED))
def test_town_figures_count_the_western_end(postings, town):
    figures = {key: registry[key].value(postings, YEAR, town=region(town)) for key in POSTING_KEYS}
    assert figures == EXPECTED[town]


def test_the_whole_county_counts_every_posting(postings):
    """Without a town nothing changes: H, in no town, counts for the county only."""
    value = {key: registry[key].value(postings, YEAR) for key in POSTING_KEYS}
    assert value["postings.cadres_w2e"] == 2  # 甲, 丙
    assert value["postings.cadres_e2w"] == 2  # 庚, 辛
    assert value["postings.person_times_in_year"] == 6  # 甲 乙 丙 己 庚 辛


def test_a_later_year_adds_the_later_postings(postings):
    value = registry["postings.professionals_w2e"].value(postings, 2022, town=region(HENGKOU))
    assert value == 2  # 乙 (2021) and 戊 (2022)


def test_a_month_narrows_to_arrivals_of_the_town(postings):
    cadres_w2e = registry["postings.cadres_w2e"]
    assert cadres_w2e.value(postings, YEAR, town=region(HENGKOU), month=3) == 1  # 甲
    assert cadres_w2e.value(postings, YEAR, town=region(HENGKOU), month=2) == 0
    assert registry["postings.cadres_e2w"].value(postings, YEAR, town=region(HENGKOU), month=2) == 1


@pytest.mark.parametrize("town", [HUTANG, NIUTANG])
def test_eastern_towns_never_count(postings, town):
    assert not Region.objects.towns_of("610902").filter(code=town).exists()
    for key in POSTING_KEYS:
        assert registry[key].value(postings, YEAR, town=region(town)) == 0, key


def test_the_list_shows_the_rows_of_the_western_town(client, postings):
    response = client.get(
        reverse("cooperation:postings"),
        {"partnership": postings.pk, "year": YEAR, "town": HENGKOU, "sort": "start_date"},
    )
    assert response.status_code == 200
    assert [row[0] for row in screen_rows(response)] == ["庚", "甲", "乙"]  # arrived in 2021
    assert footer(response)["rows"] == 3


def test_the_list_refuses_an_eastern_town(client, postings):
    response = client.get(
        reverse("cooperation:postings"), {"partnership": postings.pk, "year": YEAR, "town": HUTANG}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("town", sorted(EXPECTED))
@pytest.mark.parametrize("key", POSTING_KEYS)
def test_each_town_card_links_to_rows_that_add_up_to_it(client, postings, town, key):
    indicator = registry[key]
    url = indicator.url(postings, YEAR, town=region(town))
    assert f"town={town}" in url
    total = footer(client.get(url))[FOOTER[key]]
    if FOOTER[key] == "average_months":
        total = Decimal(str(total))
    assert total == EXPECTED[town][key], url


def test_the_town_list_runs_a_fixed_number_of_queries(
    client, postings, django_assert_max_num_queries
):
    """The chosen partnership and town, the footer, persons, months on post, the rows, and
    the version of the choices and the partnerships and towns offered: 9 queries with 3 rows
    or 23."""
    params = {"partnership": postings.pk, "year": YEAR, "town": HENGKOU, "cumulative": 1}
    cache.clear()
    with django_assert_max_num_queries(9):
        client.get(reverse("cooperation:postings"), params)
    for n in range(20):
        PostingFactory(partnership=postings, direction=Direction.WEST_TO_EAST,
                       home_org=OrganisationFactory(name=f"恒口镇第{n}村", region=region(HENGKOU)),
                       host_org=EastOrgFactory(), start_date=day(2021, 1, 1))  # fmt: skip
    cache.clear()
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cooperation:postings"), params)
    assert footer(response)["rows"] == 23  # 甲, 乙, 庚 and the 20 new ones


def test_the_demo_hengkou_town_has_its_west_to_east_postings(client):
    """恒口镇 sent people east in the demo (the report's partnership): its west→east figures are
    not 0. Loaded inside this test's transaction, so no other test sees it."""
    call_command("load_demo", stdout=io.StringIO())
    town = Region.objects.towns_of("610902").get(name="恒口镇")
    sent = Posting.objects.filter(
        partnership__west_region_id="610902",
        direction=Direction.WEST_TO_EAST,
        home_org__region__code__startswith=town.code,
    )
    if not sent.exists():
        pytest.skip("the demo has no posting sent from 恒口镇")
    demo = sent.first().partnership
    year = max(p.start_date.year for p in sent)
    persons = {(p.person_name, p.home_org_id) for p in sent.filter(start_date__year__lte=year)}
    figure = sum(
        registry[key].value(demo, year, town=town)
        for key in ("postings.cadres_w2e", "postings.professionals_w2e")
    )
    assert figure == len(persons) > 0
    for key in ("postings.cadres_w2e", "postings.professionals_w2e"):
        url = registry[key].url(demo, year, town=town)
        assert footer(client.get(url))["persons"] == registry[key].value(demo, year, town=town)
