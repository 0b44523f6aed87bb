"""`/sitemap.xml` and `/robots.txt`, outside the language prefixes.

Pages are served in French at their plain address and in English under /en/; the sitemap
lists both, each entry naming the other as its alternate (hreflang).
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

ROBOTS_DISALLOW = ["/admin/", "/django-admin/", "/accounts/", "/en/accounts/"]


class BilingualSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls, last_mods = [], set()
        for item in self.paginator.page(page).object_list.iterator():
            by_language = {}
            for code, _name in settings.LANGUAGES:
                # Outside i18n_patterns the active language is the visitor's: each
                # language's address is computed under that language.
                with translation.override(code):
                    by_language[code] = item.get_sitemap_urls(self.request)
            alternates = [
                {"lang_code": code, "location": entries[0]["location"]}
                for code, entries in by_language.items()
                if entries
            ]
            for entries in by_language.values():
                for entry in entries:
                    urls.append({**entry, "item": item, "alternates": alternates})
                    last_mods.add(entry.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": BilingualSitemap})


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
