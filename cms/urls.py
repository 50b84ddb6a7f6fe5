from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.health import healthz, readyz

urlpatterns = [
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The page tree as HTML, when SERVE_HTML_PAGES is on: last, so it never shadows the API.
# Previews are the admin's own views and work without it.
if settings.SERVE_HTML_PAGES:
    urlpatterns += [path("", include(wagtail_urls))]

# Errors raised outside the API's views (in middleware, or unexpected ones) answer in the
# API's own format under /api/.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler500 = "api.errors.server_error"
