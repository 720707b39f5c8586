"""Remembers the signed-in user of the current request so that records can note who
created or changed them, whichever code path (admin, import, service) saves them."""

from contextvars import ContextVar

_current_user = ContextVar("current_user", default=None)


def get_current_user():
    return _current_user.get()


class acting_user:  # noqa: N801 - used like a function: `with acting_user(user):`
    """Context manager for code outside a request (commands, imports, tests)."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        self.token = _current_user.set(self.user)
        return self.user

    def __exit__(self, *exc):
        _current_user.reset(self.token)


class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _current_user.reset(token)
