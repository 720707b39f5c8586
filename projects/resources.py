"""Spreadsheet import/export of projects (and their disbursements), investments,
consumption sales, donations, co-built parks and demonstration villages.

Columns are the fields' verbose names (what the export writes); see cooperation/imports/ for
how cells are read and rows validated."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from cooperation.imports.resources import TrackedResource
from cooperation.imports.widgets import (
    LookupWidget,
    PartnershipWidget,
    RegionWidget,
    model_field,
)
from cooperation.models import Region

from .models import (
    ConsumptionSale,
    DemonstrationVillage,
    Disbursement,
    Donation,
    IndustrialPark,
    Investment,
    Project,
    over_aid_funds_message,
)


def town_field(model, name="town"):
    return model_field(model, name, RegionWidget(level=Region.Level.TOWN, what="镇（街道）"))


def village_field(model, name="village", town="town"):
    """A village within the town of the row's `town` column, when it has one."""
    town_column = str(model._meta.get_field(town).verbose_name)
    widget = RegionWidget(level=Region.Level.VILLAGE, town_column=town_column, what="村（社区）")
    return model_field(model, name, widget)


PLACE = ("town", "village", "place_text")


# Everyday names of the place columns in county ledgers.
PLACE_SYNONYMS = {
    "town": ("所在镇", "所在镇（街道）", "乡镇", "镇", "项目所在镇"),
    "village": ("所在村", "所在村（社区）", "行政村", "村", "项目所在村"),
    "place_text": ("地点", "实施地点", "项目地点"),
}


class WesternPlaceResource(TrackedResource):
    """The records of a WesternPlace model: 镇（街道） and 村（社区） are read as regions."""

    column_synonyms = PLACE_SYNONYMS

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if field_name == "town":
            return town_field(django_field.model)
        if field_name == "village":
            return village_field(django_field.model)
        return super().field_from_django_field(field_name, django_field, readonly)

    def get_queryset(self):
        return super().get_queryset().select_related("town", "village")


