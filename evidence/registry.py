"""The kinds of record that evidence files (佐证材料) may be attached to: one line each.

A kind names its model, the lookup that says which year a record belongs to (the year the
annual summary counts it in: a project's fund year, a pairing's signing date…), and whether
its files are personal (they show people: their downloads need `labor.view_personal_data`
and are audited). A line whose model does not exist (yet) is skipped, so a model being
added elsewhere can be listed before it lands; `manage.py check` says when a listed
model's year lookup does not resolve.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist


@dataclass(frozen=True)
class RecordKind:
    label: str  # "app_label.ModelName"
    year: str  # lookup giving the record's year: "fund_year", "signed_on__year"
    personal: bool = False
    related: tuple = ()  # what the record's name needs (select_related)

    @property
    def model(self):
        try:
            return apps.get_model(self.label)
        except LookupError:
            return None

    @property
    def year_field(self):
        return self.year.removesuffix("__year")


KINDS = (
    RecordKind("projects.Project", "fund_year"),
    # counted in its project's fund year, as the figure of disbursed funds counts it
    RecordKind("projects.Disbursement", "project__fund_year", related=("project",)),
    RecordKind("projects.Investment", "signed_on__year"),
    # Dispatched cadres are people: their files (appointment letters, ID copies) are personal.
    RecordKind("cooperation.Posting", "start_date__year", personal=True),
    RecordKind("cooperation.Pairing", "signed_on__year", related=("east_org", "west_org")),
    RecordKind("labor.JobFair", "date__year"),
    RecordKind("labor.TrainingCourse", "start_date__year"),
    RecordKind("labor.CommunityFactory", "opened_on__year"),
    RecordKind("projects.Donation", "date__year"),
    RecordKind("projects.ConsumptionSale", "year"),
)


def _resolves(kind, model):
    *parents, name = kind.year_field.split("__")
    try:
        for parent in parents:
            model = model._meta.get_field(parent).related_model
        model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return False
    return True


def kinds():
    """[(RecordKind, model)] of the listed kinds whose model exists, in the order above."""
    found = []
    for kind in KINDS:
        model = kind.model
        if model is not None and _resolves(kind, model):
            found.append((kind, model))
    return found


def unresolved():
    """The kinds whose model exists but whose year lookup names no field of it."""
    return [kind for kind in KINDS if kind.model is not None and not _resolves(kind, kind.model)]


def kind_of(model):
    """The RecordKind of a model (class or instance), or None when files cannot be attached."""
    label = model._meta.label
    return next((kind for kind in KINDS if kind.label == label), None)
