from django.apps import AppConfig


class ContentModelsConfig(AppConfig):
    name = "content_models"
    verbose_name = "Clinical content"

    def ready(self):
        from . import signals  # noqa: F401 - connects the content-change receivers
