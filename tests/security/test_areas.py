"""Areas of staff users (cooperation/areas.py): a staff user reaches only the records of the
partnerships of their areas, through every door of the admin and of the staff lists.

Two partnerships, each with one record of every kind:

    P = 武进区(320412)—汉滨区(610902)     Q = 新北区(320411)—汉阴县(610921)

Both western counties lie in 安康市 (6109) and both eastern ones in 常州市 (3204), so only a
county area tells P from Q; a province on the west side (陕西省, 61 west) covers both.

Users: a 录入员, a 审核员 and a 审核员 who may also delete, all of 汉滨区 (P only); a 录入员
and a 审核员 of 汉阴县 (Q only); a 领导 of 陕西省 (west side: P and Q); a 录入员 of the nation;
a superuser; and a 录入员 without any area (sees nothing).
"""

import csv
import io
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import areas
from cooperation.admin_base import TrackedAdmin
from cooperation.middleware import acting_user
from cooperation.models import ExportAudit, Partnership, Region, Target, UserArea, Visit
from cooperation.roles import DATA_ENTRY, OFFICIAL, REVIEWER
from tests.conftest import PASSWORD, STAFF_LISTS, admin_registry
from tests.cooperation.factories import (
    CadreTrainingFactory,
    EastOrgFactory,
    OrganisationFactory,
    PairingFactory,
    PartnershipFactory,
    PostingFactory,
    TargetFactory,
    VisitFactory,
    region,
)
from tests.dashboard.helpers import body, xlsx_text
from tests.imports.conftest import CSV_FORMAT, admin_export
from tests.labor.factories import (
    CommunityFactoryFactory,
    EmploymentFactory,
    JobFairFactory,
    TrainingCourseFactory,
    WorkerFactory,
    id_number_for,
)
from tests.places import DAHE, HANBIN, HANYIN, HANYIN_CHENGGUAN, P_NAME, Q_NAME, WUJIN, XINBEI
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

from .forms import form_data

pytestmark = pytest.mark.django_db

ANKANG, CHANGZHOU, SHAANXI, JIANGSU = "6109", "3204", "61", "32"
JINTAN = "320413"  # 金坛区, a third county of 常州市
TOWN_OF = {HANBIN: DAHE, HANYIN: HANYIN_CHENGGUAN}
# A village of each western county (the test code list has none of 汉阴县: one is added).
VILLAGE_OF = {HANBIN: "610902115208", HANYIN: "610921100201"}  # 大河镇小河村, 城关镇城关村
# Distinct, findable words in each partnership's records.
WORKER_NAME = {"P": "甘露滨", "Q": "阴雨晴"}
EMPLOYER = {"P": "滨江纺织厂", "Q": "阴山电子厂"}

# Every record admin (TrackedAdmin) of the site. The explicit list guards the iteration: a
# record admin added later must be added here (test_every_record_admin_is_covered).
EXPECTED_RECORD_MODELS = [
    "cooperation.Partnership",
    "cooperation.Organisation",
    "cooperation.Pairing",
    "cooperation.Posting",
    "cooperation.Visit",
    "cooperation.CadreTraining",
    "cooperation.Target",
    "projects.Project",
    "projects.Disbursement",
    "projects.Investment",
    "projects.ConsumptionSale",
    "projects.Donation",
    "projects.IndustrialPark",
    "projects.DemonstrationVillage",
    "labor.Worker",
    "labor.Employment",
    "labor.JobFair",
    "labor.TrainingCourse",
    "labor.CommunityFactory",
]


def record_models():
    return sorted(
        model._meta.label
        for model, model_admin in admin_registry().items()
        if isinstance(model_admin, TrackedAdmin)
    )


RECORD_MODELS = record_models()
# Admins with an import/export (cooperation.imports.admin.spreadsheet).
SPREADSHEET_MODELS = sorted(
    model._meta.label
    for model, model_admin in admin_registry().items()
    if isinstance(model_admin, TrackedAdmin) and hasattr(model_admin, "import_action")
)


def model_of(label):
    return apps.get_model(label)


def admin_url(label, view, *args):
    opts = model_of(label)._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def history_form_url(label, pk, history_id):
    """The page of one old version (simple-history's revert form)."""
    return admin_url(label, "changelist") + f"{pk}/history/{history_id}/"


def counts(label):
    """Rows of the model and of its history (what a refused write must leave as it was)."""
    model = model_of(label)
    return model._base_manager.count(), model.history.model.objects.count()


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def listed(response):
    """The primary keys a changelist response shows."""
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


# --- the two partnerships and their records ----------------------------------------------


@dataclass
class Records:
    p: object  # the partnerships
    q: object
    P: dict = field(default_factory=dict)  # model label → the record of P
    Q: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # (side, name) → further records

    def of(self, side):
        return self.P if side == "P" else self.Q


