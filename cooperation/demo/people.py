"""Made-up people for the demo: names drawn from common surnames and given-name characters,
and resident ID numbers that are valid (MOD 11-2 check character, real birth dates) but
invented — built by `labor.idcard.make`, never copied from anyone."""

import datetime

from labor import idcard

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵"
    "万钱严武戴孔柯储向鲁汤易常左"
)
MALE_CHARS = "伟强军磊勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林成建国志文武兵海峰春"
FEMALE_CHARS = "芳娟敏静丽艳秀英华玲霞燕红梅琴云莲慧萍凤雪琳丹晶颖倩婷蓉兰菊芬月"

# Real people named in the report. Generated names avoid them; the dispatched professionals
# 郭志平 and 陈建国 appear under their own names (postings are public record), the workers
# the report tells of appear under pseudonyms (see labour_records._story_workers).
REPORT_NAMES = {
    "郭志平",
    "陈建国",
    "韩廷勤",
    "王开菊",
    "罗尚丹",
    "张晓华",
    "顾芝红",
    "吴亚君",
    "范传斌",
}


def make_name(rng, female=None):
    """A plausible two- or three-character name; `female` picks the given-name pool."""
    if female is None:
        female = rng.random() < 0.5
    pool = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    name = rng.choice(SURNAMES) + given
    return make_name(rng, female) if name in REPORT_NAMES else name


def birth_date(rng, first_year, last_year):
    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


class IdNumbers:
    """Unique made-up ID numbers for one area code. Numbers already in the database (or
    handed out before) are skipped, so loads stay unique across partnerships and runs."""

    # People born before 1988 often still carry a number issued under 安康县/市's old code.
    OLD_CODES = {"610902": "612401"}

    def __init__(self, area, taken=()):
        self.area = area
        self.taken = set(taken)
        self.area_codes = sorted({area, self.OLD_CODES.get(area, area)})

    def make(self, rng, born, female):
        area = self.OLD_CODES.get(self.area, self.area) if born.year < 1988 else self.area
        if born.year < 1988 and rng.random() < 0.5:
            area = self.area  # reissued with the new code
        while True:
            seq = rng.randrange(1, 998)
            if seq % 2 != (0 if female else 1):
                seq += 1
            number = idcard.make(area, born, seq)
            if number not in self.taken:
                self.taken.add(number)
                return number
