"""The core app's indicators: people exchange (postings, visits, cadre training) and pairings, declared for
the figures engine (cooperation/dashboard/indicators.py). A town is the western end of a record."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.dashboard.indicators import (
    DURATION,
    INTEGER,
    Group,
    Measure,
    Source,
    count,
    declare,
    distinct,
    list_link,
    sentences,
    total,
)
from cooperation.models import CadreTraining, Direction, Posting, Visit
from cooperation.querysets import (
    average_months,
    days_on_post_in,
    pairing_active_q,
    pairing_in_town_q,
    posted_person,
    posting_in_town_q,
    posting_on_post_during_q,
    posting_on_post_q,
    year_end,
)

POSTINGS = Source(
    "postings",
    "cooperation.Posting",
    # Arrived by the end of the year: cumulative figures count every year before too.
    rows=lambda year: Q(start_date__lte=year_end(year)),
    town=posting_in_town_q,
    month=lambda year, month: Q(start_date__year=year, start_date__month=month),
)
PAIRINGS = Source(
    "pairings",
    "cooperation.Pairing",
    rows=lambda year: Q(signed_on__lte=year_end(year)),
    town=pairing_in_town_q,
    month=lambda year, month: Q(signed_on__year=year, signed_on__month=month),
)
VISITS = Source(
    "visits",
    "cooperation.Visit",
    rows=lambda year: Q(date__year=year),
    month=lambda year, month: Q(date__month=month),
)
CADRE_TRAININGS = Source(
    "cadre_trainings",
    "cooperation.CadreTraining",
    rows=lambda year: Q(start_date__year=year),
    month=lambda year, month: Q(start_date__month=month),
)

PROFESSIONALS = [c.value for c in Posting.PROFESSIONAL_CATEGORIES]
_TOWN = _("按镇筛选时按西部一端（西部派出单位或西部接收单位）所在镇。")


def _posting_indicator(key, label, direction, categories, order):
    kind = "cadre" if categories == ["cadre"] else "professional"
    declare(
        key=key,
        label=label,
        unit=_("人"),
        group=Group.PEOPLE,
        order=order,
        source=POSTINGS,
        measure=distinct(posted_person()),
        where=Q(direction=direction, category__in=categories),
        headline=key == "postings.cadres_e2w",
        list_url=list_link("cooperation:postings", direction=direction, kind=kind, cumulative=1),
        description=format_lazy(
            _(
                "截至年底累计选派人数（{direction}）：同一人（姓名与派出单位相同）"
                "多次选派只计一人；{town}按月筛选时为当月到岗人数。"
            ),
            direction=Direction(direction).label,
            town=_TOWN,
        ),
    )


_posting_indicator(
    "postings.cadres_w2e",
    _("西部选派到东部挂职干部（累计）"),
    Direction.WEST_TO_EAST,
    ["cadre"],
    10,
)
_posting_indicator(
    "postings.professionals_w2e",
    _("西部选派到东部专业技术人才（累计）"),
    Direction.WEST_TO_EAST,
    PROFESSIONALS,
    11,
)
_posting_indicator(
    "postings.cadres_e2w",
    _("东部选派到西部挂职干部（累计）"),
    Direction.EAST_TO_WEST,
    ["cadre"],
    12,
)
_posting_indicator(
    "postings.professionals_e2w",
    _("东部选派到西部专业技术人才（累计）"),
    Direction.EAST_TO_WEST,
    PROFESSIONALS,
    13,
)

# Newly posted in the year, by direction and category, as the assessment counts them.
NEW_POSTINGS = [  # (key part, label, categories, the list's filter)
    ("cadres", _("本年度新选派党政干部"), ["cadre"], {"kind": "cadre"}),
    ("professionals", _("本年度新选派专业技术人才"), PROFESSIONALS, {"kind": "professional"}),
    ("teachers", _("其中教师"), ["education"], {"category": "education"}),
    ("doctors", _("其中医生"), ["medical"], {"category": "medical"}),
    ("agronomists", _("其中农业技术人员"), ["agriculture"], {"category": "agriculture"}),
    (
        "other_professionals",
        _("其中其他专业技术人才"),
        [c.value for c in Posting.OTHER_PROFESSIONAL_CATEGORIES],
        {"kind": "other_professional"},
    ),
]


def _new_postings_indicators(direction, first_order):
    for i, (part, label, categories, fixed) in enumerate(NEW_POSTINGS):
        declare(
            key=f"postings.new_{part}_{direction}",
            label=format_lazy(
                pgettext_lazy("a direction, then a figure", "{direction}：{label}"),
                direction=Direction(direction).label,
                label=label,
            ),
            unit=_("人"),
            group=Group.PEOPLE,
            order=first_order + i,
            source=POSTINGS,
            measure=distinct(posted_person()),
            where=lambda year, categories=categories: Q(
                start_date__year=year, direction=direction, category__in=categories
            ),
            list_url=list_link("cooperation:postings", direction=direction, **fixed),
            description=sentences(_("本年度到岗的选派人数（同一人本年度两次到岗计一人）。"), _TOWN),
        )


_new_postings_indicators(Direction.EAST_TO_WEST, 30)
_new_postings_indicators(Direction.WEST_TO_EAST, 40)

declare(
    key="postings.person_times_in_year",
    label=_("本年度选派干部人才人次"),
    unit=_("人次"),
    group=Group.PEOPLE,
    order=14,
    source=POSTINGS,
    measure=count(),
    where=lambda year: Q(start_date__year=year),
    list_url=list_link("cooperation:postings"),
    description=sentences(
        _("本年度到岗的选派人次（双向，干部与专业技术人才合计）；一人两次计两人次。"), _TOWN
    ),
)

declare(
    key="postings.on_post_at_year_end",
    label=_("年底在岗选派干部人才"),
    unit=_("人"),
    group=Group.PEOPLE,
    order=15,
    by_month=False,
    source=POSTINGS,
    measure=distinct(posted_person()),
    where=lambda year: posting_on_post_q(year_end(year)),
    list_url=list_link("cooperation:postings", on_post_at_year_end=1),
    description=sentences(_("12月31日仍在岗（已到岗、未离岗）的选派人员人数（双向合计）。"), _TOWN),
)


def _average_months():
    def parts(where, year):
        return {"days": Sum(days_on_post_in(year), filter=where), "n": Count("pk", filter=where)}

    def finish(values):
        months = average_months(values["days"] or datetime.timedelta(0), values["n"])
        return _decimal(months if months is not None else 0)

    # Months on post within one year: a range of years has no such figure.
    return Measure(
        parts,
        finish,
        empty={"days": None, "n": 0},
        kinds={"days": DURATION, "n": INTEGER},
        over_years=None,
    )


def _decimal(number):
    return Decimal(str(number))


declare(
    key="postings.average_months",
    label=_("选派干部人才本年度平均在岗时长"),
    unit=_("月"),
    group=Group.PEOPLE,
    order=16,
    by_month=False,
    decimals=1,
    additive=False,
    source=POSTINGS,
    measure=_average_months(),
    where=posting_on_post_during_q,
    list_url=list_link("cooperation:postings", on_post_in_year=1),
    description=sentences(
        _("本年度内在岗的每人次在本年度内的在岗天数之平均，按每月30天折算为月。"), _TOWN
    ),
)

declare(
    key="pairings.active",
    label=_("年底有效结对关系"),
    unit=_("对"),
    group=Group.PAIRINGS,
    order=20,
    source=PAIRINGS,
    measure=count(),
    where=lambda year: pairing_active_q(year_end(year)),
    headline=True,
    list_url=list_link("cooperation:pairings", active_at_year_end=1),
    description=_("截至12月31日已签约且未终止的结对关系数（镇村、企业、学校、医院等各类合计）。"),
)


def _pairing_level_indicator(level, label, order):
    declare(
        key=f"pairings.{level}",
        label=label,
        unit=_("对"),
        group=Group.PAIRINGS,
        order=order,
        source=PAIRINGS,
        measure=count(),
        where=lambda year: pairing_active_q(year_end(year)) & Q(level=level),
        list_url=list_link("cooperation:pairings", active_at_year_end=1, level=level),
        description=format_lazy(_("截至12月31日有效的{label}数。"), label=label),
    )


_pairing_level_indicator("town", _("镇（街道）结对"), 21)
_pairing_level_indicator("village", _("村（社区）结对"), 22)
_pairing_level_indicator("enterprise_village", _("企业结对帮扶村"), 23)
_pairing_level_indicator("school", _("学校结对"), 24)
_pairing_level_indicator("hospital", _("医院结对"), 25)
_pairing_level_indicator("social", _("社会组织结对帮扶村"), 26)

declare(
    key="pairings.signed_in_year",
    label=_("本年度新签结对关系"),
    unit=_("对"),
    group=Group.PAIRINGS,
    order=26,
    source=PAIRINGS,
    measure=count(),
    where=lambda year: Q(signed_on__year=year),
    list_url=list_link("cooperation:pairings", signed_in_year=1),
    description=_("本年度签约的结对关系数。"),
)

declare(
    key="visits.count",
    label=_("互访考察批次"),
    unit=_("批次"),
    group=Group.PEOPLE,
    order=17,
    source=VISITS,
    measure=count(),
    list_url=list_link("cooperation:visits"),
    description=_("本年度两地互访考察的批次数（双向合计）。互访不注明镇（街道），不能按镇统计。"),
)

declare(
    key="visits.people",
    label=_("互访考察人次"),
    unit=_("人次"),
    group=Group.PEOPLE,
    order=18,
    source=VISITS,
    measure=total("people"),
    list_url=list_link("cooperation:visits"),
    description=_("本年度互访考察各批次人数之和。互访不注明镇（街道），不能按镇统计。"),
)

_NO_TOWN = _("互访不注明镇（街道），不能按镇统计。")
declare(
    key="visits.leaders",
    label=_("党政主要负责同志互访"),
    unit=_("批次"),
    group=Group.PEOPLE,
    order=19,
    source=VISITS,
    measure=count(),
    where=Q(level=Visit.Level.LEADERS),
    list_url=list_link("cooperation:visits", level=Visit.Level.LEADERS),
    description=sentences(
        _("本年度由党政主要负责同志带队的互访考察批次数（双向合计）。"), _NO_TOWN
    ),
)
declare(
    key="visits.enterprise_trips",
    label=_("组织企业考察"),
    unit=_("批次"),
    group=Group.PEOPLE,
    order=20,
    source=VISITS,
    measure=count(),
    where=Q(enterprises__gt=0),
    list_url=list_link("cooperation:visits", with_enterprises=1),
    description=sentences(_("本年度有企业随行考察的互访批次数。"), _NO_TOWN),
)
declare(
    key="visits.enterprises",
    label=_("考察企业"),
    unit=_("家次"),
    group=Group.PEOPLE,
    order=21,
    source=VISITS,
    measure=total("enterprises"),
    list_url=list_link("cooperation:visits", with_enterprises=1),
    description=sentences(
        _("本年度各批次随行考察企业数之和（同一企业考察两次计两家次）。"), _NO_TOWN
    ),
)


_NO_TOWN_TRAINING = _("干部人才培训不注明镇（街道），不能按镇统计。")


def _training_indicator(key, label, audience, order):
    declare(
        key=key,
        label=label,
        unit=_("人次"),
        group=Group.PEOPLE,
        order=order,
        source=CADRE_TRAININGS,
        measure=total("trainees"),
        where=Q(audience=audience),
        list_url=list_link("cooperation:cadre_trainings", audience=audience),
        description=sentences(
            _("本年度开班的干部人才培训班培训人次之和（在东部或西部举办合计）。"),
            _NO_TOWN_TRAINING,
        ),
    )


_training_indicator(
    "postings.trained_cadres",
    _("培训党政干部"),
    CadreTraining.Audience.CADRES,
    22,
)
_training_indicator(
    "postings.trained_professionals",
    _("培训专业技术人才"),
    CadreTraining.Audience.PROFESSIONALS,
    23,
)