def _records_of(partnership, side, east, west, n):
    town = TOWN_OF[west]
    east_org = EastOrgFactory(name=f"{side}东部结对单位", region=region(east))
    west_org = OrganisationFactory(name=f"{side}西部结对单位", region=region(west))
    project = ProjectFactory(
        partnership=partnership, name=f"{side}茶园项目", town_id=town, implementing_org=west_org
    )
    worker = WorkerFactory(
        partnership=partnership,
        name=WORKER_NAME[side],
        id_number=id_number_for(n, area=west),
        home_town_id=town,
    )
    job_fair = JobFairFactory(partnership=partnership, name=f"{side}春风招聘会", town_id=town)
    employment = EmploymentFactory(
        worker=worker, employer=EMPLOYER[side], destination_id=east, job_fair=job_fair
    )
    park = IndustrialParkFactory(partnership=partnership, name=f"{side}共建园区", town_id=town)
    IndustrialParkYearFactory(park=park, year=2021)
    Region.objects.get_or_create(
        code=VILLAGE_OF[west],
        defaults={"name": "城关村委会", "level": Region.Level.VILLAGE, "parent_id": town},
    )
    records = {
        "cooperation.Partnership": partnership,
        "cooperation.Organisation": west_org,
        "cooperation.Pairing": PairingFactory(
            partnership=partnership, east_org=east_org, west_org=west_org
        ),
        "cooperation.Posting": PostingFactory(
            partnership=partnership,
            person_name=f"{side}挂职干部",
            home_org=east_org,
            host_org=west_org,
        ),
        "cooperation.Visit": VisitFactory(partnership=partnership, leader=f"{side}带队领导"),
        "cooperation.CadreTraining": CadreTrainingFactory(
            partnership=partnership, title=f"{side}干部培训班"
        ),
        "cooperation.Target": TargetFactory(partnership=partnership),
        "projects.Project": project,
        "projects.Disbursement": DisbursementFactory(project=project, voucher=f"{side}拨付凭证"),
        "projects.Investment": InvestmentFactory(
            partnership=partnership, enterprise=f"{side}投资企业", town_id=town
        ),
        "projects.IndustrialPark": park,
        "projects.DemonstrationVillage": DemonstrationVillageFactory(
            partnership=partnership, village_id=VILLAGE_OF[west], year=2021
        ),
        "projects.ConsumptionSale": ConsumptionSaleFactory(
            partnership=partnership, seller=f"{side}茶业公司", town_id=town
        ),
        "projects.Donation": DonationFactory(
            partnership=partnership, donor=f"{side}爱心企业", donor_org=east_org, town_id=town
        ),
        "labor.Worker": worker,
        "labor.Employment": employment,
        "labor.JobFair": job_fair,
        "labor.TrainingCourse": TrainingCourseFactory(
            partnership=partnership, name=f"{side}技能培训班", town_id=town
        ),
        "labor.CommunityFactory": CommunityFactoryFactory(
            partnership=partnership, name=f"{side}社区工厂", town_id=town, project=project
        ),
    }
    return records, {"east_org": east_org, "west_org": west_org}


@pytest.fixture
def records(db):
    p = PartnershipFactory(east_region=region(WUJIN), west_region=region(HANBIN))
    q = PartnershipFactory(east_region=region(XINBEI), west_region=region(HANYIN))
    found = Records(p=p, q=q)
    found.P, p_orgs = _records_of(p, "P", WUJIN, HANBIN, 5001)
    found.Q, q_orgs = _records_of(q, "Q", XINBEI, HANYIN, 5002)
    for name, org in p_orgs.items():
        found.extra["P", name] = org
    for name, org in q_orgs.items():
        found.extra["Q", name] = org
    return found


def make_staff(django_user_model, username, role=None, areas=(), **extra):
    """A staff user of a role (a group name) with areas [(region code or None, side)]."""
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True, **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for code, side in areas:
        UserArea.objects.create(user=user, region=None if code is None else region(code), side=side)
    return user


def with_delete_permissions(user):
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__startswith="delete_",
            content_type__app_label__in=["cooperation", "projects", "labor"],
        )
    )
    return user


@pytest.fixture
def people(db, django_user_model):
    make = lambda *args, **kwargs: make_staff(django_user_model, *args, **kwargs)  # noqa: E731
    return SimpleNamespace(
        hb_clerk=make("hb_clerk", DATA_ENTRY, [(HANBIN, "")]),
        hb_reviewer=make("hb_reviewer", REVIEWER, [(HANBIN, "")]),
        hb_deleter=with_delete_permissions(make("hb_deleter", REVIEWER, [(HANBIN, "")])),
        hy_clerk=make("hy_clerk", DATA_ENTRY, [(HANYIN, "")]),
        hy_reviewer=make("hy_reviewer", REVIEWER, [(HANYIN, "")]),
        sx_official=make("sx_official", OFFICIAL, [(SHAANXI, "west")]),
        nation=make("nation_clerk", DATA_ENTRY, [(None, "")]),
        superuser=make("root", is_superuser=True),
        nowhere=make("nowhere_clerk", DATA_ENTRY, []),
    )


def test_every_record_admin_is_covered():
    assert RECORD_MODELS == sorted(EXPECTED_RECORD_MODELS)
    assert len(SPREADSHEET_MODELS) >= 10


def test_the_two_partnerships_are_told_apart_only_by_a_county(records, people):
    """The premise of every test here: 汉滨区's users have P, 汉阴县's Q, 陕西省 (west) both."""
    assert set(areas.partnerships(people.hb_clerk)) == {records.p}
    assert set(areas.partnerships(people.hy_clerk)) == {records.q}
    assert set(areas.partnerships(people.sx_official)) == {records.p, records.q}
    assert list(areas.partnerships(people.nowhere)) == []


