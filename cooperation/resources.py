"""Spreadsheet import/export of pairings (结对), postings (选派干部人才) and cadre and
professional training (干部人才培训).

Organisations are named as registered (admin → 单位): the eastern one within the
partnership's eastern county, the western one within its western county."""

from cooperation.imports.cells import cell_text
from cooperation.imports.files import is_blank
from cooperation.imports.resources import TrackedResource
from cooperation.imports.widgets import (
    LookupWidget,
    PersonNameWidget,
    model_field,
)

from .models import CadreTraining, Pairing, Posting


class OrganisationLookup(LookupWidget):
    """An organisation by name, in the row's partnership's eastern or western county (`side`)
    or in either (None)."""

    def __init__(self, side=None, **kwargs):
        super().__init__("organisation_named", **kwargs)
        self.side = side

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return self.resource.organisation_named(cell_text(value), row, side=self.side_of(row))

    def side_of(self, row):
        return self.side


class PairingResource(TrackedResource):
    east_org = model_field(Pairing, "east_org", OrganisationLookup(side="east"))
    west_org = model_field(Pairing, "west_org", OrganisationLookup(side="west"))

    natural_key = ("partnership", "east_org", "west_org")
    organisation_fields = ("east_org", "west_org")
    column_synonyms = {
        "level": ("结对层级", "层级", "结对级别"),
        "east_org": ("东部结对单位", "江苏结对单位", "东部结对方"),
        "west_org": ("西部结对单位", "陕西结对单位", "西部结对方"),
        "signed_on": ("结对时间", "签订日期", "结对日期"),
    }
    required_columns = ("level", "signed_on")

    class Meta:
        model = Pairing
        fields = ("partnership", "level", "east_org", "west_org", "signed_on", "ended_on", "note")

    def get_queryset(self):
        return super().get_queryset().select_related("east_org", "west_org")

    def prefetch_queryset(self, dataset):
        # The pairings of the organisations the file names (loaded first, by load_existing).
        ids = {o.pk for orgs in self.orgs_by_name.values() for o in orgs}
        return [self.get_queryset().filter(east_org__in=ids)]


class PostingDirectionOrg(OrganisationLookup):
    """派出单位 / 接收单位: on the side the 派出方向 column says."""

    def __init__(self, role, **kwargs):
        super().__init__(**kwargs)
        self.role = role

    def side_of(self, row):
        try:
            direction = self.resource.fields["direction"].clean(row)
        except (ValueError, KeyError):
            return None
        if not direction:
            return None
        home, host = ("east", "west") if direction == "e2w" else ("west", "east")
        return {"home": home, "host": host}.get(self.role)


class PostingResource(TrackedResource):
    person_name = model_field(Posting, "person_name", PersonNameWidget())
    home_org = model_field(Posting, "home_org", PostingDirectionOrg("home"))
    host_org = model_field(Posting, "host_org", PostingDirectionOrg("host"))

    # A person's posting is known by who and when they arrived.
    natural_key = ("partnership", "person_name", "start_date")
    organisation_fields = ("home_org", "host_org")
    column_synonyms = {
        "person_name": ("干部姓名", "人员姓名", "人才姓名"),
        "direction": ("方向", "选派方向"),
        "category": ("人员类别", "人才类别", "干部类别"),
        "home_org": ("原单位", "选派单位"),
        "host_org": ("挂职单位", "服务单位", "受援单位"),
        "position": ("挂职职务", "职务", "岗位"),
        "start_date": ("到岗日期", "到岗时间"),
        "end_date": ("离岗日期", "离岗时间"),
    }
    required_columns = ("direction", "category")

    class Meta:
        model = Posting
        fields = (
            "partnership",
            "person_name",
            "direction",
            "category",
            "home_org",
            "host_org",
            "position",
            "planned_start",
            "planned_end",
            "start_date",
            "end_date",
            "note",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("home_org", "host_org")


class CadreTrainingResource(TrackedResource):
    # A course is known by its name and the day it started.
    natural_key = ("partnership", "title", "start_date")
    column_synonyms = {
        "title": ("培训班", "培训名称", "班次名称"),
        "audience": ("培训类别", "对象"),
        "trainees": ("人次", "培训人数"),
        "held_in": ("举办地点", "培训地"),
    }
    required_columns = ("audience", "held_in", "trainees")

    class Meta:
        model = CadreTraining
        fields = (
            "partnership",
            "title",
            "start_date",
            "end_date",
            "audience",
            "trainees",
            "held_in",
            "organiser",
            "note",
        )
