"""Every resource's export of the demo data imports back unchanged, as CSV and as XLSX: the
places are written in a form that names them alone (the demo's workers go to 西城街道 and
经济开发区, names shared by several towns; 陈家营村委会 and 陈家营村委会（大） lie in one town)."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import Mod

from cooperation.imports.files import CSV, XLSX, read_file
from cooperation.imports.places import RegionIndex
from cooperation.imports.running import run_import
from cooperation.management.commands.import_records import resource_classes
from cooperation.models import Region
from labor.models import Employment, Worker

RESOURCES = sorted(set(resource_classes().values()), key=lambda cls: cls.__name__)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("exporter", password="pw-12345-test")


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda cls: cls.__name__)
def test_an_export_of_the_demo_imports_back_unchanged(demo, superuser, resource_class, fmt):
    model = resource_class._meta.model
    queryset = model.objects.order_by("pk")
    if model is Worker:
        # Every worker whose job is in a place of a shared name (西城街道, 经济开发区…), and
        # every tenth of the others: the whole 2,765 would only repeat the same lines.
        shared = Region.objects.values("name").annotate(n=Count("code")).filter(n__gt=1)
        queryset = queryset.annotate(tenth=Mod("pk", 10)).filter(
            Q(
                pk__in=Employment.objects.filter(
                    destination__name__in=shared.values("name")
                ).values("worker")
            )
            | Q(tenth=0)
        )
    assert queryset.exists(), f"the demo holds no {model.__name__}"
    exported = resource_class(user=superuser).export(queryset=queryset)
    data = fmt().export_data(exported)

    result = run_import(
        resource_class(user=superuser), read_file(data, f"x.{fmt().get_extension()}")
    )

    assert result.ok, result.messages[:5]
    assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert result.totals["skip"] == len(exported)  # a worker: one line per job spell


def test_a_place_is_exported_in_a_form_that_names_it_alone(db):
    index = RegionIndex()
    big = Region.objects.get(code="610902107313")  # 恒口镇 陈家营村委会（大）
    small = Region.objects.get(code="610902107205")  # 恒口镇 陈家营村委会
    other = Region.objects.get(code="610902104246")  # 五里镇 陈家营村委会
    written = {r.code: index.unique_name(index.get(r.code)) for r in (big, small, other)}
    assert written == {
        "610902107313": "陈家营村委会（大）",
        "610902107205": "恒口镇陈家营村委会",
        "610902104246": "五里镇陈家营村",
    }
    for code, text in written.items():
        assert index.find(text, what="村").code == code
    assert index.unique_name(index.get("610902115")) == "汉滨区大河镇"  # 西乡县 has one too


def test_an_ambiguous_place_is_refused_naming_every_candidate_in_full(db):
    index = RegionIndex()
    with pytest.raises(ValueError) as refused:
        index.find("大河镇", what="镇")
    message = str(refused.value)
    assert "陕西省汉中市西乡县大河镇" in message and "陕西省安康市汉滨区大河镇" in message
    assert "610724114" not in message  # names a clerk knows, not codes
    assert "汉滨区大河镇" in message  # and how to write it