# --- 1. the matrix: every record admin × every kind of page ------------------------------


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_changelist_lists_only_the_records_of_the_own_area(label, records, people):
    client = browser(people.hb_clerk)
    response = client.get(admin_url(label, "changelist"))
    shown = listed(response)
    own, other = records.P[label], records.Q[label]
    assert own.pk in shown
    assert other.pk not in shown
    page = response.content.decode()
    assert admin_url(label, "change", own.pk) in page
    assert admin_url(label, "change", other.pk) not in page


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_changelist_of_the_other_county_lists_the_other_records(label, records, people):
    """The mirror image: 汉阴县's clerk sees Q's record and not P's."""
    shown = listed(browser(people.hy_clerk).get(admin_url(label, "changelist")))
    assert records.Q[label].pk in shown
    assert records.P[label].pk not in shown


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_change_page_of_another_area_is_404(label, records, people):
    client = browser(people.hb_clerk)
    own, other = records.P[label], records.Q[label]
    assert client.get(admin_url(label, "change", own.pk)).status_code == 200

    assert client.get(admin_url(label, "change", other.pk)).status_code == 404
    before = model_of(label)._base_manager.values().get(pk=other.pk)
    response = client.post(
        admin_url(label, "change", other.pk), {"_loaded_version": before["version"]}
    )
    assert response.status_code == 404
    assert model_of(label)._base_manager.values().get(pk=other.pk) == before


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_delete_page_of_another_area_is_404_and_deletes_nothing(label, records, people):
    client = browser(people.hb_deleter)  # may delete: a refusal here is the area's
    own, other = records.P[label], records.Q[label]
    assert client.get(admin_url(label, "delete", own.pk)).status_code == 200
    before = counts(label)

    assert client.get(admin_url(label, "delete", other.pk)).status_code == 404
    assert client.post(admin_url(label, "delete", other.pk), {"post": "yes"}).status_code == 404

    assert model_of(label)._base_manager.filter(pk=other.pk).exists()
    assert counts(label) == before


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_history_pages_of_another_area_are_404(label, records, people):
    client = browser(people.hb_reviewer)
    own, other = records.P[label], records.Q[label]
    own_version = own.history.latest("history_date")
    other_version = other.history.latest("history_date")
    assert client.get(admin_url(label, "history", own.pk)).status_code == 200
    assert client.get(history_form_url(label, own.pk, own_version.history_id)).status_code == 200

    assert client.get(admin_url(label, "history", other.pk)).status_code == 404
    assert (
        client.get(history_form_url(label, other.pk, other_version.history_id)).status_code == 404
    )
    # Reverting it to its old version (the history form posted) is refused too.
    before = model_of(label)._base_manager.values().get(pk=other.pk)
    response = client.post(history_form_url(label, other.pk, other_version.history_id), {})
    assert response.status_code == 404
    assert model_of(label)._base_manager.values().get(pk=other.pk) == before


# The fields whose autocomplete offers records of each kind: (app, model, field).
AUTOCOMPLETED_BY = {
    "cooperation.Partnership": ("projects", "project", "partnership"),
    "cooperation.Organisation": ("projects", "project", "implementing_org"),
    "projects.Project": ("projects", "disbursement", "project"),
    "projects.IndustrialPark": ("projects", "investment", "park"),
    "labor.Worker": ("labor", "employment", "worker"),
    "labor.JobFair": ("labor", "employment", "job_fair"),
}


def test_every_autocompleted_record_kind_is_covered():
    """Each record admin's autocomplete fields pointing at a record model are listed above."""
    found = set()
    for model, model_admin in admin_registry().items():
        if not isinstance(model_admin, TrackedAdmin):
            continue
        for name in model_admin.autocomplete_fields:
            target = model._meta.get_field(name).related_model
            if target._meta.label in EXPECTED_RECORD_MODELS:
                found.add(target._meta.label)
    assert found == set(AUTOCOMPLETED_BY)


@pytest.mark.parametrize("label", sorted(AUTOCOMPLETED_BY))
def test_autocomplete_offers_no_record_of_another_area(label, records, people):
    app_label, model_name, field_name = AUTOCOMPLETED_BY[label]
    response = browser(people.hb_clerk).get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    offered = {item["id"] for item in response.json()["results"]}
    own = [records.P[label]]
    other = [records.Q[label]]
    if label == "cooperation.Organisation":
        own.append(records.extra["P", "east_org"])
        other.append(records.extra["Q", "east_org"])
    assert {str(o.pk) for o in own} <= offered
    assert not {str(o.pk) for o in other} & offered


# --- add forms: another area's id is a form error, nothing is saved ----------------------


def _unique(n=[0]):  # noqa: B006 - a counter shared by the calls
    n[0] += 1
    return n[0]


def _new_p_orgs():
    i = _unique()
    return (
        EastOrgFactory.create(name=f"P新东部单位{i}", region=region(WUJIN)),
        OrganisationFactory.create(name=f"P新西部单位{i}", region=region(HANBIN)),
    )


