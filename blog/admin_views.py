"""Admin views of syndication: "Shared with my site", where a site's editors see the posts other
sites share with it and hide or unhide them.

Thin on purpose: blog/syndication.py holds the rules and sites/roles.py says who may act on which
site. A refusal is a 403 page and changes nothing (like sites/admin_views.py).
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from sites import roles
from sites.admin_views import forbidden

from . import syndication

POSTS_PER_PAGE = 50


def editable_sites(user):
    """The sites whose shared posts the user may hide: those they edit or administer, and every
    site for network administrators."""
    return roles.sites_for_user(user, roles.EDITOR).order_by("site_name")


class ChooseSiteView(WagtailAdminTemplateMixin, TemplateView):
    """Where the menu item leads: the user's one site, or the list of their sites."""

    page_title = gettext_lazy("Shared with my site")
    header_icon = "doc-full-inverse"
    template_name = "blog/admin/shared_choose_site.html"

    def get(self, request, *args, **kwargs):
        sites = list(editable_sites(request.user))
        if not sites:
            return forbidden(request)
        if len(sites) == 1:
            return redirect("blog_shared:site", site_id=sites[0].pk)
        return self.render_to_response(self.get_context_data(sites=sites))


class SiteMixin:
    """Lets in the site's editors and administrators and the network's; anyone else gets a 403
    before anything is read or changed."""

    def dispatch(self, request, *args, **kwargs):
        if not editable_sites(request.user).filter(pk=kwargs["site_id"]).exists():
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def site(self):
        return get_object_or_404(Site.objects.select_related("profile"), pk=self.kwargs["site_id"])

    @cached_property
    def index_url(self):
        return reverse("blog_shared:site", args=[self.site.pk])


class SharedWithSiteView(SiteMixin, WagtailAdminTemplateMixin, TemplateView):
    """The posts other sites share with this one, newest first, with their state here."""

    page_title = gettext_lazy("Shared with my site")
    header_icon = "doc-full-inverse"
    template_name = "blog/admin/shared_with_site.html"

    def get_page_subtitle(self):
        return self.site.site_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("blog_shared:index"), "label": self.page_title},
            {"url": "", "label": self.site.site_name},
        ]

    def get_context_data(self, **kwargs):
        paginator = WagtailPaginator(syndication.shared_with_site(self.site), POSTS_PER_PAGE)
        posts_page = paginator.get_page(self.request.GET.get("p"))
        posts = list(posts_page.object_list)
        origins = syndication.origin_sites(posts)
        for post in posts:
            post.origin = origins.get(post.pk)
            post.state = syndication.state_on_site(post)
        return super().get_context_data(
            site=self.site,
            posts=posts,
            posts_page=posts_page,
            elided_page_range=paginator.get_elided_page_range(posts_page.number),
            **kwargs,
        )


class HideView(SiteMixin, View):
    """POST only: the site stops listing a post shared with it."""

    http_method_names = ["post"]

    def post(self, request, site_id, post_id):
        post = get_object_or_404(syndication.shared_with_site(self.site), pk=post_id)
        syndication.hide(post, self.site, request.user)
        messages.success(
            request,
            _("“%(title)s” is no longer listed on %(site)s.")
            % {"title": post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)


class UnhideView(SiteMixin, View):
    """POST only: the site lists a post it had hidden again."""

    http_method_names = ["post"]

    def post(self, request, site_id, post_id):
        post = get_object_or_404(syndication.shared_with_site(self.site), pk=post_id)
        syndication.unhide(post, self.site)
        messages.success(
            request,
            _("“%(title)s” is listed on %(site)s again.")
            % {"title": post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)
