"""The validation rules of the cooperation records (pairings, postings, partnerships,
targets), each with the message staff see; and a posting's derived duration and on-post
flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation.models import Organisation, Pairing, Partnership, Region, Target
from tests.cooperation.factories import (
    EastOrgFactory,
    OrganisationFactory,
    PairingFactory,
    PostingFactory,
)

pytestmark = pytest.mark.django_db


def messages(exc, field):
    return exc.value.message_dict[field]


def test_pairing_east_org_must_lie_in_the_eastern_county(partnership):
    outside = OrganisationFactory(name="南京某企业", region=Region.objects.get(code="320106"))
    pairing = PairingFactory.build(
        partnership=partnership, east_org=outside, west_org=OrganisationFactory()
    )
    with pytest.raises(ValidationError) as exc:
        pairing.full_clean()
    assert messages(exc, "east_org") == ["东部单位“南京某企业”不在武进区境内。"]


def test_pairing_west_org_must_lie_in_the_western_county(partnership):
    wrong_side = OrganisationFactory(name="湖塘镇政府", region=Region.objects.get(code="320412100"))
    pairing = PairingFactory.build(
        partnership=partnership, east_org=EastOrgFactory(), west_org=wrong_side
    )
    with pytest.raises(ValidationError) as exc:
        pairing.full_clean()
    assert messages(exc, "west_org") == ["西部单位“湖塘镇政府”不在汉滨区境内。"]


def test_a_village_of_the_western_county_is_accepted(partnership):
    village_org = OrganisationFactory(
        name="小河村委会",
        kind=Organisation.Kind.VILLAGE,
        region=Region.objects.get(code="610902115208"),
    )
    pairing = PairingFactory.build(
        partnership=partnership, east_org=EastOrgFactory(), west_org=village_org
    )
    pairing.full_clean()  # no error


def test_duplicate_pairing_is_refused_with_a_message(partnership):
    first = PairingFactory(partnership=partnership)
    again = Pairing(
        partnership=partnership,
        level=Pairing.Level.VILLAGE,
        east_org=first.east_org,
        west_org=first.west_org,
        signed_on=datetime.date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        again.full_clean()
    assert "这两个单位在本协作关系中已经结对，不能重复登记。" in exc.value.messages


def test_pairing_cannot_end_before_it_was_signed(partnership):
    pairing = PairingFactory.build(
        partnership=partnership,
        east_org=EastOrgFactory(),
        west_org=OrganisationFactory(),
        signed_on=datetime.date(2021, 5, 1),
        ended_on=datetime.date(2021, 4, 30),
    )
    with pytest.raises(ValidationError) as exc:
        pairing.full_clean()
    assert messages(exc, "ended_on") == ["终止日期不能早于签约日期。"]


def test_posting_end_not_before_start(partnership):
    posting = PostingFactory.build(
        partnership=partnership,
        home_org=EastOrgFactory(),
        host_org=OrganisationFactory(),
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 2, 28),
    )
    with pytest.raises(ValidationError) as exc:
        posting.full_clean()
    assert messages(exc, "end_date") == ["离岗日期不能早于到岗日期。"]


def test_posting_may_end_on_its_first_day(partnership):
    posting = PostingFactory.build(
        partnership=partnership,
        home_org=EastOrgFactory(),
        host_org=OrganisationFactory(),
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 3, 1),
    )
    posting.full_clean()


def test_posting_home_unit_must_be_on_the_sending_side(partnership):
    # 西部派往东部: the home unit must be in 汉滨区, not in 武进区.
    posting = PostingFactory.build(
        partnership=partnership,
        direction="w2e",
        home_org=EastOrgFactory(name="武进区人民医院"),
        host_org=None,
    )
    with pytest.raises(ValidationError) as exc:
        posting.full_clean()
    assert messages(exc, "home_org") == ["“武进区人民医院”不在西部（汉滨区）。"]


def test_partnership_sides_must_be_counties():
    partnership = Partnership(
        east_region=Region.objects.get(code="3204"),  # 常州市, a city
        west_region=Region.objects.get(code="610902"),
        since_year=2017,
    )
    with pytest.raises(ValidationError) as exc:
        partnership.full_clean()
    assert messages(exc, "east_region") == ["请选择县级行政区（区、县、县级市），而不是“常州市”。"]


def test_a_target_names_a_registered_indicator(partnership, admin_client):
    """The indicators are the dashboard's: the admin offers those and refuses any other."""
    url = reverse("admin:cooperation_target_add")
    data = {"partnership": partnership.pk, "year": 2021, "value": 3, "note": ""}
    refused = admin_client.post(url, {**data, "indicator": "no.such"})
    assert refused.status_code == 200
    assert "indicator" in refused.context["adminform"].form.errors
    assert not Target.objects.exists()
    admin_client.post(url, {**data, "indicator": "pairings.active"})
    assert Target.objects.get().indicator == "pairings.active"


def test_target_value_not_negative(partnership):
    target = Target(partnership=partnership, year=2021, indicator="pairings.active", value=-1)
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    assert messages(exc, "value") == ["目标值不能为负数。"]
