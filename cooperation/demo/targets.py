"""Agreed targets (协议指标) for 2021 and 2022, so the dashboard shows progress.

Plausible values for a county pair of this size, not taken from any agreement: 2021's are
mostly met (the report's year), 2022's are for the full year while the demo's records stop
in April, so they read as work in progress. Cumulative figures (postings) get cumulative
targets. Keys missing from the registry are skipped."""

from decimal import Decimal

from cooperation.dashboard.indicators import registry
from cooperation.models import Target

TARGETS = {  # key: (2021, 2022)
    "funds.aid": (4800, 5100),
    "funds.projects": (28, 26),
    "funds.beneficiaries": (25000, 26000),
    "funds.beneficiaries_poverty_exited": (9000, 9500),
    "funds.donations_total": (120, 150),
    "postings.cadres_w2e": (25, 29),
    "postings.professionals_w2e": (60, 72),
    "postings.cadres_e2w": (15, 18),
    "postings.professionals_e2w": (80, 90),
    "postings.person_times_in_year": (50, 50),
    "visits.count": (12, 12),
    "pairings.active": (24, 28),
    "pairings.town": (10, 10),
    "pairings.village": (8, 10),
    "pairings.enterprise_village": (5, 6),
    "pairings.school": (3, 4),
    "industry.enterprises_settled": (4, 4),
    "industry.investment_arrived": (40000, 30000),
    "industry.jobs": (1000, 800),
    "labor.transferred": (1000, 1100),
    "labor.transferred_poverty_exited": (500, 550),
    "labor.transferred_east": (700, 800),
    "labor.job_fairs": (4, 4),
    "labor.jobs_offered": (30000, 32000),
    "labor.hired": (600, 700),
    "labor.courses": (10, 10),
    "labor.trainees": (350, 400),
    "labor.advanced_courses": (5, 5),
    "labor.advanced_trainees": (100, 100),
    "labor.ecommerce_trainees": (200, 300),
    "labor.factories": (180, 190),
    "labor.factory_jobs": (12500, 13500),
    "consumption.amount": (5000, 5500),
    "consumption.certified_amount": (3000, 3500),
}
YEARS = (2021, 2022)


def create_targets(partnership, factor=1.0):
    """Targets of both years for every known key, multiplied by `factor` (synthetic pairs)."""
    rows = []
    for key, values in TARGETS.items():
        indicator = registry.get(key)
        if indicator is None:
            continue
        for year, value in zip(YEARS, values, strict=True):
            scaled = Decimal(str(value)) * Decimal(str(factor))
            places = Decimal("0.01") if indicator.decimals else Decimal("1")
            rows.append(
                Target(
                    partnership=partnership,
                    year=year,
                    indicator=key,
                    value=max(scaled.quantize(places), places),
                    note="演示数据",
                )
            )
    Target.objects.bulk_create(rows)
    return len(rows)
