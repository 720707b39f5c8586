"""The site's URLs, the error handlers cooperation/urls.py is to name, and views that fail
on purpose (tests/security/test_error_pages.py)."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from cooperation.urls import urlpatterns as site_urlpatterns


def staff_only(request):
    raise PermissionDenied("Staff only (a developer's note, not for visitors).")


def refuses_parameter(request):
    raise BadRequest("Unknown parameter (a developer's note, not for visitors).")


def broken(request):
    raise RuntimeError("A view failing on purpose.")


urlpatterns = [
    path("test-errors/staff-only/", staff_only),
    path("test-errors/bad-request/", refuses_parameter),
    path("test-errors/broken/", broken),
    *site_urlpatterns,
]

handler500 = "cooperation.errors.server_error"
