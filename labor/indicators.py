"""Figures of labour cooperation, declared for the figures engine (cooperation/dashboard/indicators.py).

Worker figures count persons (WorkerYear rows: one per worker and year, maintained by
labor/services.py), never spells. `town` is the worker's home town (户籍镇) for worker
figures and the town where a fair, course or factory is for the others. Each `list_url`
opens the list whose rows add up to the figure (labor/filters.py)."""

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cooperation.dashboard.indicators import (
    Group,
    Source,
    count,
    declare,
    distinct,
    in_town,
    list_link,
    mean,
    per_year,
    sentences,
    total,
)

from .models import TrainingCourse, Worker, WorkerYear
from .querysets import factory_in_operation_at_end_q

PERSONS = _("人")


WORKER_YEARS = Source(
    "worker_years",
    "labor.WorkerYear",
    rows=lambda year: Q(year=year),
    town=lambda code: Q(home_town_id=code),
    # A month: the workers transferred in it (their first new spell of the year began then).
    month=lambda year, month: Q(transferred=True, transferred_month=month),
)
JOB_FAIRS = Source(
    "job_fairs",
    "labor.JobFair",
    rows=lambda year: Q(date__year=year),
    town=in_town,
    month=lambda year, month: Q(date__month=month),
)
COURSES = Source(
    "courses",
    "labor.TrainingCourse",
    rows=lambda year: Q(start_date__year=year),  # a course counts in the year it opens
    town=in_town,
    month=lambda year, month: Q(start_date__month=month),
)
FACTORIES = Source(
    "factories",
    "labor.CommunityFactory",
    rows=factory_in_operation_at_end_q,
    town=in_town,
    month=lambda year, month: Q(opened_on__year=year, opened_on__month=month),
)
# One WorkerYear row per worker and year (a unique constraint): in a year its rows are
# persons, and COUNT(*) counts them without the sort a distinct count needs; over a range of
# years they are person-years, so a person is counted once by their worker.
PERSON = per_year(count(), over_years=distinct("worker"))
TRANSFERRED = Q(transferred=True)

# --- Transfer of rural labour (转移就业) ------------------------------------------------------

