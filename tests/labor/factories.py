"""Factories of the labour app. Workers get valid, unique ID numbers of 汉滨区 (610902)."""

import datetime

import factory

from labor import idcard
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker
from tests.cooperation.factories import PartnershipFactory
from tests.places import DAHE, HANBIN, WUJIN


def id_number_for(n, area=HANBIN):
    """A valid ID number, different for every n (birth date and sequence vary with n)."""
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 10000)
    return idcard.make(area, born, n % 997)


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"韩廷{n}")
    id_number = factory.Sequence(id_number_for)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    household = Worker.Household.POVERTY_EXITED
    home_town_id = DAHE


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    worker = factory.SubFactory(WorkerFactory)
    employer = factory.Sequence(lambda n: f"武进电子厂{n}")
    destination_id = WUJIN  # in the eastern province (32, Jiangsu)
    start_date = datetime.date(2021, 3, 1)
    end_date = None
    monthly_wage = 5000
    channel = Employment.Channel.ORGANISED


class JobFairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobFair

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"苏陕协作招聘会{n}")
    date = datetime.date(2021, 3, 15)
    town_id = DAHE
    jobs_offered = 1000
    intentions = 100
    hired = 30
    stable = 20


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"康华峻源高级研修班第{n}期")
    kind = TrainingCourse.Kind.ADVANCED
    start_date = datetime.date(2021, 4, 10)
    town_id = DAHE
    trainees = 20
    certified = 18
    employed_after = 10


class CommunityFactoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityFactory

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"新伟泰玩具分厂{n}")
    town_id = DAHE
    industry = "毛绒玩具"
    opened_on = datetime.date(2020, 6, 1)
    jobs = 50
    poverty_exited_jobs = 20
