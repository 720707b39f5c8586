"""What the fuzz tests throw, and where: every URL pattern of the site (found by walking
the URLconf, so lists added later are covered), the query parameters each page takes (its
FilterSets' and forms' fields, read from the page), and hostile values."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

from django import forms
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import strategies as st

# Parameters every list and the dashboard read, whatever the page declares.
COMMON_PARAMETERS = ["partnership", "year", "town", "month", "page", "sort", "format"]
# Routes that are not pages to fuzz: the admin (its forms are fuzzed separately), POST-only
# views, Django's JavaScript catalogue, the favicon (a redirect to the static file).
SKIPPED_PREFIXES = ("i18n/", "accounts/logout/", "favicon.ico")

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-2021",
    "2021",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "1.5",
    "0x1F",
    "²",  # a digit to str.isdigit(), not to int()
    "2021³",
    "２０２１",  # full-width digits
    "٢٠٢١",  # Arabic-Indic digits
    "२०२१",  # Devanagari digits
    "Ⅻ",
    "' OR '1'='1",
    "1; DROP TABLE auth_user; --",
    "1 UNION SELECT username, password FROM auth_user --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "%(password)s",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "../../../../etc/passwd",
    "__proto__",
    "-id",
    "password",
    "created_by__password",
    "?",
    "x" * 5000,
    "汉" * 2000,
    "😀" * 300,
    "=cmd|' /C calc'!A0",
    "csv",
    "xlsx",
    "json",
]


def _encoded(text):
    # Lone surrogates become invalid UTF-8 bytes, as a broken client would send them.
    return text.encode("utf-8", "surrogatepass")


def overflows_64_bits(value):
    """Whether the bytes read as an integer beyond a 64-bit column (Python's int() accepts
    spaces and non-ASCII digits, as Django's forms do)."""
    try:
        return abs(int(value.decode("utf-8", "ignore").strip() or "0")) >= 2**63
    except ValueError:
        return False


def hostile_values(*, fits_64_bits=False):
    """Values as raw bytes (to be percent-encoded into a query string or a form body).

    `fits_64_bits` leaves out integers beyond 64 bits: on SQLite, Django's
    ModelMultipleChoiceField (e.g. a group's permissions) sends them to the database, which
    raises OverflowError; PostgreSQL compares them fine, and CI fuzzes there too."""
    values = _hostile_values()
    return values.filter(lambda v: not overflows_64_bits(v)) if fits_64_bits else values


def _hostile_values():
    return st.one_of(
        st.sampled_from(HOSTILE).map(_encoded),
        st.text(max_size=40).map(_encoded),
        st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: str(n).encode()),
        st.binary(max_size=40),  # invalid UTF-8
        st.sampled_from(["\ud800", "\udfff", "a\udc80b"]).map(_encoded),  # lone surrogates
        st.text(min_size=1, max_size=5).map(lambda s: _encoded(s * 2000)),  # very long
    )


def query_strings(parameters, *, fits_64_bits=False):
    """Query strings of 1-6 parameters: known names (`parameters` maps each to values the
    page itself offers, so that hostile values meet valid ones in the same query) and
    random names; values hostile, or offered ones."""
    hostile = hostile_values(fits_64_bits=fits_64_bits)

    def pair(name):
        offered = sorted(parameters[name])
        value = st.one_of(hostile, st.sampled_from(offered).map(_encoded)) if offered else hostile
        return st.tuples(st.just(_encoded(name)), value)

    known = st.sampled_from(sorted(parameters)).flatmap(pair)
    unknown = st.tuples(st.text(min_size=1, max_size=10).map(_encoded), hostile)
    pairs = st.lists(st.one_of(known, known, unknown), min_size=1, max_size=6)
    return pairs.map(
        lambda items: "&".join(
            f"{quote_from_bytes(k, safe='')}={quote_from_bytes(v, safe='')}" for k, v in items
        )
    )


# A few values that broke pages before (a superscript digit passes str.isdigit() but not
# int(), a NUL byte is refused by PostgreSQL, …), tried in each parameter in turn.
PROBES = [
    "²",
    "٣",
    "-1",
    "0",
    "99999999999999999999",
    "1e3",
    "\x00",
    "x" * 3000,
    "<script>alert(1)</script>",
    "\ud800",
]


def probe_queries(parameters, *, fits_64_bits=False):
    """Query strings that set every parameter to a value the page offers, then each in turn
    to each probe: a parameter read only together with another (say `stable=1` with
    `transferred_year=…`) is tried with the other set."""
    base = {name: sorted(values)[0] for name, values in parameters.items() if values}
    probes = [p for p in PROBES if not (fits_64_bits and overflows_64_bits(_encoded(p)))]
    for name in sorted(parameters):
        for probe in probes:
            query = {**base, name: probe}
            yield "&".join(
                f"{quote_from_bytes(_encoded(k), safe='')}={quote_from_bytes(_encoded(v), safe='')}"
                for k, v in query.items()
            )


def merge(*parameter_sets):
    """{name: {values}} from several such dicts or plain collections of names."""
    merged = {}
    for parameters in parameter_sets:
        for name in parameters:
            values = parameters[name] if isinstance(parameters, dict) else ()
            merged.setdefault(name, set()).update(values)
    return merged


