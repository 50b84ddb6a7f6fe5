from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from api.health import healthz, readyz

# The admin's pages need more than the site's Content-Security-Policy (settings) allows, and
# only they get it. Wagtail still writes inline scripts into its editing pages (each date,
# snippet and page chooser, each inline panel starts from a <script> beside its field) and its
# bundled libraries set inline styles (vendor.js): without these, editing breaks. Scripts and
# styles still come from this server only.
admin_content_security_policy = csp_update(
    {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}
)

urlpatterns = [
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(
        "admin/",
        include(decorate_urlpatterns(wagtailadmin_urls.urlpatterns, admin_content_security_policy)),
    ),
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
