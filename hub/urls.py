from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub import seo, views
from infra import documents, health
from search import views as search_views
from sites import admin_overrides, translation_views

# One robots.txt and one sitemap per host name, covering every language of that site.
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    # Team invitations open to people without an account yet (sites/team_views.py).
    path("admin/invitation/", include("sites.invitation_urls")),
    # Wagtail's views, throttled (infra.throttle): staff password resets, documents' passwords.
    path(
        "admin/password_reset/",
        views.PasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    # Wagtail's site history and page types reports and the page chooser's "chosen" step,
    # narrowed to the user's sites, at Wagtail's own paths (sites/admin_overrides.py).
    path("admin/reports/", include((admin_overrides.reports_urls, "maillage_reports"))),
    path("admin/", include(admin_overrides.urls)),
    # wagtail-localize's views that name a page, behind a site check, at its own paths
    # (sites/translation_views.py).
    path("admin/localize/", include((translation_views.urls, "maillage_localize"))),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        views.document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    # Wagtail's document view without its "Content-Encoding: None" header (infra/documents.py).
    re_path(r"^documents/(\d+)/(.*)$", documents.serve, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("comments/", include("comments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French pages live at /, English ones under /en/.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),  # before Wagtail's pages
    path(  # Wagtail's page-password form, throttled (infra.throttle)
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# 404.html extends base.html and so already wears the site's branding; the 500 page needs a view
# that can fall back to a static page when the database is the problem.
handler500 = "infra.errors.server_error"
