"""Admin wiring only: authors and categories as snippets (translatable through wagtail-localize),
and the "Shared with my site" views."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import adaptation_views, admin_views, author_views, authors
from .models import Author, BlogCategory

# Before the viewset is registered (which would make Wagtail's model-wide policy): each site's
# team manages its own authors only (blog/authors.py).
register_permission_policy(Author, authors.AuthorPermissionPolicy(Author))


class AuthorViewSet(SnippetViewSet):
    """Authors per site: the listing and every view of an author show the user's sites' authors
    only; the chooser adds the head office's and the network's (blog/author_views.py)."""

    model = Author
    icon = "user"
    list_display = ["name", "role", Column("site", label=_("Site"), accessor=authors.site_label)]
    search_fields = ["name"]
    edit_view_class = author_views.EditView
    delete_view_class = author_views.DeleteView
    usage_view_class = author_views.UsageView
    history_view_class = author_views.HistoryView
    chooser_viewset_class = author_views.AuthorChooserViewSet

    def get_queryset(self, request):
        return authors.manageable(request.user, Author.objects.select_related("site"))


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

# order=1: after Wagtail's snippet deletion, which this replaces for authors.
hooks.register("register_bulk_action", author_views.AuthorDeleteBulkAction, order=1)


@hooks.register("register_admin_urls", order=-1)
def register_author_localize_urls():
    """wagtail-localize's snippets API, for authors: ahead of its own URLs (order=-1)."""
    return [path("localize/", include((author_views.localize_urls, "blog_author_localize")))]


# --- Syndication: "Shared with my site" (views in blog/admin_views.py) ---------------------------

shared_urlpatterns = [
    path("", admin_views.ChooseSiteView.as_view(), name="index"),
    path("<int:site_id>/", admin_views.SharedWithSiteView.as_view(), name="site"),
    path("<int:site_id>/<int:post_id>/hide/", admin_views.HideView.as_view(), name="hide"),
    path("<int:site_id>/<int:post_id>/unhide/", admin_views.UnhideView.as_view(), name="unhide"),
    path(
        "<int:site_id>/proposals/<int:proposal_id>/accept/",
        admin_views.AcceptView.as_view(),
        name="accept",
    ),
    path(
        "<int:site_id>/proposals/<int:proposal_id>/decline/",
        admin_views.DeclineView.as_view(),
        name="decline",
    ),
]


@hooks.register("register_admin_urls")
def register_shared_urls():
    return [path("shared-with-my-site/", include((shared_urlpatterns, "blog_shared")))]


# --- Local adaptation of shared posts (views in blog/adaptation_views.py) ------------------------

adaptation_urlpatterns = [
    path("", adaptation_views.AdaptView.as_view(), name="edit"),
    path("remove/", adaptation_views.RemoveView.as_view(), name="remove"),
]


@hooks.register("register_admin_urls")
def register_adaptation_urls():
    return [
        path(
            "shared-with-my-site/<int:site_id>/<int:post_id>/adapt/",
            include((adaptation_urlpatterns, "blog_adaptations")),
        )
    ]


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


# --- Proposals: the dashboard panel, and the warning before deleting a shared post -------------


@hooks.register("construct_homepage_panels")
def add_proposals_panel(request, panels):
    panel = admin_views.ProposalsPanel(request.user)
    if panel.proposals:
        panels.append(panel)


@hooks.register("before_delete_page")
def warn_before_deleting_a_shared_post(request, page):
    """Wagtail's delete confirmation has no block to add to but its whole content: the warning
    goes with its messages, above it (the unpublish confirmation has it in its text)."""
    if request.method == "GET":
        admin_views.warn_shown_elsewhere(request, page)
