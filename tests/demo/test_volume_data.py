"""Volume data: `load_demo --scale N` makes N partnerships of the report's shape — the demo
and N − 1 synthetic ones — up to the benchmark's national data set (bench/run)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models.functions import Mod

from cooperation.dashboard.indicators import registry
from cooperation.demo import planned, synthetic_pairs
from cooperation.demo.builders import build
from cooperation.demo.context import new_context
from cooperation.demo.plan import report_plan
from cooperation.freshness import partnership_lookup
from cooperation.imports.files import CSV, read_file
from cooperation.imports.running import run_import
from cooperation.management.commands.import_records import resource_classes
from cooperation.models import (
    CadreTraining,
    Organisation,
    Pairing,
    Partnership,
    Posting,
    Target,
    Visit,
)
from labor import idcard
from labor.models import (
    CommunityFactory,
    Employment,
    JobFair,
    TrainingCourse,
    Worker,
    WorkerYear,
)
from labor.services import rebuild_worker_years
from projects.models import ConsumptionSale, Donation, Investment, Project
from tests.cooperation.factories import PairingFactory

from .conftest import delete_records, record_models

# Workers transferred per year in the demo partnership: the report's 1,043 of 2021, and the
# demo's choices for the other years (cooperation/demo/figures.py), 2,765 in all.
DEMO_TRANSFERS = {2019: 640, 2020: 702, 2021: 1043, 2022: 380}
DEMO_WORKERS = 640 + 702 + 1043 + 380
WORKER_YEAR_FACTS = [
    "worker_id",
    "partnership_id",
    "year",
    "home_town_id",
    "household",
    "transferred",
    "transferred_month",
    "transferred_east",
    "transfer_destination",
    "in_east",
    "employed_days",
    "stable",
    "monthly_wage",
]


def counts():
    return {m._meta.label: m._base_manager.count() for m in record_models()}


@pytest.fixture(scope="module")
def scale_3(demo_loaded, django_db_blocker):
    """`load_demo --scale 3` on top of the package's demo, committed; its output. Afterwards
    the database holds the demo alone again, as the package's other tests expect."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("load_demo", scale=3, stdout=out)
        yield out.getvalue()
        delete_records()
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def synthetic(scale_3, db):
    """The two synthetic partnerships, in the order they were made."""
    return list(Partnership.objects.exclude(east_region_id="320412").order_by("pk"))


def test_scale_3_loads_two_synthetic_partnerships_beside_the_demo(scale_3, synthetic):
    assert "demo: 2 partnership(s) loaded" in scale_3  # the demo was there already
    first = Partnership.objects.order_by("pk").first()
    assert (first.east_region_id, first.west_region_id) == ("320412", "610902")
    assert len(synthetic) == 2
    for p in synthetic:  # Jiangsu helps Shaanxi, the demo's counties are not reused
        assert p.east_region_id[:2] == "32" and p.west_region_id[:2] == "61"
        assert {p.east_region_id, p.west_region_id}.isdisjoint({"320412", "610902"})


def test_each_synthetic_partnership_has_the_reports_shape_scaled_down(demo, synthetic):
    kinds = [
        Pairing,
        Posting,
        Visit,
        CadreTraining,
        Project,
        CommunityFactory,
        Investment,
        ConsumptionSale,
    ]
    kinds += [Donation, JobFair, TrainingCourse, Worker, Target]
    factors = {(p.east, p.west): p.factor for p in planned(3)}
    for p in synthetic:
        factor = factors[(p.east_region_id, p.west_region_id)]
        assert 0.6 <= factor <= 0.95
        for model in kinds:
            assert model.objects.filter(partnership=p).exists(), model
        for year, transferred in DEMO_TRANSFERS.items():
            assert registry["labor.transferred"].value(p, year) == round(transferred * factor)
        # smaller than the demo: 武进–汉滨, the benchmark's partnership, is the largest
        assert Worker.objects.filter(partnership=p).count() < DEMO_WORKERS
    assert Worker.objects.filter(partnership=demo).count() == DEMO_WORKERS


def test_synthetic_records_are_valid(synthetic):
    for p in synthetic:
        workers = Worker.objects.filter(partnership=p)
        for number, gender, born, town in workers.values_list(
            "id_number", "gender", "birth_date", "home_town_id"
        ):
            assert idcard.validate(number) == number
            assert number[:6] == p.west_region_id  # made up in the western county
            assert (gender, born) == (idcard.gender_of(number), idcard.birth_date_of(number))
            assert town.startswith(p.west_region_id)
        spells = Employment.objects.filter(worker__partnership=p)
        assert spells.count() >= workers.count()  # one spell each, a second for some
        for start, end in spells.values_list("start_date", "end_date"):
            assert start <= end <= datetime.date(2022, 12, 31)


def test_worker_years_are_those_the_labour_service_computes(synthetic):
    workers = Worker.objects.filter(partnership__in=synthetic).values_list("id", flat=True)
    rows = WorkerYear.objects.filter(worker__in=workers).order_by("worker_id", "year")
    loaded = list(rows.values_list(*WORKER_YEAR_FACTS))
    assert {r[0] for r in loaded} == set(workers)  # every worker has his years
    rebuild_worker_years(workers)
    assert list(rows.values_list(*WORKER_YEAR_FACTS)) == loaded