def _build(label, r):
    """A new record of P (unsaved), valid for the add form of its admin."""
    i = _unique()
    p, town = r.p, TOWN_OF[HANBIN]
    east_org, west_org = r.extra["P", "east_org"], r.extra["P", "west_org"]
    if label == "cooperation.Partnership":
        # 金坛区—汉滨区: new, and of 汉滨区 (金坛区—汉阴县 would be new and outside it).
        return Partnership(east_region=region(JINTAN), west_region=region(HANBIN), since_year=2021)
    if label == "cooperation.Organisation":
        return OrganisationFactory.build(name=f"新单位{i}", region=region(HANBIN))
    if label == "cooperation.Pairing":
        east_org, west_org = _new_p_orgs()
        return PairingFactory.build(partnership=p, east_org=east_org, west_org=west_org)
    if label == "cooperation.Posting":
        return PostingFactory.build(partnership=p, home_org=east_org, host_org=west_org)
    if label == "cooperation.Visit":
        return VisitFactory.build(partnership=p)
    if label == "cooperation.CadreTraining":
        return CadreTrainingFactory.build(partnership=p, title=f"新干部培训班{i}")
    if label == "cooperation.Target":
        return TargetFactory.build(partnership=p, year=2019)
    if label == "projects.Project":
        return ProjectFactory.build(partnership=p, town_id=town, implementing_org=west_org)
    if label == "projects.Disbursement":
        return DisbursementFactory.build(project=r.P["projects.Project"], amount=1)
    if label == "projects.Investment":
        return InvestmentFactory.build(partnership=p, town_id=town)
    if label == "projects.ConsumptionSale":
        return ConsumptionSaleFactory.build(partnership=p, town_id=town, seller=f"卖方{i}")
    if label == "projects.Donation":
        return DonationFactory.build(partnership=p, town_id=town, donor_org=east_org)
    if label == "projects.IndustrialPark":
        return IndustrialParkFactory.build(partnership=p, name=f"新园区{i}", town_id=town)
    if label == "projects.DemonstrationVillage":
        return DemonstrationVillageFactory.build(
            partnership=p, village_id=VILLAGE_OF[HANBIN], town_id=town, year=2000 + i % 100
        )
    if label == "labor.Worker":
        return WorkerFactory.build(
            partnership=p, id_number=id_number_for(7000 + i), home_town_id=town
        )
    if label == "labor.Employment":
        return EmploymentFactory.build(
            worker=r.P["labor.Worker"], job_fair=r.P["labor.JobFair"], destination_id=WUJIN
        )
    if label == "labor.JobFair":
        return JobFairFactory.build(partnership=p, town_id=town)
    if label == "labor.TrainingCourse":
        return TrainingCourseFactory.build(partnership=p, town_id=town)
    if label == "labor.CommunityFactory":
        return CommunityFactoryFactory.build(
            partnership=p, town_id=town, project=r.P["projects.Project"]
        )
    raise AssertionError(f"no add case for {label}")


# (model, field, the other area's value). For partnerships and organisations, which belong
# to no partnership, the other area is a county outside the user's: a 汉滨区 clerk who
# could add an organisation of 汉阴县 or the partnership 武进区—汉阴县 would write records
# that their own area never shows again.
ADD_CASES = [
    ("cooperation.Partnership", "west_region", lambda r: HANYIN),
    ("cooperation.Organisation", "region", lambda r: HANYIN),
    ("cooperation.Pairing", "partnership", lambda r: r.q.pk),
    ("cooperation.Pairing", "east_org", lambda r: r.extra["Q", "east_org"].pk),
    ("cooperation.Posting", "partnership", lambda r: r.q.pk),
    ("cooperation.Posting", "home_org", lambda r: r.extra["Q", "east_org"].pk),
    ("cooperation.Visit", "partnership", lambda r: r.q.pk),
    ("cooperation.CadreTraining", "partnership", lambda r: r.q.pk),
    ("cooperation.Target", "partnership", lambda r: r.q.pk),
    ("projects.Project", "partnership", lambda r: r.q.pk),
    ("projects.Project", "implementing_org", lambda r: r.extra["Q", "west_org"].pk),
    ("projects.Disbursement", "project", lambda r: r.Q["projects.Project"].pk),
    ("projects.Investment", "partnership", lambda r: r.q.pk),
    ("projects.Investment", "park", lambda r: r.Q["projects.IndustrialPark"].pk),
    ("projects.IndustrialPark", "partnership", lambda r: r.q.pk),
    ("projects.DemonstrationVillage", "partnership", lambda r: r.q.pk),
    ("projects.ConsumptionSale", "partnership", lambda r: r.q.pk),
    ("projects.Donation", "partnership", lambda r: r.q.pk),
    ("projects.Donation", "donor_org", lambda r: r.extra["Q", "east_org"].pk),
    ("labor.Worker", "partnership", lambda r: r.q.pk),
    ("labor.Employment", "worker", lambda r: r.Q["labor.Worker"].pk),
    ("labor.Employment", "job_fair", lambda r: r.Q["labor.JobFair"].pk),
    ("labor.JobFair", "partnership", lambda r: r.q.pk),
    ("labor.TrainingCourse", "partnership", lambda r: r.q.pk),
    ("labor.CommunityFactory", "partnership", lambda r: r.q.pk),
    ("labor.CommunityFactory", "project", lambda r: r.Q["projects.Project"].pk),
]


