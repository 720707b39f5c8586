"""Each state of a partnership's year — 未确认, 西部已确认, 东部已确认, 双方已确认 — and who may
move it: confirmations by each side's reviewers, refusals for everyone else, reopening with
a reason, and the drift of figures changed since the year was confirmed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from confirmation import state
from confirmation.models import YearConfirmation, YearReopening
from cooperation.dashboard.indicators import registry
from cooperation.roles import REVIEWER
from tests.confirmation.conftest import office_user
from tests.conftest import YEAR
from tests.places import HANBIN, WUJIN
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(partnership, other_partnership):
    """P: two projects of YEAR (100 + 250.5 万元 of aid) and one of the year before; Q: one
    of YEAR with 9,000 万元 that must not reach P's figures."""
    ProjectFactory(partnership=partnership, aid_funds=Decimal("100"))
    ProjectFactory(partnership=partnership, aid_funds=Decimal("250.5"))
    ProjectFactory(partnership=partnership, fund_year=YEAR - 1, aid_funds=Decimal("7"))
    ProjectFactory(partnership=other_partnership, aid_funds=Decimal("9000"))


def test_an_unconfirmed_year_is_open(partnership):
    found = state.state(partnership, YEAR)
    assert (found.status, str(found.label), found.closed) == ("open", "未确认", False)
    assert state.drift(found, state.current_figures(partnership, YEAR)) == []


def test_each_side_confirms_with_a_snapshot_and_both_close_the_year(
    partnership, projects, west_reviewer, east_reviewer
):
    west, ended = state.confirm(
        west_reviewer, partnership, YEAR, remarks={"funds.aid": " 以财政局拨款文件为准 "}
    )
    assert ended is None
    assert (west.side, west.confirmed_by, west.active) == ("west", west_reviewer, True)
    # P's YEAR: 100 + 250.5 = 350.5 万元 in 2 projects (the year before and Q left out)
    assert state.read_value(west.figures["funds.aid"]) == Decimal("350.5")
    assert west.figures["funds.projects"] == 2
    assert set(west.figures) == {i.key for i in registry.all()}
    assert west.remarks == {"funds.aid": "以财政局拨款文件为准"}
    found = state.state(partnership, YEAR)
    assert (found.status, str(found.label), found.closed) == ("west", "西部已确认", False)

    east, _ended = state.confirm(east_reviewer, partnership, YEAR)

    found = state.state(partnership, YEAR)
    assert (found.status, str(found.label), found.closed) == ("closed", "双方已确认", True)
    assert (found.west, found.east) == (west, east)
    assert east.figures == west.figures
    assert found.remarks() == {"funds.aid": [("西部", "以财政局拨款文件为准")]}


def test_the_east_may_confirm_first(partnership, east_reviewer):
    state.confirm(east_reviewer, partnership, YEAR)
    assert str(state.state(partnership, YEAR).label) == "东部已确认"


def test_a_city_reviewer_confirms_for_its_side(partnership, city_reviewer):
    confirmation, _ended = state.confirm(city_reviewer, partnership, YEAR)
    assert confirmation.side == "west"


@pytest.mark.parametrize("who", ["west_clerk", "west_official", "reviewer", "q_reviewer"], ids=str)
def test_only_a_reviewer_of_a_side_may_confirm(partnership, request, who):
    # a clerk and an official lack the permission; the national reviewer is on neither side;
    # 汉阴县's reviewer is on the west side of Q, not of P
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="只有协作关系东部或西部的审核员"):
        state.confirm(user, partnership, YEAR)
    assert not YearConfirmation.objects.exists()


def test_a_side_may_not_confirm_for_the_other(partnership, west_reviewer):
    with pytest.raises(PermissionDenied):
        state.confirm(west_reviewer, partnership, YEAR, side="east")


def test_a_side_confirms_once(partnership, west_reviewer, city_reviewer):
    state.confirm(west_reviewer, partnership, YEAR)
    with pytest.raises(ValidationError, match="本方已经确认过该年度"):
        state.confirm(city_reviewer, partnership, YEAR)
    assert YearConfirmation.objects.count() == 1


