"""What search engines read, per site: /robots.txt and /sitemap.xml.

Both live outside i18n_patterns: one of each per host name, listing every language of the site.
"""

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page, Site

from infra import locales, page_cache
from sites import network


class SiteSitemap(Sitemap):
    """The live, public pages of the request's site in every language, with hreflang alternates.

    Wagtail's own sitemap lists the descendants of the site's root page only, which is the tree of
    one language: translations live in sibling trees (one root page per locale). This one covers
    the root page's translations too, and links each page to its translations so that search
    engines show a reader the version in their language.
    """

    def _site_pages(self):
        """The site's pages as sites.network draws it (a translated home that is another Site's
        root is in that Site's sitemap only)."""
        homes = network.home_pages(self.get_wagtail_site()).live().values_list("path", flat=True)
        in_site = Q(pk__in=[])
        for path in homes:
            in_site |= Q(path__startswith=path)
        return Page.objects.live().public().filter(in_site)

    def items(self):
        return self._site_pages().order_by("path").defer_streamfields().specific()

    def _alternates(self):
        """{translation_key: [{"lang_code", "location"}, ...]} for pages with a live translation.

        Built from the whole site, not only the current sitemap page, in one query.
        """
        if hasattr(self, "_alternates_cache"):
            return self._alternates_cache
        groups = {}
        pages = self._site_pages().only(
            "id", "path", "depth", "url_path", "locale_id", "translation_key"
        )
        for page in pages.order_by("locale__language_code"):
            location = page.get_full_url(self.request)
            if location:
                groups.setdefault(page.translation_key, []).append(
                    {"lang_code": locales.language_of(page.locale_id), "location": location}
                )
        self._alternates_cache = {}
        for key, versions in groups.items():
            if len(versions) < 2:
                continue
            default = [v for v in versions if v["lang_code"] == settings.LANGUAGE_CODE]
            if default:
                versions = [
                    *versions,
                    {"lang_code": "x-default", "location": default[0]["location"]},
                ]
            self._alternates_cache[key] = versions
        return self._alternates_cache

    def _urls(self, page, protocol, domain):
        alternates = self._alternates()
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list.iterator():
            main_location = item.get_full_url(self.request)
            for url_info in item.get_sitemap_urls(self.request):
                if url_info.get("location") == main_location and item.translation_key in alternates:
                    url_info = {**url_info, "alternates": alternates[item.translation_key]}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        # last_mods might be empty if the whole site is private
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


@require_GET
def sitemap(request):
    site = Site.find_for_request(request)
    if site is not None:
        page_cache.tag(request, page_cache.site_tag(site.pk))
    return sitemap_views.sitemap(request, sitemaps={"pages": SiteSitemap})


def sitemap_url(request):
    """The absolute address of the sitemap of the request's site."""
    path = reverse("sitemap")
    site = Site.find_for_request(request)
    if site is None:
        return request.build_absolute_uri(path)
    return site.root_url + path


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {sitemap_url(request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
