"""Building one demo partnership's records from a plan, fast (bulk inserts) and repeatably
(a fixed random seed per partnership).

`story=True` adds the people, units and projects the report names (武进–汉滨 only); they
are part of the plan's totals, not on top of them. Records not named in the report are
invented: their units carry generic names (“湖塘镇人民政府”, “武进某电子企业”).
"""

from .cooperation_records import cadre_trainings, pairings, postings, visits
from .labour_records import courses, job_fairs, workers
from .project_records import (
    demonstration_villages,
    disbursements,
    donations,
    factories,
    funded_projects,
    investments,
    parks,
    sales,
)


def build(ctx):
    """All the records of one partnership, in dependency order."""
    pairings(ctx)
    postings(ctx)
    visits(ctx)
    projects = funded_projects(ctx)
    disbursements(ctx, projects)
    factories(ctx, projects)
    parks(ctx)
    investments(ctx)
    sales(ctx)
    donations(ctx)
    demonstration_villages(ctx)
    job_fairs(ctx)
    courses(ctx)
    workers(ctx)
    # Last: added after the others, it draws from the seeded random numbers without moving
    # what the records before it drew.
    cadre_trainings(ctx)
