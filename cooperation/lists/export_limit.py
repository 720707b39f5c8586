"""A limit on concurrent exports: a large list export keeps a worker busy for seconds to
minutes, and a handful of them at once used to leave no worker for anyone else.

`limit_exports` wraps an export view. Before the view runs it takes two slots: one of the
client's (`EXPORT_MAX_PER_CLIENT`, default 2) and one of the site's (`EXPORT_MAX_CONCURRENT`,
default 4); when either is full the visitor gets 429 with a Chinese message and Retry-After.
A client is the signed-in user, or for anonymous visitors the client address
(`client_ip_address`, which honours PROXY_COUNT). A setting of 0 turns that limit off.

Slots are numbered keys of the "exports" cache, taken with `cache.add` (atomic on Redis,
memcached, the database cache and locmem). By default that cache is a table of the database
(`EXPORT_CACHE_URL`, default `dbcache://export_slots`, made by `createcachetable`), so the
limits hold across gunicorn's worker processes and across app servers with no other
service; a shared Redis works as well. Each slot expires after
`EXPORT_SLOT_SECONDS` (default 600, the same as gunicorn's `--timeout`), so a worker killed
mid-export cannot hold it for ever.

A slot is held until the export is over: for a streamed response (CSV, and the XLSX file
read out of its temporary file) until its content is exhausted or the response is closed;
for any other response, or when the view raises, as soon as the view returns. A WSGI server
serves one request at a time per thread and closes every response before the next, so when a
thread starts an export, what an earlier export of the same thread still holds is released
first: its response was never closed (the test client leaves a response open when it is not
read to the end).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import uuid

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import ngettext

from cooperation.settings import client_ip_address

logger = logging.getLogger(__name__)
CACHE = "exports"

RETRY_AFTER_SECONDS = 30

this_thread = threading.local()  # .slots: those of the thread's latest export


def max_concurrent():
    return getattr(settings, "EXPORT_MAX_CONCURRENT", 4)


def max_per_client():
    return getattr(settings, "EXPORT_MAX_PER_CLIENT", 2)


def slot_seconds():
    return getattr(settings, "EXPORT_SLOT_SECONDS", 600)


def client_key(request):
    """The user's id, or the client address (hashed: no address in the cache's keys)."""
    if request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = f"ip:{client_ip_address(request)}"
    return hashlib.sha256(who.encode()).hexdigest()[:32]


class Slot:
    """One taken slot key; `release()` frees it once, and only if it is still ours (after it
    expired another export may have taken the same key)."""

    def __init__(self, key, token):
        self.key = key
        self.token = token
        self.released = False

    def release(self):
        if self.released:
            return
        self.released = True
        if caches[CACHE].get(self.key) == self.token:
            caches[CACHE].delete(self.key)


def take_slot(prefix, limit):
    """A free slot among `limit` numbered keys, or None when all are taken."""
    token = uuid.uuid4().hex
    for number in range(limit):
        key = f"export-slot:{prefix}:{number}"
        if caches[CACHE].add(key, token, timeout=slot_seconds()):
            return Slot(key, token)
    return None


class Slots:
    """The slots one export holds (the client's and the site's)."""

    def __init__(self, slots):
        self.slots = slots

    def release(self):
        for slot in self.slots:
            slot.release()


def take_slots(request):
    """(Slots, None) when the export may start, else (None, the 429 response)."""
    earlier = getattr(this_thread, "slots", None)
    if earlier is not None:
        earlier.release()
    taken = []
    per_client, in_all = max_per_client(), max_concurrent()
    if per_client > 0:
        slot = take_slot(f"client:{client_key(request)}", per_client)
        if slot is None:
            return None, busy_response(request, "client", per_client)
        taken.append(slot)
    if in_all > 0:
        slot = take_slot("all", in_all)
        if slot is None:
            Slots(taken).release()
            return None, busy_response(request, "all", in_all)
        taken.append(slot)
    this_thread.slots = Slots(taken)
    return this_thread.slots, None


def busy_response(request, which, limit):
    if which == "client":
        message = ngettext(
            "您已有导出正在进行（每人同时最多 %(limit)s 个），请等它完成后再试。",
            "您已有导出正在进行（每人同时最多 %(limit)s 个），请等它完成后再试。",
            limit,
        ) % {"limit": limit}
    else:
        message = ngettext(
            "导出的人太多，请稍后再试（同时最多 %(limit)s 个导出）。",
            "导出的人太多，请稍后再试（同时最多 %(limit)s 个导出）。",
            limit,
        ) % {"limit": limit}
    scope = "per client" if which == "client" else "in all"
    logger.info("export refused: %s exports at once %s, %s", limit, scope, request.path)
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ReleasingIterator:
    """The response's content, freeing the slots when it is exhausted, fails or is closed
    (the server closes every response, also when the client goes away mid-download; a
    generator would not run its `finally` when closed before its first chunk)."""

    def __init__(self, content, slots):
        self.content = iter(content)
        self.slots = slots

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.content)
        except BaseException:  # StopIteration at the end, or the export failing
            self.slots.release()
            raise

    def close(self):
        self.slots.release()


def limit_exports(view):
    """Decorator of an export view: at most so many exports at once (see the module)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        slots, refused = take_slots(request)
        if refused is not None:
            return refused
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            slots.release()
            raise
        if response.streaming and not response.is_async:
            response.streaming_content = ReleasingIterator(response.streaming_content, slots)
        else:
            slots.release()
        return response

    return wrapper
