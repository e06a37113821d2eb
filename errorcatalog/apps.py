from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErrorCatalogConfig(AppConfig):
    name = "errorcatalog"
    verbose_name = _("Error catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks register on import)

        signals.connect()