# An inline formset's management form says how many rows were posted. Django caps it at
# 1000 more than the inline's max_num, but rendering 2000 empty rows back takes seconds,
# so the fuzzer uses only small or broken counts there.
MANAGEMENT_VALUES = ["", "-1", "0", "2", "abc", "1.5", "٣", "\x00", "<script>alert(1)</script>"]


def form_bodies(fields, *, fits_64_bits=False):
    """A urlencoded POST body where some of the form's fields get hostile values."""
    names = sorted(fields)
    values = hostile_values(fits_64_bits=fits_64_bits)
    counts = st.sampled_from(MANAGEMENT_VALUES).map(_encoded)

    @st.composite
    def body(draw):
        data = dict(fields)
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names))):
            data[name] = [draw(counts if name.endswith("_FORMS") else values)]
        return "&".join(
            f"{quote_from_bytes(_as_bytes(k), safe='')}={quote_from_bytes(_as_bytes(v), safe='')}"
            for k, values in data.items()
            for v in values
        ).encode("ascii")

    return body()


def _as_bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def site_routes():
    """The routes (as in `ResolverMatch.route`) of every page outside the admin."""
    admin_prefix = settings.ADMIN_URL

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if str(entry.pattern) == admin_prefix:
                    continue
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
                yield route

    return sorted(set(walk(get_resolver().url_patterns, "")))


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def enumerable_paths(route):
    """Concrete paths of a route whose converters accept a fixed list of words
    (e.g. `export.<exportformat:fmt>` → export.csv, export.xlsx); None otherwise."""
    from django.urls.converters import get_converters

    paths = ["/" + route]
    for match in _CONVERTER.finditer(route):
        converter = get_converters()[match["conv"] or "str"]
        if not re.fullmatch(r"[\w-]+(\|[\w-]+)*", converter.regex):
            return None
        words = converter.regex.split("|")
        paths = [p.replace(match[0], w, 1) for p in paths for w in words]
    return paths


# Query parameters every admin changelist reads (search, ordering, page, show all, …).
ADMIN_LIST_PARAMETERS = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"]
# Lookups Django's admin would apply to any field of the model if let through (issue 13):
# each on every concrete field, with values that broke them (an unclosed regex group, a
# range of one value).
FIELD_LOOKUPS = {
    "regex": {"(", "*"},
    "iregex": {"["},
    "range": {"1", "1,2,3", "a,b"},
    "in": {"", "1,,2"},
    "startswith": {"6109"},
    "gte": {"a", "2021-13-01"},
    "isnull": {"maybe"},
    "year__gt": {"x"},
}


def admin_list_parameters(html):
    """The query parameters of an admin changelist with the values its links offer: its
    own, and those of its filter sidebar and date hierarchy (`?level__exact=town`)."""
    from urllib.parse import parse_qsl

    found = {}
    for query in re.findall(r'href="\?([^"#]*)"', html):
        for name, value in parse_qsl(query.replace("&amp;", "&")):
            found.setdefault(name, set()).add(value)
    return merge(ADMIN_LIST_PARAMETERS, found)


def field_lookups(model):
    """{`field__lookup`: {values}} for every concrete field of the model: parameters that
    an admin change list does not offer and must refuse (400), never apply."""
    return {
        f"{field.name}__{lookup}": set(values)
        for field in model._meta.concrete_fields
        for lookup, values in FIELD_LOOKUPS.items()
    }


def field_lookup_queries(model):
    """(name, query) of each field lookup alone, with each of its values."""
    for name, values in sorted(field_lookups(model).items()):
        for value in sorted(values):
            yield (
                name,
                f"{quote_from_bytes(_encoded(name), safe='')}={quote_from_bytes(_encoded(value), safe='')}",
            )


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.parameters = set(), {}
        self._in_get_form = False
        self._select = None

    def _offer(self, name, value):
        self.parameters.setdefault(name, set())
        if value:
            self.parameters[name].add(value)

    def handle_starttag(self, tag, attrs):
        from urllib.parse import parse_qsl

        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith(("/", "?")):
            url = urlsplit(attrs["href"])
            if url.path:
                self.links.add(url.path)
            for name, value in parse_qsl(url.query):
                self._offer(name, value)
        elif tag in ("img", "object", "embed") and (attrs.get("src") or "").startswith("/"):
            self.links.add(urlsplit(attrs["src"]).path)
        elif tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self._offer(attrs["name"], attrs.get("value"))
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select:
            self._offer(self._select, attrs.get("value"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False
        elif tag == "select":
            self._select = None


def read_page(response):
    """Links of an HTML page, and the query parameters it offers ({name: {values}}: its
    GET forms' fields and options, and its links' query strings)."""
    reader = _PageReader()
    if response.get("Content-Type", "").startswith("text/html"):
        reader.feed(response.content.decode())
    return reader.links, reader.parameters


def declared_parameters(response):
    """The fields of the FilterSets and forms a page rendered (names as submitted: a range
    filter's widget adds suffixes such as `_min`/`_max`)."""
    from django_filters import FilterSet

    names = set()
    for key in (response.context or {}).keys() if response.context is not None else ():
        value = response.context[key]
        form = value.form if isinstance(value, FilterSet) else value
        if isinstance(form, forms.BaseForm):
            for name, field in form.fields.items():
                names.add(form.add_prefix(name))
                for suffix in getattr(field.widget, "widgets_names", ()):
                    names.add(form.add_prefix(name) + suffix)
    return names


def route_of(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None
