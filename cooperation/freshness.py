"""Caches that are never stale, by scope: a data version per partnership, changed in the same
transaction as every write of that partnership's records.

`DataVersion` has one row per partnership (keyed by its id) and the global row 0. Every
save and delete of a record — post_save, post_delete and m2m_changed of every model of the
cooperation, projects and labor apps, except the derived WorkerYear rows and the history
rows — gives a new random token to the row of the record's partnership (`partnership`, or
through its parent: an employment's worker, a progress note's project), and to the old
partnership's row too when a save moves the record (pre_save reads the stored one: one
query per update). Writes of records that belong to no partnership (regions, partnerships,
organisations, m2m links) change the global row, which every scope includes. Writes that
send no signals (COPY, `bulk_create`, `QuerySet.update`: imports, demo and national data,
`rebuild_worker_years`) call `bump_data_version(partnerships=…)` themselves;
`partnerships_of(records)` names the partnerships of a batch.

A scope's version (`scope_version(ids)`) is a digest of the tokens of the global row and of
its partnerships' rows, read in one query; the nation's (`data_version()`) a digest of every
row. So a write in partnership A changes A's version and that of every roll-up holding A,
and leaves B's — and B's cached pages — alone.

Because the new token is written inside the writing transaction, a reader sees the new
token exactly when it sees the new records: anything cached under the old version is
simply never asked for again. A reader that read the old version and then, by chance, the
newly committed records caches newer figures under the old key, which is harmless.

Tokens are random rather than counters so that a rolled-back transaction (every test is
one), whose version a reader inside it may have used as a cache key, cannot leave a later
transaction the same version with different data behind it. For the same reason every
write bumps, even several times in one transaction: a "bumped already" mark could not
follow a rolled-back savepoint.

Cost: one upsert of one row by primary key per write; the row stays locked until the
transaction ends, so writes to the same partnership commit one after another, and writes
to different partnerships no longer wait for each other. A bulk bump names its rows in
ascending order (one lock order); two transactions that each save records of several
partnerships one by one, in opposite orders, can still deadlock on PostgreSQL, which then
fails one of them. Reading a version is one query of a few rows (the nation: of every row,
a few hundred), once per request.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from typing import NamedTuple
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from cooperation.roles import PERSONAL_DATA

# Evidence files count too: the annual summary shows how many records have them.
APPS = ("cooperation", "projects", "labor", "evidence")
# Derived or bookkeeping rows: WorkerYear is rebuilt by services that bump themselves (and a
# delete listener would turn its bulk deletes into row-by-row ones); DataVersion is the
# version itself; ExportAudit records reads, not data.
NOT_DATA = {
    "labor.workeryear",
    "cooperation.dataversion",
    "cooperation.exportaudit",
    "cooperation.yearfigure",
    "cooperation.yearfigurestamp",
}
CACHE_SECONDS = 24 * 3600
TABLE = "cooperation_dataversion"
GLOBAL = 0  # the row of the records that belong to no partnership (DataVersion.GLOBAL)
_IN_LIMIT = 500  # a scope of more partnerships reads every row (still one query)
_BATCH = 300  # rows per upsert statement (3 parameters each)
_CHUNK = 900  # ids per `pk__in` lookup (SQLite's historic limit of 999 parameters)


# --- writing ---------------------------------------------------------------------------------


def bump_data_version(using=None, partnerships=None):
    """Give new tokens, inside the current transaction, to the versions of `partnerships`
    (an iterable of partnership ids; None among them stands for the global version), or to
    the global version alone when `partnerships` is None: the records written belong to no
    partnership, or to too many to name. An empty iterable bumps nothing."""
    alias = using or DEFAULT_DB_ALIAS
    if partnerships is None:
        keys = {GLOBAL}
    else:
        keys = {GLOBAL if p is None else int(p) for p in partnerships}
    if not keys:
        return
    token, now = uuid.uuid4().hex, timezone.now()
    ordered = sorted(keys)  # every writer locks rows in the same order
    with connections[alias].cursor() as cursor:
        for start in range(0, len(ordered), _BATCH):
            chunk = ordered[start : start + _BATCH]
            values = ", ".join(["(%s, %s, 1, %s)"] * len(chunk))
            # An upsert in one statement (SQLite ≥ 3.24 and PostgreSQL spell it alike): a
            # partnership's row is made by its first write, and two first writes cannot race.
            cursor.execute(
                f"INSERT INTO {TABLE} (partnership_id, token, counter, changed_at) "
                f"VALUES {values} ON CONFLICT (partnership_id) DO UPDATE SET "
                f"token = excluded.token, counter = {TABLE}.counter + 1, "
                f"changed_at = excluded.changed_at",
                [value for key in chunk for value in (key, token, now)],
            )
    memo = getattr(_request_memo, "versions", None)
    if memo:
        memo.pop(alias, None)


class _Path(NamedTuple):
    """How a record reaches its partnership: `key`, a foreign key of its own, is either the
    partnership (`parent` None) or leads to a `parent` record whose `parent_key` is."""

    key: object
    parent: object = None
    parent_key: str = ""

    @property
    def lookup(self):
        """The ORM path from the record to its partnership's id."""
        if self.parent is None:
            return self.key.attname
        return f"{self.key.name}__{self.parent_key}"