def test_synthetic_partnerships_are_written_without_history_rows(demo, synthetic):
    assert Posting.history.filter(partnership=demo).exists()
    assert not Posting.history.filter(partnership__in=synthetic).exists()
    assert not Project.history.filter(partnership__in=synthetic).exists()


def test_running_it_again_changes_nothing(scale_3, db):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", scale=3, stdout=out)
    assert counts() == before
    assert out.getvalue().count("already has records") == 3


def test_if_empty_loads_nothing_when_the_scale_is_loaded(scale_3, db):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", scale=3, if_empty=True, stdout=out)
    assert counts() == before
    # 2,765 + the two synthetic partnerships' workers, as many as --scale 3 makes
    workers = f"{Worker.objects.count():,}"
    assert f"holds {workers} workers (--scale 3 makes {workers}); nothing loaded" in out.getvalue()


def test_if_empty_extends_a_load_of_a_smaller_scale(scale_3, db):
    call_command("load_demo", scale=4, if_empty=True, stdout=io.StringIO())
    fourth = synthetic_pairs(3)[2]
    assert Worker.objects.filter(
        partnership__east_region_id=fourth[0], partnership__west_region_id=fourth[1]
    ).exists()


def test_if_empty_loads_nothing_beside_records_of_another_partnership(scale_3, db):
    # e.g. real records entered by clerks, or a data set of another generator
    other = Partnership.objects.create(
        east_region_id="320102", west_region_id="610102", since_year=2021
    )  # 玄武区—新城区: districts, never paired by the synthetic data
    PairingFactory(
        partnership=other,
        east_org=Organisation.objects.create(
            name="玄武某企业", kind="enterprise", region_id="320102"
        ),
        west_org=Organisation.objects.create(name="新城某社区", kind="village", region_id="610102"),
    )
    before = counts()
    out = io.StringIO()
    call_command("load_demo", scale=4, if_empty=True, stdout=out)
    assert counts() == before
    assert "records of 1 other partnership(s); nothing loaded" in out.getvalue()


def test_synthetic_pairs_go_round_the_counties_once_each_pair(scale_3, db):
    pairs = synthetic_pairs(250)
    assert len(set(pairs)) == 250
    assert pairs[:2] == synthetic_pairs(2)  # a larger scale adds partnerships, changes none
    # Jiangsu has 104 county-level units and Shaanxi 107, the demo's two left out: in each
    # round of 103 pairs every eastern county helps one western county, none twice.
    first_round, second_round = pairs[:103], pairs[103:206]
    assert len({e for e, _ in first_round}) == len({w for _, w in first_round}) == 103
    assert len({w for _, w in second_round}) == 103
    assert {e for e, _ in second_round} == {e for e, _ in first_round}


def test_a_scale_beyond_every_county_pair_is_refused(scale_3, db):
    # 103 × 106 synthetic pairs, and the demo's
    with pytest.raises(CommandError, match="at most 10919 for --scale"):
        call_command("load_demo", scale=10920, stdout=io.StringIO())


def test_id_numbers_already_in_a_western_county_are_never_made_again(synthetic):
    """A western county pairs with several eastern ones at a large scale: a partnership built
    there skips the ID numbers the county's workers already hold."""
    lantian = synthetic[0]
    east = synthetic[1].east_region_id  # paired with another western county so far

    def build_partnership():
        p = Partnership.objects.create(
            east_region_id=east, west_region_id=lantian.west_region_id, since_year=2017
        )
        build(new_context(p, report_plan().scaled(0.6), seed="shared-county", story=False))
        return list(Worker.objects.filter(partnership=p).values_list("id_number", flat=True))

    with transaction.atomic():
        made = build_partnership()
        transaction.set_rollback(True)
    # The same numbers, now held by workers of the county's first partnership:
    Worker.objects.bulk_create(
        Worker(
            partnership=lantian,
            name="占位",
            id_number=number,
            gender=idcard.gender_of(number),
            birth_date=idcard.birth_date_of(number),
            household="ordinary",
        )
        for number in made
    )
    again = build_partnership()  # the same seed: the same draws, the taken numbers skipped
    assert len(again) == len(made) and set(again).isdisjoint(made)


@pytest.mark.parametrize(
    "resource_class",
    sorted(set(resource_classes().values()), key=lambda cls: cls.__name__),
    ids=lambda cls: cls.__name__,
)
def test_an_export_of_the_synthetic_partnerships_imports_back_unchanged(
    synthetic, admin_user, resource_class
):
    """National-style data: several partnerships, in counties whose towns share names with
    others (every tenth worker: the rest would only repeat the same lines)."""
    model = resource_class._meta.model
    lookup = partnership_lookup(model)  # a disbursement's is its project's
    queryset = model.objects.filter(**{f"{lookup}__in": [p.pk for p in synthetic]})
    if resource_class._meta.model is Worker:
        queryset = queryset.annotate(tenth=Mod("pk", 10)).filter(tenth=0)
    exported = resource_class(user=admin_user).export(queryset=queryset.order_by("pk"))
    assert len(exported) > 0

    result = run_import(
        resource_class(user=admin_user), read_file(CSV().export_data(exported), "x.csv")
    )

    assert result.ok, result.messages[:5]
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    assert result.totals["skip"] == len(exported)
