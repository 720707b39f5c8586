"""Factories of the projects app. Places default to real towns of 汉滨区 (the western county
of the default partnership 武进区—汉滨区)."""

import datetime
from decimal import Decimal

import factory

from projects.models import (
    ConsumptionSale,
    DemonstrationVillage,
    Disbursement,
    Donation,
    IndustrialPark,
    IndustrialParkYear,
    Investment,
    Project,
    ProjectProgress,
)
from tests.cooperation.factories import PartnershipFactory, region
from tests.places import HANYIN, LAOCHENG, XIDAJIE, XINBEI


def second_partnership():
    """A second partnership (新北区—汉阴县) whose records must never count in the first."""
    return PartnershipFactory(east_region=region(XINBEI), west_region=region(HANYIN))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    partnership = factory.SubFactory(PartnershipFactory)
    fund_year = 2021
    name = factory.Sequence(lambda n: f"协作项目{n}")
    category = Project.Category.INDUSTRY
    status = Project.Status.COMPLETED
    town_id = LAOCHENG
    aid_funds = Decimal("100")
    beneficiaries = 10
    beneficiaries_poverty_exited = 4


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2021, 6, 1)
    amount = Decimal("10")
    voucher = factory.Sequence(lambda n: f"拨付凭证{n}")


class ProjectProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectProgress

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2021, 6, 1)
    text = "主体工程完工"
    percent_complete = 60


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment

    partnership = factory.SubFactory(PartnershipFactory)
    enterprise = factory.Sequence(lambda n: f"常州企业{n}")
    industry = "新材料"
    signed_on = datetime.date(2021, 5, 1)
    town_id = LAOCHENG
    agreed = Decimal("1000")
    arrived = Decimal("600")
    jobs = 20


class ConsumptionSaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsumptionSale

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2021
    month = 5
    channel = ConsumptionSale.Channel.COUNTER
    product_category = ConsumptionSale.ProductCategory.TEA
    seller = "汉滨茶业"
    town_id = LAOCHENG
    amount = Decimal("50")
    certified_amount = Decimal("30")


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    partnership = factory.SubFactory(PartnershipFactory)
    donor = factory.Sequence(lambda n: f"爱心企业{n}")
    recipient = "老城街道办事处"
    date = datetime.date(2021, 5, 1)
    town_id = LAOCHENG
    cash = Decimal("10")
    in_kind = Decimal("5")


class IndustrialParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialPark

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"共建园区{n}")
    kind = IndustrialPark.Kind.AGRICULTURAL
    established_on = datetime.date(2020, 1, 1)
    town_id = LAOCHENG


class IndustrialParkYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialParkYear

    park = factory.SubFactory(IndustrialParkFactory)
    year = 2021
    jobs = 100
    poverty_exited_jobs = 30


class DemonstrationVillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemonstrationVillage

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2021
    village_id = XIDAJIE
    funds = Decimal("100")
