"""Reviewers of each side of P (武进区—汉滨区), and a year both of them have confirmed."""

import pytest
from django.contrib.auth.models import Group

from confirmation import state
from cooperation.models import UserArea
from cooperation.roles import DATA_ENTRY, OFFICIAL, REVIEWER
from tests.conftest import YEAR
from tests.places import HANBIN, HANYIN, WUJIN

ANKANG = "6109"  # 安康市, the city of 汉滨区


def office_user(django_user_model, username, role, *areas):
    """A staff user of a role with areas [(region code or None, side), …]."""
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for code, side in areas:
        UserArea.objects.create(user=user, region_id=code, side=side)
    return user


@pytest.fixture
def west_reviewer(db, django_user_model):
    return office_user(django_user_model, "hanbin-reviewer", REVIEWER, (HANBIN, ""))


@pytest.fixture
def east_reviewer(db, django_user_model):
    return office_user(django_user_model, "wujin-reviewer", REVIEWER, (WUJIN, ""))


@pytest.fixture
def city_reviewer(db, django_user_model):
    """安康市's reviewer, on the west side of every partnership whose western county is in
    安康市."""
    return office_user(django_user_model, "ankang-reviewer", REVIEWER, (ANKANG, "west"))


@pytest.fixture
def q_reviewer(db, django_user_model):
    """汉阴县's reviewer: the west side of Q, not of P."""
    return office_user(django_user_model, "hanyin-reviewer", REVIEWER, (HANYIN, ""))


@pytest.fixture
def west_clerk(db, django_user_model):
    return office_user(django_user_model, "hanbin-clerk", DATA_ENTRY, (HANBIN, ""))


@pytest.fixture
def west_official(db, django_user_model):
    return office_user(django_user_model, "hanbin-official", OFFICIAL, (HANBIN, ""))


@pytest.fixture
def closed_year(partnership, west_reviewer, east_reviewer):
    """P's YEAR, confirmed by both sides."""
    state.confirm(west_reviewer, partnership, YEAR)
    state.confirm(east_reviewer, partnership, YEAR)
    assert state.state(partnership, YEAR).closed
    return YEAR
