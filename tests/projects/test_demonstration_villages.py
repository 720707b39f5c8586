"""Demonstration villages (乡村振兴示范村, 携手促振兴): the other partnership's villages never
count, a village must lie in the partnership's western county and is recorded once a year,
the admin (another area's record is 404), the import, and the list adding up to the funds.

The hand-worked figures of P's villages are in conftest.FIGURES (test_indicators.py)."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cooperation.dashboard.indicators import Group as IndicatorGroup
from cooperation.dashboard.indicators import registry
from cooperation.imports.files import CSV
from cooperation.models import Region, UserArea
from cooperation.roles import DATA_ENTRY
from projects.models import DemonstrationVillage
from projects.resources import DemonstrationVillageResource
from tests.cooperation.factories import region
from tests.dashboard.helpers import footer
from tests.imports.conftest import file_bytes, import_file
from tests.places import BEIMEN, HANBIN, HANYIN_CHENGGUAN, P_NAME, XIDAJIE
from tests.projects.factories import DemonstrationVillageFactory

pytestmark = pytest.mark.django_db

KEYS = ["pairings.demonstration_villages", "pairings.demonstration_village_funds"]


def test_the_figures_are_of_the_pairings_group_and_have_no_month(dataset):
    for key in KEYS:
        assert registry[key].group == IndicatorGroup.PAIRINGS
        assert registry[key].value(dataset, 2021, month=3) is None


def test_the_other_partnership_counts_only_its_own_village(dataset, other_partnership):
    # Q: one village of 汉阴县 in 2021, 6666 万元; P's 2 villages (150.5) stay P's
    q = {key: registry[key].value(other_partnership, 2021) for key in KEYS}
    assert q == {
        "pairings.demonstration_villages": 1,
        "pairings.demonstration_village_funds": D("6666"),
    }
    assert registry["pairings.demonstration_village_funds"].value(dataset, 2021) == D("150.5")


def test_the_town_is_taken_from_the_village(partnership):
    village = DemonstrationVillageFactory(partnership=partnership, village_id=BEIMEN)
    assert village.town_id == BEIMEN[:9]  # 新城街道


def test_a_village_outside_the_western_county_is_refused(partnership):
    hanyin = Region.objects.create(
        code="610921100201", name="城关村委会", level=Region.Level.VILLAGE,
        parent_id=HANYIN_CHENGGUAN,
    )  # fmt: skip
    record = DemonstrationVillage(partnership=partnership, year=2021, village=hanyin)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict["town"] == ["“城关镇”不在汉滨区境内。"]


def test_a_village_is_recorded_once_a_year(partnership):
    DemonstrationVillageFactory(partnership=partnership, year=2021, village_id=XIDAJIE)
    again = DemonstrationVillage(partnership=partnership, year=2021, village_id=XIDAJIE)
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert "本协作关系该年度已登记这个示范村。" in str(refused.value)
    # the next year it may be recorded again
    DemonstrationVillage(partnership=partnership, year=2022, village_id=XIDAJIE).full_clean()


def test_a_village_is_required(partnership):
    with pytest.raises(ValidationError) as refused:
        DemonstrationVillage(partnership=partnership, year=2021).full_clean()
    assert "village" in refused.value.message_dict


def test_negative_funds_are_refused(partnership):
    record = DemonstrationVillage(
        partnership=partnership, year=2021, village_id=XIDAJIE, funds=D("-1")
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict["funds"] == ["金额不能为负数。"]


def test_admin_404s_another_area_s_village(partnership, other_partnership, django_user_model):
    user = django_user_model.objects.create_user(username="hb", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=DATA_ENTRY))
    UserArea.objects.create(user=user, region=region(HANBIN))
    client = Client()
    client.force_login(user)
    own = DemonstrationVillageFactory(partnership=partnership, village_id=XIDAJIE)
    hanyin = Region.objects.create(
        code="610921100201", name="城关村委会", level=Region.Level.VILLAGE,
        parent_id=HANYIN_CHENGGUAN,
    )  # fmt: skip
    other = DemonstrationVillageFactory(partnership=other_partnership, village_id=hanyin.code)

    change = "admin:projects_demonstrationvillage_change"
    assert client.get(reverse(change, args=[own.pk])).status_code == 200
    assert client.get(reverse(change, args=[other.pk])).status_code == 404
    listed = client.get(reverse("admin:projects_demonstrationvillage_changelist"))
    assert [v.pk for v in listed.context["cl"].result_list] == [own.pk]


HEAD = ["协作关系", "年度", "镇（街道）", "村（社区）", "投入协作资金（万元）"]
ROWS = [
    [P_NAME, "2021", "老城街道", "西大街社区", "120"],
    [P_NAME, "2021", "新城街道", "北门社区", "8,500元"],
]


def test_import_then_export_back_unchanged(partnership):
    first = import_file(DemonstrationVillageResource, file_bytes([HEAD, *ROWS], "xlsx"), "v.xlsx")
    assert first.ok, first.messages
    assert first.totals["new"] == 2
    beimen = DemonstrationVillage.objects.get(village_id=BEIMEN)
    assert (beimen.town_id, beimen.funds) == (BEIMEN[:9], D("0.85"))  # 8,500 元 = 0.85 万元
    before = list(DemonstrationVillage.objects.order_by("pk").values())

    exported = CSV().export_data(
        DemonstrationVillageResource().export(DemonstrationVillage.objects.all())
    )
    again = import_file(DemonstrationVillageResource, exported, "villages.csv")

    assert again.ok, again.messages
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)
    assert list(DemonstrationVillage.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    "column, value, where",
    [
        (3, "不存在村", "第3行“村（社区）”"),
        (1, "二〇二一", "第3行“年度”"),
        (4, "-5", "第3行“投入协作资金（万元）”"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(partnership, column, value, where):
    bad = list(ROWS[1])
    bad[column] = value
    result = import_file(DemonstrationVillageResource, file_bytes([HEAD, ROWS[0], bad], "utf-8"))
    assert len(result.messages) == 1 and result.messages[0].startswith(where), result.messages
    assert not DemonstrationVillage.objects.exists()


def test_the_list_adds_up_to_the_funds(client, dataset):
    params = {"partnership": dataset.pk, "year": 2021}
    figures = footer(client.get(reverse("projects:villages"), params))
    assert (figures["rows"], figures["funds"]) == (2, D("150.5"))  # 西大街 100 + 北门 50.5
    town = footer(client.get(reverse("projects:villages"), {**params, "town": BEIMEN[:9]}))
    assert (town["rows"], town["funds"]) == (1, D("50.5"))
