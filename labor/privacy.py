"""Who may see personal data, which fields are personal, and how they are masked.

For every page, admin screen and export that shows labour records:

    from labor.privacy import can_view_personal_data, PERSONAL_FIELDS, display_value

    if not can_view_personal_data(request.user):
        columns = [c for c in columns if c not in PERSONAL_FIELDS["worker"]]   # exports
        name = display_value(request.user, worker, "name")                      # pages: 韩**

Without the permission `labor.view_personal_data`: names show as 韩**, ID numbers as
610902************, phones as 138****5678; birth date and the free-text note are not
shown at all (they identify a person too); exports leave all of them out."""

from cooperation.roles import PERSONAL_DATA as PERMISSION
from cooperation.roles import can_view_personal_data

from . import idcard
from .models import mask_name, mask_phone

__all__ = ["PERMISSION", "can_view_personal_data"]

# Personal fields by model name (lower case, as in `Model._meta.model_name`); the historical
# (simple_history) copies hold the same fields.
PERSONAL_FIELDS = {
    "worker": ["name", "id_number", "phone", "birth_date", "note"],
    "historicalworker": ["name", "id_number", "phone", "birth_date", "note"],
}

# How a personal field is shown to a user without the permission; a personal field without
# a masker is not shown at all.
MASKERS = {"name": mask_name, "id_number": idcard.mask, "phone": mask_phone}


def personal_fields(model):
    """The personal fields of a model class or instance (empty for non-personal models)."""
    return PERSONAL_FIELDS.get(model._meta.model_name, [])


def is_personal(model, field_name):
    return field_name in personal_fields(model)


def masked(field_name, value):
    """The masked form of a personal value, or "" where the field has no masked form."""
    masker = MASKERS.get(field_name)
    return masker(value) if masker and value else ""


def display_value(user, obj, field_name):
    """The value of a field as this user may see it: in full, masked, or ""."""
    value = getattr(obj, field_name)
    if not is_personal(obj, field_name) or can_view_personal_data(user):
        return value
    return masked(field_name, value)


def exportable_fields(user, model, field_names):
    """The field names an export may include for this user: personal ones left out."""
    if can_view_personal_data(user):
        return list(field_names)
    hidden = set(personal_fields(model))
    return [f for f in field_names if f not in hidden]
