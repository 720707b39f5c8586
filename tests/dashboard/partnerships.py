"""Partnerships with a record of every kind, for the roll-up tests (a city pair, a province
pair, the nation adding them up)."""

import datetime
from decimal import Decimal

from cooperation.models import Region, Target
from labor.models import CommunityFactory, JobFair, TrainingCourse
from tests.conftest import YEAR
from tests.cooperation.factories import (
    OrganisationFactory,
    PairingFactory,
    PartnershipFactory,
    PostingFactory,
    VisitFactory,
    region,
)
from tests.labor.factories import EmploymentFactory, WorkerFactory
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
)


def with_records(east, west, n):
    """A partnership of the two counties with a record of every kind in 2021 (figures that
    grow with `n`, so that a leak shows) and a target of funds.aid."""
    p = PartnershipFactory(east_region=region(east), west_region=region(west))
    town = Region.objects.filter(level=Region.Level.TOWN, code__startswith=west).first()
    town = town.code if town else None  # the code list has towns of 江苏 and 陕西 only
    west_org = OrganisationFactory(region=region(west))
    ProjectFactory(partnership=p, fund_year=YEAR, town_id=town, aid_funds=Decimal(100 + n))
    VisitFactory(partnership=p, date=datetime.date(YEAR, 5, 1), people=n)
    PairingFactory(partnership=p, west_org=west_org, signed_on=datetime.date(YEAR, 2, 1))
    PostingFactory(partnership=p, host_org=west_org, direction="e2w")
    InvestmentFactory(partnership=p, town_id=town, agreed=Decimal(1000 + n))
    ConsumptionSaleFactory(partnership=p, town_id=town, amount=Decimal(50 + n))
    DonationFactory(partnership=p, town_id=town, cash=Decimal(10 + n))
    worker = WorkerFactory(partnership=p, home_town_id=town)
    EmploymentFactory(worker=worker, start_date=datetime.date(YEAR, 4, 1), monthly_wage=4000 + n)
    JobFair.objects.create(partnership=p, name=f"招聘会{n}", date=datetime.date(YEAR, 3, 1),
                           town_id=town, jobs_offered=10 + n, intentions=5, hired=2, stable=1)  # fmt: skip
    TrainingCourse.objects.create(partnership=p, name=f"培训{n}", kind="skills", town_id=town,
                                  start_date=datetime.date(YEAR, 4, 1), trainees=10 + n)  # fmt: skip
    CommunityFactory.objects.create(partnership=p, name=f"工厂{n}", town_id=town,
                                    opened_on=datetime.date(YEAR, 6, 1), jobs=5 + n)  # fmt: skip
    Target.objects.create(partnership=p, year=YEAR, indicator="funds.aid", value=Decimal(100))
    return p
