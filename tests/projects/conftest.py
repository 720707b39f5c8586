"""A small data set built by hand, with the figures worked out by hand in `FIGURES`.

Partnership P is 武进区—汉滨区 (the `partnership` fixture); Q is 新北区—汉阴县, whose
records carry large numbers so that any leak into P's figures shows."""

import datetime
from decimal import Decimal as D

import pytest

from cooperation.models import Region
from projects.models import IndustrialPark, Project
from tests.places import BEIMEN, HANYIN_CHENGGUAN, LAOCHENG, XIDAJIE, XINCHENG
from tests.projects.factories import (
    ConsumptionSaleFactory,
    DemonstrationVillageFactory,
    DisbursementFactory,
    DonationFactory,
    IndustrialParkFactory,
    IndustrialParkYearFactory,
    InvestmentFactory,
    ProjectFactory,
)

day = datetime.date

# The indicators of funds and industry (the projects app), as the README documents them.
PROJECT_KEYS = {
    "funds.aid",
    "funds.projects",
    "funds.beneficiaries",
    "funds.beneficiaries_poverty_exited",
    "funds.disbursed",
    "funds.disbursement_rate",
    "funds.started_rate",
    "funds.completed_rate",
    "funds.donations_cash",
    "funds.donations_in_kind",
    "funds.donations_total",
    "industry.enterprises_settled",
    "industry.investment_agreed",
    "industry.investment_arrived",
    "industry.jobs",
    "industry.parks",
    "industry.agricultural_parks",
    "industry.park_enterprises",
    "industry.park_investment_arrived",
    "industry.park_jobs",
    "industry.park_jobs_poverty_exited",
    "pairings.demonstration_villages",
    "pairings.demonstration_village_funds",
    "consumption.amount",
    "consumption.certified_amount",
    "consumption.purchase",
    "consumption.purchase_certified",
    "consumption.helped",
    "consumption.helped_certified",
}


