"""Shared fixtures and constants. The official regions are loaded once per test database (they are
reference data, like a fixture file), so tests can name real towns and villages."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from cooperation.middleware import acting_user
from cooperation.models import Region, UserArea
from cooperation.regions import load_regions
from cooperation.roles import DATA_ENTRY, OFFICIAL, REVIEWER
from tests.cooperation.factories import PartnershipFactory
from tests.places import LAOCHENG
from tests.projects.factories import second_partnership

# The year under test: the hand-built data sets are of 2021, with a few records either side.
YEAR = 2021

# The password of every user the tests make.
PASSWORD = "pw-12345-test"

# A form's CSRF token, as a page carries it.
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')

# The site's lists by URL name: public ones, and the staff lists of personal data.
PUBLIC_LISTS = [
    "cooperation:pairings",
    "cooperation:postings",
    "cooperation:visits",
    "cooperation:cadre_trainings",
    "projects:projects",
    "projects:investments",
    "projects:sales",
    "projects:donations",
    "projects:parks",
    "projects:park_jobs",
    "projects:villages",
    "labor:job_fairs",
    "labor:courses",
    "labor:factories",
]
STAFF_LISTS = ["labor:workers", "labor:employments"]
ALL_LISTS = PUBLIC_LISTS + STAFF_LISTS
DASHBOARD = reverse("cooperation:dashboard")

# The empty evidence table (佐证材料) of a record's admin page: a test that posts a record's
# form by hand posts its management form too, as the browser does.
EVIDENCE_FORMS = "evidence-evidencefile-content_type-object_id"
NO_EVIDENCE = {f"{EVIDENCE_FORMS}-TOTAL_FORMS": "0", f"{EVIDENCE_FORMS}-INITIAL_FORMS": "0"}


def admin_registry():
    """Every model registered with the site's admin, with its ModelAdmin."""
    return {
        model: admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language (a request in English through the
    test client leaves English active in its thread: the next test must not inherit it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def empty_cache():
    """Cached pages and figures thrown away before and after the test (a page served from
    the cache has no context, and a cached figure would hide a write)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partnership(db):
    """P, 武进区—汉滨区."""
    return PartnershipFactory()


@pytest.fixture
def other_partnership(db):
    """Q, 新北区—汉阴县: a second partnership whose records must never count in P's."""
    return second_partnership()


@pytest.fixture
def laocheng(db):
    """老城街道, a town of 汉滨区 (P's western county)."""
    return Region.objects.get(code=LAOCHENG)


def _user_in(django_user_model, role, username):
    """A staff user of a role who works for the whole nation (tests of one area give
    their users their own areas: tests/security/test_areas.py)."""
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True
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
def staff_client(client, official):
    """The test client signed in as an official who may see personal data (the staff lists
    of workers and the links to them need `labor.view_personal_data`)."""
    official.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(official)
    return client


@pytest.fixture
def as_user():
    """`with as_user(user):` records `user` as the one who creates or changes records."""
    return acting_user
