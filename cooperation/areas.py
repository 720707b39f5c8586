"""Where a staff user works: the one mechanism that limits what staff reach to the
partnerships of their areas (`UserArea`: a county, a city or province with a side, or the
nation).

`scope(queryset, user)` narrows any queryset of records: records of a partnership by
their path to it (`freshness.partnership_lookup`: their own `partnership`, or their
parent's), partnerships themselves by their counties, organisations by their county
being one of a visible partnership's two counties, export audit entries by the exporter
working within the user's areas. Regions and other reference data are not narrowed. The
admin (`TrackedAdmin.get_queryset`, its form choices, its 404 for a record outside the
area), the staff lists and their exports, and the imports all go through it; nothing else
filters by area.

Superusers and users with the nation as an area see everything. A staff user without any
area sees nothing (a new account is safe until someone gives it an area). Public pages
show aggregates and are not narrowed.

Narrowing is a subquery in the same SQL (`partnership_id IN (SELECT id FROM partnership
WHERE …)`): one query per user and request reads the areas, whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from .freshness import partnership_lookup
from .models import ExportAudit, Organisation, Partnership, UserArea

_NOTHING = Q(pk__in=[])
_CACHE = "cooperation_areas"  # the user object's attribute holding its areas


def _areas(user):
    """[(region code or None, side, region name), …] of the user, read once per user object
    (a request's user: once per request)."""
    if not hasattr(user, _CACHE):
        rows = UserArea.objects.filter(user=user).order_by("region_id", "side")
        setattr(user, _CACHE, list(rows.values_list("region_id", "side", "region__name")))
    return getattr(user, _CACHE)


def partnership_q(user):
    """Q over Partnership of the user's areas; None: every partnership."""
    if user is None or not user.is_authenticated:
        return _NOTHING
    if user.is_superuser:
        return None
    q = _NOTHING
    for code, side, _name in _areas(user):
        if code is None:
            return None  # the nation
        for end in _ends(side):
            q |= Q(**{f"{end}_region__code__startswith": code})
    return q


def _ends(side):
    """The ends of a partnership (its eastern and western county) an area of this side is
    matched against: the region's code is a prefix of that county's code."""
    return [end for end in ("east", "west") if side in ("", end)]


def _beside(partnerships, county):
    """The partnerships one of whose two counties is `county` (a value or an OuterRef)."""
    return partnerships.filter(Q(east_region_id=county) | Q(west_region_id=county))


def sides(user, partnership):
    """The ends ("west", "east") of the partnership whose county lies in one of the user's
    areas of that side: a county office is on its own county's side, a city or province
    office on the side it was given. The nation is on neither side."""
    if user is None or not user.is_authenticated:
        return set()
    counties = {"east": partnership.east_region_id, "west": partnership.west_region_id}
    return {
        end
        for code, side, _name in _areas(user)
        if code is not None
        for end in _ends(side)
        if counties[end].startswith(code)
    }


def sees_everything(user):
    return partnership_q(user) is None


def partnerships(user):
    """The partnerships of the user's areas."""
    return scope(Partnership.objects.all(), user)


def scope(queryset, user):
    """The rows of `queryset` within the user's areas (see the module's docstring)."""
    q = partnership_q(user)
    if q is None:
        return queryset
    # A history model (simple-history's Historical…) has its record's fields: it is
    # narrowed like its record.
    model = getattr(queryset.model, "instance_type", queryset.model)._meta.concrete_model
    if model is Partnership:
        return queryset.filter(q)
    lookup = partnership_lookup(model)
    if lookup is not None:
        return queryset.filter(**{f"{lookup}__in": Partnership.objects.filter(q).values("pk")})
    if model is Organisation:
        county = Substr(OuterRef("region_id"), 1, 6)
        return queryset.filter(Exists(_beside(Partnership.objects.filter(q), county)))
    if model is ExportAudit:
        return queryset.filter(Q(user=user) | Exists(_areas_within(user)))
    return queryset


def refusal(user, model, values):
    """{field: why} when a partnership or an organisation with these field values
    (`values`: the form's cleaned data over the record's own) would lie outside the user's
    areas; None when it lies inside, or for other records (their partnership field's choices
    already keep them inside)."""
    if partnership_q(user) is None:
        return None
    if model is Partnership:
        east, west = values.get("east_region"), values.get("west_region")
        if east is None or west is None:
            return None
        counties = {"east": east.code, "west": west.code}
        for code, side, _name in _areas(user):
            if any(counties[end].startswith(code) for end in _ends(side)):
                return None
        why = _("协作关系的东部或西部区县须在您的工作地区（%(areas)s）内。") % {
            "areas": names(user) or _("无")
        }
        return {"east_region": why, "west_region": why}
    if model is Organisation:
        region = values.get("region")
        if region is None or _beside(partnerships(user), region.code[:6]).exists():
            return None
        why = _("单位须在您的工作地区（%(areas)s）的协作关系所在区县内。") % {
            "areas": names(user) or _("无")
        }
        return {"region": why}
    return None


def _areas_within(user):
    """The areas of the exporter (`OuterRef("user_id")`) that lie within the user's areas."""
    within = _NOTHING
    for code, side, _name in _areas(user):
        narrower = Q(region__code__startswith=code)
        within |= narrower if not side else narrower & Q(side__in=[side, ""])
    return UserArea.objects.filter(within, user_id=OuterRef("user_id"))


def names(user):
    """The user's areas in words: 汉滨区, 常州市（东部）、安康市（西部）, 全国."""
    if user is None or not user.is_authenticated:
        return ""
    words = [UserArea.label(name if code else None, side) for code, side, name in _areas(user)]
    return "、".join(words)


def office(user):
    """What the site header says of a staff user: 汉滨区 · 录入员 (areas · roles); the roles
    alone for a superuser or a user without areas."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return ""
    roles = "、".join(user.groups.order_by("name").values_list("name", flat=True))
    return " · ".join(part for part in (names(user), roles) if part)