def test_every_record_admin_has_an_add_case():
    assert {label for label, _f, _v in ADD_CASES} == set(EXPECTED_RECORD_MODELS)


def add_form_body(client, label, instance):
    """What the add form posts for `instance`: the page's own hidden fields and inline
    management forms, and every form field set from the instance."""
    url = admin_url(label, "add")
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), form_id=f"{model_of(label)._meta.model_name}_form")
    form = page.context["adminform"].form
    values = model_to_dict(instance, fields=list(form.fields))
    for name in form.fields:
        value = values.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = ["on"]
            else:
                data.pop(name, None)
        else:
            data[name] = ["" if value is None else str(value)]
    return url, data


@pytest.mark.parametrize(
    "label, field_name, other", ADD_CASES, ids=[f"{c[0]}-{c[1]}" for c in ADD_CASES]
)
def test_add_form_refuses_a_record_of_another_area(label, field_name, other, records, people):
    client = browser(people.hb_clerk)
    url, data = add_form_body(client, label, _build(label, records))
    before = counts(label)

    refused = client.post(url, {**data, field_name: [str(other(records))]})

    assert refused.status_code == 200, "saved with another area's value"
    assert counts(label) == before
    assert field_name in refused.context["adminform"].form.errors

    # The same form with the own area's value is saved: the other value alone was refused.
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert counts(label)[0] == before[0] + 1


# The change form of an own record: moving it to another area (its partnership, or a
# related record of another area) is refused the same way.
CHANGE_CASES = ADD_CASES


@pytest.mark.parametrize(
    "label, field_name, other", CHANGE_CASES, ids=[f"{c[0]}-{c[1]}" for c in CHANGE_CASES]
)
def test_change_form_refuses_moving_a_record_to_another_area(
    label, field_name, other, records, people
):
    client = browser(people.hb_clerk)
    own = records.P[label]
    url = admin_url(label, "change", own.pk)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), form_id=f"{model_of(label)._meta.model_name}_form")
    assert field_name in data, f"{field_name} is not on the change form"
    before = model_of(label)._base_manager.values().get(pk=own.pk)

    refused = client.post(url, {**data, field_name: [str(other(records))]})

    assert refused.status_code == 200, "moved to another area"
    assert field_name in refused.context["adminform"].form.errors
    assert model_of(label)._base_manager.values().get(pk=own.pk) == before

    # The form as loaded saves: only the other area's value was refused.
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors


# --- deleted records: their history says where they were ---------------------------------

DELETABLE = ["cooperation.Visit", "projects.Project", "labor.Worker", "cooperation.Organisation"]


@pytest.mark.parametrize("label", DELETABLE)
def test_a_deleted_record_of_another_area_stays_404(label, records, people):
    other = records.Q[label]
    if label == "cooperation.Organisation":  # the pairing and posting hold on to it
        other = OrganisationFactory(name="Q待删单位", region=region(HANYIN))
    if label == "projects.Project":
        records.Q["labor.CommunityFactory"].delete()
    pk = other.pk
    with acting_user(people.superuser):
        other.delete()
    history = model_of(label).history.filter(id=pk).latest("history_date")
    assert history.history_type == "-"

    mine = browser(people.hy_reviewer)  # the record was in 汉阴县: its reviewer sees its history
    assert mine.get(admin_url(label, "history", pk)).status_code == 200

    client = browser(people.hb_reviewer)
    for url in (
        admin_url(label, "history", pk),
        history_form_url(label, pk, history.history_id),
        admin_url(label, "change", pk),
        admin_url(label, "delete", pk),
    ):
        assert client.get(url).status_code == 404, url


# --- 4. roles above a county, the nation, superusers, users without an area --------------


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_an_official_of_the_province_reads_both_but_changes_neither(label, records, people):
    client = browser(people.sx_official)
    shown = listed(client.get(admin_url(label, "changelist")))
    assert {records.P[label].pk, records.Q[label].pk} <= shown
    for record in (records.P[label], records.Q[label]):
        before = model_of(label)._base_manager.values().get(pk=record.pk)
        assert client.get(admin_url(label, "change", record.pk)).status_code == 200  # read-only
        response = client.post(
            admin_url(label, "change", record.pk), {"_loaded_version": before["version"]}
        )
        assert response.status_code == 403  # the role refuses, not the area
        assert client.get(admin_url(label, "delete", record.pk)).status_code == 403
        assert model_of(label)._base_manager.values().get(pk=record.pk) == before
    assert client.get(admin_url(label, "add")).status_code == 403


@pytest.mark.parametrize("who", ["superuser", "nation"])
@pytest.mark.parametrize("label", RECORD_MODELS)
def test_superusers_and_the_nation_see_everything(label, who, records, people):
    client = browser(getattr(people, who))
    shown = listed(client.get(admin_url(label, "changelist")))
    assert {records.P[label].pk, records.Q[label].pk} <= shown
    for record in (records.P[label], records.Q[label]):
        assert client.get(admin_url(label, "change", record.pk)).status_code == 200


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_a_staff_user_without_an_area_sees_nothing(label, records, people):
    client = browser(people.nowhere)
    response = client.get(admin_url(label, "changelist"))
    assert listed(response) == set()
    assert response.context["cl"].result_count == 0
    for record in (records.P[label], records.Q[label]):
        assert client.get(admin_url(label, "change", record.pk)).status_code == 404


