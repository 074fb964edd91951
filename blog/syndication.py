"""Sharing a post with other sites of the network: one source of truth, no copies.

A post is shared by its origin site's editors with individual sites, with every site of a kind,
or with every site (`BlogPostPage.share_scope` and `shared_sites`). Publishing it proposes it to
each public target site (a ShareProposal per site): the site's editors, or the head office, accept
or decline it; a site that accepts from the head office automatically does so for the head's
posts. Once accepted, the target lists it, serves it at /blog/<slug>/ in its own branding with a
canonical link to the origin, and may hide it.
Because nothing is copied, an edit, an unpublication, an expiry or a deletion of the origin shows
everywhere at once, and its comments stay one conversation.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from sites import network

from .choices import ProposalStatus, ShareScope


def _site_id_for(url_path):
    """The id of the site holding the page at `url_path` (sites.network), or None."""
    return next(iter(network.site_ids_holding(url_path)), None)


class PublicationState(models.TextChoices):
    """Whether a shared post shows on a target site, and if not, why."""

    LISTED = "listed", _("Listed")
    PROPOSED = "proposed", _("Proposed: waiting for this site's answer")
    DECLINED = "declined", _("Declined by this site")
    HIDDEN = "hidden", _("Hidden by this site")
    SHADOWED = "shadowed", _("Not listed: this site's blog has its own post at the same address")
    NO_BLOG = "no_blog", _("Not listed: this site has no blog in the post's language")
    PRIVATE = "private", _("Not listed: the post is private")
    NOT_PUBLISHED = "not_published", _("Not published: shown nowhere")

    @classmethod
    def of(
        cls,
        *,
        live=True,
        private=False,
        status=ProposalStatus.ACCEPTED,
        hidden=False,
        has_blog=True,
        shadowed=False,
    ):
        """`status`: the target's answer to the proposal (None: not proposed yet, as good as
        proposed)."""
        if not live:
            return cls.NOT_PUBLISHED
        if private:
            return cls.PRIVATE
        if status == ProposalStatus.DECLINED:
            return cls.DECLINED
        if status != ProposalStatus.ACCEPTED:
            return cls.PROPOSED
        if hidden:
            return cls.HIDDEN
        if not has_blog:
            return cls.NO_BLOG
        if shadowed:
            return cls.SHADOWED
        return cls.LISTED


def shared_with_site(site):
    """The live, public posts other sites share with this one, newest first, those it hides
    included: for the "Shared with my site" admin view. Each carries `is_hidden`, `has_blog` (the
    site has a live blog in the post's language) and `is_shadowed` (that blog has its own post at
    the same address); `state_on_site(post)` reads them."""
    from .models import BlogIndexPage, BlogPostPage, HiddenSharedPost

    here = network.pages_condition(site)
    hidden = HiddenSharedPost.objects.filter(post_id=OuterRef("pk"), site_id=site.pk)
    blogs = BlogIndexPage.objects.live().filter(here, locale_id=OuterRef("locale_id"))
    shadowing = BlogPostPage.objects.live().filter(
        here, slug=OuterRef("slug"), locale_id=OuterRef("locale_id")
    )
    return (
        BlogPostPage.objects.live()
        .public()
        .shared_with(site, include_hidden=True)
        .annotate(is_hidden=Exists(hidden), has_blog=Exists(blogs), is_shadowed=Exists(shadowing))
        .order_by("-date", "-first_published_at", "-pk")
    )


def state_on_site(post):
    """The PublicationState of a post from shared_with_site()."""
    return PublicationState.of(
        hidden=post.is_hidden, has_blog=post.has_blog, shadowed=post.is_shadowed
    )


def origin_sites(posts):
    """{post pk: the Site the post comes from} (sites.network: no query once its map is built),
    whatever the number of posts and sites."""
    return {post.pk: network.site_for_page(post) for post in posts}


def origin_site(post):
    """The Site a post belongs to, whichever language tree of it holds the post."""
    return network.site_for_page(post)


def target_sites(post):
    """Every public site the post is shared with (the origin excluded), whether or not it
    accepted or hides it: draft and archived sites are never targets (sites.network)."""
    from sites.models import SiteKind

    origin = origin_site(post)
    sites = Site.objects.none()
    if post.share_scope == ShareScope.ALL:
        sites = Site.objects.all()
    elif post.share_scope in (SiteKind.REGIONAL, SiteKind.THEMATIC):
        sites = Site.objects.filter(profile__kind=post.share_scope)
    sites = sites | Site.objects.filter(pk__in=post.shared_sites.values("pk"))
    sites = sites.filter(pk__in=network.public_site_ids())
    if origin is not None:
        sites = sites.exclude(pk=origin.pk)
    return sites.distinct().order_by("site_name")


def publication_states(post):
    """For the editor's "Where is this published" panel: (site, PublicationState) for each target
    site, from the post as published (not a draft's share settings); a declined proposal's
    reason is on `site.declined_reason`. A fixed number of queries whatever the number of sites."""
    from .models import BlogIndexPage, BlogPostPage, HiddenSharedPost, ShareProposal

    sites = list(target_sites(post))
    if not sites:
        return []

    def site_ids(pages):
        return {_site_id_for(url_path) for url_path in pages.values_list("url_path", flat=True)}

    answers = {
        site_id: (status, reason)
        for site_id, status, reason in ShareProposal.objects.filter(post=post).values_list(
            "site_id", "status", "reason"
        )
    }
    hidden = set(HiddenSharedPost.objects.filter(post=post).values_list("site_id", flat=True))
    private = post.live and not BlogPostPage.objects.filter(pk=post.pk).public().exists()
    with_blog = site_ids(BlogIndexPage.objects.live().filter(locale_id=post.locale_id))
    shadowing = site_ids(
        BlogPostPage.objects.live()
        .filter(slug=post.slug, locale_id=post.locale_id)
        .exclude(pk=post.pk)
    )
    states = []
    for site in sites:
        status, reason = answers.get(site.pk, (None, ""))
        site.declined_reason = reason if status == ProposalStatus.DECLINED else ""
        state = PublicationState.of(
            live=post.live,
            private=private,
            status=status,
            hidden=site.pk in hidden,
            has_blog=site.pk in with_blog,
            shadowed=site.pk in shadowing,
        )
        states.append((site, state))
    return states


def sites_showing(post):
    """The other sites that list the post now (for the unpublish and delete confirmations)."""
    if not post.live:
        return []
    return [site for site, state in publication_states(post) if state == PublicationState.LISTED]


# --- Proposals: the target sites' answers ------------------------------------------------------


def accepts_automatically(origin, sites):
    """The ids of those of `sites` that accept at once what `origin` shares: the sites whose
    settings accept from the head office, when the origin is the head site."""
    from sites.models import SiteKind, SiteProfile, SiteSettings

    if origin is None or not sites:
        return set()
    if not SiteProfile.objects.filter(site_id=origin.pk, kind=SiteKind.HEAD).exists():
        return set()
    return set(
        SiteSettings.objects.filter(
            site_id__in=[site.pk for site in sites], accept_from_head_office=True
        ).values_list("site_id", flat=True)
    )


def propose(post, user=None):
    """Bring the post's proposals in line with its live share settings (called when it is
    published): a new proposal for each new target site, accepted at once where the site accepts
    from the head office; the proposals of sites no longer targeted are withdrawn. Earlier
    answers stand (a site that declined is not asked again). The target sites' editors hear of
    each new proposal (blog.proposal_mail). Returns the new proposals."""
    from .models import ShareProposal
    from .proposal_mail import notify

    targets = list(target_sites(post)) if post.live else []
    proposals = ShareProposal.objects.filter(post=post)
    proposals.exclude(site_id__in=[site.pk for site in targets]).delete()
    known = set(proposals.values_list("site_id", flat=True))
    new_sites = [site for site in targets if site.pk not in known]
    automatic = accepts_automatically(origin_site(post), new_sites)
    now = timezone.now()
    created = ShareProposal.objects.bulk_create(
        [
            ShareProposal(
                post=post,
                site=site,
                proposed_by=user,
                proposed_at=now,
                status=ProposalStatus.ACCEPTED if site.pk in automatic else ProposalStatus.PROPOSED,
                decided_at=now if site.pk in automatic else None,
            )
            for site in new_sites
        ]
    )
    for proposal in created:
        if proposal.status == ProposalStatus.PROPOSED:
            notify(proposal)
    return created


def propose_to_site(site):
    """Propose to a site that just opened the live posts other sites share with it (by scope or
    by name) that it has no proposal for yet, accepted at once where it accepts from the head
    office. No e-mail: they wait in the site's dashboard panel, a launch would send dozens."""
    from .models import BlogPostPage, ShareProposal

    kind = getattr(getattr(site, "profile", None), "kind", None)
    scope = Q(share_scope=ShareScope.ALL)
    if kind in (ShareScope.REGIONAL, ShareScope.THEMATIC):
        scope |= Q(share_scope=kind)
    posts = (
        BlogPostPage.objects.live()
        .filter(scope | Q(shared_sites=site))
        .exclude(network.pages_condition(site))
        .exclude(proposals__site=site)
        .distinct()
    )
    from sites.models import SiteKind

    head = Site.objects.filter(profile__kind=SiteKind.HEAD).first()
    from_head = site.pk in accepts_automatically(head, [site])
    public = network.public_site_ids()
    now = timezone.now()
    new = []
    for post in posts:
        origin = origin_site(post)
        if origin is None or origin.pk not in public:
            continue
        automatic = from_head and origin.pk == head.pk
        new.append(
            ShareProposal(
                post=post,
                site=site,
                proposed_at=now,
                status=ProposalStatus.ACCEPTED if automatic else ProposalStatus.PROPOSED,
                decided_at=now if automatic else None,
            )
        )
    return ShareProposal.objects.bulk_create(new)