class ProjectResource(WesternPlaceResource):
    implementing_org = model_field(Project, "implementing_org", LookupWidget("organisation_named"))

    natural_key = ("partnership", "fund_year", "name")
    organisation_fields = ("implementing_org",)
    column_synonyms = {
        **PLACE_SYNONYMS,
        "fund_year": ("年度", "项目年度", "资金年份"),
        "name": ("名称",),
        "category": ("类别", "项目类型"),
        "implementing_org": ("项目实施单位", "建设单位"),
        "status": ("状态", "进展", "建设状态"),
        "aid_funds": (
            "东西部协作资金（万元）",
            "苏陕协作资金（万元）",
            "财政援助资金（万元）",
            "援助资金（万元）",
            "协作资金",
        ),
        "local_funds": ("配套资金（万元）", "地方配套（万元）", "县级配套资金（万元）"),
        "other_funds": ("社会资金（万元）", "其他投入（万元）"),
        "beneficiaries": ("受益群众（人）", "受益人口", "带动人数", "受益群众"),
        "beneficiaries_poverty_exited": ("受益脱贫人口", "其中脱贫户人数", "带动脱贫人口"),
        "start_date": ("开工时间", "开始日期"),
        "end_date": ("竣工日期", "竣工时间", "完工时间"),
        "description": ("建设内容", "项目简介"),
    }
    required_columns = ("category",)

    class Meta:
        model = Project
        fields = (
            "partnership",
            "fund_year",
            "name",
            "category",
            *PLACE,
            "implementing_org",
            "status",
            "aid_funds",
            "local_funds",
            "other_funds",
            "beneficiaries",
            "beneficiaries_poverty_exited",
            "start_date",
            "end_date",
            "description",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("implementing_org")


class InvestmentResource(WesternPlaceResource):
    # The park by its name, among the parks of the row's partnership.
    park = model_field(Investment, "park", LookupWidget("park_named"))

    natural_key = ("partnership", "enterprise", "signed_on")
    column_synonyms = {
        **PLACE_SYNONYMS,
        "enterprise": ("企业", "落地企业", "招商企业"),
        "signed_on": ("签约日期", "落地日期", "签约时间"),
        "agreed": ("协议投资（万元）", "签约金额（万元）", "计划投资（万元）"),
        "arrived": ("到位资金（万元）", "实际投资（万元）", "到位投资（万元）"),
        "jobs": ("带动就业（人）", "吸纳就业人数", "就业人数"),
        "park": ("园区", "所在园区", "入驻园区名称"),
    }

    class Meta:
        model = Investment
        fields = (
            "partnership",
            "enterprise",
            "project_name",
            "industry",
            *PLACE,
            "park",
            "signed_on",
            "agreed",
            "arrived",
            "arrived_over_agreed_confirmed",
            "jobs",
            "land_mu",
            "note",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("park")

    def load_existing(self, dataset):
        super().load_existing(dataset)
        self.parks = {}
        names = self.column_values(dataset, "park")
        for park in self.in_area(IndustrialPark.objects.filter(name__in=names)):
            self.parks[(park.partnership_id, park.name)] = park

    def park_named(self, text, row):
        """A park of the row's partnership, by name (a name is unique within one)."""
        partnership = self.row_partnership(row)
        park = self.parks.get((getattr(partnership, "pk", None), text))
        if park is None:
            raise ValueError(
                gettext("园区“%(v)s”尚未登记于本协作关系，请先在“共建产业园区”中添加（或核对名称）")
                % {"v": text}
            )
        return park


class ConsumptionSaleResource(WesternPlaceResource):
    # No unique constraint on the model: a month's sales through one channel, of one
    # product category, from one seller to one buyer are one line of the 台账.
    natural_key = ("partnership", "year", "month", "channel", "product_category", "seller", "buyer")
    column_synonyms = {
        **PLACE_SYNONYMS,
        "kind": ("帮扶方式", "采购或帮助销售", "类型"),
        "channel": ("渠道", "销售方式"),
        "product_category": ("产品", "产品种类", "品类"),
        "seller": ("销售企业", "供货主体", "销售单位"),
        "buyer": ("采购单位", "购买方", "采购主体"),
        "amount": ("销售额（万元）", "金额（万元）", "采购金额（万元）", "消费帮扶金额（万元）"),
        "certified_amount": ("扶贫产品金额（万元）", "其中认定产品（万元）"),
    }

    class Meta:
        model = ConsumptionSale
        fields = (
            "partnership",
            "year",
            "month",
            "kind",
            "channel",
            "product_category",
            "seller",
            "buyer",
            *PLACE,
            "amount",
            "certified_amount",
            "note",
        )


class DonationResource(WesternPlaceResource):
    donor_org = model_field(Donation, "donor_org", LookupWidget("organisation_named"))

    natural_key = ("partnership", "donor", "recipient", "date")
    organisation_fields = ("donor_org",)
    column_synonyms = {
        **PLACE_SYNONYMS,
        "donor": ("捐赠方", "捐赠人", "捐赠单位"),
        "recipient": ("受赠方", "受捐单位", "接收单位"),
        "date": ("捐赠时间", "日期"),
        "cash": ("捐赠资金（万元）", "捐款金额（万元）", "资金（万元）"),
        "in_kind": ("捐物折款（万元）", "物资折价（万元）", "捐物（万元）", "捐赠物资（万元）"),
    }

    class Meta:
        model = Donation
        fields = (
            "partnership",
            "donor",
            "donor_org",
            "recipient",
            "date",
            *PLACE,
            "cash",
            "in_kind",
            "purpose",
        )


class ProjectKeyWidget(LookupWidget):
    """项目名称 of a disbursement: the project named by its natural key, the row's 协作关系,
    资金年度 and this name (as the projects' own file has them)."""

    def __init__(self, **kwargs):
        super().__init__("project_keyed", **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class DisbursementResource(TrackedResource):
    """资金拨付: one line per disbursement, its project named by 协作关系, 资金年度 and 项目名称
    (the project must be registered, in the importing user's areas). After writing, the
    disbursements of every project the file touched are summed in the database: a project
    paid more than its aid funds refuses the whole file, naming its lines."""

    # The project's own columns, read to find it.
    partnership = model_field(
        Project, "partnership", PartnershipWidget(), "project__partnership", readonly=True
    )
    fund_year = model_field(Project, "fund_year", attribute="project__fund_year", readonly=True)
    project = model_field(Project, "name", ProjectKeyWidget(), attribute="project")

    natural_key = ("project", "date", "voucher")
    required_columns = ("fund_year",)
    column_synonyms = {
        "fund_year": ("年度", "项目年度", "资金年份"),
        "project": ("名称", "项目"),
        "date": ("拨付时间", "日期"),
        "amount": ("拨付资金（万元）", "拨付额（万元）", "金额（万元）"),
        "voucher": ("凭证号", "拨付文号", "文号"),
    }

    class Meta:
        model = Disbursement
        fields = ("partnership", "fund_year", "project", "date", "amount", "voucher", "note")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "project__partnership__east_region", "project__partnership__west_region"
            )
        )

    def load_existing(self, dataset):
        self.projects = {
            (p.partnership_id, p.fund_year, p.name): p
            for p in self.in_area(
                Project.objects.filter(name__in=self.column_values(dataset, "project"))
            )
        }
        self.project_lines = defaultdict(list)
        super().load_existing(dataset)

    def project_key(self, row):
        """(partnership, fund year) of a row; a bad cell raises ValueError saying why."""
        partnership = self.partnership_of(row.get(self.fields["partnership"].column_name))
        year = self.fields["fund_year"].clean(row)
        if year is None:
            raise ValueError(gettext("请填写“资金年度”，以确定是哪一个项目"))
        return partnership, year

    def project_keyed(self, name, row):
        partnership, year = self.project_key(row)
        found = self.projects.get((partnership.pk, year, name))
        if found is None:
            raise ValueError(
                gettext(
                    "%(p)s没有%(y)d年度名为“%(v)s”的协作资金项目"
                    "（请先登记项目，或核对协作关系、资金年度和项目名称）"
                )
                % {"p": partnership, "y": year, "v": name}
            )
        return found

    def import_instance(self, instance, row, **kwargs):
        """The project's 协作关系 and 资金年度 are read only to find it: a bad cell of theirs is
        reported in its own column (a partnership outside the user's areas among them), not
        as "no such project"."""
        errors = {}
        for name in ("partnership", "fund_year"):
            try:
                self.fields[name].clean(row)
            except ValueError as exc:
                errors[name] = ValidationError(str(exc), code="invalid")
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            if not errors:
                raise
            found = {k: v for k, v in exc.error_dict.items() if k != "project"}
            raise ValidationError({**found, **errors}) from None
        if errors:
            raise ValidationError(errors)
        if instance.project_id is not None:
            self.project_lines[instance.project_id].append(self.line(self.row_number))

    def clean_exclude(self, errors):
        """A project not found for a bad 协作关系 or 资金年度 is not "required" as well."""
        excluded = super().clean_exclude(errors)
        if {"partnership", "fund_year"} & set(errors):
            excluded.append("project")
        return excluded

    def after_import(self, dataset, result, **kwargs):
        """The sum of each touched project's disbursements, read back from the database
        (one query): within its aid funds, or the file is refused."""
        touched = list(getattr(self, "project_lines", {}))
        errors = []
        for project in Project.objects.filter(pk__in=touched).over_disbursed().order_by("pk"):
            lines = "、".join(str(n) for n in sorted(set(self.project_lines[project.pk])))
            errors.append(
                gettext("第%(lines)s行：项目“%(project)s”的%(why)s")
                % {
                    "lines": lines,
                    "project": project,
                    "why": over_aid_funds_message(project.disbursed, project.aid_funds),
                }
            )
        if errors:
            raise ValidationError(errors)


class IndustrialParkResource(WesternPlaceResource):
    natural_key = ("partnership", "name")
    column_synonyms = {
        **PLACE_SYNONYMS,
        "name": ("园区", "名称"),
        "kind": ("类型", "园区类别"),
        "established_on": ("建成日期", "挂牌日期", "建成时间"),
    }

    class Meta:
        model = IndustrialPark
        fields = ("partnership", "name", "kind", *PLACE, "established_on", "note")


class DemonstrationVillageResource(WesternPlaceResource):
    natural_key = ("partnership", "village", "year")
    column_synonyms = {
        "town": PLACE_SYNONYMS["town"],
        "village": (*PLACE_SYNONYMS["village"], "示范村"),
        "funds": ("协作资金（万元）", "投入资金（万元）", "苏陕协作资金（万元）"),
    }

    class Meta:
        model = DemonstrationVillage
        fields = ("partnership", "year", "town", "village", "funds", "note")