@pytest.mark.parametrize(
    "areas, sees",
    [
        ([(HANBIN, "")], {"P"}),
        ([(HANYIN, "")], {"Q"}),
        ([(XINBEI, "")], {"Q"}),  # a county covers its partnerships whatever its side
        ([(ANKANG, "west")], {"P", "Q"}),
        ([(ANKANG, "east")], set()),  # no eastern county lies in 安康市
        ([(ANKANG, "")], {"P", "Q"}),
        ([(CHANGZHOU, "east")], {"P", "Q"}),
        ([(CHANGZHOU, "west")], set()),
        ([(SHAANXI, "east")], set()),
        ([(JIANGSU, "west")], set()),
        ([(WUJIN, ""), (HANYIN, "")], {"P", "Q"}),  # several areas: their union
        ([(None, "")], {"P", "Q"}),
        ([], set()),
    ],
)
def test_areas_by_county_city_province_and_side(areas, sees, records, django_user_model):
    user = make_staff(django_user_model, "someone", DATA_ENTRY, areas)
    shown = listed(browser(user).get(admin_url("cooperation.Visit", "changelist")))
    expected = {records.of(side)["cooperation.Visit"].pk for side in sees}
    assert shown == expected


# --- 6. the site header ------------------------------------------------------------------


def test_the_site_header_names_the_clerks_area_and_role(records, people):
    page = browser(people.hb_clerk).get(reverse("admin:index")).content.decode()
    assert "汉滨区 · 录入员" in page


def test_the_site_header_of_a_province_official_names_the_side(records, people):
    page = browser(people.sx_official).get(reverse("admin:index")).content.decode()
    assert "陕西省（西部） · 领导" in page


# --- 2. exports ------------------------------------------------------------------------


def exported_text(client, label):
    """The admin's CSV export of a model, as text."""
    opts = model_of(label)._meta
    _fmt, content = admin_export(client, f"{opts.app_label}_{opts.model_name}", CSV_FORMAT)
    return content.decode("utf-8-sig")


@pytest.mark.parametrize("label", SPREADSHEET_MODELS)
def test_an_admin_export_holds_only_the_own_areas_rows(label, records, people):
    text = exported_text(browser(people.hb_clerk), label)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == 1, rows
    assert P_NAME in text and Q_NAME not in text
    audit = ExportAudit.objects.get(user=people.hb_clerk)
    assert audit.rows == 1


@pytest.mark.parametrize("label", SPREADSHEET_MODELS)
def test_an_admin_export_of_the_nation_holds_both(label, records, people):
    text = exported_text(browser(people.nation), label)
    assert len(list(csv.reader(io.StringIO(text)))[1:]) == 2
    assert P_NAME in text and Q_NAME in text


@pytest.mark.parametrize("name", STAFF_LISTS)
def test_a_staff_list_shows_only_the_own_areas_people(name, records, people):
    page = browser(people.hb_clerk).get(reverse(name)).content.decode()
    assert WORKER_NAME["P"] in page
    assert WORKER_NAME["Q"] not in page and EMPLOYER["Q"] not in page

    page = browser(people.hy_clerk).get(reverse(name)).content.decode()
    assert WORKER_NAME["Q"] in page
    assert WORKER_NAME["P"] not in page and EMPLOYER["P"] not in page


STAFF_EXPORTS = [
    (name, fmt, full)
    for name in STAFF_LISTS
    for fmt in ("csv", "xlsx")
    for full in ((False, True) if name == "labor:workers" else (False,))  # full ID numbers
]


@pytest.mark.parametrize(
    "name, fmt, full",
    STAFF_EXPORTS,
    ids=[f"{n}-{f}{'-full' if full else ''}" for n, f, full in STAFF_EXPORTS],
)
def test_a_staff_list_export_holds_only_the_own_areas_people(name, fmt, full, records, people):
    client = browser(people.hb_clerk)
    response = client.get(
        reverse(f"{name}_export", kwargs={"fmt": fmt}), {"full": "1"} if full else {}
    )
    assert response.status_code == 200
    content = body(response)
    text = xlsx_text(content) if fmt == "xlsx" else content.decode("utf-8-sig")
    p_worker, q_worker = records.P["labor.Worker"], records.Q["labor.Worker"]
    assert WORKER_NAME["P"] in text
    assert WORKER_NAME["Q"] not in text and EMPLOYER["Q"] not in text
    if full:
        assert p_worker.id_number in text
        assert q_worker.id_number not in text
    assert ExportAudit.objects.get(user=people.hb_clerk).rows == 1


