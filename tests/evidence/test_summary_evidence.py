"""The annual summary says, beside each figure, how many of the records it counts have
evidence files: counted in the database, one aggregate per source, for the scope's records
only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.dashboard.scopes import of_partnership
from evidence.completeness import by_indicator
from projects.models import Project
from tests.conftest import YEAR
from tests.evidence.conftest import attach
from tests.projects.factories import InvestmentFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(partnership, other_partnership):
    """P's YEAR: three projects, one cancelled; the first has two files, the cancelled one a
    file; one investment without any. Q: a project with a file."""
    first = ProjectFactory(partnership=partnership, aid_funds=Decimal("100"))
    ProjectFactory(partnership=partnership, aid_funds=Decimal("50"))
    cancelled = ProjectFactory(partnership=partnership, status=Project.Status.CANCELLED)
    attach(first)
    attach(first, name="照片.pdf")
    attach(cancelled)
    InvestmentFactory(partnership=partnership)
    attach(ProjectFactory(partnership=other_partnership))
    return first


def test_each_figure_counts_its_own_records_and_those_with_files(partnership, filed):
    counts = by_indicator(of_partnership(partnership), YEAR)

    # funds.aid counts the two projects not cancelled; the first has files (two count once)
    assert counts["funds.aid"] == (2, 1)
    assert counts["funds.projects"] == (2, 1)
    assert counts["industry.investment_arrived"] == (1, 0)
    assert "labor.transferred" not in counts  # worker-years take no files


def test_the_summary_shows_the_counts(client, partnership, filed, django_assert_max_num_queries):
    url = reverse("cooperation:summary") + f"?partnership={partnership.pk}&year={YEAR}"
    client.get(url)
    with django_assert_max_num_queries(60):
        page = client.get(url).content.decode()
    assert "有佐证材料的记录" in page
    assert "1 / 2" in page and "0 / 1" in page
