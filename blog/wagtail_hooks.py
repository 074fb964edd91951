"""Admin wiring only: authors and categories as snippets (translatable through wagtail-localize),
and the "Shared with my site" views."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Author, BlogCategory


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "role"]
    search_fields = ["name"]


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "tag"
    list_display = ["name", "slug"]


class BlogViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, BlogCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Blog")
    menu_name = "blog"


register_snippet(BlogViewSetGroup)


# --- Syndication: "Shared with my site" (views in blog/admin_views.py) ---------------------------

shared_urlpatterns = [
    path("", admin_views.ChooseSiteView.as_view(), name="index"),
    path("<int:site_id>/", admin_views.SharedWithSiteView.as_view(), name="site"),
    path("<int:site_id>/<int:post_id>/hide/", admin_views.HideView.as_view(), name="hide"),
    path("<int:site_id>/<int:post_id>/unhide/", admin_views.UnhideView.as_view(), name="unhide"),
]


@hooks.register("register_admin_urls")
def register_shared_urls():
    return [path("shared-with-my-site/", include((shared_urlpatterns, "blog_shared")))]


class SharedWithMySiteMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.editable_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_shared_menu_item():
    return SharedWithMySiteMenuItem(
        _("Shared with my site"),
        reverse("blog_shared:index"),
        name="shared-with-my-site",
        icon_name="doc-full-inverse",
        order=260,
    )
