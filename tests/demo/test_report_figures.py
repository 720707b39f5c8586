"""The demo's figures, read through the dashboard's own indicators, are the report's.

Each expected value is the report's number (or, where the report says "余", the demo's
reading of it, see cooperation/demo/figures.py), worked out here by hand from the report's
sentence — never read back from the demo's constants."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from cooperation.dashboard.indicators import registry
from cooperation.models import Posting, Region
from labor.models import TrainingCourse
from projects.models import Investment

HANBIN_TOWN = {
    "建民街道": "610902004",
    "恒口镇": "610902107",
    "石梯镇": "610902124",
}


def value(partnership, key, year, town=None, since=None):
    """The figure of the year, or of the years `since`…`year` (累计, as the dashboard's
    `?since=`)."""
    town = Region.objects.get(code=HANBIN_TOWN[town]) if town else None
    return registry[key].value(partnership, year, town=town, since=since)


# (indicator key, year, town, expected, the report's words)
REPORT = [
    # "两地26对镇村、企业、学校达成结对关系" (by 2021, still 26 in 2022)
    ("pairings.active", 2021, None, 26, "26对镇村、企业、学校"),
    ("pairings.active", 2022, None, 26, "26对（截至成文）"),
    # "汉滨区累计选派27名干部和67名专业技术人员到武进区…武进区累计选派了85名专业技术人员来汉滨"
    ("postings.cadres_w2e", 2021, None, 27, "累计选派27名干部"),
    ("postings.professionals_w2e", 2021, None, 67, "67名专业技术人员"),
    ("postings.professionals_e2w", 2021, None, 85, "85名专业技术人员"),
    ("postings.cadres_w2e", 2022, None, 27, "累计（截至成文）"),
    ("postings.professionals_w2e", 2022, None, 67, "累计（截至成文）"),
    ("postings.professionals_e2w", 2022, None, 85, "累计（截至成文）"),
    # "…推进消费帮扶再创新高，特色农产品采购、帮助销售…9965.11万元，经过国家认定的扶贫产品金额达
    # 3498.43万元": the consumption paragraph's sum is the year's 消费帮扶 (采购 + 帮助销售)
    ("funds.aid", 2021, None, Decimal("4800.00"), "2021年苏陕协作帮扶资金"),
    ("consumption.amount", 2021, None, Decimal("9965.11"), "农产品采购、帮助销售"),
    (
        "consumption.certified_amount",
        2021,
        None,
        Decimal("3498.43"),
        "国家认定的扶贫产品3498.43万元",
    ),
    # "劳务协作共帮助完成劳动力转移就业1043人"
    ("labor.transferred", 2021, None, 1043, "转移就业1043人"),
    # "去年…招聘会4场次，提供岗位共35000余个，达成就业意向共2400余人，…初次就业700余人，
    # 实现稳定就业500余人"
    ("labor.job_fairs", 2021, None, 4, "招聘会4场次"),
    ("labor.jobs_offered", 2021, None, 35260, "35000余个"),
    ("labor.intentions", 2021, None, 2436, "2400余人"),
    ("labor.hired", 2021, None, 712, "700余人"),
    ("labor.hired_stable", 2021, None, 503, "500余人"),
    # "高级研修班，全年举办5期，培训98人次": 20 + 19 + 21 + 18 + 20 = 98
    ("labor.advanced_courses", 2021, None, 5, "5期"),
    ("labor.advanced_trainees", 2021, None, 98, "98人次"),
    # "举办其他苏陕协作培训班2期，参加培训共62人" (both held in 恒口镇, the only courses there)
    ("labor.courses", 2021, "恒口镇", 2, "其他培训班2期"),
    ("labor.trainees", 2021, "恒口镇", 62, "共62人"),
    # "全区已建成各类新社区工厂185家…累计带动就业13000余人以上"
    ("labor.factories", 2021, None, 185, "185家"),
    ("labor.factory_jobs", 2021, None, 13050, "13000余人"),
    ("labor.factories", 2022, None, 185, "185家（截至成文）"),
    # "2021年以来，…等5个汉滨项目落户汉滨，全部完成投资51739万元"
    # arrived 32000 + 2600 + 2139 + 1000 + 14000 = 51739
    ("industry.enterprises_settled", 2021, None, 5, "5个项目落户"),
    ("industry.investment_arrived", 2021, None, Decimal("51739"), "完成投资51739万元"),
    ("industry.enterprises_settled", 2022, None, 0, "2021年以来仍是5个"),
    # "园区累计带动脱贫户1800余人" (the seedling centres are 建民街道's only 2021 project)
    ("funds.beneficiaries_poverty_exited", 2021, "建民街道", 1826, "1800余人"),
    # the pecan orchard is 石梯镇's only 2022 project
    ("funds.projects", 2022, "石梯镇", 1, "石梯镇青套村碧根果种植园"),
    # "常州华森医疗器械有限公司还向汉滨区教体局捐赠助学金100万元" (2021's only cash gift)
    ("funds.donations_cash", 2021, None, Decimal("100"), "助学金100万元"),
]


@pytest.mark.parametrize(
    "key,year,town,expected,words", REPORT, ids=[f"{r[0]}-{r[1]}-{r[4]}" for r in REPORT]
)
def test_indicator_reads_the_report_figure(demo, key, year, town, expected, words):
    assert value(demo, key, year, town) == expected


def test_the_reports_9965_11_is_what_the_east_bought_and_helped_sell_in_2021(demo):
    bought = value(demo, "consumption.purchase", 2021)
    helped = value(demo, "consumption.helped", 2021)
    assert bought > 0 and helped > 0 and bought + helped == Decimal("9965.11")


@pytest.mark.parametrize(
    "key,year,reported",
    [
        ("labor.jobs_offered", 2021, 35000),
        ("labor.intentions", 2021, 2400),
        ("labor.hired", 2021, 700),
        ("labor.hired_stable", 2021, 500),
        ("labor.factory_jobs", 2021, 13000),
    ],
)
def test_figures_the_report_gives_as_more_than_a_round_number_are_just_above_it(
    demo, key, year, reported
):
    # "35000余" reads as 35,000 < x < 36,000 (within a tenth of the next round step)
    assert reported < value(demo, key, year) < reported * Decimal("1.05")


def test_about_2000_went_to_jiangsu_in_the_three_years_to_2021(demo):
    # "近三年来…共有2000余人到常州市武进区、金坛区等地就业": 612 + 655 + 786 = 2053 persons,
    # the dashboard's 累计 2019–2021 (each person once)
    assert value(demo, "labor.transferred_east", 2021, since=2019) == 2053


def test_the_vegetable_park_brought_over_1800_poverty_exited_workers_in_2019_to_2021(demo):
    # "园区累计带动脱贫户1800余人": the park's yearly jobs of poverty-exited workers, summed
    # over 2019–2021 (486 + 612 + 728 = 1826); it is 建民街道's only park
    years = (2019, 2020, 2021)
    exited = value(demo, "industry.park_jobs_poverty_exited", 2021, "建民街道", since=2019)
    assert exited == 1826
    assert 1800 < exited < 1900  # "1800余"
    # one agricultural park, open since 2019
    assert value(demo, "industry.agricultural_parks", 2019) == 1
    assert value(demo, "industry.parks", 2021) == 1
    # the demo's invented food firms settled in it: two in 2019, one in 2020, none in 2021
    # (the report's five enterprises of 2021 are not said to be in a park)
    enterprises = [value(demo, "industry.park_enterprises", y) for y in years]
    assert enterprises == [2, 1, 0]


def test_demonstration_villages_are_invented_but_shown(demo):
    # the demo's invented villages: three in 2021 (200 + 120 + 150 万元), one in 2022 (180)
    assert value(demo, "pairings.demonstration_villages", 2021) == 3
    assert value(demo, "pairings.demonstration_village_funds", 2021) == Decimal("470")
    assert value(demo, "pairings.demonstration_villages", 2022, "石梯镇") == 1


def test_person_times_of_exchange_are_over_300(demo):
    # "双方人才交流累计达300余人次": postings of 2017–2022 (27 + 98 + 163 + 18 = 306)
    assert value(demo, "postings.person_times_in_year", 2022, since=2017) == 306


def test_13_visits_brought_over_50_enterprises_to_hanbin(demo):
    # "吸引13批50余家企业先后来汉滨实地考察" (2019–2021): 13 visits, "50余" read as 53
    assert value(demo, "visits.enterprise_trips", 2021, since=2019) == 13
    assert value(demo, "visits.enterprises", 2021, since=2019) == 53


def test_the_invented_cadre_training_counts_its_courses_of_each_year(demo):
    # The report gives no figure: the demo's courses (cooperation/demo/cooperation_records.py)
    # 2021: cadres 60 (in the east) + 100 (in the west) = 160; professionals 120.
    assert value(demo, "postings.trained_cadres", 2021) == 160
    assert value(demo, "postings.trained_professionals", 2021) == 120
    # 2022 (to April): one course of 30 professionals, no cadres.
    assert value(demo, "postings.trained_cadres", 2022) == 0
    assert value(demo, "postings.trained_professionals", 2022) == 30


def test_the_county_leaders_led_delegations_both_ways_in_2021(demo):
    # "范传斌…带领党政代表团到武进" and the joint meeting in Hanbin, among the year's visits
    assert value(demo, "visits.leaders", 2021) >= 2


def test_purchases_and_sales_with_help_make_the_years_consumption(demo):
    # The two kinds of 消费帮扶 add up to the year's amount and its certified products.
    def figure(key, year):
        return value(demo, f"consumption.{key}", year)

    for year in range(2017, 2023):
        assert figure("purchase", year) > 0 and figure("helped", year) > 0
        assert figure("purchase", year) + figure("helped", year) == figure("amount", year)
        assert figure("purchase_certified", year) + figure("helped_certified", year) == figure(
            "certified_amount", year
        )


def test_internet_marketers_trained_since_august_2021_are_over_400(demo):
    # "从2021年8月起，已经陆续培训400余人": 240 in 2021 (52+48+50+46+44) + 172 in 2022 (40+66+66)
    assert value(demo, "labor.ecommerce_trainees", 2022, since=2021) == 412


def test_over_30_percent_of_internet_marketers_were_placed(demo):
    # No indicator per kind for "employed after": the courses' own ledger, summed in the DB.
    row = TrainingCourse.objects.filter(partnership=demo, kind="ecommerce").aggregate(
        trainees=Sum("trainees"), employed=Sum("employed_after")
    )
    assert row["employed"] == 126  # 126 / 412 = 30.6 %
    assert row["employed"] * 100 >= 30 * row["trainees"]


def test_pig_farm_is_recorded_with_its_place_as_written(demo):
    farm = Investment.objects.get(partnership=demo, enterprise="江苏立华牧业")
    assert (farm.town_id, farm.place_text) == (None, "关山镇魏埭村")
    assert farm.agreed == Decimal("46000")  # 总投资4.6亿元
    assert farm.land_mu == Decimal("350")
    assert farm.place_display == "关山镇魏埭村"


def test_guo_zhiping_helps_xiaohe_village_of_dahe_town(demo):
    guo = Posting.objects.select_related("host_org").get(partnership=demo, person_name="郭志平")
    assert guo.direction == "e2w"
    assert guo.host_org.region_id == "610902115208"  # 大河镇小河村
    assert "黑猪" in guo.position


def test_chen_jianguo_comes_from_lihe_school_to_teach_at_gulou_primary(demo):
    chen = Posting.objects.select_related("home_org", "host_org").get(
        partnership=demo, person_name="陈建国"
    )
    assert (chen.direction, chen.category) == ("e2w", "education")
    assert chen.home_org.name == "武进区礼河实验学校"
    assert chen.host_org.name == "汉滨区鼓楼小学"
