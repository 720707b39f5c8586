import functools

from django.conf import settings

from . import areas


def site(request):
    # `office` is a callable: a template that shows it (the header of a staff user's page)
    # runs its two queries, any other runs none.
    return {
        "ADMIN_URL": "/" + settings.ADMIN_URL,
        "office": functools.partial(areas.office, getattr(request, "user", None)),
    }
