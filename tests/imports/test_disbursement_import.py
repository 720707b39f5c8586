"""The disbursements' 台账: each line names its project by 协作关系, 资金年度 and 项目名称;
a project not found, or of a partnership outside the user's areas, is named by line and
column; a file paying a project more than its aid funds is refused whole."""

from decimal import Decimal as D

import pytest

from cooperation.models import UserArea
from projects.models import Disbursement
from projects.resources import DisbursementResource
from tests.imports.conftest import file_bytes, import_file
from tests.places import HANBIN, P_NAME, Q_NAME
from tests.projects.factories import DisbursementFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HEAD = ["协作关系", "资金年度", "项目名称", "拨付日期", "拨付金额（万元）", "拨付凭证号"]


@pytest.fixture
def projects(partnership, other_partnership):
    return (
        ProjectFactory(partnership=partnership, fund_year=2021, name="茶园", aid_funds=D("100")),
        ProjectFactory(partnership=other_partnership, fund_year=2021, name="茶园"),
    )


def run(rows, user=None):
    return import_file(DisbursementResource, file_bytes([HEAD, *rows], "utf-8"), user=user)


def test_lines_of_one_project_are_added_up_in_the_database(projects):
    tea = projects[0]
    DisbursementFactory(project=tea, amount=D("30"))
    result = run(
        [
            [P_NAME, "2021", "茶园", "2021-05-01", "40", "拨1"],
            [Q_NAME, "2021", "茶园", "2021-05-01", "90", "拨1"],  # Q's own project: 90 of 100
            [P_NAME, "2021", "茶园", "2021-09-01", "30.5", "拨2"],
        ]
    )
    # P's 茶园: 30 stored + 40 + 30.5 = 100.5 > 100, on lines 2 and 4; Q's 90 is within
    assert result.messages == [
        "第2、4行：项目“2021 茶园”的拨付合计（100.50 万元）超过项目的协作资金（100.00 万元）。"
    ]
    assert Disbursement.objects.count() == 1  # all or nothing


def test_a_file_within_the_aid_funds_is_written(projects):
    result = run(
        [
            [P_NAME, "2021", "茶园", "2021-05-01", "40", "拨1"],
            [P_NAME, "2021", "茶园", "2021-09-01", "60", "拨2"],
        ]
    )
    assert result.ok, result.messages
    assert sorted(projects[0].disbursements.values_list("amount", flat=True)) == [D(40), D(60)]


def test_a_project_not_registered_is_named(projects):
    result = run([[P_NAME, "2022", "茶园", "2022-05-01", "40", ""]])
    assert result.messages == [
        "第2行“项目名称”：武进区—汉滨区没有2022年度名为“茶园”的协作资金项目"
        "（请先登记项目，或核对协作关系、资金年度和项目名称）"
    ]


def test_a_project_of_another_area_is_refused_in_its_partnership_column(
    projects, clerk, django_user_model
):
    UserArea.objects.filter(user=clerk).update(region_id=HANBIN)  # P only
    result = run([[Q_NAME, "2021", "茶园", "2021-05-01", "40", ""]], user=clerk)
    assert len(result.messages) == 1
    assert result.messages[0].startswith("第2行“协作关系”：协作关系“新北区—汉阴县”不在您的工作地区")
    assert not Disbursement.objects.exists()


def test_a_zero_amount_is_refused(projects):
    result = run([[P_NAME, "2021", "茶园", "2021-05-01", "0", ""]])
    assert result.messages == ["第2行“拨付金额（万元）”：拨付金额应大于0。"]
