from django.apps import AppConfig


class ContentModelsConfig(AppConfig):
    name = "content_models"
    verbose_name = "Clinical content"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from . import signals  # noqa: F401 - connects the content-change receivers
        from .snippets.base import PublishableSnippet

        # The admin's "Usage" views read Wagtail's reference index. Wagtail adds a snippet to it
        # only as the admin's URLs load, so content saved before then in a process (a command,
        # a shell, a worker) would be missing from it: register every snippet from the start.
        for model in self.get_models():
            if issubclass(model, PublishableSnippet):
                ReferenceIndex.register_model(model)