@pytest.fixture
def dataset(partnership, other_partnership):
    p, q = partnership, other_partnership
    # Projects of P, with their disbursements (资金拨付)
    a = ProjectFactory(
        partnership=p, fund_year=2021, town_id=LAOCHENG, category="industry",
        status="completed", aid_funds=D("100.5"), beneficiaries=10, beneficiaries_poverty_exited=4,
    )  # fmt: skip
    DisbursementFactory(project=a, date=day(2021, 6, 1), amount=D("100.5"))
    b = ProjectFactory(
        partnership=p, fund_year=2021, town_id=XINCHENG, category="infrastructure",
        status="building", aid_funds=D("200.25"), beneficiaries=30, beneficiaries_poverty_exited=12,
    )  # fmt: skip
    DisbursementFactory(project=b, date=day(2021, 9, 1), amount=D("50"))
    DisbursementFactory(project=b, date=day(2022, 2, 1), amount=D("30.125"))  # paid next spring
    cancelled = ProjectFactory(  # cancelled: never counts
        partnership=p, fund_year=2021, town_id=LAOCHENG, category="education",
        status=Project.Status.CANCELLED, aid_funds=D("999"), beneficiaries=500,
        beneficiaries_poverty_exited=200,
    )  # fmt: skip
    DisbursementFactory(project=cancelled, date=day(2021, 3, 1), amount=D("500"))
    ProjectFactory(  # placed only by text (非标准地名); nothing paid yet
        partnership=p, fund_year=2021, town_id=None, place_text="关山镇魏埭村", category="other",
        status="operating", aid_funds=D("10"), beneficiaries=2, beneficiaries_poverty_exited=2,
    )  # fmt: skip
    later = ProjectFactory(
        partnership=p, fund_year=2022, town_id=LAOCHENG, category="industry",
        status="planned", aid_funds=D("50"), beneficiaries=5, beneficiaries_poverty_exited=1,
    )  # fmt: skip
    DisbursementFactory(project=later, date=day(2022, 6, 1), amount=D("10"))
    q_project = ProjectFactory(
        partnership=q, fund_year=2021, town_id=HANYIN_CHENGGUAN, aid_funds=D("7000"),
        beneficiaries=100, beneficiaries_poverty_exited=50,
    )  # fmt: skip
    DisbursementFactory(project=q_project, date=day(2021, 6, 1), amount=D("6000"))

    # Co-built parks: A (老城, agricultural, 2019), B (新城, industrial, 31 Dec 2021), C (老城,
    # agricultural, March 2022); Q's park (汉阴, agricultural, 2020).
    agricultural, industrial = IndustrialPark.Kind.AGRICULTURAL, IndustrialPark.Kind.INDUSTRIAL
    park_a = IndustrialParkFactory(partnership=p, name="园区甲", kind=agricultural,
                                   town_id=LAOCHENG, established_on=day(2019, 6, 1))  # fmt: skip
    park_b = IndustrialParkFactory(partnership=p, name="园区乙", kind=industrial,
                                   town_id=XINCHENG, established_on=day(2021, 12, 31))  # fmt: skip
    park_c = IndustrialParkFactory(partnership=p, name="园区丙", kind=agricultural,
                                   town_id=LAOCHENG, established_on=day(2022, 3, 1))  # fmt: skip
    park_q = IndustrialParkFactory(partnership=q, name="园区丁", kind=agricultural,
                                   town_id=HANYIN_CHENGGUAN, established_on=day(2020, 1, 1))  # fmt: skip
    for park, year, jobs, exited in (
        (park_a, 2020, 100, 40),
        (park_a, 2021, 120, 50),
        (park_b, 2021, 30, 5),
        (park_b, 2022, 60, 10),
        (park_c, 2022, 20, 0),
        (park_q, 2021, 9999, 999),
    ):
        IndustrialParkYearFactory(park=park, year=year, jobs=jobs, poverty_exited_jobs=exited)

    # Demonstration villages: P's in 西大街 (老城) and 北门 (新城); Q's in a village of 汉阴
    # (the test code list holds no village of 汉阴县: one is added here).
    hanyin_village = Region.objects.create(
        code="610921100201", name="城关村委会", level=Region.Level.VILLAGE,
        parent_id=HANYIN_CHENGGUAN,
    )  # fmt: skip
    for partnership, year, village, funds in (
        (p, 2021, XIDAJIE, D("100")),
        (p, 2021, BEIMEN, D("50.5")),
        (p, 2022, XIDAJIE, D("80")),
        (p, 2020, BEIMEN, D("30")),
        (q, 2021, hanyin_village.code, D("6666")),
    ):
        DemonstrationVillageFactory(
            partnership=partnership, year=year, village_id=village, funds=funds
        )

    # Investments of P (企业甲 signs twice in 2021: one enterprise). 甲 (15 Mar) settles in
    # park A, 乙 in park B, 丙 (2022) in park C; 甲's July signing is outside any park.
    InvestmentFactory(
        partnership=p, enterprise="企业甲", signed_on=day(2021, 3, 15), town_id=LAOCHENG,
        agreed=D("1000"), arrived=D("600"), jobs=20, park=park_a,
    )  # fmt: skip
    InvestmentFactory(
        partnership=p, enterprise="企业乙", signed_on=day(2021, 12, 31), town_id=XINCHENG,
        agreed=D("500.5"), arrived=D("700"), arrived_over_agreed_confirmed=True, jobs=15,
        park=park_b,
    )  # fmt: skip
    InvestmentFactory(
        partnership=p, enterprise="企业甲", signed_on=day(2021, 7, 1), town_id=LAOCHENG,
        agreed=D("200"), arrived=D("200"), jobs=5,
    )  # fmt: skip
    InvestmentFactory(
        partnership=p, enterprise="企业丙", signed_on=day(2022, 1, 1), town_id=LAOCHENG,
        agreed=D("3000"), arrived=D("0"), jobs=100, park=park_c,
    )  # fmt: skip
    InvestmentFactory(
        partnership=q, enterprise="企业丁", signed_on=day(2021, 5, 1), town_id=HANYIN_CHENGGUAN,
        agreed=D("8888"), arrived=D("88"), jobs=99, park=park_q,
    )  # fmt: skip

    # Consumption sales of P
    ConsumptionSaleFactory(
        partnership=p, year=2021, month=1, channel="counter", town_id=LAOCHENG,
        amount=D("100"), certified_amount=D("60"),
    )  # fmt: skip
    ConsumptionSaleFactory(
        partnership=p, year=2021, month=12, channel="832", town_id=XINCHENG, kind="purchase",
        amount=D("40.1234"), certified_amount=D("40.1234"),
    )  # fmt: skip
    ConsumptionSaleFactory(
        partnership=p, year=2021, month=12, channel="ecommerce", town_id=LAOCHENG,
        amount=D("9.8766"), certified_amount=D("0"),
    )  # fmt: skip
    ConsumptionSaleFactory(
        partnership=p, year=2022, month=1, channel="counter", town_id=LAOCHENG,
        amount=D("77"), certified_amount=D("7"),
    )  # fmt: skip
    ConsumptionSaleFactory(
        partnership=q, year=2021, month=12, channel="counter", town_id=HANYIN_CHENGGUAN,
        amount=D("5555"), certified_amount=D("555"),
    )  # fmt: skip

    # Donations of P
    DonationFactory(
        partnership=p, date=day(2021, 1, 1), town_id=LAOCHENG, cash=D("10"), in_kind=D("0")
    )
    DonationFactory(
        partnership=p, date=day(2021, 12, 31), town_id=XINCHENG, cash=D("2.5"), in_kind=D("7.5")
    )
    DonationFactory(
        partnership=p, date=day(2022, 1, 1), town_id=LAOCHENG, cash=D("100"), in_kind=D("100")
    )
    DonationFactory(
        partnership=p, date=day(2020, 12, 31), town_id=LAOCHENG, cash=D("1000"), in_kind=D("0")
    )
    DonationFactory(
        partnership=q, date=day(2021, 12, 31), town_id=HANYIN_CHENGGUAN, cash=D("3333"),
        in_kind=D("333"),
    )  # fmt: skip
    return p


