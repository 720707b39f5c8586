"""Every other spreadsheet model: a good file writes its rows, the same file again changes
nothing, and a bad cell is named by row and column."""

import datetime
from decimal import Decimal

import pytest

from cooperation.models import CadreTraining, Organisation, Pairing, Posting
from cooperation.resources import CadreTrainingResource, PairingResource, PostingResource
from labor.models import CommunityFactory, JobFair, TrainingCourse
from labor.resources import CommunityFactoryResource, JobFairResource, TrainingCourseResource
from projects.models import ConsumptionSale, Disbursement, Donation, Investment
from projects.resources import (
    ConsumptionSaleResource,
    DisbursementResource,
    DonationResource,
    InvestmentResource,
)
from tests.cooperation.factories import EastOrgFactory, OrganisationFactory
from tests.imports.conftest import file_bytes, import_file
from tests.places import P_NAME as P
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(partnership):
    return (
        EastOrgFactory(name="湖塘镇人民政府", kind=Organisation.Kind.TOWN),
        OrganisationFactory(name="大河镇人民政府", kind=Organisation.Kind.TOWN),
    )


CASES = {
    "pairing": (
        PairingResource,
        Pairing,
        [
            ["协作关系", "结对类型", "东部单位", "西部单位", "签约日期"],
            [P, "镇（街道）结对", "湖塘镇人民政府", "大河镇人民政府", "2021年3月1日"],
        ],
        (4, "2021-02-30", "第2行“签约日期”"),
    ),
    "posting": (
        PostingResource,
        Posting,
        [
            ["协作关系", "姓名", "派出方向", "类别", "派出单位", "接收单位", "实际到岗日期"],
            [
                P,
                "王干部",
                "东部派往西部",
                "党政干部",
                "湖塘镇人民政府",
                "大河镇人民政府",
                "2021-03-01",
            ],
        ],
        (2, "派往火星", "第2行“派出方向”"),
    ),
    "cadre training": (
        CadreTrainingResource,
        CadreTraining,
        [
            ["协作关系", "培训班名称", "开班日期", "结业日期", "培训对象", "培训人次", "举办地"],
            [P, "汉滨区乡镇干部培训班", "2021-04-12", "2021-04-18", "党政干部", "45", "东部"],
        ],
        (5, "0", "第2行“培训人次”"),
    ),
    "investment": (
        InvestmentResource,
        Investment,
        [
            [
                "协作关系",
                "企业名称",
                "镇（街道）",
                "签约（落地）日期",
                "协议投资额（万元）",
                "实际到位投资（万元）",
                "确认到位投资超过协议投资",
            ],
            [P, "常州某企业", "大河镇", "2021/5/1", "1,000", "1200", "是"],
        ],
        (3, "2021/13/1", "第2行“签约（落地）日期”"),
    ),
    "sale": (
        ConsumptionSaleResource,
        ConsumptionSale,
        [
            [
                "协作关系",
                "年度",
                "月份",
                "销售渠道",
                "产品类别",
                "销售金额（万元）",
                "其中国家认定扶贫产品（万元）",
            ],
            [P, "2021", "4", "832平台", "茶叶", "12.5万元", "10"],
        ],
        (2, "13", "第2行“月份”"),
    ),
    "donation": (
        DonationResource,
        Donation,
        [
            [
                "协作关系",
                "捐赠单位（个人）",
                "受赠单位",
                "捐赠日期",
                "捐款（万元）",
                "捐物折价（万元）",
            ],
            [P, "某商会", "大河镇", "2021年6月1日", "50", "12,345元"],
        ],
        (4, "-5", "第2行“捐款（万元）”"),
    ),
    "job fair": (
        JobFairResource,
        JobFair,
        [
            [
                "协作关系",
                "名称",
                "日期",
                "举办镇（街道）",
                "提供岗位数",
                "实现初次就业人数",
                "其中稳定就业人数",
            ],
            [P, "春风行动招聘会", "2021-02-20", "大河镇", "1,200", "80", "60"],
        ],
        (6, "90", "第2行“其中稳定就业人数”"),
    ),
    "course": (
        TrainingCourseResource,
        TrainingCourse,
        [
            ["协作关系", "培训班名称", "类型", "开班日期", "培训人数", "取得证书（合格）人数"],
            [P, "电商培训班", "互联网营销师培训", "2021-07-01", "50", "45"],
        ],
        (5, "60", "第2行“取得证书（合格）人数”"),
    ),
    "factory": (
        CommunityFactoryResource,
        CommunityFactory,
        [
            [
                "协作关系",
                "工厂名称",
                "镇（街道）",
                "投产日期",
                "吸纳就业人数",
                "其中脱贫劳动力",
                "扶持项目",
            ],
            [P, "毛绒玩具厂", "大河镇", "2020-10-01", "120", "80", "2021 社区工厂建设"],
        ],
        (6, "2021 不存在的项目", "第2行“扶持项目”"),
    ),
    "disbursement": (
        DisbursementResource,
        Disbursement,
        [
            ["协作关系", "资金年度", "项目名称", "拨付日期", "拨付金额（万元）", "拨付凭证号"],
            [P, "2021", "社区工厂建设", "2021年6月1日", "50", "汉财拨〔2021〕3号"],
        ],
        (2, "不存在的项目", "第2行“项目名称”"),
    ),
}


