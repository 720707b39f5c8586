from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using="default", **kwargs):
    """The tables of database caches (the export limit's slots): made by every `migrate`,
    so an operator has no extra step (createcachetable skips tables that exist)."""
    if sender.name == "cooperation":
        call_command("createcachetable", database=using, verbosity=0)


class CooperationAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the project's site (cooperation/admin_site.py)."""

    default = False
    default_site = "cooperation.admin_site.CooperationAdminSite"


class CooperationConfig(AppConfig):
    default = True
    name = "cooperation"
    verbose_name = _("东西部协作")

    def ready(self):
        from . import roles

        # Every app's indicators.py registers its figures in the shared registry.
        autodiscover_modules("indicators")
        from cooperation.dashboard import core_indicators  # noqa: F401  the core app's own figures

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="cooperation_roles")
        post_migrate.connect(create_cache_tables, dispatch_uid="cooperation_cache_tables")
        # Every write to the records changes the data version that keys the caches.
        from . import freshness

        freshness.connect_signals()
        # Spreadsheet resources fix their column titles and units when their classes are
        # built: build them now, in the default language, not inside some English request.
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            autodiscover_modules("resources")
