"""A hand-built data set for the dashboard, its lists, charts, exports and the annual summary.

Partnership P is 武进区—汉滨区 (the `partnership` fixture); Q is 新北区—汉阴县, whose
records carry large numbers so that a leak into P's figures shows. The year under test is
2021; a few records of 2019, 2020 and 2022 sit at its edges. `EXPECTED` holds P's 2021
figure of every indicator, worked out by hand (the arithmetic is in the comments)."""

import datetime
from decimal import Decimal as D

import pytest

from cooperation.models import Organisation, Pairing, Posting, Region, Target, Visit
from labor import idcard
from labor.models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker
from projects.models import IndustrialPark
from tests.conftest import YEAR
from tests.cooperation.factories import (
    CadreTrainingFactory,
    EastOrgFactory,
    OrganisationFactory,
    PairingFactory,
    PostingFactory,
    VisitFactory,
    region,
)
from tests.places import (
    BEIMEN,
    HANBIN,
    HANYIN_CHENGGUAN,
    LAOCHENG,
    WUJIN,
    XIDAJIE,
    XINBEI,
    XINCHENG,
)
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

# The first year of the range under test (累计 2020–2021, `?since=2020&year=2021`), and P's
# figures over it that differ from 2021 alone (tests/dashboard/test_periods.py), and why.
SINCE = 2020
OVER_2020_2021 = {
    "funds.aid": D("3000.7534"),  # + 2020's 冷库 1000
    "funds.projects": 3,
    "funds.beneficiaries": 510,  # + 冷库's 10
    "funds.beneficiaries_poverty_exited": 171,  # + 冷库's 1
    "funds.disbursed": D("2400.5034"),  # + 冷库's 900 (paid 2021, fund year 2020)
    "funds.disbursement_rate": D("80.0"),  # 2400.5034 / 3000.7534 = 79.997 %
    "funds.completed_rate": D("66.7"),  # 道路硬化 and 冷库 (operating): 2 of 3
    "funds.donations_cash": D("1012"),  # + 1000 on 31 Dec 2020
    "funds.donations_total": D("1020.5"),
    "postings.person_times_in_year": 4,  # + 王五 (arrived Jun 2020)
    "postings.new_cadres_w2e": 1,  # 王五
    "postings.trained_cadres": 105,  # 30 + 25 + 50 (Nov 2020)
    "visits.count": 3,  # + the delegation of Aug 2020
    "visits.people": 20,  # 10 + 6 + 4
    "pairings.signed_in_year": 3,  # + the village pairing of May 2020
    "pairings.demonstration_villages": 2,  # 西大街 (2021) and 北门 (2020): two villages
    "pairings.demonstration_village_funds": D("160"),  # 120 + 40
    "industry.park_jobs": 350,  # 忠诚园区 150 (2020) + 200 (2021)
    "industry.park_jobs_poverty_exited": 140,  # 60 + 80
    # 韩三 was transferred in 2020 (and is still employed in 2021): four persons, once each
    "labor.transferred": 4,
    "labor.transferred_poverty_exited": 2,  # 韩一, 韩三
    "labor.transferred_east": 3,  # 韩一, 韩四 (first spell in 武进), 韩三
    "labor.transferred_east_poverty_exited": 2,
    "labor.average_wage": D("4437.50"),  # the 2021 rows and 韩三's 2020 row (6000)
    "labor.job_fairs": 3,  # + the fair of Sep 2020
    "labor.jobs_offered": 9277,  # 1000 + 500 + 7777
    "labor.intentions": 147,
    "labor.hired": 47,
    "labor.hired_stable": 32,
    # in operation on 31 Dec 2020 or 2021: + 服装厂 (closed 30 Jun 2021)
    "labor.factories": 3,
    "labor.factory_jobs": 170,
    "labor.factory_jobs_poverty_exited": 60,
    "postings.average_months": None,  # months on post within one year: no range figure
}