@pytest.fixture
def project(partnership):
    return ProjectFactory(partnership=partnership, fund_year=2021, name="社区工厂建设")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["gbk", "xlsx"])
def test_good_file_then_same_file_again(case, kind, orgs, project):
    resource, model, rows, _bad = CASES[case]
    data = file_bytes(rows, kind)
    name = "f.xlsx" if kind == "xlsx" else "f.csv"

    first = import_file(resource, data, name)
    second = import_file(resource, data, name)

    assert first.ok, first.messages
    assert first.totals["new"] == 1 and second.totals["skip"] == 1 and second.ok
    assert model.objects.count() == 1


@pytest.mark.parametrize("case", CASES)
def test_bad_cell_is_named_and_nothing_written(case, orgs, project):
    resource, model, rows, (column, value, where) = CASES[case]
    bad = list(rows[1])
    bad[column] = value

    result = import_file(resource, file_bytes([rows[0], rows[1], bad], "utf-8"))

    assert len(result.messages) == 1 and result.messages[0].startswith(
        where.replace("第2行", "第3行")
    )
    assert model.objects.count() == 0


def test_values_of_the_other_models(orgs, project, partnership):
    for case in CASES.values():
        assert import_file(case[0], file_bytes(case[2], "utf-8")).ok
    pairing = Pairing.objects.get()
    assert (pairing.level, pairing.east_org, pairing.west_org) == ("town", orgs[0], orgs[1])
    assert Posting.objects.get().direction == "e2w"
    investment = Investment.objects.get()
    assert (investment.agreed, investment.arrived) == (Decimal("1000"), Decimal("1200"))
    assert investment.arrived_over_agreed_confirmed is True
    sale = ConsumptionSale.objects.get()
    assert (sale.channel, sale.product_category, sale.amount) == ("832", "tea", Decimal("12.5"))
    donation = Donation.objects.get()
    assert donation.in_kind == Decimal("1.2345")  # 12,345 元 = 1.2345 万元
    assert JobFair.objects.get().jobs_offered == 1200
    assert TrainingCourse.objects.get().start_date == datetime.date(2021, 7, 1)
    assert CommunityFactory.objects.get().project == project
    paid = Disbursement.objects.get()
    assert (paid.project, paid.amount, paid.voucher) == (
        project,
        Decimal("50"),
        "汉财拨〔2021〕3号",
    )


def test_organisation_not_registered_is_explained(orgs):
    resource, _model, rows, _bad = CASES["pairing"]
    bad = list(rows[1])
    bad[3] = "不存在的单位"

    result = import_file(resource, file_bytes([rows[0], bad], "utf-8"))

    assert result.messages == [
        "第2行“西部单位”：单位“不存在的单位”尚未登记，请先在“单位”中添加（或核对名称）"
    ]