_paths = {}


def _partnership_key(model):
    """The model's own non-null foreign key to Partnership (`partnership` first), or None."""
    partnership = apps.get_model("cooperation", "Partnership")
    keys = [
        f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is partnership
    ]
    keys.sort(key=lambda f: f.name != "partnership")
    return keys[0] if keys else None


def _path(model):
    """The _Path of a model's records to their partnership; None: they belong to none."""
    model = model._meta.concrete_model
    if model not in _paths:
        found = None
        key = _partnership_key(model)
        if key is not None:
            found = _Path(key)
        else:
            for field in model._meta.concrete_fields:
                if not field.many_to_one or field.null:
                    continue
                parent_key = _partnership_key(field.related_model)
                if parent_key is not None and not parent_key.null:
                    found = _Path(field, field.related_model, parent_key.attname)
                    break
        _paths[model] = found
    return _paths[model]


def partnership_lookup(model):
    """The ORM path from a record of `model` to its partnership's id ("partnership_id",
    "worker__partnership_id"), or None for records that belong to no partnership."""
    path = _path(model)
    return None if path is None else path.lookup


def _partnership_of(instance, path, using=None):
    """The partnership id of a record as it is in memory (None: it has none)."""
    value = getattr(instance, path.key.attname)
    if path.parent is None or value is None:
        return value
    return (
        path.parent._meta.base_manager.using(using or DEFAULT_DB_ALIAS)
        .filter(pk=value)
        .values_list(path.parent_key, flat=True)
        .first()
    )


def _values(manager, pks, lookup):
    """The distinct values of `lookup` on the rows of these primary keys (_CHUNK at a time)."""
    pks, found = sorted(pks), set()
    for i in range(0, len(pks), _CHUNK):
        rows = manager.filter(pk__in=pks[i : i + _CHUNK]).order_by()
        found.update(rows.values_list(lookup, flat=True).distinct())
    return found


def partnerships_of(records, stored=False):
    """The ids of the partnerships that these records (all of one model) belong to, for
    `bump_data_version(partnerships=…)` after a bulk write; None among them stands for the
    global version (records of a model without a partnership). `stored`: also the
    partnerships the database holds for them now — call it before a bulk update that may
    move records to another partnership."""
    records = list(records)
    if not records:
        return set()
    model = type(records[0])
    path = _path(model)
    if path is None:
        return {None}
    keys = {getattr(r, path.key.attname) for r in records}
    if path.parent is None:
        found = set(keys)
    else:
        found = {None} if None in keys else set()
        found |= _values(path.parent._meta.base_manager, keys - {None}, path.parent_key)
    if stored:
        stored_pks = {r.pk for r in records if r.pk is not None}
        found |= _values(model._meta.base_manager, stored_pks, path.lookup)
    return found


