"""`/sitemap.xml` and `/robots.txt`, outside the language prefixes.

Each language has its own tree of pages (French at the plain addresses, English under /en/);
the sitemap lists the live pages of every tree, each entry naming the page's translations as
its alternates (hreflang).
"""

from collections import defaultdict

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from content.seo import LANGUAGE_ORDER

ROBOTS_DISALLOW = ["/admin/", "/django-admin/", "/accounts/", "/en/accounts/"]


class BilingualSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        trees = Page.objects.none()
        for tree_root in root.get_translations(inclusive=True):
            trees |= Page.objects.descendant_of(tree_root, inclusive=True)
        return (
            trees.live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls, last_mods = [], set()
        by_translation = defaultdict(list)
        for item in self.paginator.page(page).object_list:
            for entry in item.get_sitemap_urls(self.request):
                entry = {**entry, "item": item}
                urls.append(entry)
                by_translation[item.translation_key].append(entry)
                last_mods.add(entry.get("lastmod"))
        for entries in by_translation.values():
            alternates = sorted(
                (
                    {"lang_code": entry["item"].locale.language_code, "location": entry["location"]}
                    for entry in entries
                ),
                key=lambda alternate: LANGUAGE_ORDER.get(alternate["lang_code"], 99),
            )
            for entry in entries:
                entry["alternates"] = alternates
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
