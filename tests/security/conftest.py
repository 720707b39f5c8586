"""Fixtures of the security tests."""

import pytest


@pytest.fixture
def sample_records(partnership):
    """One record of each kind, so that lists, filters, sorts and exports have rows."""
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
