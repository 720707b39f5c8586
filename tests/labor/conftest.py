"""A small labour data set for 2021 whose figures are worked out by hand in the tests."""

import datetime
from decimal import Decimal

import pytest

from labor.models import TrainingCourse, Worker
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
)
from tests.places import DAHE, HANBIN, HANYIN_CHENGGUAN, WUJIN, XIANHE

D = datetime.date

# A valid ID number: 汉滨区, born 5 April 1975, sequence 123 (odd: a man), check character X.
ID_NUMBER = "61090219750405123X"

EXITED, ORDINARY, MONITORED = (
    Worker.Household.POVERTY_EXITED,
    Worker.Household.ORDINARY,
    Worker.Household.MONITORED,
)


@pytest.fixture
def labour_2021(partnership, other_partnership):
    """Workers A–D of 汉滨区 and a worker of another partnership, with fairs, courses and
    factories. The facts of 2021 (90 days = stable):

    A 脱贫户 大河镇: 3 spells starting 2021-03-01 (east, 5000), 06-01 (east, 6000), 09-01
      (深圳, 4000) → transferred in March, to the east; 61 + 30 + 122 = 213 days: stable;
      wage (5000 + 6000 + 4000) / 3 = 5000.
    B 一般户 县河镇: 2021-05-10 – 06-10 at home, 3000 → transferred in May; 22 + 10 = 32 days.
    C 脱贫户 县河镇: 2020-07-01 – 2021-12-31 in 南京 (east), 4500 → not transferred in 2021;
      365 days: stable.
    D 监测对象 大河镇: 2021-03-15 – 07-15 in 深圳, no wage → transferred in March;
      17 + 30 + 31 + 30 + 15 = 123 days: stable.
    """
    a = WorkerFactory(partnership=partnership, household=EXITED, home_town_id=DAHE)
    EmploymentFactory(
        worker=a,
        start_date=D(2021, 3, 1),
        end_date=D(2021, 4, 30),
        destination_id=WUJIN,
        monthly_wage=Decimal("5000"),
    )
    EmploymentFactory(
        worker=a,
        start_date=D(2021, 6, 1),
        end_date=D(2021, 6, 30),
        destination_id=WUJIN,
        monthly_wage=Decimal("6000"),
    )
    EmploymentFactory(
        worker=a,
        start_date=D(2021, 9, 1),
        end_date=D(2021, 12, 31),
        destination_id="440305",
        monthly_wage=Decimal("4000"),
    )
    b = WorkerFactory(partnership=partnership, household=ORDINARY, home_town_id=XIANHE)
    EmploymentFactory(
        worker=b,
        start_date=D(2021, 5, 10),
        end_date=D(2021, 6, 10),
        destination_id=HANBIN,
        monthly_wage=Decimal("3000"),
    )
    c = WorkerFactory(partnership=partnership, household=EXITED, home_town_id=XIANHE)
    EmploymentFactory(
        worker=c,
        start_date=D(2020, 7, 1),
        end_date=D(2021, 12, 31),
        destination_id="320102",
        monthly_wage=Decimal("4500"),
    )
    d = WorkerFactory(partnership=partnership, household=MONITORED, home_town_id=DAHE)
    EmploymentFactory(
        worker=d,
        start_date=D(2021, 3, 15),
        end_date=D(2021, 7, 15),
        destination_id="440305",
        monthly_wage=None,
    )
    stranger = WorkerFactory(
        partnership=other_partnership, household=EXITED, home_town_id=HANYIN_CHENGGUAN
    )
    EmploymentFactory(worker=stranger, start_date=D(2021, 3, 1), end_date=D(2021, 9, 30))

    # Job fairs: 2 in 2021 (大河镇 in March, 县河镇 in November); 2020 and the other pair not.
    JobFairFactory(
        partnership=partnership,
        date=D(2021, 3, 15),
        town_id=DAHE,
        jobs_offered=1000,
        intentions=100,
        hired=30,
        stable=20,
    )
    JobFairFactory(
        partnership=partnership,
        date=D(2021, 11, 2),
        town_id=XIANHE,
        jobs_offered=500,
        intentions=60,
        hired=25,
        stable=10,
    )
    JobFairFactory(partnership=partnership, date=D(2020, 5, 1), town_id=DAHE)
    JobFairFactory(partnership=other_partnership, date=D(2021, 3, 20), town_id=None)

    # Courses opened in 2021: two advanced, one internet-marketer; one advanced in 2022.
    TrainingCourseFactory(
        partnership=partnership,
        start_date=D(2021, 4, 10),
        town_id=DAHE,
        trainees=20,
        certified=18,
        employed_after=10,
    )
    TrainingCourseFactory(
        partnership=partnership,
        start_date=D(2021, 9, 1),
        town_id=XIANHE,
        trainees=18,
        certified=15,
        employed_after=9,
    )
    TrainingCourseFactory(
        partnership=partnership,
        start_date=D(2021, 8, 5),
        town_id=DAHE,
        kind=TrainingCourse.Kind.ECOMMERCE,
        name="互联网营销师培训班",
        trainees=40,
        certified=30,
        employed_after=12,
    )
    TrainingCourseFactory(partnership=partnership, start_date=D(2022, 1, 5), town_id=DAHE)
    TrainingCourseFactory(partnership=other_partnership, start_date=D(2021, 4, 1), town_id=None)

    # Factories in operation at the end of 2021: FA, FC, FE (FB closed on 31 December, FD
    # opened in 2022).
    CommunityFactoryFactory(
        partnership=partnership,
        name="FA",
        town_id=DAHE,
        opened_on=D(2020, 6, 1),
        jobs=50,
        poverty_exited_jobs=20,
    )
    CommunityFactoryFactory(
        partnership=partnership,
        name="FB",
        town_id=XIANHE,
        opened_on=D(2021, 3, 1),
        closed_on=D(2021, 12, 31),
        jobs=30,
        poverty_exited_jobs=10,
    )
    CommunityFactoryFactory(
        partnership=partnership,
        name="FC",
        town_id=XIANHE,
        opened_on=D(2021, 8, 20),
        jobs=40,
        poverty_exited_jobs=25,
    )
    CommunityFactoryFactory(
        partnership=partnership,
        name="FD",
        town_id=DAHE,
        opened_on=D(2022, 2, 1),
        jobs=70,
        poverty_exited_jobs=30,
    )
    CommunityFactoryFactory(
        partnership=partnership,
        name="FE",
        town_id=DAHE,
        opened_on=D(2019, 5, 1),
        closed_on=D(2022, 3, 1),
        jobs=10,
        poverty_exited_jobs=5,
    )
    CommunityFactoryFactory(
        partnership=other_partnership, name="FX", town_id=None, opened_on=D(2020, 1, 1)
    )
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def labour_destinations(labour_2021, partnership, other_partnership):
    """labour_2021 and two more 脱贫户 workers, for the destinations of the transferred:

    E 脱贫户 县河镇: 2021-10-01 – 10-20 in 西安 (610102, Shaanxi: the home province).
    F 脱贫户 大河镇: 2021-11-01 – 11-10, no destination recorded (elsewhere).
    A worker of the other partnership with no destination (elsewhere, for Q only).

    Destinations of 2021: A east (its 深圳 spell does not count: east comes first), B home
    (汉滨区), D elsewhere (深圳), E home, F elsewhere; C is not transferred in 2021."""
    e = WorkerFactory(partnership=partnership, household=EXITED, home_town_id=XIANHE)
    EmploymentFactory(
        worker=e, start_date=D(2021, 10, 1), end_date=D(2021, 10, 20), destination_id="610102"
    )
    f = WorkerFactory(partnership=partnership, household=EXITED, home_town_id=DAHE)
    EmploymentFactory(
        worker=f, start_date=D(2021, 11, 1), end_date=D(2021, 11, 10), destination_id=None
    )
    stranger = WorkerFactory(
        partnership=other_partnership, household=EXITED, home_town_id=HANYIN_CHENGGUAN
    )
    EmploymentFactory(worker=stranger, start_date=D(2021, 4, 1), destination_id=None)
    return {**labour_2021, "e": e, "f": f}
