"""What a demo partnership holds, as counts and totals: the report's plan for 武进–汉滨, and
the same shape scaled for the synthetic partnerships of `load_demo --scale N`."""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from . import figures as F
from .context import day


@dataclass
class Fair:
    date: datetime.date
    jobs: int
    intentions: int
    hired: int
    stable: int | None = None  # None: the hires decide (synthetic and non-report years)


@dataclass
class Plan:
    pairings: dict
    pairings_per_year: dict
    posting_persons: dict
    posting_times: dict
    visits_per_year: dict  # year: (east→west, west→east)
    visits_with_enterprises: int
    visit_enterprises: int
    aid_per_year: dict
    projects_per_year: dict
    sales_per_year: dict
    investments_per_year: dict  # year: count of generic investments (the story adds its own)
    transfers: dict
    fairs: dict  # year: [Fair]
    skills_courses: dict  # year: [trainees]
    factories_per_year: dict
    factory_jobs: int

    def scaled(self, f):
        """The same shape with every count and total multiplied by about `f`."""

        def i(n, least=0):
            return max(least, round(n * f))

        def m(x):
            return (x * Decimal(str(f))).quantize(Decimal("0.01"))

        return replace(
            self,
            pairings={k: i(v, 1) for k, v in self.pairings.items()},
            pairings_per_year=None,  # spread evenly by the builder
            posting_persons={k: i(v, 1) for k, v in self.posting_persons.items()},
            posting_times={
                k: max(i(v, 1), i(self.posting_persons[k], 1))
                for k, v in self.posting_times.items()
            },
            visits_per_year={y: (i(a, 1), i(b, 1)) for y, (a, b) in self.visits_per_year.items()},
            visits_with_enterprises=i(self.visits_with_enterprises, 1),
            visit_enterprises=i(self.visit_enterprises, 1),
            aid_per_year={y: m(v) for y, v in self.aid_per_year.items()},
            projects_per_year={y: i(v, 1) for y, v in self.projects_per_year.items()},
            sales_per_year={y: (m(a), m(c)) for y, (a, c) in self.sales_per_year.items()},
            investments_per_year={y: i(v, 1) for y, v in self.investments_per_year.items()},
            transfers={y: (i(t, 1), i(e)) for y, (t, e) in self.transfers.items()},
            fairs={
                y: [Fair(x.date, i(x.jobs), i(x.intentions), i(x.hired)) for x in fairs]
                for y, fairs in self.fairs.items()
            },
            skills_courses={y: [i(n, 5) for n in v] for y, v in self.skills_courses.items()},
            factories_per_year={y: i(v, 1) for y, v in self.factories_per_year.items()},
            factory_jobs=i(self.factory_jobs, 50),
        )


def report_plan():
    """武进–汉滨 as the report tells it (see figures.py for each reading)."""
    return Plan(
        pairings=dict(F.PAIRINGS),
        pairings_per_year=dict(F.PAIRINGS_SIGNED_PER_YEAR),
        posting_persons=dict(F.POSTING_PERSONS),
        posting_times=dict(F.POSTING_TIMES),
        visits_per_year={
            2017: (2, 1),
            2018: (3, 2),
            2019: (4, 2),
            2020: (2, 1),
            2021: (5, 3),
            2022: (2, 1),
        },
        visits_with_enterprises=F.VISITS_WITH_ENTERPRISES,
        visit_enterprises=F.VISIT_ENTERPRISES,
        aid_per_year=dict(F.AID_FUNDS_PER_YEAR),
        projects_per_year=dict(F.PROJECTS_PER_YEAR),
        sales_per_year=dict(F.SALES_PER_YEAR),
        # 2021 has exactly the report's five (the story); none signed in early 2022.
        investments_per_year={2018: 2, 2019: 3, 2020: 3},
        transfers=dict(F.TRANSFERS),
        fairs={
            2019: [Fair(day("2019-02-22"), 9800, 720, 96), Fair(day("2019-07-12"), 5200, 410, 64)],
            2020: [Fair(day("2020-06-19"), 6400, 380, 58)],
            # "去年…招聘会4场次": jobs 35,260, intentions 2,436, hired 712, stable 503.
            2021: [
                Fair(day("2021-02-20"), 12200, 860, 248, 180),
                Fair(day("2021-03-19"), 8640, 610, 180, 126),
                Fair(day("2021-06-18"), 7580, 520, 152, 106),
                Fair(day("2021-08-20"), 6840, 446, 132, 91),
            ],
            2022: [Fair(day("2022-02-18"), 11600, 820, 210)],
        },
        skills_courses={2019: [40, 36, 45], 2020: [30, 38], 2022: [42]},
        factories_per_year=dict(F.FACTORIES_OPENED_PER_YEAR),
        factory_jobs=F.FACTORY_JOBS,
    )
