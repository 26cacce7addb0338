from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from articles.api.main import api, openapi_json
from pressroom.security_txt import security_txt

admin.site.site_header = _("Pressroom — salle de presse")
admin.site.site_title = "Pressroom"
admin.site.index_title = _("Administration des communiqués")

# A database that cannot be reached gets the French 503 page, even when a middleware met it.
handler500 = "pressroom.failures.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The public API (articles/api/): /api/v1/, its docs at /api/v1/docs, OpenAPI at /api/openapi.json.
    path("api/v1/", api.urls),
    path("api/openapi.json", openapi_json, name="api-openapi"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
]
# The public site in each language (issue #14): French at today's addresses, the others under
# their prefix (/en/…, /ja/…). LocaleMiddleware takes the language from the address only: an
# unprefixed address is French whatever the browser asks.
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)

if settings.DEBUG:
    # Local development only; in production the front server serves /media/ (see README).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
