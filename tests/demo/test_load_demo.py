"""The load_demo command: idempotent, valid made-up personal data, targets, --scale."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from cooperation.dashboard.indicators import percent, registry
from cooperation.demo import synthetic_pairs
from cooperation.demo.people import REPORT_NAMES
from cooperation.freshness import data_version
from cooperation.models import DataVersion, Partnership, Region, Target
from labor import idcard
from labor.models import Employment, Worker
from projects.models import Disbursement, Project
from tests.cooperation.factories import OrganisationFactory, PairingFactory

from .conftest import record_models


def counts():
    return {m._meta.label: m._base_manager.count() for m in record_models()}


def test_running_it_again_changes_nothing(demo):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "already has records" in out.getvalue()


def test_it_loads_nothing_into_a_partnership_that_already_has_records(demo):
    # e.g. a real partnership entered by clerks: demo rows must never be mixed into it
    east, west = synthetic_pairs(1)[0]
    real = Partnership.objects.create(east_region_id=east, west_region_id=west, since_year=2021)
    PairingFactory(
        partnership=real,
        east_org=OrganisationFactory(region=Region.objects.get(code=east)),
        west_org=OrganisationFactory(region=Region.objects.get(code=west)),
    )
    before = counts()
    call_command("load_demo", scale=2, stdout=io.StringIO())
    assert counts() == before


def test_every_worker_id_number_is_valid_and_made_up_in_hanbin(demo):
    numbers = list(Worker.objects.filter(partnership=demo).values_list("id_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 640 + 702 + 1043 + 380
    for number in numbers:
        assert idcard.validate(number) == number
        # 汉滨区 today, or 安康县 (612401) on numbers issued before the 1988 renaming
        assert number[:6] in ("610902", "612401")


def test_gender_and_birth_date_agree_with_the_id_number(demo):
    for number, gender, born in Worker.objects.filter(partnership=demo).values_list(
        "id_number", "gender", "birth_date"
    )[:500]:
        assert (gender, born) == (idcard.gender_of(number), idcard.birth_date_of(number))


def test_workers_were_of_working_age_when_they_started(demo):
    spells = Employment.objects.filter(worker__partnership=demo).values_list(
        "start_date", "worker__birth_date"
    )
    ages = {(start - born).days // 365 for start, born in spells}
    assert 17 <= min(ages) and max(ages) <= 59


def test_people_of_the_report_appear_as_workers_only_under_pseudonyms(demo):
    assert not Worker.objects.filter(name__in=REPORT_NAMES).exists()
    # the report's worker of 大河镇堰湾村 (脱贫户, electronics in Wujin, about 5,000 元)
    worker = Worker.objects.get(partnership=demo, name="韩秀兰")
    assert (worker.home_village_id, worker.household) == ("610902115225", "exited")
    spell = worker.employments.get()
    assert (spell.monthly_wage, spell.in_east) == (Decimal("5000"), True)


def test_fair_hires_match_the_fairs_ledger(demo):
    # 712 spells of 2021 come from the 4 fairs: the ledger's "hired", person by person
    hires = Employment.objects.filter(worker__partnership=demo, job_fair__date__year=2021)
    assert hires.aggregate(n=Count("worker", distinct=True))["n"] == 712


def test_targets_exist_for_both_years_and_give_percentages(demo):
    years = dict(
        Target.objects.filter(partnership=demo)
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert years[2021] == years[2022] >= 30
    target = Target.objects.get(partnership=demo, year=2021, indicator="labor.transferred")
    # 1,043 transferred against 1,000 agreed: 104.3 %
    actual = registry["labor.transferred"].value(demo, 2021)
    assert percent(actual, target.value) == Decimal("104.3")


def test_every_target_names_a_registered_indicator(demo):
    keys = set(Target.objects.filter(partnership=demo).values_list("indicator", flat=True))
    assert keys <= {i.key for i in registry}


def test_scale_must_be_positive(demo):
    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", scale=0)


def test_scale_adds_synthetic_partnerships_and_keeps_the_reports_figures(demo, client):
    call_command("load_demo", scale=2, stdout=io.StringIO())
    synthetic = Partnership.objects.exclude(pk=demo.pk).get()
    assert synthetic.east_region_id.startswith("32") and synthetic.west_region_id.startswith("61")
    assert Worker.objects.filter(partnership=synthetic).count() > 1000
    assert registry["labor.transferred"].value(demo, 2021) == 1043  # unchanged
    assert registry["labor.transferred"].value(synthetic, 2021) > 0
    response = client.get(f"/?partnership={synthetic.pk}&year=2021")
    assert response.status_code == 200


def test_scale_run_again_changes_nothing(demo):
    call_command("load_demo", scale=2, stdout=io.StringIO())
    before = counts()
    call_command("load_demo", scale=2, stdout=io.StringIO())
    assert counts() == before


def test_dashboard_opens_on_the_demo_and_shows_the_reports_2021(demo, client):
    assert client.get("/").status_code == 200
    page = client.get(f"/?partnership={demo.pk}&year=2021").content.decode()
    for shown in ["1,043", "9,965.11", "3,498.43", "51,739", "13,050", "35,260"]:
        assert re.search(re.escape(shown), page), shown


def test_loading_changes_the_data_version_so_cached_pages_are_not_reused(demo):
    before = data_version()
    call_command("load_demo", scale=2, stdout=io.StringIO())
    assert data_version() != before
    # The synthetic partnership's own version too (its records are written in bulk).
    added = Partnership.objects.exclude(pk=demo.pk).get()
    assert DataVersion.objects.filter(partnership_id=added.pk).exists()


def test_demo_disbursements_stay_within_each_projects_aid_funds(demo):
    assert Disbursement.objects.exists()
    assert not Project.objects.over_disbursed().exists()


def aid(projects):
    return projects.aggregate(v=Sum("aid_funds"))["v"] or 0


@pytest.mark.parametrize("year", [2020, 2021, 2022])
def test_the_demo_disbursement_rate_is_plausible(demo, year):
    """Finished projects are paid in full, those under way in part (the demo's invention):
    a year's rate lies between the share of its funds in finished projects and 100 %."""
    rate = registry["funds.disbursement_rate"].value(demo, year)
    projects = Project.objects.filter(partnership=demo, fund_year=year).not_cancelled()
    finished = projects.filter(status__in=["completed", "operating"])
    floor = aid(finished) / aid(projects) * 100
    assert floor <= rate <= 100, (year, rate, floor)
    assert rate < 100 or floor == 100
