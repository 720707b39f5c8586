"""Fixtures of the security tests."""

import pytest

from tests.cooperation.factories import PairingFactory, PostingFactory, VisitFactory
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
)
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DonationFactory,
    InvestmentFactory,
    ProjectFactory,
)


@pytest.fixture
def sample_records(partnership):
    """One record of each kind, so that lists, filters, sorts and exports have rows."""
    for make in (
        PairingFactory,
        PostingFactory,
        VisitFactory,
        ProjectFactory,
        InvestmentFactory,
        ConsumptionSaleFactory,
        DonationFactory,
        JobFairFactory,
        TrainingCourseFactory,
        CommunityFactoryFactory,
    ):
        make(partnership=partnership)
    EmploymentFactory(worker=WorkerFactory(partnership=partnership))
    return partnership