def accept(proposal, user=None):
    """The target site lists the post (a declined proposal may still be accepted)."""
    proposal.status = ProposalStatus.ACCEPTED
    proposal.reason = ""
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.save()


def decline(proposal, reason, user=None):
    """The target site does not list the post; the origin sees the reason."""
    proposal.status = ProposalStatus.DECLINED
    proposal.reason = reason
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.save()


def is_accepted(post, site):
    """Whether `site` accepted the post (it may still hide it, or the origin unpublish it)."""
    from .models import ShareProposal

    return ShareProposal.objects.filter(
        post=post, site=site, status=ProposalStatus.ACCEPTED
    ).exists()


def open_proposals(sites):
    """The proposals awaiting an answer from these sites (a queryset of Sites or ids), of live
    posts, oldest first, with their post and site."""
    from .models import ShareProposal

    return (
        ShareProposal.objects.filter(
            site__in=sites, status=ProposalStatus.PROPOSED, post__live=True
        )
        .select_related("post", "site")
        .order_by("proposed_at", "pk")
    )


def undecided_or_declined(site):
    """The proposals to `site` it has not accepted, of live posts: those waiting, then those it
    declined (which it may still accept), newest first within each."""
    from .models import ShareProposal

    return (
        ShareProposal.objects.filter(site=site, post__live=True)
        .exclude(status=ProposalStatus.ACCEPTED)
        .select_related("post", "decided_by")
        .order_by("-status", "-proposed_at", "-pk")
    )


def hide(post, site, user=None):
    """The site stops listing the post (its editors' choice; the origin is not told)."""
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.get_or_create(post=post, site=site, defaults={"hidden_by": user})


def unhide(post, site):
    from .models import HiddenSharedPost

    HiddenSharedPost.objects.filter(post=post, site=site).delete()
