"""Caches that are never stale: a data-version token changed in the same transaction as
every write.

`DataVersion` is one row. Every save and delete of a record — post_save, post_delete and
m2m_changed of every model of the cooperation, projects and labor apps, except the derived
WorkerYear rows and the history rows — runs `bump_data_version()`, once per transaction.
Writes that send no signals (COPY, `bulk_create`, `QuerySet.update`: imports, demo and
national data, `rebuild_worker_years`) call it themselves.

Because the new token is written inside the writing transaction, a reader sees the new
token exactly when it sees the new records: anything cached under the old token is simply
never asked for again. A reader that read the old token and then, by chance, the newly
committed records caches newer figures under the old key, which is harmless.

The token is random rather than a counter so that a rolled-back transaction (every test
is one) cannot leave a later transaction the same token with different data behind it.

Cost: one UPDATE of one row per writing transaction, and the row lock is held until the
transaction ends, so writing transactions commit one after another. Writes here are data
entry and imports, so this is cheap; reading the token is one primary-key query.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

APPS = ("cooperation", "projects", "labor")
# Derived or bookkeeping rows: WorkerYear is rebuilt by services that bump themselves (and a
# delete listener would turn its bulk deletes into row-by-row ones); DataVersion is the
# counter itself; ExportAudit records reads, not data.
NOT_DATA = {"labor.workeryear", "cooperation.dataversion", "cooperation.exportaudit"}
CACHE_SECONDS = 24 * 3600
TABLE = "cooperation_dataversion"


def _bumped():
    """Marker left among the transaction's on-commit callbacks: this transaction has bumped."""


def _already_bumped(conn):
    return conn.in_atomic_block and any(entry[1] is _bumped for entry in conn.run_on_commit)


def bump_data_version(using=None):
    """Give the data a new version token, inside the current transaction (once per
    transaction: later writes in it are covered, and a rolled-back savepoint takes its bump
    with it)."""
    alias = using or DEFAULT_DB_ALIAS
    conn = connections[alias]
    if _already_bumped(conn):
        return
    token, now = uuid.uuid4().hex, timezone.now()
    with conn.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET token = %s, counter = counter + 1, changed_at = %s WHERE id = 1",
            [token, now],
        )
        if cursor.rowcount == 0:
            cursor.execute(
                f"INSERT INTO {TABLE} (id, token, counter, changed_at) VALUES (1, %s, 1, %s)",
                [token, now],
            )
    if conn.in_atomic_block:
        transaction.on_commit(_bumped, using=alias)
    memo = getattr(_request_memo, "versions", None)
    if memo:
        memo.pop(alias, None)


def data_version(using=None):
    """The current token (one query; read once per request).

    Read inside a transaction that has already bumped, the token may now key a cache entry
    built from this transaction's records so far; the transaction's next write must bump
    again, so the marker is dropped."""
    alias = using or DEFAULT_DB_ALIAS
    memo = getattr(_request_memo, "versions", None)
    if memo is not None and alias in memo:
        return memo[alias]
    conn = connections[alias]
    if _already_bumped(conn):
        conn.run_on_commit[:] = [entry for entry in conn.run_on_commit if entry[1] is not _bumped]
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    token = row[0] if row else "none"
    if memo is not None:
        memo[alias] = token
    return token


# Within a request the token is read once (several caches may ask); a write in the request
# forgets it. Outside requests (commands, shells) it is read every time.
_request_memo = threading.local()


def _request_started(**kwargs):
    _request_memo.versions = {}


def _request_finished(**kwargs):
    _request_memo.versions = None


def user_kind(user):
    """What a user may see decides what a cached page may hold."""
    if user is None or not user.is_authenticated:
        return "public"
    if user.has_perm("labor.view_personal_data"):
        return "personal"
    return "staff"


def cache_key(name, *parts, version=None):
    """`name:part:…:language:token` — the language and the data version always included."""
    version = version if version is not None else data_version()
    language = translation.get_language() or "-"
    middle = ":".join(map(str, parts))
    if len(middle) > 100:  # a long query string: a digest keeps keys short for any cache backend
        middle = hashlib.sha256(middle.encode("utf-8", "surrogatepass")).hexdigest()
    return ":".join([name, middle, language, version])


def cached(name, *parts, compute, timeout=CACHE_SECONDS, version=None):
    """The value of `compute()` for these key parts and the current data version."""
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


def never_stale_page(name):
    """Cache a GET view's 200 responses under the page name, its arguments and query string,
    the viewer, the language and the data version. A CSRF token in the page is stored as a
    placeholder and filled in per request (a cached page never hands one visitor's token to
    another); attributes set by django-csp's decorators are kept. Authenticated users get
    pages of their own (the header shows their name), visitors share one."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            query = urlencode(sorted(request.GET.lists()), doseq=True)
            if request.method not in ("GET", "HEAD") or len(query) > _MAX_QUERY:
                return view(request, *args, **kwargs)
            user = request.user
            viewer = f"user{user.pk}-{int(user.is_staff)}" if user.is_authenticated else "anon"
            parts = [*args, *(f"{k}={v}" for k, v in sorted(kwargs.items())), query]
            key = cache_key("page", name, *parts, viewer, user_kind(user))
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


def _on_write(sender, raw=False, using=None, **kwargs):
    if not raw:
        bump_data_version(using)


def _on_m2m(sender, action, using=None, **kwargs):
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
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + "_delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}"
            )