# Personal data that must never reach a public page or export.
WORKER_NAMES = ["韩一", "韩二", "韩三", "韩四"]
ID_NUMBERS = [idcard.make(HANBIN, day(1980 + i, 1, 2 + i), 11 + i) for i in range(4)]
FORMULA = "=cmd|' /C calc'!A0"

# The most queries a list page may run (12, and the header's areas and roles of a signed-in
# user).
MAX_LIST_QUERIES = 14

EXPECTED = {
    # --- funds: projects of fund year 2021, cancelled left out -------------------------------
    "funds.aid": D("2000.7534"),  # 1200.5 (老城) + 800.2534 (新城); cancelled 500 out
    "funds.projects": 2,
    "funds.beneficiaries": 500,  # 300 + 200
    "funds.beneficiaries_poverty_exited": 170,  # 120 + 50
    # disbursed to the 2021 projects, whatever the date: 茶园提升 600 + 100.25 (Mar 2022),
    # 道路硬化 800.2534; the cancelled project's 50, 2020's 冷库 900 and Q's 6999 left out
    "funds.disbursed": D("1500.5034"),  # 700.25 + 800.2534
    "funds.disbursement_rate": D("75.0"),  # 1500.5034 / 2000.7534 = 74.9969 % → 75.0
    "funds.started_rate": D("100.0"),  # 在建 茶园提升 + 已完工 道路硬化: 2 / 2
    "funds.completed_rate": D("50.0"),  # 道路硬化: 1 / 2 (Q's completed one would make 2 / 3)
    "funds.donations_cash": D("12"),  # 10 (1 Mar) + 2 (1 Sep)
    "funds.donations_in_kind": D("8.5"),  # 5.5 (1 Jun) + 3 (1 Sep)
    "funds.donations_total": D("20.5"),  # 12 + 8.5
    # --- people exchange ------------------------------------------------------------------
    "postings.cadres_w2e": 1,  # 王五 (2020–2022)
    "postings.professionals_w2e": 1,  # 赵六 (medical, Feb–May 2021)
    "postings.cadres_e2w": 1,  # 张三 twice (2019 and 2021), same home unit: one person
    "postings.professionals_e2w": 1,  # 李四 (education, Sep–Dec 2021)
    "postings.person_times_in_year": 3,  # arrived in 2021: 张三, 李四, 赵六
    # newly posted in 2021: e2w 张三 (cadre), 李四 (teacher); w2e 赵六 (doctor)
    "postings.new_cadres_e2w": 1,
    "postings.new_professionals_e2w": 1,
    "postings.new_teachers_e2w": 1,
    "postings.new_doctors_e2w": 0,
    "postings.new_agronomists_e2w": 0,
    "postings.new_other_professionals_e2w": 0,
    "postings.new_cadres_w2e": 0,
    "postings.new_professionals_w2e": 1,
    "postings.new_teachers_w2e": 0,
    "postings.new_doctors_w2e": 1,
    "postings.new_agronomists_w2e": 0,
    "postings.new_other_professionals_w2e": 0,
    "postings.on_post_at_year_end": 2,  # 张三 (no end), 王五 (ends 2022)
    # days on post in 2021, both ends inclusive: 张三 1 Mar–31 Dec 306, 李四 1 Sep–1 Dec 92,
    # 王五 1 Jan–31 Dec 365, 赵六 1 Feb–31 May 120 → 883 / 4 = 220.75 days / 30 = 7.36 → 7.4
    "postings.average_months": D("7.4"),
    "visits.count": 2,  # 2021: two delegations (the 2020 one left out)
    "visits.people": 16,  # 10 + 6
    "visits.leaders": 1,  # the November delegation
    "visits.enterprise_trips": 1,  # the April one brought enterprises
    "visits.enterprises": 2,
    # cadre and professional training started in 2021 (the 2020 and 2022 courses and Q's out)
    "postings.trained_cadres": 55,  # 30 (in the east, March) + 25 (in the west, November)
    "postings.trained_professionals": 40,  # the June course in the west
    # --- pairings at 31 Dec 2021 ----------------------------------------------------------
    "pairings.active": 3,  # 镇 (2021), 村 (2020), 医院 (2019); school ended Oct, 2022 not yet
    "pairings.town": 1,
    "pairings.village": 1,
    "pairings.enterprise_village": 0,  # signed 10 Jan 2022
    "pairings.school": 0,  # ended 1 Oct 2021
    "pairings.hospital": 1,
    "pairings.social": 0,
    "pairings.signed_in_year": 2,  # 镇 (Mar 2021), school (Jun 2021)
    # demonstration villages of 2021: 西大街 (120); 北门 is of 2020
    "pairings.demonstration_villages": 1,
    "pairings.demonstration_village_funds": D("120"),
    # --- industry: investments signed in 2021 ---------------------------------------------
    "industry.enterprises_settled": 2,  # 甲 (twice: one enterprise), 乙
    "industry.investment_agreed": D("8000"),  # 5000 + 1000 + 2000
    "industry.investment_arrived": D("4500"),  # 3000 + 1000 + 500
    "industry.jobs": 80,  # 50 + 10 + 20
    # parks at 31 Dec 2021: 忠诚园区 (agricultural, 2020); the industrial one opens in 2022
    "industry.parks": 1,
    "industry.agricultural_parks": 1,
    "industry.park_enterprises": 1,  # 企业甲's April signing, in 忠诚园区
    "industry.park_investment_arrived": D("3000"),  # that signing's 3000
    "industry.park_jobs": 200,  # 忠诚园区's 2021 record (2020's 150 left out)
    "industry.park_jobs_poverty_exited": 80,
    # --- labour -------------------------------------------------------------------------
    "labor.transferred": 3,  # 韩一 (Mar), 韩二 (Mar), 韩四 (Jul); 韩三 started in 2020
    "labor.transferred_poverty_exited": 1,  # 韩一
    "labor.transferred_east": 2,  # 韩一 (武进), 韩四 (July spell in 武进)
    # days employed in 2021 ≥ 90: 韩一 306, 韩三 365, 韩四 184; 韩二 47
    "labor.stable": 3,
    "labor.stable_poverty_exited": 2,  # 韩一 and 韩三 (脱贫户)
    "labor.transferred_east_poverty_exited": 1,  # 韩一
    # one destination per person: 韩一 east, 韩二 home (汉滨区), 韩四 east (his July spell in
    # 武进 comes first, his September one is at home)
    "labor.transferred_home": 1,  # 韩二
    "labor.transferred_elsewhere": 0,
    "labor.transferred_home_poverty_exited": 0,  # 韩二 is 一般户
    "labor.transferred_elsewhere_poverty_exited": 0,
    # each person's mean over the year's spells: 5000, 3000, (4000 + 3500) / 2 = 3750
    # → (5000 + 3000 + 3750) / 3 = 3916.67
    "labor.average_wage": D("3916.67"),
    "labor.job_fairs": 2,
    "labor.jobs_offered": 1500,  # 1000 + 500
    "labor.intentions": 140,  # 100 + 40
    "labor.hired": 40,  # 30 + 10
    "labor.hired_stable": 25,  # 20 + 5
    "labor.courses": 3,
    "labor.trainees": 100,  # 30 + 50 + 20
    "labor.certified": 83,  # 28 + 40 + 15
    "labor.employed_after_training": 45,  # 0 + 35 + 10
    "labor.advanced_courses": 1,
    "labor.advanced_trainees": 30,
    "labor.ecommerce_trainees": 20,
    "labor.factories": 2,  # opened 2019 and Jun 2021; the one closed 30 Jun 2021 out
    "labor.factory_jobs": 120,  # 80 + 40
    "labor.factory_jobs_poverty_exited": 40,  # 30 + 10
    # --- consumption -------------------------------------------------------------------
    "consumption.amount": D("450.1234"),  # 300.1234 + 150
    "consumption.certified_amount": D("200"),  # 200 + 0
    "consumption.purchase": D("150"),  # the 832 sale, bought by the east
    "consumption.purchase_certified": D("0"),
    "consumption.helped": D("300.1234"),  # the counter sale (帮助销售, the default)
    "consumption.helped_certified": D("200"),
}