# --- reading ---------------------------------------------------------------------------------


def scope_version(partnerships=None, using=None):
    """The data version of a scope, as text: `partnerships` an iterable of partnership ids,
    or None for the nation (every partnership). It changes with every write of the scope's
    records and of the records of no partnership. One query, read once per request."""
    alias = using or DEFAULT_DB_ALIAS
    if partnerships is None:
        key = None
    else:
        key = frozenset(GLOBAL if p is None else int(p) for p in partnerships) | {GLOBAL}
    memo = getattr(_request_memo, "versions", None)
    seen = memo.setdefault(alias, {}) if memo is not None else {}
    if key in seen:
        return seen[key]
    # The rows read earlier in the request answer any scope they cover (e.g. the global
    # version alone after a partnership's, a partnership's after the nation's): no query.
    tokens, covered = seen.get("tokens"), seen.get("covered")  # covered None: every row
    if tokens is None or not (covered is None or (key is not None and key <= covered)):
        whole = key is None or len(key) > _IN_LIMIT
        read = _read_tokens(alias, None if whole else key)
        if whole or tokens is None:
            tokens, covered = read, None if whole else key
        else:
            tokens, covered = {**tokens, **read}, covered | key
        seen["tokens"], seen["covered"] = tokens, covered
    seen[key] = version = _digest(key, tokens)
    return version


def data_version(using=None):
    """The nation's version: every partnership's and the global one (one query; read once
    per request). For caches whose values are not limited to a scope."""
    return scope_version(None, using)


def _read_tokens(alias, keys):
    """{partnership id: token} of these rows (None: of every row)."""
    sql, params = f"SELECT partnership_id, token FROM {TABLE}", []
    if keys is not None:
        params = sorted(keys)
        sql += f" WHERE partnership_id IN ({', '.join(['%s'] * len(params))})"
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _digest(key, tokens):
    """A short digest of the scope's tokens ("-" for a partnership never written yet)."""
    if key is None:
        text = "nation|" + "|".join(f"{p}:{tokens[p]}" for p in sorted(tokens))
    else:
        text = "|".join(f"{p}:{tokens.get(p, '-')}" for p in sorted(key))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# Within a request each version is read once (several caches may ask); a write in the
# request forgets them. Outside requests (commands, shells) they are read every time.
_request_memo = threading.local()
_PLAIN_KEY = re.compile(r"[\w.,=&%+/:|-]*", re.ASCII)


def _request_started(**kwargs):
    _request_memo.versions = {}


def _request_finished(**kwargs):
    _request_memo.versions = None


def user_kind(user):
    """What a user may see decides what a cached page may hold."""
    if user is None or not user.is_authenticated:
        return "public"
    if user.has_perm(PERSONAL_DATA):
        return "personal"
    return "staff"


def cache_key(name, *parts, version=None):
    """`name:part:…:language:version` — the language and the data version always included
    (by default the nation's: pass `version=scope_version(ids)` for a value of a scope)."""
    version = version if version is not None else data_version()
    language = translation.get_language() or "-"
    middle = ":".join(map(str, parts))
    if len(middle) > 100 or not _PLAIN_KEY.fullmatch(middle):
        # A long or unusual value (a query string, a visitor's parameter): a digest keeps keys
        # short and printable for any cache backend (memcached refuses spaces and controls).
        middle = hashlib.sha256(middle.encode("utf-8", "surrogatepass")).hexdigest()
    return ":".join([name, middle, language, version])