declare(
    key="labor.transferred",
    label=_("农村劳动力转移就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=50,
    headline=True,
    source=WORKER_YEARS,
    measure=PERSON,
    where=TRANSFERRED,
    list_url=list_link("labor:workers", transferred=1),
    description=_(
        "本年度有就业记录开始（转移就业）的务工人员人数，同一人多段就业只计一人。"
        "按镇：户籍镇；按月：本年度第一段就业开始的月份。"
    ),
)
declare(
    key="labor.transferred_poverty_exited",
    label=_("其中：脱贫劳动力转移就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=51,
    source=WORKER_YEARS,
    measure=PERSON,
    where=TRANSFERRED & Q(household=Worker.Household.POVERTY_EXITED),
    list_url=list_link(
        "labor:workers", transferred=1, household=Worker.Household.POVERTY_EXITED.value
    ),
    description=_("本年度转移就业人数中户类型为脱贫户的人数（按务工人员当前登记的户类型）。"),
)
declare(
    key="labor.transferred_east",
    label=_("其中：转移到东部协作省份就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=52,
    source=WORKER_YEARS,
    measure=PERSON,
    where=TRANSFERRED & Q(transferred_east=True),
    list_url=list_link("labor:workers", transferred=1, transferred_east=1),
    description=_(
        "本年度转移就业人数中，本年度开始的某段就业的就业地位于协作关系东部地区所在省份的人数"
        "（就业地区划代码前2位等于东部地区代码前2位）。"
    ),
)
declare(
    key="labor.stable",
    label=_("稳定就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=53,
    by_month=False,
    source=WORKER_YEARS,
    measure=PERSON,
    where=Q(stable=True),
    list_url=list_link("labor:workers", stable=1),
    description=_(
        "本年度内就业天数（多段就业重叠的日子只计一次；未结束的就业计至12月31日或今天，取较早者）"
        "达到“稳定就业月数”（设置 STABLE_EMPLOYMENT_MONTHS，默认3）×30天的人数，不论哪年开始就业。"
    ),
)
# Of the poverty-exited workers (脱贫劳动力), as the assessment asks (稳岗, 转移到东部).
POVERTY_EXITED = Q(household=Worker.Household.POVERTY_EXITED)
declare(
    key="labor.transferred_east_poverty_exited",
    label=_("其中：脱贫劳动力转移到东部协作省份就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=55,
    source=WORKER_YEARS,
    measure=PERSON,
    where=TRANSFERRED & Q(transferred_east=True) & POVERTY_EXITED,
    list_url=list_link(
        "labor:workers",
        transferred=1,
        transferred_east=1,
        household=Worker.Household.POVERTY_EXITED.value,
    ),
    description=_(
        "转移到东部协作省份就业人数中户类型为脱贫户的人数（按务工人员当前登记的户类型）。"
    ),
)
declare(
    key="labor.stable_poverty_exited",
    label=_("其中：脱贫劳动力稳定就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=56,
    by_month=False,
    source=WORKER_YEARS,
    measure=PERSON,
    where=Q(stable=True) & POVERTY_EXITED,
    list_url=list_link("labor:workers", stable=1, household=Worker.Household.POVERTY_EXITED.value),
    description=_("稳定就业人数中户类型为脱贫户的人数（稳岗；按务工人员当前登记的户类型）。"),
)
# Where the transferred went (the assessment's 转移到东部协作省份 / 省内就近 / 其他地区), one
# place per person (labor.rules.destination_of): the three add up to labor.transferred.
_DESTINATION_RULE = _(
    "本年度开始的各段就业中，有就业地位于东部协作省份的计入“东部协作省份”；否则有位于本省"
    "（协作关系西部地区所在省份，区划代码前2位相同）的计入“省内就近”；其余（外省，或未登记就业地）"
    "计入“其他地区”。一人只计一处，三者之和等于转移就业人数。"
)
for destination, label, poverty_label in (
    (
        WorkerYear.Destination.HOME,
        _("其中：省内就近转移就业人数"),
        _("其中：脱贫劳动力省内就近转移就业人数"),
    ),
    (
        WorkerYear.Destination.ELSEWHERE,
        _("其中：转移到其他地区就业人数"),
        _("其中：脱贫劳动力转移到其他地区就业人数"),
    ),
):
    went = TRANSFERRED & Q(transfer_destination=destination)
    declare(
        key=f"labor.transferred_{destination}",
        label=label,
        unit=PERSONS,
        group=Group.LABOUR,
        order=52,
        source=WORKER_YEARS,
        measure=PERSON,
        where=went,
        list_url=list_link("labor:workers", transferred=1, destination=destination.value),
        description=sentences(
            format_lazy(_("本年度转移就业人数中去向为“{place}”的人数。"), place=destination.label),
            _DESTINATION_RULE,
        ),
    )
    declare(
        key=f"labor.transferred_{destination}_poverty_exited",
        label=poverty_label,
        unit=PERSONS,
        group=Group.LABOUR,
        order=55,
        source=WORKER_YEARS,
        measure=PERSON,
        where=went & POVERTY_EXITED,
        list_url=list_link(
            "labor:workers",
            transferred=1,
            destination=destination.value,
            household=Worker.Household.POVERTY_EXITED.value,
        ),
        description=sentences(
            format_lazy(
                _("去向为“{place}”的转移就业人数中户类型为脱贫户的人数（按当前登记的户类型）。"),
                place=destination.label,
            ),
            _DESTINATION_RULE,
        ),
    )

declare(
    key="labor.average_wage",
    label=_("转移就业人员月均工资"),
    unit=_("元"),
    group=Group.LABOUR,
    order=54,
    decimals=2,
    additive=False,
    source=WORKER_YEARS,
    measure=mean("monthly_wage", 2),
    where=TRANSFERRED,
    list_url=list_link("labor:workers", transferred=1),
    description=_(
        "本年度转移就业人员的月工资平均数：先取每人本年度各段就业月工资的平均，再对人平均；"
        "未填工资的人不计入。单位：元，保留两位小数。所链接的务工人员名单列出每人本年度的月工资，"
        "名单的本年度月均工资即本数。"
    ),
)


# --- Job fairs, training, community factories: one column of their records each -------------


def _declare_columns(source, url_name, note, rows):
    """One figure for each row (key, label, unit, order, measure, description), summed over
    the records of `source` and opening the list `url_name`. A row may end with the
    {field: value} that narrows both its records and its list. `note` — how the records
    fall in years, months and towns — ends every description."""
    for key, label, unit, order, measure, doc, *narrowed in rows:
        fixed = narrowed[0] if narrowed else {}
        declare(
            key=key,
            label=label,
            unit=unit,
            group=Group.LABOUR,
            order=order,
            source=source,
            measure=measure,
            where=Q(**fixed) if fixed else None,
            list_url=list_link(url_name, **fixed),
            description=sentences(doc, note),
        )


_declare_columns(JOB_FAIRS, "labor:job_fairs", _("按镇：举办镇；按月：举办日期所在月份。"), [
    ("labor.job_fairs", _("举办招聘会"), _("场次"), 60, count(), _("本年度举办的招聘会场次。")),
    ("labor.jobs_offered", _("招聘会提供岗位"), _("个"), 61, total("jobs_offered"),
     _("本年度各场招聘会提供岗位数之和。")),
    ("labor.intentions", _("招聘会达成就业意向"), PERSONS, 62, total("intentions"),
     _("本年度各场招聘会达成就业意向人数之和。")),
    ("labor.hired", _("通过招聘会实现初次就业"), PERSONS, 63, total("hired"),
     _("本年度各场招聘会实现初次就业人数之和（招聘会台账填报数）。")),
    ("labor.hired_stable", _("通过招聘会实现稳定就业"), PERSONS, 64, total("stable"),
     _("本年度各场招聘会“其中稳定就业”人数之和（招聘会台账填报数）。")),
])  # fmt: skip

ADVANCED_ONLY = {"kind": TrainingCourse.Kind.ADVANCED.value}
ECOMMERCE_ONLY = {"kind": TrainingCourse.Kind.ECOMMERCE.value}
_declare_columns(COURSES, "labor:courses", _("培训班按开班日期计入年度和月份；按镇：举办镇。"), [
    ("labor.courses", _("举办培训班"), _("期"), 70, count(), _("本年度开班的培训班期数。")),
    ("labor.trainees", _("培训人数"), _("人次"), 71, total("trainees"),
     _("本年度开班的各期培训班培训人数之和（人次：一人参加两期计两次）。")),
    ("labor.certified", _("培训合格（取得证书）"), _("人次"), 72, total("certified"),
     _("本年度开班的各期培训班取得证书（合格）人数之和。")),
    ("labor.employed_after_training", _("培训后实现就业"), _("人次"), 73, total("employed_after"),
     _("本年度开班的各期培训班培训后就业人数之和。")),
    ("labor.advanced_courses", _("其中：高级研修班"), _("期"), 74, count(),
     _("本年度开班的高级研修班期数。"), ADVANCED_ONLY),
    ("labor.advanced_trainees", _("高级研修班培训人数"), _("人次"), 75, total("trainees"),
     _("本年度开班的高级研修班培训人数之和。"), ADVANCED_ONLY),
    ("labor.ecommerce_trainees", _("互联网营销师培训人数"), _("人次"), 76, total("trainees"),
     _("本年度开班的互联网营销师培训班培训人数之和。"), ECOMMERCE_ONLY),
])  # fmt: skip

_declare_columns(FACTORIES, "labor:factories", _(
    "年底在产：投产日期不晚于12月31日且未在当日或之前停产。按镇：工厂所在镇；"
    "按月：当年该月投产且年底在产的工厂。"
), [
    ("labor.factories", _("新社区工厂（年底在产）"), _("家"), 80, count(),
     _("年底在产的新社区工厂家数。")),
    ("labor.factory_jobs", _("新社区工厂吸纳就业"), PERSONS, 81, total("jobs"),
     _("年底在产的新社区工厂吸纳就业人数之和（工厂台账填报数）。")),
    ("labor.factory_jobs_poverty_exited", _("其中：吸纳脱贫劳动力"), PERSONS, 82,
     total("poverty_exited_jobs"), _("年底在产的新社区工厂吸纳脱贫劳动力人数之和（工厂台账填报数）。")),
])  # fmt: skip