# Figures of P worked out by hand from the data set above: (key, year, town, month) → value.
FIGURES = [
    # funds.aid 2021: 100.5 + 200.25 + 10 (the cancelled 999 left out, 2022's 50 left out)
    ("funds.aid", 2021, None, None, D("310.75")),
    ("funds.aid", 2021, LAOCHENG, None, D("100.5")),  # cancelled 999 in 老城 left out
    ("funds.aid", 2022, None, None, D("50")),
    ("funds.aid", 2023, None, None, D("0")),
    ("funds.projects", 2021, None, None, 3),
    ("funds.projects", 2021, LAOCHENG, None, 1),
    ("funds.projects", 2022, None, None, 1),
    ("funds.beneficiaries", 2021, None, None, 42),  # 10 + 30 + 2
    ("funds.beneficiaries", 2021, XINCHENG, None, 30),
    ("funds.beneficiaries_poverty_exited", 2021, None, None, 18),  # 4 + 12 + 2
    ("funds.beneficiaries_poverty_exited", 2022, None, None, 1),
    # disbursements of the 2021 projects, whatever their date: 100.5 (A) + 50 + 30.125 (B,
    # the second paid in Feb 2022); the cancelled project's 500 and Q's 6000 left out
    ("funds.disbursed", 2021, None, None, D("180.625")),
    ("funds.disbursed", 2021, LAOCHENG, None, D("100.5")),
    ("funds.disbursed", 2021, XINCHENG, None, D("80.125")),  # 50 + 30.125
    ("funds.disbursed", 2022, None, None, D("10")),
    ("funds.disbursed", 2023, None, None, D("0")),
    # disbursed ÷ aid funds of the same projects: 180.625 / 310.75 = 58.1255… % → 58.1
    ("funds.disbursement_rate", 2021, None, None, D("58.1")),
    ("funds.disbursement_rate", 2021, LAOCHENG, None, D("100.0")),  # 100.5 / 100.5
    ("funds.disbursement_rate", 2021, XINCHENG, None, D("40.0")),  # 80.125 / 200.25 = 40.01
    ("funds.disbursement_rate", 2022, None, None, D("20.0")),  # 10 / 50
    ("funds.disbursement_rate", 2023, None, None, None),  # no aid funds: no rate
    # started (在建, 已完工, 运营中) ÷ projects: A completed, B building, C operating → 3 / 3
    # (a leak of Q's completed project would not show here; it does in completed_rate)
    ("funds.started_rate", 2021, None, None, D("100.0")),
    ("funds.started_rate", 2022, None, None, D("0.0")),  # the one 2022 project is planned
    ("funds.started_rate", 2023, None, None, None),
    # completed (已完工, 运营中) ÷ projects: A and C of 3 → 66.67 % → 66.7 (Q's would be 3 / 4)
    ("funds.completed_rate", 2021, None, None, D("66.7")),
    ("funds.completed_rate", 2021, XINCHENG, None, D("0.0")),  # B is building
    ("funds.completed_rate", 2021, LAOCHENG, None, D("100.0")),  # A (cancelled one left out)
    ("funds.completed_rate", 2023, None, None, None),
    # donations 2021: 1 Jan (10 + 0) and 31 Dec (2.5 + 7.5); 31 Dec 2020 and 1 Jan 2022 out
    ("funds.donations_cash", 2021, None, None, D("12.5")),  # 10 + 2.5
    ("funds.donations_in_kind", 2021, None, None, D("7.5")),
    ("funds.donations_total", 2021, None, None, D("20")),  # 12.5 + 7.5
    ("funds.donations_total", 2021, None, 12, D("10")),  # 2.5 + 7.5
    ("funds.donations_cash", 2021, LAOCHENG, None, D("10")),
    ("funds.donations_cash", 2020, None, None, D("1000")),
    ("funds.donations_total", 2022, None, 1, D("200")),  # 100 + 100
    # investments 2021: 甲 (15 Mar, 1 Jul) and 乙 (31 Dec); 丙 signed 1 Jan 2022
    ("industry.enterprises_settled", 2021, None, None, 2),  # 甲 counted once
    ("industry.enterprises_settled", 2021, LAOCHENG, None, 1),
    ("industry.enterprises_settled", 2022, None, None, 1),
    ("industry.investment_agreed", 2021, None, None, D("1700.5")),  # 1000 + 500.5 + 200
    ("industry.investment_agreed", 2021, LAOCHENG, None, D("1200")),  # 1000 + 200
    ("industry.investment_agreed", 2021, None, 12, D("500.5")),
    ("industry.investment_arrived", 2021, None, None, D("1500")),  # 600 + 700 + 200
    ("industry.investment_arrived", 2022, None, None, D("0")),
    ("industry.jobs", 2021, None, None, 40),  # 20 + 15 + 5
    ("industry.jobs", 2021, None, 7, 5),
    ("industry.jobs", 2022, None, 1, 100),
    # parks at the year's end: 2020 A; 2021 A, B (31 Dec); 2022 A, B, C
    ("industry.parks", 2020, None, None, 1),
    ("industry.parks", 2021, None, None, 2),
    ("industry.parks", 2021, LAOCHENG, None, 1),  # A (C opens in 2022)
    ("industry.parks", 2021, None, 12, 1),  # B, established 31 Dec
    ("industry.parks", 2022, None, None, 3),
    ("industry.agricultural_parks", 2021, None, None, 1),  # A (B is industrial)
    ("industry.agricultural_parks", 2021, XINCHENG, None, 0),
    ("industry.agricultural_parks", 2022, None, None, 2),  # A, C
    ("industry.agricultural_parks", 2022, None, 3, 1),  # C, established in March
    # investments in parks, signed in 2021: 甲 15 Mar (A, 600), 乙 31 Dec (B, 700); 甲's July
    # signing is in no park
    ("industry.park_enterprises", 2021, None, None, 2),
    ("industry.park_enterprises", 2021, LAOCHENG, None, 1),  # 甲
    ("industry.park_enterprises", 2021, None, 7, 0),  # July: 甲 outside a park
    ("industry.park_enterprises", 2022, None, None, 1),  # 丙 (C)
    ("industry.park_investment_arrived", 2021, None, None, D("1300")),  # 600 + 700
    ("industry.park_investment_arrived", 2021, None, 12, D("700")),
    ("industry.park_investment_arrived", 2021, LAOCHENG, None, D("600")),
    ("industry.park_investment_arrived", 2022, None, None, D("0")),
    # park jobs: 2020 A 100 (40); 2021 A 120 (50) + B 30 (5); 2022 B 60 (10) + C 20 (0)
    ("industry.park_jobs", 2020, None, None, 100),
    ("industry.park_jobs", 2021, None, None, 150),  # 120 + 30
    ("industry.park_jobs", 2021, LAOCHENG, None, 120),
    ("industry.park_jobs", 2022, None, None, 80),  # 60 + 20
    ("industry.park_jobs", 2023, None, None, 0),
    ("industry.park_jobs_poverty_exited", 2021, None, None, 55),  # 50 + 5
    ("industry.park_jobs_poverty_exited", 2022, XINCHENG, None, 10),
    ("industry.park_jobs_poverty_exited", 2022, LAOCHENG, None, 0),
    # demonstration villages: 2021 西大街 100, 北门 50.5; 2022 西大街 80; 2020 北门 30
    ("pairings.demonstration_villages", 2021, None, None, 2),
    ("pairings.demonstration_villages", 2021, LAOCHENG, None, 1),  # 西大街
    ("pairings.demonstration_villages", 2022, None, None, 1),
    ("pairings.demonstration_villages", 2023, None, None, 0),
    ("pairings.demonstration_village_funds", 2021, None, None, D("150.5")),  # 100 + 50.5
    ("pairings.demonstration_village_funds", 2021, XINCHENG, None, D("50.5")),
    ("pairings.demonstration_village_funds", 2020, None, None, D("30")),
    ("pairings.demonstration_village_funds", 2023, None, None, D("0")),
    # sales 2021: Jan 100 (60), Dec 40.1234 (40.1234) + 9.8766 (0); Jan 2022 77 (7)
    ("consumption.amount", 2021, None, None, D("150")),  # 100 + 40.1234 + 9.8766
    ("consumption.amount", 2021, None, 12, D("50")),  # 40.1234 + 9.8766
    ("consumption.amount", 2021, LAOCHENG, None, D("109.8766")),  # 100 + 9.8766
    ("consumption.amount", 2022, None, 1, D("77")),
    ("consumption.certified_amount", 2021, None, None, D("100.1234")),  # 60 + 40.1234
    ("consumption.certified_amount", 2021, None, 12, D("40.1234")),
    ("consumption.certified_amount", 2021, XINCHENG, 12, D("40.1234")),
    ("consumption.certified_amount", 2021, LAOCHENG, 12, D("0")),
    # 采购 (bought by the east): the 832 sale only; 帮助销售: the counter and online sales.
    ("consumption.purchase", 2021, None, None, D("40.1234")),
    ("consumption.purchase", 2021, LAOCHENG, None, D("0")),
    ("consumption.purchase", 2021, None, 1, D("0")),
    ("consumption.purchase_certified", 2021, XINCHENG, 12, D("40.1234")),
    ("consumption.purchase_certified", 2022, None, None, D("0")),
    ("consumption.helped", 2021, None, None, D("109.8766")),  # 100 + 9.8766
    ("consumption.helped", 2021, None, 12, D("9.8766")),
    ("consumption.helped", 2022, LAOCHENG, 1, D("77")),
    ("consumption.helped_certified", 2021, None, None, D("60")),  # 60 + 0
    ("consumption.helped_certified", 2022, None, None, D("7")),
]
