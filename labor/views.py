"""Lists of the labour app: public (job fairs, training courses, community factories) and
staff-only (workers, employments: personal data).

Staff lists need a signed-in user with `labor.view_personal_data` (anonymous visitors are
sent to the login page, others get 403). Even for them, ID numbers and phones are masked in
the lists and their default exports; the full ID number is in the worker's admin page, and
in an export only when asked for with `full=1` (written to the export audit like every
personal-data export)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.dashboard.indicators import normal_since, years_of
from cooperation.lists.columns import BOOL, CHOICE, CODE, DATE, DECIMAL, INT, Column, Total
from cooperation.lists.listing import ListSpec, with_place
from cooperation.querysets import short_region_name_sql

from . import idcard
from .filters import (
    CommunityFactoryFilter,
    EmploymentFilter,
    JobFairFilter,
    TrainingCourseFilter,
    WorkerFilter,
    WorkerYearWageFilter,
    worker_facts,
)
from .models import (
    CommunityFactory,
    Employment,
    JobFair,
    TrainingCourse,
    Worker,
    WorkerYear,
    mask_phone,
)
from .privacy import PERMISSION


def _worker_extras(qs, data):
    """For a year (or period): the mean monthly wage of the listed workers' year rows that
    meet the list's conditions (WorkerFilter: transferred=1 takes the years he was
    transferred), rows without a wage left out, by the card's own rule
    (WorkerYearQuerySet.average_wage) — the dashboard's 月均工资 when transferred=1."""
    year = data.get("year")
    if year is None:
        return []
    facts = worker_facts(data)
    facts.pop("year")
    rows = WorkerYear.objects.filter(
        year__in=years_of(year, data.get("since")),
        worker__in=qs.order_by().values("pk"),
        **facts,
    )
    wage = rows.average_wage()
    label = (
        gettext("本年度月均工资（元）")
        if normal_since(year, data.get("since")) is None
        else gettext("期间月均工资（元）")
    )
    return [Total("average_wage", label, wage or 0, DECIMAL, 2)]


class WorkerListSpec(ListSpec):
    """The worker list; with a year chosen (?year=2021), the same list with the year's
    columns added (each worker's monthly wage of that year), on the page and in the
    exports: `of_year`, a list of its own at the same address."""

    def __init__(self, *, year_columns, year_filterset_class, **options):
        super().__init__(**options)
        self.of_year = ListSpec(
            **{
                **options,
                "columns": [*options["columns"], *year_columns],
                "filterset_class": year_filterset_class,
            }
        )

    @staticmethod
    def year_chosen(request):
        """A year alone (not a period: a wage is of one year)."""
        return bool(request.GET.get("year", "").strip()) and not request.GET.get("since")

    def page_view(self, request):
        if self.year_chosen(request):
            return self.of_year.page_view(request)
        return super().page_view(request)

    def export_view(self, request, fmt):
        if self.year_chosen(request):
            return self.of_year.export_view(request, fmt)
        return super().export_view(request, fmt)


worker_list = WorkerListSpec(
    name="workers",
    title=_("务工人员"),
    queryset=lambda: Worker.objects.annotate(
        home_village_short=short_region_name_sql("home_village__name")
    ),
    filterset_class=WorkerFilter,
    unit=_("人"),
    permission=PERMISSION,
    personal=True,
    columns=[
        Column("name", _("姓名")),
        Column("id_number", _("身份证号码"), CODE, mask=idcard.mask),
        Column("gender", _("性别"), CHOICE),
        Column("phone", _("手机号码"), CODE, sortable=False, mask=mask_phone),
        Column("home_town__name", _("户籍镇（街道）")),
        Column("home_village_short", _("户籍村（社区）")),
        Column("household", _("户类型"), CHOICE),
    ],
    # Annotated by WorkerYearWageFilter (WorkerQuerySet.with_year_wage).
    year_columns=[Column("year_wage", _("本年度月均工资（元）"), DECIMAL)],
    year_filterset_class=WorkerYearWageFilter,
    default_sort=["pk"],
    description=_("个人信息，仅限有权限的工作人员查看；身份证号码和手机号码在列表中部分隐藏。"),
    extras=_worker_extras,
)