def test_the_export_audit_shows_a_reviewer_only_exports_of_their_area(
    records, people, django_user_model
):
    sx_reviewer = make_staff(django_user_model, "sx_reviewer", REVIEWER, [(SHAANXI, "west")])
    wj_clerk = make_staff(django_user_model, "wj_clerk", DATA_ENTRY, [(WUJIN, "")])
    ak_east = make_staff(django_user_model, "ak_east", DATA_ENTRY, [(ANKANG, "east")])
    exporters = [
        people.hb_clerk,
        people.hb_reviewer,
        people.hy_clerk,
        people.nation,
        people.nowhere,
        people.superuser,
        sx_reviewer,
        wj_clerk,
        ak_east,
    ]
    audit = {
        user.username: ExportAudit.objects.create(
            user=user, username=user.username, list_name="labor:workers", format="csv", rows=1
        ).pk
        for user in exporters
    }

    def seen_by(user):
        response = browser(user).get(reverse("admin:cooperation_exportaudit_changelist"))
        shown = listed(response)
        return {name for name, pk in audit.items() if pk in shown}

    assert seen_by(people.hb_reviewer) == {"hb_clerk", "hb_reviewer"}
    assert seen_by(people.hy_reviewer) == {"hy_clerk"}
    # 陕西省 on the west side: the users working in its western counties, not 武进区's, not
    # 安康市's eastern side (which holds nothing), not the nation's.
    assert seen_by(sx_reviewer) == {"hb_clerk", "hb_reviewer", "hy_clerk", "sx_reviewer"}
    assert seen_by(people.superuser) == set(audit)


# --- 3. imports --------------------------------------------------------------------------


def upload(client, label, content, name="rows.csv"):
    return client.post(
        admin_url(label, "import"),
        {
            "import_file": SimpleUploadedFile(name, content),
            "format": CSV_FORMAT,
            "resource": "0",
        },
    )


def confirm(client, label, preview):
    form = preview.context["confirm_form"]
    return client.post(
        admin_url(label, "process_import"),
        {name: form.initial.get(name, "") for name in form.fields},
        follow=True,
    )


def both_rows_file(label, records, people):
    """The admin's own export of P's and Q's record (as the nation sees them); then both
    records are deleted, so that importing the file would create them again. Returns the
    CSV text and the line number of Q's row."""
    text = exported_text(browser(people.superuser), label)
    lines = text.splitlines()
    assert len(lines) == 3, lines
    [q_line] = [n for n, line in enumerate(lines, 1) if Q_NAME in line]
    model = model_of(label)
    with acting_user(people.superuser):
        for side in ("P", "Q"):
            model._base_manager.get(pk=records.of(side)[label].pk).delete()
    return text, q_line


def without_line(text, number):
    lines = text.splitlines()
    del lines[number - 1]
    return "\r\n".join(lines) + "\r\n"


def refused_naming(page, line):
    """The page names the other area's row, in its partnership column, and no other row
    (the file has a header and two rows: lines 2 and 3)."""
    assert f"第{line}行“协作关系”" in page, "no error names the partnership of the row"
    assert f"第{5 - line}行" not in page, "the own area's row is refused too"


@pytest.mark.parametrize("label", SPREADSHEET_MODELS)
def test_an_import_with_a_row_of_another_area_is_refused(label, records, people):
    text, q_line = both_rows_file(label, records, people)
    client = browser(people.hb_clerk)
    before = counts(label)

    preview = upload(client, label, text.encode("utf-8"))

    assert preview.status_code == 200
    assert not preview.context.get("confirm_form"), "the file may be confirmed"
    refused_naming(preview.content.decode(), q_line)
    assert counts(label) == before

    # Without that row the same file is fine: the other area's row alone was refused.
    alone = upload(client, label, without_line(text, q_line).encode("utf-8"))
    assert alone.context.get("confirm_form"), alone.content.decode()[-3000:]
    assert "新增 1 行" in alone.content.decode()
    confirm(client, label, alone)
    assert counts(label)[0] == before[0] + 1


@pytest.mark.parametrize("label", SPREADSHEET_MODELS)
def test_confirming_an_import_checks_the_area_again(label, records, people):
    """A confirm form posted by a 汉滨区 clerk for a file previewed by the nation (or a
    file name guessed): process_import refuses the other area's row, nothing is written."""
    text, q_line = both_rows_file(label, records, people)
    preview = upload(browser(people.superuser), label, text.encode("utf-8"))
    assert preview.context.get("confirm_form"), "the nation may import both rows"
    before = counts(label)

    done = confirm(browser(people.hb_clerk), label, preview)

    assert counts(label) == before
    page = done.content.decode()
    assert "导入完成" not in page
    refused_naming(page, q_line)


# --- the deletions list ----------------------------------------------------------------


def test_the_deletions_list_shows_only_the_own_areas_deletions(records, people, admin_client):
    for side in ("P", "Q"):
        visit = records.of(side)["cooperation.Visit"]
        response = admin_client.post(
            admin_url("cooperation.Visit", "delete", visit.pk), {"post": "yes"}
        )
        assert response.status_code == 302

    def listed_deletions(user):
        response = browser(user).get(reverse("deletions:list"))
        assert response.status_code == 200
        return {row.record.id for row in response.context["deletions"] if row.model is Visit}

    p_visit, q_visit = records.P["cooperation.Visit"].pk, records.Q["cooperation.Visit"].pk
    assert listed_deletions(people.hb_reviewer) == {p_visit}
    assert listed_deletions(people.hy_reviewer) == {q_visit}

    q_deletion = Visit.history.get(id=q_visit, history_type="-")
    restore = reverse("deletions:restore", args=["cooperation", "visit", q_deletion.history_id])
    assert browser(people.hb_reviewer).post(restore).status_code == 404
    assert not Visit.objects.filter(pk=q_visit).exists()


