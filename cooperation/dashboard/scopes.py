"""What a page covers: one definition, read from the URL, for every card, chart, summary,
export and drill-down link.

A scope is one of:

- a **town** of a partnership's western county: `?partnership=3&town=610902001`;
- a **partnership** (a county pair): `?partnership=3`;
- an **area**: the partnerships whose eastern county lies in `east` and whose western county
  lies in `west`, each a province (2 digits) or a city (4 digits) code, either side may be
  left out: `?east=3204&west=6109` is the city pair 常州市—安康市, `?east=32&west=61` the
  province pair 江苏省—陕西省, `?east=32` every partnership of 江苏省;
- the **nation**: `?nation=1`.

Region codes nest by prefix (61 ⊃ 6109 ⊃ 610902 ⊃ 610902001), so "lies within" is a
prefix test. The partnerships beneath a scope are read from the cached list of all
partnerships (`all_partnerships`), so choosing a scope costs no query of its own beyond
the regions an area names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import freshness
from cooperation.models import Partnership, Region

TOWN, PARTNERSHIP, CITY_PAIR, PROVINCE_PAIR, AREA, NATION = (
    "town",
    "partnership",
    "city_pair",
    "province_pair",
    "area",
    "nation",
)
LEVEL_NAMES = {
    TOWN: _("镇（街道）"),
    PARTNERSHIP: _("县（区）协作关系"),
    CITY_PAIR: _("市际协作"),
    PROVINCE_PAIR: _("省际协作"),
    AREA: _("地区"),
    NATION: _("全国"),
}
AREA_CODE_LENGTHS = (2, 4)  # a province or a city

_PARTNERSHIP_FIELDS = ["id", "east_region_id", "west_region_id", "since_year", "note"]
_REGION_FIELDS = ["code", "name", "level", "parent_id"]


def all_partnerships():
    """Every partnership in order, each with its two counties, as model instances: one
    query per data version (the rows are cached as plain values and made instances with
    the documented `Model.from_db`)."""
    columns = _PARTNERSHIP_FIELDS + [
        f"{side}__{f}" for side in ("east_region", "west_region") for f in _REGION_FIELDS
    ]
    rows = freshness.cached(
        "partnerships",
        compute=lambda: list(Partnership.objects.order_by("id").values_list(*columns)),
        version=freshness.scope_version(()),  # partnerships and regions: the global version
    )
    n, m = len(_PARTNERSHIP_FIELDS), len(_REGION_FIELDS)
    partnerships = []
    for row in rows:
        partnership = Partnership.from_db("default", _PARTNERSHIP_FIELDS, row[:n])
        partnership.east_region = Region.from_db("default", _REGION_FIELDS, row[n : n + m])
        partnership.west_region = Region.from_db("default", _REGION_FIELDS, row[n + m :])
        partnerships.append(partnership)
    return partnerships


@dataclass(frozen=True)
class Scope:
    """What a page covers. `partnerships` are the partnerships beneath it (one for a town or
    a partnership); `east`/`west` the regions an area names (None: that side is any)."""

    level: str
    partnerships: tuple
    partnership: Partnership | None = None
    town: Region | None = None
    east: Region | None = None
    west: Region | None = None

    # --- what it is called ---------------------------------------------------------------

    @property
    def name(self):
        """In words: 武进区—汉滨区 · 恒口镇, 常州市—安康市, 江苏省（东部）, 全国."""
        if self.level == NATION:
            return gettext("全国")
        if self.partnership is not None:
            if self.town is not None:
                return f"{self.partnership.name} · {self.town.name}"
            return self.partnership.name
        if self.east is not None and self.west is not None:
            return f"{self.east.name}—{self.west.name}"
        if self.east is not None:
            return gettext("%(name)s（东部）") % {"name": self.east.name}
        return gettext("%(name)s（西部）") % {"name": self.west.name}

    @property
    def level_name(self):
        return LEVEL_NAMES[self.level]

    @property
    def is_rollup(self):
        """Above one partnership: the page sums the partnerships beneath."""
        return self.partnership is None

    @property
    def key(self):
        """A short text that tells scopes apart (cache keys)."""
        return urlencode(self.params()) or "nation"

    # --- the URL --------------------------------------------------------------------------

    def params(self):
        """The query parameters that name the scope (the inverse of `from_request`)."""
        if self.level == NATION:
            return {"nation": 1}
        if self.partnership is not None:
            params = {"partnership": self.partnership.pk}
            if self.town is not None:
                params["town"] = self.town.code
            return params
        params = {}
        if self.east is not None:
            params["east"] = self.east.code
        if self.west is not None:
            params["west"] = self.west.code
        return params

    def query(self, **extra):
        return urlencode({**self.params(), **extra})

    def without_town(self):
        return Scope(PARTNERSHIP, self.partnerships, partnership=self.partnership)

    # --- the records ----------------------------------------------------------------------

    @property
    def partnership_ids(self):
        """The ids of the partnerships beneath; None for the nation (every partnership)."""
        if self.level == NATION:
            return None
        return tuple(p.pk for p in self.partnerships)

    def records(self, path="partnership"):
        """Q: the records of the scope's partnerships, `path` leading from a record to its
        partnership (the town is the source's own condition: see indicators.Source)."""
        ids = self.partnership_ids
        if ids is None:
            return Q()
        if len(ids) == 1:
            return Q(**{f"{path}_id": ids[0]})
        return Q(**{f"{path}_id__in": ids})

    def version(self):
        """The data version of the scope: it changes with every write of its records."""
        return freshness.scope_version(self.partnership_ids)


def _area_code(request, name):
    code = request.GET.get(name, "").strip()
    if not code:
        return ""
    if not (code.isascii() and code.isdecimal()) or len(code) not in AREA_CODE_LENGTHS:
        raise Http404(
            gettext("参数 %(name)s 应为省（2位）或市（4位）的区划代码。") % {"name": name}
        )
    return code


def area(east="", west="", partnerships=None):
    """The scope of the partnerships whose eastern county lies in `east` and western county
    in `west` (codes of a province or a city; "" for either side). 404 for an unknown code
    or an area without partnerships."""
    partnerships = all_partnerships() if partnerships is None else partnerships
    regions = {}
    codes = [c for c in (east, west) if c]
    if codes:
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    beneath = tuple(
        p
        for p in partnerships
        if p.east_region_id.startswith(east) and p.west_region_id.startswith(west)
    )
    if not beneath:
        raise Http404(gettext("这个地区没有东西部协作关系。"))
    if len(east) == len(west) == 4:
        level = CITY_PAIR
    elif len(east) == len(west) == 2:
        level = PROVINCE_PAIR
    else:
        level = AREA
    return Scope(level, beneath, east=_region(regions, east), west=_region(regions, west))


def _region(regions, code):
    """The region of a code; a code missing from the code list is named by itself."""
    if not code:
        return None
    return regions.get(code) or Region(code=code, name=code)


def nation(partnerships=None):
    partnerships = all_partnerships() if partnerships is None else partnerships
    return Scope(NATION, tuple(partnerships))


def of_partnership(partnership, town=None):
    return Scope(TOWN if town else PARTNERSHIP, (partnership,), partnership=partnership, town=town)


def from_request(request, towns=None):
    """The scope a request names (see the module's docstring); without any, the first
    partnership (None when there is none). `towns(partnership)` gives the towns a town
    parameter may name (the towns of its western county). Unknown or malformed values
    answer 404 with a message naming the parameter."""
    partnerships = all_partnerships()
    raw = request.GET.get("partnership", "").strip()
    if raw:
        if not raw.isdecimal() or not 1 <= int(raw) <= 2**62:
            raise Http404(gettext("参数 %(name)s 无效。") % {"name": "partnership"})
        partnership = next((p for p in partnerships if p.pk == int(raw)), None)
        if partnership is None:
            raise Http404(gettext("没有这个协作关系。"))
        return of_partnership(partnership, _town(request, partnership, towns))
    east, west = _area_code(request, "east"), _area_code(request, "west")
    if east or west:
        return area(east, west, partnerships)
    if request.GET.get("nation", "").strip() == "1":
        if not partnerships:
            raise Http404(gettext("还没有协作关系。"))
        return nation(partnerships)
    if not partnerships:
        return None
    return of_partnership(partnerships[0], _town(request, partnerships[0], towns))


def partnership_ids_of(request):
    """The partnerships a request's page shows (for `freshness.never_stale_page`): the ids
    beneath its scope, or None (the nation's version, which covers any page) when it names
    no valid scope — the page then answers 404, which is never cached.

    The versions the page needs are read first, in one query: its partnership's (with the
    global one) for `?partnership=`, every row otherwise; the list of partnerships and
    towns that choosing the scope reads is then keyed from those rows, with no query."""
    raw = request.GET.get("partnership", "").strip()
    if raw.isascii() and raw.isdecimal() and 1 <= int(raw[:19]) <= 2**62:
        # The page of one partnership (or of a town of it): its id is the whole answer, so
        # a cached page is served without building the list of partnerships (an unknown id
        # answers 404, which is never cached).
        freshness.scope_version((int(raw),))
        return (int(raw),)
    freshness.scope_version(None)

    def ids():
        try:
            scope = from_request(request, towns=western_towns)
        except Http404:
            return (None,)
        return (scope.partnership_ids if scope is not None else None,)

    # Which partnerships an area holds changes only with the partnerships and regions (the
    # global version): cached, so that a cached roll-up page is served without building
    # the list of partnerships.
    named = [request.GET.get(n, "") for n in ("partnership", "east", "west", "nation", "town")]
    return freshness.cached("scope-ids", *named, compute=ids, version=freshness.scope_version(()))[
        0
    ]


def _town(request, partnership, towns):
    code = request.GET.get("town", "").strip()
    if not code:
        return None
    found = next((t for t in (towns(partnership) if towns else []) if t.code == code), None)
    if found is None:
        raise Http404(gettext("没有这个镇（街道）。"))
    return found


def western_towns(partnership):
    """The towns of a partnership's western county, in code order (cached per version)."""
    rows = freshness.cached(
        "towns",
        partnership.pk,
        compute=lambda: list(
            Region.objects.filter(
                level=Region.Level.TOWN, code__startswith=partnership.west_region_id
            )
            .order_by("code")
            .values_list(*_REGION_FIELDS)
        ),
        version=freshness.scope_version(()),
    )
    return [Region.from_db("default", _REGION_FIELDS, row) for row in rows]


# --- the chooser ------------------------------------------------------------------------------


@dataclass
class Branch:
    """A node of the chooser: a province pair, a city pair under it, a partnership under
    that."""

    scope: Scope
    children: list


def tree(partnerships, search=""):
    """Province pairs → city pairs → partnerships, for the chooser page; with `search`, only
    the partnerships whose name (or a region above them) contains it. Regions above the
    counties are read in one query."""
    codes = set()
    for p in partnerships:
        for county in (p.east_region_id, p.west_region_id):
            codes.update((county[:2], county[:4]))
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    search = search.strip()
    provinces = {}
    for p in partnerships:
        e, w = p.east_region_id, p.west_region_id
        names = [p.name] + [
            getattr(regions.get(c), "name", "") for c in (e[:2], e[:4], w[:2], w[:4])
        ]
        if search and not any(search in n for n in names):
            continue
        provinces.setdefault((e[:2], w[:2]), {}).setdefault((e[:4], w[:4]), []).append(p)
    branches = []
    for (ep, wp), cities in sorted(provinces.items()):
        city_branches = []
        for (ec, wc), members in sorted(cities.items()):
            city_scope = Scope(
                CITY_PAIR, tuple(members), east=_region(regions, ec), west=_region(regions, wc)
            )
            city_branches.append(
                Branch(city_scope, [Branch(of_partnership(p), []) for p in members])
            )
        members = tuple(p for b in city_branches for p in b.scope.partnerships)
        province_scope = Scope(
            PROVINCE_PAIR, members, east=_region(regions, ep), west=_region(regions, wp)
        )
        branches.append(Branch(province_scope, city_branches))
    return branches
