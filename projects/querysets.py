"""Reads of the projects app, named as phrases and computed in the database.

(The projects issue fills these in; every figure of the dashboard comes from here.)"""

from django.db import models


class ProjectQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class InvestmentQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class ConsumptionSaleQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class DonationQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)