# --- 5. queries: the same number whatever the rows, about a nation user's ----------------

# A scoped changelist runs at most this many queries more than the nation's: none. The
# areas are read once per request for every user (the nation is an area too), and the
# narrowing is a subquery of the same SQL.
EXTRA_QUERIES_OF_A_SCOPED_USER = 0

MORE = {
    "cooperation.Organisation": lambda p, n: [
        OrganisationFactory(name=f"批量单位{_unique()}", region=region(HANBIN)) for _i in range(n)
    ],
    "cooperation.Pairing": lambda p, n: [
        PairingFactory(
            partnership=p,
            east_org=EastOrgFactory(name=f"批量东{_unique()}", region=region(WUJIN)),
            west_org=OrganisationFactory(name=f"批量西{_unique()}", region=region(HANBIN)),
        )
        for _i in range(n)
    ],
    "cooperation.Posting": lambda p, n: PostingFactory.create_batch(
        n,
        partnership=p,
        home_org=EastOrgFactory(name="批量派出", region=region(WUJIN)),
        host_org=OrganisationFactory(name="批量接收", region=region(HANBIN)),
    ),
    "cooperation.Visit": lambda p, n: VisitFactory.create_batch(n, partnership=p),
    "cooperation.CadreTraining": lambda p, n: CadreTrainingFactory.create_batch(n, partnership=p),
    "cooperation.Target": lambda p, n: [
        TargetFactory(partnership=p, year=y) for y in _free_years(p, n)
    ],
    "projects.Project": lambda p, n: ProjectFactory.create_batch(
        n, partnership=p, town_id=TOWN_OF[HANBIN]
    ),
    "projects.Disbursement": lambda p, n: [
        DisbursementFactory(project=ProjectFactory(partnership=p, town_id=TOWN_OF[HANBIN]))
        for _i in range(n)
    ],
    "projects.Investment": lambda p, n: InvestmentFactory.create_batch(
        n, partnership=p, town_id=TOWN_OF[HANBIN]
    ),
    "projects.ConsumptionSale": lambda p, n: [
        ConsumptionSaleFactory(partnership=p, seller=f"批量{_unique()}", town_id=TOWN_OF[HANBIN])
        for _i in range(n)
    ],
    "projects.Donation": lambda p, n: DonationFactory.create_batch(
        n, partnership=p, town_id=TOWN_OF[HANBIN]
    ),
    "projects.IndustrialPark": lambda p, n: IndustrialParkFactory.create_batch(
        n, partnership=p, town_id=TOWN_OF[HANBIN]
    ),
    "projects.DemonstrationVillage": lambda p, n: [
        DemonstrationVillageFactory(
            partnership=p, village_id=VILLAGE_OF[HANBIN], year=1000 + _unique()
        )
        for _i in range(n)
    ],
    "labor.Worker": lambda p, n: [
        WorkerFactory(partnership=p, id_number=id_number_for(8000 + _unique())) for _i in range(n)
    ],
    "labor.Employment": lambda p, n: [
        EmploymentFactory(
            worker=WorkerFactory(partnership=p, id_number=id_number_for(8000 + _unique()))
        )
        for _i in range(n)
    ],
    "labor.JobFair": lambda p, n: JobFairFactory.create_batch(n, partnership=p),
    "labor.TrainingCourse": lambda p, n: TrainingCourseFactory.create_batch(n, partnership=p),
    "labor.CommunityFactory": lambda p, n: CommunityFactoryFactory.create_batch(n, partnership=p),
}


def _free_years(partnership, n):
    """n years before any the partnership has a target for (a target is one per year)."""
    first = min(Target.objects.filter(partnership=partnership).values_list("year", flat=True))
    return range(first - n, first)


def _more_partnerships(n):
    """Partnerships of 汉滨区 with other eastern counties (a partnership's records are
    partnerships)."""
    easts = Region.objects.filter(level=Region.Level.COUNTY, code__startswith=JIANGSU).exclude(
        code__in=Partnership.objects.values("east_region_id")
    )
    return [
        PartnershipFactory(east_region=east, west_region=region(HANBIN))
        for east in easts.order_by("code")[:n]
    ]


MORE["cooperation.Partnership"] = lambda p, n: _more_partnerships(n)


def test_every_record_admin_has_a_query_count_case():
    assert set(MORE) == set(EXPECTED_RECORD_MODELS)


def changelist_queries(user, label):
    client = browser(user)
    url = admin_url(label, "changelist")
    assert client.get(url).status_code == 200  # warm: sessions, content types, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("label", RECORD_MODELS)
def test_a_scoped_changelist_costs_the_same_whatever_the_rows(label, records, people):
    with acting_user(people.superuser):
        MORE[label](records.p, 2)  # 3 rows of P (and Q's one)
    few, rows_few = changelist_queries(people.hb_clerk, label)
    with acting_user(people.superuser):
        MORE[label](records.p, 27)  # 30 rows
    many, rows_many = changelist_queries(people.hb_clerk, label)
    nation, _rows = changelist_queries(people.nation, label)

    assert rows_many > rows_few >= 3  # the rows were there (and the page shows them)
    assert many == few, f"{few} queries with 3 rows, {many} with 30"
    assert many <= nation + EXTRA_QUERIES_OF_A_SCOPED_USER, (many, nation)
