"""The report's figures, and how the demo reads each one.

Source: 《苏陕一家亲 携手共振兴——汉滨区与武进区对口协作帮扶纪实》 (../shared/source/
article-hanbin-wujin.txt), written in 2022: its "去年" is 2021 and its "累计" figures run
from 2017 to the time of writing (spring 2022).

Where the report says "余" (more than), the demo picks a figure just above the round
number, so that the dashboard reads the same as the report ("35000余个" → 35,260). The
tests check each figure both exactly (the chosen value) and against the report's wording.
"""

from decimal import Decimal

WUJIN = "320412"  # 武进区, Changzhou, Jiangsu (east)
HANBIN = "610902"  # 汉滨区, Ankang, Shaanxi (west)
SINCE_YEAR = 2017  # "2017年以来"
REPORT_YEAR = 2021  # "去年": the year most of the report's annual figures belong to
YEARS = range(2017, 2023)  # 2022 holds January–April only (the report's time of writing)

# --- Pairings: "两地26对镇村、企业、学校达成结对关系" ------------------------------------
# 26 pairings active at the end of 2021 (and still in 2022), none county-level (the county
# pair is the Partnership itself). The split by level is the demo's choice.
PAIRINGS = {"town": 10, "village": 8, "enterprise_village": 5, "school": 3}
PAIRINGS_SIGNED_PER_YEAR = {2017: 4, 2018: 5, 2019: 5, 2020: 6, 2021: 6}  # 26

# --- Postings: persons, cumulative to the end of 2021 (no new person in 2022) -----------
# "汉滨区累计选派27名干部和67名专业技术人员到武进区交流挂职，武进区累计选派了85名专业技术人员来汉滨"
# The report gives no count of Wujin cadres posted to Hanbin: the demo chooses 16 (about
# three a year since 2017).
# "双方人才交流累计达300余人次": person-times, i.e. postings counted with repeats (a doctor
# or teacher coming back for a second round counts twice). The demo chooses 306 postings
# from 2017 to April 2022; some repeats fall in early 2022, so 2022 has postings too while
# the cumulative persons stay the report's.
POSTING_PERSONS = {
    ("w2e", "cadre"): 27,
    ("w2e", "professional"): 67,
    ("e2w", "professional"): 85,
    ("e2w", "cadre"): 16,  # chosen
}
POSTING_TIMES = {  # postings (person-times) per group, 306 in all ("300余人次")
    ("w2e", "cadre"): 27,
    ("w2e", "professional"): 98,
    ("e2w", "professional"): 163,
    ("e2w", "cadre"): 18,
}

# --- Funds and consumption, 2021 -------------------------------------------------------
# "通过电商办、832平台等…共同大力推进消费帮扶再创新高，特色农产品采购、帮助销售汉滨区农畜产品
# 项目和2021年苏陕协作帮扶资金9965.11万元，经过国家认定的扶贫产品金额达3498.43万元" — the sentence
# sits in the paragraph on consumption assistance, between its channels (电商, 832平台) and
# its certified products, so the demo reads 9965.11 万元 as the year's 消费帮扶: products of
# Hanbin bought by the east (采购) and sold with its help (帮助销售), of which the certified
# products (国家认定扶贫产品) are 3498.43 万元. The report gives no aid-fund total for 2021:
# the demo's 4,800.00 万元 is invented (a round, agreement-like figure for the county).
SALES_2021 = Decimal("9965.11")
AID_FUNDS_2021 = Decimal("4800.00")
CERTIFIED_2021 = Decimal("3498.43")
AID_FUNDS_PER_YEAR = {  # other years: the demo's choice, growing as the programme grew
    2017: Decimal("1500.00"),
    2018: Decimal("2600.00"),
    2019: Decimal("3800.00"),
    2020: Decimal("4500.00"),
    2021: AID_FUNDS_2021,
    2022: Decimal("5100.00"),
}
SALES_PER_YEAR = {  # (amount, certified), 万元; 2022 January–April
    2017: (Decimal("820.40"), Decimal("402.15")),
    2018: (Decimal("1460.72"), Decimal("790.38")),
    2019: (Decimal("2610.05"), Decimal("1502.66")),
    2020: (Decimal("3988.90"), Decimal("2541.27")),
    2021: (SALES_2021, CERTIFIED_2021),
    2022: (Decimal("1620.35"), Decimal("1096.80")),
}
PROJECTS_PER_YEAR = {2017: 12, 2018: 16, 2019: 22, 2020: 26, 2021: 30, 2022: 24}