# The footer figure of the linked list that adds up to each indicator ("rows" = row count).
FOOTER = {
    "funds.aid": "aid_funds",
    "funds.projects": "rows",
    "funds.beneficiaries": "beneficiaries",
    "funds.beneficiaries_poverty_exited": "beneficiaries_poverty_exited",
    "funds.disbursed": "disbursed",
    "funds.disbursement_rate": "disbursement_rate",
    "funds.started_rate": "started_rate",
    "funds.completed_rate": "completed_rate",
    "funds.donations_cash": "cash",
    "funds.donations_in_kind": "in_kind",
    "funds.donations_total": "total",
    "postings.cadres_w2e": "persons",
    "postings.professionals_w2e": "persons",
    "postings.cadres_e2w": "persons",
    "postings.professionals_e2w": "persons",
    "postings.person_times_in_year": "rows",
    **{
        f"postings.new_{part}_{direction}": "persons"
        for part in ("cadres", "professionals", "teachers", "doctors", "agronomists")
        + ("other_professionals",)
        for direction in ("e2w", "w2e")
    },
    "postings.on_post_at_year_end": "persons",
    "postings.average_months": "average_months",
    "visits.count": "rows",
    "visits.people": "people",
    "visits.leaders": "rows",
    "visits.enterprise_trips": "rows",
    "visits.enterprises": "enterprises",
    "postings.trained_cadres": "trainees",
    "postings.trained_professionals": "trainees",
    "pairings.active": "rows",
    "pairings.town": "rows",
    "pairings.village": "rows",
    "pairings.enterprise_village": "rows",
    "pairings.school": "rows",
    "pairings.hospital": "rows",
    "pairings.social": "rows",
    "pairings.signed_in_year": "rows",
    "pairings.demonstration_villages": "rows",
    "pairings.demonstration_village_funds": "funds",
    "industry.enterprises_settled": "enterprises",
    "industry.investment_agreed": "agreed",
    "industry.investment_arrived": "arrived",
    "industry.jobs": "jobs",
    "industry.parks": "rows",
    "industry.agricultural_parks": "rows",
    "industry.park_enterprises": "enterprises",
    "industry.park_investment_arrived": "arrived",
    "industry.park_jobs": "jobs",
    "industry.park_jobs_poverty_exited": "poverty_exited_jobs",
    "labor.transferred": "rows",
    "labor.transferred_poverty_exited": "rows",
    "labor.transferred_east": "rows",
    "labor.stable": "rows",
    "labor.stable_poverty_exited": "rows",
    "labor.transferred_east_poverty_exited": "rows",
    "labor.transferred_home": "rows",
    "labor.transferred_elsewhere": "rows",
    "labor.transferred_home_poverty_exited": "rows",
    "labor.transferred_elsewhere_poverty_exited": "rows",
    "labor.average_wage": "average_wage",
    "labor.job_fairs": "rows",
    "labor.jobs_offered": "jobs_offered",
    "labor.intentions": "intentions",
    "labor.hired": "hired",
    "labor.hired_stable": "stable",
    "labor.courses": "rows",
    "labor.trainees": "trainees",
    "labor.certified": "certified",
    "labor.employed_after_training": "employed_after",
    "labor.advanced_courses": "rows",
    "labor.advanced_trainees": "trainees",
    "labor.ecommerce_trainees": "trainees",
    "labor.factories": "rows",
    "labor.factory_jobs": "jobs",
    "labor.factory_jobs_poverty_exited": "poverty_exited_jobs",
    "consumption.amount": "amount",
    "consumption.certified_amount": "certified_amount",
    "consumption.purchase": "amount",
    "consumption.purchase_certified": "certified_amount",
    "consumption.helped": "amount",
    "consumption.helped_certified": "certified_amount",
}

