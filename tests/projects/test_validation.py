"""Each validation rule of the projects app, with the message staff see."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.places import BEIMEN, HANYIN_CHENGGUAN, LAOCHENG, XIDAJIE
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
    ProjectProgressFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


@pytest.mark.parametrize(
    "factory,field",
    [
        (ProjectFactory, "aid_funds"),
        (ProjectFactory, "local_funds"),
        (InvestmentFactory, "agreed"),
        (ConsumptionSaleFactory, "amount"),
        (DonationFactory, "cash"),
        (DonationFactory, "in_kind"),
    ],
)
def test_a_negative_amount_is_rejected(partnership, factory, field):
    obj = factory.build(partnership=partnership, **{field: Decimal("-0.0001")})
    assert errors_of(obj)[field] == ["金额不能为负数。"]


def test_arrived_over_agreed_needs_the_confirmation(partnership):
    inv = InvestmentFactory.build(
        partnership=partnership, agreed=Decimal("500"), arrived=Decimal("700.5")
    )
    assert errors_of(inv)["arrived"] == [
        "实际到位投资（700.5 万元）超过协议投资额（500 万元）。"
        "如确实如此，请勾选“确认到位投资超过协议投资”。"
    ]


def test_arrived_over_agreed_is_accepted_once_confirmed(partnership):
    inv = InvestmentFactory.build(
        partnership=partnership,
        agreed=Decimal("500"),
        arrived=Decimal("700.5"),
        arrived_over_agreed_confirmed=True,
    )
    inv.full_clean()  # no error


def test_a_town_outside_the_western_county_is_rejected(partnership):
    project = ProjectFactory.build(partnership=partnership, town_id=HANYIN_CHENGGUAN)
    assert errors_of(project)["town"] == ["“城关镇”不在汉滨区境内。"]


def test_a_village_not_in_the_town_is_rejected(partnership):
    # 北门社区 lies in 新城街道, not in 老城街道
    sale = ConsumptionSaleFactory.build(
        partnership=partnership, town_id=LAOCHENG, village_id=BEIMEN
    )
    assert errors_of(sale)["village"] == ["“北门社区居委会”不属于“老城街道”。"]


def test_a_village_of_the_town_is_accepted(partnership):
    donation = DonationFactory.build(partnership=partnership, town_id=LAOCHENG, village_id=XIDAJIE)
    donation.full_clean()


def test_certified_products_cannot_exceed_the_sale(partnership):
    sale = ConsumptionSaleFactory.build(
        partnership=partnership, amount=Decimal("10"), certified_amount=Decimal("10.0001")
    )
    assert errors_of(sale)["certified_amount"] == ["其中扶贫产品金额不能大于销售金额。"]


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_1_to_12_is_rejected(partnership, month):
    sale = ConsumptionSaleFactory.build(partnership=partnership, month=month)
    assert errors_of(sale)["month"] == ["月份应为1至12。"]


def test_a_fund_year_out_of_range_is_rejected(partnership):
    project = ProjectFactory.build(partnership=partnership, fund_year=21)
    assert errors_of(project)["fund_year"] == ["年度应在1996至2100之间。"]


def test_poverty_exited_cannot_exceed_beneficiaries(partnership):
    project = ProjectFactory.build(
        partnership=partnership, beneficiaries=5, beneficiaries_poverty_exited=6
    )
    assert errors_of(project)["beneficiaries_poverty_exited"] == ["其中脱贫人口不能多于受益人数。"]


def test_progress_cannot_pass_100_percent(partnership):
    project = ProjectFactory(partnership=partnership)
    note = ProjectProgressFactory.build(project=project, percent_complete=101)
    assert errors_of(note)["percent_complete"] == ["完成比例不能超过100。"]


def test_a_place_written_as_text_is_flagged(partnership):
    project = ProjectFactory.build(partnership=partnership, town_id=None, place_text="关山镇魏埭村")
    project.full_clean()
    assert project.place_is_unofficial
    assert project.place_display == "关山镇魏埭村"
