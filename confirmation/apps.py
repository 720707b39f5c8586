from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfirmationConfig(AppConfig):
    name = "confirmation"
    verbose_name = _("年度确认")

    def ready(self):
        from . import closing

        closing.connect()  # every dated model's saves and deletes ask whether its year is closed
