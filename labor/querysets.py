"""Reads of the labour app, named as phrases and computed in the database.

(The labour issue fills these in; every labour figure of the dashboard comes from here.)"""

from django.db import models


class _ForPartnership(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class WorkerQuerySet(_ForPartnership):
    pass


class EmploymentQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(worker__partnership=partnership)


class WorkerYearQuerySet(_ForPartnership):
    pass


class JobFairQuerySet(_ForPartnership):
    pass


class TrainingCourseQuerySet(_ForPartnership):
    pass


class CommunityFactoryQuerySet(_ForPartnership):
    pass
