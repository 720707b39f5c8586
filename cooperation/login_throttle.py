"""Login throttling: stops password guessing without letting a stranger lock a clerk out.

django-axes records every failed login; this handler decides from those records. Three
limits, each over the cool-off period (AXES_COOLOFF_HOURS, one hour by default):

- **an account at one address** (AXES_FAILURE_LIMIT, 5): five wrong passwords for one
  username from one client address lock that pair. Guessing from one place stops there,
  and the real user, anywhere else, is not affected;
- **an address** (LOGIN_ADDRESS_FAILURE_LIMIT, 20): twenty failures from one address, over
  any usernames, lock the address (password spraying);
- **an account from everywhere** (LOGIN_ACCOUNT_FAILURE_LIMIT, 30): thirty failures for one
  username, over all addresses, lock that account for every browser it has never signed in
  from. A browser where the user signed in before carries a signed "known device" cookie
  (LOGIN_DEVICE_DAYS, 180 days) and is not held by this limit, so guessing from many
  addresses stops at thirty an hour while the clerk still signs in at her own desk.

A successful login clears only the failures of its own username at its own address (one
correct login of a guesser's own account no longer wipes what he tried on others).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum

DEVICE_COOKIE = "known_device"
DEVICE_SALT = "cooperation.login_throttle.known_device"


def _limit(name, default):
    return getattr(settings, name, default)


def device_cookie_value(username):
    return signing.dumps(username, salt=DEVICE_SALT)


def is_known_device(request, username):
    """Whether this browser carries a device cookie of `username` that is still valid."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw or not username:
        return False
    try:
        signed_for = signing.loads(
            raw, salt=DEVICE_SALT, max_age=_limit("LOGIN_DEVICE_DAYS", 180) * 86400
        )
    except signing.BadSignature:
        return False
    return signed_for == username


def _failures(request, **where):
    """Failures recorded in the cool-off period before this request."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    return recent.filter(**where).aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottle(AxesDatabaseHandler):
    """AXES_HANDLER: axes counts the pair (AXES_LOCKOUT_PARAMETERS = username+ip_address);
    the address and account limits are added here."""

    def lock_reason(self, request, credentials=None):
        """ "pair", "address", "account" or None."""
        if super().is_locked(request, credentials):
            return "pair"
        address = getattr(request, "axes_ip_address", None)
        if address and _failures(request, ip_address=address) >= _limit(
            "LOGIN_ADDRESS_FAILURE_LIMIT", 20
        ):
            return "address"
        username = get_client_username(request, credentials)
        if (
            username
            and _failures(request, username=username) >= _limit("LOGIN_ACCOUNT_FAILURE_LIMIT", 30)
            and not is_known_device(request, username)
        ):
            return "account"
        return None

    def is_locked(self, request, credentials=None):
        reason = self.lock_reason(request, credentials)
        if reason:
            request.login_lock_reason = reason
        return reason is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False):
            # The pair's limit was checked by axes; this failure may reach another one.
            if self.is_locked(request, credentials):
                request.axes_locked_out = True
                request.axes_credentials = credentials

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        request.known_device_username = user.get_username()


class KnownDeviceMiddleware:
    """Gives a browser that just signed in its known-device cookie (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "known_device_username", None)
        if username:
            response.set_cookie(
                DEVICE_COOKIE,
                device_cookie_value(username),
                max_age=_limit("LOGIN_DEVICE_DAYS", 180) * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