TARGETS = {
    "funds.aid": D("2500"),  # 2000.7534 / 2500 = 80.03 % → 80.0
    "pairings.active": D("4"),  # 3 / 4 = 75.0 %
    "labor.transferred": D("2"),  # 3 / 2 = 150.0 %
}


def _org(name, code, east=False):
    factory = EastOrgFactory if east else OrganisationFactory
    return factory(name=name, region=region(code))


def _worker(p, n, town, household):
    return Worker.objects.create(
        partnership=p,
        name=WORKER_NAMES[n],
        id_number=ID_NUMBERS[n],
        phone=f"1380000000{n}",
        home_town_id=town,
        household=household,
    )


def _job(worker, start, end, wage, destination=WUJIN):
    return Employment.objects.create(
        worker=worker,
        employer=f"就业单位{worker.pk}-{start:%m}",
        destination_id=destination,
        start_date=start,
        end_date=end,
        monthly_wage=wage,
        channel=Employment.Channel.ORGANISED,
    )


@pytest.fixture
def data(partnership, other_partnership):
    p, q = partnership, other_partnership
    east1 = _org("武进区发改局", WUJIN, east=True)
    east2 = _org("武进区人民医院", WUJIN, east=True)
    west_lc = _org("老城街道办事处", LAOCHENG)
    west_xc = _org("新城街道办事处", XINCHENG)
    west_school = _org("汉滨区第一中学", HANBIN)
    west_hosp = _org("汉滨区中心医院", LAOCHENG)

    # Pairings
    PairingFactory(partnership=p, level=Pairing.Level.TOWN, east_org=east1, west_org=west_lc,
                   signed_on=day(2021, 3, 1))  # fmt: skip
    PairingFactory(partnership=p, level=Pairing.Level.VILLAGE, east_org=east1, west_org=west_xc,
                   signed_on=day(2020, 5, 1))  # fmt: skip
    PairingFactory(partnership=p, level=Pairing.Level.SCHOOL, east_org=east2, west_org=west_school,
                   signed_on=day(2021, 6, 1), ended_on=day(2021, 10, 1))  # fmt: skip
    PairingFactory(partnership=p, level=Pairing.Level.ENTERPRISE_VILLAGE, east_org=east2,
                   west_org=west_xc, signed_on=day(2022, 1, 10))  # fmt: skip
    PairingFactory(partnership=p, level=Pairing.Level.HOSPITAL, east_org=east2, west_org=west_hosp,
                   signed_on=day(2019, 4, 1))  # fmt: skip
    PairingFactory(partnership=q, level=Pairing.Level.TOWN,
                   east_org=_org("新北区政府", XINBEI, east=True),
                   west_org=_org("城关镇政府", HANYIN_CHENGGUAN), signed_on=day(2021, 1, 1))  # fmt: skip

    # Postings
    PostingFactory(partnership=p, person_name="张三", direction="e2w", category="cadre",
                   home_org=east1, host_org=west_lc, start_date=day(2021, 3, 1))  # fmt: skip
    PostingFactory(partnership=p, person_name="张三", direction="e2w", category="cadre",
                   home_org=east1, host_org=west_xc, start_date=day(2019, 3, 1),
                   end_date=day(2020, 3, 1))  # fmt: skip
    PostingFactory(partnership=p, person_name="李四", direction="e2w", category="education",
                   home_org=east2, host_org=west_school, start_date=day(2021, 9, 1),
                   end_date=day(2021, 12, 1))  # fmt: skip
    PostingFactory(partnership=p, person_name="王五", direction="w2e", category="cadre",
                   home_org=west_lc, host_org=east1, start_date=day(2020, 6, 1),
                   end_date=day(2022, 6, 1))  # fmt: skip
    PostingFactory(partnership=p, person_name="赵六", direction="w2e", category="medical",
                   home_org=west_hosp, host_org=east2, start_date=day(2021, 2, 1),
                   end_date=day(2021, 5, 31))  # fmt: skip

    # Visits (one purpose is a formula, to be neutralised in exports)
    VisitFactory(partnership=p, date=day(2021, 4, 1), direction="e2w", people=10, enterprises=2,
                 purpose=FORMULA)  # fmt: skip
    VisitFactory(partnership=p, date=day(2021, 11, 20), direction="w2e", people=6, enterprises=0,
                 level="leaders")  # fmt: skip
    VisitFactory(partnership=p, date=day(2020, 8, 1), direction="e2w", people=4)
    VisitFactory(partnership=q, date=day(2021, 5, 1), direction="e2w", people=99)

    # Cadre and professional training (人次), counted in the year the course started
    CadreTrainingFactory(partnership=p, start_date=day(2021, 3, 10), audience="cadres",
                         trainees=30, held_in="east")  # fmt: skip
    CadreTrainingFactory(partnership=p, start_date=day(2021, 11, 2), end_date=day(2021, 11, 8),
                         audience="cadres", trainees=25, held_in="west")  # fmt: skip
    CadreTrainingFactory(partnership=p, start_date=day(2021, 6, 1), audience="professionals",
                         trainees=40, held_in="west")  # fmt: skip
    CadreTrainingFactory(partnership=p, start_date=day(2020, 11, 1), audience="cadres",
                         trainees=50)  # fmt: skip
    CadreTrainingFactory(partnership=p, start_date=day(2022, 1, 10), audience="professionals",
                         trainees=70)  # fmt: skip
    CadreTrainingFactory(partnership=q, start_date=day(2021, 5, 1), audience="cadres",
                         trainees=999)  # fmt: skip
    CadreTrainingFactory(partnership=q, start_date=day(2021, 5, 1), audience="professionals",
                         trainees=888)  # fmt: skip

    # Projects
    tea = ProjectFactory(partnership=p, fund_year=2021, name="茶园提升", category="industry",
                   town_id=LAOCHENG, status="building", aid_funds=D("1200.5"),
                   local_funds=D("100"), beneficiaries=300,
                   beneficiaries_poverty_exited=120)  # fmt: skip
    road = ProjectFactory(partnership=p, fund_year=2021, name="道路硬化", category="infrastructure",
                   town_id=XINCHENG, status="completed", aid_funds=D("800.2534"),
                   beneficiaries=200, beneficiaries_poverty_exited=50)  # fmt: skip
    cancelled = ProjectFactory(partnership=p, fund_year=2021, name="取消的项目", category="education",
                   town_id=LAOCHENG, status="cancelled", aid_funds=D("500"),
                   beneficiaries=99, beneficiaries_poverty_exited=9)  # fmt: skip
    store = ProjectFactory(partnership=p, fund_year=2020, name="冷库", category="industry",
                   town_id=LAOCHENG, status="operating", aid_funds=D("1000"),
                   beneficiaries=10, beneficiaries_poverty_exited=1)  # fmt: skip
    q_project = ProjectFactory(partnership=q, fund_year=2021, town_id=HANYIN_CHENGGUAN,
                               aid_funds=D("7000"))  # fmt: skip
    # Disbursements (资金拨付)
    DisbursementFactory(project=tea, date=day(2021, 5, 1), amount=D("600"))
    DisbursementFactory(project=tea, date=day(2022, 3, 1), amount=D("100.25"))
    DisbursementFactory(project=road, date=day(2021, 4, 1), amount=D("800.2534"))
    DisbursementFactory(project=cancelled, date=day(2021, 2, 1), amount=D("50"))
    DisbursementFactory(project=store, date=day(2021, 1, 10), amount=D("900"))
    DisbursementFactory(project=q_project, date=day(2021, 6, 1), amount=D("6999"))

    # Co-built parks and their yearly jobs
    zhongcheng = IndustrialParkFactory(partnership=p, name="忠诚园区", town_id=LAOCHENG,
                                       kind=IndustrialPark.Kind.AGRICULTURAL,
                                       established_on=day(2020, 5, 1))  # fmt: skip
    later = IndustrialParkFactory(partnership=p, name="工业园", town_id=XINCHENG,
                                  kind=IndustrialPark.Kind.INDUSTRIAL,
                                  established_on=day(2022, 1, 1))  # fmt: skip
    park_q = IndustrialParkFactory(partnership=q, name="汉阴园区", town_id=HANYIN_CHENGGUAN,
                                   established_on=day(2019, 1, 1))  # fmt: skip
    IndustrialParkYearFactory(park=zhongcheng, year=2020, jobs=150, poverty_exited_jobs=60)
    IndustrialParkYearFactory(park=zhongcheng, year=2021, jobs=200, poverty_exited_jobs=80)
    IndustrialParkYearFactory(park=later, year=2022, jobs=10, poverty_exited_jobs=1)
    IndustrialParkYearFactory(park=park_q, year=2021, jobs=5000, poverty_exited_jobs=500)

    # Demonstration villages (the test code list has no village of 汉阴县: Q's is added)
    DemonstrationVillageFactory(partnership=p, year=2021, village_id=XIDAJIE, funds=D("120"))
    DemonstrationVillageFactory(partnership=p, year=2020, village_id=BEIMEN, funds=D("40"))
    hanyin_village = Region.objects.create(code="610921100201", name="城关村委会",
                                           level=Region.Level.VILLAGE,
                                           parent_id=HANYIN_CHENGGUAN)  # fmt: skip
    DemonstrationVillageFactory(partnership=q, year=2021, village_id=hanyin_village.code,
                                funds=D("7777"))  # fmt: skip

    # Investments (企业甲 signs twice in 2021; its April signing settles in 忠诚园区)
    InvestmentFactory(partnership=p, enterprise="企业甲", signed_on=day(2021, 4, 1),
                      agreed=D("5000"), arrived=D("3000"), jobs=50, park=zhongcheng)  # fmt: skip
    InvestmentFactory(partnership=p, enterprise="企业甲", signed_on=day(2021, 8, 1),
                      agreed=D("1000"), arrived=D("1000"), jobs=10)  # fmt: skip
    InvestmentFactory(partnership=p, enterprise="企业乙", signed_on=day(2021, 5, 1),
                      town_id=XINCHENG, agreed=D("2000"), arrived=D("500"), jobs=20)  # fmt: skip
    InvestmentFactory(partnership=p, enterprise="企业丙", signed_on=day(2022, 2, 1),
                      agreed=D("9000"), arrived=D("0"), jobs=1)  # fmt: skip
    InvestmentFactory(partnership=q, enterprise="企业丁", signed_on=day(2021, 5, 1),
                      town_id=HANYIN_CHENGGUAN, agreed=D("8888"), arrived=D("88"),
                      park=park_q)  # fmt: skip

    # Consumption sales
    ConsumptionSaleFactory(partnership=p, year=2021, month=3, channel="counter",
                           amount=D("300.1234"), certified_amount=D("200"))  # fmt: skip
    ConsumptionSaleFactory(partnership=p, year=2021, month=6, channel="832", kind="purchase",
                           amount=D("150"), certified_amount=D("0"))  # fmt: skip
    ConsumptionSaleFactory(partnership=q, year=2021, month=6, town_id=HANYIN_CHENGGUAN,
                           amount=D("5555"), certified_amount=D("555"))  # fmt: skip

    # Donations
    DonationFactory(partnership=p, date=day(2021, 3, 1), cash=D("10"), in_kind=D("0"))
    DonationFactory(partnership=p, date=day(2021, 6, 1), cash=D("0"), in_kind=D("5.5"))
    DonationFactory(partnership=p, date=day(2021, 9, 1), cash=D("2"), in_kind=D("3"))
    DonationFactory(partnership=p, date=day(2020, 12, 31), cash=D("1000"), in_kind=D("0"))
    DonationFactory(partnership=q, date=day(2021, 6, 1), town_id=HANYIN_CHENGGUAN,
                    cash=D("3333"), in_kind=D("333"))  # fmt: skip

    # Workers and their employments (WorkerYear rows are rebuilt on save)
    w1 = _worker(p, 0, LAOCHENG, Worker.Household.POVERTY_EXITED)
    w2 = _worker(p, 1, XINCHENG, Worker.Household.ORDINARY)
    w3 = _worker(p, 2, LAOCHENG, Worker.Household.POVERTY_EXITED)
    w4 = _worker(p, 3, LAOCHENG, Worker.Household.MONITORED)
    _job(w1, day(2021, 3, 1), None, 5000)
    _job(w2, day(2021, 3, 15), day(2021, 4, 30), 3000, destination=HANBIN)
    _job(w3, day(2020, 5, 1), None, 6000)
    _job(w4, day(2021, 7, 1), day(2021, 8, 31), 4000)
    _job(w4, day(2021, 9, 1), None, 3500, destination=HANBIN)

    # Job fairs, courses, factories
    JobFair.objects.create(partnership=p, name="春风行动招聘会", date=day(2021, 3, 15),
                           town_id=LAOCHENG, employers=50, jobs_offered=1000, intentions=100,
                           hired=30, stable=20)  # fmt: skip
    JobFair.objects.create(partnership=p, name="秋季招聘会", date=day(2021, 9, 1),
                           town_id=XINCHENG, jobs_offered=500, intentions=40, hired=10,
                           stable=5)  # fmt: skip
    JobFair.objects.create(partnership=p, name="去年的招聘会", date=day(2020, 9, 1),
                           jobs_offered=7777, intentions=7, hired=7, stable=7)  # fmt: skip
    TrainingCourse.objects.create(partnership=p, name="高级研修班", kind="advanced",
                                  start_date=day(2021, 4, 1), trainees=30, certified=28,
                                  employed_after=0)  # fmt: skip
    TrainingCourse.objects.create(partnership=p, name="焊工培训", kind="skills",
                                  start_date=day(2021, 5, 10), trainees=50, certified=40,
                                  employed_after=35)  # fmt: skip
    TrainingCourse.objects.create(partnership=p, name="直播带货培训", kind="ecommerce",
                                  start_date=day(2021, 10, 1), trainees=20, certified=15,
                                  employed_after=10)  # fmt: skip
    CommunityFactory.objects.create(partnership=p, name="毛绒玩具厂", town_id=LAOCHENG,
                                    opened_on=day(2019, 5, 1), jobs=80,
                                    poverty_exited_jobs=30)  # fmt: skip
    CommunityFactory.objects.create(partnership=p, name="电子厂", town_id=XINCHENG,
                                    opened_on=day(2021, 6, 1), jobs=40,
                                    poverty_exited_jobs=10)  # fmt: skip
    CommunityFactory.objects.create(partnership=p, name="服装厂", town_id=LAOCHENG,
                                    opened_on=day(2018, 1, 1), closed_on=day(2021, 6, 30),
                                    jobs=50, poverty_exited_jobs=20)  # fmt: skip

    for key, value in TARGETS.items():
        Target.objects.create(partnership=p, year=YEAR, indicator=key, value=value)
    Target.objects.create(partnership=q, year=YEAR, indicator="funds.aid", value=D("1"))
    assert Organisation.objects.exists() and Posting.objects.exists() and Visit.objects.exists()
    return p
