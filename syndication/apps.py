from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "syndication"
    verbose_name = "Syndication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
