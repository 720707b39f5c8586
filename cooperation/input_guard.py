"""Refuses, with 400 and a plain message, query strings that no page can use and that
would otherwise reach the database unchecked (found by tests/security/test_fuzz.py):

- a NUL character anywhere: PostgreSQL refuses it in every string, and Django's admin hands
  its list filters and search terms to the database as they come;
- a date part of the admin's date hierarchy (`…__year`, `…__month`, `…__day`) that is not
  a number in range: the admin builds dates from them and the next year, month or day
  unguarded (OverflowError for huge numbers, "year 10000 is out of range" for 9999, and
  "year 0 is out of range" for year 1, whose first hour is in year 0 in UTC);
- a search term of more than MAX_SEARCH_WORDS words: the admin adds one OR over all its
  search fields per word (SQLite gives up at 1000 nested expressions; PostgreSQL plans the
  monster slowly), and no one searches with that many words.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext

MAX_SEARCH_WORDS = 20
DATE_PARTS = {"__year": (1900, 2100), "__month": (1, 12), "__day": (1, 31)}
SEARCH_PARAMETERS = ("q",)


def refusal(query):
    """The reason to refuse a QueryDict, or None."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return gettext("查询参数中含有空字符（NUL）。")
        for suffix, (low, high) in DATE_PARTS.items():
            if name.endswith(suffix):
                for value in values:
                    text = value.strip()
                    if not (text.isdecimal() and len(text) <= 4 and low <= int(text) <= high):
                        return gettext("日期参数 %(name)s 无效。") % {"name": name}
        if name in SEARCH_PARAMETERS and any(len(v.split()) > MAX_SEARCH_WORDS for v in values):
            return gettext("查询词太多（最多 %(n)d 个）。") % {"n": MAX_SEARCH_WORDS}
    return None


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = refusal(request.GET)
        if reason is not None:
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
