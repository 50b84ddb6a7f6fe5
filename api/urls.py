from django.urls import include, path, re_path

from .errors import api_not_found

app_name = "api"

urlpatterns = [
    path("v1/", include("api.v1.router")),
    # Last: any other address under /api/ answers 404 in problem+json, in every environment.
    re_path(r"^", api_not_found),
]
