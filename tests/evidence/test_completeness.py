"""How many of a year's records have evidence, and the reviewer's list of those without."""

import datetime

import pytest
from django.test import Client

from evidence import registry
from evidence.checks import evidence_registry
from evidence.completeness import evidence_counts
from tests.cooperation.factories import PostingFactory
from tests.places import HANBIN, HANYIN
from tests.projects.factories import DisbursementFactory, InvestmentFactory, ProjectFactory

from .conftest import ROLES, attach, user_of

pytestmark = pytest.mark.django_db

PAGE = "/evidence/missing/"


@pytest.fixture
def year_2021(partnership, other_partnership):
    """P's 2021: 3 projects (2 with files: one has two), a disbursement of the first paid
    in 2022 (its fund year counts) with a file, 1 investment without, 1 posting with a
    file; a 2020 project with a file (another year) and Q's 2021 project with a file
    (another partnership) must not count."""
    projects = ProjectFactory.create_batch(3, partnership=partnership, fund_year=2021)
    attach(projects[0]), attach(projects[0], name="照片.pdf"), attach(projects[1])
    attach(DisbursementFactory(project=projects[0], date=datetime.date(2022, 3, 1)))
    InvestmentFactory(partnership=partnership, signed_on=datetime.date(2021, 7, 1))
    attach(PostingFactory(partnership=partnership, start_date=datetime.date(2021, 4, 1)))
    attach(ProjectFactory(partnership=partnership, fund_year=2020))
    attach(ProjectFactory(partnership=other_partnership, fund_year=2021))
    return projects


def by_label(found):
    return {item.kind.label: (item.records, item.with_evidence) for item in found}


def test_counts_per_kind_of_a_partnerships_year(year_2021, partnership, django_assert_num_queries):
    with django_assert_num_queries(len(registry.kinds())):  # one query per kind
        found = evidence_counts((partnership.pk,), 2021)
    assert by_label(found) == {
        "projects.Project": (3, 2),  # 3 projects, the first two have files
        "projects.Disbursement": (1, 1),
        "projects.Investment": (1, 0),
        "cooperation.Posting": (1, 1),
        "cooperation.Pairing": (0, 0),
        "labor.JobFair": (0, 0),
        "labor.TrainingCourse": (0, 0),
        "labor.CommunityFactory": (0, 0),
        "projects.Donation": (0, 0),
        "projects.ConsumptionSale": (0, 0),
    }
    project = found[0]
    assert (project.without_evidence, project.percent) == (1, 66.7)  # 2 of 3 = 66.7 %


def test_counts_of_every_partnership(year_2021):
    counts = by_label(evidence_counts(None, 2021))
    assert counts["projects.Project"] == (4, 3)  # P's 3 (2 with files) + Q's 1 with a file


def test_a_registry_line_without_its_model_is_skipped(monkeypatch):
    missing = registry.RecordKind("projects.NotYetBuilt", "date__year")
    monkeypatch.setattr(registry, "KINDS", (*registry.KINDS, missing))
    labels = [kind.label for kind, _model in registry.kinds()]
    assert "projects.Disbursement" in labels
    assert "projects.NotYetBuilt" not in labels


@pytest.fixture
def reviewer_client(django_user_model):
    client = Client()
    client.force_login(user_of(django_user_model, "hanbin-reviewer", ROLES["reviewer"], HANBIN))
    return client


def test_the_page_lists_the_years_records_without_evidence(year_2021, partnership, reviewer_client):
    response = reviewer_client.get(PAGE, {"year": 2021, "partnership": partnership.pk})
    assert response.status_code == 200
    sections = {s.kind.label: s for s in response.context["sections"]}
    assert sections["projects.Project"].missing_rows == [year_2021[2]]
    assert len(sections["projects.Investment"].missing_rows) == 1
    assert sections["cooperation.Posting"].missing_rows == []
    page = response.content.decode()
    assert str(year_2021[2]) in page and str(year_2021[0]) not in page


def test_the_page_runs_the_same_queries_for_more_records(
    partnership, reviewer_client, django_assert_max_num_queries
):
    """Records without evidence of three kinds, then many more of the same kinds."""
    ProjectFactory.create_batch(2, partnership=partnership, fund_year=2021)
    InvestmentFactory(partnership=partnership, signed_on=datetime.date(2021, 7, 1))
    PostingFactory(partnership=partnership, start_date=datetime.date(2021, 9, 1))
    query = {"year": 2021, "partnership": partnership.pk}
    with django_assert_max_num_queries(40) as few:
        reviewer_client.get(PAGE, query)
    ProjectFactory.create_batch(30, partnership=partnership, fund_year=2021)
    InvestmentFactory.create_batch(10, partnership=partnership, signed_on=datetime.date(2021, 8, 1))
    PostingFactory.create_batch(5, partnership=partnership, start_date=datetime.date(2021, 9, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = reviewer_client.get(PAGE, query)
    sections = {s.kind.label: s for s in response.context["sections"]}
    assert sections["projects.Project"].without_evidence == 32
    assert len(sections["cooperation.Posting"].missing_rows) == 6


def test_another_areas_partnership_is_404(other_partnership, reviewer_client):
    assert reviewer_client.get(PAGE, {"partnership": other_partnership.pk}).status_code == 404


@pytest.mark.parametrize("year", ["abc", "1800", "20211", "２０２１"])
def test_a_bad_year_is_404(partnership, reviewer_client, year):
    response = reviewer_client.get(PAGE, {"partnership": partnership.pk, "year": year})
    assert response.status_code == 404


def test_with_several_partnerships_the_page_offers_them(
    partnership, other_partnership, django_user_model
):
    client = Client()
    client.force_login(user_of(django_user_model, "nation", ROLES["reviewer"]))
    response = client.get(PAGE, {"year": 2021})
    assert response.status_code == 200
    assert list(response.context["choices"]) == [partnership, other_partnership]


def test_the_page_is_not_public(client, django_user_model, partnership):
    assert client.get(PAGE).status_code == 302
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(PAGE, {"partnership": partnership.pk}).status_code == 403


def test_a_single_partnership_is_chosen_for_the_user(year_2021, reviewer_client):
    response = reviewer_client.get(PAGE, {"year": 2021})  # 汉滨区 holds P only
    assert response.context["partnership"] is not None
    assert "sections" in response.context


def test_a_hanyin_reviewer_sees_q_only(year_2021, django_user_model, other_partnership):
    client = Client()
    client.force_login(user_of(django_user_model, "hanyin", ROLES["reviewer"], HANYIN))
    response = client.get(PAGE, {"year": 2021})
    assert response.context["partnership"] == other_partnership
    sections = {s.kind.label: s for s in response.context["sections"]}
    assert (sections["projects.Project"].records, sections["projects.Project"].with_evidence) == (
        1,
        1,
    )


def test_check_names_a_registry_line_whose_year_field_is_missing(monkeypatch):
    assert evidence_registry() == []
    broken = registry.RecordKind("projects.Project", "paid_on__year")
    monkeypatch.setattr(registry, "KINDS", (*registry.KINDS, broken))
    errors = evidence_registry()
    assert [e.id for e in errors] == ["evidence.E001"]
    assert "projects.Project has no field 'paid_on'" in errors[0].msg
    assert broken not in [kind for kind, _model in registry.kinds()]
