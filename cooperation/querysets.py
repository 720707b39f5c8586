"""Reads of the core records, named as phrases and computed in the database."""

import datetime

from django.db import models
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Least, Replace


def year_end(year):
    return datetime.date(year, 12, 31)


# Endings of village-level names in the code list and their everyday form, longest first:
# 东方村村委会 → 东方村, 小河村委会 → 小河村, 梅港社区居委会 → 梅港社区.
VILLAGE_ENDINGS = (
    ("村村民委员会", "村"),
    ("村村委会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
)


def short_region_name(name):
    """The everyday name of a region: the committee suffix (and a note in brackets) dropped."""
    name = (name or "").strip()
    if name.endswith("）") and "（" in name:
        name = name[: name.rindex("（")]
    for ending, everyday in VILLAGE_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)] + everyday
    return name


def short_region_name_sql(expression):
    """The same everyday name, computed in the database (for lists and exports)."""
    expression = F(expression) if isinstance(expression, str) else expression
    for ending, everyday in VILLAGE_ENDINGS:
        expression = Replace(expression, Value(ending), Value(everyday))
    return expression


class RegionQuerySet(models.QuerySet):
    def within(self, region_or_code):
        """Regions inside a region (the region itself included), by code prefix."""
        code = getattr(region_or_code, "code", region_or_code)
        return self.filter(code__startswith=code)

    def towns_of(self, county):
        return self.within(county).filter(level=4)


class RecordQuerySet(models.QuerySet):
    """The queryset of records that belong to a partnership (`PartnershipRecord`)."""

    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class PartnershipQuerySet(models.QuerySet):
    def with_regions(self):
        return self.select_related("east_region", "west_region")


def pairing_active_q(day):
    """Pairings signed by `day` and not ended before it."""
    return Q(signed_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def pairing_in_town_q(town):
    """Pairings whose western organisation lies in a town (a Region or a 9-digit code),
    villages of it included."""
    return Q(west_org__region__code__startswith=getattr(town, "code", town))


class PairingQuerySet(RecordQuerySet):
    def active_on(self, day):
        return self.filter(pairing_active_q(day))

    def active_at_end_of(self, year):
        return self.active_on(year_end(year))

    def in_town(self, town):
        """Pairings whose western organisation lies in a town (or village of it)."""
        return self.filter(pairing_in_town_q(town))


def posting_in_town_q(town):
    """Postings whose western end lies in a town (a Region or a 9-digit code), villages of it
    included: the sending unit for a posting west→east, the receiving unit for one east→west.
    The other end is in the eastern county, never in a town of the western one."""
    from .models import Direction

    code = getattr(town, "code", town)
    return Q(direction=Direction.WEST_TO_EAST, home_org__region__code__startswith=code) | Q(
        direction=Direction.EAST_TO_WEST, host_org__region__code__startswith=code
    )


def posting_on_post_q(day):
    """Postings arrived by `day` and not left before it."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def posting_on_post_during_q(year):
    """Postings on post on at least one day of the year."""
    return Q(start_date__lte=year_end(year)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1))
    )


def posted_person():
    """Who a posting sends: one person posted twice (same name, same home unit) is one."""
    return Concat(
        F("person_name"),
        Value("|"),
        Coalesce(F("home_org_id"), Value(0)),
        output_field=models.CharField(),
    )


def days_on_post_in(year):
    """Days a posting is on post within the year, less one: from max(start, 1 Jan) to
    min(end or 31 Dec, 31 Dec), as a duration (add one day per posting: both ends count)."""
    start, end = datetime.date(year, 1, 1), year_end(year)
    return models.ExpressionWrapper(
        Least(Coalesce(F("end_date"), Value(end)), Value(end))
        - Greatest(F("start_date"), Value(start)),
        output_field=models.DurationField(),
    )


def average_months(total_days, postings):
    """Average months on post (a month is 30 days) of `postings` postings whose spans in a
    year (from `days_on_post_in`) add up to `total_days`; None without postings."""
    if not postings:
        return None
    days = total_days.total_seconds() / 86400 + postings  # both ends inclusive
    return round(days / postings / 30, 1)


class PostingQuerySet(RecordQuerySet):
    def in_town(self, town):
        """Postings of a western town: see `posting_in_town_q`."""
        return self.filter(posting_in_town_q(town))

    def started_in(self, year):
        return self.filter(start_date__year=year)

    def started_by_end_of(self, year):
        return self.filter(start_date__lte=year_end(year))

    def on_post_on(self, day):
        return self.filter(posting_on_post_q(day))

    def on_post_at_end_of(self, year):
        return self.on_post_on(year_end(year))

    def on_post_during(self, year):
        """On post on at least one day of the year."""
        return self.filter(posting_on_post_during_q(year))

    def cadres(self):
        return self.filter(category="cadre")

    def professionals(self):
        return self.exclude(category="cadre")

    def person_count(self):
        """Distinct persons: one person posted twice (same name, same home unit) counts once."""
        return self.aggregate(n=Count(posted_person(), distinct=True))["n"]

    def average_months_in(self, year):
        """Average months on post within the year of the postings on post during it.

        Each posting counts the days between max(start, 1 Jan) and min(end or 31 Dec, 31 Dec),
        a month being 30 days. Computed in the database as a sum of day spans."""
        row = self.on_post_during(year).aggregate(total=Sum(days_on_post_in(year)), n=Count("id"))
        return average_months(row["total"], row["n"])


class VisitQuerySet(RecordQuerySet):
    def in_year(self, year):
        return self.filter(date__year=year)


class CadreTrainingQuerySet(RecordQuerySet):
    def in_year(self, year):
        """The courses that started in the year (they count in that year)."""
        return self.filter(start_date__year=year)
