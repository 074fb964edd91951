"""Admin views of syndication: "Shared with my site", where a site's editors answer the posts
other sites propose to it (accept, or decline with a reason), and hide or unhide those it lists.

Thin on purpose: blog/syndication.py holds the rules and sites/roles.py says who may act on which
site. A refusal is a 403 page and changes nothing (like sites/admin_views.py).
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from sites import roles
from sites.admin_views import forbidden

from . import syndication
from .models import BlogPostPage, ShareProposal

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
        proposals = list(syndication.undecided_or_declined(self.site)[:POSTS_PER_PAGE])
        proposal_origins = syndication.origin_sites([proposal.post for proposal in proposals])
        for proposal in proposals:
            proposal.origin = proposal_origins.get(proposal.post_id)
        paginator = WagtailPaginator(syndication.shared_with_site(self.site), POSTS_PER_PAGE)
        posts_page = paginator.get_page(self.request.GET.get("p"))
        posts = list(posts_page.object_list)
        origins = syndication.origin_sites(posts)
        for post in posts:
            post.origin = origins.get(post.pk)
            post.state = syndication.state_on_site(post)
        return super().get_context_data(
            site=self.site,
            proposals=proposals,
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


class ProposalMixin(SiteMixin):
    """A proposal made to this site (another site's, or a forged id: 404, nothing changes)."""

    @cached_property
    def proposal(self):
        return get_object_or_404(
            ShareProposal.objects.select_related("post").filter(post__live=True),
            pk=self.kwargs["proposal_id"],
            site_id=self.site.pk,
        )


class AcceptView(ProposalMixin, View):
    """POST only: the site lists the post proposed to it (even one it declined before)."""

    http_method_names = ["post"]

    def post(self, request, site_id, proposal_id):
        syndication.accept(self.proposal, request.user)
        messages.success(
            request,
            _("“%(title)s” is now listed on %(site)s.")
            % {"title": self.proposal.post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you decline it?"),
        help_text=gettext_lazy("The origin site's editors see this reason."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineView(ProposalMixin, WagtailAdminTemplateMixin, TemplateView):
    """A small form: the reason (required), then the proposal is declined."""

    page_title = gettext_lazy("Decline a proposed post")
    header_icon = "doc-full-inverse"
    template_name = "blog/admin/decline_proposal.html"

    def get_page_subtitle(self):
        return self.proposal.post.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("blog_shared:index"), "label": _("Shared with my site")},
            {"url": self.index_url, "label": self.site.site_name},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            site=self.site,
            proposal=self.proposal,
            origin=syndication.origin_site(self.proposal.post),
            form=form or DeclineForm(initial={"reason": self.proposal.reason}),
            index_url=self.index_url,
            **kwargs,
        )

    def post(self, request, site_id, proposal_id):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        syndication.decline(self.proposal, form.cleaned_data["reason"], request.user)
        messages.success(
            request,
            _("“%(title)s” is declined: it is not listed on %(site)s.")
            % {"title": self.proposal.post.title, "site": self.site.site_name},
        )
        return redirect(self.index_url)


class ProposalsPanel(Component):
    """On the admin home page: the posts waiting for an answer from the user's sites."""

    name = "maillage_share_proposals"
    template_name = "blog/admin/proposals_panel.html"
    order = 60
    shown = 10

    def __init__(self, user):
        self.proposals = list(
            syndication.open_proposals(editable_sites(user).order_by().values("pk"))[
                : self.shown + 1
            ]
        )

    def get_context_data(self, parent_context):
        proposals = self.proposals[: self.shown]
        origins = syndication.origin_sites([proposal.post for proposal in proposals])
        for proposal in proposals:
            proposal.origin = origins.get(proposal.post_id)
        return {"proposals": proposals, "more": len(self.proposals) > self.shown}


def warn_shown_elsewhere(request, page):
    """Before deleting a shared post: which other sites list it (a warning message)."""
    if page.specific_class is not BlogPostPage:
        return
    sites = syndication.sites_showing(page.specific)
    if sites:
        messages.warning(
            request,
            ngettext(
                "This post is shown on %(count)d other site, which will no longer show it "
                "once deleted: %(sites)s.",
                "This post is shown on %(count)d other sites, which will no longer show it "
                "once deleted: %(sites)s.",
                len(sites),
            )
            % {"count": len(sites), "sites": ", ".join(site.site_name for site in sites)},
        )
