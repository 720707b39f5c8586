from django.conf import settings


def site(request):
    return {"ADMIN_URL": "/" + settings.ADMIN_URL}
