"""Spreadsheet import/export of projects, investments, consumption sales and donations.

Columns are the fields' verbose names (what the export writes); see cooperation/importing.py
for how cells are read and rows validated."""

from cooperation.imports.resources import TrackedResource
from cooperation.imports.widgets import (
    DateWidget,
    LookupWidget,
    PartnershipWidget,
    RegionWidget,
    model_field,
)
from cooperation.models import Region

from .models import ConsumptionSale, Donation, Investment, Project


def place_fields(model):
    """镇（街道）, 村（社区）, 地点（区划代码表以外） of a WesternPlace model."""
    town_column = str(model._meta.get_field("town").verbose_name)
    return (
        model_field(model, "town", RegionWidget(level=Region.Level.TOWN, what="镇（街道）")),
        model_field(
            model,
            "village",
            RegionWidget(level=Region.Level.VILLAGE, town_column=town_column, what="村（社区）"),
        ),
        model_field(model, "place_text"),
    )


PLACE = ("town", "village", "place_text")


class WesternPlaceResource(TrackedResource):
    def get_queryset(self):
        return super().get_queryset().select_related("town", "village")


class ProjectResource(WesternPlaceResource):
    partnership = model_field(Project, "partnership", PartnershipWidget())
    fund_year = model_field(Project, "fund_year")
    name = model_field(Project, "name")
    category = model_field(Project, "category")
    town, village, place_text = place_fields(Project)
    implementing_org = model_field(
        Project, "implementing_org", LookupWidget("organisation_named", "单位")
    )
    status = model_field(Project, "status")
    aid_funds = model_field(Project, "aid_funds")
    local_funds = model_field(Project, "local_funds")
    other_funds = model_field(Project, "other_funds")
    beneficiaries = model_field(Project, "beneficiaries")
    beneficiaries_poverty_exited = model_field(Project, "beneficiaries_poverty_exited")
    start_date = model_field(Project, "start_date", DateWidget())
    end_date = model_field(Project, "end_date", DateWidget())
    description = model_field(Project, "description")

    natural_key = ("partnership", "fund_year", "name")
    required_columns = ("category",)

    class Meta:
        model = Project
        fields = (
            "partnership",
            "fund_year",
            "name",
            "category",
            *PLACE,
            "implementing_org",
            "status",
            "aid_funds",
            "local_funds",
            "other_funds",
            "beneficiaries",
            "beneficiaries_poverty_exited",
            "start_date",
            "end_date",
            "description",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("implementing_org")

    def load_existing(self, dataset):
        self.load_organisations(self.column_values(dataset, "implementing_org"))
        super().load_existing(dataset)


class InvestmentResource(WesternPlaceResource):
    partnership = model_field(Investment, "partnership", PartnershipWidget())
    enterprise = model_field(Investment, "enterprise")
    project_name = model_field(Investment, "project_name")
    industry = model_field(Investment, "industry")
    town, village, place_text = place_fields(Investment)
    signed_on = model_field(Investment, "signed_on")
    agreed = model_field(Investment, "agreed")
    arrived = model_field(Investment, "arrived")
    arrived_over_agreed_confirmed = model_field(Investment, "arrived_over_agreed_confirmed")
    jobs = model_field(Investment, "jobs")
    land_mu = model_field(Investment, "land_mu")
    note = model_field(Investment, "note")

    natural_key = ("partnership", "enterprise", "signed_on")

    class Meta:
        model = Investment
        fields = (
            "partnership",
            "enterprise",
            "project_name",
            "industry",
            *PLACE,
            "signed_on",
            "agreed",
            "arrived",
            "arrived_over_agreed_confirmed",
            "jobs",
            "land_mu",
            "note",
        )


class ConsumptionSaleResource(WesternPlaceResource):
    partnership = model_field(ConsumptionSale, "partnership", PartnershipWidget())
    year = model_field(ConsumptionSale, "year")
    month = model_field(ConsumptionSale, "month")
    channel = model_field(ConsumptionSale, "channel")
    product_category = model_field(ConsumptionSale, "product_category")
    seller = model_field(ConsumptionSale, "seller")
    buyer = model_field(ConsumptionSale, "buyer")
    town, village, place_text = place_fields(ConsumptionSale)
    amount = model_field(ConsumptionSale, "amount")
    certified_amount = model_field(ConsumptionSale, "certified_amount")
    note = model_field(ConsumptionSale, "note")

    # No unique constraint on the model: a month's sales through one channel, of one
    # product category, from one seller to one buyer are one line of the 台账.
    natural_key = ("partnership", "year", "month", "channel", "product_category", "seller", "buyer")

    class Meta:
        model = ConsumptionSale
        fields = (
            "partnership",
            "year",
            "month",
            "channel",
            "product_category",
            "seller",
            "buyer",
            *PLACE,
            "amount",
            "certified_amount",
            "note",
        )

    def prefetch_queryset(self, dataset):
        years = set()
        for row in dataset.dict:
            try:
                years.add(self.fields["year"].clean(row))
            except (ValueError, KeyError):
                continue
        years.discard(None)
        return [self.get_queryset().filter(year__in=years)]


class DonationResource(WesternPlaceResource):
    partnership = model_field(Donation, "partnership", PartnershipWidget())
    donor = model_field(Donation, "donor")
    donor_org = model_field(Donation, "donor_org", LookupWidget("organisation_named", "单位"))
    recipient = model_field(Donation, "recipient")
    date = model_field(Donation, "date")
    town, village, place_text = place_fields(Donation)
    cash = model_field(Donation, "cash")
    in_kind = model_field(Donation, "in_kind")
    purpose = model_field(Donation, "purpose")

    natural_key = ("partnership", "donor", "recipient", "date")

    class Meta:
        model = Donation
        fields = (
            "partnership",
            "donor",
            "donor_org",
            "recipient",
            "date",
            *PLACE,
            "cash",
            "in_kind",
            "purpose",
        )

    def load_existing(self, dataset):
        self.load_organisations(self.column_values(dataset, "donor_org"))
        super().load_existing(dataset)
