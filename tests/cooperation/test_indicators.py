"""The core indicators against figures worked out by hand on a small data set."""

import datetime
from decimal import Decimal

import pytest

from cooperation.dashboard.indicators import Group, registry
from cooperation.models import Pairing, Partnership, Region
from tests.cooperation.factories import (
    EastOrgFactory,
    OrganisationFactory,
    PairingFactory,
    PostingFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def value(key, partnership, year, **kw):
    return registry[key].value(partnership, year, **kw)


@pytest.fixture
def towns():
    return {
        "dahe": Region.objects.get(code="610902115"),  # 大河镇
        "shiti": Region.objects.get(code="610902124"),  # 石梯镇
    }


@pytest.fixture
def people(partnership, towns):
    """Postings of one partnership:

    w2e cadres:        A (2020-03-01 → 2021-02-28), B (2021-06-01 → open), A again (2022-01-10 → open)
    w2e professionals: C (2021-09-01 → 2021-12-31)
    e2w professionals: D (2021-02-01 → 2022-01-31, host in 大河镇), E (2021-12-31 → open, host in 石梯镇)
    e2w cadre:         F (2022-03-01 → open)
    """
    hanbin_home = OrganisationFactory(name="汉滨区委组织部")
    wujin_host = EastOrgFactory(name="武进区发改局")
    dahe = OrganisationFactory(name="大河镇政府", region=towns["dahe"])
    shiti = OrganisationFactory(name="石梯镇政府", region=towns["shiti"])
    wujin_home = EastOrgFactory(name="武进区农业农村局")
    w2e = dict(partnership=partnership, direction="w2e", home_org=hanbin_home, host_org=wujin_host)
    e2w = dict(partnership=partnership, direction="e2w", home_org=wujin_home)
    return [
        PostingFactory(
            person_name="甲",
            category="cadre",
            start_date=D(2020, 3, 1),
            end_date=D(2021, 2, 28),
            **w2e,
        ),
        PostingFactory(person_name="乙", category="cadre", start_date=D(2021, 6, 1), **w2e),
        PostingFactory(person_name="甲", category="cadre", start_date=D(2022, 1, 10), **w2e),
        PostingFactory(
            person_name="丙",
            category="education",
            start_date=D(2021, 9, 1),
            end_date=D(2021, 12, 31),
            **w2e,
        ),
        PostingFactory(
            person_name="丁",
            category="medical",
            start_date=D(2021, 2, 1),
            end_date=D(2022, 1, 31),
            host_org=dahe,
            **e2w,
        ),
        PostingFactory(
            person_name="戊",
            category="agriculture",
            start_date=D(2021, 12, 31),
            host_org=shiti,
            **e2w,
        ),
        PostingFactory(
            person_name="己", category="cadre", start_date=D(2022, 3, 1), host_org=dahe, **e2w
        ),
    ]


def test_cumulative_persons_by_direction_and_category(partnership, people):
    # By the end of 2021: w2e cadres 甲, 乙 = 2; w2e professionals 丙 = 1; e2w professionals 丁, 戊 = 2.
    assert value("postings.cadres_w2e", partnership, 2021) == 2
    assert value("postings.professionals_w2e", partnership, 2021) == 1
    assert value("postings.professionals_e2w", partnership, 2021) == 2
    assert value("postings.cadres_e2w", partnership, 2021) == 0
    # By the end of 2022 甲 went twice but is one person: cadres w2e still 2; e2w cadre 己 = 1.
    assert value("postings.cadres_w2e", partnership, 2022) == 2
    assert value("postings.cadres_e2w", partnership, 2022) == 1
    # By the end of 2020 only 甲.
    assert value("postings.cadres_w2e", partnership, 2020) == 1


def test_newly_posted_in_the_year_by_direction_and_category(partnership, people, towns):
    new = {
        ind.key.removeprefix("postings.new_"): value(ind.key, partnership, 2021)
        for ind in registry.all()
        if ind.key.startswith("postings.new_")
    }
    # Arrived in 2021: w2e 乙 (cadre), 丙 (teacher); e2w 丁 (doctor), 戊 (agriculture).
    assert new == {
        "cadres_e2w": 0,
        "professionals_e2w": 2,
        "teachers_e2w": 0,
        "doctors_e2w": 1,
        "agronomists_e2w": 1,
        "other_professionals_e2w": 0,
        "cadres_w2e": 1,
        "professionals_w2e": 1,
        "teachers_w2e": 1,
        "doctors_w2e": 0,
        "agronomists_w2e": 0,
        "other_professionals_w2e": 0,
    }
    # 2022: 甲 again (w2e cadre: new in that year, though posted before) and 己 (e2w cadre).
    assert value("postings.new_cadres_w2e", partnership, 2022) == 1
    assert value("postings.new_cadres_e2w", partnership, 2022) == 1
    # In 大河镇 (丁's host) in 2021: 丁 alone.
    assert value("postings.new_doctors_e2w", partnership, 2021, town=towns["dahe"]) == 1


def test_person_times_in_year_count_each_posting(partnership, people):
    # 2021 starts: 乙, 丙, 丁, 戊 = 4; 2022 starts: 甲 (second time), 己 = 2.
    assert value("postings.person_times_in_year", partnership, 2021) == 4
    assert value("postings.person_times_in_year", partnership, 2022) == 2
    # By month: June 2021 only 乙.
    assert value("postings.person_times_in_year", partnership, 2021, month=6) == 1


def test_on_post_at_year_end(partnership, people):
    # 31 Dec 2021: 乙 (open), 丙 (ends that day), 丁 (till 2022), 戊 (arrived that day) = 4.
    assert value("postings.on_post_at_year_end", partnership, 2021) == 4
    # 31 Dec 2022: 乙, 甲 (second posting), 戊, 己 = 4 (丙 and 丁 have left).
    assert value("postings.on_post_at_year_end", partnership, 2022) == 4


def test_by_town_uses_the_host_unit(partnership, people, towns):
    # Hosts in 大河镇: 丁 (2021), 己 (2022); in 石梯镇: 戊.
    assert value("postings.professionals_e2w", partnership, 2021, town=towns["dahe"]) == 1
    assert value("postings.professionals_e2w", partnership, 2021, town=towns["shiti"]) == 1
    assert value("postings.cadres_e2w", partnership, 2022, town=towns["dahe"]) == 1


def test_average_months_on_post_within_the_year(partnership, people):
    # Days on post inside 2021 (both ends counted):
    #   甲 1 Jan–28 Feb = 59; 乙 1 Jun–31 Dec = 214; 丙 1 Sep–31 Dec = 122;
    #   丁 1 Feb–31 Dec = 334; 戊 31 Dec = 1.   Sum 730 over 5 postings = 146 days = 4.87 months.
    assert value("postings.average_months", partnership, 2021) == Decimal("4.9")


def test_other_partnerships_do_not_leak(partnership, people):
    other = Partnership.objects.create(
        east_region=Region.objects.get(code="320411"),
        west_region=Region.objects.get(code="610921"),
        since_year=2021,
    )
    assert value("postings.cadres_w2e", other, 2021) == 0
    assert value("postings.on_post_at_year_end", other, 2021) == 0


@pytest.fixture
def pairings(partnership, towns):
    """Town pairing signed 2019, village pairing signed 2021-04 ended 2021-12-30,
    school pairing signed 2021-12-31, enterprise–village pairing signed 2022-02."""
    dahe_village = OrganisationFactory(
        name="小河村委会", region=Region.objects.get(code="610902115208")
    )
    return [
        PairingFactory(
            partnership=partnership,
            level=Pairing.Level.TOWN,
            signed_on=D(2019, 5, 1),
            west_org=OrganisationFactory(name="大河镇政府", region=towns["dahe"]),
        ),
        PairingFactory(
            partnership=partnership,
            level=Pairing.Level.VILLAGE,
            signed_on=D(2021, 4, 1),
            ended_on=D(2021, 12, 30),
            west_org=dahe_village,
        ),
        PairingFactory(
            partnership=partnership,
            level=Pairing.Level.SCHOOL,
            signed_on=D(2021, 12, 31),
            west_org=OrganisationFactory(name="石梯镇中心小学", region=towns["shiti"]),
        ),
        PairingFactory(
            partnership=partnership, level=Pairing.Level.ENTERPRISE_VILLAGE, signed_on=D(2022, 2, 1)
        ),
    ]


def test_pairings_active_at_year_end_by_level(partnership, pairings, towns):
    # End of 2021: the town pairing and the school pairing (village one ended 30 Dec) = 2.
    assert value("pairings.active", partnership, 2021) == 2
    assert value("pairings.town", partnership, 2021) == 1
    assert value("pairings.village", partnership, 2021) == 0
    assert value("pairings.school", partnership, 2021) == 1
    # End of 2022 adds the enterprise–village pairing = 3.
    assert value("pairings.active", partnership, 2022) == 3
    assert value("pairings.enterprise_village", partnership, 2022) == 1
    # In 大河镇 at the end of 2021: only the town pairing (the village one has ended).
    assert value("pairings.active", partnership, 2021, town=towns["dahe"]) == 1


def test_pairings_of_social_organisations_with_villages(partnership):
    PairingFactory(partnership=partnership, level=Pairing.Level.SOCIAL, signed_on=D(2021, 3, 1))
    PairingFactory(
        partnership=partnership,
        level=Pairing.Level.SOCIAL,
        signed_on=D(2020, 3, 1),
        ended_on=D(2021, 6, 30),
    )
    PairingFactory(partnership=partnership, level=Pairing.Level.VILLAGE, signed_on=D(2021, 3, 1))
    # At the end of 2021: the first social pairing (the second ended in June); at the end of
    # 2020: the second alone (the first was signed in 2021).
    assert value("pairings.social", partnership, 2021) == 1
    assert value("pairings.social", partnership, 2020) == 1
    assert value("pairings.active", partnership, 2021) == 2


def test_pairings_signed_in_year(partnership, pairings):
    # Signed in 2021: the village (April) and the school (December) pairings = 2; in April 1.
    assert value("pairings.signed_in_year", partnership, 2021) == 2
    assert value("pairings.signed_in_year", partnership, 2021, month=4) == 1


def test_an_open_pairing_signed_during_the_year_is_active_at_its_end(partnership):
    PairingFactory(partnership=partnership)  # signed 1 March 2021, never ended
    assert value("pairings.active", partnership, 2021) == 1


def test_visits_and_their_people(partnership):
    VisitFactory(partnership=partnership, date=D(2021, 3, 5), people=12)
    VisitFactory(partnership=partnership, date=D(2021, 11, 20), people=30, direction="w2e")
    VisitFactory(partnership=partnership, date=D(2022, 1, 1), people=7)
    # 2021: two visits, 12 + 30 = 42 people; March alone 12.
    assert value("visits.count", partnership, 2021) == 2
    assert value("visits.people", partnership, 2021) == 42
    assert value("visits.people", partnership, 2021, month=3) == 12
    assert value("visits.people", partnership, 2020) == 0


def test_visits_led_by_the_county_leaders_and_those_with_enterprises(partnership):
    VisitFactory(partnership=partnership, date=D(2021, 3, 5), level="leaders")
    VisitFactory(partnership=partnership, date=D(2021, 5, 1), level="leaders", enterprises=6)
    VisitFactory(partnership=partnership, date=D(2021, 9, 9), enterprises=4)
    VisitFactory(partnership=partnership, date=D(2021, 10, 1))  # neither
    VisitFactory(partnership=partnership, date=D(2022, 1, 1), level="leaders", enterprises=9)
    # 2021: two led by the leaders; two brought enterprises, 6 + 4 of them.
    assert value("visits.leaders", partnership, 2021) == 2
    assert value("visits.enterprise_trips", partnership, 2021) == 2
    assert value("visits.enterprises", partnership, 2021) == 10
    assert value("visits.enterprises", partnership, 2021, month=5) == 6
    assert value("visits.leaders", partnership, 2022) == 1


def test_every_indicator_is_documented_and_grouped():
    for ind in registry.all():
        assert ind.description, ind.key
        assert ind.group in Group.values, ind.key
        assert str(ind.label) and str(ind.unit), ind.key


def test_each_core_indicator_runs_one_query(
    partnership, people, pairings, django_assert_num_queries
):
    for key in [
        k.key for k in registry.all() if k.key.split(".")[0] in ("postings", "pairings", "visits")
    ]:
        with django_assert_num_queries(1):
            registry[key].value(partnership, 2021)