def cached(name, *parts, compute, timeout=CACHE_SECONDS, version=None):
    """The value of `compute()` for these key parts and the data version (the nation's, or
    `version`, e.g. `scope_version(ids)` for a value that only reads those partnerships)."""
    key = cache_key(name, *parts, version=version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


# --- whole pages --------------------------------------------------------------------------

_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_MAX_QUERY = 512  # longer query strings are not cached (no cache flooding by junk parameters)


def never_stale_page(name, scope=None):
    """Cache a GET view's 200 responses under the page name, its arguments and query string,
    the viewer, the language, the day and the data version: that of `scope(request)` (the
    ids of the partnerships the page shows, or None for the nation), else the nation's.
    A CSRF token in the page is stored as a placeholder and filled in per request (a cached
    page never hands one visitor's token to another); attributes set by django-csp's
    decorators are kept. Authenticated users get pages of their own (the header shows their
    name), visitors share one. The day is part of the key because pages say "as of" and
    choose their default year by it, and a partnership may see no write for days."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            query = urlencode(sorted(request.GET.lists()), doseq=True)
            if request.method not in ("GET", "HEAD") or len(query) > _MAX_QUERY:
                return view(request, *args, **kwargs)
            user = request.user
            viewer = f"user{user.pk}-{int(user.is_staff)}" if user.is_authenticated else "anon"
            parts = [*args, *(f"{k}={v}" for k, v in sorted(kwargs.items())), query]
            day = timezone.localdate().isoformat()
            version = scope_version(scope(request)) if scope is not None else data_version()
            key = cache_key("page", name, *parts, viewer, user_kind(user), day, version=version)
            stored = cache.get(key)
            if stored is not None:
                return _from_cache(stored, request)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, _for_cache(response), CACHE_SECONDS)
            return response

        return wrapped

    return decorator


def _for_cache(response):
    content, csrf = _CSRF_VALUE.subn(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    attributes = {k: v for k, v in vars(response).items() if k.startswith("_csp")}
    return (content, csrf > 0, dict(response.headers), attributes)


def _from_cache(stored, request):
    content, has_csrf, headers, attributes = stored
    if has_csrf:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for header, value in headers.items():
        response.headers[header] = value
    for attribute, value in attributes.items():
        setattr(response, attribute, value)
    return response


# --- signals ---------------------------------------------------------------------------------


def _before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """A save that moves a stored record to another partnership bumps the one it leaves."""
    path = _path(sender)
    if raw or instance.pk is None or path is None:
        return
    if update_fields is not None and not {path.key.name, path.key.attname} & set(update_fields):
        return
    lookups = [path.key.attname] if path.parent is None else [path.key.attname, path.lookup]
    row = (
        sender._meta.base_manager.using(using or DEFAULT_DB_ALIAS)
        .filter(pk=instance.pk)
        .values_list(*lookups)
        .first()
    )
    if row is not None and row[0] != getattr(instance, path.key.attname):
        bump_data_version(using, [row[-1]])


def _on_write(sender, instance, raw=False, using=None, **kwargs):
    if raw:
        return
    path = _path(sender)
    bump_data_version(using, None if path is None else [_partnership_of(instance, path, using)])


def _on_m2m(sender, action, using=None, **kwargs):
    # No record model has a many-to-many field today: a link bumps the global version.
    if action in ("post_add", "post_remove", "post_clear"):
        bump_data_version(using)


def data_models():
    """Every record model whose writes change figures (history models excluded)."""
    for model in apps.get_models():
        label = model._meta.label_lower
        if (
            model._meta.app_label in APPS
            and label not in NOT_DATA
            and not hasattr(model, "instance_type")  # simple_history's Historical… models
        ):
            yield model


def connect_signals():
    """Connect the bump to each record model (per sender: a global post_delete receiver would
    disable Django's fast deletes for every model, WorkerYear included)."""
    request_started.connect(_request_started, dispatch_uid="freshness_request_started")
    request_finished.connect(_request_finished, dispatch_uid="freshness_request_finished")
    for model in data_models():
        uid = f"freshness_{model._meta.label_lower}"
        if _path(model) is not None:
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "_pre_save")
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + "_delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}"
            )
