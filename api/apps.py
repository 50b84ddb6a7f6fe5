from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        # Here, not at the top: views and serializers need the app registry to be ready.
        from django.db.models.signals import post_migrate

        from content_models import publication

        from . import checks  # noqa: F401 - registers the system checks
        from .cdn import purging
        from .v1.router import attach_to_collections

        attach_to_collections()
        publication.on_change(purging.content_changed)
        post_migrate.connect(purging.code_deployed, dispatch_uid="api.cdn.code_deployed")
