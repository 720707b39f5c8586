import datetime

import factory

from cooperation.models import (
    CadreTraining,
    Organisation,
    Pairing,
    Partnership,
    Posting,
    Region,
    Target,
    Visit,
)
from tests.places import HANBIN, WUJIN


def region(code):
    return Region.objects.get(code=code)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("east_region", "west_region")

    east_region = factory.LazyFunction(lambda: region(WUJIN))
    west_region = factory.LazyFunction(lambda: region(HANBIN))
    since_year = 2017


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name", "region")

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = Organisation.Kind.GOVERNMENT
    region = factory.LazyFunction(lambda: region(HANBIN))


class EastOrgFactory(OrganisationFactory):
    region = factory.LazyFunction(lambda: region(WUJIN))


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    partnership = factory.SubFactory(PartnershipFactory)
    level = Pairing.Level.TOWN
    east_org = factory.SubFactory(EastOrgFactory)
    west_org = factory.SubFactory(OrganisationFactory)
    signed_on = datetime.date(2021, 3, 1)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    partnership = factory.SubFactory(PartnershipFactory)
    person_name = factory.Sequence(lambda n: f"干部{n}")
    direction = Posting._meta.get_field("direction").choices[0][0]
    category = Posting.Category.CADRE
    home_org = factory.SubFactory(EastOrgFactory)
    host_org = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2021, 3, 1)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    partnership = factory.SubFactory(PartnershipFactory)
    date = datetime.date(2021, 5, 10)
    direction = "e2w"
    leader = "带队领导"
    people = 10
    purpose = "考察对接"


class CadreTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CadreTraining

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"干部能力提升培训班{n}")
    start_date = datetime.date(2021, 6, 1)
    audience = "cadres"
    trainees = 30
    held_in = "east"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2021
    indicator = "pairings.active"
    value = 10
