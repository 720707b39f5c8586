"""What the labour figures mean, each rule defined here once.

- In the eastern province: a spell whose destination (a region code) lies in the province of
  the partnership's eastern county (`in_eastern_province`).
- In the home province (省内就近): a spell whose destination lies in the province of the
  partnership's western county, the workers' own (`in_home_province`).
- Where a worker transferred in a year went, one place per person (`destination_of`): the
  eastern province, else the home province, else elsewhere.
- Stable employment: at least STABLE_EMPLOYMENT_MONTHS × 30 employed days within a year
  (`stable_days`, `is_stable`).
- Worker-years: a worker's facts for each calendar year, from his spells (`years_of`).

Every writer applies these functions: `Employment.save` (admin, shell, services), the import
(`labor.resources`), the worker-year rebuild (`labor.services`) and the demo. No database
access here: the callers read and write."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

#: "a month" of STABLE_EMPLOYMENT_MONTHS, everywhere in the labour figures
DAYS_PER_MONTH = 30
#: the leading digits of a region code that name its province (32: 江苏省)
PROVINCE_DIGITS = 2
_CENT = Decimal("0.01")

# The facts of a worker-year, in the order `years_of` gives them (WorkerYear's fields).
FACTS = (
    "transferred",
    "transferred_month",
    "transferred_east",
    "transfer_destination",
    "in_east",
    "employed_days",
    "stable",
    "monthly_wage",
)


def in_eastern_province(destination_code, east_region_code):
    """Whether a spell's destination lies in the province of the partnership's eastern
    county: 320412xxx (武进区) and 320413 (金坛区) for a partnership of 武进区 (320412), not
    330206 (宁波) nor a blank destination."""
    if not destination_code:
        return False
    return destination_code.startswith(east_region_code[:PROVINCE_DIGITS])


def in_home_province(destination_code, west_region_code):
    """Whether a spell's destination lies in the province of the partnership's western
    county (省内就近): 610902xxx (汉滨区) or 610102 (西安) for 汉滨区 (610902), not a blank
    destination."""
    if not destination_code:
        return False
    return destination_code.startswith(west_region_code[:PROVINCE_DIGITS])


# Where a worker transferred in a year went (WorkerYear.transfer_destination).
EAST, HOME, ELSEWHERE = "east", "home", "elsewhere"


def destination_of(starts):
    """The destination of a worker's transfer from the spells starting in the year [(…,
    in_east, in_home)], one per person so that the three add up to the persons transferred:
    EAST when one of them is in the eastern province (as `transferred_east`), else HOME when
    one is in the home province, else ELSEWHERE (another province, or no destination
    recorded); "" without such a spell."""
    if not starts:
        return ""
    if any(s[3] for s in starts):
        return EAST
    if any(s[4] for s in starts):
        return HOME
    return ELSEWHERE


def stable_days():
    """Employed days within a year from which a worker counts as stably employed."""
    return settings.STABLE_EMPLOYMENT_MONTHS * DAYS_PER_MONTH


def is_stable(employed_days):
    return employed_days >= stable_days()


def years_of(spells, today):
    """[(year, facts), …] of one worker from his spells [(start, end or None, wage, in_east,
    in_home)], facts in the order of FACTS.

    A spell belongs to every year from its start to its end (an open spell: to today's
    year). Within a year it covers max(start, 1 Jan) to min(end, 31 Dec, today), both days
    included; overlapping spells are merged before counting, so a day counts once.

    - transferred: a spell starts in the year; transferred_month: month of the first start;
    - transferred_east: a spell starting in the year is in the eastern province;
    - transfer_destination: `destination_of` the spells starting in the year;
    - in_east: a spell active during the year is in the eastern province;
    - employed_days, and stable (`is_stable`);
    - monthly_wage: mean monthly wage of the year's spells that have one."""
    by_year = defaultdict(list)
    for spell in spells:
        start, end = spell[0], spell[1]
        last = min(end, today) if end else today
        for year in range(start.year, max(start.year, last.year) + 1):
            by_year[year].append(spell)

    result = []
    for year, year_spells in sorted(by_year.items()):
        first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        starts = [s for s in year_spells if s[0].year == year]
        wages = [s[2] for s in year_spells if s[2] is not None]
        days = _covered_days([(max(s[0], first), min(s[1] or last, last)) for s in year_spells])
        wage = (sum(wages) / len(wages)).quantize(_CENT, ROUND_HALF_UP) if wages else None
        result.append(
            (
                year,
                (
                    bool(starts),
                    min(s[0] for s in starts).month if starts else None,
                    any(s[3] for s in starts),
                    destination_of(starts),
                    any(s[3] for s in year_spells),
                    days,
                    is_stable(days),
                    wage,
                ),
            )
        )
    return result


def _covered_days(intervals):
    """Days covered by the union of inclusive date intervals (empty ones ignored)."""
    total, reach = 0, None
    for start, end in sorted(i for i in intervals if i[0] <= i[1]):
        if reach is not None and start <= reach:
            if end > reach:
                total += (end - reach).days
                reach = end
        else:
            total += (end - start).days + 1
            reach = end
    return total