def test_one_person_may_not_confirm_for_both_sides(partnership, django_user_model):
    both = office_user(django_user_model, "both", REVIEWER, (HANBIN, ""), (WUJIN, ""))
    state.confirm(both, partnership, YEAR, side="west")
    with pytest.raises(ValidationError, match="同一人不能代表东西部双方确认"):
        state.confirm(both, partnership, YEAR, side="east")


def test_a_year_not_yet_begun_cannot_be_confirmed(partnership, west_reviewer):
    next_year = datetime.date.today().year + 1
    with pytest.raises(ValidationError, match="只能确认已开始的年度"):
        state.confirm(west_reviewer, partnership, next_year)


def test_figures_changed_after_the_form_was_read_are_not_confirmed(
    partnership, projects, west_reviewer
):
    seen = state.digest(state.current_figures(partnership, YEAR))
    ProjectFactory(partnership=partnership, aid_funds=Decimal("1"))
    with pytest.raises(ValidationError, match="您查看之后数据有变化"):
        state.confirm(west_reviewer, partnership, YEAR, seen=seen)
    assert not YearConfirmation.objects.exists()


def test_figures_changed_between_the_two_confirmations_end_the_first(
    partnership, projects, west_reviewer, east_reviewer
):
    west, _ended = state.confirm(west_reviewer, partnership, YEAR)
    ProjectFactory(partnership=partnership, aid_funds=Decimal("1"))  # still open: allowed

    east, ended = state.confirm(east_reviewer, partnership, YEAR)

    assert ended == west
    west.refresh_from_db()
    assert (west.active, west.ended_why) == (False, "对方确认前数据有变化")
    found = state.state(partnership, YEAR)
    assert (found.status, found.past) == ("east", [west])
    assert state.read_value(east.figures["funds.aid"]) == Decimal("351.5")  # 350.5 + 1
    # the west confirms the new figures, and the year closes on one set of figures
    again, _ended = state.confirm(west_reviewer, partnership, YEAR)
    assert state.state(partnership, YEAR).closed
    assert again.figures == east.figures


def test_either_side_reopens_with_a_reason_and_both_confirm_again(
    partnership, projects, closed_year, east_reviewer, west_reviewer
):
    with pytest.raises(ValidationError, match="请填写重新打开的原因"):
        state.reopen(east_reviewer, partnership, YEAR, "  ")
    confirmed = state.state(partnership, YEAR).west.figures

    reopening = state.reopen(east_reviewer, partnership, YEAR, "审计调整了一个项目的资金")

    assert (reopening.side, reopening.reopened_by, reopening.reason) == (
        "east",
        east_reviewer,
        "审计调整了一个项目的资金",
    )
    assert reopening.figures == confirmed
    found = state.state(partnership, YEAR)
    assert (found.status, found.reopening, len(found.past)) == ("open", reopening, 2)
    assert all(c.ended_why.endswith("重新打开") for c in found.past)
    # nothing confirmed any more: nothing to reopen
    with pytest.raises(ValidationError, match="没有有效的确认"):
        state.reopen(west_reviewer, partnership, YEAR, "再次")


def test_a_reopened_year_shows_its_drift(partnership, projects, closed_year, east_reviewer):
    state.reopen(east_reviewer, partnership, YEAR, "补录项目")
    ProjectFactory(partnership=partnership, aid_funds=Decimal("49.5"))

    found = state.state(partnership, YEAR)
    drift = state.drift(found, state.current_figures(partnership, YEAR))

    by_key = {d.indicator.key: (d.confirmed, d.current) for d in drift}
    # aid 350.5 → 400 (+49.5); projects 2 → 3; beneficiaries 10 each → 20 → 30, of whom
    # poverty-exited 4 each → 8 → 12 (the factory's figures); nothing else moved
    assert by_key == {
        "funds.aid": (Decimal("350.5"), Decimal("400")),
        "funds.projects": (2, 3),
        "funds.beneficiaries": (20, 30),
        "funds.beneficiaries_poverty_exited": (8, 12),
    }


def test_only_a_reviewer_of_a_side_may_reopen(partnership, closed_year, west_clerk, reviewer):
    for user in (west_clerk, reviewer):
        with pytest.raises(PermissionDenied):
            state.reopen(user, partnership, YEAR, "想改")
    assert not YearReopening.objects.exists()
    assert state.state(partnership, YEAR).closed