# --- Labour, 2021 ------------------------------------------------------------------------
# "劳务协作共帮助完成劳动力转移就业1043人": workers whose employment began in 2021.
# "近三年来…共有2000余人到常州市武进区、金坛区等地就业": the workers placed in Jiangsu in
# 2019–2021; the demo chooses 612 + 655 + 786 = 2,053.
TRANSFERS = {  # year: (workers transferred, of whom to Jiangsu)
    2019: (640, 612),
    2020: (702, 655),
    2021: (1043, 786),
    2022: (380, 260),  # January–April
}

# "汉滨区共举办苏陕协作招聘会4场次，提供岗位共35000余个，达成就业意向共2400余人，通过招聘会实现
# 初次就业700余人，实现稳定就业500余人" — "余" read as a little more than the round number:
# the 4 fairs of plan.py offer 35,260 jobs, 2,436 intentions, 712 hired, 503 stable.

# "高级研修班，全年举办5期，培训98人次 … 举办其他苏陕协作培训班2期，参加培训共62人"
ADVANCED_COURSES_2021 = [20, 19, 21, 18, 20]  # 5 courses, 98 trainees
OTHER_COURSES_2021 = [30, 32]  # 2 courses, 62 trainees
# "互联网营销师…从2021年8月起，已经陆续培训400余人，培训结业后推荐江苏及本地就业达30%以上":
# 412 trainees in courses from August 2021 to April 2022, 126 employed afterwards (30.6%).
ECOMMERCE_COURSES = [  # (start, trainees, employed afterwards)
    ("2021-08-09", 52, 16),
    ("2021-09-13", 48, 15),
    ("2021-10-18", 50, 15),
    ("2021-11-15", 46, 14),
    ("2021-12-13", 44, 13),
    ("2022-01-10", 40, 12),
    ("2022-03-07", 66, 21),
    ("2022-04-11", 66, 20),
]

# "全区已建成各类新社区工厂185家…累计带动就业13000余人以上": 185 factories open at the end of
# 2021, employing 13,050 (the demo's reading of "13000余人").
FACTORIES = 185
FACTORY_JOBS = 13050
FACTORIES_OPENED_PER_YEAR = {2017: 22, 2018: 31, 2019: 38, 2020: 46, 2021: 48}  # 185

# --- Industry ----------------------------------------------------------------------------
# "2021年以来，新城地产吾悦广场二期、星庐茶业、台升祥、苏陕文创电绣等5个汉滨项目落户汉滨，全部完成
# 投资51739万元": 5 investments signed in 2021 whose investment arrived (实际到位) totals
# 51,739 万元. The report names four; the demo takes the 立华牧业 pig farm as the fifth. Its
# total (agreed) investment is 4.6 亿元 = 46,000 万元, still being built in 2022, so only part
# of it has arrived: 14,000 万元. The other arrivals are the demo's choice.
PIG_FARM_AGREED = Decimal("46000")  # 4.6 亿元
PIG_FARM_LAND_MU = Decimal("350")
PIG_FARM_PLACE = "关山镇魏埭村"  # not in the official code list: recorded as text

# "园区累计带动脱贫户1800余人": the demo chooses 1,826 poverty-exited beneficiaries.
SEEDLING_POVERTY_EXITED = 1826
# The same park as a co-built agricultural park (共建产业园区) with its yearly jobs. The
# report gives neither its opening date nor its yearly figures: the demo opens it in April
# 2019 and reads "累计带动脱贫户1800余人" as the sum of its yearly jobs of poverty-exited
# workers over 2019–2021, 486 + 612 + 728 = 1,826 (the seedling project's 1,826). The
# yearly totals of jobs are invented too.
PARK_NAME = "汉滨区忠诚现代农业园区"
PARK_VILLAGE = "610902004213"  # 建民街道忠诚村
PARK_ESTABLISHED = "2019-04-01"  # invented
PARK_YEARS = {  # year: (jobs, of them poverty-exited workers)
    2019: (820, 486),
    2020: (1050, 612),
    2021: (1240, 728),
}

# --- Demonstration villages (携手促振兴) ---------------------------------------------------
# The report names none: every one of these is invented (villages of the code list, funds in
# 万元) so that the figures show. (year, village code, cooperation funds)
DEMONSTRATION_VILLAGES = [
    (2021, "610902004213", Decimal("200.00")),  # 建民街道忠诚村
    (2021, "610902115208", Decimal("120.00")),  # 大河镇小河村
    (2021, "610902107201", Decimal("150.00")),  # 恒口镇新兴村
    (2022, "610902124222", Decimal("180.00")),  # 石梯镇青套村
]
SCHOLARSHIP = Decimal("100")  # 常州华森医疗器械有限公司 → 汉滨区教体局, 万元

# "吸引13批50余家企业先后来汉滨实地考察": 13 visits with enterprises, 53 enterprises.
VISITS_WITH_ENTERPRISES = 13
VISIT_ENTERPRISES = 53
