"""Shared fixtures. The official regions are loaded once per test database (they are
reference data, like a fixture file), so tests can name real towns and villages."""

import pytest
from django.contrib.auth.models import Group

from cooperation.middleware import acting_user
from cooperation.regions import load_regions
from cooperation.roles import DATA_ENTRY, OFFICIAL, REVIEWER

# The site's lists by URL name: public ones, and the staff lists of personal data.
PUBLIC_LISTS = [
    "cooperation:pairings",
    "cooperation:postings",
    "cooperation:visits",
    "projects:projects",
    "projects:investments",
    "projects:sales",
    "projects:donations",
    "labor:job_fairs",
    "labor:courses",
    "labor:factories",
]
STAFF_LISTS = ["labor:workers", "labor:employments"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language (a request in English through the
    test client leaves English active in its thread: the next test must not inherit it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def partnership(db):
    from tests.cooperation.factories import PartnershipFactory

    return PartnershipFactory()


def _user_in(django_user_model, role, username):
    """A staff user of a role who works for the whole nation (tests of one area give
    their users their own areas: tests/security/test_areas.py)."""
    from cooperation.models import UserArea

    user = django_user_model.objects.create_user(
        username=username, password="pw-12345-test", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    UserArea.objects.create(user=user, region=None)
    return user


@pytest.fixture
def clerk(db, django_user_model):
    """A 录入员 (data entry)."""
    return _user_in(django_user_model, DATA_ENTRY, "clerk")


@pytest.fixture
def reviewer(db, django_user_model):
    """A 审核员."""
    return _user_in(django_user_model, REVIEWER, "reviewer")


@pytest.fixture
def official(db, django_user_model):
    """A 领导 (view only, no personal data)."""
    return _user_in(django_user_model, OFFICIAL, "official")


@pytest.fixture
def as_user():
    """`with as_user(user):` records `user` as the one who creates or changes records."""
    return acting_user