employment_list = ListSpec(
    name="employments",
    title=_("就业记录"),
    queryset=lambda: Employment.objects.all(),
    filterset_class=EmploymentFilter,
    unit=_("段"),
    permission=PERMISSION,
    personal=True,
    columns=[
        Column("worker__name", _("姓名")),
        Column("worker__id_number", _("身份证号码"), CODE, mask=idcard.mask),
        Column("employer", _("就业单位")),
        Column("job", _("工种（岗位）")),
        Column("destination__name", _("就业地")),
        Column("destination_text", _("就业地（区划代码表以外）")),
        Column("in_east", _("在东部协作省份"), BOOL),
        Column("start_date", _("开始日期"), DATE),
        Column("end_date", _("结束日期"), DATE),
        Column("monthly_wage", _("月工资（元）"), DECIMAL),
        Column("channel", _("就业渠道"), CHOICE),
    ],
    default_sort=["-start_date"],
    description=_("务工人员的每段就业。个人信息，仅限有权限的工作人员查看。"),
)

job_fair_list = ListSpec(
    name="job_fairs",
    title=_("招聘会"),
    queryset=lambda: JobFair.objects.all(),
    filterset_class=JobFairFilter,
    unit=_("场"),
    columns=[
        Column("date", _("日期"), DATE),
        Column("name", _("名称")),
        Column("place", _("地点")),
        Column("town__name", _("举办镇（街道）")),
        Column("organiser", _("主办单位")),
        Column("employers", _("参会企业（家）"), INT, total=True),
        Column("jobs_offered", _("提供岗位（个）"), INT, total=True),
        Column("intentions", _("达成就业意向（人）"), INT, total=True),
        Column("hired", _("实现初次就业（人）"), INT, total=True),
        Column("stable", _("其中稳定就业（人）"), INT, total=True),
    ],
    default_sort=["-date"],
    description=_("为西部劳动力举办的招聘会及其成效。"),
)

course_list = ListSpec(
    name="courses",
    title=_("培训班"),
    queryset=lambda: TrainingCourse.objects.all(),
    filterset_class=TrainingCourseFilter,
    unit=_("期"),
    columns=[
        Column("start_date", _("开班日期"), DATE),
        Column("end_date", _("结业日期"), DATE),
        Column("name", _("培训班名称")),
        Column("kind", _("类型"), CHOICE),
        Column("organiser", _("承办单位")),
        Column("town__name", _("举办镇（街道）")),
        Column("trainees", _("培训人数（人次）"), INT, total=True),
        Column("certified", _("取得证书（人次）"), INT, total=True),
        Column("employed_after", _("培训后就业（人次）"), INT, total=True),
    ],
    default_sort=["-start_date"],
    description=_("干部、技能和电商等培训班。"),
)

factory_list = ListSpec(
    name="factories",
    title=_("新社区工厂"),
    queryset=lambda: with_place(CommunityFactory.objects.all()),
    filterset_class=CommunityFactoryFilter,
    unit=_("家"),
    columns=[
        Column("name", _("工厂名称")),
        Column("place", _("地点")),
        Column("industry", _("行业")),
        Column("opened_on", _("投产日期"), DATE),
        Column("closed_on", _("停产日期"), DATE),
        Column("jobs", _("吸纳就业（人）"), INT, total=True),
        Column("poverty_exited_jobs", _("其中脱贫劳动力（人）"), INT, total=True),
        Column("project__name", _("扶持项目")),
    ],
    default_sort=["-opened_on", "name"],
    description=_("易地搬迁安置社区的新社区工厂（帮扶车间）。选择年度时列出年底在产的工厂。"),
)

for _spec in (
    worker_list,
    worker_list.of_year,
    employment_list,
    job_fair_list,
    course_list,
    factory_list,
):
    _spec.namespace = "labor"
