from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        # Here, not at the top: views and serializers need the app registry to be ready.
        from . import checks  # noqa: F401 - registers the system checks
        from .v1.router import attach_to_collections

        attach_to_collections()
