import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ambassadors.links import views as link_views
from config.health import healthz
from content import sitemaps as content_sitemaps
from content.api import api_router
from network import views as network_views
from network.api import api as network_api

# Not translated: machines and staff tools.
urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("r/<str:code>", link_views.follow, name="tracked_link"),
    path("i18n/setlang/", network_views.set_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", network_api.urls),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", content_sitemaps.sitemap, name="sitemap"),
    path("robots.txt", content_sitemaps.robots_txt, name="robots_txt"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # django.conf.urls.static.static() serves nothing once DEBUG is off; the demo runs
    # with DEBUG off (its own error pages) and has no web server in front for uploads.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# French at the unprefixed URLs, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("network.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("ambassadors.press.urls")),
    path("", include("ambassadors.urls")),
    path("campaigns/", include("ambassadors.campaigns.urls")),
    path("", include("realtime.urls")),
    path("", include("content.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# The site's 500 page in the visitor's language (404 and 403 use Django's own handlers, which
# render 404.html and 403.html with the request's context).
handler500 = "config.error_pages.server_error"
