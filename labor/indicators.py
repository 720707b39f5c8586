"""Figures of labour cooperation, registered in the shared registry (cooperation.indicators).

Worker figures count persons (WorkerYear rows: one per worker and year, maintained by
labor/services.py), never spells. `town` is the worker's home town (户籍镇) for worker
figures and the town where a fair, course or factory is for the others. Each figure is one
aggregate query; its `list_url` opens the list whose rows add up to it (labor/filters.py)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cooperation.indicators import Group, list_link, register

from .models import CommunityFactory, JobFair, TrainingCourse, Worker, WorkerYear

PERSONS = _("人")


def _worker_years(partnership, year, town=None, month=None):
    """The year rows of the partnership's workers; with `month`, those transferred in it."""
    qs = WorkerYear.objects.for_partnership(partnership).in_year(year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.transferred(month=month)
    return qs


# --- Transfer of rural labour (转移就业) ------------------------------------------------------


@register(
    key="labor.transferred",
    label=_("农村劳动力转移就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=50,
    list_url=list_link("labor:workers", transferred=1),
)
def transferred(partnership, year, town=None, month=None):
    """本年度有就业记录开始（转移就业）的务工人员人数，同一人多段就业只计一人。按镇：户籍镇；
    按月：本年度第一段就业开始的月份。"""
    return _worker_years(partnership, year, town, month).transferred().person_count()


@register(
    key="labor.transferred_poverty_exited",
    label=_("其中：脱贫劳动力转移就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=51,
    list_url=list_link(
        "labor:workers", transferred=1, household=Worker.Household.POVERTY_EXITED.value
    ),
)
def transferred_poverty_exited(partnership, year, town=None, month=None):
    """本年度转移就业人数中户类型为脱贫户的人数（按务工人员当前登记的户类型）。"""
    qs = _worker_years(partnership, year, town, month).transferred().poverty_exited()
    return qs.person_count()


@register(
    key="labor.transferred_east",
    label=_("其中：转移到东部协作省份就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=52,
    list_url=list_link("labor:workers", transferred=1, transferred_east=1),
)
def transferred_east(partnership, year, town=None, month=None):
    """本年度转移就业人数中，本年度开始的某段就业的就业地位于协作关系东部地区所在省份的人数
    （就业地区划代码前2位等于东部地区代码前2位）。"""
    qs = _worker_years(partnership, year, town, month).transferred().transferred_east()
    return qs.person_count()


@register(
    key="labor.stable",
    label=_("稳定就业人数"),
    unit=PERSONS,
    group=Group.LABOUR,
    order=53,
    by_month=False,
    list_url=list_link("labor:workers", stable=1),
)
def stable(partnership, year, town=None, month=None):
    """本年度内就业天数（多段就业重叠的日子只计一次；未结束的就业计至12月31日或今天，取较早者）
    达到“稳定就业月数”（设置 STABLE_EMPLOYMENT_MONTHS，默认3）×30天的人数，不论哪年开始就业。"""
    return _worker_years(partnership, year, town).stable().person_count()


@register(
    key="labor.average_wage",
    label=_("转移就业人员月均工资"),
    unit=_("元"),
    group=Group.LABOUR,
    order=54,
    decimals=2,
    list_url=list_link("labor:workers", transferred=1),
)
def average_wage(partnership, year, town=None, month=None):
    """本年度转移就业人员的月工资平均数：先取每人本年度各段就业月工资的平均，再对人平均；
    未填工资的人不计入。单位：元，保留两位小数。所链接的务工人员名单列出每人本年度的月工资，
    名单的本年度月均工资即本数。"""
    wage = _worker_years(partnership, year, town, month).transferred().average_wage()
    return Decimal("0.00") if wage is None else wage


# --- Job fairs (招聘会) -----------------------------------------------------------------------


def _fairs(partnership, year, town=None, month=None):
    qs = JobFair.objects.for_partnership(partnership).in_year(year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.in_month(month)
    return qs


def _fair_indicator(key, label, unit, column, order, doc):
    def compute(partnership, year, town=None, month=None):
        return _fairs(partnership, year, town, month).totals()[column]

    compute.__doc__ = doc
    register(
        key=key,
        label=label,
        unit=unit,
        group=Group.LABOUR,
        order=order,
        list_url=list_link("labor:job_fairs"),
    )(compute)


_FAIR_SCOPE = "按镇：举办镇；按月：举办日期所在月份。"
_fair_indicator(
    "labor.job_fairs",
    _("举办招聘会"),
    _("场次"),
    "fairs",
    60,
    "本年度举办的招聘会场次。" + _FAIR_SCOPE,
)
_fair_indicator(
    "labor.jobs_offered",
    _("招聘会提供岗位"),
    _("个"),
    "jobs_offered",
    61,
    "本年度各场招聘会提供岗位数之和。" + _FAIR_SCOPE,
)
_fair_indicator(
    "labor.intentions",
    _("招聘会达成就业意向"),
    PERSONS,
    "intentions",
    62,
    "本年度各场招聘会达成就业意向人数之和。" + _FAIR_SCOPE,
)
_fair_indicator(
    "labor.hired",
    _("通过招聘会实现初次就业"),
    PERSONS,
    "hired",
    63,
    "本年度各场招聘会实现初次就业人数之和（招聘会台账填报数）。" + _FAIR_SCOPE,
)
_fair_indicator(
    "labor.hired_stable",
    _("通过招聘会实现稳定就业"),
    PERSONS,
    "stable",
    64,
    "本年度各场招聘会“其中稳定就业”人数之和（招聘会台账填报数）。" + _FAIR_SCOPE,
)


# --- Training (培训) --------------------------------------------------------------------------


def _courses(partnership, year, town=None, month=None):
    qs = TrainingCourse.objects.for_partnership(partnership).in_year(year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.in_month(month)
    return qs


def _course_indicator(key, label, unit, column, order, doc, kind=None):
    def compute(partnership, year, town=None, month=None):
        qs = _courses(partnership, year, town, month)
        if kind is not None:
            qs = qs.of_kind(kind)
        return qs.totals()[column]

    compute.__doc__ = doc
    fixed = {"kind": kind} if kind else {}
    register(
        key=key,
        label=label,
        unit=unit,
        group=Group.LABOUR,
        order=order,
        list_url=list_link("labor:courses", **fixed),
    )(compute)


_COURSE_SCOPE = "培训班按开班日期计入年度和月份；按镇：举办镇。"
_course_indicator(
    "labor.courses",
    _("举办培训班"),
    _("期"),
    "courses",
    70,
    "本年度开班的培训班期数。" + _COURSE_SCOPE,
)
_course_indicator(
    "labor.trainees",
    _("培训人数"),
    _("人次"),
    "trainees",
    71,
    "本年度开班的各期培训班培训人数之和（人次：一人参加两期计两次）。" + _COURSE_SCOPE,
)
_course_indicator(
    "labor.certified",
    _("培训合格（取得证书）"),
    _("人次"),
    "certified",
    72,
    "本年度开班的各期培训班取得证书（合格）人数之和。" + _COURSE_SCOPE,
)
_course_indicator(
    "labor.employed_after_training",
    _("培训后实现就业"),
    _("人次"),
    "employed_after",
    73,
    "本年度开班的各期培训班培训后就业人数之和。" + _COURSE_SCOPE,
)
_course_indicator(
    "labor.advanced_courses",
    _("其中：高级研修班"),
    _("期"),
    "courses",
    74,
    "本年度开班的高级研修班期数。" + _COURSE_SCOPE,
    kind=TrainingCourse.Kind.ADVANCED.value,
)
_course_indicator(
    "labor.advanced_trainees",
    _("高级研修班培训人数"),
    _("人次"),
    "trainees",
    75,
    "本年度开班的高级研修班培训人数之和。" + _COURSE_SCOPE,
    kind=TrainingCourse.Kind.ADVANCED.value,
)
_course_indicator(
    "labor.ecommerce_trainees",
    _("互联网营销师培训人数"),
    _("人次"),
    "trainees",
    76,
    "本年度开班的互联网营销师培训班培训人数之和。" + _COURSE_SCOPE,
    kind=TrainingCourse.Kind.ECOMMERCE.value,
)


# --- Community factories (新社区工厂) ---------------------------------------------------------


def _factories(partnership, year, town=None, month=None):
    qs = CommunityFactory.objects.for_partnership(partnership).in_operation_at_end_of(year)
    if town is not None:
        qs = qs.in_town(town)
    if month is not None:
        qs = qs.opened_in(year, month)
    return qs


def _factory_indicator(key, label, unit, column, order, doc):
    def compute(partnership, year, town=None, month=None):
        return _factories(partnership, year, town, month).totals()[column]

    compute.__doc__ = doc
    register(
        key=key,
        label=label,
        unit=unit,
        group=Group.LABOUR,
        order=order,
        list_url=list_link("labor:factories"),
    )(compute)


_FACTORY_SCOPE = (
    "年底在产：投产日期不晚于12月31日且未在当日或之前停产。按镇：工厂所在镇；"
    "按月：当年该月投产且年底在产的工厂。"
)
_factory_indicator(
    "labor.factories",
    _("新社区工厂（年底在产）"),
    _("家"),
    "factories",
    80,
    "年底在产的新社区工厂家数。" + _FACTORY_SCOPE,
)
_factory_indicator(
    "labor.factory_jobs",
    _("新社区工厂吸纳就业"),
    PERSONS,
    "jobs",
    81,
    "年底在产的新社区工厂吸纳就业人数之和（工厂台账填报数）。" + _FACTORY_SCOPE,
)
_factory_indicator(
    "labor.factory_jobs_poverty_exited",
    _("其中：吸纳脱贫劳动力"),
    PERSONS,
    "poverty_exited_jobs",
    82,
    "年底在产的新社区工厂吸纳脱贫劳动力人数之和（工厂台账填报数）。" + _FACTORY_SCOPE,
)
