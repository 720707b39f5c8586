from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaborConfig(AppConfig):
    name = "labor"
    verbose_name = _("劳务协作")

    def ready(self):
        from . import signals  # noqa: F401 - connects the WorkerYear rebuild
